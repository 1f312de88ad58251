"""Indexing along one axis: gather and scatter_add, each backward beside its forward.

Both are written with the indexing of ops/shape.py: gather picks x[…, index, …], so its
backward adds g back at the picked places, which is scatter_add; scatter_add's backward
to src gathers g.
"""

import numpy as np

from tinygrad_edu.autograd._checks import normalize_axes
from tinygrad_edu.autograd.ops.shape import _index_add


class IndexingOps:
    """`gather` and `scatter_add` of `Tensor` (PyTorch's shape rules)."""

    __slots__ = ()

    def gather(self, dim, index):
        """`z[i][j][k] = x[i][index[i][j][k]][k]` (for dim=1)  →  `dx = zeros.scatter_add(dim, index, g)`

        `index` (an integer array, list or int64 Tensor) has x's number of axes, and no more
        than x's size along every other axis; z has index's shape.
        """
        (dim,) = normalize_axes(dim, max(self.ndim, 1), "gather", single=True)
        grid = _grid(dim, index, self.shape, None, "gather")
        return self[grid]

    def scatter_add(self, dim, index, src):
        """z = x with `src[i][j][k]` added at `z[i][index[i][j][k]][k]` (dim=1)  →  dx = g, dsrc = g.gather

        `index` is no larger than src along any axis, nor than x along the others; only
        src's first index.shape elements are used (their gradient is 0 beyond).
        """
        if not isinstance(src, IndexingOps):
            raise TypeError(f"scatter_add: src must be a Tensor, got {type(src).__name__}")
        if src.dtype != self.dtype:
            raise TypeError(f"scatter_add: src is {src.dtype} but the tensor is {self.dtype}")
        (dim,) = normalize_axes(dim, max(self.ndim, 1), "scatter_add", single=True)
        grid = _grid(dim, index, self.shape, src.shape, "scatter_add")
        used = src[tuple(slice(0, n) for n in grid[0].shape)] if src.ndim else src
        return self + _index_add(used, grid, self.shape)


def _grid(dim, index, shape, src_shape, op):
    """The index tuple that picks `x[i][index[i][j][k]][k]`: index along dim, a range along the rest.

    `index` is copied and frozen, so changing the caller's array later cannot change a gradient.
    Checks PyTorch's rules: same number of axes as `shape`, index.shape ≤ shape off dim (and
    ≤ src_shape along every axis, for scatter_add), values in 0 … shape[dim] − 1.
    """
    index = np.array(index.data if isinstance(index, IndexingOps) else index)  # an int64 Tensor: its array
    if index.dtype.kind not in "iu":  # booleans (kind "b") are masks, not indices
        raise TypeError(f"{op}: index must hold integers, got dtype {index.dtype}")
    index.flags.writeable = False
    if index.ndim != len(shape):
        raise ValueError(f"{op}: index has {index.ndim} axes but the tensor {shape} has {len(shape)}")
    for d, n in enumerate(index.shape):
        if (d != dim and n > shape[d]) or (src_shape is not None and n > src_shape[d]):
            src = "" if src_shape is None else f" and src {src_shape}"
            raise ValueError(f"{op}: index of shape {index.shape} does not fit {shape}{src} along dim {d}")
    if index.size and not (0 <= index.min() and index.max() < (shape[dim] if shape else 1)):
        raise IndexError(f"{op}: index values must be in 0 … {shape[dim] - 1} for dim {dim} of {shape}")
    if not shape:
        return ()
    ranges = np.ix_(*(np.arange(n) for n in index.shape))
    return tuple(index if d == dim else np.broadcast_to(r, index.shape) for d, r in enumerate(ranges))
