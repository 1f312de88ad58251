"""Comparisons: == != < <= > >= and eq ne lt le gt ge give PyTorch's bool tensors, outside the graph;
tensors stay hashable by identity; bool tensors combine (~ & | ^), index, cast (.float(), .double())
and take the other operand's dtype in arithmetic, as in PyTorch."""

import operator

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu import Tensor, Value, grad, nn, optim
from tinygrad_edu.gradcheck import gradcheck
from tinygrad_edu.testing import arrays, values

TIE_PRONE = st.sampled_from([-1.0, 0.0, 1.0, np.nan]) | st.floats(-2.0, 2.0, allow_nan=False)
#: symbol → (the operator, our method's name; PyTorch's method has the same name)
COMPARISONS = {
    "==": (operator.eq, "eq"),
    "!=": (operator.ne, "ne"),
    "<": (operator.lt, "lt"),
    "<=": (operator.le, "le"),
    ">": (operator.gt, "gt"),
    ">=": (operator.ge, "ge"),
}


@pytest.mark.parametrize("symbol", sorted(COMPARISONS))
@settings(max_examples=30, deadline=None)
@given(x=arrays(shape=(2, 3), elements=TIE_PRONE), y=arrays(shape=(3,), elements=TIE_PRONE))
def test_comparisons_of_tensors_match_pytorch_broadcast_and_nan_included(symbol, x, y):
    compare, method = COMPARISONS[symbol]
    expected = compare(torch.tensor(x), torch.tensor(y)).numpy()
    for got in (compare(Tensor(x), Tensor(y)), getattr(Tensor(x), method)(Tensor(y))):
        assert got.dtype == np.bool_ and got.shape == expected.shape
        np.testing.assert_array_equal(got.data, expected)


@pytest.mark.parametrize("symbol", sorted(COMPARISONS))
@pytest.mark.parametrize("other", [0.5, 0, np.float64(1.0), np.int64(-1), np.array([0.0, 1.0, -1.0]), True])
def test_comparisons_with_numbers_and_arrays_match_pytorch_on_either_side(symbol, other):
    compare, method = COMPARISONS[symbol]
    x = np.array([[-1.0, 0.0, 1.0], [0.5, 1.0, 2.0]])
    their_other = torch.tensor(other) if isinstance(other, np.ndarray) else other
    expected = compare(torch.tensor(x), their_other).numpy()
    np.testing.assert_array_equal(compare(Tensor(x), other).data, expected)
    np.testing.assert_array_equal(getattr(Tensor(x), method)(other).data, expected)
    reflected = compare(their_other, torch.tensor(x)).numpy()
    np.testing.assert_array_equal(compare(other, Tensor(x)).data, reflected)  # (other on the left)


def test_a_number_is_taken_in_the_tensors_dtype_first_as_in_pytorch():
    x = Tensor([0.1], dtype=np.float32)
    assert bool(x == 0.1) == bool(torch.tensor([0.1]) == 0.1) is True  # numpy would say False here
    assert bool(Tensor([0.1], dtype=np.float64) == 0.1)


def test_results_carry_no_gradient_even_from_a_tensor_that_requires_one():
    x = Tensor([1.0, -2.0], requires_grad=True)
    for out in (x > 0, x == x, x.le(0.5), x != 1, ~(x > 0), (x > 0) & (x < 3)):
        assert out.dtype == np.bool_ and not out.requires_grad
    with pytest.raises(RuntimeError, match="does not require grad"):
        (x > 0).backward(np.ones(2))


def test_equality_compares_values_now_not_identity():
    a, b = Tensor([1.0, 2.0]), Tensor([1.0, 3.0])
    np.testing.assert_array_equal((a == b).data, [True, False])
    np.testing.assert_array_equal((a != b).data, [False, True])
    assert bool(Tensor([2.0]) == Tensor([2.0]))  # two tensors, equal values: True (was False)


def test_bool_of_a_many_element_comparison_is_ambiguous_like_pytorch():
    x = Tensor([1.0, 2.0])
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(x == x)
    with pytest.raises(RuntimeError, match="ambiguous"):
        if x > 0:
            pass
    assert bool(Tensor(3.0) > 2) and not bool(Tensor([3.0]) < 2)
    with pytest.raises(RuntimeError):
        bool(torch.tensor([1.0, 2.0]) == torch.tensor([1.0, 2.0]))


def test_tensors_stay_hashable_by_identity():
    a, b = Tensor([1.0]), Tensor([1.0])  # equal values, two tensors
    assert len({a, b}) == 2 and a in {a} and b not in {a}
    lookup = {a: "a", b: "b"}
    assert lookup[a] == "a" and lookup[b] == "b"
    assert hash(a) != hash(b)


def test_equal_valued_parameters_stay_distinct_in_modules_and_optimizers():
    layer = nn.Linear(2, 2)
    layer.weight.data[:], layer.bias.data[:] = 0.0, 0.0
    second = nn.Linear(2, 2)
    second.weight.data[:], second.bias.data[:] = 0.0, 0.0
    model = nn.Sequential(layer, second)
    assert len(model.parameters()) == 4
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x = Tensor(np.ones((3, 2)), dtype=np.float32)
    model(x).sum().backward()
    opt.step()
    assert len(opt.state_dict()) > 0


@pytest.mark.parametrize("other", [None, "a", [1.0, 2.0], object()])
def test_equality_with_what_is_no_number_or_array_is_pythons_false_as_in_pytorch(other):
    x = Tensor([1.0, 2.0])
    assert (x == other) is (torch.tensor([1.0, 2.0]) == other) is False
    assert (x != other) is True


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda x: x < None, TypeError, "not supported"),
        (lambda x: x.lt("a"), TypeError, "needs numbers"),
        (lambda x: x > Value(1.0), TypeError, "do not mix"),
        (lambda x: x.ge(Tensor([1.0, 2.0], dtype=np.float64)), TypeError, "dtype mismatch"),
        (lambda x: x.eq(Tensor([1.0, 2.0, 3.0])), ValueError, r"eq: shapes \(2,\) and \(3,\) cannot"),
        (lambda x: x & (x > 0), TypeError, "& needs bool tensors.*float32"),
        (lambda x: ~x, TypeError, "~ needs a bool tensor"),
        (lambda x: (x > 0) | np.array([1.0, 0.0]), TypeError, r"\| needs bool tensors.*float64"),
        (lambda x: (x > 0) ^ np.ones(3, bool), ValueError, r"\^: shapes \(2,\) and \(3,\)"),
        (lambda x: x[Tensor([0.0])], TypeError, "not a Tensor of float32"),
    ],
)
def test_bad_input_is_refused_clearly(call, error, message):
    with pytest.raises(error, match=message):
        call(Tensor([1.0, -1.0]))


@settings(max_examples=30, deadline=None)
@given(
    a=arrays(shape=(2, 3), elements=st.booleans(), dtype=bool),
    b=arrays(shape=(3,), elements=st.booleans(), dtype=bool),
)
def test_logic_on_bool_tensors_matches_pytorch(a, b):
    ours_a, ours_b = Tensor(a, dtype=np.float64) > 0.5, Tensor(b, dtype=np.float64) > 0.5
    their_a, their_b = torch.from_numpy(a), torch.from_numpy(b)
    for combine in (operator.and_, operator.or_, operator.xor):
        np.testing.assert_array_equal(combine(ours_a, ours_b).data, combine(their_a, their_b).numpy())
        np.testing.assert_array_equal(combine(ours_a, b).data, combine(their_a, their_b).numpy())
        np.testing.assert_array_equal(combine(True, ours_b).data, combine(True, their_b).numpy())
    np.testing.assert_array_equal((~ours_a).data, (~their_a).numpy())


# ---------------------------------------------------------------------------
# bool tensors as numbers: arithmetic, casts, masks
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_bool_tensor_times_a_float_tensor_is_float_with_pytorchs_gradient(dtype):
    x = np.array([-1.0, 0.0, 2.0, 3.0], dtype=dtype)
    ours, theirs = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)

    def f(t):  # the same program in both libraries
        return (t > 0) * t + t * (t < 3) - (t == 0) * t * 1.5 + t * t * (t >= 0)

    ours_out, their_out = f(ours), f(theirs)
    assert ours_out.dtype == dtype and their_out.dtype == torch.from_numpy(x).dtype
    np.testing.assert_array_equal(ours_out.data, their_out.detach().numpy())
    ours_out.sum().backward()
    their_out.sum().backward()
    np.testing.assert_array_equal(ours.grad, theirs.grad.numpy())
    assert ours.grad.dtype == dtype


def test_a_bool_tensor_beside_a_number_is_float32_as_pytorchs_default():
    mask = Tensor([1.0, -1.0]) > 0
    assert (mask * 2.5).dtype == np.float32 == (2.5 - mask).dtype
    np.testing.assert_array_equal((mask * 2.5).data, [2.5, 0.0])
    np.testing.assert_array_equal((mask + mask).data, [True, False])  # bool + bool: logical or, as PyTorch


def test_a_float64_tensor_beside_a_float32_mask_product_is_refused_not_promoted():
    # PyTorch promotes float32 + float64 to float64; here dtypes never change silently: say .double()
    x = Tensor([1.0, -1.0], dtype=np.float64)
    with pytest.raises(TypeError, match="dtype mismatch: float64 and float32"):
        x + (x > 0) * 2.0
    np.testing.assert_array_equal((x + (x > 0).double() * 2.0).data, [3.0, -1.0])


@settings(max_examples=30, deadline=None)
@given(arrays(shape=(2, 3), elements=values(avoid=[0.0])))  # drawn away from the kink, not filtered
def test_a_mask_product_has_the_finite_difference_gradient_away_from_the_kink(x):
    assert gradcheck(lambda t: (t > 0) * t * t + t * (t < 0), [x])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_and_double_cast_like_pytorch_and_pass_gradients_back_in_the_sources_dtype(dtype):
    x = Tensor(np.array([1.5, -2.0], dtype=dtype), requires_grad=True)
    mask = x > 0
    np.testing.assert_array_equal(mask.float().data, np.array([1.0, 0.0], dtype=np.float32))
    assert mask.float().dtype == np.float32 and mask.double().dtype == np.float64
    assert not mask.float().requires_grad
    assert (x.float() is x) == (dtype == np.float32) and (x.double() is x) == (dtype == np.float64)
    other = x.double() if dtype == np.float32 else x.float()
    assert other.requires_grad
    (other * other).sum().backward()
    assert x.grad.dtype == dtype
    np.testing.assert_allclose(x.grad, 2 * x.data)


def test_casts_have_second_derivatives():
    x = Tensor(np.array([1.5, -2.0], dtype=np.float32), requires_grad=True)
    (g,) = grad((x.double() ** 3).sum(), [x], create_graph=True)
    assert g.dtype == np.float32
    g.sum().backward()
    np.testing.assert_allclose(x.grad, 6 * x.data, rtol=1e-6)


def test_a_comparison_indexes_and_masks_like_pytorch():
    x = np.array([[-1.0, 2.0], [3.0, -4.0]])
    ours, theirs = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours_out = ours[ours > 0].sum() + ours.masked_fill(ours < 0, 0.0).sum() + ours[ours.argmax(1)].sum()
    their_out = theirs[theirs > 0].sum() + theirs.masked_fill(theirs < 0, 0.0).sum()
    their_out = their_out + theirs[theirs.argmax(1)].sum()
    np.testing.assert_allclose(ours_out.data, their_out.detach().numpy())
    ours_out.backward()
    their_out.backward()
    np.testing.assert_array_equal(ours.grad, theirs.grad.numpy())


def test_numpy_arrays_on_the_left_compare_elementwise_too():
    x = Tensor([1.0, 2.0])
    out = np.array([1.0, 3.0]) == x
    assert isinstance(out, Tensor) and out.dtype == np.bool_
    np.testing.assert_array_equal(out.data, [True, False])
    np.testing.assert_array_equal((np.array([0.0, 5.0]) < x).data, [True, False])


@pytest.mark.parametrize(
    "op, numpy_would_give",
    [
        (lambda m: m.exp(), "float16"),
        (lambda m: m.sqrt(), "float16"),
        (lambda m: m.sum(), "int64"),
        (lambda m: m.relu(), "float64"),
        (lambda m: m / m, "float64"),
    ],
    ids=["exp", "sqrt", "sum", "relu", "divide"],
)
def test_an_op_that_would_change_a_bool_tensors_dtype_asks_for_a_cast(op, numpy_would_give):
    mask = Tensor(np.array([1.0, -1.0])) > 0
    with pytest.raises(TypeError, match=f"would give {numpy_would_give}: cast it first with .float()"):
        with np.errstate(all="ignore"):  # numpy computes (0 / 0 included) before the result is refused
            op(mask)
    with np.errstate(all="ignore"):
        assert op(mask.float()).dtype == np.float32  # the cast the message names works


def test_ops_that_keep_a_bool_tensors_dtype_or_take_the_float_operands_still_work():
    x = Tensor(np.array([1.0, -1.0, 2.0]))
    mask = x > 0
    assert (mask | ~mask).dtype == bool and mask.reshape(3, 1).dtype == bool and mask[0].dtype == bool
    assert (mask * x).dtype == np.float64 and (mask + 1.5).dtype == np.float32
    np.testing.assert_array_equal(x[mask].data, [1.0, 2.0])
