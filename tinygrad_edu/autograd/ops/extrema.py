"""Reductions beyond the report: min, argmax, argmin and logsumexp, each backward beside its forward."""

import numpy as np

from tinygrad_edu.autograd._checks import keepdims_flag, normalize_axes, one_spelling
from tinygrad_edu.autograd.ops.reductions import keep_dims


class ExtremaOps:
    """`min`, `argmax`, `argmin` and `logsumexp` of `Tensor` (PyTorch's names, the library's `axis`)."""

    __slots__ = ()

    def min(self, axis=None, keepdims=None, *, dim=None, keepdim=None):
        """z = min_axis x = −max_axis(−x)  →  dx = g at the minima (split evenly between ties, like
        PyTorch's `amin`; PyTorch's `min(dim)` sends it to one index instead), 0 elsewhere"""
        axis = one_spelling("min", ("axis", "dim"), axis, dim, None)
        keepdims = keepdims_flag("min", keepdims, keepdim)
        axes = normalize_axes(axis, self.ndim, "min")  # so that errors name min, not max
        if any(self.shape[a] == 0 for a in axes):
            raise ValueError(f"min over an empty axis of a tensor of shape {self.shape}")
        return -((-self).max(axis=axes, keepdims=keepdims))

    def argmax(self, axis=None, keepdims=None, *, dim=None, keepdim=None):
        """Index (int64, no gradient) of the first maximum along `axis`; None flattens, as PyTorch."""
        axis = one_spelling("argmax", ("axis", "dim"), axis, dim, None)
        keepdims = keepdims_flag("argmax", keepdims, keepdim)
        return _arg_extremum(self, axis, keepdims, np.argmax, "argmax")

    def argmin(self, axis=None, keepdims=None, *, dim=None, keepdim=None):
        """Index (int64, no gradient) of the first minimum along `axis`; None flattens, as PyTorch."""
        axis = one_spelling("argmin", ("axis", "dim"), axis, dim, None)
        keepdims = keepdims_flag("argmin", keepdims, keepdim)
        return _arg_extremum(self, axis, keepdims, np.argmin, "argmin")

    def logsumexp(self, axis=None, keepdims=None, *, dim=None, keepdim=None):
        """z = m + log Σ_axis exp(x − m), m = max_axis x (no overflow)  →  dx = g · softmax_axis(x)

        The backward is exp(x − z)·g, written with Tensor ops so that it has its own derivative.
        """
        axis = one_spelling("logsumexp", ("axis", "dim"), axis, dim, None)
        keepdims = keepdims_flag("logsumexp", keepdims, keepdim)
        x = self
        axes = normalize_axes(axis, x.ndim, "logsumexp")
        if any(x.shape[a] == 0 for a in axes):
            raise ValueError(f"logsumexp over an empty axis of a tensor of shape {x.shape}")
        shift = x.data.max(axis=axes, keepdims=True)
        shift = np.where(np.isfinite(shift), shift, 0.0).astype(x.dtype)
        kept = shift + np.log(np.exp(x.data - shift).sum(axis=axes, keepdims=True))

        def backward(g, out):
            weights = (x - keep_dims(out, axes, keepdims)).exp()  # softmax of x along the axes
            return (keep_dims(g, axes, keepdims) * weights,)

        out = kept if keepdims else kept.squeeze(axis=axes)
        return self._from_op(out.astype(x.dtype), (x,), backward, "logsumexp")


def _arg_extremum(x, axis, keepdims, find, op):
    """`find` (np.argmax or np.argmin) along one axis, or over the flattened tensor when axis is None."""
    if axis is None:
        if x.size == 0:
            raise ValueError(f"{op} of an empty tensor of shape {x.shape}")
        index = np.asarray(find(x.data.reshape(-1)))
        if keepdims:
            index = index.reshape((1,) * x.ndim)
    else:
        (a,) = normalize_axes(axis, x.ndim, op, single=True)
        if x.shape[a] == 0:
            raise ValueError(f"{op} over an empty axis {a} of a tensor of shape {x.shape}")
        index = find(x.data, axis=a, keepdims=keepdims)
    return x._from_op(np.asarray(index).astype(np.int64), (), None, op)
