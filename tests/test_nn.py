"""Tests for tinygrad_edu.nn: layers, networks and the cross-entropy loss (lesson 6).

Every numerical property is checked in float64 against plain numpy written out
here, or against central finite differences.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_edu import Tensor, nn
from tinygrad_edu.optim import SGD
from tinygrad_edu.testing import arrays, assert_gradients_match, values

ACTIVATION_CLASSES = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "hardtanh": nn.Hardtanh}

# --------------------------------------------------------------------------
# Strategies and helpers
# --------------------------------------------------------------------------

sides = st.integers(1, 4)


@st.composite
def linear_inputs(draw):
    """x (N, in), W (out, in), b (out,): float64 arrays of matching shapes."""
    n, n_in, n_out = draw(sides), draw(sides), draw(sides)
    return draw(arrays((n, n_in))), draw(arrays((n_out, n_in))), draw(arrays((n_out,)))


@st.composite
def logits_and_labels(draw):
    """Logits (N, C) in [-3, 3] and integer class indices (N,) in 0 … C − 1."""
    n, n_classes = draw(st.integers(1, 5)), draw(st.integers(2, 5))
    logits = draw(arrays((n, n_classes)))
    labels = np.array(draw(st.lists(st.integers(0, n_classes - 1), min_size=n, max_size=n)))
    return logits, labels


def one_hot(labels, n_classes):
    rows = np.zeros((len(labels), n_classes))
    rows[np.arange(len(labels)), labels] = 1.0
    return rows


def numpy_softmax(x):
    """Row-wise softmax, written the naive way (safe here: logits stay within [-3, 3])."""
    return np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)


def numpy_activation(name, x):
    return {
        "relu": lambda: np.maximum(x, 0.0),
        "sigmoid": lambda: 1.0 / (1.0 + np.exp(-x)),
        "tanh": lambda: np.tanh(x),
        "hardtanh": lambda: np.clip(x, -1.0, 1.0),
    }[name]()


def layer_with(weight, bias):
    """A float64 Linear whose parameters are set to the given arrays."""
    layer = nn.Linear(weight.shape[1], weight.shape[0], dtype="float64")
    layer.weight.data[...] = weight
    layer.bias.data[...] = bias
    return layer


class AddConstant(nn.Module):
    def __init__(self, c):
        self.c = c

    def forward(self, x):
        return x + self.c


class MultiplyBy(nn.Module):
    def __init__(self, c):
        self.c = c

    def forward(self, x):
        return x * self.c


# --------------------------------------------------------------------------
# Linear
# --------------------------------------------------------------------------


@given(linear_inputs())
def test_linear_forward_equals_x_times_weight_transposed_plus_bias(inputs):
    x, weight, bias = inputs
    out = layer_with(weight, bias)(Tensor(x))
    np.testing.assert_allclose(out.data, x @ weight.T + bias, rtol=1e-12, atol=1e-12)


@given(linear_inputs())
def test_linear_gradients_match_finite_differences(inputs):
    def forward(x, weight, bias):
        layer = nn.Linear(weight.shape[1], weight.shape[0], dtype="float64")
        layer.weight, layer.bias = weight, bias
        return layer(x)

    assert_gradients_match(forward, *inputs)


def test_linear_weight_is_out_by_in_and_bias_is_out():
    layer = nn.Linear(3, 5)
    assert layer.weight.shape == (5, 3)
    assert layer.bias.shape == (5,)


def test_linear_parameters_require_grad():
    layer = nn.Linear(3, 5)
    assert layer.weight.requires_grad and layer.bias.requires_grad


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_linear_parameters_and_output_have_the_requested_dtype(dtype):
    layer = nn.Linear(3, 5, dtype=dtype)
    out = layer(Tensor(np.ones((2, 3)), dtype=dtype))
    assert layer.weight.dtype == layer.bias.dtype == out.dtype == np.dtype(dtype)


def test_linear_without_bias_has_only_a_weight():
    layer = nn.Linear(3, 5, bias=False, dtype="float64")
    x = np.arange(6.0).reshape(2, 3)
    assert layer.parameters() == [layer.weight]
    np.testing.assert_allclose(layer(Tensor(x)).data, x @ layer.weight.data.T)


@pytest.mark.parametrize("sizes", [(0, 3), (3, 0), (-1, 3), (2.0, 3), (True, 3)])
def test_linear_rejects_sizes_that_are_not_positive_integers(sizes):
    with pytest.raises(ValueError, match="must be a positive integer"):
        nn.Linear(*sizes)


def test_linear_init_weight_std_is_sqrt_one_over_in_features():
    layer = nn.Linear(1000, 500, dtype="float64", rng=0)
    # 500 000 draws: the sample std is within ~0.3% of the true one.
    assert layer.weight.data.std() == pytest.approx(np.sqrt(1 / 1000), rel=0.02)
    assert abs(layer.weight.data.mean()) < 4 * np.sqrt(1 / 1000) / np.sqrt(500_000)


def test_linear_init_bias_is_zero():
    assert np.all(nn.Linear(20, 10).bias.data == 0)


def test_linear_init_is_reproducible_from_a_seed():
    np.testing.assert_array_equal(nn.Linear(4, 3, rng=7).weight.data, nn.Linear(4, 3, rng=7).weight.data)


def test_linear_init_differs_between_seeds():
    assert not np.array_equal(nn.Linear(4, 3, rng=7).weight.data, nn.Linear(4, 3, rng=8).weight.data)


# --------------------------------------------------------------------------
# Activation modules
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "module, op",
    [
        (nn.ReLU(), lambda t: t.relu()),
        (nn.Sigmoid(), lambda t: t.sigmoid()),
        (nn.Tanh(), lambda t: t.tanh()),
        (nn.Hardtanh(), lambda t: t.hardtanh()),
        (nn.Hardtanh(-0.5, 2.0), lambda t: t.hardtanh(-0.5, 2.0)),
    ],
    ids=["relu", "sigmoid", "tanh", "hardtanh", "hardtanh(-0.5, 2)"],
)
@given(x=arrays(), upstream=st.floats(0.5, 2.0))
def test_activation_module_equals_its_tensor_op_forward_and_backward(module, op, x, upstream):
    by_module, by_op = Tensor(x, requires_grad=True), Tensor(x, requires_grad=True)
    out_module, out_op = module(by_module), op(by_op)
    np.testing.assert_array_equal(out_module.data, out_op.data)
    out_module.backward(np.full(x.shape, upstream))
    out_op.backward(np.full(x.shape, upstream))
    np.testing.assert_array_equal(by_module.grad, by_op.grad)


# --------------------------------------------------------------------------
# Sequential and MLP
# --------------------------------------------------------------------------


def test_sequential_applies_its_modules_in_order():
    x = Tensor(np.array([1.0, 2.0]))
    np.testing.assert_array_equal(nn.Sequential(AddConstant(1.0), MultiplyBy(2.0))(x).data, [4.0, 6.0])
    np.testing.assert_array_equal(nn.Sequential(MultiplyBy(2.0), AddConstant(1.0))(x).data, [3.0, 5.0])


def test_sequential_indexes_and_counts_its_modules():
    first, second = nn.ReLU(), nn.Tanh()
    model = nn.Sequential(first, second)
    assert len(model) == 2
    assert model[0] is first and model[1] is second


def test_sequential_names_parameters_by_position():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 4))
    assert [name for name, _ in model.named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_sequential_rejects_an_item_that_is_not_a_module():
    with pytest.raises(TypeError, match="item 1 is a function, not a Module"):
        nn.Sequential(nn.ReLU(), lambda x: x)


def test_mlp_names_parameters_like_pytorch_sequential():
    names = [name for name, _ in nn.MLP([4, 8, 8, 3]).named_parameters()]
    assert names == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]


@given(
    sizes=st.lists(st.integers(1, 5), min_size=2, max_size=5),
    activation=st.sampled_from(nn.ACTIVATIONS),
)
def test_mlp_has_one_linear_per_pair_of_sizes_and_an_activation_between_them(sizes, activation):
    model = nn.MLP(sizes, activation=activation)
    depth = len(sizes) - 1
    assert len(model) == 2 * depth - 1
    assert [lin.weight.shape for lin in model.linears] == list(zip(sizes[1:], sizes[:-1]))
    assert all(isinstance(model[i], nn.Linear) for i in range(0, len(model), 2))
    assert all(type(model[i]) is ACTIVATION_CLASSES[activation] for i in range(1, len(model), 2))


@given(
    sizes=st.lists(st.integers(1, 5), min_size=2, max_size=5),
    activation=st.sampled_from(nn.ACTIVATIONS),
    seed=st.integers(0, 2**32 - 1),
)
def test_mlp_forward_equals_layers_written_out_with_no_activation_after_the_last(sizes, activation, seed):
    model = nn.MLP(sizes, activation=activation, dtype="float64", seed=seed)
    x = np.random.default_rng(seed).standard_normal((3, sizes[0]))
    expected = x
    for k, lin in enumerate(model.linears):
        expected = expected @ lin.weight.data.T + lin.bias.data
        if k < len(model.linears) - 1:
            expected = numpy_activation(activation, expected)
    np.testing.assert_allclose(model(Tensor(x)).data, expected, rtol=1e-12, atol=1e-12)


def test_mlp_unknown_activation_raises_value_error_listing_the_allowed_names():
    with pytest.raises(ValueError, match="'gelu'") as error:
        nn.MLP([2, 3], activation="gelu")
    assert all(name in str(error.value) for name in nn.ACTIVATIONS)


@pytest.mark.parametrize("sizes", [[3], [], [3, 0], [3, 2.0], [3, -1]])
def test_mlp_rejects_sizes_that_are_not_two_or_more_positive_integers(sizes):
    with pytest.raises(ValueError, match="sizes must be at least two positive integers"):
        nn.MLP(sizes)


def test_mlp_is_reproducible_from_a_seed():
    first, second = nn.MLP([4, 6, 3], seed=3).state_dict(), nn.MLP([4, 6, 3], seed=3).state_dict()
    assert all(np.array_equal(first[name], second[name]) for name in first)


# --------------------------------------------------------------------------
# parameters, named_parameters, zero_grad
# --------------------------------------------------------------------------


class TwoPart(nn.Module):
    """A module with its own parameter, a sub-module, a list of sub-modules and a constant."""

    def __init__(self):
        self.scale = Tensor(np.ones(2), requires_grad=True)
        self.encoder = nn.Linear(2, 2)
        self.blocks = [nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 2)]
        self.offset = Tensor(np.zeros(2))  # a constant: requires_grad=False, so not a parameter


def test_named_parameters_lists_own_then_sub_modules_in_assignment_order():
    model = TwoPart()
    expected = [
        ("scale", model.scale),
        ("encoder.weight", model.encoder.weight),
        ("encoder.bias", model.encoder.bias),
        ("blocks.0.weight", model.blocks[0].weight),
        ("blocks.0.bias", model.blocks[0].bias),
        ("blocks.2.weight", model.blocks[2].weight),
        ("blocks.2.bias", model.blocks[2].bias),
    ]
    assert [(name, id(p)) for name, p in model.named_parameters()] == [(n, id(p)) for n, p in expected]


def test_parameters_are_the_named_parameters_in_the_same_order():
    model = nn.MLP([3, 4, 2])
    assert [id(p) for p in model.parameters()] == [id(p) for _, p in model.named_parameters()]
    assert [id(p) for p in model.parameters()] == [
        id(p) for lin in model.linears for p in (lin.weight, lin.bias)
    ]


def test_zero_grad_clears_every_parameter_gradient():
    model = nn.MLP([3, 4, 2], dtype="float64")
    model(Tensor(np.ones((5, 3)))).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


# --------------------------------------------------------------------------
# state_dict and load_state_dict
# --------------------------------------------------------------------------


def snapshot(model):
    """Copies of the parameters' arrays, made here (not by state_dict, which is under test)."""
    return {name: p.data.copy() for name, p in model.named_parameters()}


def assert_states_equal(first, second):
    assert first.keys() == second.keys()
    for name in first:
        np.testing.assert_array_equal(first[name], second[name])


def test_state_dict_maps_parameter_names_to_their_arrays():
    model = nn.MLP([3, 4, 2])
    state = model.state_dict()
    assert list(state) == [name for name, _ in model.named_parameters()]
    for name, p in model.named_parameters():
        assert isinstance(state[name], np.ndarray)
        assert state[name].dtype == p.dtype
        np.testing.assert_array_equal(state[name], p.data)


def test_state_dict_returns_copies_that_do_not_change_the_model():
    model = nn.MLP([3, 4, 2])
    before = snapshot(model)
    for array in model.state_dict().values():
        array += 100.0
    assert_states_equal(snapshot(model), before)


def test_state_dict_round_trips_through_npz_files(tmp_path):
    source, target = nn.MLP([3, 4, 2], seed=1), nn.MLP([3, 4, 2], seed=2)
    np.savez(tmp_path / "model.npz", **source.state_dict())
    with np.load(tmp_path / "model.npz", allow_pickle=False) as saved:
        target.load_state_dict(saved)
    assert_states_equal(target.state_dict(), source.state_dict())
    x = Tensor(np.ones((2, 3)), dtype="float32")
    np.testing.assert_array_equal(target(x).data, source(x).data)


def test_load_state_dict_writes_into_the_same_parameters_in_their_own_dtype():
    model = nn.MLP([3, 4, 2], dtype="float32", seed=1)
    params_before = model.parameters()
    model.load_state_dict(nn.MLP([3, 4, 2], dtype="float64", seed=2).state_dict())
    assert [id(p) for p in model.parameters()] == [id(p) for p in params_before]
    assert all(p.dtype == np.float32 for p in model.parameters())


def other_state(model):
    """A state for `model` with the same names and shapes, but different values."""
    return {name: array + 1.0 for name, array in model.state_dict().items()}


def test_load_state_dict_missing_key_raises_naming_it_and_loads_nothing():
    model = nn.MLP([3, 4, 2])
    before, state = snapshot(model), other_state(model)
    del state["2.bias"]
    with pytest.raises(KeyError, match=r"missing keys \['2.bias'\]"):
        model.load_state_dict(state)
    assert_states_equal(snapshot(model), before)


def test_load_state_dict_unexpected_key_raises_naming_it_and_loads_nothing():
    model = nn.MLP([3, 4, 2])
    before, state = snapshot(model), other_state(model)
    state["4.weight"] = np.zeros((1, 2))
    with pytest.raises(KeyError, match=r"unexpected keys \['4.weight'\]"):
        model.load_state_dict(state)
    assert_states_equal(snapshot(model), before)


def test_load_state_dict_wrong_shape_raises_naming_key_and_both_shapes_and_loads_nothing():
    model = nn.MLP([3, 4, 2])
    before, state = snapshot(model), other_state(model)
    state["2.bias"] = np.zeros(3)  # the last parameter: every other one would already be loaded
    with pytest.raises(ValueError, match=r"'2.bias' has shape \(3,\), the parameter has \(2,\)"):
        model.load_state_dict(state)
    assert_states_equal(snapshot(model), before)


def test_load_state_dict_non_numeric_values_raise_and_load_nothing():
    model = nn.MLP([3, 4, 2])
    before, state = snapshot(model), other_state(model)
    state["2.bias"] = np.array(["1.0", "oops"])
    with pytest.raises(TypeError, match="'2.bias' holds <U4 values"):
        model.load_state_dict(state)
    assert_states_equal(snapshot(model), before)


# --------------------------------------------------------------------------
# cross_entropy
# --------------------------------------------------------------------------


@given(logits_and_labels())
def test_cross_entropy_with_class_indices_equals_with_one_hot_rows(case):
    logits, labels = case
    by_index = nn.cross_entropy(Tensor(logits), labels)
    by_one_hot = nn.cross_entropy(Tensor(logits), one_hot(labels, logits.shape[1]))
    assert by_index.item() == pytest.approx(by_one_hot.item(), rel=1e-12, abs=1e-12)


@given(logits_and_labels())
def test_cross_entropy_equals_mean_negative_log_probability_of_the_label(case):
    logits, labels = case
    probabilities = numpy_softmax(logits)
    expected = -np.mean(np.log(probabilities[np.arange(len(labels)), labels]))
    loss = nn.cross_entropy(Tensor(logits), labels)
    assert loss.shape == ()
    assert loss.item() == pytest.approx(expected, rel=1e-12, abs=1e-12)


@given(logits_and_labels())
def test_cross_entropy_gradient_is_softmax_minus_one_hot_over_batch_size(case):
    logits, labels = case
    x = Tensor(logits, requires_grad=True)
    nn.cross_entropy(x, labels).backward()
    expected = (numpy_softmax(logits) - one_hot(labels, logits.shape[1])) / len(labels)
    np.testing.assert_allclose(x.grad, expected, rtol=1e-10, atol=1e-12)


@given(logits_and_labels())
def test_cross_entropy_gradient_matches_finite_differences(case):
    logits, labels = case
    assert_gradients_match(lambda x: nn.cross_entropy(x, labels), logits)


@pytest.mark.parametrize("dtype", [np.uint8, np.int32, np.int64])
def test_cross_entropy_accepts_class_indices_of_any_integer_dtype(dtype):
    logits = Tensor(np.array([[2.0, 0.0, -1.0], [0.0, 1.0, 0.5]]))
    reference = nn.cross_entropy(logits, np.array([0, 2])).item()
    assert nn.cross_entropy(logits, np.array([0, 2], dtype=dtype)).item() == reference


@pytest.mark.parametrize(
    "labels, message",
    [([0, 3, 1], "label 3 at position 1"), ([-1, 0, 1], "label -1 at position 0")],
)
def test_cross_entropy_label_out_of_range_names_label_and_position(labels, message):
    with pytest.raises(ValueError, match=message):
        nn.cross_entropy(Tensor(np.zeros((3, 3))), np.array(labels))


def test_cross_entropy_float_class_indices_raise_type_error():
    with pytest.raises(TypeError, match="integer dtype, got float64"):
        nn.cross_entropy(Tensor(np.zeros((3, 4))), np.array([0.0, 1.0, 2.0]))


@pytest.mark.parametrize(
    "logits_shape, labels, message",
    [
        ((3, 4), np.array([0, 1]), r"labels of shape \(2,\) fit neither"),  # too few indices
        ((3, 4), np.zeros((3, 5)), r"labels of shape \(3, 5\) fit neither"),  # rows too wide
        ((3, 4), np.zeros((4, 4)), r"labels of shape \(4, 4\) fit neither"),  # one row too many
        ((4,), np.array([0]), r"logits must be a 2-D Tensor \(N, C\), got \(4,\)"),
    ],
)
def test_cross_entropy_wrong_shapes_raise_value_error(logits_shape, labels, message):
    with pytest.raises(ValueError, match=message):
        nn.cross_entropy(Tensor(np.zeros(logits_shape)), labels)


# --------------------------------------------------------------------------
# End to end
# --------------------------------------------------------------------------


def test_mlp_trained_with_sgd_drives_the_loss_down_on_a_learnable_problem():
    # Two classes separated by a circle: not linearly separable, easy for a small MLP.
    rng = np.random.default_rng(0)
    x = rng.uniform(-1.0, 1.0, size=(200, 2))
    labels = (np.sum(x * x, axis=1) < 0.5).astype(np.int64)
    model = nn.MLP([2, 16, 16, 2], activation="tanh", dtype="float64", seed=0)
    optimizer = SGD(model.parameters(), lr=0.5, momentum=0.9)
    losses = []
    for _ in range(150):
        optimizer.zero_grad()
        loss = nn.cross_entropy(model(Tensor(x)), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.25 * losses[0]
    accuracy = np.mean(model(Tensor(x)).data.argmax(axis=1) == labels)
    assert accuracy > 0.9


@given(x=arrays((2, 3), elements=values(-3.0, 3.0)))
def test_mlp_output_does_not_depend_on_other_rows_of_the_batch(x):
    model = nn.MLP([3, 4, 2], dtype="float64")
    np.testing.assert_allclose(model(Tensor(x)).data[:1], model(Tensor(x[:1])).data, rtol=1e-12, atol=1e-12)


def test_a_shared_parameter_is_listed_once():
    shared = nn.Linear(3, 3)
    model = nn.Sequential(shared, nn.ReLU(), shared)
    assert [name for name, _ in model.named_parameters()] == ["0.weight", "0.bias"]


def test_linear_accepts_a_plain_array_of_inputs():
    layer = nn.Linear(3, 2, dtype="float64")
    x = np.ones((4, 3))
    np.testing.assert_allclose(layer(x).data, x @ layer.weight.data.T + layer.bias.data)


def test_cross_entropy_of_an_empty_batch_is_an_error():
    with pytest.raises(ValueError, match="empty batch"):
        nn.cross_entropy(Tensor(np.zeros((0, 3))), np.zeros(0, dtype=np.int64))


def test_mlp_weights_round_trip_and_a_wrong_count_is_refused():
    source, target = nn.MLP([5, 4, 3], seed=1), nn.MLP([5, 4, 3], seed=2)
    target.set_weights(source.get_weights())
    for (w_a, b_a), (w_b, b_b) in zip(source.get_weights(), target.get_weights()):
        np.testing.assert_array_equal(w_a, w_b)
        np.testing.assert_array_equal(b_a, b_b)
    with pytest.raises(ValueError, match="expected 2 .weight, bias. pairs, got 1"):
        target.set_weights(source.get_weights()[:1])


@pytest.mark.parametrize(
    "second_layer, error",
    [
        ((np.zeros((3, 5)), np.zeros(3)), ValueError),  # wrong shape
        ((np.full((3, 4), "a"), np.zeros(3)), TypeError),  # not numbers
        ((np.zeros((3, 4)), np.zeros(3), None), ValueError),  # not a pair
    ],
)
def test_mlp_set_weights_failing_at_the_last_layer_leaves_every_layer_unchanged(second_layer, error):
    net = nn.MLP([5, 4, 3], seed=1)
    before = net.get_weights()
    with pytest.raises(error):
        net.set_weights([(np.ones((4, 5)), np.ones(4)), second_layer])
    for (w_a, b_a), (w_b, b_b) in zip(before, net.get_weights()):
        np.testing.assert_array_equal(w_a, w_b)
        np.testing.assert_array_equal(b_a, b_b)
