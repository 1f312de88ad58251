"""The standard normal distribution's cdf Φ as a Tensor op, which exact GELU needs (lesson 8).

numpy has no erf, so `erfc` below evaluates W. J. Cody's rational Chebyshev approximations
("Rational Chebyshev approximations for the error function", Math. Comp. 23, 1969, pp. 631-638;
the coefficients are those of his netlib SPECFUN routine CALERF), elementwise over an array:
relative error below ~1e-15 on every range, so also far in the tails, where 1 − erf would lose all
its digits. Then Φ(x) = erfc(−x/√2) / 2.
"""

import numpy as np

# erf(x) = x · P(x²) / Q(x²) for |x| ≤ 0.46875
_SMALL_P = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02, 3.20937758913846947e03)
_SMALL_P_TOP = 1.85777706184603153e-1
_SMALL_Q = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03)
# erfc(x) = e^(−x²) · P(x) / Q(x) for 0.46875 < x ≤ 4
_MIDDLE_P = (
    5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01, 2.98635138197400131e02,
    8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03,
)
_MIDDLE_P_TOP = 2.15311535474403846e-8
_MIDDLE_Q = (
    1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03,
    3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03,
)
# erfc(x) = e^(−x²) / x · (1/√π − P(1/x²) / (x² Q(1/x²))) for x > 4
_LARGE_P = (
    3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2,
    6.58749161529837803e-4,
)
_LARGE_P_TOP = 1.63153871373020978e-2
_LARGE_Q = (
    2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1, 6.05183413124413191e-2,
    2.33520497626869185e-3,
)
_INV_SQRT_PI = 0.56418958354775628695
_INV_SQRT_2 = 0.70710678118654752440
_INV_SQRT_2PI = 0.39894228040143267794


def _ratio(t, p, p_top, q):
    """P(t) / Q(t) with P = p_top·tⁿ + p₀tⁿ⁻¹ + … + pₙ₋₁ and Q = tⁿ + q₀tⁿ⁻¹ + … + qₙ₋₁ (Horner)."""
    top, bottom = p_top * t, t
    for a, b in zip(p[:-1], q[:-1]):
        top, bottom = (top + a) * t, (bottom + b) * t
    return (top + p[-1]) / (bottom + q[-1])


def _exp_minus_square(y):
    """e^(−y²) without the rounding error of y² for large y: y = k + d with k a multiple of 1/16."""
    k = np.trunc(y * 16) / 16
    return np.exp(-k * k) * np.exp(-(y - k) * (y + k))


def erfc(x):
    """erfc x = 1 − erf x = (2/√π) ∫ₓ^∞ e^(−t²) dt, elementwise, in float64 (accurate in both tails)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.abs(x)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        small = 1 - x * _ratio(y * y, _SMALL_P, _SMALL_P_TOP, _SMALL_Q)
        gaussian = _exp_minus_square(y)
        middle = gaussian * _ratio(y, _MIDDLE_P, _MIDDLE_P_TOP, _MIDDLE_Q)
        inverse_square = 1 / (y * y)
        tail = inverse_square * _ratio(inverse_square, _LARGE_P, _LARGE_P_TOP, _LARGE_Q)
        large = gaussian * (_INV_SQRT_PI - tail) / y
    positive = np.where(y <= 4, middle, np.where(y == np.inf, 0.0, large))  # (large is nan at ∞)
    return np.where(y <= 0.46875, small, np.where(x < 0, 2 - positive, positive))


def normal_pdf(x):
    """φ(x) = e^(−x²/2) / √(2π) of a Tensor, with Tensor ops (so it can be differentiated again)."""
    return (x * x * -0.5).exp() * _INV_SQRT_2PI


def normal_cdf(x):
    """Φ(x) = P(N(0, 1) ≤ x) = erfc(−x/√2) / 2 of a Tensor, elementwise  →  dx = g ⊙ φ(x)"""
    out = (0.5 * erfc(-_INV_SQRT_2 * x.data)).astype(x.dtype)
    return x._from_op(out, (x,), lambda g, out: (g * normal_pdf(x),), "normal_cdf")
