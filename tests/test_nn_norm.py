"""train()/eval(), Dropout, BatchNorm1d/2d and LayerNorm: derivatives against central differences
(first and second order), values, gradients and running statistics against PyTorch, state_dict
loading into PyTorch's modules, dtypes kept, bad input refused."""

import math

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tinygrad_edu import Tensor, nn
from tinygrad_edu.gradcheck import gradcheck, gradgradcheck
from tinygrad_edu.nn.functional import batch_norm, dropout, layer_norm
from tinygrad_edu.testing import arrays

BN_SHAPES = st.sampled_from([(4, 3), (3, 2, 4), (2, 3, 2, 3)])


def torch_bn(shape, **options):
    return (torch.nn.BatchNorm1d if len(shape) < 4 else torch.nn.BatchNorm2d)(
        shape[1], dtype=torch.float64, **options
    )


def our_bn(shape, **options):
    return (nn.BatchNorm1d if len(shape) < 4 else nn.BatchNorm2d)(shape[1], dtype="float64", **options)


# ---- train / eval ----


def test_train_and_eval_set_training_on_every_sub_module():
    model = nn.Sequential(nn.Linear(3, 4), nn.Dropout(0.2), nn.Sequential(nn.BatchNorm1d(4), nn.ReLU()))
    assert model.training and model[2][0].training
    assert model.eval() is model
    assert not any(m.training for m in (model, model[0], model[1], model[2], model[2][0], model[2][1]))
    model.train()
    assert all(m.training for m in (model, model[1], model[2][0]))


def test_train_refuses_a_mode_that_is_not_a_bool():
    with pytest.raises(TypeError, match="mode must be True or False, got 'eval'"):
        nn.Linear(2, 2).train("eval")


# ---- dropout ----


def test_dropout_in_eval_mode_is_the_identity():
    layer, x = nn.Dropout(0.7, rng=0).eval(), Tensor(np.arange(6.0).reshape(2, 3))
    assert layer(x) is x
    assert dropout(x, 0.7, training=False) is x


def test_dropout_keeps_about_1_minus_p_and_scales_the_kept_by_its_inverse():
    x = Tensor(np.ones((200, 500)))
    y = nn.Dropout(0.3, rng=0)(x).data
    kept = y != 0
    assert abs(kept.mean() - 0.7) < 0.005  # 100 000 draws: σ ≈ 0.0015
    np.testing.assert_allclose(y[kept], 1 / 0.7)
    assert abs(y.mean() - 1) < 0.01  # inverted dropout keeps the expectation


@pytest.mark.parametrize("p, expected", [(0.0, 1.0), (1.0, 0.0)])
def test_dropout_with_p_0_passes_everything_and_with_p_1_zeroes_everything(p, expected):
    y = dropout(Tensor(np.full((3, 4), 2.0)), p, rng=0)
    np.testing.assert_array_equal(y.data, np.full((3, 4), 2.0 * expected))
    assert not np.isnan(y.data).any()


def test_dropout_with_the_same_seed_draws_the_same_masks():
    x = Tensor(np.ones((5, 6)))
    a, b = nn.Dropout(0.5, rng=7), nn.Dropout(0.5, rng=7)
    first, second = a(x).data, a(x).data
    np.testing.assert_array_equal(first, b(x).data)
    np.testing.assert_array_equal(second, b(x).data)
    assert not np.array_equal(first, second)  # one generator: a new mask per call
    gen = np.random.default_rng(3)
    np.testing.assert_array_equal(dropout(x, 0.5, rng=gen).data, dropout(x, 0.5, rng=3).data)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dropout_gradient_is_the_mask_and_keeps_the_dtype(dtype):
    x = Tensor(np.linspace(-1, 1, 12).reshape(3, 4), requires_grad=True, dtype=dtype)
    y = dropout(x, 0.4, rng=1)
    (y * 3).sum().backward()
    mask = (y.data != 0) / 0.6
    assert y.dtype == dtype and x.grad.dtype == dtype
    np.testing.assert_allclose(x.grad, 3 * mask, rtol=1e-6)


def test_dropout_is_differentiable_twice():
    assert gradcheck(lambda t: dropout(t, 0.5, rng=2) ** 2, [np.linspace(0.5, 2, 8).reshape(2, 4)])
    assert gradgradcheck(lambda t: dropout(t, 0.5, rng=2) ** 3, [np.linspace(0.5, 2, 8).reshape(2, 4)])


# ---- batch norm ----


@settings(max_examples=25, deadline=None)
@given(st.data(), BN_SHAPES, st.booleans())
def test_batch_norm_first_and_second_derivatives(data, shape, training):
    x = data.draw(arrays(shape=shape))
    c = shape[1]
    w, b = data.draw(arrays(shape=(c,))), data.draw(arrays(shape=(c,)))
    mean, var = np.zeros(c) + 0.3, np.ones(c) * 1.5

    def f(x, w, b):
        return batch_norm(x, mean.copy(), var.copy(), w, b, training=training) ** 2

    # batch statistics of near-constant channels make the derivatives huge: keep the spread sane
    spread = np.moveaxis(x, 1, 0).reshape(c, -1).std(axis=1)
    assume(not training or spread.min() > 0.2)
    assert gradcheck(f, [x, w, b], atol=1e-6, rtol=1e-5)
    assert gradgradcheck(f, [x, w, b], atol=1e-5, rtol=1e-4)


@settings(max_examples=20, deadline=None)
@given(st.data(), BN_SHAPES, st.sampled_from([0.1, 0.5, None]))
def test_batch_norm_matches_pytorch_over_three_steps_then_in_eval(data, shape, momentum):
    ours, theirs = our_bn(shape, momentum=momentum), torch_bn(shape, momentum=momentum)
    gamma = data.draw(arrays(shape=(shape[1],)))
    ours.weight.data[...] = gamma
    with torch.no_grad():
        theirs.weight.copy_(torch.from_numpy(gamma))
    for _ in range(3):
        x = data.draw(arrays(shape=shape))
        g = data.draw(arrays(shape=shape))
        xt = torch.tensor(x, requires_grad=True)
        xo = Tensor(x, requires_grad=True)
        ours.zero_grad()
        (ours(xo) * Tensor(g)).sum().backward()
        (theirs(xt) * torch.from_numpy(g)).sum().backward()
        np.testing.assert_allclose(ours(Tensor(x)).data * 0, 0)  # (a forward that updates the stats again)
        np.testing.assert_allclose(xo.grad, xt.grad.numpy(), rtol=1e-6, atol=1e-8)
        np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy(), rtol=1e-6, atol=1e-8)
        np.testing.assert_allclose(ours.bias.grad, theirs.bias.grad.numpy(), rtol=1e-6, atol=1e-8)
        theirs(xt)  # PyTorch too: both have seen each batch twice
        theirs.zero_grad()
    np.testing.assert_allclose(ours.running_mean, theirs.running_mean.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.running_var, theirs.running_var.numpy(), rtol=1e-10, atol=1e-12)
    assert int(ours.num_batches_tracked) == int(theirs.num_batches_tracked) == 6
    x = data.draw(arrays(shape=shape))
    ours.eval(), theirs.eval()
    np.testing.assert_allclose(
        ours(Tensor(x)).data, theirs(torch.from_numpy(x)).detach().numpy(), rtol=1e-10, atol=1e-12
    )


def test_batch_norm_state_dict_loads_into_pytorch_and_gives_the_same_eval_output():
    rng = np.random.default_rng(0)
    ours = nn.BatchNorm2d(3, dtype="float64")
    for _ in range(3):
        ours(Tensor(rng.standard_normal((4, 3, 2, 2)) * 2 + 1))
    state = ours.state_dict()
    assert list(state) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    theirs = torch.nn.BatchNorm2d(3, dtype=torch.float64)
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()})
    assert int(theirs.num_batches_tracked) == 3
    x = rng.standard_normal((2, 3, 2, 2))
    ours.eval(), theirs.eval()
    np.testing.assert_allclose(ours(Tensor(x)).data, theirs(torch.from_numpy(x)).detach().numpy(), rtol=1e-12)
    back = nn.BatchNorm2d(3, dtype="float64")
    back.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    np.testing.assert_array_equal(back.running_var, ours.running_var)


def test_a_network_with_batch_norm_loads_into_the_same_pytorch_sequential():
    ours = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Linear(3, 2))
    theirs = torch.nn.Sequential(
        torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3), torch.nn.ReLU(), torch.nn.Linear(3, 2)
    )
    assert set(ours.state_dict()) == set(theirs.state_dict())
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})


def test_batch_norm_without_running_stats_has_no_buffers_and_uses_batch_stats_in_eval():
    layer = nn.BatchNorm1d(2, track_running_stats=False, affine=False, dtype="float64").eval()
    assert layer.state_dict() == {} and layer.parameters() == []
    x = np.array([[1.0, 10.0], [3.0, 20.0]])
    np.testing.assert_allclose(layer(Tensor(x)).data, [[-1, -1], [1, 1]], atol=1e-4)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_norm_layers_keep_the_dtype(dtype):
    x = Tensor(np.arange(12.0).reshape(2, 3, 2), requires_grad=True, dtype=dtype)
    for layer in (nn.BatchNorm1d(3, dtype=dtype), nn.LayerNorm(2, dtype=dtype)):
        y = layer(x)
        y.sum().backward()
        assert y.dtype == dtype and x.grad.dtype == dtype and layer.weight.grad.dtype == dtype
    assert nn.BatchNorm1d(3, dtype=dtype).running_var.dtype == dtype


# ---- layer norm ----


@settings(max_examples=25, deadline=None)
@given(st.data(), st.sampled_from([((3, 4), (4,)), ((2, 3, 2), (3, 2)), ((2, 2, 3), 3)]))
def test_layer_norm_first_and_second_derivatives(data, case):
    shape, normalized = case
    x = data.draw(arrays(shape=shape))
    ns = (normalized,) if isinstance(normalized, int) else normalized
    assume(x.reshape(-1, math.prod(ns)).std(axis=1).min() > 0.2)
    w, b = data.draw(arrays(shape=ns)), data.draw(arrays(shape=ns))
    f = lambda x, w, b: layer_norm(x, normalized, w, b) ** 2  # noqa: E731
    assert gradcheck(f, [x, w, b], atol=1e-6, rtol=1e-5)
    assert gradgradcheck(f, [x, w, b], atol=1e-5, rtol=1e-4)


@settings(max_examples=25, deadline=None)
@given(st.data(), st.sampled_from([((3, 4), (4,)), ((2, 3, 2), (3, 2)), ((2, 2, 3), 3)]))
def test_layer_norm_matches_pytorch(data, case):
    shape, normalized = case
    ours = nn.LayerNorm(normalized, dtype="float64")
    theirs = torch.nn.LayerNorm(normalized, dtype=torch.float64)
    w = data.draw(arrays(shape=ours.normalized_shape))
    ours.weight.data[...] = w
    with torch.no_grad():
        theirs.weight.copy_(torch.from_numpy(w))
    x, g = data.draw(arrays(shape=shape)), data.draw(arrays(shape=shape))
    xo, xt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yo, yt = ours(xo), theirs(xt)
    (yo * Tensor(g)).sum().backward()
    (yt * torch.from_numpy(g)).sum().backward()
    np.testing.assert_allclose(yo.data, yt.detach().numpy(), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(xo.grad, xt.grad.numpy(), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy(), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(ours.bias.grad, theirs.bias.grad.numpy(), rtol=1e-6, atol=1e-8)
    assert set(ours.state_dict()) == set(theirs.state_dict())


# ---- bad input ----


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: nn.Dropout(1.5), ValueError, r"p must be in \[0, 1\], got 1.5"),
        (lambda: nn.Dropout(-0.1), ValueError, r"p must be in \[0, 1\]"),
        (lambda: nn.Dropout(math.nan), ValueError, r"p must be in \[0, 1\], got nan"),
        (lambda: nn.Dropout(True), TypeError, r"p must be a number"),
        (lambda: nn.Dropout("0.5"), TypeError, r"p must be a number"),
        (lambda: nn.Dropout(0.5, rng=-1), ValueError, r"Dropout: seed must be a non-negative"),
        (lambda: dropout(np.ones(3), 0.5), TypeError, r"input must be a Tensor"),
        (lambda: dropout(Tensor(np.ones(3)), 0.5, training=1), TypeError, r"training must be True or False"),
        (lambda: nn.BatchNorm1d(0), ValueError, r"num_features must be a positive integer, got 0"),
        (lambda: nn.BatchNorm1d(2.0), ValueError, r"num_features must be a positive integer"),
        (lambda: nn.BatchNorm1d(3, eps=0), ValueError, r"eps must be a positive finite number, got 0"),
        (lambda: nn.BatchNorm2d(3, eps=-1e-5), ValueError, r"eps must be a positive"),
        (lambda: nn.BatchNorm2d(3, eps=math.inf), ValueError, r"eps must be a positive"),
        (lambda: nn.BatchNorm1d(3, momentum=1.5), ValueError, r"momentum must be a number in \[0, 1\]"),
        (lambda: nn.BatchNorm1d(3, affine="yes"), TypeError, r"affine must be True or False"),
        (lambda: nn.BatchNorm1d(3, dtype="int32"), ValueError, r"dtype must be"),
        (lambda: nn.BatchNorm1d(3)(Tensor(np.ones((4, 2)))), ValueError, r"has 2 channels.*num_features=3"),
        (lambda: nn.BatchNorm1d(3)(Tensor(np.ones(3))), ValueError, r"expected 2-d or 3-d input"),
        (lambda: nn.BatchNorm2d(3)(Tensor(np.ones((2, 3, 4)))), ValueError, r"expected 4-d input.*3-d"),
        (lambda: nn.BatchNorm1d(3)(np.ones((2, 3))), ValueError, r"expected 2-d or 3-d input.*ndarray"),
        (lambda: nn.BatchNorm1d(3)(Tensor(np.ones((2, 3)))), TypeError, r"dtype mismatch"),
        (lambda: nn.LayerNorm(0), ValueError, r"normalized_shape must be a positive int"),
        (lambda: nn.LayerNorm(()), ValueError, r"normalized_shape must be a positive int"),
        (lambda: nn.LayerNorm(3, eps=0.0), ValueError, r"eps must be a positive"),
        (lambda: nn.LayerNorm(3)(Tensor(np.ones((2, 4)))), ValueError, r"shape \(…, 3\), got \(2, 4\)"),
        (lambda: nn.LayerNorm((2, 3))(Tensor(np.ones(3))), ValueError, r"shape \(…, 2, 3\), got \(3,\)"),
        (
            lambda: batch_norm(Tensor(np.ones((2, 3))), np.zeros(2), np.ones(2)),
            ValueError,
            r"running_mean of shape \(2,\) does not fit 3 channels",
        ),
        (lambda: nn.Linear(2, 2).register_buffer("x", [1]), TypeError, r"numpy array or None, got list"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_a_refused_batch_leaves_the_running_statistics_alone():
    layer = nn.BatchNorm1d(3)
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        layer(Tensor(np.full((1, 3), 5.0), dtype="float32"))
    with pytest.raises(TypeError, match="dtype mismatch"):
        layer(Tensor(np.full((2, 3), 5.0)))
    assert int(layer.num_batches_tracked) == 0
    np.testing.assert_array_equal(layer.running_mean, np.zeros(3))


def test_numpy_scalars_are_accepted_for_sizes_and_probabilities():
    assert nn.BatchNorm1d(np.int64(3), eps=np.float32(1e-3), momentum=np.float64(0.2)).num_features == 3
    assert nn.Dropout(np.float32(0.25)).p == 0.25
    assert nn.LayerNorm(np.int64(4)).normalized_shape == (4,)


@pytest.mark.parametrize("options", [{}, {"bias": False}, {"elementwise_affine": False}])
def test_layer_norm_has_pytorchs_parameters_for_each_option(options):
    ours, theirs = nn.LayerNorm(3, **options), torch.nn.LayerNorm(3, **options)
    assert set(ours.state_dict()) == set(theirs.state_dict())
    assert len(ours.parameters()) == len(list(theirs.parameters()))
