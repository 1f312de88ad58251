"""More elementwise ops, with PyTorch's names and arguments: roots, signs, logs and powers of 2, sin
and cos, clamping, maximum/minimum of two tensors, `where`, and the nan/inf tests (lesson 4).

Each backward is written with Tensor ops beside its forward, so second derivatives work
(`create_graph=True`). At a kink the derivative is PyTorch's: abs passes sign(x) (0 at 0), clamp
passes g where min ≤ x ≤ max (bounds included), maximum and minimum split g half and half between
ties, sign passes 0. `isnan`, `isinf` and `isfinite` give bool tensors, outside the graph.
"""

import math
import numbers

import numpy as np

from tinygrad_edu.autograd.ops.arithmetic import times_constant, unbroadcast

_LN2 = math.log(2.0)


class ElementwiseOps:
    """`sqrt rsqrt abs sign log2 exp2 sin cos pow clamp clip maximum minimum where isnan isinf` of Tensor."""

    __slots__ = ()

    def sqrt(self):
        """z = √x  →  dx = g / (2z)  (inf at x = 0 and nan for x < 0, as in PyTorch)"""
        with np.errstate(invalid="ignore"):
            out = np.sqrt(self.data)
        return self._from_op(out, (self,), lambda g, out: (g / (out * 2.0),), "sqrt")

    def rsqrt(self):
        """z = 1/√x  →  dx = −g z³ / 2"""
        with np.errstate(divide="ignore", invalid="ignore"):
            out = 1.0 / np.sqrt(self.data)

        def backward(g, out):
            return (g * out * out * out * -0.5,)

        return self._from_op(out.astype(self.dtype), (self,), backward, "rsqrt")

    def abs(self):
        """z = |x|  →  dx = g · sign(x)  (0 at x = 0, as in PyTorch)"""
        x = self

        def backward(g, out):
            return (times_constant(g, np.sign(x.data)),)

        return self._from_op(np.abs(x.data), (x,), backward, "abs")

    def sign(self):
        """z = sign(x) ∈ {−1, 0, 1}  →  dx = 0 (a step: 0 wherever it has a derivative, as in PyTorch)"""
        return self._from_op(np.sign(self.data), (self,), lambda g, out: (_zeros_like(g),), "sign")

    def log2(self):
        """z = log₂ x  →  dx = g / (x ln 2)"""
        x = self
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.log2(x.data)
        return self._from_op(out, (x,), lambda g, out: (g / (x * _LN2),), "log2")

    def exp2(self):
        """z = 2ˣ  →  dx = g · z ln 2"""
        return self._from_op(np.exp2(self.data), (self,), lambda g, out: (g * out * _LN2,), "exp2")

    def sin(self):
        """z = sin x  →  dx = g · cos x"""
        x = self
        return self._from_op(np.sin(x.data), (x,), lambda g, out: (g * x.cos(),), "sin")

    def cos(self):
        """z = cos x  →  dx = −g · sin x"""
        x = self
        return self._from_op(np.cos(x.data), (x,), lambda g, out: (-(g * x.sin()),), "cos")

    def pow(self, exponent):
        """z = x ** exponent (PyTorch's method spelling of `**`; the gradients are those of `**`)"""
        return self**exponent

    # ---- clamping ----
    def clamp(self, min=None, max=None):
        """z = min(max(x, min), max), a bound None is not applied  →  dx = g where min ≤ x ≤ max, else 0

        As in PyTorch: at least one bound; the bounds are numbers (±inf allowed, nan refused), taken in
        the tensor's dtype; at a bound the gradient passes (x = min counts as inside). With
        min > max every element is max, and its gradient 0. For tensor bounds, use
        `x.maximum(low).minimum(high)`.
        """
        return _clamp(self, min, max, "clamp")

    def clip(self, min=None, max=None):
        """Another name of `clamp` (numpy's and PyTorch's): z = min(max(x, min), max)  →  dx = g inside"""
        return _clamp(self, min, max, "clip")

    # ---- two tensors ----
    def maximum(self, other):
        """z = max(x, y) elementwise, broadcast  →  dx = g where x > y, dy = g where y > x, g/2 each at ties

        (The split at ties is PyTorch's; nan wins, as in numpy and PyTorch.)
        """
        return _extremum(self, other, np.maximum, "maximum")

    def minimum(self, other):
        """z = min(x, y) elementwise, broadcast  →  dx = g where x < y, dy = g where y < x, g/2 at ties"""
        return _extremum(self, other, np.minimum, "minimum")

    def where(self, condition, other):
        """z = x where condition, else other (`x.where(c, y)` is `where(c, x, y)`)  →  dx = g where c, else 0

        dother = g where not c, else 0. See `tinygrad_edu.where`.
        """
        return where(condition, self, other)

    # ---- tests (no gradient) ----
    def isnan(self):
        """A bool tensor: True where x is nan (outside the graph: no gradient)."""
        return self._from_op(np.isnan(self.data), (), None, "isnan")

    def isinf(self):
        """A bool tensor: True where x is +inf or −inf (outside the graph: no gradient)."""
        return self._from_op(np.isinf(self.data), (), None, "isinf")

    def isfinite(self):
        """A bool tensor: True where x is neither nan nor ±inf (outside the graph: no gradient)."""
        return self._from_op(np.isfinite(self.data), (), None, "isfinite")


def where(condition, input, other):
    """z = input where condition, else other, all three broadcast  →  d input = g where condition, else 0;
    d other = g where not condition, else 0

    `condition` is a bool Tensor (such as `x > 0`) or a numpy array (or list) of bools; `input` and
    `other` are Tensors or numbers (or arrays), in the dtype of the Tensor among them, as in
    PyTorch's `torch.where`. The gradient reaches only the side chosen at each element.
    """
    mask = _condition(condition)
    tensors = [t for t in (input, other) if isinstance(t, ElementwiseOps)]
    floats = [t for t in tensors if t.dtype.kind == "f"]
    if floats or tensors:
        base = (floats or tensors)[0]
    elif isinstance(condition, ElementwiseOps):
        base = condition._constant(input)  # two numbers: a float32 tensor, as PyTorch's default dtype
    else:
        raise TypeError(
            "where: input or other must be a Tensor (or condition a bool Tensor), got "
            f"{type(input).__name__} and {type(other).__name__}"
        )
    x, y = base._constant(input), base._constant(other)
    try:
        shape = np.broadcast_shapes(mask.shape, x.shape, y.shape)
    except ValueError:
        raise ValueError(
            f"where: condition of shape {mask.shape}, input of shape {x.shape} and other of shape "
            f"{y.shape} cannot be broadcast together"
        ) from None
    mask_full = np.broadcast_to(mask, shape)

    def backward(g, out):
        dx = unbroadcast(g.masked_fill(~mask_full, 0.0), x.shape) if x.requires_grad else None
        dy = unbroadcast(g.masked_fill(mask_full, 0.0), y.shape) if y.requires_grad else None
        return dx, dy

    return base._from_op(np.where(mask, x.data, y.data), (x, y), backward, "where")


def _condition(condition):
    """`where`'s condition as a bool numpy array of its own: changing the caller's cannot change a grad."""
    if isinstance(condition, ElementwiseOps):
        mask = condition.data.copy()
    elif isinstance(condition, (np.ndarray, np.generic, list, tuple, bool)):
        mask = np.array(condition)
    else:
        raise TypeError(
            "where: condition must be a bool Tensor (e.g. x > 0) or a bool array, "
            f"got {type(condition).__name__}"
        )
    if mask.dtype != bool:
        raise TypeError(
            f"where: condition must hold booleans (e.g. x > 0), got dtype {mask.dtype}; "
            "compare it first, e.g. where(c != 0, x, y)"
        )
    return mask


def _bound(x, value, name, op):
    """A clamp bound: None, or a number (not nan) in x's dtype; a clear error naming `op` otherwise."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        hint = " (for a tensor bound use maximum/minimum)" if isinstance(value, ElementwiseOps) else ""
        shown = f"{type(value).__name__} {value!r:.60}"
        raise TypeError(f"{op}: {name} must be a number or None, got {shown}{hint}")
    try:
        as_float = float(value)
    except OverflowError:  # an int beyond any float, such as 10**400
        raise ValueError(f"{op}: {name} is an integer too large for a float; use math.inf") from None
    if math.isnan(as_float):
        raise ValueError(f"{op}: {name} is nan, which would make every element nan")
    with np.errstate(over="ignore"):  # 1e39 in float32 is inf: no bound above, as in PyTorch
        return x.dtype.type(as_float)


def _clamp(x, low, high, op):
    """clamp's forward and backward, with `op` (clamp or clip) named in the errors."""
    low, high = _bound(x, low, "min", op), _bound(x, high, "max", op)
    if low is None and high is None:
        raise ValueError(f"{op}: at least one of min and max must be given (not None), as in PyTorch")
    out, inside = x.data, np.ones(x.shape, dtype=bool)
    if low is not None:
        out, inside = np.maximum(out, low), inside & (x.data >= low)
    if high is not None:
        out, inside = np.minimum(out, high), inside & (x.data <= high)
    return x._from_op(out, (x,), lambda g, out: (times_constant(g, inside),), op)


def _extremum(x, other, pick, op):
    """maximum's or minimum's forward (`pick`) and backward: each side's share of g, ties halved."""
    y = x._broadcast_op(other, op)
    out = pick(x.data, y.data)

    def backward(g, out):  # PyTorch's rule: g/2 at ties, else g to the side that is not beaten
        ties = x.data == y.data
        x_beaten = x.data < y.data if op == "maximum" else x.data > y.data
        y_beaten = y.data < x.data if op == "maximum" else y.data > x.data
        dx = dy = None
        if x.requires_grad:
            dx = unbroadcast(times_constant(g, np.where(ties, 0.5, ~x_beaten).astype(g.dtype)), x.shape)
        if y.requires_grad:
            dy = unbroadcast(times_constant(g, np.where(ties, 0.5, ~y_beaten).astype(g.dtype)), y.shape)
        return dx, dy

    return x._from_op(out, (x, y), backward, op)


def _zeros_like(g):
    """A zero gradient of g's shape and dtype, outside any graph (sign's derivative)."""
    return g._from_op(np.zeros_like(g.data), (), None, "zeros")
