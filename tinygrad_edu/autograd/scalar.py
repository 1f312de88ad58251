"""Value: the scalar autograd engine (lesson 2).

Every op computes its result and, right beside it, its local derivatives
∂out/∂input, one per input. `backward()` then applies the chain rule over the
graph in reverse topological order:  input.grad += ∂out/∂input · out.grad.

Arithmetic at the edges: one rule, the one `Tensor` (numpy float64) and PyTorch
follow, IEEE 754. No op raises for a number outside its domain: a result too
large is ±inf (`Value(1000.0).exp()`, `Value(1e200) ** 2`), division by zero is
±inf (0/0 is nan), an undefined result is nan (log of a negative number,
`(-8) ** 0.5`), and a nan input gives a nan output (`Value(nan).relu()` is nan,
as in PyTorch). Local derivatives follow the same rule and PyTorch's formulas,
e.g. ∂(a ** b)/∂a = 0 when b = 0 and ∂(a ** b)/∂b = 0 when a = 0 and b ≥ 0.
"""

import math
import numbers

import numpy as np

from tinygrad_edu.autograd._checks import check_flag
from tinygrad_edu.autograd.backward import Roots, check_create_graph
from tinygrad_edu.autograd.grad_mode import grad_mode
from tinygrad_edu.autograd.graph import cycle_collector_paused, topological_order


class Value:
    """A scalar that remembers how it was computed, so it can be differentiated.

    `data` is the number, `grad` is ∂(the last `backward()` root)/∂self, which
    accumulates across `backward()` calls on leaves (as in PyTorch) until reset.
    As a number to Python, a Value is its data: `bool(v)`, `float(v)` (as PyTorch's
    one-element tensors; the graph does not follow). `==` and hashing are by identity,
    as a graph node's are: compare `v.data` to compare numbers.
    """

    __slots__ = ("data", "grad", "_parents", "_local_grads", "_op", "_made_under_no_grad", "_exponent")

    def __init__(self, data, _parents=(), _local_grads=(), _op=""):
        self.data = data if type(data) is float else _to_float(data)
        self.grad = 0.0
        recording = _parents and grad_mode.enabled  # this thread's flag that no_grad() sets
        self._parents = _parents if recording else ()
        self._local_grads = _local_grads if recording else ()
        self._op = _op
        self._made_under_no_grad = bool(_parents) and not recording  # an op's result, cut from its inputs

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    def __bool__(self):
        """The truth of `data` (Value(0.0) is False), as `bool` of a PyTorch scalar tensor."""
        return bool(self.data)

    def __float__(self):
        """`data`, as `float` of a PyTorch scalar tensor (no gradient flows through it)."""
        return self.data

    # ---- arithmetic: result, (parents), (∂result/∂parent for each parent) ----
    def __add__(self, other):
        """a + b  →  ∂/∂a = 1, ∂/∂b = 1"""
        if type(other) is not Value:  # (a Value is the common case: no call to wrap it)
            other = Value(other)
        return _result(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other):
        """a · b  →  ∂/∂a = b, ∂/∂b = a"""
        if type(other) is not Value:
            other = Value(other)
        return _result(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __pow__(self, exponent):
        """a ** b  →  ∂/∂a = b·a^(b−1) (0 if b = 0),  ∂/∂b = a^b · ln a (0 if a = 0 and b ≥ 0)

        As in PyTorch: x ** 0 is the constant 1 even at x = 0, and 0 ** b for b > 0
        is the constant 0, so neither passes on a nan. For a < 0, ln a (so ∂/∂b) is nan.
        """
        a, b = self.data, exponent.data if isinstance(exponent, Value) else exponent
        if isinstance(b, bool) or not isinstance(b, numbers.Real):
            return NotImplemented
        out = _power(a, b)
        d_base = 0.0 if b == 0 else b * _power(a, b - 1)
        if not isinstance(exponent, Value):
            result = _result(out, (self,), (d_base,), f"**{b:g}")
            result._exponent = b  # (set on this op's results only) for a backward with create_graph
            return result
        d_exponent = 0.0 if a == 0 and b >= 0 else out * _log(a)
        return _result(out, (self, exponent), (d_base, d_exponent), "**")

    def __rpow__(self, base):
        """c ** a for a number c  →  ∂/∂a = c^a · ln c"""
        return _as_value(base) ** self

    def __sub__(self, other):
        """a − b  →  ∂/∂a = 1, ∂/∂b = −1"""
        if type(other) is not Value:
            other = Value(other)
        return _result(self.data - other.data, (self, other), (1.0, -1.0), "-")

    def __truediv__(self, other):
        """a / b  →  ∂/∂a = 1/b, ∂/∂b = −a/b²"""
        if type(other) is not Value:
            other = Value(other)
        out = _divide(self.data, other.data)
        return _result(out, (self, other), (_divide(1.0, other.data), _divide(-out, other.data)), "/")

    def __neg__(self):
        """−a  →  ∂/∂a = −1"""
        return _result(-self.data, (self,), (-1.0,), "neg")

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return _as_value(other) - self

    def __rtruediv__(self, other):
        return _as_value(other) / self

    # ---- elementary functions ----
    def exp(self):
        """e^a  →  ∂/∂a = e^a"""
        out = _exp(self.data)
        return _result(out, (self,), (out,), "exp")

    def log(self):
        """ln a  →  ∂/∂a = 1/a   (ln 0 = −inf; ln of a negative number is nan)"""
        return _result(_log(self.data), (self,), (_divide(1.0, self.data),), "log")

    def tanh(self):
        """tanh a  →  ∂/∂a = 1 − tanh²a"""
        t = math.tanh(self.data)
        return _result(t, (self,), (1.0 - t * t,), "tanh")

    def sigmoid(self):
        """σ(a) = 1/(1+e^−a), computed without overflow  →  ∂/∂a = σ(a)(1 − σ(a))"""
        a = self.data
        s = 1.0 / (1.0 + math.exp(-a)) if a >= 0 else math.exp(a) / (1.0 + math.exp(a))
        return _result(s, (self,), (s * (1.0 - s),), "sigmoid")

    def relu(self):
        """max(0, a)  →  ∂/∂a = 1 if a > 0 else 0 (0 at the kink a = 0, as in PyTorch; nan stays nan)"""
        positive = self.data > 0
        out = self.data if positive or math.isnan(self.data) else 0.0
        return _result(out, (self,), (1.0 if positive else 0.0,), "relu")

    # ---- reverse mode ----
    def backward(self, create_graph=False):
        """Set `grad` of every node this Value depends on to ∂self/∂node.

        Leaves (nodes with no parents) accumulate: their grad grows by ∂self/∂leaf
        on every call. Intermediate nodes are reset first, so they hold this
        call's gradient only. A result computed under `no_grad()` remembers no
        inputs, so backward() on it raises RuntimeError (as Tensor's does).
        With `create_graph=True` every grad is a Value with a graph of its own,
        so it can be differentiated again (`x.grad.backward()`).
        """
        if self._made_under_no_grad:
            raise RuntimeError(
                f"backward() through a Value computed under no_grad() (op {self._op!r}): it recorded "
                "no inputs, so no gradient can reach them; compute it outside no_grad()"
            )
        if check_flag("backward()", "create_graph", create_graph):
            for node, grad in Value._backpropagate((self,), (Value(1.0),), True, True):
                node.grad = node.grad + grad if not node._parents else grad
            return
        with cycle_collector_paused():
            order = topological_order(self)
            for node in order:
                if node._parents:
                    node.grad = 0.0
            self.grad += 1.0
            for node in reversed(order):
                for parent, local_grad in zip(node._parents, node._local_grads):
                    parent.grad += local_grad * node.grad

    @staticmethod
    def _backpropagate(outputs, seeds, retain_graph, create_graph, keep=()):
        """[(node, ∂(Σ seed · output)/∂node)] for every node reached; no `.grad` is touched (for `grad`).

        With `create_graph` the local derivatives are Values (`_local_grads_as_values`) and the
        walk records, so the results carry a graph. (A Value graph is never freed: `retain_graph`
        has nothing to keep.)
        """
        check_create_graph(create_graph)
        grads = {}
        for output, seed in zip(outputs, seeds):
            grads[id(output)] = seed if id(output) not in grads else grads[id(output)] + seed
        reached = []
        previous, grad_mode.enabled = grad_mode.enabled, create_graph
        try:
            with cycle_collector_paused():
                for node in reversed(topological_order(Roots(outputs))[:-1]):
                    g = grads.get(id(node))
                    if g is None:
                        continue
                    reached.append((node, g))
                    if not node._parents:
                        continue
                    local_grads = _local_grads_as_values(node) if create_graph else node._local_grads
                    for parent, local_grad in zip(node._parents, local_grads):
                        key = id(parent)  # the first contribution is the sum so far: no `0 +` in the graph
                        grads[key] = local_grad * g if key not in grads else grads[key] + local_grad * g
        finally:
            grad_mode.enabled = previous
        return reached

    def _seed(self, gradient, caller, argument="gradient"):
        """∂L/∂self as a Value: `gradient` (a number or a Value), 1 if None."""
        if gradient is None:
            return Value(1.0)
        return gradient if isinstance(gradient, Value) else Value(gradient)

    @property
    def requires_grad(self):
        """True unless computed under no_grad() (every Value can be differentiated)."""
        return not self._made_under_no_grad


def _local_grads_as_values(node):
    """∂node/∂parent for each parent, as Values computed from the parents (and node itself).

    The same formulas as the ops above, so a backward that records differentiates
    them again: e.g. ∂(eᵃ)/∂a = the node eᵃ itself, ∂(a·b)/∂a = the Value b.
    """
    op, parents = node._op, node._parents
    if op in ("+", "-", "neg", "relu"):  # constant local derivatives
        return node._local_grads
    if op == "*":
        return parents[1], parents[0]
    if op == "/":
        return 1.0 / parents[1], -node / parents[1]
    if op == "exp":
        return (node,)
    if op == "log":
        return (1.0 / parents[0],)
    if op == "tanh":
        return (1.0 - node * node,)
    if op == "sigmoid":
        return (node * (1.0 - node),)
    base = parents[0]
    if op == "**":  # a Value exponent
        b = parents[1]
        d_base = 0.0 if b.data == 0 else b * base ** (b - 1.0)
        return d_base, 0.0 if base.data == 0 and b.data >= 0 else node * base.log()
    c = node._exponent  # x ** c for a number c
    return (0.0 if c == 0 else c * base ** (c - 1),)


_new_value = object.__new__


def _result(data, parents, local_grads, op):
    """An op's result: `Value(data, parents, local_grads, op)`, minus what an op does not need.

    Why a second way to make a Value: the ops make one per node, a graph has many nodes, and
    an op's `data` is already a float it computed, so the constructor's number check is never
    needed here, and filling the slots of a bare object costs less than calling the class
    (Python's slower path: `type.__call__` then `__init__`). This, and the inline
    `type(other) is not Value` test in the binary ops (no call when `other` is already a
    Value), took ~10% off the forward pass of bench.py's scalar MLP (in one process, 15 rounds).
    The rules are `__init__`'s: under no_grad() no inputs are remembered, and the result says so.
    """
    out = _new_value(Value)
    out.data = data
    out.grad = 0.0
    out._op = op
    if grad_mode.enabled:  # this thread's flag that no_grad() sets
        out._parents, out._local_grads, out._made_under_no_grad = parents, local_grads, False
    else:
        out._parents, out._local_grads, out._made_under_no_grad = (), (), True
    return out


def _to_float(x):
    """The number `x` as a float; a clear TypeError for anything else."""
    if isinstance(x, Value):
        raise TypeError("Value(Value(...)) is ambiguous: use the Value itself, or Value(v.data)")
    if hasattr(x, "_parents"):  # a Tensor (this module does not import the array engine)
        raise TypeError(
            "a Value and a Tensor do not mix: the two engines keep separate graphs, so no gradient "
            "could cross between them; use Value(t.item()) for a tensor's number, or Tensor(v.data)"
        )
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"Value takes a real number, got {type(x).__name__}: {x!r}")
    try:
        return float(x)
    except OverflowError:
        bits = int(x).bit_length()
        message = f"Value: an integer of {bits} bits is too large for a float (|x| < 2**1024)"
        raise OverflowError(message) from None


def _exp(a):
    """e^a, or inf where it overflows (as numpy)."""
    try:
        return math.exp(a)
    except OverflowError:
        return math.inf


def _log(a):
    """ln a, with ln 0 = −inf and nan for a negative or nan a (as numpy)."""
    if a > 0:
        return math.log(a)
    return -math.inf if a == 0 else math.nan


def _divide(a, b):
    """a / b, with a / 0 = ±inf and 0 / 0 = nan (as numpy); the sign of a zero counts."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _power(a, b):
    """a ** b as numpy's float64 power: inf where it overflows or divides by 0, nan where undefined."""
    try:
        out = a**b
        if type(out) is not complex:  # Python's ** makes a negative base to a fractional power complex
            return float(out)
    except (OverflowError, ZeroDivisionError):
        pass
    with np.errstate(all="ignore"):
        return float(np.power(np.float64(a), np.float64(b)))


def _as_value(x):
    """Wrap a plain number as a constant Value (no parents)."""
    return x if type(x) is Value else Value(x)
