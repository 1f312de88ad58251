"""Python's protocols on Tensor (bool, len, iter, float, int, np.asarray), and mixing engines, as PyTorch.

Each behaviour is checked on our Tensor and, where PyTorch has the same protocol, on torch.tensor:
the same values, or an error of the same meaning.
"""

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_edu import Tensor, Value
from tinygrad_edu.testing import arrays, shapes


def both(data, requires_grad=False):
    """Ours and PyTorch's tensor of the same float32 data."""
    array = np.asarray(data, dtype=np.float32)
    return Tensor(array, requires_grad=requires_grad), torch.tensor(array, requires_grad=requires_grad)


# ---- bool ----
@pytest.mark.parametrize("data", [0.0, 2.5, [0.0], [[-1.0]], math.nan])
def test_bool_of_one_element_is_its_truth_as_in_pytorch(data):
    ours, theirs = both(data)
    assert bool(ours) is bool(theirs)


@pytest.mark.parametrize("data", [[1.0, 2.0], [[0.0, 0.0]], np.zeros((0,)), np.zeros((2, 0))])
def test_bool_of_several_or_no_elements_is_ambiguous_as_in_pytorch(data):
    ours, theirs = both(data)
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(theirs)
    with pytest.raises(RuntimeError, match=r"Boolean value of a Tensor with .* is ambiguous"):
        bool(ours)


def test_if_on_a_tensor_of_many_elements_does_not_silently_test_its_length():
    with pytest.raises(RuntimeError, match="more than one value"):
        if Tensor([0.0, 0.0]):  # len() is 2, which Python would have used without __bool__
            pass


# ---- len and iter ----
def test_len_and_iter_of_a_0d_tensor_are_type_errors_as_in_pytorch():
    ours, theirs = both(3.0)
    for protocol, message in ((len, "len\\(\\) of a 0-d tensor"), (iter, "iteration over a 0-d tensor")):
        with pytest.raises(TypeError, match=message):
            protocol(theirs)
        with pytest.raises(TypeError, match=message):
            protocol(ours)


@given(arrays(shape=shapes(min_dims=1, max_dims=3, min_side=0)))
def test_len_is_the_first_axis_and_iteration_yields_its_rows_as_in_pytorch(x):
    ours, theirs = both(x)
    assert len(ours) == len(theirs) == x.shape[0]
    rows = list(ours)
    assert len(rows) == len(list(theirs))
    for row, torch_row, array_row in zip(rows, theirs, x.astype(np.float32)):
        assert isinstance(row, Tensor) and row.shape == tuple(torch_row.shape)
        np.testing.assert_array_equal(row.data, torch_row.numpy())
        np.testing.assert_array_equal(row.data, array_row)


def test_the_rows_of_an_iteration_carry_the_gradient_as_in_pytorch():
    x = np.arange(6.0).reshape(3, 2)
    ours, theirs = both(x, requires_grad=True)
    sum(row * (i + 1) for i, row in enumerate(ours)).sum().backward()
    sum(row * (i + 1) for i, row in enumerate(theirs)).sum().backward()
    np.testing.assert_array_equal(ours.grad, theirs.grad.numpy())


# ---- float and int ----
@pytest.mark.parametrize("data", [2.7, [-2.7], [[0.5]], 1e30])
def test_float_and_int_of_one_element_as_in_pytorch(data):
    ours, theirs = both(data)
    assert float(ours) == float(theirs)
    assert int(ours) == int(theirs)


def test_float_of_a_tensor_that_requires_grad_gives_its_value():
    ours, theirs = both(1.5, requires_grad=True)
    with pytest.warns(UserWarning):  # PyTorch warns; we just give the number, as item() does
        expected = float(theirs)
    assert float(ours) == expected


@pytest.mark.parametrize("convert", [float, int])
@pytest.mark.parametrize("data", [[1.0, 2.0], np.zeros((0,))])
def test_float_and_int_of_several_elements_are_value_errors_as_in_pytorch(convert, data):
    ours, theirs = both(data)
    with pytest.raises(ValueError, match="only one element tensors"):
        convert(theirs)
    with pytest.raises(ValueError, match=rf"{convert.__name__}\(\) needs a tensor with one element"):
        convert(ours)


def test_int_of_nan_is_refused_as_in_python():
    with pytest.raises(ValueError, match="NaN"):
        int(Tensor(math.nan))


# ---- numpy ----
@given(arrays())
def test_np_asarray_of_a_tensor_gives_its_values_as_in_pytorch(x):
    ours, theirs = both(x)
    mine = np.asarray(ours)
    assert mine.dtype == np.float32 and mine.shape == x.shape
    np.testing.assert_array_equal(mine, np.asarray(theirs))
    np.testing.assert_array_equal(np.array(ours, dtype=np.float64), x.astype(np.float32))


def test_np_array_copies_by_default_and_asarray_shares():
    t = Tensor([1.0, 2.0])
    copied, shared = np.array(t), np.asarray(t)
    copied[0] = 5.0
    assert t.data[0] == 1.0
    shared[1] = 7.0
    assert t.data[1] == 7.0


def test_np_asarray_of_a_tensor_that_requires_grad_is_refused_as_in_pytorch():
    ours, theirs = both([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="requires grad"):
        np.asarray(theirs)
    with pytest.raises(RuntimeError, match=r"requires grad.*t\.detach\(\)\.numpy\(\)"):
        np.asarray(ours)
    np.testing.assert_array_equal(np.asarray(ours.detach()), [1.0, 2.0])


def test_a_list_of_tensors_becomes_one_numpy_array_not_an_object_array():
    stacked = np.array([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])])
    assert stacked.dtype == np.float32 and stacked.shape == (2, 2)


# ---- mixing the engines ----
@pytest.mark.parametrize(
    "mix",
    [
        lambda t, v: t + v,
        lambda t, v: v + t,
        lambda t, v: t * v,
        lambda t, v: v - t,
        lambda t, v: t / v,
        lambda t, v: v**t,
        lambda t, v: t**v,
        lambda t, v: Tensor(v),
        lambda t, v: Value(t),
    ],
    ids=["T+V", "V+T", "T*V", "V-T", "T/V", "V**T", "T**V", "Tensor(V)", "Value(T)"],
)
def test_a_tensor_and_a_value_refuse_to_mix_in_either_order(mix):
    with pytest.raises(TypeError, match="do not mix: the two engines keep separate graphs"):
        mix(Tensor([1.0, 2.0], requires_grad=True), Value(2.0))


# ---- Python ints beyond int64 ----
@pytest.mark.parametrize("number", [2**63, 2**70, -(2**63) - 1, -(2**100)])
def test_ints_beyond_int64_are_refused_as_in_pytorch(number):
    with pytest.raises((ValueError, RuntimeError), match="Overflow"):
        torch.tensor(number)
    for make in (lambda: Tensor(number), lambda: Tensor([[1.0], [number]])):
        with pytest.raises(OverflowError, match="outside the int64 range"):
            make()


@pytest.mark.parametrize(
    "op", [lambda t, n: t + n, lambda t, n: n * t, lambda t, n: t - n, lambda t, n: t**n]
)
def test_ops_with_an_int_beyond_int64_are_refused_never_wrapped_or_rounded(op):
    with pytest.raises(OverflowError, match="outside the int64 range"):
        op(Tensor([1.0]), 2**70)
    with pytest.raises(OverflowError):
        op(torch.ones(1), 2**70)


@given(st.integers(-(2**63), 2**63 - 1))
def test_every_int64_is_accepted_as_a_float32_as_in_pytorch(number):
    ours = Tensor(number)
    assert ours.dtype == np.float32
    assert ours.item() == float(np.float32(number)) == float(torch.tensor(float(number)))
