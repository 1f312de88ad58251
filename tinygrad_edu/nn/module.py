"""Module: the base class of layers and networks, with PyTorch's names (lesson 6).

A Module holds parameters (Tensors with requires_grad=True) and sub-modules;
`parameters()` finds them all: a module's own first, then each sub-module's,
each group in the order it was assigned (as in PyTorch). Buffers (`register_buffer`)
are the state that is not learned, such as BatchNorm's running statistics: plain
numpy arrays, saved by `state_dict()` beside the parameters. `train()` / `eval()`
set `training` on a module and all its sub-modules (Dropout and BatchNorm read it).
"""

import numpy as np

from tinygrad_edu.autograd.tensor import Tensor


class Module:
    """Base class: subclasses set parameters and sub-modules as attributes and define forward."""

    training = True  # a class default: subclasses need not call Module.__init__

    def __call__(self, *args):
        return self.forward(*args)

    def __repr__(self):
        return f"{type(self).__name__}()"

    def forward(self, *args):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def _children(self):
        """(name, sub-module) pairs; a list of modules `blocks` gives names blocks.0, blocks.1, …"""
        for name, value in vars(self).items():
            if isinstance(value, Module):
                yield name, value
            elif isinstance(value, (list, tuple)):
                for i, item in enumerate(value):
                    if isinstance(item, Module):
                        yield f"{name}.{i}", item

    def named_parameters(self, prefix=""):
        """(dotted name, parameter) pairs, e.g. ("0.weight", Tensor of shape (600, 784)).

        A parameter shared by two sub-modules is listed once, under its first name
        (as in PyTorch), so an optimizer never updates it twice per step.
        """
        if not isinstance(prefix, str):
            raise TypeError(f"named_parameters: prefix must be a str, got {type(prefix).__name__}")
        seen = set()
        for name, p in self._all_parameters(prefix):
            if id(p) not in seen:
                seen.add(id(p))
                yield name, p

    def _all_parameters(self, prefix):
        for name, value in vars(self).items():
            if isinstance(value, Tensor) and value.requires_grad:
                yield prefix + name, value
        for name, child in self._children():
            yield from child._all_parameters(f"{prefix}{name}.")

    def register_buffer(self, name, array):
        """Keep `array` (a numpy array, or None) as the attribute `name`, saved by state_dict()."""
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"register_buffer: name must be an identifier, got {name!r}")
        if array is not None and not isinstance(array, np.ndarray):
            kind = type(array).__name__
            raise TypeError(f"register_buffer: {name!r} must be a numpy array or None, got {kind}")
        if array is not None and array.dtype.kind not in "biuf":
            raise TypeError(f"register_buffer: {name!r} must hold numbers, got dtype {array.dtype}")
        if "_buffers" not in vars(self):
            self._buffers = []
        if name not in self._buffers:
            self._buffers.append(name)
        setattr(self, name, array)

    def named_buffers(self, prefix=""):
        """(dotted name, array) pairs of the buffers, own first, e.g. ("1.running_mean", array)."""
        if not isinstance(prefix, str):
            raise TypeError(f"named_buffers: prefix must be a str, got {type(prefix).__name__}")
        for name in vars(self).get("_buffers", ()):
            if getattr(self, name) is not None:
                yield prefix + name, getattr(self, name)
        for name, child in self._children():
            yield from child.named_buffers(f"{prefix}{name}.")

    def train(self, mode=True):
        """Set `training` to `mode` here and in every sub-module; returns the module (as PyTorch)."""
        if not isinstance(mode, (bool, np.bool_)):
            raise TypeError(f"train: mode must be True or False, got {mode!r}")
        self.training = bool(mode)
        for _, child in self._children():
            child.train(mode)
        return self

    def eval(self):
        """train(False): Dropout passes its input on, BatchNorm uses its running statistics."""
        return self.train(False)

    def parameters(self):
        """All parameters, as a list."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self):
        """Forget every parameter's accumulated gradient."""
        for p in self.parameters():
            p.zero_grad()

    def state_dict(self):
        """{name: copy of the parameter's or buffer's array}: plain numpy, savable with np.savez."""
        state = {name: p.data.copy() for name, p in self.named_parameters()}
        return state | {name: array.copy() for name, array in self.named_buffers()}

    def load_state_dict(self, state):
        """Copy arrays into the parameters and buffers (in their own dtype); names and shapes must match."""
        if not hasattr(state, "keys"):
            raise TypeError(f"load_state_dict takes a dict of arrays, got {type(state).__name__}")
        params = {name: p.data for name, p in self.named_parameters()} | dict(self.named_buffers())
        missing, unexpected = sorted(params.keys() - state.keys()), sorted(state.keys() - params.keys())
        if missing or unexpected:
            raise KeyError(f"load_state_dict: missing keys {missing}, unexpected keys {unexpected}")
        for name, p in params.items():
            array = np.asarray(state[name])
            if array.dtype.kind not in "biuf":
                raise TypeError(f"load_state_dict: {name!r} holds {array.dtype} values, not numbers")
            if array.shape != p.shape:
                raise ValueError(
                    f"load_state_dict: {name!r} has shape {array.shape}, the parameter has {p.shape}"
                )
        for name, array in params.items():  # only after every check passed: never half-loaded
            array[...] = state[name]
