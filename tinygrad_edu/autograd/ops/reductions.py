"""Reductions: sum, mean, max over any axes, each backward beside its forward (lesson 4).

Where numpy and PyTorch differ we follow numpy on purpose: a 0-d tensor has no axes, so
`t.sum(axis=0)` of a 0-d `t` is refused (PyTorch takes axis 0 or −1 there); `t.sum()` works.
"""

import math

from tinygrad_edu.autograd._checks import keepdims_flag, normalize_axes, one_spelling
from tinygrad_edu.autograd.ops.arithmetic import times_constant


class ReductionOps:
    """`sum`, `mean` and `max` of `Tensor` over `axis` (None, an int or a tuple of ints)."""

    __slots__ = ()

    def sum(self, axis=None, keepdims=None, *, dim=None, keepdim=None):
        """z = Σ_axis x  →  dx = g broadcast back over the summed axes"""
        axis = one_spelling("sum", ("axis", "dim"), axis, dim, None)
        keepdims = keepdims_flag("sum", keepdims, keepdim)
        x = self
        axes = normalize_axes(axis, x.ndim, "sum")

        def backward(g, out):
            return (keep_dims(g, axes, keepdims).broadcast_to(x.shape),)

        return self._from_op(x.data.sum(axis=axes, keepdims=keepdims), (x,), backward, "sum")

    def mean(self, axis=None, keepdims=None, *, dim=None, keepdim=None):
        """z = Σ_axis x / n  →  dx = g / n broadcast back (n = elements averaged; nan if n = 0, as PyTorch)"""
        axis = one_spelling("mean", ("axis", "dim"), axis, dim, None)
        keepdims = keepdims_flag("mean", keepdims, keepdim)
        axes = normalize_axes(axis, self.ndim, "mean")
        n = math.prod(self.shape[a] for a in axes)
        return self.sum(axis=axes, keepdims=keepdims) * (1.0 / n if n else math.nan)

    def max(self, axis=None, keepdims=None, *, dim=None, keepdim=None):
        """z = max_axis x  →  dx = g at the maxima (split evenly between ties), 0 elsewhere"""
        axis = one_spelling("max", ("axis", "dim"), axis, dim, None)
        keepdims = keepdims_flag("max", keepdims, keepdim)
        x = self
        axes = normalize_axes(axis, x.ndim, "max")
        if any(x.shape[a] == 0 for a in axes):
            raise ValueError(f"max over an empty axis of a tensor of shape {x.shape}")
        out_kept = x.data.max(axis=axes, keepdims=True)

        def backward(g, out):
            is_max = (x.data == out_kept).astype(x.dtype)
            share = is_max / is_max.sum(axis=axes, keepdims=True)  # 1/ties at each maximum, 0 elsewhere
            return (times_constant(keep_dims(g, axes, keepdims), share),)

        out = out_kept if keepdims else out_kept.squeeze(axis=axes)
        return self._from_op(out, (x,), backward, "max")


def keep_dims(grad, axes, keepdims):
    """A reduction's gradient (a Tensor) with the reduced axes restored as size 1, ready to broadcast."""
    if keepdims:
        return grad
    shape = list(grad.shape)
    for a in axes:  # sorted, so each insertion lands at its final place
        shape.insert(a, 1)
    return grad.reshape(shape)
