"""Tests for tinygrad_edu.testing: the hypothesis strategies keep their promises (lesson 3).

The last section is a template: how to property-test an op of your own.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu import Tensor
from tinygrad_edu.testing import (
    arrays,
    assert_gradients_match,
    assume_away_from,
    broadcastable_arrays,
    broadcastable_shapes,
    matmul_shapes,
    positive_values,
    shapes,
    values,
)

# --------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------


@given(values())
def test_values_default_to_finite_floats_in_minus_3_to_3(x):
    assert isinstance(x, float)
    assert -3.0 <= x <= 3.0


@given(values(-1.0, 2.0, avoid=(0.0, 1.0), margin=0.1))
def test_values_stay_in_bounds_and_a_margin_away_from_every_kink(x):
    assert -1.0 <= x <= 2.0
    assert abs(x) >= 0.1 and abs(x - 1.0) >= 0.1


@given(positive_values())
def test_positive_values_stay_in_their_default_bounds(x):
    assert 0.1 <= x <= 3.0


@given(positive_values(1e-3, 0.5))
def test_positive_values_stay_in_given_bounds_above_zero(x):
    assert 1e-3 <= x <= 0.5


@pytest.mark.parametrize("bounds", [(1.0, 1.0), (2.0, -2.0)])
def test_values_reject_an_empty_interval(bounds):
    with pytest.raises(ValueError, match="need min_value < max_value"):
        values(*bounds)


@pytest.mark.parametrize("min_value", [0.0, -1.0])
def test_positive_values_reject_a_lower_bound_that_is_not_positive(min_value):
    with pytest.raises(ValueError, match="min_value must be > 0"):
        positive_values(min_value)


# --------------------------------------------------------------------------
# Shapes and arrays
# --------------------------------------------------------------------------


@given(shapes())
def test_shapes_have_0_to_3_axes_of_size_1_to_4_by_default(shape):
    assert isinstance(shape, tuple)
    assert 0 <= len(shape) <= 3
    assert all(1 <= side <= 4 for side in shape)


@given(shapes(min_dims=2, max_dims=4, min_side=2, max_side=5))
def test_shapes_stay_within_given_bounds(shape):
    assert 2 <= len(shape) <= 4
    assert all(2 <= side <= 5 for side in shape)


@given(arrays())
def test_arrays_are_float64_with_values_in_the_default_range(a):
    assert isinstance(a, np.ndarray)
    assert a.dtype == np.float64
    assert np.all(np.isfinite(a)) and np.all(np.abs(a) <= 3.0)


@given(arrays(shape=(2, 5), elements=values(-1.0, 1.0, avoid=(0.0,), margin=0.25)))
def test_arrays_have_the_given_shape_and_draw_from_the_given_elements(a):
    assert a.shape == (2, 5)
    assert a.dtype == np.float64
    assert np.all((np.abs(a) >= 0.25) & (np.abs(a) <= 1.0))


@given(arrays(shape=shapes(min_dims=1, max_dims=2, max_side=3)))
def test_arrays_accept_a_shape_strategy(a):
    assert 1 <= a.ndim <= 2 and all(side <= 3 for side in a.shape)


@given(broadcastable_shapes(num_shapes=3))
def test_broadcastable_shapes_broadcast_together(shape_tuple):
    assert len(shape_tuple) == 3
    np.broadcast_shapes(*shape_tuple)  # raises ValueError if they do not
    assert all(len(shape) <= 3 and all(1 <= side <= 4 for side in shape) for shape in shape_tuple)


@given(broadcastable_arrays())
def test_broadcastable_arrays_are_float64_and_broadcast_together(pair):
    a, b = pair
    assert a.dtype == b.dtype == np.float64
    assert (a + b).shape == np.broadcast_shapes(a.shape, b.shape)


@given(matmul_shapes())
def test_matmul_shapes_align_inner_dimensions(shape_pair):
    (n, k), (k_right, m) = shape_pair
    assert k == k_right
    assert (np.zeros((n, k)) @ np.zeros((k_right, m))).shape == (n, m)


@given(
    st.integers(1, 3).flatmap(
        lambda batch_dims: st.tuples(st.just(batch_dims), matmul_shapes(batch_dims=batch_dims))
    )
)
def test_matmul_shapes_with_batch_axes_are_accepted_by_numpy_matmul(case):
    batch_dims, (left, right) = case
    assert len(left) == len(right) == batch_dims + 2
    assert left[-1] == right[-2]
    expected_batch = np.broadcast_shapes(left[:-2], right[:-2])
    assert (np.zeros(left) @ np.zeros(right)).shape == (*expected_batch, left[-2], right[-1])


@given(arrays(shape=(2,), elements=values(0.5, 3.0)))
def test_assume_away_from_discards_examples_near_a_kink(a):
    assume_away_from(a, kinks=(1.0, 2.0), margin=0.25)
    assert np.all(np.abs(a - 1.0) >= 0.25) and np.all(np.abs(a - 2.0) >= 0.25)


# --------------------------------------------------------------------------
# assert_gradients_match
# --------------------------------------------------------------------------


@given(arrays(shape=(2, 3), elements=values(avoid=(0.0,))))
def test_assert_gradients_match_passes_for_a_correct_op(x):
    assert_gradients_match(lambda t: (t * t.relu()).sum(), x)


def test_assert_gradients_match_raises_assertion_error_for_a_wrong_op():
    def cube_with_wrong_backward(x):  # d(x³)/dx is 3x², not 2x²
        return Tensor._from_op(x.data**3, (x,), lambda g: (g * 2 * x.data**2,), "bad_cube")

    with pytest.raises(AssertionError, match="gradient of input 0"):
        assert_gradients_match(cube_with_wrong_backward, np.array([1.0, 2.0]))


@given(arrays((2, 3)), arrays((3, 4)))
def test_assert_gradients_match_checks_every_input_of_a_correct_op(a, b):
    assert_gradients_match(lambda x, y: x @ y, a, b)


def test_assert_gradients_match_fails_when_an_input_gets_no_gradient():
    # detach() cuts b from the graph: its backward gradient is 0, its true one is not.
    with pytest.raises(AssertionError, match="gradient of input 1"):
        assert_gradients_match(lambda a, b: a @ b.detach(), np.ones((2, 3)), np.ones((3, 4)))


# --------------------------------------------------------------------------
# A template: property-testing an op of your own
# --------------------------------------------------------------------------


def softplus(x):
    """z = ln(1 + eˣ)  →  dx = g ⊙ σ(x). A new op, written the way tensor.py writes its ops."""
    out = np.logaddexp(0.0, x.data)  # ln(e⁰ + eˣ), without overflow for large x
    sigmoid = 1.0 / (1.0 + np.exp(-x.data))
    return Tensor._from_op(out, (x,), lambda g: (g * sigmoid,), "softplus")


@given(arrays(shape=shapes(), elements=values(-5.0, 5.0)))
def test_softplus_gradient_matches_finite_differences(x):
    assert_gradients_match(softplus, x)


@given(arrays(shape=shapes(), elements=values(-5.0, 5.0)))
def test_softplus_forward_equals_log_of_one_plus_exp(x):
    np.testing.assert_allclose(softplus(Tensor(x)).data, np.log1p(np.exp(x)), rtol=1e-12)


def test_arrays_draw_every_entry_on_its_own():
    """A property test on mostly constant arrays would miss swapped axes and wrong sums.

    hypothesis fills arrays sparsely (one repeated value, a few drawn entries) when the element
    strategy allows it, as a plain `st.floats` does: the median 4x4x4 array had 6 distinct entries.
    """
    distinct_counts = []

    @settings(max_examples=100, derandomize=True, database=None)
    @given(arrays(shape=(4, 4, 4), elements=st.floats(-1, 1)))
    def record(x):
        distinct_counts.append(len(np.unique(x)))

    record()
    assert np.median(distinct_counts) >= 32, f"distinct entries per 4x4x4 array: {sorted(distinct_counts)}"


@pytest.mark.parametrize("strategy", [broadcastable_arrays, matmul_shapes])
def test_every_strategy_keeps_its_own_name_for_help_and_the_api_reference(strategy):
    assert strategy.__qualname__ == strategy.__name__  # a decorator's wrapper would show accept.<locals>
    assert strategy.__module__ == "tinygrad_edu.testing"
