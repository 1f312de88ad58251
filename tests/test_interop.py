"""tinygrad_edu.interop: weights move between nn.MLP, the report's network and torch.nn.Sequential.

PyTorch is the referee here (CI installs its CPU build): a model that received the weights must
compute what the model that gave them computes.
"""

import subprocess
import sys

import numpy as np
import pytest
import torch

from tinygrad_edu import Tensor, nn
from tinygrad_edu.interop import mlp_to_torch, report_to_torch, to_numpy, torch_to_mlp, torch_to_report
from tinygrad_edu.report import ShallowNeuralNetwork

TORCH_ACTIVATIONS = {"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh,
                     "hardtanh": torch.nn.Hardtanh}


def torch_sequential(sizes, activation="relu"):
    """torch.nn.Sequential(Linear, act, Linear, …, Linear) in float64, PyTorch's own random weights."""
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(n_in, n_out), TORCH_ACTIVATIONS[activation]()]
    return torch.nn.Sequential(*layers[:-1]).to(torch.float64)


def inputs(n_in, rows=5, seed=0):
    return np.random.default_rng(seed).standard_normal((rows, n_in))


def torch_output(model, x):
    with torch.no_grad():
        return model(torch.from_numpy(x)).numpy()


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "hardtanh"])
@pytest.mark.parametrize("sizes", [[6, 5, 3], [7, 4], [6, 8, 5, 4, 3]])
def test_mlp_weights_load_into_torch_as_they_are_and_compute_the_same(sizes, activation):
    mlp = nn.MLP(sizes, activation=activation, dtype="float64", seed=3)
    model = torch_sequential(sizes, activation)
    result = model.load_state_dict(mlp_to_torch(mlp.state_dict(), as_tensor=torch.from_numpy))
    assert not result.missing_keys and not result.unexpected_keys
    x = inputs(sizes[0])
    np.testing.assert_allclose(torch_output(model, x), mlp(Tensor(x)).numpy(), rtol=1e-12, atol=1e-12)


def test_mlp_state_dict_already_has_torchs_keys_and_shapes():
    sizes = [6, 5, 4, 3]
    mlp_state, torch_state = nn.MLP(sizes).state_dict(), torch_sequential(sizes).state_dict()
    assert list(mlp_state) == list(torch_state)
    assert [a.shape for a in mlp_state.values()] == [tuple(t.shape) for t in torch_state.values()]


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_torch_weights_load_into_the_mlp_and_compute_the_same(activation):
    sizes = [6, 5, 4, 3]
    model = torch_sequential(sizes, activation)
    mlp = nn.MLP(sizes, activation=activation, dtype="float64")
    mlp.load_state_dict(torch_to_mlp(model.state_dict()))
    x = inputs(sizes[0])
    np.testing.assert_allclose(mlp(Tensor(x)).numpy(), torch_output(model, x), rtol=1e-12, atol=1e-12)


def test_parameters_that_require_grad_convert_too():
    model = torch_sequential([4, 3, 2])
    state = torch_to_mlp(dict(model.named_parameters()))  # tensors with requires_grad=True
    np.testing.assert_array_equal(state["2.bias"], model[2].bias.detach().numpy())


def test_report_network_weights_go_to_torch_and_back():
    sizes = (6, 5, 4, 3)
    net = ShallowNeuralNetwork(sizes, dtype="float64", seed=4)
    model = torch_sequential(list(sizes))
    model.load_state_dict(report_to_torch(net.params, as_tensor=torch.from_numpy))
    x = inputs(sizes[0])
    expected = torch.softmax(torch.from_numpy(torch_output(model, x)), dim=1).numpy()
    np.testing.assert_allclose(net.feed_forward(x).T, expected, rtol=1e-12)

    back = torch_to_report(model.state_dict())
    assert {key: a.shape for key, a in back.items()} == {key: a.shape for key, a in net.params.items()}
    for key, array in net.params.items():
        np.testing.assert_array_equal(back[key], array)


def test_torch_weights_load_into_the_report_network_and_compute_the_same():
    sizes = (6, 5, 3)
    model = torch_sequential(list(sizes))
    net = ShallowNeuralNetwork(sizes, dtype="float64")
    for key, array in torch_to_report(model.state_dict()).items():
        net.params[key][...] = array
    x = inputs(sizes[0])
    expected = torch.softmax(torch.from_numpy(torch_output(model, x)), dim=1).numpy()
    np.testing.assert_allclose(net.feed_forward(x).T, expected, rtol=1e-12)


def test_converted_arrays_are_copies():
    mlp = nn.MLP([4, 3, 2], dtype="float64")
    state = mlp_to_torch(mlp.state_dict())
    state["0.weight"][...] = 7.0
    assert not np.any(mlp.linears[0].weight.data == 7.0)
    model = torch_sequential([4, 3, 2])
    mlp_state = torch_to_mlp(model.state_dict())
    mlp_state["0.bias"][...] = 7.0
    assert not torch.any(model[0].bias == 7.0)


def test_a_model_with_a_layer_that_shifts_the_positions_is_refused_by_name():
    model = torch.nn.Sequential(
        torch.nn.Linear(4, 3), torch.nn.Dropout(), torch.nn.ReLU(), torch.nn.Linear(3, 2)
    )
    with pytest.raises(KeyError, match=r"positions \[0, 3\]"):
        torch_to_mlp(model.state_dict())


@pytest.mark.parametrize(
    "change, error, message",
    [
        (lambda s: s.pop("2.bias"), KeyError, "missing key '2.bias'"),
        (lambda s: s.update({"2.running_mean": np.zeros(2)}), KeyError, "unexpected key '2.running_mean'"),
        (lambda s: s.update({"2.weight": np.zeros((2, 4))}), ValueError, "takes 4 inputs .* gives 3 outputs"),
        (lambda s: s.update({"0.bias": np.zeros((3, 1))}), ValueError, r"weight \(3, 4\) and bias \(3, 1\)"),
        (lambda s: s.update({"0.weight": np.zeros((3, 4), dtype=bool)}), TypeError, "dtype bool"),
        (lambda s: s.clear(), ValueError, "no layer"),
    ],
)
def test_a_state_dict_that_is_not_a_sequential_of_linears_is_refused_with_its_problem(change, error, message):
    state = nn.MLP([4, 3, 2], dtype="float64").state_dict()
    change(state)
    with pytest.raises(error, match=message):
        mlp_to_torch(state)


@pytest.mark.parametrize(
    "change, error, message",
    [
        (lambda p: p.pop("b2"), KeyError, "needs both W2 and b2"),
        (lambda p: p.update({"W3": p.pop("W2"), "b3": p.pop("b2")}), KeyError, "no gap"),
        (lambda p: p.update({"weight": p["W1"]}), KeyError, "unexpected key 'weight'"),
        (lambda p: p.update({"b1": p["b1"].reshape(-1)}), ValueError, r"b1 \(3,\)"),
    ],
)
def test_report_params_with_a_problem_are_refused_with_it(change, error, message):
    params = dict(ShallowNeuralNetwork((4, 3, 2), dtype="float64").params)
    change(params)
    with pytest.raises(error, match=message):
        report_to_torch(params)


def test_to_numpy_reads_duck_typed_tensors():
    class Tensorish:  # anything with .detach().cpu().numpy(), as PyTorch's tensors have
        def detach(self):
            return self

        def cpu(self):
            return self

        def numpy(self):
            return np.arange(3.0)

    np.testing.assert_array_equal(to_numpy(Tensorish()), np.arange(3.0))


def test_the_library_does_not_import_torch():
    code = "import sys, tinygrad_edu, tinygrad_edu.interop, tinygrad_edu.nn; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
