"""Properties of lesson 3's exercise: the central-difference estimate of a gradient."""

import numpy as np
from hypothesis import strategies as st

from tinygrad_edu.course.checks import expect_close, expect_shape
from tinygrad_edu.course.grading import Property, PropertyFailed
from tinygrad_edu.testing import arrays, shapes, values


@st.composite
def quadratics(draw):
    """x and f(x) = Σ c x² + b x with c ≥ 1: central differences are exact on it, one-sided are not."""
    shape = draw(shapes(min_dims=0, max_dims=2, max_side=3))
    return {
        "x": draw(arrays(shape, values(-2, 2))),
        "c": draw(arrays(shape, values(1, 3))),
        "b": draw(arrays(shape, values(-2, 2))),
    }


def _quadratic(example):
    c, b = example["c"], example["b"]
    return lambda x: float(np.sum(c * x * x + b * x)), 2 * c * example["x"] + b


def _same_shape(function, example):
    f, _ = _quadratic(example)
    expect_shape("the gradient", function(f, example["x"].copy()), example["x"].shape)


def _x_unchanged(function, example):
    f, _ = _quadratic(example)
    x = example["x"].copy()
    function(f, x)
    if not np.array_equal(x, example["x"]):
        raise PropertyFailed("x after the call", example["x"], x)


def _exact_on_quadratics(function, example):
    f, gradient = _quadratic(example)
    expect_close("the gradient", function(f, example["x"].copy()), gradient, atol=1e-7, rtol=0)


def _smooth_function(function, example):
    x, w = example["x"], example["c"]
    got = function(lambda x: float(np.sum(w * np.sin(x))), x.copy())
    expect_close("the gradient", got, w * np.cos(x), atol=1e-7, rtol=0)


PROPERTIES = {
    "central_difference": [
        Property("returns an array of x's shape", _same_shape, quadratics(), max_examples=20),
        Property("leaves x unchanged", _x_unchanged, quadratics(), max_examples=20),
        Property(
            "exact on a quadratic, up to rounding (no O(eps) error)", _exact_on_quadratics, quadratics()
        ),
        Property("agrees with the exact gradient of Σ w·sin(x)", _smooth_function, quadratics()),
    ],
}
