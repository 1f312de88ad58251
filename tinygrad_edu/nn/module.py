"""Module: the base class of layers and networks, with PyTorch's names (lesson 6).

A Module holds parameters (Tensors with requires_grad=True) and sub-modules;
`parameters()` finds them all: a module's own first, then each sub-module's,
each group in the order it was assigned (as in PyTorch).
"""

import numpy as np

from tinygrad_edu.autograd.tensor import Tensor


class Module:
    """Base class: subclasses set parameters and sub-modules as attributes and define forward."""

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

    def parameters(self):
        """All parameters, as a list."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self):
        """Forget every parameter's accumulated gradient."""
        for p in self.parameters():
            p.zero_grad()

    def state_dict(self):
        """{name: copy of the parameter's array}: plain numpy, savable with np.savez."""
        return {name: p.data.copy() for name, p in self.named_parameters()}

    def load_state_dict(self, state):
        """Copy arrays into the parameters (in their own dtype); names and shapes must match."""
        if not hasattr(state, "keys"):
            raise TypeError(f"load_state_dict takes a dict of arrays, got {type(state).__name__}")
        params = dict(self.named_parameters())
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
        for name, p in params.items():  # only after every check passed: never half-loaded
            p.data[...] = state[name]
