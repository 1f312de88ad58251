"""Elementwise functions and the softmax family, each backward beside its forward (lessons 4 and 8)."""

import numbers

import numpy as np

from tinygrad_edu.autograd._checks import normalize_axes, one_spelling
from tinygrad_edu.autograd.ops.arithmetic import times_constant


class FunctionOps:
    """`exp`, `log`, the report's activations and `softmax`/`log_softmax` of `Tensor`."""

    __slots__ = ()

    def exp(self):
        """z = eˣ  →  dx = g ⊙ z"""
        out = np.exp(self.data)
        return self._from_op(out, (self,), lambda g, out: (g * out,), "exp")

    def log(self):
        """z = ln x  →  dx = g / x"""
        x = self
        return self._from_op(np.log(x.data), (x,), lambda g, out: (g / x,), "log")

    def masked_fill(self, mask, value):
        """z = value where mask, else x (mask: booleans broadcastable to x)  →  dx = g where not mask, else 0

        The mask is copied: changing it after the forward pass cannot change the gradient.
        """
        x = self
        mask = np.array(mask.data if isinstance(mask, type(self)) else mask)
        if mask.dtype != bool:
            raise TypeError(f"masked_fill: mask must hold booleans, got dtype {mask.dtype}")
        try:
            fits = np.broadcast_shapes(mask.shape, x.shape) == x.shape
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(f"masked_fill: a mask of shape {mask.shape} does not fit a tensor of {x.shape}")
        if np.ndim(value) != 0 or np.asarray(value).dtype.kind not in "biuf":
            raise TypeError(f"masked_fill: value must be a number, got {type(value).__name__} {value!r:.40}")
        out = np.where(mask, x.dtype.type(value), x.data)
        return self._from_op(out, (x,), lambda g, out: (g.masked_fill(mask, 0),), "masked_fill")

    def relu(self):
        """z = max(0, x)  →  dx = g where z > 0 (that is, x > 0), else 0 (0 at the kink x = 0)

        As clip(x, 0, ∞), which numpy vectorizes (maximum with a scalar it does not); −0
        stays −0, as in PyTorch. The backward reads z, which the next layer's backward
        has just read (still in cache). Unlike PyTorch: dx = g · 0 where z ≤ 0 is nan
        where g is ±inf or nan (PyTorch: 0), and dx = 0 where x is nan (PyTorch: g).
        """
        out = np.clip(self.data, 0, np.inf)
        return self._from_op(out, (self,), lambda g, out: (times_constant(g, out.data > 0),), "relu")

    def sigmoid(self):
        """z = 1 / (1 + e⁻ˣ), computed without overflow  →  dx = g ⊙ z(1 − z)"""
        e = np.exp(-np.abs(self.data))  # in (0, 1]: never overflows
        out = np.where(self.data >= 0, 1 / (1 + e), e / (1 + e))
        return self._from_op(out, (self,), lambda g, out: (g * out * (1 - out),), "sigmoid")

    def tanh(self):
        """z = tanh x  →  dx = g ⊙ (1 − z²)"""
        out = np.tanh(self.data)
        return self._from_op(out, (self,), lambda g, out: (g * (1 - out * out),), "tanh")

    def hardtanh(self, min_val=-1.0, max_val=1.0):
        """z = clip(x, min_val, max_val)  →  dx = g where min_val < x < max_val, else 0

        The bounds are numbers, taken in the tensor's dtype (a numpy float64 bound
        never turns a float32 tensor into float64).
        """
        x = self
        check_hardtanh_bounds("hardtanh", min_val, max_val)
        low, high = x.dtype.type(min_val), x.dtype.type(max_val)
        inside = (x.data > low) & (x.data < high)
        out = np.clip(x.data, low, high)
        return self._from_op(out, (x,), lambda g, out: (times_constant(g, inside),), "hardtanh")

    # ---- softmax family (each with its own, numerically stable, backward) ----
    def softmax(self, axis=-1, *, dim=None):
        """s = eˣ / Σ eˣ along axis  →  dx = s ⊙ (g − Σ(g ⊙ s)); `dim` is PyTorch's name for `axis`"""
        axis = one_spelling(
            "softmax", ("axis", "dim"), None if axis == -1 else axis, dim, axis
        )  # -1: not given
        (axis,) = normalize_axes(axis, self.ndim, "softmax", single=True)
        shifted = self.data - self.data.max(axis=axis, keepdims=True, initial=-np.inf)
        exp = np.exp(shifted)
        s = exp / exp.sum(axis=axis, keepdims=True)
        return self._from_op(
            s, (self,), lambda g, s: (s * (g - (g * s).sum(axis=axis, keepdims=True)),), "softmax"
        )

    def log_softmax(self, axis=-1, *, dim=None):
        """z = x − log Σ eˣ along axis  →  dx = g − softmax(x) ⊙ Σ g; `dim` is PyTorch's name for `axis`"""
        axis = one_spelling(
            "log_softmax", ("axis", "dim"), None if axis == -1 else axis, dim, axis
        )  # -1: not given
        (axis,) = normalize_axes(axis, self.ndim, "log_softmax", single=True)
        shifted = self.data - self.data.max(axis=axis, keepdims=True, initial=-np.inf)
        out = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))

        def backward(g, out):
            return (g - out.exp() * g.sum(axis=axis, keepdims=True),)

        return self._from_op(out, (self,), backward, "log_softmax")


def check_hardtanh_bounds(owner, min_val, max_val):
    """An error naming `owner` (the function or the class the user called) unless min_val < max_val."""
    for name, bound in (("min_val", min_val), ("max_val", max_val)):
        if isinstance(bound, bool) or not isinstance(bound, numbers.Real):
            raise TypeError(f"{owner}: {name} must be a number, got {type(bound).__name__} {bound!r:.60}")
    if not min_val < max_val:
        raise ValueError(f"{owner} needs min_val < max_val, got min_val={min_val} and max_val={max_val}")
