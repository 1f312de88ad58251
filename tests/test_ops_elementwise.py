"""sqrt, rsqrt, abs, sign, log2, exp2, sin, cos, pow, clamp/clip, maximum/minimum, where, isnan/isinf:
values against PyTorch, gradients and second derivatives against central differences (away from
kinks), PyTorch's gradients at the kinks, dtypes kept, bad input refused."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu import Tensor, grad, where
from tinygrad_edu.gradcheck import gradcheck, gradgradcheck
from tinygrad_edu.testing import arrays, positive_values, values


def pushed_away(x, kinks, margin=1e-2):
    """x with every entry within `margin` of a kink moved to 2·margin from it, on its side (above, at
    the kink itself): drawn examples stay valid instead of being filtered out, which hypothesis
    refuses when kinks such as 0 or ±1 are drawn often."""
    for k in kinks:
        side = np.where(x >= k, 1.0, -1.0)
        x = np.where(np.abs(x - k) < margin, k + 2 * margin * side, x)
    return x


#: op name → (our op, PyTorch's, the entries it is drawn on)
UNARY = {
    "sqrt": (lambda t: t.sqrt(), torch.sqrt, positive_values(0.2, 4.0)),
    "rsqrt": (lambda t: t.rsqrt(), torch.rsqrt, positive_values(0.2, 4.0)),
    "log2": (lambda t: t.log2(), torch.log2, positive_values(0.2, 4.0)),
    "exp2": (lambda t: t.exp2(), torch.exp2, values(-3.0, 3.0)),
    "sin": (lambda t: t.sin(), torch.sin, values(-4.0, 4.0)),
    "cos": (lambda t: t.cos(), torch.cos, values(-4.0, 4.0)),
    "abs": (lambda t: t.abs(), torch.abs, values(-3.0, 3.0, avoid=(0.0,), margin=1e-3)),
    "sign": (lambda t: t.sign(), torch.sign, values(-3.0, 3.0, avoid=(0.0,), margin=1e-3)),
}
SMOOTH = ("sqrt", "rsqrt", "log2", "exp2", "sin", "cos", "abs")  # abs: smooth away from 0


@pytest.mark.parametrize("name", sorted(UNARY))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_unary_values_and_gradients_match_pytorch(name, data):
    ours_op, torch_op, elements = UNARY[name]
    x = data.draw(arrays(shape=(2, 3), elements=elements))
    ours, theirs = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    gradient = np.linspace(0.5, 1.5, 6).reshape(2, 3)
    ours_out, their_out = ours_op(ours), torch_op(theirs)
    np.testing.assert_allclose(ours_out.data, their_out.detach().numpy(), rtol=1e-12, atol=1e-14)
    ours_out.backward(gradient)
    their_out.backward(torch.from_numpy(gradient))
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", sorted(UNARY))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_unary_gradients_match_central_differences(name, data):
    ours_op, _, elements = UNARY[name]
    x = data.draw(arrays(shape=(3, 2), elements=elements))
    assert gradcheck(ours_op, [x])


@pytest.mark.parametrize("name", SMOOTH)
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_smooth_unary_second_derivatives_match_central_differences(name, data):
    ours_op, _, elements = UNARY[name]
    x = data.draw(arrays(shape=(2, 2), elements=elements))
    assert gradgradcheck(lambda t: ours_op(t) * t, [x])  # (· t: abs's second derivative is not only 0)


def test_abs_and_sign_gradients_at_zero_are_pytorchs():
    x = np.array([-2.0, 0.0, 3.0, -0.0])
    ours, theirs = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    (ours.abs() + ours.sign()).sum().backward()
    (theirs.abs() + theirs.sign()).sum().backward()
    np.testing.assert_array_equal(ours.grad, theirs.grad.numpy())
    np.testing.assert_array_equal(ours.grad, [-1.0, 0.0, 1.0, 0.0])


def test_sign_passes_on_zero_even_where_the_incoming_gradient_is_infinite():
    x = Tensor([1.0, -2.0], requires_grad=True)
    x.sign().backward(np.array([np.inf, np.nan]))
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])


def test_sqrt_at_zero_has_pytorchs_infinite_gradient_and_negative_inputs_give_nan():
    x = Tensor([0.0, -1.0], requires_grad=True)
    out = x.sqrt()
    assert out.data[0] == 0.0 and np.isnan(out.data[1])
    with np.errstate(divide="ignore"):
        out.backward(np.ones(2))
    assert x.grad[0] == np.inf


def test_pow_is_the_method_spelling_of_the_power_operator():
    x = Tensor([0.5, 2.0, 3.0], requires_grad=True, dtype=np.float64)
    (first,) = grad(x.pow(2.5).sum(), [x])
    (second,) = grad((x**2.5).sum(), [x])
    np.testing.assert_array_equal(x.pow(2.5).data, (x**2.5).data)
    np.testing.assert_array_equal(first.data, second.data)
    np.testing.assert_array_equal(x.pow(x).data, torch.tensor(x.data).pow(torch.tensor(x.data)).numpy())


# ---------------------------------------------------------------------------
# clamp / clip
# ---------------------------------------------------------------------------

BOUNDS = st.sampled_from([(-1.0, 1.0), (None, 0.5), (-0.5, None), (0.0, 0.0), (1.0, -1.0), (-math.inf, 2)])


@settings(max_examples=40, deadline=None)
@given(arrays(shape=(3, 4), elements=st.sampled_from([-1.0, 0.0, 0.5, 1.0, 2.0]) | values()), BOUNDS)
def test_clamp_values_and_gradients_match_pytorch_bounds_and_crossed_bounds_included(x, bounds):
    low, high = bounds
    ours, theirs = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours_out, their_out = ours.clamp(min=low, max=high), theirs.clamp(min=low, max=high)
    np.testing.assert_array_equal(ours_out.data, their_out.detach().numpy())
    ours_out.backward(np.full(x.shape, 2.0))
    their_out.backward(torch.full(x.shape, 2.0, dtype=torch.float64))
    np.testing.assert_array_equal(ours.grad, theirs.grad.numpy())


def test_clamp_passes_the_gradient_at_the_bounds_and_clip_is_clamp():
    x = Tensor([-2.0, -1.0, 0.0, 1.0, 2.0], requires_grad=True)
    x.clip(-1, 1).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 1.0, 1.0, 0.0])
    np.testing.assert_array_equal(x.clip(min=-1).data, x.clamp(min=-1).data)


def test_crossed_bounds_give_max_everywhere_like_pytorch():
    x = Tensor([-3.0, 0.0, 3.0], requires_grad=True)
    out = x.clamp(min=2.0, max=-1.0)
    np.testing.assert_array_equal(out.data, [-1.0, -1.0, -1.0])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 0.0])


@settings(max_examples=30, deadline=None)
@given(arrays(shape=(2, 3)), BOUNDS.filter(lambda b: b[0] is None or b[1] is None or b[0] < b[1]))
def test_clamp_gradients_and_second_derivatives_match_central_differences_off_the_bounds(x, bounds):
    x = pushed_away(x, [b for b in bounds if b is not None and math.isfinite(b)])
    assert gradcheck(lambda t: t.clamp(*bounds), [x])
    assert gradgradcheck(lambda t: t.clamp(*bounds) * t, [x])


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({}, ValueError, "at least one of min and max"),
        ({"min": None, "max": None}, ValueError, "at least one of min and max"),
        ({"min": math.nan}, ValueError, "clamp: min is nan"),
        ({"max": "1"}, TypeError, "clamp: max must be a number"),
        ({"min": True}, TypeError, "clamp: min must be a number"),
        ({"min": Tensor([0.0])}, TypeError, "use maximum/minimum"),
        ({"max": 10**400}, ValueError, "too large"),
    ],
)
def test_clamp_refuses_bad_bounds_clearly(kwargs, error, message):
    with pytest.raises(error, match=message):
        Tensor([1.0]).clamp(**kwargs)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_clamp_bounds_are_taken_in_the_tensors_dtype(dtype):
    x = Tensor([0.1, 5.0], dtype=dtype)
    out = x.clamp(np.float64(0.2), 1e39)  # (1e39 is inf in float32: no upper bound)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out.data, np.array([0.2, 5.0], dtype=dtype))


# ---------------------------------------------------------------------------
# maximum / minimum
# ---------------------------------------------------------------------------

TIE_PRONE = st.sampled_from([-1.0, 0.0, 1.0]) | values(-2.0, 2.0)


@pytest.mark.parametrize("op", ["maximum", "minimum"])
@settings(max_examples=40, deadline=None)
@given(x=arrays(shape=(2, 3), elements=TIE_PRONE), y=arrays(shape=(3,), elements=TIE_PRONE))
def test_maximum_and_minimum_match_pytorch_ties_split_half_and_half(op, x, y):
    ours_x, ours_y = Tensor(x, requires_grad=True), Tensor(y, requires_grad=True)
    their_x, their_y = torch.tensor(x, requires_grad=True), torch.tensor(y, requires_grad=True)
    ours_out, their_out = getattr(ours_x, op)(ours_y), getattr(torch, op)(their_x, their_y)
    np.testing.assert_array_equal(ours_out.data, their_out.detach().numpy())
    gradient = np.arange(1.0, 7.0).reshape(2, 3)
    ours_out.backward(gradient)
    their_out.backward(torch.from_numpy(gradient))
    np.testing.assert_allclose(ours_x.grad, their_x.grad.numpy(), rtol=1e-15)
    np.testing.assert_allclose(ours_y.grad, their_y.grad.numpy(), rtol=1e-15)


def test_maximum_at_a_tie_gives_each_side_half():
    x, y = Tensor([1.0, 2.0], requires_grad=True), Tensor([1.0, 0.0], requires_grad=True)
    x.maximum(y).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.5, 1.0])
    np.testing.assert_array_equal(y.grad, [0.5, 0.0])


@pytest.mark.parametrize("op", ["maximum", "minimum"])
@settings(max_examples=30, deadline=None)
@given(x=arrays(shape=(2, 3)), y=arrays(shape=(2, 1)))
def test_maximum_and_minimum_derivatives_match_central_differences_away_from_ties(op, x, y):
    x = y + pushed_away(x - y, [0.0])  # no ties: x − y kept from 0
    assert gradcheck(lambda a, b: getattr(a, op)(b), [x, y])
    assert gradgradcheck(lambda a, b: getattr(a, op)(b) * a * b, [x, y])


def test_maximum_takes_numbers_and_arrays_in_the_tensors_dtype():
    x = Tensor([1.0, -1.0], dtype=np.float32)
    assert x.maximum(0).dtype == np.float32
    np.testing.assert_array_equal(x.maximum(np.zeros(2)).data, [1.0, 0.0])
    np.testing.assert_array_equal(x.minimum(np.float64(0.5)).data, [0.5, -1.0])


def test_maximum_refuses_shapes_that_do_not_broadcast():
    with pytest.raises(ValueError, match=r"maximum: shapes \(2,\) and \(3,\) cannot be broadcast"):
        Tensor([1.0, 2.0]).maximum(Tensor([1.0, 2.0, 3.0]))


# ---------------------------------------------------------------------------
# where
# ---------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    x=arrays(shape=(2, 3)),
    y=arrays(shape=(3,)),
    condition=arrays(shape=(2, 1), elements=st.booleans(), dtype=bool),
)
def test_where_matches_pytorch_in_values_and_gradients_with_broadcasting(x, y, condition):
    ours_x, ours_y = Tensor(x, requires_grad=True), Tensor(y, requires_grad=True)
    their_x, their_y = torch.tensor(x, requires_grad=True), torch.tensor(y, requires_grad=True)
    ours_out = where(Tensor(x) > 0, ours_x, ours_y) * ours_x.where(condition, ours_y)
    their_c = torch.from_numpy(condition)
    their_out = torch.where(their_x > 0, their_x, their_y) * their_x.where(their_c, their_y)
    np.testing.assert_allclose(ours_out.data, their_out.detach().numpy(), rtol=1e-15)
    ours_out.sum().backward()
    their_out.sum().backward()
    np.testing.assert_allclose(ours_x.grad, their_x.grad.numpy(), rtol=1e-14)
    np.testing.assert_allclose(ours_y.grad, their_y.grad.numpy(), rtol=1e-14)


@settings(max_examples=30, deadline=None)
@given(x=arrays(shape=(2, 3)), condition=arrays(shape=(3,), elements=st.booleans(), dtype=bool))
def test_where_first_and_second_derivatives_match_central_differences(x, condition):
    assert gradcheck(lambda t: where(condition, t * t, t.sin()), [x])
    assert gradgradcheck(lambda t: where(condition, t * t * t, t.sin()), [x])


def test_where_sends_the_gradient_only_to_the_chosen_side():
    x, y = Tensor([4.0, -1.0, 0.0], requires_grad=True), Tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = where(x > 0, x, y)
    np.testing.assert_array_equal(out.data, [4.0, 2.0, 3.0])
    out.backward(np.array([10.0, 20.0, 30.0]))
    np.testing.assert_array_equal(x.grad, [10.0, 0.0, 0.0])
    np.testing.assert_array_equal(y.grad, [0.0, 20.0, 30.0])


def test_where_over_a_nan_branch_still_gives_nan_gradients_like_pytorch():
    # The well-known trap: the unchosen sqrt(-1) gets gradient 0, and its backward, 0 / (2 · nan), is nan.
    # The fix is the same in both libraries: clamp the input of the unsafe branch first.
    x, theirs = Tensor([4.0, -1.0], requires_grad=True), torch.tensor([4.0, -1.0], requires_grad=True)
    with np.errstate(invalid="ignore"):
        where(x > 0, x.sqrt(), 0.0).sum().backward()
    torch.where(theirs > 0, theirs.sqrt(), 0.0).sum().backward()
    np.testing.assert_array_equal(x.grad, theirs.grad.numpy())
    assert np.isnan(x.grad[1])
    safe = Tensor([4.0, -1.0], requires_grad=True)
    where(safe > 0, safe.clamp(min=1e-12).sqrt(), 0.0).sum().backward()
    np.testing.assert_array_equal(safe.grad, [0.25, 0.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_where_with_numbers_takes_the_tensors_dtype_or_float32(dtype):
    x = Tensor([1.0, -2.0], dtype=dtype)
    assert where(x > 0, x, 0).dtype == dtype
    assert where(x > 0, -1.5, x).dtype == dtype
    both_numbers = where(x > 0, 1.0, 0.0)
    assert both_numbers.dtype == np.float32 and not both_numbers.requires_grad
    np.testing.assert_array_equal(both_numbers.data, [1.0, 0.0])
    np.testing.assert_array_equal(where(np.array([False, True]), x, np.array([7.0, 8.0])).data, [7.0, -2.0])


def test_where_copies_its_condition():
    condition = np.array([True, False])
    x = Tensor([1.0, 2.0], requires_grad=True)
    out = where(condition, x, 0.0)
    condition[:] = [False, True]
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 0.0])


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda x: where(np.ones((3,), bool), x, x), ValueError, r"where: condition of shape \(3,\), input"),
        (lambda x: where(x > 0, x, Tensor([1.0, 2.0, 3.0])), ValueError, "cannot be broadcast together"),
        (lambda x: where(x, x, 0.0), TypeError, "condition must hold booleans.*float32"),
        (lambda x: where(np.array([1, 0]), x, 0.0), TypeError, "condition must hold booleans.*int64"),
        (lambda x: where("yes", x, 0.0), TypeError, "condition must be a bool Tensor"),
        (lambda x: where(np.array([True, False]), 1.0, 0.0), TypeError, "input or other must be a Tensor"),
        (lambda x: where(x > 0, x, "a"), TypeError, "needs numbers"),
        (lambda x: where(x > 0, x, Tensor([1.0, 2.0], dtype=np.float64)), TypeError, "dtype mismatch"),
    ],
)
def test_where_refuses_bad_input_clearly(call, error, message):
    with pytest.raises(error, match=message):
        call(Tensor([1.0, -1.0]))


# ---------------------------------------------------------------------------
# isnan / isinf / isfinite; dtypes
# ---------------------------------------------------------------------------


def test_isnan_isinf_isfinite_are_pytorchs_bool_tensors_without_gradient():
    x = np.array([0.0, np.nan, np.inf, -np.inf, 1.5])
    t = Tensor(x, requires_grad=True)
    for op in ("isnan", "isinf", "isfinite"):
        out = getattr(t, op)()
        assert out.dtype == np.bool_ and not out.requires_grad
        np.testing.assert_array_equal(out.data, getattr(torch, op)(torch.tensor(x)).numpy())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtypes_are_kept(dtype):
    x = Tensor(np.array([[0.5, 1.0, 2.0], [1.5, 3.0, 0.25]], dtype=dtype), requires_grad=True)
    y = Tensor(np.array([1.0, 1.0, 1.0], dtype=dtype), requires_grad=True)
    outs = [getattr(x, name)() for name in sorted(UNARY)]
    outs += [x.pow(2), x.clamp(0.6, 1.8), x.clip(max=1), x.maximum(y), x.minimum(y), x.where(x > 1, y)]
    assert all(out.dtype == dtype for out in outs)
    sum(out.sum() for out in outs).backward()
    assert x.grad.dtype == dtype and y.grad.dtype == dtype


def test_second_derivatives_go_through_every_new_op_with_create_graph():
    x = Tensor(np.array([0.7, 1.3, 2.1]), requires_grad=True)
    y = (x.sqrt() * x.rsqrt() * x.log2() * x.exp2() * x.sin() * x.cos()).sum()
    y = y + (x.maximum(x * 0.5).minimum(x * 3.0) * x).sum() + (where(x > 1, x * x, x) * x.abs()).sum()
    theirs = torch.tensor(x.data, requires_grad=True)
    t = theirs
    z = (t.sqrt() * t.rsqrt() * t.log2() * t.exp2() * t.sin() * t.cos()).sum()
    z = z + (torch.minimum(torch.maximum(t, t * 0.5), t * 3.0) * t).sum()
    z = z + (torch.where(t > 1, t * t, t) * t.abs()).sum()
    (g_ours,) = grad(y, [x], create_graph=True)
    (g_theirs,) = torch.autograd.grad(z, [theirs], create_graph=True)
    (g_ours * g_ours).sum().backward()
    (g_theirs * g_theirs).sum().backward()
    np.testing.assert_allclose(x.grad, theirs.grad.numpy(), rtol=1e-12)
