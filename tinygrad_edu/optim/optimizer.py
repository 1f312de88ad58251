"""Optimizer: the base class; holds the parameters, checks their gradients (lesson 7)."""

import numpy as np

from tinygrad_edu.autograd.tensor import Tensor
from tinygrad_edu.optim._checks import check_range


class Optimizer:
    """Holds the parameters; `zero_grad()` clears their gradients, `step()` updates them."""

    _buffers = ()  # names of the per-parameter lists that step() carries from call to call

    def __init__(self, params, lr):
        if isinstance(params, Tensor):  # list(t) would give t's rows: new tensors, never the leaf itself
            raise TypeError(f"{type(self).__name__}: pass a list of parameters, e.g. [w], not a Tensor")
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: got an empty list of parameters")
        for i, p in enumerate(self.params):
            if not isinstance(p, Tensor) or not p.requires_grad:
                raise TypeError(
                    f"{type(self).__name__}: parameter {i} is not a Tensor with requires_grad=True"
                )
            if p._parents:  # updating a computed tensor would never reach the leaves it came from
                raise ValueError(f"{type(self).__name__}: parameter {i} was computed by an op, not a leaf")
        if len({id(p) for p in self.params}) != len(self.params):
            raise ValueError(f"{type(self).__name__}: a parameter appears twice; it would be updated twice")
        self.lr = check_range("lr", lr, low=0.0, low_open=True)
        self._scratch = [None] * len(self.params)  # see _scratch_for

    def zero_grad(self):
        for p in self.params:
            p.zero_grad()

    def step(self):
        raise NotImplementedError

    def state_dict(self):
        """{"<buffer>.<i>": array} for each running buffer (e.g. velocity.0): savable with np.savez."""
        return {
            f"{name}.{i}": np.array(value)
            for name in self._buffers
            for i, value in enumerate(getattr(self, name) or [])
        }

    def load_state_dict(self, state):
        """Restore what `state_dict()` returned; names and shapes must match."""
        if not isinstance(state, dict):
            raise TypeError(f"load_state_dict: state must be a dict of arrays, got {type(state).__name__}")
        current = self.state_dict()
        if current.keys() != state.keys():
            missing, unexpected = sorted(current.keys() - state.keys()), sorted(state.keys() - current.keys())
            raise KeyError(f"load_state_dict: missing keys {missing}, unexpected keys {unexpected}")
        for key, value in current.items():
            if np.shape(state[key]) != value.shape:
                raise ValueError(
                    f"load_state_dict: {key!r} has shape {np.shape(state[key])}, expected {value.shape}"
                )
        for key in current:
            name, i = key.rsplit(".", 1)
            buffer = getattr(self, name)
            if isinstance(buffer[int(i)], np.ndarray):
                buffer[int(i)][...] = state[key]
            else:  # a per-parameter count, such as Adam's t
                buffer[int(i)] = type(buffer[int(i)])(state[key])

    def _scratch_for(self, i):
        """Parameter i's scratch array, for the terms of its update; made at its first step
        (as PyTorch makes its momentum buffers), so a parameter that never steps costs nothing."""
        if self._scratch[i] is None:
            self._scratch[i] = np.empty_like(self.params[i].data)
        return self._scratch[i]

    def _params_with_grad(self):
        """(index, parameter) for parameters that received a gradient since the last zero_grad."""
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            if np.shape(p.grad) != p.shape:
                raise ValueError(
                    f"{type(self).__name__}.step(): parameter {i} has shape {p.shape} but its .grad "
                    f"has shape {np.shape(p.grad)}"
                )
            yield i, p
