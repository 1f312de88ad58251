"""Layout ops: squeeze, unsqueeze, flatten and permute, each backward beside its forward.

Each one only relabels the axes of the same elements, so each backward relabels g back.
"""

import numpy as np

from tinygrad_edu.autograd._checks import is_int, normalize_axes


class LayoutOps:
    """`squeeze`, `unsqueeze`, `flatten` and `permute` of `Tensor`."""

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
        dims = dims[0] if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims
        if not all(map(is_int, dims)):
            raise TypeError(f"permute: dims must be ints, got {tuple(dims)}")
        if len(dims) != self.ndim:
            raise ValueError(f"permute: {len(dims)} dims given for {self.shape}, which has {self.ndim} axes")
        return self.transpose(dims)
