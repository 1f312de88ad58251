"""Value: the scalar autograd engine (lesson 2).

Every op computes its result and, right beside it, its local derivatives
∂out/∂input, one per input. `backward()` then applies the chain rule over the
graph in reverse topological order:  input.grad += ∂out/∂input · out.grad.
"""

import math
import numbers

from tinygrad_edu import autograd
from tinygrad_edu.autograd import cycle_collector_paused, topological_order


class Value:
    """A scalar that remembers how it was computed, so it can be differentiated.

    `data` is the number, `grad` is ∂(the last `backward()` root)/∂self, which
    accumulates across `backward()` calls on leaves (as in PyTorch) until reset.
    """

    __slots__ = ("data", "grad", "_parents", "_local_grads", "_op")

    def __init__(self, data, _parents=(), _local_grads=(), _op=""):
        self.data = data if type(data) is float else _to_float(data)
        self.grad = 0.0
        recording = _parents and autograd._grad_enabled  # the flag no_grad() sets, read directly
        self._parents = _parents if recording else ()
        self._local_grads = _local_grads if recording else ()
        self._op = _op

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    # ---- arithmetic: result, (parents), (∂result/∂parent for each parent) ----
    def __add__(self, other):
        """a + b  →  ∂/∂a = 1, ∂/∂b = 1"""
        other = _as_value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other):
        """a · b  →  ∂/∂a = b, ∂/∂b = a"""
        other = _as_value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __pow__(self, exponent):
        """a ** b  →  ∂/∂a = b·a^(b−1), ∂/∂b = a^b · ln a (defined for a > 0, else nan)"""
        a, b = self.data, exponent.data if isinstance(exponent, Value) else exponent
        if not isinstance(b, (int, float)):
            return NotImplemented
        if a < 0 and not float(b).is_integer():
            raise ValueError(f"{a} ** {b}: a negative base to a non-integer power is not real")
        if a == 0 and b < 0:
            raise ZeroDivisionError(f"0 ** {b} is undefined (division by zero)")
        out = a**b
        if a == 0 and 0 < b < 1:
            d_base = math.inf  # a vertical tangent, as for √a at 0 (a ** (b − 1) would divide by 0)
        else:
            d_base = b * a ** (b - 1) if b != 0 else 0.0
        if not isinstance(exponent, Value):
            return Value(out, (self,), (d_base,), f"**{b:g}")
        d_exponent = out * math.log(a) if a > 0 else math.nan
        return Value(out, (self, exponent), (d_base, d_exponent), "**")

    def __rpow__(self, base):
        """c ** a for a number c  →  ∂/∂a = c^a · ln c"""
        return _as_value(base) ** self

    def __sub__(self, other):
        """a − b  →  ∂/∂a = 1, ∂/∂b = −1"""
        other = _as_value(other)
        return Value(self.data - other.data, (self, other), (1.0, -1.0), "-")

    def __truediv__(self, other):
        """a / b  →  ∂/∂a = 1/b, ∂/∂b = −a/b²"""
        other = _as_value(other)
        if other.data == 0:
            raise ZeroDivisionError(f"{self.data} / 0: division by zero")
        out = self.data / other.data
        return Value(out, (self, other), (1.0 / other.data, -out / other.data), "/")

    def __neg__(self):
        """−a  →  ∂/∂a = −1"""
        return Value(-self.data, (self,), (-1.0,), "neg")

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
        out = math.exp(self.data)
        return Value(out, (self,), (out,), "exp")

    def log(self):
        """ln a (a > 0)  →  ∂/∂a = 1/a"""
        if self.data <= 0:
            raise ValueError(f"log of a non-positive number: {self.data}")
        return Value(math.log(self.data), (self,), (1.0 / self.data,), "log")

    def tanh(self):
        """tanh a  →  ∂/∂a = 1 − tanh²a"""
        t = math.tanh(self.data)
        return Value(t, (self,), (1.0 - t * t,), "tanh")

    def sigmoid(self):
        """σ(a) = 1/(1+e^−a), computed without overflow  →  ∂/∂a = σ(a)(1 − σ(a))"""
        a = self.data
        s = 1.0 / (1.0 + math.exp(-a)) if a >= 0 else math.exp(a) / (1.0 + math.exp(a))
        return Value(s, (self,), (s * (1.0 - s),), "sigmoid")

    def relu(self):
        """max(0, a)  →  ∂/∂a = 1 if a > 0 else 0 (0 at the kink a = 0, as in PyTorch)"""
        positive = self.data > 0
        return Value(self.data if positive else 0.0, (self,), (1.0 if positive else 0.0,), "relu")

    # ---- reverse mode ----
    def backward(self):
        """Set `grad` of every node this Value depends on to ∂self/∂node.

        Leaves (nodes with no parents) accumulate: their grad grows by ∂self/∂leaf
        on every call. Intermediate nodes are reset first, so they hold this
        call's gradient only.
        """
        with cycle_collector_paused():
            order = topological_order(self)
            for node in order:
                if node._parents:
                    node.grad = 0.0
            self.grad += 1.0
            for node in reversed(order):
                for parent, local_grad in zip(node._parents, node._local_grads):
                    parent.grad += local_grad * node.grad


def _to_float(x):
    """The number `x` as a float; a clear TypeError for anything else."""
    if isinstance(x, Value):
        raise TypeError("Value(Value(...)) is ambiguous: use the Value itself, or Value(v.data)")
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"Value takes a real number, got {type(x).__name__}: {x!r}")
    return float(x)


def _as_value(x):
    """Wrap a plain number as a constant Value (no parents)."""
    return x if type(x) is Value else Value(x)
