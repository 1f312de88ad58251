"""Shape ops: reshape, transpose and indexing, each backward beside its forward (lesson 4).

None of them computes: each moves or picks elements, so each backward moves the
gradient back to where the elements came from.
"""

import numpy as np

from tinygrad_edu.autograd._checks import is_int, unpack_sizes
from tinygrad_edu.autograd.ops.arithmetic import unbroadcast


class ShapeOps:
    """`reshape`, `transpose`/`T`/`mT`, `broadcast_to` and `t[index]` of `Tensor`."""

    __slots__ = ()

    def reshape(self, *shape):
        """z = x viewed with a new shape  →  dx = g reshaped back"""
        x = self
        shape = unpack_sizes(shape)
        if not all(map(is_int, shape)):
            raise TypeError(f"reshape: the new shape must be ints, got {tuple(shape)}")
        try:
            out = x.data.reshape(shape)
        except ValueError:
            raise ValueError(
                f"cannot reshape a tensor of shape {x.shape} ({x.size} elements) into {tuple(shape)}"
            ) from None
        return self._from_op(out, (x,), lambda g, out: (g.reshape(x.shape),), "reshape")

    def transpose(self, *axes):
        """z = x with axes permuted (reversed if none given)  →  dx = g with the inverse permutation"""
        x = self
        axes = unpack_sizes(axes)
        axes = tuple(axes) if axes else tuple(reversed(range(x.ndim)))
        if not all(map(is_int, axes)):
            raise TypeError(f"transpose: axes must be ints, got {axes}")
        nonnegative = [a + x.ndim if a < 0 else a for a in axes]
        if sorted(nonnegative) != list(range(x.ndim)):
            raise ValueError(f"transpose axes {axes} are not a permutation of the {x.ndim} axes of {x.shape}")
        inverse = tuple(np.argsort(nonnegative))
        out = x.data.transpose(axes)
        return self._from_op(out, (x,), lambda g, out: (g.transpose(inverse),), "transpose")

    T = property(lambda self: self.transpose(), doc="The tensor with its axes reversed.")
    mT = property(
        lambda self: self.transpose(*range(self.ndim - 2), self.ndim - 1, self.ndim - 2),
        doc="The tensor with its last two axes swapped (a batch of matrices, each transposed).",
    )

    def broadcast_to(self, shape):
        """z = x broadcast to `shape` (numpy's rules)  →  dx = g summed over the broadcast axes"""
        x = self
        shape = tuple(shape)
        if not all(map(is_int, shape)):
            raise TypeError(f"broadcast_to: the shape must be ints, got {shape}")
        try:
            out = np.broadcast_to(x.data, shape)  # a read-only view: no copy
        except ValueError:
            raise ValueError(f"broadcast_to: shape {x.shape} cannot be broadcast to {shape}") from None
        return self._from_op(out, (x,), lambda g, out: (unbroadcast(g, x.shape),), "broadcast_to")

    def __getitem__(self, index):
        """z = x[index]  →  dx = zeros with g added at the indexed places (repeats add up)

        Index arrays and lists are copied: changing them after the forward pass
        cannot change the gradient; a bool or integer Tensor (`x[x > 0]`) indexes as its array.
        Mixed basic and advanced indices order the result's axes as numpy does, on purpose:
        `x[0, :, [0, 1]]` of a (2, 3, 4) x has shape (2, 3), PyTorch's (3, 2).
        """
        x = self
        index = _frozen(index, type(self))
        out = x.data[index]
        return self._from_op(out, (x,), lambda g, out: (_index_add(g, index, x.shape),), "index")


def _index_add(g, index, shape):
    """z = zeros(shape) with g added at x[index]  →  dg = gz[index] (the op indexing's backward is)"""
    out = np.zeros(shape, dtype=g.dtype)
    if _is_basic_index(index):  # slices and ints pick each element at most once
        out[index] = g.data
    else:  # integer arrays may pick an element twice: its gradients must add up
        np.add.at(out, index, g.data)
    return g._from_op(out, (g,), lambda gz, out: (gz[index],), "index_add")


def _frozen(index, tensor_type):
    """`index` with every array, list or bool/integer Tensor in it copied to a read-only array (ints,
    slices kept); a float Tensor is refused."""
    parts = index if isinstance(index, tuple) else (index,)
    frozen = []
    for part in parts:
        if isinstance(part, tensor_type):
            if part.dtype.kind not in "biu":
                raise TypeError(
                    "index with a bool or integer Tensor (such as x > 0), or a numpy array or list, "
                    f"not a Tensor of {part.dtype}"
                )
            part = part.data
        if isinstance(part, (list, np.ndarray)):
            part = np.array(part)
            part.flags.writeable = False
        frozen.append(part)
    return tuple(frozen) if isinstance(index, tuple) else frozen[0]


def _is_basic_index(index):
    """True for indices made of ints, slices, None and Ellipsis only (no arrays, lists or masks)."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, np.integer, slice)) for p in parts)
