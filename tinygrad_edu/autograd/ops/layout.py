"""Layout ops: squeeze, unsqueeze, flatten, permute, view, expand, repeat and flip.

Each one relabels, repeats or reverses the same elements, so each backward moves g back:
relabelled, summed over the copies, or reversed.
"""

import numpy as np

from tinygrad_edu.autograd._checks import check_elements, is_int, normalize_axes, unpack_sizes


class LayoutOps:
    """`squeeze`, `unsqueeze`, `flatten`, `permute`, `view`, `expand`, `repeat` and `flip` of `Tensor`."""

    __slots__ = ()

    def squeeze(self, dim=None):
        """z = x without its size-1 axes (all, or those in `dim`)  →  dx = g reshaped back

        As in PyTorch, naming an axis whose size is not 1 leaves it in place (no error).
        """
        axes = range(self.ndim) if dim is None else normalize_axes(dim, max(self.ndim, 1), "squeeze")
        shape = tuple(n for i, n in enumerate(self.shape) if not (i in axes and n == 1))
        return self.reshape(shape)

    def unsqueeze(self, dim):
        """z = x with a new size-1 axis at `dim` (−1 is last)  →  dx = g reshaped back"""
        (dim,) = normalize_axes(dim, self.ndim + 1, "unsqueeze", single=True)
        return self.reshape(self.shape[:dim] + (1,) + self.shape[dim:])

    def flatten(self, start_dim=0, end_dim=-1):
        """z = x with axes start_dim…end_dim merged into one  →  dx = g reshaped back"""
        if self.ndim == 0:
            for d in (start_dim, end_dim):  # a 0-d tensor flattens to (1,); its dims are 0 and -1
                normalize_axes(d, 1, "flatten", single=True)
            return self.reshape(1)
        start, end = (normalize_axes(d, self.ndim, "flatten", single=True)[0] for d in (start_dim, end_dim))
        if start > end:
            raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} in {self.shape}")
        merged = int(np.prod(self.shape[start : end + 1]))
        return self.reshape(self.shape[:start] + (merged,) + self.shape[end + 1 :])

    def permute(self, *dims):
        """z = x with its axes reordered: z's axis i is x's axis dims[i]  →  dx = g, inverse order"""
        dims = unpack_sizes(dims)
        if not all(map(is_int, dims)):
            raise TypeError(f"permute: dims must be ints, got {tuple(dims)}")
        if len(dims) != self.ndim:
            raise ValueError(f"permute: {len(dims)} dims given for {self.shape}, which has {self.ndim} axes")
        return self.transpose(dims)

    def view(self, *shape):
        """PyTorch's name for `reshape` (numpy arrays have no strides to share here, so no difference)."""
        return self.reshape(*shape)

    def expand(self, *sizes):
        """z = x broadcast to `sizes` (−1 keeps that size)  →  dx = g summed over the copies"""
        sizes = _sizes(sizes, "expand")
        if len(sizes) < self.ndim:
            raise ValueError(f"expand: {len(sizes)} sizes given for {self.shape}, which has {self.ndim} axes")
        kept = (None,) * (len(sizes) - self.ndim) + self.shape
        if any(s == -1 and n is None for s, n in zip(sizes, kept)):
            raise ValueError(f"expand: -1 in {sizes} is only allowed for the existing axes of {self.shape}")
        return self.broadcast_to(tuple(n if s == -1 else s for s, n in zip(sizes, kept)))

    def repeat(self, *sizes):
        """z = x tiled sizes[i] times along axis i (numpy's tile)  →  dx = the tiles of g summed"""
        sizes = _sizes(sizes, "repeat")
        if len(sizes) < self.ndim or any(s < 0 for s in sizes):
            raise ValueError(f"repeat: sizes {sizes}: none negative, one per axis of {self.shape} or more")
        x = self
        shape = (1,) * (len(sizes) - x.ndim) + x.shape  # x with axes of 1 put in front, as PyTorch does
        check_elements("repeat", [r * n for r, n in zip(sizes, shape)])

        def backward(g, out):
            tiles = g.reshape(tuple(n for pair in zip(sizes, shape) for n in pair))  # (r₀, s₀, r₁, s₁, …)
            return (tiles.sum(axis=tuple(range(0, 2 * len(sizes), 2))).reshape(x.shape),)

        return self._from_op(np.tile(x.data, sizes), (x,), backward, "repeat")

    def flip(self, dims):
        """z = x reversed along each axis in `dims`  →  dx = g reversed along the same axes"""
        axes = normalize_axes(dims, self.ndim, "flip") if self.ndim else ()
        out = np.flip(self.data, axes).copy()
        return self._from_op(out, (self,), lambda g, out: (g.flip(axes),), "flip")


def _sizes(sizes, op):
    """`sizes` given as ints or as one tuple/list of ints, as a tuple; TypeError otherwise."""
    sizes = unpack_sizes(sizes)
    if not all(map(is_int, sizes)):
        raise TypeError(f"{op}: sizes must be ints, got {tuple(sizes)}")
    return tuple(int(s) for s in sizes)
