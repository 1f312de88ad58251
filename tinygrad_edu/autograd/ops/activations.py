"""The activations beyond the report's four, with PyTorch's names and arguments (lesson 8).

Each backward is written with Tensor ops, so that second derivatives work (`create_graph=True`).
Where an activation is a formula in x that overflows for large |x| (softplus, logsigmoid, elu),
the forward uses a form that cannot, and the backward never builds the overflowing term.
Parameters are numbers (numpy scalars too), finite, taken in the tensor's dtype.
"""

import math
import numbers

import numpy as np

from tinygrad_edu.autograd.ops.arithmetic import times_constant
from tinygrad_edu.autograd.ops.normal import normal_cdf, normal_pdf

_SQRT_2_OVER_PI = 0.79788456080286535588  # √(2/π), of the tanh approximation of GELU
_GELU_CUBIC = 0.044715


def check_number(owner, name, value, positive=False):
    """`value` if it is a finite real number (and > 0 if `positive`); a clear error naming `owner` if not."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{owner}: {name} must be a number, got {type(value).__name__} {value!r:.60}")
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int beyond any float, such as 10**400
        raise ValueError(f"{owner}: {name} must be finite, got an integer too large for a float") from None
    if not finite:
        raise ValueError(f"{owner}: {name} must be finite, got {value}")
    if positive and not value > 0:
        raise ValueError(f"{owner}: {name} must be > 0, got {value}")
    return value


def check_approximate(owner, approximate):
    """'none' or 'tanh' (GELU's two forms, PyTorch's spellings); ValueError naming `owner` otherwise."""
    if not isinstance(approximate, str) or approximate not in ("none", "tanh"):
        raise ValueError(f"{owner}: approximate must be 'none' or 'tanh', got {approximate!r:.60}")
    return approximate


class ActivationOps:
    """`leaky_relu`, `elu`, `gelu`, `silu`, `softplus`, `logsigmoid` and `relu6` of `Tensor`."""

    __slots__ = ()

    def _parameter(self, op, name, value, positive=False):
        """`value` checked (`check_number`) and taken in this tensor's dtype, where it must stay finite."""
        check_number(op, name, value, positive)
        if not abs(float(value)) <= float(np.finfo(self.dtype).max):  # 1e39 would be inf in float32
            raise ValueError(f"{op}: {name} = {value} is too large for a {self.dtype} tensor")
        return self.dtype.type(value)

    def leaky_relu(self, negative_slope=0.01):
        """z = x where x > 0, else negative_slope · x  →  dx = g where x > 0, else negative_slope · g

        At the kink x = 0 the slope is negative_slope's, as in PyTorch.
        """
        x, slope = self, self._parameter("leaky_relu", "negative_slope", negative_slope)
        factor = np.where(x.data > 0, x.dtype.type(1), slope)
        return self._from_op(x.data * factor, (x,), lambda g, out: (times_constant(g, factor),), "leaky_relu")

    def elu(self, alpha=1.0):
        """z = x where x > 0, else α(eˣ − 1)  →  dx = g where x > 0, else g ⊙ αeˣ

        At the kink x = 0, as in PyTorch: dx = αg, and the second derivative is 0. The eˣ of a
        positive x is never computed (it could overflow, and is not used).
        """
        x, alpha = self, self._parameter("elu", "alpha", alpha)
        positive, negative = x.data > 0, x.data < 0
        out = np.where(positive, x.data, alpha * np.expm1(np.minimum(x.data, 0)))

        def backward(g, out):
            negative_part = x.masked_fill(~negative, 0.0)
            return (g * (negative_part.exp() * alpha).masked_fill(positive, 1.0),)

        return self._from_op(out, (x,), backward, "elu")

    def gelu(self, approximate="none"):
        """z = x Φ(x), Φ the standard normal cdf  →  dx = g ⊙ (Φ(x) + x φ(x)), φ its density

        approximate='tanh': z = x σ(2u) with u = √(2/π)(x + 0.044715x³), the same as PyTorch's
        x(1 + tanh u)/2 but without its cancellation for large negative x  →  dx = g ⊙ (s + x s(1 − s) 2u′),
        s = σ(2u). Φ is computed from erfc (ops/normal.py), accurate in both tails.
        """
        x = self
        if check_approximate("gelu", approximate) == "none":
            cdf = normal_cdf(x)  # a node beside z's graph: the backward reuses it, and its own backward

            def exact_backward(g, out):
                return (g * (cdf + x * normal_pdf(x)),)

            return self._from_op(x.data * cdf.data, (x,), exact_backward, "gelu")

        def twice_u(t):
            return (t + t * t * t * _GELU_CUBIC) * (2 * _SQRT_2_OVER_PI)

        def backward(g, out):
            s = twice_u(x).sigmoid()
            return (g * (s + x * s * (1 - s) * (1 + x * x * (3 * _GELU_CUBIC)) * (2 * _SQRT_2_OVER_PI)),)

        out = x.data * twice_u(x.detach()).sigmoid().data
        return self._from_op(out, (x,), backward, "gelu")

    def silu(self):
        """z = x σ(x) (also called swish)  →  dx = g ⊙ σ(x)(1 + x(1 − σ(x)))"""
        x = self

        def backward(g, out):
            s = x.sigmoid()
            return (g * s * (1 + x * (1 - s)),)

        return self._from_op(x.data * x.detach().sigmoid().data, (x,), backward, "silu")

    def softplus(self, beta=1.0, threshold=20.0):
        """z = ln(1 + e^(βx)) / β, but z = x where βx > threshold  →  dx = g ⊙ σ(βx), but g there

        Above the threshold is PyTorch's linear region, where z and x differ by less than
        e^(−threshold)/β. Below it, z = (max(βx, 0) + ln(1 + e^(−|βx|))) / β, which cannot overflow
        whatever the threshold. beta must be > 0.
        """
        x = self
        beta = x._parameter("softplus", "beta", beta, positive=True)
        threshold = x._parameter("softplus", "threshold", threshold)
        scaled = x.data * beta
        linear = scaled > threshold
        smooth = (np.maximum(scaled, 0) + np.log1p(np.exp(-np.abs(scaled)))) / beta
        out = np.where(linear, x.data, smooth)

        def backward(g, out):
            return (g * (x * beta).sigmoid().masked_fill(linear, 1.0),)

        return self._from_op(out, (x,), backward, "softplus")

    def logsigmoid(self):
        """z = ln σ(x) = min(x, 0) − ln(1 + e^(−|x|)), finite for any finite x  →  dx = g ⊙ σ(−x)"""
        x = self
        out = np.minimum(x.data, 0) - np.log1p(np.exp(-np.abs(x.data)))
        return self._from_op(out, (x,), lambda g, out: (g * (-x).sigmoid(),), "logsigmoid")

    def relu6(self):
        """z = min(max(0, x), 6) = hardtanh(x, 0, 6)  →  dx = g where 0 < x < 6, else 0

        As in PyTorch, whose relu6 is hardtanh too (grad_fn HardtanhBackward0): the graph names it hardtanh.
        """
        return self.hardtanh(0.0, 6.0)
