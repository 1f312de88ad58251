"""The report's δ-recursion, the autograd engine and finite differences give one gradient."""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tinygrad_edu import Tensor, nn
from tinygrad_edu.crosscheck import (
    autograd_gradients,
    max_relative_difference,
    mlp_from_report,
    report_from_mlp,
    report_gradients,
)
from tinygrad_edu.gradcheck import numerical_gradient
from tinygrad_edu.report import ShallowNeuralNetwork

KINKS = {"relu": (0.0,), "hardtanh": (-1.0, 1.0), "sigmoid": (), "tanh": ()}


@st.composite
def networks_and_batches(draw, max_batch=64, max_width=8):
    """(sizes, activation, seed, x, labels): 1–4 hidden layers, float64 inputs."""
    depth = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, max_width)) for _ in range(depth + 1)] + [draw(st.integers(2, 5))]
    activation = draw(st.sampled_from(nn.ACTIVATIONS))
    seed = draw(st.integers(0, 2**16))
    batch = draw(st.integers(1, max_batch))
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, sizes[0]))
    labels = rng.integers(0, sizes[-1], size=batch)
    return sizes, activation, seed, x, labels


def assume_away_from_kinks(net, activation, margin=1e-4):
    """Skip examples with a pre-activation within `margin` of a kink (no derivative there)."""
    for k in range(1, len(net.sizes) - 1):
        z = net.cache[f"Z{k}"]
        for kink in KINKS[activation]:
            assume(np.all(np.abs(z - kink) > margin))


@given(networks_and_batches())
def test_report_and_autograd_gradients_agree_in_float64(case):
    sizes, activation, seed, x, labels = case
    mlp = nn.MLP(sizes, activation, dtype="float64", seed=seed)
    net = report_from_mlp(mlp)
    difference = max_relative_difference(autograd_gradients(mlp, x, labels), report_gradients(net, x, labels))
    assert difference <= 1e-10


@given(networks_and_batches())
def test_weights_copied_from_the_report_give_the_same_gradients(case):
    sizes, activation, seed, x, labels = case
    net = ShallowNeuralNetwork(sizes, activation=activation, dtype="float64", seed=seed)
    mlp = mlp_from_report(net)
    difference = max_relative_difference(autograd_gradients(mlp, x, labels), report_gradients(net, x, labels))
    assert difference <= 1e-10


@given(networks_and_batches(max_batch=8, max_width=5))
def test_both_gradients_agree_with_central_differences(case):
    sizes, activation, seed, x, labels = case
    mlp = nn.MLP(sizes, activation, dtype="float64", seed=seed)
    net = report_from_mlp(mlp)
    report = report_gradients(net, x, labels)
    assume_away_from_kinks(net, activation)
    autograd = autograd_gradients(mlp, x, labels)

    def loss_with(param, array):
        original, param.data = param.data, array
        try:
            return nn.cross_entropy(mlp(Tensor(x)), labels).item()
        finally:
            param.data = original

    numeric = [
        tuple(numerical_gradient(lambda a, p=p: loss_with(p, a), p.data) for p in (layer.weight, layer.bias))
        for layer in mlp.linears
    ]
    for name, computed in (("autograd", autograd), ("report", report)):
        for (dw, db), (nw, nb) in zip(computed, numeric):
            np.testing.assert_allclose(dw, nw, rtol=1e-6, atol=1e-8, err_msg=f"{name} dW")
            np.testing.assert_allclose(db, nb, rtol=1e-6, atol=1e-8, err_msg=f"{name} db")


def test_the_report_sized_network_agrees_on_one_batch_of_500():
    rng = np.random.default_rng(0)
    mlp = nn.MLP([784, 600, 400, 10], dtype="float64", seed=0)
    x, labels = rng.random((500, 784)), rng.integers(0, 10, size=500)
    difference = max_relative_difference(
        autograd_gradients(mlp, x, labels), report_gradients(report_from_mlp(mlp), x, labels)
    )
    assert difference <= 1e-10


def test_same_seed_gives_the_same_initial_weights_in_both_implementations():
    mlp = nn.MLP([20, 7, 3], dtype="float64", seed=11)
    net = ShallowNeuralNetwork([20, 7, 3], dtype="float64", seed=11)
    for layer, (weight, bias) in zip(mlp.linears, net.get_weights()):
        np.testing.assert_array_equal(layer.weight.data, weight)
        np.testing.assert_array_equal(layer.bias.data, bias)


def test_max_relative_difference_sees_a_single_wrong_entry():
    a = [(np.ones((3, 2)), np.ones(3))]
    b = [(np.ones((3, 2)), np.array([1.0, 1.0, 1.5]))]
    assert max_relative_difference(a, b) == pytest.approx(1 / 3)


def test_max_relative_difference_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"\(3,\) and \(4,\)"):
        max_relative_difference([(np.ones(3),)], [(np.ones(4),)])
