"""Lesson 1, the chain rule by hand: each elementary op's value and its local derivatives.

Every function takes plain floats and returns `(out, local_grads)`: the op's result and a tuple
holding ∂out/∂input for each input, in the order of the arguments. These are exactly the numbers
an autograd node stores so that backward can apply the chain rule.

    out, (d_a, d_b) = mul(2.0, -3.0)     # out = -6.0; d_a = ∂out/∂a, d_b = ∂out/∂b

Check your work:  python -m tinygrad_edu.course check --dir DIR add mul power exp log tanh sigmoid relu
"""

import math


def add(a, b):
    """out = a + b.  Returns (out, (∂out/∂a, ∂out/∂b))."""
    return a + b, (1.0, 1.0)


def mul(a, b):
    """out = a · b.  Returns (out, (∂out/∂a, ∂out/∂b))."""
    return a * b, (b, a)


def power(a, n):
    """out = aⁿ for a constant number n (a > 0 whenever n is not an integer).

    Returns (out, (∂out/∂a,)): n is a constant, so it gets no derivative.
    """
    return a**n, (n * a ** (n - 1),)


def exp(a):
    """out = eᵃ.  Returns (out, (∂out/∂a,))."""
    out = math.exp(a)
    return out, (out,)


def log(a):
    """out = ln a, for a > 0.  Returns (out, (∂out/∂a,))."""
    return math.log(a), (1.0 / a,)


def tanh(a):
    """out = tanh a.  Returns (out, (∂out/∂a,))."""
    out = math.tanh(a)
    return out, (1.0 - out * out,)


def sigmoid(a):
    """out = σ(a) = 1 / (1 + e⁻ᵃ).  Returns (out, (∂out/∂a,)).

    It must work for any float a, even a = −1000, where e⁻ᵃ overflows a float.
    """
    if a >= 0:
        out = 1.0 / (1.0 + math.exp(-a))
    else:
        e = math.exp(a)
        out = e / (1.0 + e)
    return out, (out * (1.0 - out),)


def relu(a):
    """out = max(0, a).  Returns (out, (∂out/∂a,)).

    At the kink a = 0 there is no derivative; use PyTorch's convention, the slope of the flat side.
    """
    if a > 0:
        return a, (1.0,)
    return 0.0, (0.0,)
