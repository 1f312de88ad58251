"""Weights to and from PyTorch: nn.MLP and the report's network ⇄ torch.nn.Sequential (lesson 9).

An `nn.MLP([784, 600, 400, 10])` is the same function as

    torch.nn.Sequential(Linear(784, 600), ReLU(), Linear(600, 400), ReLU(), Linear(400, 10))

and its state_dict already has that module's keys and layouts: "0.weight" (600, 784),
"0.bias" (600,), "2.weight", "2.bias", "4.weight", "4.bias" (the activations, at the odd
positions, have no parameters). The report's network keeps the same numbers as W_k (n_k, n_{k-1})
and b_k (n_k, 1) under "W1", "b1", …; its layer k is the Sequential's position 2(k − 1).

This module never imports torch. It reads tensors through `.detach().cpu().numpy()` (so
anything shaped like a torch tensor works) and returns numpy arrays, or `as_tensor(array)` for
each array if you pass one (e.g. `torch.from_numpy`):

    model.load_state_dict(mlp_to_torch(mlp.state_dict(), as_tensor=torch.from_numpy))
    mlp.load_state_dict(torch_to_mlp(model.state_dict()))
    net_params = torch_to_report(model.state_dict())          # and back: report_to_torch(net.params)
"""

import re

import numpy as np

_SEQUENTIAL_KEY = re.compile(r"^(\d+)\.(weight|bias)$")
_REPORT_KEY = re.compile(r"^([Wb])(\d+)$")


def to_numpy(value):
    """A numpy array from a numpy array, a number, or a tensor with `.detach().cpu().numpy()`."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    array = np.asarray(value)
    if array.dtype.kind not in "iuf":
        raise TypeError(f"expected an array of numbers, got dtype {array.dtype}")
    return array


def _check_dict(value, name):
    if not hasattr(value, "items"):
        raise TypeError(f"{name} must be a dict of arrays (a state_dict), got {type(value).__name__}")


def _layers_of_sequential(state_dict):
    """[(weight (out, in), bias (out,)), …] from Sequential-style keys, checked: keys 0, 2, 4, …,
    each layer with a 2-D weight and a bias of its output size, each input size the last output size."""
    _check_dict(state_dict, "state_dict")
    arrays = {}
    for key, value in state_dict.items():
        match = _SEQUENTIAL_KEY.match(key)
        if not match:
            raise KeyError(
                f"unexpected key {key!r}: expected the keys of a Sequential of Linear layers "
                "with activations between them, '0.weight', '0.bias', '2.weight', …"
            )
        arrays[int(match[1]), match[2]] = to_numpy(value)
    positions = sorted({position for position, _ in arrays})
    if positions != list(range(0, 2 * len(positions), 2)):
        raise KeyError(
            f"Linear layers at positions {positions}: expected 0, 2, 4, … "
            "(a Linear, then an activation, then the next Linear)"
        )
    layers = []
    for position in positions:
        for name in ("weight", "bias"):
            if (position, name) not in arrays:
                raise KeyError(f"missing key '{position}.{name}' (a Linear layer has a weight and a bias)")
        weight, bias = arrays[position, "weight"], arrays[position, "bias"]
        if weight.ndim != 2 or bias.shape != weight.shape[:1]:
            raise ValueError(
                f"layer '{position}': weight {weight.shape} and bias {bias.shape} are not a Linear "
                "layer's (weight (out, in), bias (out,))"
            )
        if layers and weight.shape[1] != layers[-1][0].shape[0]:
            raise ValueError(
                f"layer '{position}' takes {weight.shape[1]} inputs but the layer before it gives "
                f"{layers[-1][0].shape[0]} outputs"
            )
        layers.append((weight, bias))
    if not layers:
        raise ValueError("the state_dict holds no layer")
    return layers


def _sequential_state(layers, as_tensor):
    """{"0.weight": …, "0.bias": …, "2.weight": …}: copies, or as_tensor(copy) each."""
    convert = as_tensor or (lambda array: array)
    state = {}
    for k, (weight, bias) in enumerate(layers):
        state[f"{2 * k}.weight"] = convert(np.array(weight, order="C"))
        state[f"{2 * k}.bias"] = convert(np.array(bias.reshape(-1), order="C"))
    return state


def mlp_to_torch(mlp_state, as_tensor=None):
    """nn.MLP.state_dict() → the state_dict of the equivalent torch.nn.Sequential.

    Same keys, same layouts: the arrays are checked and copied (so the two models never share
    memory), each passed through `as_tensor` if given (e.g. `torch.from_numpy`, which keeps the dtype).
    """
    return _sequential_state(_layers_of_sequential(mlp_state), as_tensor)


def torch_to_mlp(torch_state):
    """torch.nn.Sequential(Linear, act, Linear, …).state_dict() → numpy arrays for nn.MLP.load_state_dict."""
    return _sequential_state(_layers_of_sequential(torch_state), None)


def report_to_torch(params, as_tensor=None):
    """The report network's .params {"W1": (out, in), "b1": (out, 1), …} → the Sequential's state_dict.

    Layer k goes to position 2(k − 1): "W1" → "0.weight", "b1" (out, 1) → "0.bias" (out,).
    """
    _check_dict(params, "params")
    layers = {}
    for key, value in params.items():
        match = _REPORT_KEY.match(key)
        if not match:
            raise KeyError(f"unexpected key {key!r}: the report's network names its parameters W1, b1, W2, …")
        layers.setdefault(int(match[2]), {})[match[1]] = to_numpy(value)
    numbers = sorted(layers)
    if numbers != list(range(1, len(numbers) + 1)):
        raise KeyError(f"layers {numbers}: expected 1, 2, 3, … with no gap")
    pairs = []
    for k in numbers:
        if set(layers[k]) != {"W", "b"}:
            raise KeyError(f"layer {k} needs both W{k} and b{k}")
        weight, bias = layers[k]["W"], layers[k]["b"]
        if weight.ndim != 2 or bias.shape != (weight.shape[0], 1):
            raise ValueError(f"W{k} {weight.shape} and b{k} {bias.shape}: expected W (out, in), b (out, 1)")
        pairs.append((weight, bias.reshape(-1)))
    return mlp_to_torch(_sequential_state(pairs, None), as_tensor)


def torch_to_report(torch_state):
    """torch.nn.Sequential(Linear, act, …).state_dict() → {"W1": (out, in), "b1": (out, 1), …}, numpy.

    Copy them into a ShallowNeuralNetwork of the same sizes with `net.params[key][...] = array`.
    """
    params = {}
    for k, (weight, bias) in enumerate(_layers_of_sequential(torch_state), start=1):
        params[f"W{k}"] = np.array(weight, order="C")
        params[f"b{k}"] = np.array(bias.reshape(-1, 1), order="C")
    return params
