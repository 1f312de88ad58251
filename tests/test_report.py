"""Tests for tinygrad_edu.report: the report's hand-derived network in pure numpy."""

import ast
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tinygrad_edu.report as report
from tinygrad_edu.report import ACTIVATIONS, ShallowNeuralNetwork, softmax

ACTIVATION_NAMES = sorted(ACTIVATIONS)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def one_hot(labels, n_classes, dtype="float64"):
    return np.eye(n_classes, dtype=dtype)[labels]


def make_blobs(n, n_features, n_classes, seed=0, noise=0.1):
    """Images-like data: a random [0, 1] prototype per class plus a little noise."""
    rng = np.random.default_rng(seed)
    prototypes = rng.random((n_classes, n_features))
    labels = rng.integers(0, n_classes, n)
    x = np.clip(prototypes[labels] + noise * rng.standard_normal((n, n_features)), 0, 1)
    return x, one_hot(labels, n_classes)


def make_xor(n, seed):
    """Two classes by quadrant parity: not linearly separable, so it needs the hidden layer."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, 2))
    labels = ((x[:, 0] > 0) ^ (x[:, 1] > 0)).astype(int)
    return x, one_hot(labels, 2)


def batch_loss(net, x, y):
    return net.cross_entropy_loss(y, net.feed_forward(x))


def central_difference_grads(net, x, y, h=1e-5):
    """∂loss/∂p for every parameter entry p, by (L(p + h) - L(p - h)) / 2h."""
    grads = {}
    for key, p in net.params.items():
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            original = p[idx]
            p[idx] = original + h
            loss_plus = batch_loss(net, x, y)
            p[idx] = original - h
            loss_minus = batch_loss(net, x, y)
            p[idx] = original
            g[idx] = (loss_plus - loss_minus) / (2 * h)
        grads[key] = g
    return grads


def kink_distance(activation, Z):
    """How far the pre-activations are from a point where act' jumps (inf if none)."""
    if activation == "relu":
        return np.abs(Z).min()
    if activation == "hardtanh":
        return np.abs(np.abs(Z) - 1).min()
    return np.inf


@st.composite
def small_problems(draw):
    """A float64 network of 0-4 hidden layers, widths 1-8, and a batch of 1-16."""
    n_hidden = draw(st.integers(0, 4))
    sizes = [draw(st.integers(1, 8)) for _ in range(n_hidden + 1)] + [draw(st.integers(2, 6))]
    activation = draw(st.sampled_from(ACTIVATION_NAMES))
    batch = draw(st.integers(1, 16))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    net = ShallowNeuralNetwork(sizes, activation=activation, seed=seed % 1000, dtype="float64")
    x = 1.5 * rng.standard_normal((batch, sizes[0]))
    y = one_hot(rng.integers(0, sizes[-1], batch), sizes[-1])
    return net, x, y


# ---------------------------------------------------------------------------
# Backward pass
# ---------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(small_problems())
def test_back_propagate_matches_central_differences_for_any_depth_and_activation(problem):
    net, x, y = problem
    net.feed_forward(x)
    hidden_Z = [net.cache[f"Z{k}"] for k in range(1, net.n_layers)]
    # A step of h = 1e-5 on one weight moves each Z by well under 1e-3; staying
    # that far from a kink keeps both sides of the difference on the same piece.
    assume(all(kink_distance(net.activation, Z) > 1e-3 for Z in hidden_Z))

    analytic = {key: g.copy() for key, g in net.back_propagate(y, net.feed_forward(x)).items()}
    numeric = central_difference_grads(net, x, y)

    for key in net.params:
        a, n = analytic[key], numeric[key]
        assert a.shape == n.shape == net.params[key].shape
        # Relative error.  For gradients below 1e-3 the floor makes it an absolute
        # error (≤ 1e-9), since there the rounding noise of the differences
        # (about eps·loss/h ≈ 1e-11) is no longer small relative to the value.
        rel_error = np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), 1e-3)
        assert rel_error.max() <= 1e-6, (key, rel_error.max())


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_activation_derivative_matches_central_difference_away_from_kinks(name):
    act, act_prime = ACTIVATIONS[name]
    Z = np.linspace(-3, 3, 61) + 0.013  # no point lands on 0 or ±1
    h = 1e-6
    numeric = (act(Z + h) - act(Z - h)) / (2 * h)
    np.testing.assert_allclose(act_prime(Z, act(Z)), numeric, rtol=1e-6, atol=1e-9)


def test_relu_and_hardtanh_take_derivative_zero_at_their_kinks():
    relu, relu_prime = ACTIVATIONS["relu"]
    hardtanh, hardtanh_prime = ACTIVATIONS["hardtanh"]
    Z = np.array([0.0])
    assert relu_prime(Z, relu(Z)).tolist() == [0]
    Z = np.array([-1.0, 1.0])
    assert hardtanh_prime(Z, hardtanh(Z)).tolist() == [0, 0]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sigmoid_is_exact_at_extremes_without_overflow_warnings(dtype):
    sigmoid = ACTIVATIONS["sigmoid"][0]
    Z = np.array([-1e30, -1000.0, -50.0, 0.0, 50.0, 1000.0, 1e30], dtype=dtype)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        A = sigmoid(Z)
    assert A.dtype == dtype
    assert A[0] == 0 and A[1] == 0 and A[3] == 0.5 and A[-2] == 1 and A[-1] == 1
    assert 0 < A[2] < 1e-20  # e^-50: small but not flushed to zero


# ---------------------------------------------------------------------------
# Softmax and loss
# ---------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 10), st.integers(1, 20), st.integers(0, 2**32 - 1))
def test_softmax_columns_are_probabilities_summing_to_one(n_classes, batch, seed):
    Z = 10 * np.random.default_rng(seed).standard_normal((n_classes, batch))
    A = softmax(Z)
    assert A.shape == Z.shape
    assert np.all(A >= 0)
    np.testing.assert_allclose(A.sum(axis=0), 1, rtol=1e-12)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_softmax_of_huge_logits_is_finite_and_puts_all_mass_on_the_largest(dtype):
    Z = np.array([[1e30, -1e30, 5e3], [-1e30, 1e30, 5e3 + 1]], dtype=dtype)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        A = softmax(Z)
    assert np.all(np.isfinite(A))
    np.testing.assert_allclose(A[:, :2], np.eye(2))
    np.testing.assert_allclose(A[:, 2], [1 / (1 + np.e), np.e / (1 + np.e)], rtol=1e-6)


def test_feed_forward_output_is_softmax_of_the_last_layer():
    net = ShallowNeuralNetwork([6, 5, 4], activation="tanh", dtype="float64")
    x = np.random.default_rng(1).standard_normal((7, 6))
    output = net.feed_forward(x)
    Z2 = net.params["W2"] @ np.tanh(net.params["W1"] @ x.T + net.params["b1"]) + net.params["b2"]
    expected = np.exp(Z2) / np.exp(Z2).sum(axis=0)
    np.testing.assert_allclose(output, expected, rtol=1e-12)


def test_feed_forward_stays_finite_with_huge_logits():
    net = ShallowNeuralNetwork([3, 4], dtype="float32")
    net.params["W1"] *= 1e6  # logits of order 1e6: a naive exp would overflow
    x = np.random.default_rng(0).standard_normal((5, 3))
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        output = net.feed_forward(x)
    assert np.all(np.isfinite(output))
    np.testing.assert_allclose(output.sum(axis=0), 1, rtol=1e-6)


def test_cross_entropy_loss_is_mean_negative_log_probability_of_true_class():
    rng = np.random.default_rng(3)
    net = ShallowNeuralNetwork([5, 4, 3], dtype="float64")
    labels = rng.integers(0, 3, 9)
    output = net.feed_forward(rng.standard_normal((9, 5)))
    expected = -np.mean(np.log(output[labels, np.arange(9)]))
    assert net.cross_entropy_loss(one_hot(labels, 3), output) == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_loss_is_finite_when_true_class_probability_is_zero():
    net = ShallowNeuralNetwork([2, 2], dtype="float64")
    output = np.array([[1.0], [0.0]])  # all mass on class 0
    loss = net.cross_entropy_loss(np.array([[0.0, 1.0]]), output)  # true class 1
    assert np.isfinite(loss) and loss > 700  # -log(smallest normal float64) ≈ 708


def test_accuracy_is_fraction_of_columns_whose_argmax_is_the_label():
    net = ShallowNeuralNetwork([2, 3])
    output = np.array([[0.7, 0.1, 0.2, 0.5], [0.2, 0.8, 0.2, 0.4], [0.1, 0.1, 0.6, 0.1]])
    y = one_hot([0, 1, 0, 1], 3)  # right, right, wrong, wrong
    assert net.accuracy(y, output) == 0.5


# ---------------------------------------------------------------------------
# Update rules
# ---------------------------------------------------------------------------


def _net_with_fixed_grads():
    net = ShallowNeuralNetwork([3, 2], dtype="float64", seed=4)
    rng = np.random.default_rng(5)
    net.grads = {key: rng.standard_normal(p.shape) for key, p in net.params.items()}
    return net


def test_momentum_matches_closed_form_after_three_steps_with_fixed_gradient():
    net = _net_with_fixed_grads()
    start = {key: p.copy() for key, p in net.params.items()}
    lr, beta = 0.1, 0.8
    for _ in range(3):
        net.optimize(l_rate=lr, optimizer="momentum", beta=beta)
    # v_n = (1 - β^n) g  and  w_n = w_0 - η g Σ_{k=1..n} (1 - β^k)
    total = sum(1 - beta**k for k in range(1, 4))
    for key, g in net.grads.items():
        np.testing.assert_allclose(net.velocity[key], (1 - beta**3) * g, rtol=1e-12)
        np.testing.assert_allclose(net.params[key], start[key] - lr * total * g, rtol=1e-12)


def test_sgd_step_is_weight_minus_learning_rate_times_gradient():
    net = _net_with_fixed_grads()
    start = {key: p.copy() for key, p in net.params.items()}
    net.optimize(l_rate=0.3, optimizer="sgd")
    for key, g in net.grads.items():
        np.testing.assert_allclose(net.params[key], start[key] - 0.3 * g, rtol=1e-12)


def test_optimize_updates_parameters_in_place():
    net = _net_with_fixed_grads()
    arrays = [id(p) for p in net.params.values()] + [id(v) for v in net.velocity.values()]
    net.optimize(0.1, "momentum", 0.5)
    assert arrays == [id(p) for p in net.params.values()] + [id(v) for v in net.velocity.values()]


def test_a_small_momentum_step_lowers_the_batch_loss():
    # The report's printed rule (v ← βv - (1-β)g, w ← w - ηv) would raise it.
    x, y = make_blobs(50, 8, 3, seed=2)
    net = ShallowNeuralNetwork([8, 6, 3], dtype="float64")
    before = batch_loss(net, x, y)
    net.back_propagate(y, net.feed_forward(x))
    net.optimize(l_rate=0.05, optimizer="momentum", beta=0.8)
    assert batch_loss(net, x, y) < before


# ---------------------------------------------------------------------------
# Structure and initialisation
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("sizes", [[784, 600, 400, 10], [5, 3, 2], [4, 2]])
def test_params_are_keyed_per_layer_with_out_by_in_weights_and_column_biases(sizes):
    net = ShallowNeuralNetwork(sizes)
    expected = {}
    for k in range(1, len(sizes)):
        expected[f"W{k}"] = (sizes[k], sizes[k - 1])
        expected[f"b{k}"] = (sizes[k], 1)
    assert {key: p.shape for key, p in net.params.items()} == expected
    assert {key: g.shape for key, g in net.grads.items()} == expected


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 9), min_size=2, max_size=7), st.integers(1, 12))
def test_any_depth_gives_output_and_gradients_of_the_right_shapes(sizes, batch):
    net = ShallowNeuralNetwork(sizes)
    output = net.feed_forward(np.ones((batch, sizes[0])))
    assert output.shape == (sizes[-1], batch)
    grads = net.back_propagate(one_hot(np.zeros(batch, int), sizes[-1]), output)
    assert {key: g.shape for key, g in grads.items()} == {key: p.shape for key, p in net.params.items()}


def test_init_follows_the_documented_recipe_exactly():
    net = ShallowNeuralNetwork([6, 5, 4], seed=11, dtype="float64")
    rng = np.random.default_rng(11)
    W1 = rng.standard_normal((5, 6)) * np.sqrt(1 / 6)
    W2 = rng.standard_normal((4, 5)) * np.sqrt(1 / 5)
    np.testing.assert_array_equal(net.params["W1"], W1)
    np.testing.assert_array_equal(net.params["W2"], W2)


def test_init_weight_std_is_sqrt_one_over_fan_in():
    net = ShallowNeuralNetwork([1000, 400, 10], seed=0)
    W1 = net.params["W1"]
    assert W1.std() == pytest.approx(np.sqrt(1 / 1000), rel=0.02)
    assert abs(W1.mean()) < 3 * np.sqrt(1 / 1000) / np.sqrt(W1.size)


def test_init_biases_are_zero():
    net = ShallowNeuralNetwork([7, 5, 3], seed=2)
    assert all(not net.params[f"b{k}"].any() for k in (1, 2))


def test_same_seed_gives_same_weights_and_different_seeds_differ():
    a, b, c = (ShallowNeuralNetwork([6, 5, 3], seed=s) for s in (1, 1, 2))
    for key in a.params:
        np.testing.assert_array_equal(a.params[key], b.params[key])
    assert not np.array_equal(a.params["W1"], c.params["W1"])


def test_float32_and_float64_networks_with_one_seed_share_weights_up_to_rounding():
    a = ShallowNeuralNetwork([6, 5, 3], seed=3, dtype="float32")
    b = ShallowNeuralNetwork([6, 5, 3], seed=3, dtype="float64")
    for key in a.params:
        np.testing.assert_array_equal(a.params[key], b.params[key].astype(np.float32))


# ---------------------------------------------------------------------------
# dtypes
# ---------------------------------------------------------------------------


def test_float32_stays_float32_through_feed_forward_back_propagate_and_optimize():
    net = ShallowNeuralNetwork([6, 5, 4, 3], activation="sigmoid", dtype="float32")
    x, y = make_blobs(8, 6, 3)  # float64 data must not drag the network up
    output = net.feed_forward(x)
    grads = net.back_propagate(y, output)
    net.optimize(l_rate=np.float64(0.1), optimizer="momentum", beta=np.float64(0.5))
    net.optimize(l_rate=np.float64(0.1), optimizer="sgd")
    arrays = [output, *net.cache.values(), *grads.values(), *net.params.values()]
    arrays += list(net.velocity.values())
    assert {a.dtype for a in arrays} == {np.dtype(np.float32)}


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_numpy_float64_hyperparameters_do_float32_arithmetic_like_python_floats(optimizer):
    # np.float64 * float32 array computes in float64; the update must not.
    nets = [ShallowNeuralNetwork([60, 50, 10], seed=1, dtype="float32") for _ in range(2)]
    x, y = make_blobs(20, 60, 10)
    for net, cast in zip(nets, [float, np.float64]):
        for _ in range(2):
            net.back_propagate(y, net.feed_forward(x))
            net.optimize(l_rate=cast(0.1), optimizer=optimizer, beta=cast(0.7))
    for key in nets[0].params:
        np.testing.assert_array_equal(nets[0].params[key], nets[1].params[key])


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_float32_stays_float32_through_train(activation):
    x, y = make_blobs(30, 6, 3)
    net = ShallowNeuralNetwork([6, 5, 3], epochs=2, activation=activation, dtype="float32")
    net.train(x, y, x, y, batch_size=7, optimizer="momentum", l_rate=0.1, beta=0.8)
    arrays = [*net.params.values(), *net.grads.values(), *net.velocity.values()]
    assert {a.dtype for a in arrays} == {np.dtype(np.float32)}
    assert net.feed_forward(x).dtype == np.float32


def test_float64_network_computes_in_float64():
    net = ShallowNeuralNetwork([6, 5, 3], dtype="float64")
    x, y = make_blobs(4, 6, 3)
    output = net.feed_forward(x.astype(np.float32))
    grads = net.back_propagate(y, output)
    assert output.dtype == np.float64
    assert {g.dtype for g in grads.values()} == {np.dtype(np.float64)}


# ---------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------

LISTING_EPOCHS = 8  # the report ran 500; a few are enough to see the loss fall


def test_listing_3_runs_as_printed_and_lowers_the_loss():
    x_train, y_train = make_blobs(200, 784, 10, seed=0)
    x_val, y_val = make_blobs(50, 784, 10, seed=1)
    # Listing 3, with the report's typos (sezes, batch_sizes) corrected:
    dnn = ShallowNeuralNetwork(sizes=[784, 600, 400, 10], epochs=LISTING_EPOCHS, activation="relu")
    dnn.train(x_train, y_train, x_val, y_val, batch_size=500, optimizer="momentum", l_rate=0.01, beta=0.8)

    initial_loss, _ = ShallowNeuralNetwork([784, 600, 400, 10]).evaluate(x_train, y_train)
    assert len(dnn.history["train_loss"]) == LISTING_EPOCHS
    assert dnn.history["train_loss"][-1] < dnn.history["train_loss"][0] < initial_loss


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_training_learns_a_nonlinear_problem_to_over_90_percent(activation):
    x_train, y_train = make_xor(1000, seed=0)
    x_val, y_val = make_xor(500, seed=1)
    net = ShallowNeuralNetwork([2, 32, 2], epochs=50, activation=activation, seed=0)
    history = net.train(x_train, y_train, x_val, y_val, batch_size=32, l_rate=1.0, beta=0.9)
    assert history["val_accuracy"][-1] > 0.9


def test_train_returns_and_stores_one_history_entry_per_epoch():
    x, y = make_blobs(20, 4, 2)
    net = ShallowNeuralNetwork([4, 3, 2], epochs=3)
    history = net.train(x, y, x[:5], y[:5], batch_size=8)
    assert history is net.history
    assert set(history) == {"train_loss", "train_accuracy", "val_loss", "val_accuracy"}
    assert all(len(values) == 3 for values in history.values())
    assert all(isinstance(v, float) for values in history.values() for v in values)


def test_each_epoch_visits_every_sample_once_in_batches_with_the_last_partial_batch():
    class Recorder(ShallowNeuralNetwork):
        def feed_forward(self, x):
            self.seen.append(np.asarray(x)[:, 0].copy())
            return super().feed_forward(x)

    x = np.arange(10.0).reshape(10, 1)  # each row tagged by its index
    y = one_hot(np.arange(10) % 2, 2)
    net = Recorder([1, 2], epochs=2, dtype="float64")
    net.seen = []
    net.train(x, y, x, y, batch_size=4)
    assert [len(batch) for batch in net.seen] == [4, 4, 2, 4, 4, 2]
    first_epoch, second_epoch = np.concatenate(net.seen[:3]), np.concatenate(net.seen[3:])
    assert sorted(first_epoch) == sorted(second_epoch) == list(range(10))
    assert not np.array_equal(first_epoch, second_epoch)  # reshuffled (this seed)


def test_training_twice_with_the_same_seed_gives_the_same_history():
    x, y = make_blobs(40, 5, 3)
    histories = [
        ShallowNeuralNetwork([5, 4, 3], epochs=3, seed=9).train(x, y, x, y, batch_size=6) for _ in range(2)
    ]
    assert histories[0] == histories[1]


def test_callback_is_called_after_each_epoch_and_returning_true_stops_training():
    x, y = make_blobs(20, 4, 2)
    calls = []

    def callback(epoch, history):
        calls.append((epoch, len(history["val_loss"])))
        return epoch == 2

    net = ShallowNeuralNetwork([4, 2], epochs=5)
    history = net.train(x, y, x, y, batch_size=5, callback=callback)
    assert calls == [(1, 1), (2, 2)]
    assert len(history["train_loss"]) == 2


def test_verbose_prints_one_line_per_epoch(capsys):
    x, y = make_blobs(20, 4, 2)
    ShallowNeuralNetwork([4, 2], epochs=3).train(x, y, x, y, batch_size=5, verbose=True)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["Epoch 1/3", "Epoch 2/3", "Epoch 3/3"]


def test_evaluate_in_chunks_equals_one_whole_batch():
    x, y = make_blobs(103, 6, 4, seed=5)
    net = ShallowNeuralNetwork([6, 5, 4], dtype="float64")
    output = net.feed_forward(x)
    whole = (net.cross_entropy_loss(y, output), net.accuracy(y, output))
    loss, accuracy = net.evaluate(x, y, chunk_size=10)
    assert loss == pytest.approx(whole[0], rel=1e-12)
    assert accuracy == pytest.approx(whole[1], rel=1e-12)


def test_predict_returns_argmax_class_and_leaves_the_cache_alone():
    x, _ = make_blobs(30, 6, 4, seed=6)
    net = ShallowNeuralNetwork([6, 5, 4])
    expected = np.argmax(net.feed_forward(x), axis=0)
    cache = net.cache
    np.testing.assert_array_equal(net.predict(x, chunk_size=7), expected)
    assert net.cache is cache


# ---------------------------------------------------------------------------
# Weights in the autograd engine's nn.Linear layout
# ---------------------------------------------------------------------------


def test_get_weights_returns_copies_of_out_by_in_weights_and_flat_biases():
    net = ShallowNeuralNetwork([5, 4, 3])
    weights = net.get_weights()
    assert [(w.shape, b.shape) for w, b in weights] == [((4, 5), (4,)), ((3, 4), (3,))]
    np.testing.assert_array_equal(weights[1][0], net.params["W2"])
    weights[0][0][...] = 0
    weights[0][1][...] = 7
    assert net.params["W1"].any() and not net.params["b1"].any()


def test_set_weights_round_trip_makes_an_identical_network():
    x, _ = make_blobs(9, 5, 3)
    source = ShallowNeuralNetwork([5, 4, 3], seed=1)
    source.params["b1"] += 0.5  # make the biases non-trivial
    target = ShallowNeuralNetwork([5, 4, 3], seed=2)
    target.from_linear_state(source.to_linear_state())
    np.testing.assert_array_equal(target.feed_forward(x), source.feed_forward(x))


def test_set_weights_resets_the_momentum_velocity():
    net = _net_with_fixed_grads()
    net.optimize(0.1, "momentum", 0.9)
    net.set_weights(net.get_weights())
    assert not any(v.any() for v in net.velocity.values())


GOOD_LAYER_1 = (np.zeros((4, 5)), np.zeros(4))  # valid, so a half-way failure would overwrite W1 and b1


@pytest.mark.parametrize(
    "weights, error, message",
    [
        ([GOOD_LAYER_1], ValueError, "expected 2"),
        ([(np.zeros((5, 4)), np.zeros(4)), (np.zeros((3, 4)), np.zeros(3))], ValueError, "layer 1"),
        ([GOOD_LAYER_1, (np.zeros((3, 4)), np.zeros(4))], ValueError, "layer 2"),
        ([GOOD_LAYER_1, (np.full((3, 4), "a"), np.zeros(3))], TypeError, "layer 2 weight must hold real"),
        ([GOOD_LAYER_1, (np.zeros((3, 4)), np.zeros(3, complex))], TypeError, "layer 2 bias .*complex128"),
        ([GOOD_LAYER_1, (np.zeros((3, 4)), np.zeros(3), None)], ValueError, r"layer 2: expected a \(weight"),
        ([GOOD_LAYER_1, np.zeros((3, 4))], ValueError, r"layer 2: expected a \(weight, bias"),
    ],
)
def test_set_weights_checks_every_layer_before_changing_anything(weights, error, message):
    net = ShallowNeuralNetwork([5, 4, 3])
    net.velocity["W1"] += 1.0  # a failed load must not reset the velocity either
    before = net.get_weights()
    with pytest.raises(error, match=message):
        net.set_weights(weights)
    for (w0, b0), (w1, b1) in zip(before, net.get_weights()):
        np.testing.assert_array_equal(w0, w1)
        np.testing.assert_array_equal(b0, b1)
    assert (net.velocity["W1"] == 1.0).all()


# ---------------------------------------------------------------------------
# Bad arguments
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"sizes": [784]}, "sizes"),
        ({"sizes": [784, 0, 10]}, "sizes"),
        ({"sizes": [784, 2.5, 10]}, "sizes"),
        ({"sizes": [784, True, 10]}, "sizes"),
        ({"epochs": 0}, "epochs"),
        ({"epochs": 1.5}, "epochs"),
        ({"activation": "softplus"}, "softplus"),
        ({"seed": -1}, "seed"),
        ({"dtype": "float16"}, "dtype"),
        ({"dtype": "not-a-dtype"}, "dtype"),
    ],
)
def test_bad_constructor_arguments_raise_value_error_naming_the_problem(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ShallowNeuralNetwork(**kwargs)


def test_unknown_activation_error_names_it_and_the_allowed_ones():
    with pytest.raises(ValueError) as info:
        ShallowNeuralNetwork([3, 2], activation="softplus")
    assert all(name in str(info.value) for name in ["softplus", *ACTIVATION_NAMES])


def test_hard_tanh_spelling_is_accepted_as_hardtanh():
    assert ShallowNeuralNetwork([3, 2], activation="hard_tanh").activation == "hardtanh"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"l_rate": 0}, "l_rate"),
        ({"l_rate": -0.1}, "l_rate"),
        ({"l_rate": float("nan")}, "l_rate"),
        ({"beta": 1.0}, "beta"),
        ({"beta": -0.1}, "beta"),
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": 2.5}, "batch_size"),
        ({"optimizer": "adam"}, r"'adam'"),
        ({"callback": 3}, "callback"),
        ({"x_train": np.zeros((20, 5))}, r"x_train.*\(20, 5\)"),
        ({"y_train": np.zeros(20)}, r"y_train.*np\.eye"),
        ({"y_val": np.zeros((4, 2))}, r"y_val.*\(5, 2\)"),
    ],
)
def test_bad_training_arguments_raise_value_error_naming_the_problem(kwargs, message):
    x, y = make_blobs(20, 4, 2)
    args = {"x_train": x, "y_train": y, "x_val": x[:5], "y_val": y[:5], "batch_size": 4}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        ShallowNeuralNetwork([4, 2]).train(**args)


def test_optimize_rejects_an_unknown_optimizer_naming_the_allowed_ones():
    with pytest.raises(ValueError, match=r"'sgd', 'momentum'.*'adam'"):
        ShallowNeuralNetwork([3, 2]).optimize(0.1, optimizer="adam")


@pytest.mark.parametrize("method", ["evaluate", "predict"])
def test_evaluate_and_predict_reject_a_non_positive_chunk_size(method):
    net = ShallowNeuralNetwork([3, 2])
    args = (np.zeros((4, 3)), np.eye(2)[[0, 1, 0, 1]]) if method == "evaluate" else (np.zeros((4, 3)),)
    with pytest.raises(ValueError, match="chunk_size"):
        getattr(net, method)(*args, chunk_size=0)


@pytest.mark.parametrize("shape", [(4,), (4, 5), (0, 3), (2, 3, 1)])
def test_feed_forward_rejects_inputs_of_the_wrong_shape(shape):
    with pytest.raises(ValueError, match=re.escape("(batch, 3)") + ".*" + re.escape(str(shape))):
        ShallowNeuralNetwork([3, 2]).feed_forward(np.zeros(shape))


@pytest.mark.parametrize("y_shape", [(2, 4), (4, 3), (4,)])
def test_back_propagate_rejects_labels_not_matching_the_output_transpose(y_shape):
    net = ShallowNeuralNetwork([3, 2])
    output = net.feed_forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"\(4, 2\)"):
        net.back_propagate(np.zeros(y_shape), output)


def test_back_propagate_rejects_an_output_from_a_different_batch():
    net = ShallowNeuralNetwork([3, 2])
    output = net.feed_forward(np.zeros((4, 3)))
    net.feed_forward(np.zeros((6, 3)))
    shapes = re.escape("(2, 4)") + ".*latest feed_forward.*" + re.escape("(2, 6)")
    with pytest.raises(ValueError, match=shapes):
        net.back_propagate(np.eye(2)[[0, 1, 0, 1]], output)


def test_back_propagate_rejects_an_older_output_of_the_same_batch_size():
    # Same shape, so only the identity check can tell: the cache now belongs to x_new.
    net = ShallowNeuralNetwork([3, 4, 2], seed=1)
    x_old, x_new = np.ones((4, 3)), -np.ones((4, 3))
    output = net.feed_forward(x_old)
    net.feed_forward(x_new)
    with pytest.raises(ValueError, match="not the array the latest feed_forward returned"):
        net.back_propagate(np.eye(2)[[0, 1, 0, 1]], output)


def test_back_propagate_rejects_a_copy_of_the_output():
    net = ShallowNeuralNetwork([3, 2])
    output = net.feed_forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="not a copy"):
        net.back_propagate(np.eye(2)[[0, 1, 0, 1]], output.copy())


@pytest.mark.parametrize("update", ["optimize", "set_weights"])
def test_back_propagate_rejects_a_cache_made_before_the_weights_changed(update):
    net = ShallowNeuralNetwork([3, 4, 2])
    x, y = np.ones((4, 3)), np.eye(2)[[0, 1, 0, 1]]
    output = net.feed_forward(x)
    net.back_propagate(y, output)
    if update == "optimize":
        net.optimize(0.1, "sgd")
    else:
        net.set_weights(net.get_weights())
    with pytest.raises(RuntimeError, match=f"weights changed 1 time.*{update}.*run feed_forward again"):
        net.back_propagate(y, output)
    net.back_propagate(y, net.feed_forward(x))  # a fresh forward pass is accepted again


def test_back_propagate_before_any_feed_forward_raises():
    with pytest.raises(RuntimeError, match="feed_forward"):
        ShallowNeuralNetwork([3, 2]).back_propagate(np.zeros((1, 2)), np.full((2, 1), 0.5))


# ---------------------------------------------------------------------------
# Independence from the autograd engines
# ---------------------------------------------------------------------------


def test_report_package_imports_only_itself_numpy_and_the_standard_library():
    imported = set()
    for path in Path(report.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"relative import in {path.name}"
                imported.add(node.module)
    own = {name for name in imported if name.startswith("tinygrad_edu.report.")}
    allowed = set(sys.stdlib_module_names) | {"numpy", "__future__"}
    assert own and {name.split(".")[0] for name in imported - own} <= allowed, imported - own
