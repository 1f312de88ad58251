"""var, std, prod and cumsum: gradients and second derivatives against central differences, values
and gradients against PyTorch (zeros in prod included), dtypes kept, bad input refused."""

import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu import Tensor, grad
from tinygrad_edu.gradcheck import gradcheck, gradgradcheck
from tinygrad_edu.testing import arrays

AXES = st.sampled_from([None, 0, -1, (0, 1), (1,)])
CORRECTIONS = st.sampled_from([0, 1, 0.5, np.int64(1), np.float32(0.5)])
#: Entries of (3, 4) arrays for prod: zeros are common (none, one or several on a line).
ZERO_PRONE = st.one_of(st.just(0.0), st.floats(-2.0, 2.0, allow_nan=False))


@settings(max_examples=30, deadline=None)
@given(arrays(shape=(3, 4)), AXES, CORRECTIONS, st.booleans())
def test_var_first_and_second_derivatives(x, axis, correction, keepdims):
    assert gradcheck(lambda t: t.var(axis, correction=correction, keepdims=keepdims), [x])
    assert gradgradcheck(lambda t: t.var(axis, correction=correction, keepdims=keepdims), [x])


@settings(max_examples=30, deadline=None)
@given(arrays(shape=(3, 4)), AXES, st.booleans())
def test_std_first_and_second_derivatives(x, axis, keepdims):
    x = x + np.arange(12.0).reshape(3, 4)  # entries ≥ 0.5 apart along every axis: std well away from 0
    assert gradcheck(lambda t: t.std(axis, keepdims=keepdims), [x])
    assert gradgradcheck(lambda t: t.std(axis, keepdims=keepdims), [x])


@settings(max_examples=40, deadline=None)
@given(arrays(shape=(3, 4), elements=ZERO_PRONE), st.sampled_from([None, 0, 1, -1]), st.booleans())
def test_prod_first_and_second_derivatives_with_zeros(x, dim, keepdim):
    assert gradcheck(lambda t: t.prod(dim, keepdim), [x])
    assert gradgradcheck(lambda t: t.prod(dim, keepdim), [x])


@settings(max_examples=30, deadline=None)
@given(arrays(shape=(3, 4)), st.sampled_from([0, 1, -1, -2]))
def test_cumsum_first_and_second_derivatives(x, dim):
    assert gradcheck(lambda t: t.cumsum(dim), [x])
    assert gradgradcheck(lambda t: t.cumsum(dim) ** 2, [x])


@settings(max_examples=30, deadline=None)
@given(arrays(shape=(3, 4)), st.sampled_from([None, 0, 1, (0, 1)]), CORRECTIONS, st.booleans())
def test_var_and_std_match_pytorch(x, dim, correction, keepdim):
    x = x + np.arange(12.0).reshape(3, 4)
    ours, theirs = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    c = float(correction)
    ours_var = ours.var(dim, correction=correction, keepdim=keepdim)
    (ours_var * ours.std(dim=dim, keepdim=keepdim)).sum().backward()
    their_var = theirs.var(dim=dim, correction=c, keepdim=keepdim)
    (their_var * theirs.std(dim=dim, keepdim=keepdim)).sum().backward()
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-10, atol=1e-12)
    got = ours.var(dim, correction=correction, keepdim=keepdim).data
    np.testing.assert_allclose(got, their_var.detach().numpy(), rtol=1e-12)
    assert got.shape == tuple(their_var.shape)


@settings(max_examples=40, deadline=None)
@given(arrays(shape=(3, 4), elements=ZERO_PRONE), st.sampled_from([None, 0, 1, -1]), st.booleans())
def test_prod_and_cumsum_match_pytorch_zeros_included(x, dim, keepdim):
    ours, theirs = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    if dim is None:
        ours_out, their_out = ours.prod(), theirs.prod()
    else:
        ours_out, their_out = ours.prod(dim, keepdim), theirs.prod(dim, keepdim=keepdim)
    assert ours_out.shape == tuple(their_out.shape)
    np.testing.assert_allclose(ours_out.data, their_out.detach().numpy(), rtol=1e-12)
    ours_out.sum().backward()
    their_out.sum().backward()
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-10, atol=1e-12)
    running = -1 if dim is None else dim
    np.testing.assert_allclose(Tensor(x).cumsum(running).data, torch.tensor(x).cumsum(running).numpy())


@pytest.mark.parametrize(
    "line, expected_grad",
    [
        ([2.0, 0.0, 3.0], [0.0, 6.0, 0.0]),  # one zero: only it gets a gradient, the product of the others
        ([2.0, 0.0, 0.0], [0.0, 0.0, 0.0]),  # two zeros: every product of others holds a zero
        ([0.0], [1.0]),  # the product of no others is 1
    ],
)
def test_prod_gradient_is_the_product_of_the_others_also_at_zeros(line, expected_grad):
    x = Tensor(np.array(line), requires_grad=True)
    x.prod().backward()
    np.testing.assert_array_equal(x.grad, expected_grad)


def test_prod_second_derivative_with_two_zeros_matches_pytorch():
    x = np.array([[0.0, 0.0, 2.0, 3.0], [1.0, 0.0, 2.0, -1.0]])
    ours, theirs = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    (g_ours,) = grad(ours.prod(1).sum(), [ours], create_graph=True)
    (g_theirs,) = torch.autograd.grad(theirs.prod(1).sum(), [theirs], create_graph=True)
    (g_ours * g_ours).sum().backward()
    (g_theirs * g_theirs).sum().backward()
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), atol=1e-12)
    assert np.any(ours.grad != 0)


def test_cumsum_gradient_is_the_running_sum_from_the_end():
    x = Tensor(np.zeros(4), requires_grad=True)
    x.cumsum(0).backward(np.array([1.0, 2.0, 3.0, 4.0]))
    np.testing.assert_array_equal(x.grad, [10.0, 9.0, 7.0, 4.0])


def test_std_passes_on_zero_where_the_spread_is_zero_like_pytorch():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    out = x.std(dim=1)
    np.testing.assert_array_equal(out.data, [0.0, 0.0])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, np.zeros((2, 3)))


@pytest.mark.parametrize(
    "shape, dim, correction",
    [((1,), None, 1), ((2,), None, 2), ((2,), None, 3), ((0,), None, 1), ((2, 0), 1, 1), ((), None, 1)],
)
def test_var_with_no_degrees_of_freedom_gives_pytorchs_inf_or_nan_and_warns(shape, dim, correction):
    x = np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape)
    with pytest.warns(UserWarning, match="degrees of freedom"):
        got = Tensor(x).var(dim, correction=correction).data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = torch.tensor(x).var(dim=dim, correction=correction).numpy()
    np.testing.assert_array_equal(got, expected)  # (nan == nan for assert_array_equal)


def test_empty_and_zero_dimensional_inputs_match_pytorch():
    np.testing.assert_array_equal(Tensor(np.zeros(0)).prod().data, 1.0)
    np.testing.assert_array_equal(Tensor(np.zeros((2, 0))).prod(1).data, [1.0, 1.0])
    assert Tensor(np.zeros((0, 3))).cumsum(0).shape == (0, 3)
    assert Tensor(np.float64(3.0)).prod().item() == 3.0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtypes_are_kept(dtype):
    x = Tensor(np.arange(1, 7, dtype=dtype).reshape(2, 3), requires_grad=True)
    outs = [x.var(0), x.std(1), x.prod(0), x.prod(), x.cumsum(1)]
    assert all(out.dtype == dtype for out in outs)
    sum(out.sum() for out in outs).backward()
    assert x.grad.dtype == dtype


@pytest.mark.parametrize("op", ["var", "std", "prod", "cumsum"])
def test_pytorch_spellings_dim_and_keepdim_mean_axis_and_keepdims(op):
    x = Tensor(np.array([[0.0, 5.0, 2.0], [7.0, 1.0, 3.0]]))
    if op == "cumsum":
        np.testing.assert_array_equal(x.cumsum(dim=1).data, x.cumsum(axis=1).data)
        return
    torch_spelling = getattr(x, op)(dim=1, keepdim=True)
    assert torch_spelling.shape == (2, 1)
    np.testing.assert_array_equal(torch_spelling.data, getattr(x, op)(axis=1, keepdims=True).data)
    np.testing.assert_array_equal(getattr(x, op)(dim=np.int64(1)).data, getattr(x, op)(1).data)


@pytest.mark.parametrize("op", ["var", "std", "prod", "cumsum"])
def test_bad_axes_are_refused(op):
    x = Tensor(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=f"{op}: axis 2 is out of range"):
        getattr(x, op)(2)
    with pytest.raises(TypeError, match=f"{op}: axis must be"):
        getattr(x, op)(True)
    with pytest.raises(TypeError, match="got both"):
        getattr(x, op)(axis=0, dim=0)
    with pytest.raises(ValueError, match=f"{op}: axis 0 is out of range for a tensor with 0 axes"):
        getattr(Tensor(np.float64(1.0)), op)(0)


def test_prod_and_cumsum_take_one_axis_like_pytorch_and_cumsum_needs_it():
    x = Tensor(np.ones((2, 3)))
    for op in (x.prod, x.cumsum):
        with pytest.raises(TypeError, match="axis must be an int"):
            op((0, 1))
    with pytest.raises(TypeError, match="cumsum: dim is required"):
        x.cumsum()


@pytest.mark.parametrize("correction", [True, "1", None, np.nan, np.inf, [1]])
def test_bad_corrections_are_refused(correction):
    with pytest.raises((TypeError, ValueError), match="correction must be"):
        Tensor(np.ones(3)).var(correction=correction)
    with pytest.raises((TypeError, ValueError), match="std: correction must be"):
        Tensor(np.ones(3)).std(correction=correction)
