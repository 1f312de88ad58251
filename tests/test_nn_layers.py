"""nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d, nn.Flatten: PyTorch's shapes, init, outputs and gradients."""

import numpy as np
import pytest
import torch

from tinygrad_edu import Tensor, nn


def test_conv2d_layer_matches_pytorch_with_the_same_parameters():
    ours = nn.Conv2d(4, 6, (3, 2), stride=2, padding=1, dilation=(1, 2), groups=2, dtype="float64", rng=0)
    theirs = torch.nn.Conv2d(
        4, 6, (3, 2), stride=2, padding=1, dilation=(1, 2), groups=2, dtype=torch.float64
    )
    assert ours.weight.shape == tuple(theirs.weight.shape) and ours.bias.shape == tuple(theirs.bias.shape)
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(ours.weight.data))
        theirs.bias.copy_(torch.tensor(ours.bias.data))
    x = np.random.default_rng(1).normal(size=(2, 4, 7, 6))
    X, tx = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    y, ty = ours(X), theirs(tx)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), atol=1e-12)
    (y * y).sum().backward()
    (ty * ty).sum().backward()
    np.testing.assert_allclose(ours.weight.grad.data, theirs.weight.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(ours.bias.grad.data, theirs.bias.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(X.grad.data, tx.grad.numpy(), atol=1e-10)
    assert set(ours.state_dict()) == {"weight", "bias"}


def test_conv2d_init_is_pytorchs_uniform_bound_and_seeded():
    layer = nn.Conv2d(8, 16, 3, rng=0)
    bound = 1 / np.sqrt(8 * 3 * 3)
    for t in (layer.weight, layer.bias):
        assert t.dtype == np.float32 and np.abs(t.data).max() <= bound
        assert np.abs(t.data).max() > 0.9 * bound  # spread over the whole interval, not a narrower one
    np.testing.assert_array_equal(layer.weight.data, nn.Conv2d(8, 16, 3, rng=0).weight.data)
    assert nn.Conv2d(8, 16, 3, bias=False).bias is None


def test_pooling_and_flatten_layers_match_pytorch():
    x = np.random.default_rng(2).permutation(2 * 3 * 6 * 6).reshape(2, 3, 6, 6) / 7.0
    for ours, theirs in (
        (nn.MaxPool2d(2), torch.nn.MaxPool2d(2)),
        (nn.MaxPool2d(3, stride=2, padding=1), torch.nn.MaxPool2d(3, stride=2, padding=1)),
        (nn.AvgPool2d(3, stride=1, padding=1), torch.nn.AvgPool2d(3, stride=1, padding=1)),
        (nn.Flatten(), torch.nn.Flatten()),
        (nn.Flatten(0, 2), torch.nn.Flatten(0, 2)),
    ):
        np.testing.assert_allclose(ours(Tensor(x)).data, theirs(torch.tensor(x)).numpy(), atol=1e-12)


def test_a_small_cnn_trains_end_to_end_with_gradients_for_every_parameter():
    net = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1, rng=0),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(4 * 4 * 4, 3, rng=0),
    )
    x = Tensor(np.random.default_rng(3).normal(size=(5, 1, 8, 8)).astype(np.float32))
    out = net(x)
    assert out.shape == (5, 3)
    (out * out).sum().backward()
    assert all(p.grad is not None and np.abs(p.grad.data).sum() > 0 for p in net.parameters())


def test_bad_layer_arguments_name_the_problem():
    with pytest.raises(
        ValueError, match="in_channels 3 and out_channels 4 must both be divisible by groups=2"
    ):
        nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="in_channels must be a positive integer"):
        nn.Conv2d(0, 4, 3)
    with pytest.raises(ValueError, match=r"start_dim 2 comes after end_dim 1"):
        nn.Flatten(2, 1)(Tensor(np.ones((2, 3, 4))))
