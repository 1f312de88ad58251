"""unfold/fold (im2col/col2im), conv2d, the pools: first and second derivatives, PyTorch, bad input."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu import Tensor, fold, grad, nn, no_grad
from tinygrad_edu.gradcheck import gradcheck, gradgradcheck
from tinygrad_edu.nn.functional import avg_pool2d, conv2d, max_pool2d


@st.composite
def conv_configs(draw):
    """A conv2d problem whose kernel fits its padded input: (x, w, b, stride, padding, dilation, groups)."""
    groups = draw(st.integers(1, 2))
    c, o = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride, padding, dilation = (
        draw(st.tuples(st.integers(lo, hi), st.integers(lo, hi))) for lo, hi in ((1, 2), (0, 1), (1, 2))
    )
    span = [dilation[a] * (k[a] - 1) + 1 - 2 * padding[a] for a in range(2)]
    h, w = (draw(st.integers(max(span[a], 1), max(span[a], 1) + 2)) for a in range(2))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = rng.normal(size=(draw(st.integers(1, 2)), c, h, w))
    weight, bias = rng.normal(size=(o, c // groups, *k)), rng.normal(size=o)
    return x, weight, bias, stride, padding, dilation, groups


@settings(max_examples=25, deadline=None)
@given(conv_configs())
def test_conv2d_first_and_second_derivatives_match_central_differences(config):
    x, w, b, stride, padding, dilation, groups = config
    fn = lambda x, w, b: conv2d(x, w, b, stride, padding, dilation, groups)  # noqa: E731
    assert gradcheck(fn, [x, w, b])
    assert gradgradcheck(lambda x, w, b: fn(x, w, b) * fn(x, w, b), [x, w, b])


@settings(max_examples=25, deadline=None)
@given(conv_configs())
def test_unfold_and_fold_derivatives_and_adjointness(config):
    x, w, _, stride, padding, dilation, _ = config
    k = w.shape[2:]
    cols = Tensor(x).unfold(k, dilation, padding, stride)
    y = np.random.default_rng(0).normal(size=cols.shape)
    folded = fold(Tensor(y), x.shape[2:], k, dilation, padding, stride)
    assert np.isclose((cols.data * y).sum(), (x * folded.data).sum())  # ⟨unfold x, y⟩ = ⟨x, fold y⟩
    assert gradgradcheck(lambda t: t.unfold(k, dilation, padding, stride) ** 2, [x])
    assert gradgradcheck(lambda t: fold(t, x.shape[2:], k, dilation, padding, stride) ** 2, [y])


@settings(max_examples=25, deadline=None)
@given(conv_configs())
def test_conv2d_unfold_fold_agree_with_pytorch_values_and_gradients(config):
    x, w, b, stride, padding, dilation, groups = config
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    X, W, B = (Tensor(a, requires_grad=True) for a in (x, w, b))
    y = conv2d(X, W, B, stride, padding, dilation, groups)
    ty = torch.nn.functional.conv2d(tx, tw, tb, stride, padding, dilation, groups)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), atol=1e-12)
    (y * y).sum().backward()
    (ty * ty).sum().backward()
    for ours, theirs in ((X, tx), (W, tw), (B, tb)):
        np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), atol=1e-10)
    k = w.shape[2:]
    cols = torch.nn.functional.unfold(tx, k, dilation, padding, stride)
    np.testing.assert_allclose(X.unfold(k, dilation, padding, stride).data, cols.detach().numpy())
    np.testing.assert_allclose(
        fold(Tensor(cols.detach().numpy()), x.shape[2:], k, dilation, padding, stride).data,
        torch.nn.functional.fold(cols, x.shape[2:], k, dilation, padding, stride).detach().numpy(),
        atol=1e-12,
    )


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 3), st.integers(1, 2), st.integers(0, 1), st.integers(0, 2**16))
def test_avg_pool2d_matches_pytorch_and_central_differences(k, stride, padding, seed):
    padding = min(padding, k // 2)  # PyTorch's rule: padding at most half the kernel
    x = np.random.default_rng(seed).normal(size=(2, 3, 5, 4))
    ours = avg_pool2d(Tensor(x), k, stride, padding).data
    np.testing.assert_allclose(
        ours, torch.nn.functional.avg_pool2d(torch.tensor(x), k, stride, padding).numpy()
    )
    assert gradcheck(lambda t: avg_pool2d(t, k, stride, padding), [x])
    assert gradgradcheck(lambda t: avg_pool2d(t, k, stride, padding) ** 2, [x])


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 3), st.integers(1, 2), st.integers(0, 1), st.integers(1, 2), st.integers(0, 2**16))
def test_max_pool2d_matches_pytorch_and_central_differences_away_from_ties(
    k, stride, padding, dilation, seed
):
    padding = min(padding, k // 2)
    # distinct values at least 0.1 apart: no window has a tie within the finite-difference step
    x = np.random.default_rng(seed).permutation(40).reshape(1, 2, 5, 4) / 10.0 - 2.0
    tx = torch.tensor(x, requires_grad=True)
    X = Tensor(x, requires_grad=True)
    y, ty = (
        max_pool2d(X, k, stride, padding, dilation),
        torch.nn.functional.max_pool2d(tx, k, stride, padding, dilation),
    )
    np.testing.assert_array_equal(y.data, ty.detach().numpy())
    (y * y).sum().backward()
    (ty * ty).sum().backward()
    np.testing.assert_allclose(X.grad.data, tx.grad.numpy())
    assert gradcheck(lambda t: max_pool2d(t, k, stride, padding, dilation), [x])
    assert gradgradcheck(lambda t: max_pool2d(t, k, stride, padding, dilation) ** 2, [x])


def test_max_pool2d_gives_a_tie_to_the_first_element_and_ignores_padding_like_pytorch():
    x = np.array([[[[-1.0, -1.0], [-1.0, -3.0]]]])
    tx = torch.tensor(x, requires_grad=True)
    X = Tensor(x, requires_grad=True)
    max_pool2d(X, 3, 1, 1).sum().backward()
    torch.nn.functional.max_pool2d(tx, 3, 1, 1).sum().backward()
    assert max_pool2d(Tensor(x), 3, 1, 1).data.max() == -1.0  # the zero padding never wins
    np.testing.assert_array_equal(X.grad.data, tx.grad.numpy())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_conv2d_and_its_gradient_keep_the_dtype(dtype):
    x = Tensor(np.ones((1, 2, 4, 4), dtype), requires_grad=True)
    w = Tensor(np.ones((3, 2, 3, 3), dtype), requires_grad=True)
    y = conv2d(x, w, padding=1)
    y.sum().backward()
    assert y.dtype == x.grad.dtype == w.grad.dtype == dtype


def test_bad_input_names_the_shapes():
    x, w = Tensor(np.ones((1, 3, 4, 4))), Tensor(np.ones((4, 2, 3, 3)))
    with pytest.raises(ValueError, match=r"input channels 3 and weight \(4, 2, 3, 3\) do not fit groups=2"):
        conv2d(x, w, groups=2)
    with pytest.raises(ValueError, match=r"kernel \(5, 5\) is larger than the padded input \(4, 4\)"):
        conv2d(Tensor(np.ones((1, 2, 4, 4))), Tensor(np.ones((1, 2, 5, 5))))
    with pytest.raises(ValueError, match=r"must be 4-d .* got shape \(3, 4, 4\)"):
        avg_pool2d(Tensor(np.ones((3, 4, 4))), 2)
    with pytest.raises(ValueError, match=r"input \(3, 4, 4\) and weight"):
        conv2d(Tensor(np.ones((3, 4, 4))), w)
    with pytest.raises(TypeError, match="stride must be an int or a pair of ints"):
        conv2d(Tensor(np.ones((1, 2, 4, 4))), Tensor(np.ones((1, 2, 3, 3))), stride=1.5)
    with pytest.raises(ValueError, match=r"padding \(2, 2\) must be at most half the kernel \(3, 3\)"):
        max_pool2d(Tensor(np.ones((1, 1, 5, 5))), 3, padding=2)
    with pytest.raises(ValueError, match=r"fold: input of shape \(1, 4, 5\) does not fit"):
        fold(Tensor(np.ones((1, 4, 5))), (3, 3), 2)


def hessian_vector_products(fn, arrays, gradient, directions, grad_fn, as_tensor):
    """Hv for each input of ⟨gradient, fn(inputs)⟩, by `grad_fn` (ours or torch's) twice."""
    leaves = [as_tensor(a) for a in arrays]
    firsts = grad_fn(fn(*leaves), leaves, grad_outputs=as_tensor(gradient, False), create_graph=True)
    total = sum((g * as_tensor(v, False)).sum() for g, v in zip(firsts, directions))
    return [np.asarray(s.detach().numpy() if hasattr(s, "detach") else s.data)
            for s in grad_fn(total, leaves)]


@settings(max_examples=25, deadline=None)
@given(conv_configs(), st.integers(0, 2**16))
def test_conv2d_hessian_vector_products_match_pytorch(config, seed):
    x, w, b, stride, padding, dilation, groups = config
    rng = np.random.default_rng(seed)
    arrays = (x, w, b)
    ours_fn = lambda x, w, b: conv2d(x, w, b, stride, padding, dilation, groups) ** 2  # noqa: E731
    torch_fn = lambda x, w, b: torch.nn.functional.conv2d(x, w, b, stride, padding, dilation, groups) ** 2  # noqa: E731
    gradient = rng.uniform(0.5, 1.5, size=ours_fn(*map(Tensor, arrays)).shape)
    directions = [rng.uniform(-1, 1, size=a.shape) for a in arrays]
    ours = hessian_vector_products(
        ours_fn, arrays, gradient, directions, grad, lambda a, g=True: Tensor(a, requires_grad=g)
    )
    theirs = hessian_vector_products(
        torch_fn, arrays, gradient, directions, torch.autograd.grad,
        lambda a, g=True: torch.tensor(a, requires_grad=g),
    )
    for a, b_ in zip(ours, theirs):
        np.testing.assert_allclose(a, b_, rtol=1e-9, atol=1e-9)


def test_max_pool2d_propagates_nan_and_gives_its_gradient_to_the_last_nan_like_pytorch():
    nan, inf = np.nan, np.inf
    rows = [[1.0, nan, 0.0, 5.0], [nan, 0.0, -1.0, 2.0], [-inf, -inf, 3.0, 3.0], [-inf, -inf, 3.0, 1.0]]
    x = np.array(rows)[None, None]
    for k, stride, padding in ((2, 2, 0), (3, 1, 1), (2, 1, 1)):
        tx = torch.tensor(x, requires_grad=True)
        X = Tensor(x, requires_grad=True)
        y, ty = max_pool2d(X, k, stride, padding), torch.nn.functional.max_pool2d(tx, k, stride, padding)
        np.testing.assert_array_equal(y.data, ty.detach().numpy())  # (nan equals nan here)
        with no_grad():  # (no masks are made then: the max alone)
            np.testing.assert_array_equal(max_pool2d(X, k, stride, padding).data, y.data)
        seed = np.ones(y.shape)
        seed.flat[0] = inf  # an infinite gradient reaches the argmax only, not its window's other elements
        y.backward(seed)
        ty.backward(torch.tensor(seed))
        np.testing.assert_array_equal(X.grad, tx.grad.numpy())


def test_a_window_of_minus_infinities_gives_its_gradient_to_its_first_real_element():
    x = np.full((1, 1, 3, 3), -np.inf)
    tx = torch.tensor(x, requires_grad=True)
    X = Tensor(x, requires_grad=True)
    max_pool2d(X, 3, 2, 1).sum().backward()
    torch.nn.functional.max_pool2d(tx, 3, 2, 1).sum().backward()
    np.testing.assert_array_equal(X.grad, tx.grad.numpy())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_small_cnn_matches_pytorch_through_channels_first_intermediates(dtype):
    """conv2d's outputs lie in memory channels-first; the pools and the next conv2d read them so."""
    rng = np.random.default_rng(0)
    ours = nn.Sequential(
        nn.Conv2d(2, 4, 3, padding=1, dtype=dtype, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3, padding=1, groups=2, dtype=dtype, rng=rng), nn.ReLU(), nn.AvgPool2d(2, 1),
        nn.MaxPool2d(3, 1, 1), nn.Flatten(), nn.Linear(24, 3, dtype=dtype, rng=rng),
    )
    theirs = torch.nn.Sequential(
        torch.nn.Conv2d(2, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(4, 6, 3, padding=1, groups=2), torch.nn.ReLU(), torch.nn.AvgPool2d(2, 1),
        torch.nn.MaxPool2d(3, 1, 1), torch.nn.Flatten(), torch.nn.Linear(24, 3),
    ).to(getattr(torch, np.dtype(dtype).name))
    params = [p for p in ours.parameters()]
    with torch.no_grad():
        for p, q in zip(params, theirs.parameters()):
            q.copy_(torch.from_numpy(p.data))
    x = rng.normal(size=(3, 2, 6, 6)).astype(dtype)
    y, ty = ours(Tensor(x)), theirs(torch.from_numpy(x))
    assert y.dtype == dtype
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-4 if dtype == np.float32 else 1e-10)
    (y * y).sum().backward()
    (ty * ty).sum().backward()
    for p, q in zip(params, theirs.parameters()):
        assert p.grad.dtype == dtype
        np.testing.assert_allclose(p.grad, q.grad.numpy(), rtol=1e-3 if dtype == np.float32 else 1e-9,
                                   atol=1e-4 if dtype == np.float32 else 1e-10)
