"""Tests for `Tensor`, the array engine (lesson 4), and the fused ops `linear` and `cross_entropy`.

Each op is checked twice, in float64: its result against numpy, and its
gradient against central finite differences (`assert_gradients_match`), with
hypothesis choosing shapes, broadcasting and values. Values are kept away from
the points where an op has a kink (relu at 0, hardtanh at ±1, tied maxima) or a
pole (log, division and powers near 0), where finite differences mean nothing.
"""

import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tinygrad_edu import Tensor, is_grad_enabled, no_grad
from tinygrad_edu.nn.functional import linear, softmax_cross_entropy
from tinygrad_edu.testing import (
    arrays,
    assert_gradients_match,
    broadcastable_shapes,
    matmul_shapes,
    positive_values,
    shapes,
    values,
)

# Divisors and bases of negative powers, kept clear of the pole at 0.
nonzero_values = values(avoid=(0.0,), margin=0.1)


def assert_close(actual, expected):
    """Same shape, and equal up to float64 rounding."""
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-12, strict=True)


def leaf(array, dtype=np.float64):
    """A tensor (float64 unless asked) that gradients flow into."""
    return Tensor(array, requires_grad=True, dtype=dtype)


def sample(shape):
    """A fixed float64 array of `shape` with distinct entries in (-2, 2): the data of the explicit cases."""
    size = int(np.prod(shape, dtype=int))
    ranks = np.random.default_rng(size).permutation(size)
    return (-2.0 + 4.0 * (ranks + 0.5) / size).reshape(shape)


@st.composite
def distinct_arrays(draw, shape):
    """float64 arrays of `shape` whose entries differ pairwise by at least 0.05, so a max has no ties."""
    size = int(np.prod(shape, dtype=int))
    ranks = np.array(draw(st.permutations(range(size))), dtype=np.float64)
    jitter = draw(arrays(shape=(size,), elements=values(0.0, 0.05)))
    return (ranks * 0.1 - 3.0 + jitter).reshape(shape)


@st.composite
def reduction_axes(draw, ndim):
    """None, one axis, or a tuple of distinct axes of an ndim-axis tensor; each may be written negative."""
    chosen = draw(st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim))
    written = tuple(draw(st.sampled_from([a, a - ndim])) for a in chosen)
    return draw(st.sampled_from([None, written, *written[:1]]))


# ---------------------------------------------------------------------------
# Construction, dtypes and conversions
# ---------------------------------------------------------------------------


def test_integer_input_becomes_float32():
    assert Tensor([1, 2]).dtype == np.float32


def test_bool_input_becomes_float32():
    assert Tensor([True, False]).dtype == np.float32


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_float_array_keeps_its_precision(dtype):
    assert Tensor(np.zeros(3, dtype=dtype)).dtype == dtype


@pytest.mark.parametrize("dtype", [np.float64, "float64", np.float32, "float32"])
def test_dtype_argument_sets_the_dtype(dtype):
    assert Tensor([1, 2], dtype=dtype).dtype == np.dtype(dtype)


def test_float16_input_raises_value_error():
    with pytest.raises(ValueError, match="float32 or float64, got float16"):
        Tensor(np.zeros(3, dtype=np.float16))


def test_float16_dtype_argument_raises_value_error():
    with pytest.raises(ValueError, match="float32 or float64, got float16"):
        Tensor([1.0], dtype=np.float16)


def test_non_numeric_input_raises_type_error():
    with pytest.raises(TypeError, match="needs numbers"):
        Tensor(["a", "b"])


def test_tensor_of_a_tensor_raises_type_error():
    with pytest.raises(TypeError, match="ambiguous"):
        Tensor(Tensor([1.0]))


def test_a_new_tensor_has_no_grad_and_needs_none_unless_asked():
    t = Tensor([1.0, 2.0])
    assert (t.grad, t.requires_grad) == (None, False)


def test_shape_and_numpy_describe_the_data():
    t = Tensor(np.arange(6.0).reshape(2, 3))
    assert t.shape == (2, 3) and t.numpy() is t.data


def test_detach_shares_data_but_cuts_the_graph():
    x = leaf([1.0, 2.0])
    d = x.detach()
    (x * 2 + d * 3).sum().backward()
    assert d.data is x.data and not d.requires_grad
    assert_close(x.grad, np.array([2.0, 2.0]))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_tensor_copies_its_array_so_a_later_change_cannot_change_a_gradient(dtype):
    array = np.array([1, 2, 3], dtype=dtype)
    x = Tensor(array, requires_grad=True, dtype=np.float64)
    y = (x * x).sum()
    array[:] = 100  # the caller reuses its buffer after the forward pass
    y.backward()
    assert_close(x.grad, np.array([2.0, 4.0, 6.0]))
    assert_close(x.data, np.array([1.0, 2.0, 3.0]))


def test_from_numpy_shares_memory_like_torch():
    array = np.array([1.0, 2.0])
    x = Tensor.from_numpy(array, requires_grad=True)
    array[0] = 5.0
    assert x.data is array and x.requires_grad and x.dtype == np.float64
    assert not Tensor.from_numpy(np.zeros(2, np.float32)).requires_grad


@pytest.mark.parametrize("bad", [[1.0, 2.0], np.arange(3), np.float64(1.0), None])
def test_from_numpy_refuses_anything_but_a_float_array(bad):
    with pytest.raises(TypeError, match="from_numpy needs a float32 or float64 numpy array"):
        Tensor.from_numpy(bad)


def test_a_result_requires_grad_if_any_input_does():
    x, c = leaf([1.0]), Tensor([2.0], dtype=np.float64)
    assert (x * c).requires_grad and not (c * c).requires_grad


# ---- the dtype never changes silently ----

DTYPE_OPS = {  # every op, on x, y (2, 3) and b (2,), all positive so log and ** are defined
    "add": lambda x, y, b: x + y,
    "sub": lambda x, y, b: x - y,
    "mul": lambda x, y, b: x * y,
    "div": lambda x, y, b: x / y,
    "pow": lambda x, y, b: x**y,
    "pow number": lambda x, y, b: x**2,
    "radd": lambda x, y, b: 2 + x,
    "rsub": lambda x, y, b: 2 - x,
    "rmul": lambda x, y, b: 2.5 * x,
    "rdiv": lambda x, y, b: 2 / x,
    "rpow": lambda x, y, b: 2**x,
    "neg": lambda x, y, b: -x,
    "matmul": lambda x, y, b: x @ y.T,
    "matmul 1-D": lambda x, y, b: b @ x,
    "exp": lambda x, y, b: x.exp(),
    "log": lambda x, y, b: x.log(),
    "relu": lambda x, y, b: x.relu(),
    "sigmoid": lambda x, y, b: x.sigmoid(),
    "tanh": lambda x, y, b: x.tanh(),
    "hardtanh": lambda x, y, b: x.hardtanh(),
    "sum": lambda x, y, b: x.sum(axis=0),
    "mean": lambda x, y, b: x.mean(),
    "max": lambda x, y, b: x.max(axis=1),
    "reshape": lambda x, y, b: x.reshape(-1),
    "transpose": lambda x, y, b: x.transpose(1, 0),
    "T": lambda x, y, b: x.T,
    "index": lambda x, y, b: x[1, ::2],
    "index array": lambda x, y, b: x[[0, 0, 1]],
    "mask": lambda x, y, b: x[x.data > 1],
    "softmax": lambda x, y, b: x.softmax(),
    "log_softmax": lambda x, y, b: x.log_softmax(axis=0),
    "linear": lambda x, y, b: linear(x, y, b),
    "cross_entropy": lambda x, y, b: softmax_cross_entropy(x, np.eye(3)[[0, 2]]),
}


def dtype_op_leaves(dtype):
    x = leaf([[0.5, 1.5, 2.0], [1.0, 0.25, 3.0]], dtype)
    y = leaf([[1.5, 0.5, 1.0], [2.0, 1.25, 0.5]], dtype)
    b = leaf([0.1, 0.2], dtype)
    return x, y, b


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", DTYPE_OPS)
def test_every_op_returns_its_inputs_dtype(name, dtype):
    assert DTYPE_OPS[name](*dtype_op_leaves(dtype)).dtype == dtype


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", DTYPE_OPS)
def test_every_op_gives_gradients_in_its_inputs_dtype(name, dtype):
    leaves = dtype_op_leaves(dtype)
    out = DTYPE_OPS[name](*leaves)
    out.backward(np.ones(out.shape))  # a float64 seed, taken in the tensor's dtype
    grads = [t.grad for t in leaves if t.grad is not None]
    assert grads and all(g.dtype == dtype for g in grads)


MIXED_DTYPE_OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b,
    "matmul": lambda a, b: a @ b,
    "linear": lambda a, b: linear(a, b),
    "linear bias": lambda a, b: linear(a, a, b[0]),
}


@pytest.mark.parametrize("left", [np.float32, np.float64])
@pytest.mark.parametrize("name", MIXED_DTYPE_OPS)
def test_mixing_float32_and_float64_tensors_raises_type_error_naming_both(name, left):
    right = np.float64 if left == np.float32 else np.float32
    a, b = Tensor(np.ones((2, 2)), dtype=left), Tensor(np.ones((2, 2)), dtype=right)
    with pytest.raises(TypeError, match=f"{np.dtype(left)} and {np.dtype(right)}"):
        MIXED_DTYPE_OPS[name](a, b)


@pytest.mark.parametrize(
    "other", [2.5, np.float64(2.5), np.ones(3, dtype=np.float64), [1.0, 2.0, 3.0]], ids=repr
)
def test_numbers_and_arrays_adopt_the_tensors_dtype(other):
    t = Tensor([1.0, 2.0, 3.0], dtype=np.float32)
    assert (t + other).dtype == np.float32 and (other * t).dtype == np.float32


# ---------------------------------------------------------------------------
# Elementwise functions
# ---------------------------------------------------------------------------

UNARY_OPS = {  # name: (the op, its numpy reference, where the input values come from)
    "neg": (lambda t: -t, np.negative, values()),
    "exp": (Tensor.exp, np.exp, values()),
    "log": (Tensor.log, np.log, positive_values()),
    "relu": (Tensor.relu, lambda x: np.maximum(x, 0.0), values(avoid=(0.0,))),
    "sigmoid": (Tensor.sigmoid, lambda x: 1 / (1 + np.exp(-x)), values()),
    "tanh": (Tensor.tanh, np.tanh, values()),
    "hardtanh": (Tensor.hardtanh, lambda x: np.clip(x, -1.0, 1.0), values(avoid=(-1.0, 1.0))),
    "square": (lambda t: t**2, np.square, values()),
    "cube": (lambda t: t**3, lambda x: x**3, values()),
    "reciprocal": (lambda t: t**-1, np.reciprocal, nonzero_values),
    "sqrt": (lambda t: t**0.5, np.sqrt, positive_values()),
}


@pytest.mark.parametrize("name", UNARY_OPS)
@given(data=st.data())
def test_unary_op_matches_numpy(name, data):
    op, reference, elements = UNARY_OPS[name]
    x = data.draw(arrays(elements=elements))
    assert_close(op(Tensor(x)).data, reference(x))


@pytest.mark.parametrize("name", UNARY_OPS)
@given(data=st.data())
def test_unary_op_has_the_finite_difference_gradient(name, data):
    op, _, elements = UNARY_OPS[name]
    assert_gradients_match(op, data.draw(arrays(elements=elements)))


def test_relu_gradient_at_the_kink_is_zero():
    x = leaf([-1.0, 0.0, 2.0])
    x.relu().sum().backward()
    assert_close(x.grad, np.array([0.0, 0.0, 1.0]))


def test_relu_keeps_negative_zero_and_its_documented_edges_with_nan_and_inf():
    # −0 stays −0 (as PyTorch's relu); the backward is g · (z > 0), so, unlike PyTorch, an inf
    # gradient where z ≤ 0 gives nan, and a nan input passes no gradient on.
    x = leaf([-0.0, np.nan, -1.0, 2.0])
    y = x.relu()
    assert np.signbit(y.data[0]) and np.isnan(y.data[1])
    with np.errstate(invalid="ignore"):
        y.backward(np.array([1.0, 1.0, np.inf, 3.0]))
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, np.nan, 3.0])


def test_hardtanh_gradient_is_zero_at_and_beyond_its_corners():
    x = leaf([-2.0, -1.0, 0.5, 1.0, 2.0])
    x.hardtanh().sum().backward()
    assert_close(x.grad, np.array([0.0, 0.0, 1.0, 0.0, 0.0]))


@given(x=arrays(), bounds=st.tuples(values(-2, 0), values(0.1, 2)))
def test_hardtanh_with_custom_bounds_clips_to_them(x, bounds):
    assert_close(Tensor(x).hardtanh(*bounds).data, np.clip(x, *bounds))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_hardtanh_with_numpy_float64_bounds_keeps_the_tensors_dtype(dtype):
    x = leaf([-2.0, 0.5, 2.0], dtype)
    y = x.hardtanh(np.float64(-1.0), np.float64(1.0))
    y.backward(np.ones(3))
    assert (y.dtype, x.grad.dtype) == (dtype, dtype)
    assert_close(y.data.astype(np.float64), np.array([-1.0, 0.5, 1.0]))


NUMPY_SCALAR_OPS = {  # a numpy float64 scalar on either side, or as a parameter, of every op that takes one
    "add": lambda t, c: t + c,
    "radd": lambda t, c: c + t,
    "sub": lambda t, c: t - c,
    "rsub": lambda t, c: c - t,
    "mul": lambda t, c: t * c,
    "rmul": lambda t, c: c * t,
    "div": lambda t, c: t / c,
    "rdiv": lambda t, c: c / t,
    "pow": lambda t, c: t**c,
    "rpow": lambda t, c: c**t,
    "hardtanh": lambda t, c: t.hardtanh(-c, c),
    "mean": lambda t, c: t.mean() * c,
    "softmax": lambda t, c: (t * c).softmax(),
    "linear": lambda t, c: linear(t.reshape(1, 3), t.reshape(1, 3) * c, t[:1] * c),
}


@pytest.mark.parametrize("name", NUMPY_SCALAR_OPS)
def test_a_numpy_float64_scalar_never_turns_a_float32_tensor_or_its_grad_into_float64(name):
    x = leaf([0.5, 1.0, 1.5], np.float32)
    out = NUMPY_SCALAR_OPS[name](x, np.float64(1.5))
    out.backward(np.ones(out.shape))
    assert (out.dtype, x.grad.dtype) == (np.float32, np.float32)


@pytest.mark.parametrize("exponent", [0, 0.0, np.zeros(2)], ids=repr)
def test_x_to_the_power_0_has_gradient_0_at_x_0_as_in_pytorch(exponent):
    x = leaf([0.0, 2.0])
    (x**exponent).sum().backward()
    assert_close(x.grad, np.zeros(2))


@pytest.mark.filterwarnings("ignore:divide by zero encountered in power")  # 0 ** −1 = inf, as numpy warns
def test_power_gradients_at_a_zero_base_follow_pytorch():
    x, y = leaf([0.0, 0.0, 0.0, 2.0]), leaf([0.0, 2.0, 0.5, 0.0])
    (x**y).sum().backward()
    with np.errstate(divide="ignore"):
        assert_close(x.grad, np.array([0.0, 0.0, np.inf, 0.0]))  # 0.5 · 0^(−0.5) = inf, as torch
    assert_close(y.grad, np.array([0.0, 0.0, 0.0, np.log(2.0)]))  # 0 ** y is constant for y ≥ 0


def test_sigmoid_of_huge_inputs_is_finite():
    out = Tensor([-1e4, 0.0, 1e4], dtype="float64").sigmoid()
    assert_close(out.data, np.array([0.0, 0.5, 1.0]))


# ---------------------------------------------------------------------------
# Binary ops and broadcasting
# ---------------------------------------------------------------------------

BINARY_OPS = {  # name: (the op, its numpy reference, left values, right values)
    "add": (lambda a, b: a + b, np.add, values(), values()),
    "sub": (lambda a, b: a - b, np.subtract, values(), values()),
    "mul": (lambda a, b: a * b, np.multiply, values(), values()),
    "div": (lambda a, b: a / b, np.divide, values(), nonzero_values),
    "pow": (lambda a, b: a**b, np.power, positive_values(), values(-2, 2)),
}


@st.composite
def broadcast_operands(draw, left_values, right_values):
    """Two float64 arrays whose shapes broadcast together, each with its own values."""
    left_shape, right_shape = draw(broadcastable_shapes(2))
    return draw(arrays(left_shape, left_values)), draw(arrays(right_shape, right_values))


@pytest.mark.parametrize("name", BINARY_OPS)
@given(data=st.data())
def test_binary_op_broadcasts_like_numpy(name, data):
    op, reference, left, right = BINARY_OPS[name]
    x, y = data.draw(broadcast_operands(left, right))
    assert_close(op(Tensor(x), Tensor(y)).data, reference(x, y))


@pytest.mark.parametrize("name", BINARY_OPS)
@given(data=st.data())
def test_binary_op_with_broadcasting_has_the_finite_difference_gradient(name, data):
    op, _, left, right = BINARY_OPS[name]
    assert_gradients_match(op, *data.draw(broadcast_operands(left, right)))


BROADCAST_CASES = {  # every way two shapes can broadcast
    "same shape": ((2, 3), (2, 3)),
    "0-d and 2-D": ((), (2, 3)),
    "2-D and 0-d": ((2, 3), ()),
    "fewer axes on the right": ((2, 3, 4), (4,)),
    "fewer axes on the left": ((3,), (2, 4, 3)),
    "size-1 axis on each side": ((3, 1), (1, 4)),
    "size-1 axes and missing axes": ((2, 1, 4), (3, 1)),
    "size-1 against size-1": ((1, 1), (1,)),
}


@pytest.mark.parametrize("case", BROADCAST_CASES)
@pytest.mark.parametrize("name", BINARY_OPS)
def test_every_broadcast_case_has_the_finite_difference_gradient_in_each_inputs_shape(name, case):
    left_shape, right_shape = BROADCAST_CASES[case]
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0.5, 2.0, left_shape), rng.uniform(0.5, 2.0, right_shape)
    a, b = leaf(x), leaf(y)
    BINARY_OPS[name][0](a, b).sum().backward()
    assert (a.grad.shape, b.grad.shape) == (left_shape, right_shape)
    assert_gradients_match(BINARY_OPS[name][0], x, y)


REFLECTED_OPS = {  # name: (number op tensor, number values, tensor values)
    "radd": (lambda c, t: c + t, values(), values()),
    "rsub": (lambda c, t: c - t, values(), values()),
    "rmul": (lambda c, t: c * t, values(), values()),
    "rdiv": (lambda c, t: c / t, values(), nonzero_values),
    "rpow": (lambda c, t: c**t, positive_values(), values(-2, 2)),
}


@pytest.mark.parametrize("name", REFLECTED_OPS)
@given(data=st.data())
def test_a_number_on_the_left_gives_the_numpy_result(name, data):
    op, number_values, tensor_values = REFLECTED_OPS[name]
    c, y = data.draw(number_values), data.draw(arrays(elements=tensor_values))
    out = op(c, Tensor(y))
    assert isinstance(out, Tensor)
    assert_close(out.data, op(c, y))


@pytest.mark.parametrize("name", REFLECTED_OPS)
@given(data=st.data())
def test_a_number_on_the_left_has_the_finite_difference_gradient(name, data):
    op, number_values, tensor_values = REFLECTED_OPS[name]
    c, y = data.draw(number_values), data.draw(arrays(elements=tensor_values))
    assert_gradients_match(lambda t: op(c, t), y)


@pytest.mark.parametrize("name", [*BINARY_OPS, "matmul"])
def test_a_numpy_array_on_the_left_gives_a_tensor(name):
    op = BINARY_OPS[name][0] if name in BINARY_OPS else (lambda a, b: a @ b)
    array, t = np.full((2, 2), 2.0), leaf(np.full((2, 2), 0.5))
    out = op(array, t)
    assert isinstance(out, Tensor)
    assert_close(out.data, op(array, t.data))


def test_an_operand_without_requires_grad_gets_no_grad():
    x, c = leaf([1.0, 2.0]), Tensor([3.0, 4.0], dtype=np.float64)
    (x * c - c / x).sum().backward()
    assert c.grad is None


# ---------------------------------------------------------------------------
# Matrix product
# ---------------------------------------------------------------------------


@given(data=st.data(), batch_dims=st.integers(0, 2))
def test_matmul_with_batch_axes_matches_numpy(data, batch_dims):
    left_shape, right_shape = data.draw(matmul_shapes(batch_dims=batch_dims))
    x, w = data.draw(arrays(left_shape)), data.draw(arrays(right_shape))
    assert_close((Tensor(x) @ Tensor(w)).data, x @ w)


@given(data=st.data(), batch_dims=st.integers(0, 2))
def test_matmul_with_batch_axes_has_the_finite_difference_gradient(data, batch_dims):
    left_shape, right_shape = data.draw(matmul_shapes(batch_dims=batch_dims))
    assert_gradients_match(lambda a, b: a @ b, data.draw(arrays(left_shape)), data.draw(arrays(right_shape)))


VECTOR_MATMUL_CASES = {  # a 1-D operand is a row (on the left) or a column (on the right)
    "vector @ matrix": ((3,), (3, 2)),
    "matrix @ vector": ((2, 3), (3,)),
    "vector @ vector": ((3,), (3,)),
    "batch @ vector": ((2, 4, 3), (3,)),
    "vector @ batch": ((3,), (2, 3, 4)),
}


@pytest.mark.parametrize("case", VECTOR_MATMUL_CASES)
def test_matmul_with_a_1d_operand_matches_numpy(case):
    x, w = (sample(shape) for shape in VECTOR_MATMUL_CASES[case])
    assert_close((Tensor(x) @ Tensor(w)).data, x @ w)


@pytest.mark.parametrize("case", VECTOR_MATMUL_CASES)
def test_matmul_with_a_1d_operand_has_the_finite_difference_gradient(case):
    x, w = (sample(shape) for shape in VECTOR_MATMUL_CASES[case])
    assert_gradients_match(lambda a, b: a @ b, x, w)


# ---------------------------------------------------------------------------
# Reductions
# ---------------------------------------------------------------------------

REDUCTIONS = {  # name: (the op, the numpy reference, where values come from)
    "sum": (Tensor.sum, np.sum, arrays),
    "mean": (Tensor.mean, np.mean, arrays),
    "max": (Tensor.max, np.max, distinct_arrays),  # no ties: a tie is a kink
}
NAMED_AXES = [None, 0, 2, -1, (0, 2), (-1, 0), ()]


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", NAMED_AXES, ids=repr)
@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_over_named_axes_matches_numpy(name, axis, keepdims):
    op, reference, _ = REDUCTIONS[name]
    x = sample((2, 3, 4))
    assert_close(op(Tensor(x), axis=axis, keepdims=keepdims).data, reference(x, axis=axis, keepdims=keepdims))


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", NAMED_AXES, ids=repr)
@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_over_named_axes_has_the_finite_difference_gradient(name, axis, keepdims):
    op = REDUCTIONS[name][0]
    assert_gradients_match(lambda t: op(t, axis=axis, keepdims=keepdims), sample((2, 3, 4)))


@pytest.mark.parametrize("name", REDUCTIONS)
@given(data=st.data(), keepdims=st.booleans())
def test_reduction_of_any_shape_over_any_axes_matches_numpy(name, data, keepdims):
    op, reference, drawn_arrays = REDUCTIONS[name]
    x = data.draw(drawn_arrays(data.draw(shapes(min_dims=1))))
    axis = data.draw(reduction_axes(x.ndim))
    assert_close(op(Tensor(x), axis=axis, keepdims=keepdims).data, reference(x, axis=axis, keepdims=keepdims))


@pytest.mark.parametrize("name", REDUCTIONS)
@given(data=st.data(), keepdims=st.booleans())
def test_reduction_of_any_shape_over_any_axes_has_the_finite_difference_gradient(name, data, keepdims):
    op, _, drawn_arrays = REDUCTIONS[name]
    x = data.draw(drawn_arrays(data.draw(shapes(min_dims=1))))
    axis = data.draw(reduction_axes(x.ndim))
    assert_gradients_match(lambda t: op(t, axis=axis, keepdims=keepdims), x)


def test_max_splits_the_gradient_evenly_between_tied_maxima():
    x = leaf([[1.0, 3.0, 3.0, 2.0], [5.0, 5.0, 5.0, 5.0]])
    x.max(axis=1).sum().backward()
    assert_close(x.grad, np.array([[0.0, 0.5, 0.5, 0.0], [0.25, 0.25, 0.25, 0.25]]))


# ---------------------------------------------------------------------------
# Shape ops: reshape, transpose, .T
# ---------------------------------------------------------------------------

RESHAPES = [
    ((2, 3, 4), (6, 4)),
    ((2, 3, 4), (-1,)),
    ((2, 3, 4), (4, -1)),
    ((2, 3, 4), (2, -1, 2)),
    ((6,), (1, 6, 1)),
    ((1,), ()),
    ((), (1, -1)),
]


@pytest.mark.parametrize(("shape", "new_shape"), RESHAPES, ids=str)
def test_reshape_matches_numpy(shape, new_shape):
    x = sample(shape)
    assert_close(Tensor(x).reshape(new_shape).data, x.reshape(new_shape))


@pytest.mark.parametrize(("shape", "new_shape"), RESHAPES, ids=str)
def test_reshape_has_the_finite_difference_gradient(shape, new_shape):
    assert_gradients_match(lambda t: t.reshape(new_shape), sample(shape))


@given(x=arrays())
def test_reshape_to_minus_one_flattens_any_tensor(x):
    assert_close(Tensor(x).reshape(-1).data, x.ravel())


def test_reshape_takes_the_shape_as_separate_arguments_or_one_tuple():
    t = Tensor(np.arange(6.0))
    assert t.reshape(3, -1).shape == t.reshape((3, -1)).shape == (3, 2)


@given(data=st.data())
def test_transpose_by_any_permutation_matches_numpy(data):
    x = data.draw(arrays(shapes(max_dims=4)))
    axes = data.draw(st.permutations(range(x.ndim)))
    assert_close(Tensor(x).transpose(*axes).data, x.transpose(axes))


@given(data=st.data())
def test_transpose_by_any_permutation_has_the_finite_difference_gradient(data):
    x = data.draw(arrays(shapes(max_dims=4)))
    axes = data.draw(st.permutations(range(x.ndim)))
    assert_gradients_match(lambda t: t.transpose(*axes), x)


@st.composite
def array_and_negative_axes(draw):
    """An array and a permutation of its axes, each written as a negative number."""
    x = draw(arrays(shapes(min_dims=1, max_dims=4)))
    return x, tuple(a - x.ndim for a in draw(st.permutations(range(x.ndim))))


@given(drawn=array_and_negative_axes())
def test_transpose_by_negative_axes_in_one_tuple_matches_numpy(drawn):
    x, axes = drawn
    assert_close(Tensor(x).transpose(axes).data, x.transpose(axes))


@given(drawn=array_and_negative_axes())
def test_transpose_by_negative_axes_has_the_finite_difference_gradient(drawn):
    x, axes = drawn
    assert_gradients_match(lambda t: t.transpose(axes), x)


@given(x=arrays(shapes(max_dims=4)))
def test_transpose_without_axes_reverses_them(x):
    assert_close(Tensor(x).transpose().data, x.T)


@given(x=arrays(shapes(max_dims=4)))
def test_dot_T_reverses_the_axes(x):
    assert_close(Tensor(x).T.data, x.T)


@given(x=arrays(shapes(max_dims=4)))
def test_dot_T_has_the_finite_difference_gradient(x):
    assert_gradients_match(lambda t: t.T, x)


# ---------------------------------------------------------------------------
# Indexing
# ---------------------------------------------------------------------------

BASIC_INDICES = {  # ints, slices, steps, None and Ellipsis: each element picked at most once
    "1": np.s_[1],
    "-1, 2": np.s_[-1, 2],
    "1:3": np.s_[1:3],
    "::2": np.s_[::2],
    "::-1, 1": np.s_[::-1, 1],
    "0, 1:4:2, -1": np.s_[0, 1:4:2, -1],
    "..., 1": np.s_[..., 1],
    "1, ...": np.s_[1, ...],
    "None, 0": np.s_[None, 0],
    ":, None, ::-2": np.s_[:, None, ::-2],
    "2, 3, 4": np.s_[2, 3, 4],
}


@pytest.mark.parametrize("name", BASIC_INDICES)
def test_basic_indexing_matches_numpy(name):
    x, index = sample((3, 4, 5)), BASIC_INDICES[name]
    assert_close(Tensor(x)[index].data, x[index])


@pytest.mark.parametrize("name", BASIC_INDICES)
def test_basic_indexing_has_the_finite_difference_gradient(name):
    index = BASIC_INDICES[name]
    assert_gradients_match(lambda t: t[index], sample((3, 4, 5)))


def test_indexing_with_repeated_integers_adds_up_their_gradients():
    x = leaf([10.0, 20.0, 30.0, 40.0])
    x[[0, 2, 0, 0]].sum().backward()
    assert_close(x.grad, np.array([3.0, 0.0, 1.0, 0.0]))


@given(data=st.data())
def test_gradient_of_an_integer_array_index_counts_each_element_picked(data):
    n = data.draw(st.integers(1, 5))
    index = np.array(data.draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=10)))
    x = leaf(data.draw(arrays((n,))))
    x[index].sum().backward()
    assert_close(x.grad, np.bincount(index % n, minlength=n).astype(np.float64))


INTEGER_ARRAY_INDICES = {  # each with a repeat
    "list": [2, 0, 2],
    "2-D array": np.array([[0, 1], [1, 1]]),
    "two arrays": (np.array([0, 0, 2]), np.array([1, 1, 3])),
    "array and slice": (np.array([1, 1]), slice(1, 3)),
}


@pytest.mark.parametrize("name", INTEGER_ARRAY_INDICES)
def test_integer_array_indexing_matches_numpy(name):
    x, index = sample((3, 4)), INTEGER_ARRAY_INDICES[name]
    assert_close(Tensor(x)[index].data, x[index])


@pytest.mark.parametrize("name", INTEGER_ARRAY_INDICES)
def test_integer_array_indexing_with_repeats_has_the_finite_difference_gradient(name):
    index = INTEGER_ARRAY_INDICES[name]
    assert_gradients_match(lambda t: t[index], sample((3, 4)))


@given(data=st.data())
def test_boolean_mask_indexing_matches_numpy(data):
    x = data.draw(arrays(shapes(min_dims=1)))
    mask = data.draw(hnp.arrays(bool, x.shape))
    assert_close(Tensor(x)[mask].data, x[mask])


@given(data=st.data())
def test_gradient_of_a_boolean_mask_index_is_the_mask(data):
    x = data.draw(arrays(shapes(min_dims=1)))
    mask = data.draw(hnp.arrays(bool, x.shape))
    t = leaf(x)
    t[mask].sum().backward()
    assert_close(t.grad, mask.astype(np.float64))


@given(data=st.data())
def test_boolean_mask_indexing_has_the_finite_difference_gradient(data):
    x = data.draw(arrays(shapes(min_dims=1)))
    mask = data.draw(hnp.arrays(bool, x.shape))
    assert_gradients_match(lambda t: t[mask], x)


def test_indexing_with_a_tensor_raises_type_error():
    with pytest.raises(TypeError, match="not a Tensor"):
        Tensor([1.0, 2.0])[Tensor([0])]


# ---------------------------------------------------------------------------
# softmax and log_softmax
# ---------------------------------------------------------------------------


def naive_softmax(x, axis):
    """eˣ / Σ eˣ written directly: exact enough for the moderate values of `values()`."""
    return np.exp(x) / np.exp(x).sum(axis=axis, keepdims=True)


@st.composite
def array_and_axis(draw):
    x = draw(arrays(shapes(min_dims=1)))
    return x, draw(st.integers(-x.ndim, x.ndim - 1))


@given(drawn=array_and_axis())
def test_softmax_matches_its_definition(drawn):
    x, axis = drawn
    assert_close(Tensor(x).softmax(axis=axis).data, naive_softmax(x, axis))


@given(drawn=array_and_axis())
def test_log_softmax_matches_its_definition(drawn):
    x, axis = drawn
    assert_close(Tensor(x).log_softmax(axis=axis).data, np.log(naive_softmax(x, axis)))


@given(drawn=array_and_axis())
def test_softmax_has_the_finite_difference_gradient(drawn):
    x, axis = drawn
    assert_gradients_match(lambda t: t.softmax(axis=axis), x)


@given(drawn=array_and_axis())
def test_log_softmax_has_the_finite_difference_gradient(drawn):
    x, axis = drawn
    assert_gradients_match(lambda t: t.log_softmax(axis=axis), x)


HUGE_LOGITS = [[1e4, 0.0, -1e4], [1e4, 1e4, 0.0], [-1e4, -1e4, -1e4]]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_of_huge_logits_is_finite_and_sums_to_one(dtype):
    s = Tensor(HUGE_LOGITS, dtype=dtype).softmax()
    np.testing.assert_allclose(s.data, [[1, 0, 0], [0.5, 0.5, 0], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)
    np.testing.assert_allclose(s.data.sum(axis=-1), 1.0, rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_log_softmax_of_huge_logits_is_finite_and_exact(dtype):
    out = Tensor(HUGE_LOGITS, dtype=dtype).log_softmax()
    ln2, ln3 = np.log(2), np.log(3)
    expected = [[0, -1e4, -2e4], [-ln2, -ln2, -1e4 - ln2], [-ln3, -ln3, -ln3]]
    np.testing.assert_allclose(out.data, expected, rtol=1e-6)


@pytest.mark.parametrize("op", [Tensor.softmax, Tensor.log_softmax])
def test_gradients_through_huge_logits_are_finite(op):
    x = leaf(HUGE_LOGITS)
    op(x).backward(np.arange(9.0).reshape(3, 3))
    assert np.all(np.isfinite(x.grad))


# ---------------------------------------------------------------------------
# cross_entropy (fused with its softmax) and linear (x Wᵀ + b)
# ---------------------------------------------------------------------------


@st.composite
def logits_and_labels(draw):
    n, c = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    labels = np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    return draw(arrays((n, c))), labels


@st.composite
def logits_and_probabilities(draw):
    """Logits (N, C) and target rows of nonnegative probabilities that sum to 1."""
    logits = draw(arrays(st.tuples(st.integers(1, 5), st.integers(1, 5))))
    weights = draw(arrays(logits.shape, values(0.0, 1.0)))
    weights[:, 0] += 0.1  # no all-zero row
    return logits, weights / weights.sum(axis=1, keepdims=True)


@given(drawn=logits_and_labels())
def test_cross_entropy_is_minus_the_mean_log_softmax_of_the_true_class(drawn):
    x, labels = drawn
    one_hot = np.eye(x.shape[1])[labels]
    log_probabilities = np.log(naive_softmax(x, axis=1))
    expected = -log_probabilities[np.arange(len(labels)), labels].mean()
    assert_close(softmax_cross_entropy(Tensor(x), one_hot).data, np.asarray(expected))


@given(drawn=logits_and_probabilities())
def test_cross_entropy_with_probability_rows_is_minus_the_mean_expected_log_softmax(drawn):
    x, y = drawn
    expected = -(y * np.log(naive_softmax(x, axis=1))).sum(axis=1).mean()
    assert_close(softmax_cross_entropy(Tensor(x), y).data, np.asarray(expected))


@given(drawn=logits_and_probabilities())
def test_cross_entropy_gradient_is_softmax_minus_targets_over_n(drawn):
    x, y = drawn
    t = leaf(x)
    softmax_cross_entropy(t, y).backward()
    assert_close(t.grad, (naive_softmax(x, axis=1) - y) / len(x))


@given(drawn=logits_and_probabilities())
def test_cross_entropy_has_the_finite_difference_gradient(drawn):
    x, y = drawn
    assert_gradients_match(lambda t: softmax_cross_entropy(t, y), x)


@given(x=arrays((3, 4)), y=arrays((3, 4), values(0.0, 2.0)))
def test_cross_entropy_with_target_rows_of_any_sum_has_the_finite_difference_gradient(x, y):
    assert_gradients_match(lambda t: softmax_cross_entropy(t, y), x)  # the loss is defined for any weights y


@pytest.mark.parametrize(("label", "loss"), [(0, 0.0), (1, 1e4), (2, 2e4)])
def test_cross_entropy_of_huge_logits_is_finite_and_exact(label, loss):
    out = softmax_cross_entropy(Tensor([[1e4, 0.0, -1e4]], dtype=np.float64), np.eye(3)[[label]])
    assert out.item() == pytest.approx(loss)


@st.composite
def linear_operands(draw, bias=True):
    n, fan_in, fan_out = (draw(st.integers(1, 4)) for _ in range(3))
    x, w = draw(arrays((n, fan_in))), draw(arrays((fan_out, fan_in)))
    return (x, w, draw(arrays((fan_out,)))) if bias else (x, w)


@given(operands=linear_operands())
def test_linear_is_x_times_w_transposed_plus_b(operands):
    x, w, b = operands
    assert_close(linear(Tensor(x), Tensor(w), Tensor(b)).data, x @ w.T + b)


@given(operands=linear_operands())
def test_linear_has_the_finite_difference_gradient_in_x_w_and_b(operands):
    assert_gradients_match(linear, *operands)


@given(operands=linear_operands(bias=False))
def test_linear_without_bias_has_the_finite_difference_gradient(operands):
    x, w = operands
    assert_close(linear(Tensor(x), Tensor(w)).data, x @ w.T)
    assert_gradients_match(linear, x, w)


def test_linear_with_the_wrong_input_width_raises_value_error_naming_both_shapes():
    with pytest.raises(ValueError, match=r"input of shape \(2, 3\) needs to be \(N, 4\).*\(5, 4\)"):
        linear(Tensor(np.ones((2, 3))), Tensor(np.ones((5, 4))))


def test_linear_with_the_wrong_bias_shape_raises_value_error():
    with pytest.raises(ValueError, match=r"bias of shape \(4,\) should be \(5,\)"):
        linear(Tensor(np.ones((2, 3))), Tensor(np.ones((5, 3))), Tensor(np.ones(4)))


# ---------------------------------------------------------------------------
# backward(): the seed gradient, accumulation, and the graph walk
# ---------------------------------------------------------------------------


@given(x=arrays(), data=st.data())
def test_backward_with_a_gradient_gives_the_vector_jacobian_product(x, data):
    g = data.draw(arrays(x.shape))
    t = leaf(x)
    (t * 3.0).backward(g)
    assert_close(t.grad, 3.0 * g)


def test_backward_without_gradient_works_on_any_one_element_tensor():
    x = leaf([[2.0]])
    (x * x).backward()
    assert_close(x.grad, np.array([[4.0]]))


def test_two_backward_calls_add_into_a_leafs_grad():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert_close(x.grad, 2 * np.array([2.0, 4.0]))


def test_a_second_backward_through_a_freed_graph_names_retain_graph():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()
    assert_close(x.grad, np.array([2.0, 4.0]))  # the first call's gradient, untouched


def test_zero_grad_resets_the_grad_to_none():
    x = leaf([1.0, 2.0])
    (x * x).sum().backward()
    x.zero_grad()
    assert x.grad is None


def test_backward_after_zero_grad_starts_from_zero():
    x = leaf([1.0, 2.0])
    (x * x).sum().backward()
    x.zero_grad()
    (x * 3).sum().backward()
    assert_close(x.grad, np.array([3.0, 3.0]))


def test_an_intermediate_tensor_drops_its_gradient_once_passed_on():
    x = leaf([1.0, 2.0])
    h = x * 2
    (h * h).sum().backward()
    assert h.grad is None
    assert_close(x.grad, 8 * x.data)


def test_an_intermediate_tensor_holds_only_the_latest_backward_calls_gradient():
    x = leaf([1.0, 2.0])
    h = (x * 2).retain_grad()
    y = (h * h).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert_close(h.grad, 2 * h.data)  # ∂y/∂h once, not twice


def test_a_reused_intermediate_tensor_passes_on_its_full_gradient_once():
    # b = a + a; c = b * b = 4a², so ∂c/∂a = 8a. Visiting b once per path into it
    # (naive recursion) would give 16a.
    a = leaf([1.0, -2.0])
    b = (a + a).retain_grad()
    c = b * b
    c.sum().backward()
    assert_close(b.grad, 2 * b.data)
    assert_close(a.grad, 8 * a.data)


@pytest.mark.slow
def test_a_chain_of_100_000_tensor_ops_backpropagates_without_recursion_error():
    x = leaf([0.5, -1.0, 2.0])
    y = x
    start = time.perf_counter()
    for _ in range(100_000):
        y = y * 1.00001
    y.sum().backward()
    print(f"\n100,000-op Tensor chain, forward and backward: {time.perf_counter() - start:.2f} s")
    assert_close(x.grad, np.full(3, 1.00001**100_000))


# ---- a leaf's grad is its own array ----


def test_modifying_one_leafs_grad_in_place_leaves_the_other_leafs_grad_unchanged():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    g = np.array([1.0, 1.0])
    (a + b).backward(g)
    a.grad += 100.0
    assert_close(b.grad, np.array([1.0, 1.0]))
    assert_close(g, np.array([1.0, 1.0]))


def test_leaves_seeded_with_the_same_gradient_array_do_not_share_it():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    g = np.array([1.0, 1.0])
    a.backward(g)
    b.backward(g)
    a.grad += 100.0
    assert_close(b.grad, np.array([1.0, 1.0]))
    assert_close(g, np.array([1.0, 1.0]))


PASS_THROUGH_OPS = {  # ops whose backward may hand on the incoming gradient array itself, or a view of it
    "add a constant": lambda t: t + 1.0,
    "reshape": lambda t: t.reshape(-1),
    "transpose": lambda t: t.T,
    "sum": lambda t: t.sum(axis=0),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", DTYPE_OPS)
def test_every_leafs_and_retained_grad_is_a_writable_ndarray_of_its_shape(name, dtype):
    leaves = dtype_op_leaves(dtype)
    middle = [(t * 1.0).retain_grad() for t in leaves]  # retained intermediates, one per leaf
    out = DTYPE_OPS[name](*middle).retain_grad()
    out.backward(np.ones(out.shape))
    for t in [*leaves, *middle, out]:
        if t.grad is not None:
            assert isinstance(t.grad, np.ndarray) and t.grad.shape == t.shape and t.grad.dtype == dtype
            t.grad[...] = 0  # writable, like PyTorch's


@pytest.mark.parametrize("op", [lambda t: t * 3, lambda t: t.exp(), lambda t: t**2, lambda t: (t * t).sum()])
def test_a_0d_leafs_grad_is_a_writable_0d_array(op):
    x = Tensor(2.0, requires_grad=True)
    op(x).backward()
    op(x).backward()  # the accumulated sum too
    assert isinstance(x.grad, np.ndarray) and x.grad.shape == ()
    x.grad[...] = 0


def test_a_retained_sums_grad_is_writable_not_a_broadcast_view():
    x = leaf(np.ones((2, 3)))
    y = (x * 2).retain_grad()
    z = y.sum().retain_grad()
    z.backward()
    y.grad[0, 0] = 5.0  # a read-only np.broadcast_to view would refuse this
    assert y.grad[0, 1] == 1.0 and z.grad == 1.0


@pytest.mark.parametrize("name", PASS_THROUGH_OPS)
def test_a_leafs_grad_is_a_writable_array_of_its_own(name):
    x = leaf(np.ones((2, 3)))
    out = PASS_THROUGH_OPS[name](x).retain_grad()
    g = np.ones(out.shape)
    out.backward(g)
    x.grad += 1.0  # must neither fail (a read-only view) nor write into out.grad or g
    assert_close(out.grad, np.ones(out.shape))
    assert_close(g, np.ones(out.shape))


# ---------------------------------------------------------------------------
# no_grad
# ---------------------------------------------------------------------------


def test_under_no_grad_results_need_no_grad_and_record_no_parents():
    x = leaf([1.0, 2.0])
    with no_grad():
        y = (x * 2).exp().sum()
    assert not y.requires_grad
    assert y._parents == ()  # no graph was kept


def test_backward_through_a_result_of_no_grad_raises_runtime_error():
    x = leaf([1.0, 2.0])
    with no_grad():
        y = (x * 2).sum()
    with pytest.raises(RuntimeError, match="does not require grad"):
        y.backward()


def test_no_grad_as_a_decorator_records_no_graph_and_then_restores_recording():
    @no_grad()
    def double(t):
        return t * 2

    x = leaf([1.0])
    assert not double(x).requires_grad
    assert is_grad_enabled() and (x * 2).requires_grad


def test_a_recursive_function_decorated_with_no_grad_restores_recording():
    @no_grad()
    def countdown(n):
        return countdown(n - 1) if n else is_grad_enabled()

    assert countdown(3) is False
    assert is_grad_enabled()


def test_nested_no_grad_blocks_record_nothing_until_the_outermost_ends():
    with no_grad():
        with no_grad():
            pass
        assert not is_grad_enabled()
    assert is_grad_enabled()


def test_no_grad_restores_recording_after_an_exception():
    with pytest.raises(KeyError):
        with no_grad():
            raise KeyError("boom")
    assert is_grad_enabled()


# ---------------------------------------------------------------------------
# Bad input: a clear error at the call, naming the problem
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "message"),
    [
        ((2, 3), (4, 5), r"shapes \(2, 3\) and \(4, 5\) are not aligned"),
        ((3,), (4,), r"shapes \(3,\) and \(4,\) are not aligned"),
        ((2, 3, 4), (5, 4, 2), r"batch axes of \(2, 3, 4\) and \(5, 4, 2\) cannot be broadcast"),
        ((), (3,), r"at least 1 dimension, got \(\) @ \(3,\)"),
    ],
    ids=["matrices", "vectors", "batch axes", "0-d"],
)
def test_matmul_of_incompatible_shapes_raises_value_error_naming_both(left, right, message):
    with pytest.raises(ValueError, match=message):
        Tensor(np.ones(left)) @ Tensor(np.ones(right))


@pytest.mark.parametrize("name", BINARY_OPS)
def test_a_broadcast_failure_raises_value_error_naming_both_shapes(name):
    with pytest.raises(ValueError, match=r"shapes \(2, 3\) and \(4,\) cannot be broadcast"):
        BINARY_OPS[name][0](Tensor(np.ones((2, 3))), Tensor(np.ones(4)))


def test_backward_on_a_non_scalar_without_gradient_raises_runtime_error():
    x = leaf(np.ones((2, 3)))
    with pytest.raises(RuntimeError, match=r"shape \(2, 3\) needs gradient="):
        (x * 2).backward()


def test_backward_with_a_gradient_of_the_wrong_shape_raises_value_error():
    x = leaf(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"gradient has shape \(3,\), but the tensor has shape \(2, 3\)"):
        (x * 2).backward(np.ones(3))


def test_backward_through_a_tensor_that_does_not_require_grad_raises_runtime_error():
    with pytest.raises(RuntimeError, match="does not require grad"):
        (Tensor([1.0, 2.0]) * 2).sum().backward()


def test_reshape_to_an_impossible_shape_raises_value_error():
    with pytest.raises(ValueError, match=r"shape \(2, 3\) \(6 elements\) into \(4, 2\)"):
        Tensor(np.ones((2, 3))).reshape(4, 2)


@pytest.mark.parametrize("axes", [(0, 0), (0,), (0, 2), (0, -3), (2, 1, 0)], ids=str)
def test_transpose_by_axes_that_are_not_a_permutation_raises_value_error(axes):
    with pytest.raises(ValueError, match=r"not a permutation of the 2 axes of \(2, 3\)"):
        Tensor(np.ones((2, 3))).transpose(*axes)


@pytest.mark.parametrize("axis", [2, -3, (0, 2)], ids=str)
@pytest.mark.parametrize("name", REDUCTIONS)
def test_reducing_over_an_out_of_range_axis_raises_value_error(name, axis):
    with pytest.raises(ValueError, match=r"axis -?\d is out of range for a tensor with 2 axes"):
        REDUCTIONS[name][0](Tensor(np.ones((2, 3))), axis=axis)


@pytest.mark.parametrize("name", REDUCTIONS)
def test_reducing_over_any_axis_of_a_0d_tensor_raises_value_error(name):
    with pytest.raises(ValueError, match="axis 0 is out of range for a tensor with 0 axes"):
        REDUCTIONS[name][0](Tensor(1.0), axis=0)


@pytest.mark.parametrize("name", REDUCTIONS)
def test_reducing_over_a_repeated_axis_raises_value_error(name):
    with pytest.raises(ValueError, match=r"repeated axis in \(1, -1\)"):
        REDUCTIONS[name][0](Tensor(np.ones((2, 3))), axis=(1, -1))


def test_hardtanh_with_min_not_below_max_raises_value_error():
    with pytest.raises(ValueError, match="min_val < max_val"):
        Tensor([0.0]).hardtanh(1.0, -1.0)
