"""Joining and splitting: cat, stack, split and chunk, each backward beside its forward.

Like the other shape ops none of them computes: the backward of a join cuts the
gradient back into the pieces, and the backward of a piece is its slice of g.
"""

import numpy as np

from tinygrad_edu.autograd._checks import int_sequence, is_int, normalize_axes


def cat(tensors, dim=0):
    """z = [x₁, x₂, …] joined along `dim` (shapes equal elsewhere)  →  dxᵢ = g's slice where xᵢ went"""
    tensors = _same_kind(tensors, "cat")
    first = tensors[0]
    if first.ndim == 0:
        raise ValueError("cat: zero-dimensional tensors cannot be joined; use stack")
    (dim,) = normalize_axes(dim, first.ndim, "cat", single=True)
    for i, t in enumerate(tensors):
        others_equal = t.shape[:dim] + t.shape[dim + 1 :] == first.shape[:dim] + first.shape[dim + 1 :]
        if t.ndim != first.ndim or not others_equal:
            raise ValueError(
                f"cat: tensor {i} has shape {t.shape} but tensor 0 has shape {first.shape}; "
                f"they may differ only along dim {dim}"
            )
    ends = np.cumsum([t.shape[dim] for t in tensors])
    out = np.concatenate([t.data for t in tensors], axis=dim)

    def backward(g, out):
        before = (slice(None),) * dim
        return tuple(g[before + (slice(end - t.shape[dim], end),)] for t, end in zip(tensors, ends))

    return first._from_op(out, tensors, backward, "cat")


def stack(tensors, dim=0):
    """z = [x₁, x₂, …] stacked along a new axis `dim` (same shapes)  →  dxᵢ = g[…, i, …]"""
    tensors = _same_kind(tensors, "stack")
    first = tensors[0]
    (dim,) = normalize_axes(dim, first.ndim + 1, "stack", single=True)
    for i, t in enumerate(tensors):
        if t.shape != first.shape:
            raise ValueError(f"stack: tensor {i} has shape {t.shape} but tensor 0 has shape {first.shape}")
    return cat([t.unsqueeze(dim) for t in tensors], dim=dim)


def _same_kind(tensors, op):
    """`tensors` as a tuple of Tensors of one dtype; TypeError naming the first that is not."""
    if isinstance(tensors, JoiningOps) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{op} takes a list or tuple of Tensors, got {type(tensors).__name__}")
    if not tensors:
        raise ValueError(f"{op} needs at least one tensor")
    for i, t in enumerate(tensors):
        if not isinstance(t, JoiningOps):  # Tensor inherits JoiningOps (importing Tensor is a cycle)
            raise TypeError(f"{op}: item {i} is a {type(t).__name__}, not a Tensor")
        if t.dtype != tensors[0].dtype:
            raise TypeError(f"{op}: tensor {i} is {t.dtype} but tensor 0 is {tensors[0].dtype}")
    return tuple(tensors)


class JoiningOps:
    """`split` and `chunk` of `Tensor` (`cat` and `stack` are functions: they take many tensors)."""

    __slots__ = ()

    def split(self, split_size_or_sections, dim=0):
        """Pieces of `split_size` along `dim` (the last may be shorter), or of the listed sizes

        Each piece is x[…, a:b, …], so its backward is the indexing one: g placed back at a:b.
        """
        (dim,) = normalize_axes(dim, self.ndim, "split", single=True)
        length = self.shape[dim]
        sizes = split_size_or_sections
        if is_int(sizes):
            if sizes <= 0:
                raise ValueError(f"split: split_size must be positive, got {sizes}")
            sizes = [sizes] * (length // sizes) + ([length % sizes] if length % sizes else [])
        elif (sizes := int_sequence(sizes)) is None or not all(map(is_int, sizes)):
            raise TypeError(
                "split: split_size_or_sections must be an int or a list of ints, "
                f"got {split_size_or_sections!r}"
            )
        elif any(s < 0 for s in sizes) or sum(sizes) != length:
            raise ValueError(
                f"split: sections {list(sizes)} must be non-negative and add up to {length}, "
                f"the size of dim {dim} of {self.shape}"
            )
        ends = np.cumsum(sizes, dtype=int)
        before = (slice(None),) * dim
        return tuple(self[before + (slice(end - size, end),)] for size, end in zip(sizes, ends))

    def chunk(self, chunks, dim=0):
        """`chunks` pieces along `dim` of ⌈n / chunks⌉ each (PyTorch's sizes: fewer if they run out)"""
        if not is_int(chunks):
            raise TypeError(f"chunk: chunks must be an int, got {type(chunks).__name__} {chunks!r}")
        if chunks <= 0:
            raise ValueError(f"chunk: chunks must be positive, got {chunks}")
        (dim,) = normalize_axes(dim, self.ndim, "chunk", single=True)
        return self.split(max(1, -(-self.shape[dim] // chunks)), dim)
