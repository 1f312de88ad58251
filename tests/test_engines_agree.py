"""The scalar engine and the tensor engine agree (lessons 2 and 4).

Each expression is built twice: element by element from `Value`s, and all at
once from float64 `Tensor`s. The two engines share nothing but the graph walk,
so equal results and equal gradients (up to float64 rounding) are strong
evidence that both are right.

Both engines backpropagate the same loss L = Σ r ⊙ out, with weights r drawn
by hypothesis: a plain sum would hide errors in ops whose outputs always sum to
the same number (softmax).
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_edu import Tensor, Value
from tinygrad_edu.nn.functional import linear, softmax_cross_entropy
from tinygrad_edu.testing import arrays, broadcastable_arrays, matmul_shapes, values


def assert_agree(scalar_engine, tensor_engine):
    """Equal up to float64 rounding (the engines may round in a different order)."""
    np.testing.assert_allclose(scalar_engine, tensor_engine, rtol=1e-12, atol=1e-12)


def values_like(array):
    """An object array holding one new Value per element of `array`."""
    grid = np.empty(array.shape, dtype=object)
    for index in np.ndindex(array.shape):
        grid[index] = Value(float(array[index]))
    return grid


def data_of(grid):
    return np.array([v.data for v in grid.flat]).reshape(grid.shape)


def grads_of(grid):
    return np.array([v.grad for v in grid.flat]).reshape(grid.shape)


def backward_weighted(outputs, weights):
    """Backpropagate L = Σ weights ⊙ outputs from a grid of Values."""
    loss = sum(float(r) * out for r, out in zip(weights.flat, outputs.flat))
    loss.backward()


def tensors(*arrays_):
    return [Tensor(a, requires_grad=True, dtype=np.float64) for a in arrays_]


# ---------------------------------------------------------------------------
# Elementwise expressions, with numpy broadcasting
# ---------------------------------------------------------------------------

# Each expression is written once and works on two Values or on two Tensors.
EXPRESSIONS = {
    "polynomial": lambda a, b: a * b + a**2 - 3 * b + 1,
    "quotient": lambda a, b: (a - 1) / (b * b + 1),
    "reflected numbers": lambda a, b: 2 / (1 + a * a) - (1 - b) + 2**b,
    "tanh": lambda a, b: (a * b + a**2).tanh(),
    "sigmoid and exp": lambda a, b: (a - b).sigmoid() * (b / 2).exp(),
    "log and power": lambda a, b: (b * b + 1).log() + (b * b + 1) ** a,
    "relu": lambda a, b: (a * b).relu() + (a - b).relu(),
    "reused node": lambda a, b: (lambda c: c * c + c.tanh())(a + a * b),
}


def scalar_engine_elementwise(expression, x, y, r):
    """(results, ∂L/∂x, ∂L/∂y), computing `expression` one element pair at a time."""
    a, b = values_like(x), values_like(y)
    a_wide, b_wide = np.broadcast_arrays(a, b)  # broadcast copies of an element are the same Value
    outputs = np.empty(a_wide.shape, dtype=object)
    for index in np.ndindex(outputs.shape):
        outputs[index] = expression(a_wide[index], b_wide[index])
    backward_weighted(outputs, r)
    return data_of(outputs), grads_of(a), grads_of(b)


def tensor_engine_elementwise(expression, x, y, r):
    """(results, ∂L/∂x, ∂L/∂y), computing `expression` on whole float64 Tensors."""
    a, b = tensors(x, y)
    out = expression(a, b)
    out.backward(r)
    return out.data, a.grad, b.grad


@st.composite
def operands_and_weights(draw):
    x, y = draw(broadcastable_arrays(2))
    return x, y, draw(arrays(np.broadcast_shapes(x.shape, y.shape), values(0.5, 1.5)))


@pytest.mark.parametrize("name", EXPRESSIONS)
@given(drawn=operands_and_weights())
def test_engines_agree_on_an_elementwise_expression_with_broadcasting(name, drawn):
    scalar_results, *scalar_grads = scalar_engine_elementwise(EXPRESSIONS[name], *drawn)
    tensor_results, *tensor_grads = tensor_engine_elementwise(EXPRESSIONS[name], *drawn)
    assert_agree(scalar_results, tensor_results)
    for scalar_grad, tensor_grad in zip(scalar_grads, tensor_grads):
        assert_agree(scalar_grad, tensor_grad)


# ---------------------------------------------------------------------------
# Ops that mix elements: reductions, matmul, softmax, linear, cross_entropy.
# The scalar engine spells each one out with sums of Values.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("reduction", ["sum", "mean"])
@given(x=arrays((3, 4)), r=arrays((3,), values(0.5, 1.5)))
def test_engines_agree_on_a_reduction_over_an_axis(reduction, keepdims, x, r):
    a = values_like(x)
    rows = np.empty(3, dtype=object)
    for i in range(3):
        rows[i] = sum(a[i]) if reduction == "sum" else sum(a[i]) * (1 / 4)
    backward_weighted(rows, r)

    (t,) = tensors(x)
    out = getattr(t, reduction)(axis=1, keepdims=keepdims)
    out.backward(r.reshape(out.shape))

    assert_agree(data_of(rows), out.data.reshape(3))
    assert_agree(grads_of(a), t.grad)


@given(data=st.data())
def test_engines_agree_on_a_matrix_product(data):
    left_shape, right_shape = data.draw(matmul_shapes())
    x, w = data.draw(arrays(left_shape)), data.draw(arrays(right_shape))
    (n, k), m = left_shape, right_shape[1]
    r = data.draw(arrays((n, m), values(0.5, 1.5)))

    a, b = values_like(x), values_like(w)
    products = np.empty((n, m), dtype=object)
    for i, j in np.ndindex(n, m):
        products[i, j] = sum(a[i, p] * b[p, j] for p in range(k))
    backward_weighted(products, r)

    ta, tb = tensors(x, w)
    out = ta @ tb
    out.backward(r)

    assert_agree(data_of(products), out.data)
    assert_agree(grads_of(a), ta.grad)
    assert_agree(grads_of(b), tb.grad)


@given(data=st.data())
def test_engines_agree_on_linear(data):
    n, fan_in, fan_out = (data.draw(st.integers(1, 4)) for _ in range(3))
    x, w = data.draw(arrays((n, fan_in))), data.draw(arrays((fan_out, fan_in)))
    bias = data.draw(arrays((fan_out,)))
    r = data.draw(arrays((n, fan_out), values(0.5, 1.5)))

    a, b, c = values_like(x), values_like(w), values_like(bias)
    outputs = np.empty((n, fan_out), dtype=object)
    for i, j in np.ndindex(n, fan_out):
        outputs[i, j] = sum(a[i, p] * b[j, p] for p in range(fan_in)) + c[j]
    backward_weighted(outputs, r)

    tx, tw, tb = tensors(x, w, bias)
    out = linear(tx, tw, tb)
    out.backward(r)

    assert_agree(data_of(outputs), out.data)
    for grid, t in [(a, tx), (b, tw), (c, tb)]:
        assert_agree(grads_of(grid), t.grad)


def value_softmax(row):
    """eˣ / Σ eˣ over a list of Values, written out."""
    exps = [v.exp() for v in row]
    total = sum(exps)
    return [e / total for e in exps]


@given(x=arrays((3, 4)), r=arrays((3, 4), values(0.5, 1.5)))
def test_engines_agree_on_softmax(x, r):
    a = values_like(x)
    outputs = np.array([value_softmax(list(row)) for row in a], dtype=object)
    backward_weighted(outputs, r)

    (t,) = tensors(x)
    out = t.softmax(axis=-1)
    out.backward(r)

    assert_agree(data_of(outputs), out.data)
    assert_agree(grads_of(a), t.grad)


@given(x=arrays((3, 4)), r=arrays((3, 4), values(0.5, 1.5)))
def test_engines_agree_on_log_softmax(x, r):
    a = values_like(x)
    outputs = np.array([[v - sum(w.exp() for w in row).log() for v in row] for row in a], dtype=object)
    backward_weighted(outputs, r)

    (t,) = tensors(x)
    out = t.log_softmax(axis=-1)
    out.backward(r)

    assert_agree(data_of(outputs), out.data)
    assert_agree(grads_of(a), t.grad)


@given(x=arrays((3, 4)), labels=st.lists(st.integers(0, 3), min_size=3, max_size=3))
def test_engines_agree_on_cross_entropy(x, labels):
    y = np.eye(4)[labels]
    a = values_like(x)
    loss = -sum(value_softmax(list(a[n]))[labels[n]].log() for n in range(3)) / 3
    loss.backward()

    (t,) = tensors(x)
    out = softmax_cross_entropy(t, y)
    out.backward()

    assert_agree(loss.data, out.data)
    assert_agree(grads_of(a), t.grad)
