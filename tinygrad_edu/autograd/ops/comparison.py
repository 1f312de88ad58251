"""Comparisons and the bool tensors they give, as in PyTorch (lesson 4).

`x == y`, `x < y`, … (and the methods `eq ne lt le gt ge`) compare elementwise, broadcast, and give
a bool tensor outside the graph: a comparison is a step function, whose derivative is 0 wherever it
has one, so it carries no gradient (requires_grad is False). Numbers and arrays are taken in the
tensor's dtype first, as in every op. Bool tensors combine with `~ & | ^`, select with
`where(c, x, y)` and `masked_fill`, index (`x[x > 0]`), and turn into numbers with `.float()` /
`.double()`; in arithmetic a bool tensor is taken in the other operand's dtype, so `(x > 0) * x` is
a float tensor, as in PyTorch.

Tensors stay hashable by identity (`__hash__` is object's), as in PyTorch: sets and dict keys of
tensors, which the graph walks and optimizers use, mean "this tensor", never "equal values".
`bool(x == y)` needs a one-element tensor (ops/protocols.py): for more, say `.all()` or `.any()`
on the data. As in PyTorch, `x == None`, `x == "a"` or `x == [1, 2]` is False and `x < None` a
TypeError (Python's fallback: the operators compare elementwise with numbers, numpy arrays and tensors
only; the methods also take lists). A Value is refused: the two engines never mix.
"""

import numbers

import numpy as np

from tinygrad_edu.autograd.scalar import Value


class ComparisonOps:
    """`== != < <= > >=`, `eq ne lt le gt ge`, `~ & | ^` of bool tensors, and `float`/`double`."""

    __slots__ = ()
    __hash__ = object.__hash__  # defining __eq__ would otherwise make tensors unhashable

    def __eq__(self, other):
        return self.eq(other) if _comparable(other) else NotImplemented

    def __ne__(self, other):
        return self.ne(other) if _comparable(other) else NotImplemented

    def __lt__(self, other):
        return self.lt(other) if _comparable(other) else NotImplemented

    def __le__(self, other):
        return self.le(other) if _comparable(other) else NotImplemented

    def __gt__(self, other):
        return self.gt(other) if _comparable(other) else NotImplemented

    def __ge__(self, other):
        return self.ge(other) if _comparable(other) else NotImplemented

    def eq(self, other):
        """z = (x == y) elementwise, broadcast: a bool tensor, no gradient"""
        return _compare(self, other, np.equal, "eq")

    def ne(self, other):
        """z = (x ≠ y) elementwise, broadcast: a bool tensor, no gradient (True where either is nan)"""
        return _compare(self, other, np.not_equal, "ne")

    def lt(self, other):
        """z = (x < y) elementwise, broadcast: a bool tensor, no gradient"""
        return _compare(self, other, np.less, "lt")

    def le(self, other):
        """z = (x ≤ y) elementwise, broadcast: a bool tensor, no gradient"""
        return _compare(self, other, np.less_equal, "le")

    def gt(self, other):
        """z = (x > y) elementwise, broadcast: a bool tensor, no gradient"""
        return _compare(self, other, np.greater, "gt")

    def ge(self, other):
        """z = (x ≥ y) elementwise, broadcast: a bool tensor, no gradient"""
        return _compare(self, other, np.greater_equal, "ge")

    # ---- logic on bool tensors ----
    def __invert__(self):
        _check_bool(self.dtype, "~")
        return self._from_op(~self.data, (), None, "~")

    def __and__(self, other):
        return _logical(self, other, np.logical_and, "&")

    def __or__(self, other):
        return _logical(self, other, np.logical_or, "|")

    def __xor__(self, other):
        return _logical(self, other, np.logical_xor, "^")

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__  # symmetric

    # ---- casts ----
    def float(self):
        """This tensor as float32 (a bool tensor: 1.0 where True, 0.0 elsewhere)  →  dx = g in x's dtype

        As PyTorch's `.float()`: a float32 tensor is returned as it is.
        """
        return _cast(self, np.float32, "float")

    def double(self):
        """This tensor as float64 (a bool tensor: 1.0 where True, 0.0 elsewhere)  →  dx = g in x's dtype"""
        return _cast(self, np.float64, "double")


def _comparable(other):
    """Whether the operators compare with `other` elementwise; for anything else Python's fallback holds
    (== is False, < a TypeError). A Value is taken, to be refused with the reason (engines never mix)."""
    return isinstance(other, (numbers.Number, np.ndarray, np.generic, ComparisonOps, Value))


def _compare(x, other, compare, op):
    """A bool tensor, outside the graph, of `compare` (a numpy comparison) of x and other broadcast."""
    y = x._broadcast_op(other, op)  # numbers and arrays in x's dtype; a Value or a text refused
    return x._from_op(compare(x.data, y.data), (), None, op)


def _check_bool(dtype, op):
    if dtype != np.bool_:
        raise TypeError(
            f"{op} needs bool tensors (such as x > 0), got {dtype}; compare first, e.g. (x > 0) {op} (y > 0)"
            if op != "~"
            else f"~ needs a bool tensor (such as x > 0), got {dtype}"
        )


def _logical(x, other, combine, op):
    """`combine` (np.logical_and, …) of two bool tensors (or a bool tensor and bools), broadcast."""
    _check_bool(x.dtype, op)
    y = other.data if isinstance(other, ComparisonOps) else np.asarray(other)
    _check_bool(y.dtype, op)
    try:
        out = combine(x.data, y)
    except ValueError:
        raise ValueError(f"{op}: shapes {x.shape} and {y.shape} cannot be broadcast together") from None
    return x._from_op(out, (), None, op)


def _cast(x, dtype, op):
    """x as `dtype` (x itself if it has it)  →  dx = g cast back to x's dtype"""
    if x.dtype == dtype:
        return x
    source = x.dtype

    def backward(g, out):
        return (_cast(g, source, op),)

    return x._from_op(x.data.astype(dtype), (x,), backward, op)
