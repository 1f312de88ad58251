"""Tests for tinygrad_edu.gradcheck: finite differences, and the checker built on them (lesson 3).

A checker is only useful if it fails on wrong gradients, so most tests here
build an op with a deliberately wrong backward and expect gradcheck to catch it
and to say where.
"""

import numpy as np
import pytest
from hypothesis import given

from tinygrad_edu import Tensor, Value
from tinygrad_edu.gradcheck import GradcheckError, gradcheck, numerical_gradient
from tinygrad_edu.testing import arrays, values

# --------------------------------------------------------------------------
# Ops with deliberately wrong backwards
# --------------------------------------------------------------------------


def square_with_bad_entry(x):
    """z = x², whose backward is right (2 x g) except at entry [1, 2], where it is off by 1."""

    def backward(g):
        dx = 2 * x.data * g
        dx[1, 2] += 1.0
        return (dx,)

    return Tensor._from_op(x.data**2, (x,), backward, "square_with_bad_entry")


def product_with_bad_second_gradient(x, y):
    """z = x ⊙ y, with the right dx = g ⊙ y but dy = g ⊙ x forgotten: dy = g."""
    return Tensor._from_op(x.data * y.data, (x, y), lambda g: (g * y.data, g), "bad_product")


def double_ignoring_incoming_gradient(x):
    """z = 2x, with a backward that returns 2 whatever g is (right only when g is all ones)."""
    return Tensor._from_op(2 * x.data, (x,), lambda g: (np.full(x.shape, 2.0),), "bad_double")


def double_with_nan_gradient(x):
    """z = 2x, with a backward that returns NaN (as 0/0 in a learner's formula would)."""
    return Tensor._from_op(2 * x.data, (x,), lambda g: (g * np.nan,), "nan_double")


def value_square_with_wrong_local_gradient(a):
    """a², recorded with the local gradient a instead of 2a."""
    return Value(a.data**2, (a,), (a.data,), "bad_square")


# --------------------------------------------------------------------------
# gradcheck: correct ops pass
# --------------------------------------------------------------------------


@given(arrays((2, 3)), arrays((3, 4)))
def test_gradcheck_returns_true_for_matmul(a, b):
    assert gradcheck(lambda x, y: x @ y, [a, b]) is True


@given(arrays((2, 1, 3)), arrays((4, 1)))
def test_gradcheck_returns_true_for_broadcast_multiply_then_tanh(a, b):
    assert gradcheck(lambda x, y: (x * y).tanh(), [a, b]) is True


@given(values(-2.0, 2.0), values(0.5, 2.0))
def test_gradcheck_returns_true_for_a_value_expression(a, b):
    assert gradcheck(lambda x, y: (x * y + x.exp() / y).tanh(), [a, b]) is True


def test_gradcheck_accepts_float64_tensors_and_values_as_inputs():
    assert gradcheck(lambda x: (x * x).sum(), [Tensor(np.array([1.0, 2.0]))]) is True
    assert gradcheck(lambda x: x * x, [Value(3.0)]) is True


def test_gradcheck_returns_true_when_the_output_ignores_an_input():
    # The input's grad stays None: gradcheck must read that as a zero gradient.
    assert gradcheck(lambda x, y: x * 2.0, [np.ones(3), np.ones(3)]) is True


def test_gradcheck_leaves_its_input_arrays_unchanged():
    a = np.array([[0.5, -1.0], [2.0, 3.0]])
    copy = a.copy()
    gradcheck(lambda x: (x * x).sum(), [a])
    np.testing.assert_array_equal(a, copy)


# --------------------------------------------------------------------------
# gradcheck: wrong backwards fail, naming the input and the entry
# --------------------------------------------------------------------------


def test_gradcheck_names_the_input_and_index_of_a_wrong_tensor_gradient():
    with pytest.raises(GradcheckError, match=r"gradient of input 0\[1, 2\]") as error:
        gradcheck(square_with_bad_entry, [np.arange(12.0).reshape(3, 4) / 4])
    assert "1 of 12 entries disagree" in str(error.value)


def test_gradcheck_names_the_second_input_when_only_its_gradient_is_wrong():
    with pytest.raises(GradcheckError, match=r"gradient of input 1\[") as error:
        gradcheck(product_with_bad_second_gradient, [np.array([2.0, 3.0]), np.array([4.0, 5.0])])
    assert "input 0" not in str(error.value)


def test_gradcheck_catches_a_backward_that_ignores_the_incoming_gradient():
    # Summing the output would make g all ones and hide the bug; gradcheck weights
    # the output entries with random numbers instead.
    with pytest.raises(GradcheckError, match="gradient of input 0"):
        gradcheck(double_ignoring_incoming_gradient, [np.ones(4)])


def test_gradcheck_catches_a_backward_that_returns_nan():
    with pytest.raises(GradcheckError, match=r"backward gives nan"):
        gradcheck(double_with_nan_gradient, [np.ones(3)])


def test_gradcheck_names_the_input_of_a_wrong_value_local_gradient():
    with pytest.raises(GradcheckError, match=r"gradient of input 1: backward gives 3\.0"):
        gradcheck(lambda a, b: a + value_square_with_wrong_local_gradient(b), [2.0, 3.0])


def test_gradcheck_error_is_an_assertion_error_so_plain_pytest_reports_it_as_a_failure():
    assert issubclass(GradcheckError, AssertionError)


# --------------------------------------------------------------------------
# gradcheck: what it refuses
# --------------------------------------------------------------------------


def test_gradcheck_rejects_float32_tensor_inputs():
    with pytest.raises(ValueError, match="float64 inputs; input 0 is float32"):
        gradcheck(lambda x: x * x, [Tensor(np.ones(3), dtype="float32")])


def test_gradcheck_rejects_an_empty_list_of_inputs():
    with pytest.raises(ValueError, match="at least one input"):
        gradcheck(lambda: Value(1.0), [])


def test_gradcheck_rejects_inputs_that_are_not_a_list_or_tuple():
    with pytest.raises(TypeError, match="list or tuple of inputs, got ndarray"):
        gradcheck(lambda x: x * x, np.ones(3))


def test_gradcheck_rejects_fn_returning_something_other_than_a_tensor():
    with pytest.raises(TypeError, match="fn must return a Tensor, got ndarray"):
        gradcheck(lambda x: x.data * 2, [np.ones(3)])


# --------------------------------------------------------------------------
# numerical_gradient
# --------------------------------------------------------------------------


@given(arrays())
def test_numerical_gradient_of_sum_of_squares_is_two_x(x):
    np.testing.assert_allclose(numerical_gradient(lambda a: np.sum(a * a), x), 2 * x, rtol=1e-7, atol=1e-7)


@given(arrays((3, 2)), arrays((3, 2)))
def test_numerical_gradient_of_a_dot_product_is_the_other_factor(x, c):
    np.testing.assert_allclose(numerical_gradient(lambda a: np.sum(c * a), x), c, rtol=1e-7, atol=1e-7)


def test_numerical_gradient_leaves_its_input_unchanged():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    copy = x.copy()
    numerical_gradient(lambda a: np.sum(a**3), x)
    np.testing.assert_array_equal(x, copy)


def test_numerical_gradient_handles_non_contiguous_arrays():
    x = np.arange(6.0).reshape(2, 3).T  # a transposed view: not C-contiguous
    np.testing.assert_allclose(numerical_gradient(lambda a: np.sum(a * a), x), 2 * x, atol=1e-7)


def test_numerical_gradient_rejects_float32_arrays():
    with pytest.raises(ValueError, match="float64 array, got float32"):
        numerical_gradient(lambda a: np.sum(a), np.ones(3, dtype=np.float32))


@given(values(-2.0, 2.0))
def test_central_differences_are_second_order_shrinking_error_100_fold_per_10_fold_eps(x):
    # The error is f'''(x) ε² / 6 + O(ε⁴); for f = exp, f''' = exp > 0 everywhere.
    # (A one-sided difference would shrink it only 10-fold.)
    point = np.array([x])

    def error(eps):
        return abs(numerical_gradient(lambda a: np.exp(a[0]), point, eps=eps)[0] - np.exp(x))

    ratio = error(1e-2) / error(1e-3)
    assert 90 < ratio < 110
