"""min, argmax, argmin and logsumexp: gradients and second derivatives against central differences,
values and gradients against PyTorch, dtypes kept, bad input refused."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu import Tensor
from tinygrad_edu.gradcheck import gradcheck, gradgradcheck
from tinygrad_edu.testing import arrays, shapes, values

AXES = st.sampled_from([None, 0, -1, (0, 1)])


#: (3, 4) arrays whose entries are at least 0.1 apart: away from min's kinks, where the minimum switches.
DISTINCT = st.tuples(st.permutations(range(12)), arrays(shape=(3, 4), elements=values(-0.1, 0.1))).map(
    lambda drawn: (np.array(drawn[0], dtype=np.float64).reshape(3, 4) - 5.5) * 0.3 + drawn[1]
)


@settings(max_examples=30, deadline=None)
@given(DISTINCT, AXES, st.booleans())
def test_min_first_and_second_derivatives(x, axis, keepdims):
    assert gradcheck(lambda t: t.min(axis=axis, keepdims=keepdims) ** 2, [x])
    assert gradgradcheck(lambda t: t.exp().min(axis=axis, keepdims=keepdims) ** 2, [x])


@settings(max_examples=30, deadline=None)
@given(arrays(shape=(3, 4)), AXES, st.booleans())
def test_logsumexp_first_and_second_derivatives(x, axis, keepdims):
    assert gradcheck(lambda t: t.logsumexp(axis=axis, keepdims=keepdims), [x])
    assert gradgradcheck(lambda t: t.logsumexp(axis=axis, keepdims=keepdims), [x])


@settings(max_examples=30, deadline=None)
@given(DISTINCT, st.sampled_from([0, 1, -1]), st.booleans())
def test_min_and_logsumexp_match_pytorch(x, dim, keepdim):
    ours, theirs = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    (ours.min(axis=dim, keepdims=keepdim) * ours.logsumexp(axis=dim, keepdims=keepdim)).sum().backward()
    torch_min = torch.amin(theirs, dim=dim, keepdim=keepdim)
    (torch_min * torch.logsumexp(theirs, dim=dim, keepdim=keepdim)).sum().backward()
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.min(axis=dim, keepdims=keepdim).data, torch_min.detach().numpy())
    expected = torch.logsumexp(theirs, dim=dim, keepdim=keepdim).detach().numpy()
    np.testing.assert_allclose(ours.logsumexp(axis=dim, keepdims=keepdim).data, expected, rtol=1e-12)


def test_min_splits_the_gradient_between_ties_like_amin():
    x = np.array([[1.0, 0.0, 0.0], [2.0, 3.0, 2.0]])
    ours, theirs = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours.min(axis=1).sum().backward()
    torch.amin(theirs, dim=1).sum().backward()
    np.testing.assert_array_equal(ours.grad, theirs.grad.numpy())
    np.testing.assert_array_equal(ours.grad, [[0.0, 0.5, 0.5], [0.5, 0.0, 0.5]])


@settings(max_examples=40, deadline=None)
@given(st.data(), shapes(min_dims=1, max_dims=3), st.booleans())
def test_argmax_argmin_match_pytorch_ties_included(data, shape, keepdim):
    x = data.draw(arrays(shape=shape, elements=st.sampled_from([-1.0, 0.0, 2.0])))  # many ties
    dim = data.draw(st.sampled_from([None, *range(-len(shape), len(shape))]))
    for ours, theirs in [
        (Tensor(x).argmax, torch.tensor(x).argmax),
        (Tensor(x).argmin, torch.tensor(x).argmin),
    ]:
        got = ours(axis=dim, keepdims=keepdim)
        expected = theirs(dim=dim, keepdim=keepdim).numpy()
        assert got.dtype == np.int64 and not got.requires_grad
        assert got.shape == expected.shape
        np.testing.assert_array_equal(got.data, expected)


def test_logsumexp_is_stable_where_the_naive_formula_overflows():
    x = Tensor(np.array([1000.0, 1000.0, -np.inf]), requires_grad=True)
    out = x.logsumexp()
    np.testing.assert_allclose(out.data, 1000.0 + np.log(2.0))
    out.backward()
    np.testing.assert_allclose(x.grad, [0.5, 0.5, 0.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtypes_are_kept(dtype):
    x = Tensor(np.arange(6, dtype=dtype).reshape(2, 3), requires_grad=True)
    assert x.min(axis=1).dtype == dtype and x.logsumexp(axis=0).dtype == dtype
    x.logsumexp().backward()
    assert x.grad.dtype == dtype


@pytest.mark.parametrize("op", ["min", "logsumexp", "argmax", "argmin"])
def test_bad_axes_and_empty_axes_are_refused(op):
    x = Tensor(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=f"{op}: axis 2 is out of range"):
        getattr(x, op)(axis=2)
    with pytest.raises(TypeError, match=f"{op}: axis must be"):
        getattr(x, op)(axis=True)
    with pytest.raises(ValueError, match="empty"):
        getattr(Tensor(np.zeros((2, 0))), op)(axis=1)


def test_argmax_takes_one_axis_and_numpy_integers():
    x = Tensor(np.array([[0.0, 5.0], [7.0, 1.0]]))
    np.testing.assert_array_equal(x.argmax(axis=np.int64(1)).data, [1, 0])
    with pytest.raises(TypeError, match="argmax: axis must be an int"):
        x.argmax(axis=(0, 1))


REDUCTIONS = ["sum", "mean", "max", "min", "logsumexp", "argmax", "argmin"]
#: Our max and min split ties evenly, as torch.amax and torch.amin do (torch.max(dim) returns indices too).
TORCH_NAMES = {"max": "amax", "min": "amin"}


@pytest.mark.parametrize("op", REDUCTIONS)
def test_pytorch_spellings_dim_and_keepdim_mean_axis_and_keepdims(op):
    x = Tensor(np.array([[0.0, 5.0, 2.0], [7.0, 1.0, 3.0]]))
    numpy_spelling = getattr(x, op)(axis=1, keepdims=True)
    torch_spelling = getattr(x, op)(dim=1, keepdim=True)
    assert torch_spelling.shape == (2, 1)
    np.testing.assert_array_equal(torch_spelling.data, numpy_spelling.data)
    expected = getattr(torch, TORCH_NAMES.get(op, op))(torch.tensor(x.data), dim=1, keepdim=True)
    np.testing.assert_allclose(torch_spelling.data, expected.numpy(), rtol=1e-15)


@pytest.mark.parametrize("op", [*REDUCTIONS, "softmax", "log_softmax"])
def test_both_spellings_at_once_are_refused(op):
    x = Tensor(np.zeros((2, 3)))
    with pytest.raises(TypeError, match=f"{op}: got both axis= and dim="):
        getattr(x, op)(axis=0, dim=0)


@pytest.mark.parametrize("op", REDUCTIONS)
def test_both_keepdim_spellings_at_once_are_refused(op):
    with pytest.raises(TypeError, match=f"{op}: got both keepdims= and keepdim="):
        getattr(Tensor(np.zeros((2, 3))), op)(axis=0, keepdims=True, keepdim=True)


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_softmax_takes_dim(op):
    x = np.array([[0.0, 5.0, 2.0], [7.0, 1.0, 3.0]])
    expected = getattr(torch.tensor(x), op)(dim=0).numpy()
    np.testing.assert_allclose(getattr(Tensor(x), op)(dim=0).data, expected, rtol=1e-12)
