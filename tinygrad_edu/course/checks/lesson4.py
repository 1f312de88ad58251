"""Properties of lesson 4's exercises: the backward of broadcasting, @, sum, mean, max, linear.

The reference is always central differences of L(x) = Σ g ⊙ op(x), computed with the library's
`numerical_gradient`: ∂L/∂x is exactly what each backward must return.
"""

import numpy as np
from hypothesis import strategies as st

from tinygrad_edu.course.checks import expect_close, expect_shape, expect_tuple
from tinygrad_edu.course.grading import Property
from tinygrad_edu.gradcheck import numerical_gradient
from tinygrad_edu.testing import arrays, broadcastable_shapes, shapes


def _numeric(op, x, g):
    """∂/∂x Σ g ⊙ op(x), by central differences."""
    return numerical_gradient(lambda x: np.sum(g * op(x)), x.copy())


# ---- unbroadcast ----
@st.composite
def broadcasts(draw):
    shape, other = draw(broadcastable_shapes(2))
    out_shape = np.broadcast_shapes(shape, other)
    return {"grad": draw(arrays(out_shape)), "shape": shape}


def _counting(shape):
    """1, 2, 3, … in an array of `shape`: distinct entries, so every mix-up shows."""
    return np.arange(1.0, 1.0 + int(np.prod(shape))).reshape(shape)


#: Fixed cases tried after hypothesis' examples: each kind of broadcast, with distinct sides.
BROADCAST_CASES = tuple(
    {"grad": _counting(out), "shape": shape}
    for out, shape in [((2, 3, 4), (3, 1)), ((2, 3), (3,)), ((2, 3), (1, 3))]
)


def _unbroadcast_shape(function, example):
    expect_shape("the result", function(example["grad"].copy(), example["shape"]), example["shape"])


def _unbroadcast_value(function, example):
    grad, shape = example["grad"], example["shape"]
    x = np.zeros(shape)
    expected = _numeric(lambda x: np.broadcast_to(x, grad.shape), x, grad)
    expect_close("the result", function(grad.copy(), shape), expected)


# ---- matmul and linear ----
@st.composite
def matmuls(draw):
    n, k, m = (draw(st.integers(1, 4)) for _ in range(3))
    return {"x": draw(arrays((n, k))), "w": draw(arrays((k, m))), "g": draw(arrays((n, m)))}


MATMUL_CASES = ({"x": _counting((2, 3)), "w": _counting((3, 4)) / 10, "g": _counting((2, 4))},)


def _matmul_shapes(function, example):
    x, w, g = example["x"], example["w"], example["g"]
    dx, dw = expect_tuple("the return value (dx, dw)", function(x.copy(), w.copy(), g.copy()), 2)
    expect_shape("dx", dx, x.shape)
    expect_shape("dw", dw, w.shape)


def _matmul_input(index):
    def check(function, example):
        x, w, g = example["x"], example["w"], example["g"]
        got = expect_tuple("the return value (dx, dw)", function(x.copy(), w.copy(), g.copy()), 2)[index]
        if index == 0:
            expected = _numeric(lambda x: x @ w, x, g)
        else:
            expected = _numeric(lambda w: x @ w, w, g)
        expect_close("dx" if index == 0 else "dw", got, expected)

    return check


@st.composite
def linears(draw):
    n, n_in, n_out = (draw(st.integers(1, 4)) for _ in range(3))
    return {
        "x": draw(arrays((n, n_in))),
        "weight": draw(arrays((n_out, n_in))),
        "g": draw(arrays((n, n_out))),
    }


_LINEAR_NAMES = ("dx", "dweight", "dbias")
LINEAR_CASES = ({"x": _counting((2, 3)), "weight": _counting((4, 3)) / 10, "g": _counting((2, 4))},)


def _linear_result(function, example):
    x, weight, g = example["x"], example["weight"], example["g"]
    return expect_tuple(
        "the return value (dx, dweight, dbias)", function(x.copy(), weight.copy(), g.copy()), 3
    )


def _linear_shapes(function, example):
    shapes_ = (example["x"].shape, example["weight"].shape, example["weight"].shape[:1])
    for name, got, shape in zip(_LINEAR_NAMES, _linear_result(function, example), shapes_):
        expect_shape(name, got, shape)


def _linear_input(index):
    def check(function, example):
        x, weight, g = example["x"], example["weight"], example["g"]
        bias = np.zeros(weight.shape[0])
        inputs = [x, weight, bias]

        def op(value):
            args = list(inputs)
            args[index] = value
            return args[0] @ args[1].T + args[2]

        expected = _numeric(op, inputs[index], g)
        expect_close(_LINEAR_NAMES[index], _linear_result(function, example)[index], expected)

    return check


# ---- reductions ----
@st.composite
def reductions(draw, elements=None, unique=False):
    """x, an axis (None, an int, maybe negative, or a tuple), keepdims, and g of the result's shape."""
    shape = draw(shapes(min_dims=1, max_dims=3))
    ndim = len(shape)
    axis = draw(
        st.none()
        | st.integers(-ndim, ndim - 1)
        | st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(tuple)
    )
    keepdims = draw(st.booleans())
    if unique:  # distinct values 0.1 apart: a maximum stays a maximum under a 1e-6 nudge
        integers = st.lists(
            st.integers(-60, 60), min_size=int(np.prod(shape)), max_size=int(np.prod(shape)), unique=True
        )
        x = np.array(draw(integers), dtype=np.float64).reshape(shape) / 10
    else:
        x = draw(arrays(shape, elements))
    out_shape = np.sum(x, axis=axis, keepdims=keepdims).shape
    return {"x": x, "axis": axis, "keepdims": keepdims, "g": draw(arrays(out_shape))}


def _reduction_shape(takes_array):
    def check(function, example):
        x = example["x"]
        first = x.copy() if takes_array else x.shape
        got = function(first, example["g"].copy(), example["axis"], example["keepdims"])
        expect_shape("dx", got, x.shape)

    return check


def _reduction_value(reduce, takes_array):
    def check(function, example):
        x, axis, keepdims = example["x"], example["axis"], example["keepdims"]
        first = x.copy() if takes_array else x.shape
        got = function(first, example["g"].copy(), axis, keepdims)
        expected = _numeric(lambda x: reduce(x, axis=axis, keepdims=keepdims), x, example["g"])
        expect_close("dx", got, expected)

    return check


def _max_ties(function, example):
    x, axis, keepdims, g = example["x"], example["axis"], example["keepdims"], example["g"]
    dx = expect_shape("dx", function(x.copy(), g.copy(), axis, keepdims), x.shape)
    is_max = x == x.max(axis=axis, keepdims=True)
    expect_close("dx away from the maxima", np.where(is_max, 0.0, dx), np.zeros_like(x))
    g_kept = g if keepdims else np.expand_dims(g, tuple(range(x.ndim)) if axis is None else axis)
    expect_close("dx summed over each reduced slice", dx.sum(axis=axis, keepdims=True), g_kept)


_ties = reductions(elements=st.sampled_from([0.0, 1.0]))


def _reduction_case(x, axis, keepdims):
    return {
        "x": x,
        "axis": axis,
        "keepdims": keepdims,
        "g": _counting(np.sum(x, axis, keepdims=keepdims).shape),
    }


#: Fixed cases tried after hypothesis' examples: every kind of axis on a (2, 3) array.
REDUCTION_CASES = tuple(
    _reduction_case(_counting((2, 3)) / 10, axis, keepdims)
    for axis, keepdims in [(0, False), (1, False), (-1, True), ((0, 1), False), (None, False), (None, True)]
)
TIE_CASES = (_reduction_case(np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]]), 1, False),)


def _reduction_properties(reduce, takes_array=False):
    strategy = reductions(unique=takes_array)
    return [
        Property(
            "returns dx of x's shape",
            _reduction_shape(takes_array),
            strategy,
            max_examples=15,
            examples=REDUCTION_CASES,
        ),
        Property(
            "dx equals central differences",
            _reduction_value(reduce, takes_array),
            strategy,
            examples=REDUCTION_CASES,
        ),
    ]


PROPERTIES = {
    "unbroadcast": [
        Property(
            "returns an array of the input's shape",
            _unbroadcast_shape,
            broadcasts(),
            max_examples=15,
            examples=BROADCAST_CASES,
        ),
        Property(
            "equals central differences of Σ grad ⊙ broadcast(x)",
            _unbroadcast_value,
            broadcasts(),
            examples=BROADCAST_CASES,
        ),
    ],
    "matmul_backward": [
        Property(
            "dx and dw have the shapes of x and w",
            _matmul_shapes,
            matmuls(),
            max_examples=15,
            examples=MATMUL_CASES,
        ),
        Property("dx equals central differences", _matmul_input(0), matmuls(), examples=MATMUL_CASES),
        Property("dw equals central differences", _matmul_input(1), matmuls(), examples=MATMUL_CASES),
    ],
    "sum_backward": _reduction_properties(np.sum),
    "mean_backward": _reduction_properties(np.mean),
    "max_backward": _reduction_properties(np.max, takes_array=True)
    + [Property("with ties, dx goes to the maxima only and sums to g", _max_ties, _ties, examples=TIE_CASES)],
    "linear_backward": [
        Property(
            "dx, dweight, dbias have the shapes of x, weight, bias",
            _linear_shapes,
            linears(),
            max_examples=15,
            examples=LINEAR_CASES,
        ),
        Property("dx equals central differences", _linear_input(0), linears(), examples=LINEAR_CASES),
        Property("dweight equals central differences", _linear_input(1), linears(), examples=LINEAR_CASES),
        Property("dbias equals central differences", _linear_input(2), linears(), examples=LINEAR_CASES),
    ],
}
