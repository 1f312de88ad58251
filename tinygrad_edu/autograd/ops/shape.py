"""Shape ops: reshape, transpose and indexing, each backward beside its forward (lesson 4).

None of them computes: each moves or picks elements, so each backward moves the
gradient back to where the elements came from.
"""

import numpy as np

from tinygrad_edu.autograd._checks import is_int


class ShapeOps:
    """`reshape`, `transpose`/`T` and `t[index]` of `Tensor`."""

    __slots__ = ()

    def reshape(self, *shape):
        """z = x viewed with a new shape  →  dx = g reshaped back"""
        x = self
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        if not all(map(is_int, shape)):
            raise TypeError(f"reshape: the new shape must be ints, got {tuple(shape)}")
        try:
            out = x.data.reshape(shape)
        except ValueError:
            raise ValueError(
                f"cannot reshape a tensor of shape {x.shape} ({x.size} elements) into {tuple(shape)}"
            ) from None
        return self._from_op(out, (x,), lambda g: (g.reshape(x.shape),), "reshape")

    def transpose(self, *axes):
        """z = x with axes permuted (reversed if none given)  →  dx = g with the inverse permutation"""
        x = self
        axes = axes[0] if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        axes = tuple(axes) if axes else tuple(reversed(range(x.ndim)))
        if not all(map(is_int, axes)):
            raise TypeError(f"transpose: axes must be ints, got {axes}")
        nonnegative = [a + x.ndim if a < 0 else a for a in axes]
        if sorted(nonnegative) != list(range(x.ndim)):
            raise ValueError(f"transpose axes {axes} are not a permutation of the {x.ndim} axes of {x.shape}")
        inverse = tuple(np.argsort(nonnegative))
        return self._from_op(x.data.transpose(axes), (x,), lambda g: (g.transpose(inverse),), "transpose")

    T = property(lambda self: self.transpose(), doc="The tensor with its axes reversed.")

    def __getitem__(self, index):
        """z = x[index]  →  dx = zeros with g added at the indexed places (repeats add up)"""
        x = self
        if isinstance(index, type(self)):
            raise TypeError("index with an integer numpy array or list, not a Tensor")
        out = x.data[index]

        def backward(g):
            dx = np.zeros_like(x.data)
            if _is_basic_index(index):  # slices and ints pick each element at most once
                dx[index] = g
            else:  # integer arrays may pick an element twice: its gradients must add up
                np.add.at(dx, index, g)
            return (dx,)

        return self._from_op(out, (x,), backward, "index")


def _is_basic_index(index):
    """True for indices made of ints, slices, None and Ellipsis only (no arrays, lists or masks)."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, np.integer, slice)) for p in parts)
