"""The bad-input sweep: for every public parameter, the values that probe it and what must happen.

`CASES["nn.Linear(in_features)"]` lists `Case`s: a value given to that parameter alone (every other
argument sensible, from `CALLS`), and the outcome: accepted (`ok`), or an error of the given type
whose message matches a regular expression naming the parameter or the problem (`bad`). The kinds
probed: numpy scalars, 0-d arrays, bool, nan/inf, negative, zero, huge, wrong type, wrong shape,
empty. A pair whose cases live in tests/test_bad_input.py says so with `Covered(case name)`, and
the sweep checks that the named case exists there.

Choices the cases pin (the fixes of issue 24 made the library keep them):
- numpy integer and real scalars are accepted wherever a Python int or float is;
- a 0-d array is not a number for a size, an axis or a hyperparameter: refused, naming the parameter;
- a bool is not an int (True is no width, no axis, no seed);
- a size whose tensors could not be allocated (10**12 units) is refused before numpy tries.
"""

import math
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tinygrad_edu import (
    Tensor,
    Value,
    cat,
    crosscheck,
    fold,
    grad,
    interop,
    nn,
    optim,
    stack,
    testing,
    viz,
    where,
)
from tinygrad_edu import train as train_module
from tinygrad_edu.autograd import creation, topological_order
from tinygrad_edu.gradcheck import gradcheck, gradgradcheck, numerical_gradient
from tinygrad_edu.nn import functional as F
from tinygrad_edu.report import ShallowNeuralNetwork, activations

EITHER = (TypeError, ValueError)
HUGE = 10**12


@dataclass(frozen=True)
class Case:
    kind: str  # the kind of input probed, e.g. "numpy int", "huge"
    value: object
    error: type | tuple | None = None  # None: the value is accepted
    message: str = ""  # a regular expression the error's message must match
    known: str = ""  # not yet so: why (the case runs as a strict xfail, and fails once it is fixed)


@dataclass(frozen=True)
class Covered:
    case: str  # the name of a case of tests/test_bad_input.py's CATALOGUE that probes this parameter


def ok(kind, value):
    return Case(kind, value)


def bad(kind, value, message, error=EITHER):
    return Case(kind, value, error, message)


def known(kind, value, message, why, error=EITHER):
    """A refusal the library does not give yet: listed, so that the gap is visible and tracked."""
    return Case(kind, value, error, message, why)


# ---- the sensible arguments every call starts from ----
def matrix(dtype=np.float32, requires_grad=False):
    return Tensor(np.arange(6.0).reshape(2, 3), requires_grad=requires_grad, dtype=dtype)


def f32(array):
    return Tensor(array, dtype=np.float32)


def image():
    return f32(np.arange(16.0).reshape(1, 1, 4, 4))


def leaf():
    return Tensor(np.ones((2, 3)), requires_grad=True)


def net():
    return ShallowNeuralNetwork([4, 3, 2], epochs=1)


def one_hot_rows():
    return np.eye(2)[[0, 1, 1]]


def sgd(**kw):
    return optim.SGD(**{"params": [leaf()], "lr": 0.1, **kw})


def train(**kw):
    x, y = np.ones((3, 4)), one_hot_rows()
    return net().train(**{"x_train": x, "y_train": y, "x_val": x, "y_val": y, "batch_size": 2, **kw})


def train_step(**kw):
    return net().train_step(**{"x": np.ones((3, 4)), "y": one_hot_rows(), **kw})


def fed(method, **kw):
    """A network method that needs a forward pass first, called with y and output."""
    network = net()
    output = network.feed_forward(np.ones((3, 4)))
    return getattr(network, method)(**{"y": one_hot_rows(), "output": output, **kw})


def grad_call(**kw):
    x = Tensor([1.0, 2.0], requires_grad=True)
    kw = {"outputs": (x * x).sum(), "inputs": x, **kw}
    return grad(**kw)


CALLS = {  # qualified name → a call taking the probed parameter as a keyword
    "Tensor": lambda **kw: Tensor(**{"data": [1.0, 2.0], **kw}),
    "Tensor.backward": lambda **kw: (leaf() * 2).sum().backward(**kw),
    "Tensor.broadcast_to": lambda shape: matrix().broadcast_to(shape),
    "Tensor.chunk": lambda **kw: matrix().chunk(**{"chunks": 2, **kw}),
    "Tensor.expand": lambda sizes: matrix()[:1].expand(*sizes),
    "Tensor.flatten": lambda **kw: matrix().flatten(**kw),
    "Tensor.flip": lambda dims: matrix().flip(dims),
    "Tensor.gather": lambda **kw: matrix().gather(**{"dim": 1, "index": np.array([[0], [2]]), **kw}),
    "Tensor.hardtanh": lambda **kw: matrix().hardtanh(**kw),
    "Tensor.masked_fill": lambda **kw: matrix().masked_fill(
        **{"mask": np.eye(2, 3, dtype=bool), "value": 0.0, **kw}
    ),
    "Tensor.permute": lambda dims: matrix().permute(*dims),
    "Tensor.repeat": lambda sizes: matrix().repeat(*sizes),
    "Tensor.reshape": lambda shape: matrix().reshape(*shape),
    "Tensor.view": lambda shape: matrix().view(*shape),
    "Tensor.transpose": lambda axes: matrix().transpose(*axes),
    "Tensor.scatter_add": lambda **kw: matrix().scatter_add(
        **{"dim": 1, "index": np.array([[0], [2]]), "src": f32(np.ones((2, 1))), **kw}
    ),
    "Tensor.split": lambda **kw: matrix().split(**{"split_size_or_sections": 2, "dim": 1, **kw}),
    "Tensor.squeeze": lambda **kw: matrix()[:1].squeeze(**kw),
    "Tensor.unsqueeze": lambda dim: matrix().unsqueeze(dim),
    "Tensor.unfold": lambda **kw: image().unfold(**{"kernel_size": 2, **kw}),
    "Value": lambda data: Value(data),
    "Value.backward": lambda create_graph: (Value(2.0) * 3).backward(create_graph=create_graph),
    "cat": lambda **kw: cat(**{"tensors": [matrix(), matrix()], **kw}),
    "stack": lambda **kw: stack(**{"tensors": [matrix(), matrix()], **kw}),
    "fold": lambda **kw: fold(**{"input": image().unfold(2), "output_size": 4, "kernel_size": 2, **kw}),
    "grad": grad_call,
    "topological_order": lambda root: topological_order(root),
    "gradcheck": lambda **kw: gradcheck(**{"fn": lambda t: t * t, "inputs": [np.ones(2)], **kw}),
    "gradgradcheck": lambda **kw: gradgradcheck(**{"fn": lambda t: t * t * t, "inputs": [np.ones(2)], **kw}),
    "numerical_gradient": lambda **kw: numerical_gradient(
        **{"f": lambda x: float((x * x).sum()), "x": np.ones(2), **kw}
    ),
    "arrays": lambda **kw: testing.arrays(**{"shape": (2,), **kw}).example(),
    "assert_gradients_match": lambda **kw: testing.assert_gradients_match(
        kw.pop("fn", lambda t: t * t), *kw.pop("inputs", (np.ones(2),)), **kw
    ),
    "assume_away_from": lambda **kw: testing.assume_away_from(**{"array": np.ones(2), "kinks": (0.0,), **kw}),
    "broadcastable_arrays": lambda **kw: testing.broadcastable_arrays(**kw).example(),
    "broadcastable_shapes": lambda **kw: testing.broadcastable_shapes(**kw).example(),
    "matmul_shapes": lambda **kw: testing.matmul_shapes(**kw).example(),
    "positive_values": lambda **kw: testing.positive_values(**kw).example(),
    "shapes": lambda **kw: testing.shapes(**kw).example(),
    "values": lambda **kw: testing.values(**kw).example(),
    "nn.AvgPool2d": lambda **kw: nn.AvgPool2d(**{"kernel_size": 2, **kw})(image()),
    "nn.AvgPool2d.forward": lambda x: nn.AvgPool2d(2).forward(x),
    "nn.Conv2d": lambda **kw: nn.Conv2d(**{"in_channels": 1, "out_channels": 2, "kernel_size": 2, **kw}),
    "nn.Conv2d.forward": lambda x: nn.Conv2d(1, 2, 2).forward(x),
    "nn.Flatten": lambda **kw: nn.Flatten(**kw)(image()),
    "nn.Flatten.forward": lambda x: nn.Flatten().forward(x),
    "nn.Hardtanh": lambda **kw: nn.Hardtanh(**kw),
    "nn.Hardtanh.forward": lambda x: nn.Hardtanh().forward(x),
    "nn.Linear": lambda **kw: nn.Linear(**{"in_features": 3, "out_features": 2, **kw}),
    "nn.Linear.forward": lambda x: nn.Linear(3, 2).forward(x),
    "nn.MLP": lambda **kw: nn.MLP(**{"sizes": [3, 4, 2], **kw}),
    "nn.MLP.set_weights": lambda weights: nn.MLP([3, 2]).set_weights(weights),
    "nn.MaxPool2d": lambda **kw: nn.MaxPool2d(**{"kernel_size": 2, **kw})(image()),
    "nn.MaxPool2d.forward": lambda x: nn.MaxPool2d(2).forward(x),
    "nn.Module.forward": lambda args: nn.Module().forward(*args),
    "nn.Module.load_state_dict": lambda state: nn.Linear(3, 2).load_state_dict(state),
    "nn.Module.named_parameters": lambda prefix: list(nn.Linear(3, 2).named_parameters(prefix)),
    "nn.ReLU.forward": lambda x: nn.ReLU().forward(x),
    "nn.Sigmoid.forward": lambda x: nn.Sigmoid().forward(x),
    "nn.Tanh.forward": lambda x: nn.Tanh().forward(x),
    "nn.Sequential": lambda layers: nn.Sequential(*layers),
    "nn.Sequential.forward": lambda x: nn.Sequential(nn.Linear(3, 2)).forward(x),
    "nn.cross_entropy": lambda **kw: nn.cross_entropy(**{"logits": leaf(), "labels": [0, 1], **kw}),
    "nn.functional.avg_pool2d": lambda **kw: F.avg_pool2d(**{"input": image(), "kernel_size": 2, **kw}),
    "nn.functional.max_pool2d": lambda **kw: F.max_pool2d(**{"input": image(), "kernel_size": 2, **kw}),
    "nn.functional.conv2d": lambda **kw: F.conv2d(
        **{"input": image(), "weight": f32(np.ones((2, 1, 2, 2))), **kw}
    ),
    "nn.linear": lambda **kw: F.linear(**{"x": Tensor(np.ones((4, 3))), "weight": leaf(), **kw}),
    "nn.functional.pad": lambda **kw: F.pad(**{"input": matrix(), "pad": (1, 1), **kw}),
    "nn.softmax_cross_entropy": lambda **kw: F.softmax_cross_entropy(
        **{"logits": leaf(), "target_probs": np.eye(3)[:2], **kw}
    ),
    "optim.Adam": lambda **kw: optim.Adam(**{"params": [leaf()], **kw}),
    "optim.SGD": sgd,
    "optim.Optimizer": lambda **kw: optim.Optimizer(**{"params": [leaf()], "lr": 0.1, **kw}),
    "optim.Optimizer.load_state_dict": lambda state: sgd(momentum=0.9).load_state_dict(state),
    "optim.CosineAnnealingLR": lambda **kw: optim.CosineAnnealingLR(**{"optimizer": sgd(), "T_max": 5, **kw}),
    "report.ShallowNeuralNetwork": lambda **kw: ShallowNeuralNetwork(**{"sizes": [4, 3, 2], **kw}),
    "report.ShallowNeuralNetwork.accuracy": lambda **kw: fed("accuracy", **kw),
    "report.ShallowNeuralNetwork.back_propagate": lambda **kw: fed("back_propagate", **kw),
    "report.ShallowNeuralNetwork.cross_entropy_loss": lambda **kw: fed("cross_entropy_loss", **kw),
    "report.ShallowNeuralNetwork.evaluate": lambda **kw: net().evaluate(
        **{"x": np.ones((3, 4)), "y": one_hot_rows(), **kw}
    ),
    "report.ShallowNeuralNetwork.feed_forward": lambda x: net().feed_forward(x),
    "report.ShallowNeuralNetwork.from_linear_state": lambda weights: net().from_linear_state(weights),
    "report.ShallowNeuralNetwork.optimize": lambda **kw: net_after_backward().optimize(**kw),
    "report.ShallowNeuralNetwork.predict": lambda **kw: net().predict(**{"x": np.ones((3, 4)), **kw}),
    "report.ShallowNeuralNetwork.set_weights": lambda weights: net().set_weights(weights),
    "report.ShallowNeuralNetwork.train": train,
    "report.ShallowNeuralNetwork.train_step": train_step,
}
for _name in ("relu", "sigmoid", "tanh", "hardtanh", "softmax"):
    CALLS[f"report.{_name}"] = lambda _name=_name, **kw: getattr(activations, _name)(**kw)
for _name in ("relu_prime", "sigmoid_prime", "tanh_prime", "hardtanh_prime"):
    CALLS[f"report.{_name}"] = lambda _name=_name, **kw: getattr(activations, _name)(
        **{"Z": np.ones((3, 2)), "A": np.ones((3, 2)), **kw}
    )


def net_after_backward():
    network = net()
    network.back_propagate(one_hot_rows(), network.feed_forward(np.ones((3, 4))))
    return network


# ---- families of cases shared by parameters of one kind ----
def counts(name, good, low=1, huge=None):
    """A count or size ≥ low: numpy ints in, 0-d arrays, bools, floats, text and values below low out."""
    cases = [
        ok("numpy int", np.int64(good)),
        bad("0-d array", np.array(good), name),
        bad("bool", True, name),
        bad("float", float(good) + 0.5, name),
        bad("wrong type", str(good), name),
        bad("negative", -1, name),
    ]
    cases.append(ok("zero", 0) if low == 0 else bad("zero", 0, name))
    if huge is not None:
        cases.append(huge)
    return cases


def reals(name, good, nonnegative=True, positive=False, below_one=False):
    """A finite hyperparameter: numpy floats in; 0-d arrays, bools, nan, inf, text out."""
    cases = [
        ok("numpy float", np.float32(good)),
        ok("numpy float64", np.float64(good)),
        bad("0-d array", np.array(good), name),
        bad("bool", True, name),
        bad("nan", math.nan, name),
        bad("inf", math.inf, name),
        bad("wrong type", str(good), name),
    ]
    if nonnegative:
        cases.append(bad("negative", -0.5, name))
    if positive:
        cases.append(bad("zero", 0.0, name))
    if below_one:
        cases.append(bad("too large", 1.0, name))
    return cases


def axes(name, op, ndim_message="out of range", none_ok=True, tuples=True):
    """An axis of a 2-D tensor: numpy ints and negatives in; bool, float, text, out-of-range out."""
    cases = [
        ok("numpy int", np.int64(1)),
        ok("negative", -1),
        bad("bool", True, rf"{op}.*(axis|dim)"),
        bad("float", 1.0, rf"{op}.*(axis|dim)"),
        bad("0-d array", np.array(1), rf"{op}.*(axis|dim)"),
        bad("wrong type", "0", rf"{op}.*(axis|dim)"),
        bad("huge", HUGE, rf"{op}.*{ndim_message}"),
    ]
    if tuples:
        cases.append(ok("tuple of numpy ints", (np.int64(0), np.int64(1))))
    if none_ok:
        cases.append(ok("None", None))
    return cases


def flags(name):
    """A True/False switch: numpy bools in; text and numbers out."""
    return [
        ok("bool", True),
        ok("numpy bool", np.bool_(True)),
        bad("wrong type", "yes", name),
        bad("int", 2, name),
    ]


def images_in(op):
    return [
        ok("image", image()),
        bad("wrong shape", f32(np.ones((4, 4))), rf"{op}.*4-d|{op}.*\(N, C, H, W\)"),
        ok("empty batch", f32(np.ones((0, 1, 4, 4)))),  # as PyTorch: N = 0 gives N = 0
        bad("wrong type", "abc", rf"{op}|Tensor"),
    ]


def windows(name, op, good=2, low=1):
    """kernel_size, stride, padding, dilation: an int or a pair of ints."""
    return [
        ok("numpy int", np.int64(good)),
        ok("pair of numpy ints", (np.int64(good), np.int64(good))),
        bad("bool", True, name),
        bad("float", 1.5, name),
        bad("0-d array", np.array(good), name),
        bad("wrong type", "2", name),
        bad("triple", (1, 1, 1), name),
        bad("negative", -1, rf"{op}.*{name}|{name}"),
        *(
            [ok("huge", HUGE)]
            if name == "stride"
            else [bad("huge", HUGE, rf"{op}|{name}|the result would have shape")]
        ),
        *([ok("zero", 0)] if low == 0 else [bad("zero", 0, rf"{name}")]),
    ]


def report_arrays(name, shape_message):
    return [
        bad("wrong type", "abc", name),
        bad("wrong shape", np.ones((3, 5)), shape_message),
        bad("empty", np.ones((0, 4)), rf"{name}|empty"),
        ok("nan", np.full((3, 4), np.nan)),  # nan data flows through to a nan loss, as in PyTorch
        bad("text", np.full((3, 4), "a"), rf"{name}.*real numbers"),
    ]


def one_hot_cases(name):
    return [
        bad("wrong type", "abc", name),
        bad("class indices", np.array([0, 1, 1]), rf"{name}|one-hot"),
        bad("not one-hot", np.full((3, 2), 2.0), rf"{name}|one-hot"),
        bad("wrong rows", np.eye(2), rf"{name}|rows|batch"),
        bad("nan", np.full((3, 2), np.nan), rf"{name}|one-hot|finite"),
    ]


REDUCTIONS = ("sum", "mean", "max", "min", "argmax", "argmin", "logsumexp", "prod", "var", "std")

CASES = {
    # ---- Tensor ----
    "Tensor(data)": [
        ok("numpy int", np.int64(3)),
        ok("numpy float", np.float32(0.5)),
        ok("0-d array", np.array(2.0)),
        ok("bool", True),
        ok("nan", math.nan),
        ok("inf", math.inf),
        ok("empty", []),
        ok("negative", -1),
        bad("huge int", 2**70, "outside the int64 range", OverflowError),
        bad("huge int in a list", [1, 2**63], "outside the int64 range", OverflowError),
        ok("largest int64", 2**63 - 1),
        bad("wrong type", "abc", "needs numbers"),
        bad("wrong type (dict)", {"a": 1}, "needs numbers"),
        bad("ragged", [[1.0], [1.0, 2.0]], "rectangular"),
        bad("Value", Value(1.0), "Value|needs numbers"),
    ],
    "Tensor(dtype)": [
        ok("numpy dtype", np.dtype("float64")),
        ok("string", "float32"),
        bad("int dtype", "int64", "float32 or float64"),
        bad("wrong type", 3.5, "float32 or float64"),
        bad("bool", True, "float32 or float64"),
    ],
    "Tensor(requires_grad)": flags("requires_grad"),
    "Tensor.backward(gradient)": [
        ok("numpy float", np.float32(1.0)),
        ok("0-d array", np.array(1.0)),
        bad("wrong shape", np.ones(3), "gradient has shape"),
        bad("wrong type", "abc", "gradient must hold numbers"),
        bad("empty", np.ones(0), "gradient has shape"),
        ok("nan", math.nan),
    ],
    "Tensor.backward(retain_graph)": flags("retain_graph"),
    "Tensor.backward(create_graph)": flags("create_graph"),
    "Tensor.broadcast_to(shape)": [
        ok("numpy ints", (np.int64(4), np.int64(2), np.int64(3))),
        bad("wrong shape", (3, 3), "cannot be broadcast"),
        bad("floats", (2.0, 3.0), "broadcast_to: the shape must be ints"),
        bad("negative", (-2, 3), "broadcast_to"),
        ok("huge", (HUGE, 2, 3)),  # a view: no memory, as PyTorch's expand
        bad("wrong type", "ab", "broadcast_to"),
        bad("empty", (), "cannot be broadcast"),
    ],
    "Tensor.chunk(chunks)": counts("chunks", 2),
    "Tensor.chunk(dim)": axes("dim", "chunk", none_ok=False, tuples=False),
    "Tensor.expand(sizes)": [
        ok("numpy ints", (np.int64(4), np.int64(3))),
        ok("-1", (-1, 3)),
        bad("floats", (4.0, 3.0), "expand: sizes must be ints"),
        bad("bools", (True, 3), "expand: sizes must be ints"),
        bad("wrong shape", (4, 2), "cannot be broadcast"),
        bad("empty", (), "expand"),
        ok("huge", (HUGE, 3)),  # a view: no memory, as PyTorch's
    ],
    "Tensor.flatten(start_dim)": axes("start_dim", "flatten", none_ok=False, tuples=False),
    "Tensor.flatten(end_dim)": axes("end_dim", "flatten", none_ok=False, tuples=False),
    "Tensor.flip(dims)": [*axes("dims", "flip", none_ok=False), ok("empty", ())],
    "Tensor.gather(dim)": axes("dim", "gather", none_ok=False, tuples=False),
    "Tensor.gather(index)": [
        ok("list", [[0], [2]]),
        bad("floats", np.array([[0.0], [2.0]]), "gather: index must hold integers"),
        bad("wrong shape", np.array([0, 2]), "gather: index has 1 axes"),
        bad("out of range", np.array([[0], [3]]), "gather: index values must be in", IndexError),
        bad("negative", np.array([[0], [-1]]), "gather: index values must be in", IndexError),
        bad("wrong type", "abc", "gather: index"),
    ],
    "Tensor.hardtanh(min_val)": [
        ok("numpy float", np.float32(-0.5)),
        ok("numpy int", np.int64(-1)),
        Covered("hardtanh with a nan bound"),
        Covered("hardtanh with a text bound"),
        bad("bool", True, "min_val"),
        bad("0-d array", np.array(-1.0), "min_val"),
    ],
    "Tensor.hardtanh(max_val)": [
        ok("numpy float", np.float32(0.5)),
        Covered("hardtanh with an array bound"),
        ok("inf", math.inf),
        bad("bool", True, "max_val"),
    ],
    "Tensor.masked_fill(mask)": [
        ok("list of bools", [[True, False, False], [False, True, False]]),
        bad("ints", np.eye(2, 3, dtype=int), "masked_fill: mask"),
        bad("wrong shape", np.ones((3, 3), dtype=bool), "masked_fill"),
        bad("wrong type", "abc", "masked_fill: mask"),
    ],
    "Tensor.masked_fill(value)": [
        ok("numpy float", np.float32(0.5)),
        ok("numpy int", np.int64(2)),
        ok("nan", math.nan),
        ok("0-d array", np.array(0.5)),
        ok("-inf", -math.inf),
        bad("wrong type", "abc", "masked_fill: value"),
        bad("array", np.ones(3), "masked_fill: value"),
    ],
    "Tensor.permute(dims)": [
        ok("numpy ints", (np.int64(1), np.int64(0))),
        bad("floats", (1.0, 0.0), "permute: dims must be ints"),
        bad("too few", (0,), "permute: 1 dims given"),
        bad("repeated", (0, 0), "not a permutation"),
        bad("huge", (HUGE, 0), "not a permutation"),
        bad("empty", (), "permute"),
    ],
    "Tensor.repeat(sizes)": [
        ok("numpy ints", (np.int64(2), np.int64(1))),
        ok("zero", (0, 1)),
        bad("negative", (-1, 1), "repeat"),
        bad("floats", (2.0, 1.0), "repeat: sizes must be ints"),
        bad("too few", (2,), "repeat"),
        bad("huge", (HUGE, 1), "repeat: the result would have shape"),
    ],
    "Tensor.reshape(shape)": [
        ok("numpy ints", (np.int64(3), np.int64(2))),
        ok("a tuple", ((3, 2),)),
        ok("-1", (-1,)),
        Covered("reshape to a wrong size"),
        Covered("reshape to a float size"),
        bad("bools", (True, 6), "reshape: the new shape must be ints"),
        bad("huge", (HUGE,), "reshape"),
        bad("two -1", (-1, -1), "reshape"),
    ],
    "Tensor.view(shape)": [
        ok("numpy ints", (np.int64(3), np.int64(2))),
        bad("wrong size", (4, 2), "view|reshape"),
        bad("floats", (6.0,), "view|reshape"),
    ],
    "Tensor.transpose(axes)": [
        ok("numpy ints", (np.int64(1), np.int64(0))),
        ok("none", ()),
        Covered("transpose by a non-permutation"),
        Covered("transpose by text axes"),
        bad("bools", (True, False), "transpose: axes must be ints"),
        bad("huge", (HUGE, 0), "transpose"),
    ],
    "Tensor.scatter_add(dim)": axes("dim", "scatter_add", none_ok=False, tuples=False),
    "Tensor.scatter_add(index)": [
        bad("floats", np.array([[0.0], [2.0]]), "scatter_add: index must hold integers"),
        bad("out of range", np.array([[0], [3]]), "scatter_add: index values", IndexError),
        bad("wrong shape", np.array([0, 2]), "scatter_add: index has 1 axes"),
    ],
    "Tensor.scatter_add(src)": [
        bad("wrong type", np.ones((2, 1)), "scatter_add: src must be a Tensor"),
        bad("float64", Tensor(np.ones((2, 1)), dtype=np.float64), "scatter_add: src is float64"),
        bad("wrong shape", f32(np.ones((1, 1))), "scatter_add"),
    ],
    "Tensor.split(split_size_or_sections)": [
        ok("numpy int", np.int64(2)),
        ok("list of numpy ints", [np.int64(1), np.int64(2)]),
        bad("zero", 0, "split"),
        bad("negative", -1, "split"),
        bad("float", 1.5, "split"),
        bad("bool", True, "split"),
        bad("wrong sum", [1, 1], "split"),
        bad("wrong type", "ab", "split"),
        ok("huge", HUGE),
    ],
    "Tensor.split(dim)": axes("dim", "split", none_ok=False, tuples=False),
    "Tensor.squeeze(dim)": axes("dim", "squeeze"),
    "Tensor.unsqueeze(dim)": [
        ok("numpy int", np.int64(2)),
        ok("negative", -3),
        bad("bool", True, "unsqueeze.*(dim|axis)"),
        bad("float", 1.0, "unsqueeze.*(dim|axis)"),
        bad("huge", HUGE, "unsqueeze.*out of range"),
        bad("None", None, "unsqueeze.*(dim|axis)"),
    ],
    "Tensor.unfold(kernel_size)": windows("kernel_size", "unfold"),
    "Tensor.unfold(dilation)": windows("dilation", "unfold", good=1),
    "Tensor.unfold(padding)": windows("padding", "unfold", good=1, low=0),
    "Tensor.unfold(stride)": windows("stride", "unfold", good=1),
    # ---- Value ----
    "Value(data)": [
        ok("numpy int", np.int64(3)),
        ok("numpy float", np.float32(0.5)),
        ok("negative", -2.0),
        ok("nan", math.nan),
        ok("inf", math.inf),
        ok("huge", 10.0**300),
        Covered("Value of text"),
        Covered("Value of a bool"),
        Covered("Value of None"),
        bad("0-d array", np.array(2.0), "real number|Value"),
        bad("array", np.ones(2), "real number"),
        bad("Tensor", Tensor(1.0), "real number|Tensor"),
    ],
    "Value.backward(create_graph)": flags("create_graph"),
    # ---- functions of the engine ----
    "cat(tensors)": [
        bad("bare tensor", matrix(), "cat takes a list or tuple of Tensors"),
        bad("empty", [], "cat"),
        bad("arrays", [np.ones(2), np.ones(2)], "cat.*Tensor"),
        bad(
            "mixed dtypes", [matrix(), matrix(np.float64)], "cat: tensor 1 is float64 but tensor 0 is float32"
        ),
        bad("wrong shape", [matrix(), f32(np.ones((2, 2)))], "cat"),
        bad("0-d", [Tensor(1.0), Tensor(2.0)], "zero-dimensional"),
    ],
    "cat(dim)": axes("dim", "cat", none_ok=False, tuples=False),
    "stack(tensors)": [
        bad("bare tensor", matrix(), "stack takes a list or tuple of Tensors"),
        bad("empty", [], "stack"),
        bad("arrays", [np.ones(2)], "stack.*Tensor"),
        bad("wrong shape", [matrix(), f32(np.ones((2, 2)))], "stack: tensor 1 has shape"),
    ],
    "stack(dim)": [
        ok("numpy int", np.int64(2)),
        ok("negative", -1),
        bad("bool", True, "stack.*(dim|axis)"),
        bad("float", 1.0, "stack.*(dim|axis)"),
        bad("huge", HUGE, "stack.*out of range"),
    ],
    "fold(input)": [
        bad("wrong shape", image(), "fold: input must be 3-d"),
        bad("wrong type", np.ones((1, 4, 9)), "fold: input"),
        bad("misfit", Tensor(np.ones((1, 4, 8))), "does not fit"),
    ],
    "fold(output_size)": [
        ok("numpy int", np.int64(4)),
        ok("pair of numpy ints", (np.int64(4), np.int64(4))),
        bad("bool", True, "output_size"),
        bad("float", 4.0, "output_size"),
        bad("zero", 0, "larger than the padded input"),
        bad("negative", -1, "larger than"),
        bad("too small", 3, "does not fit"),
    ],
    "fold(kernel_size)": windows("kernel_size", "fold"),
    "fold(dilation)": windows("dilation", "fold", good=1),
    "fold(padding)": windows("padding", "fold", good=0, low=0),
    "fold(stride)": [
        *windows("stride", "fold", good=1)[:-2],
        bad("huge", HUGE, "does not fit"),
        bad("zero", 0, "stride"),
    ],
    "grad(outputs)": [
        bad("wrong type", np.ones(2), "grad.*outputs"),
        bad("empty", [], "grad.*outputs"),
        bad(
            "non-scalar without grad_outputs",
            Tensor([1.0, 2.0], requires_grad=True) * 2,
            "grad_outputs",
            RuntimeError,
        ),  # PyTorch: RuntimeError "grad can be implicitly created only for scalar outputs"
    ],
    "grad(inputs)": [
        bad("wrong type", np.ones(2), "grad.*inputs"),
        bad("empty", [], "grad.*inputs"),
        bad("not in the graph", Tensor([1.0], requires_grad=True), "allow_unused=True", RuntimeError),
    ],
    "grad(grad_outputs)": [
        ok("numpy float", np.float32(1.0)),
        bad("wrong shape", np.ones(3), "shape"),
        bad("wrong type", "abc", "numbers"),
    ],
    "grad(retain_graph)": flags("retain_graph"),
    "grad(create_graph)": flags("create_graph"),
    "grad(allow_unused)": flags("allow_unused"),
    "topological_order(root)": [
        ok("Value", Value(1.0) * 2),
        ok("Tensor", matrix(requires_grad=True) * 2),
        bad("wrong type", 3.0, "topological_order|Value|Tensor"),
    ],
    # ---- checking gradients ----
    "gradcheck(fn)": [
        bad("wrong type", "abc", "fn must be callable|callable"),
        Covered("gradcheck of a function returning an array"),
    ],
    "gradcheck(inputs)": [
        ok("0-d array", [np.array(1.0)]),
        ok("numpy float", [np.float64(1.0)]),
        Covered("gradcheck of a bare array"),
        Covered("gradcheck of no inputs"),
        Covered("gradcheck of a float32 tensor"),
        bad("text", [np.full(2, "a")], "inputs|numbers|float64"),
        bad("nan", [np.full(2, np.nan)], "backward gives nan", AssertionError),
    ],
    "gradcheck(eps)": [*reals("eps", 1e-6, positive=True)],
    "gradcheck(atol)": [*reals("atol", 1e-8)],
    "gradcheck(rtol)": [*reals("rtol", 1e-6)],
    "gradcheck(seed)": counts("seed", 1, low=0),
    "gradgradcheck(fn)": [bad("wrong type", "abc", "fn must be callable|callable")],
    "gradgradcheck(inputs)": [
        ok("numpy float", [np.float64(1.0)]),
        bad("bare array", np.ones(2), "list or tuple"),
        bad("empty", [], "non-empty list"),
        bad("float32", [Tensor([1.0])], "float64"),
    ],
    "gradgradcheck(eps)": reals("eps", 1e-6, positive=True),
    "gradgradcheck(atol)": reals("atol", 1e-7),
    "gradgradcheck(rtol)": reals("rtol", 1e-5),
    "gradgradcheck(seed)": counts("seed", 1, low=0),
    "numerical_gradient(f)": [bad("wrong type", "abc", "f must be callable|callable")],
    "numerical_gradient(x)": [
        ok("0-d array", np.array(1.0)),
        Covered("numerical_gradient of float32"),
        bad("wrong type", "abc", "float64"),
        ok("list", [1.0, 2.0]),
    ],
    "numerical_gradient(eps)": [
        Covered("numerical_gradient with a negative eps"),
        *reals("eps", 1e-6, positive=True),
    ],
    # ---- hypothesis strategies (tinygrad_edu.testing) ----
    "values(min_value)": [
        ok("numpy float", np.float32(-1.0)),
        ok("numpy int", np.int64(-1)),
        Covered("values with an empty range"),
        bad("nan", math.nan, "min_value"),
        bad("wrong type", "a", "min_value"),
    ],
    "values(max_value)": [
        ok("numpy float", np.float32(1.0)),
        bad("nan", math.nan, "max_value"),
        bad("inf", math.inf, "max_value"),
        bad("bool", True, "max_value"),
    ],
    "values(avoid)": [
        ok("array", np.array([0.0])),
        ok("empty", ()),
        bad("wrong type", 0.0, "avoid"),
        bad("text", ("a",), "avoid"),
    ],
    "values(margin)": [
        ok("numpy float", np.float32(0.1)),
        ok("zero", 0.0),
        bad("negative", -1.0, "margin"),
        bad("nan", math.nan, "margin"),
        bad("wrong type", "a", "margin"),
    ],
    "positive_values(min_value)": [
        ok("numpy float", np.float32(0.5)),
        Covered("positive_values from 0"),
        bad("nan", math.nan, "min_value"),
        bad("negative", -1.0, "min_value"),
    ],
    "positive_values(max_value)": [ok("numpy float", np.float32(2.0)), bad("below min", 0.05, "max_value")],
    "shapes(min_dims)": counts("min_dims", 1, low=0),
    "shapes(max_dims)": counts("max_dims", 2, low=0),
    "shapes(min_side)": counts("min_side", 1, low=0),
    "shapes(max_side)": counts("max_side", 2, low=1),
    "arrays(shape)": [
        ok("numpy ints", (np.int64(2),)),
        ok("int", 3),
        ok("0-d", ()),
        ok("strategy", testing.shapes()),
        bad("negative", (-1,), "shape|negative|dimension"),
    ],
    "arrays(elements)": [
        ok("strategy", testing.values()),
        bad("wrong type", 3.0, "elements|strategy|SearchStrategy"),
    ],
    "arrays(dtype)": [ok("float32", np.float32), bad("wrong type", "nonsense", "dtype|nonsense")],
    "broadcastable_shapes(num_shapes)": counts("num_shapes", 2),
    "broadcastable_shapes(min_dims)": counts("min_dims", 1, low=0),
    "broadcastable_shapes(max_dims)": counts("max_dims", 2, low=0),
    "broadcastable_shapes(max_side)": counts("max_side", 2),
    "broadcastable_arrays(num_arrays)": counts("num_arrays", 2),
    "broadcastable_arrays(elements)": [
        ok("strategy", testing.values()),
        bad("wrong type", 3.0, "elements|strategy|SearchStrategy"),
    ],
    "broadcastable_arrays(max_dims)": counts("max_dims", 2, low=0),
    "broadcastable_arrays(max_side)": counts("max_side", 2),
    "matmul_shapes(max_side)": counts("max_side", 2),
    "matmul_shapes(batch_dims)": counts("batch_dims", 1, low=0),
    "assume_away_from(array)": [
        ok("list", [1.0, 2.0]),
        ok("0-d array", np.array(1.0)),
        bad("text", "abc", "array|numbers"),
    ],
    "assume_away_from(kinks)": [
        ok("empty", ()),
        ok("numpy floats", (np.float32(0.0),)),
        bad("wrong type", 0.0, "kinks"),
    ],
    "assume_away_from(margin)": [
        ok("numpy float", np.float32(0.1)),
        bad("negative", -1.0, "margin"),
        bad("nan", math.nan, "margin"),
        bad("wrong type", "a", "margin"),
    ],
    "assert_gradients_match(fn)": [bad("wrong type", "abc", "callable")],
    "assert_gradients_match(inputs)": [
        ok("0-d array", (np.array(1.0),)),
        bad("empty", (), "at least one input"),
        bad("float32", (Tensor([1.0]),), "float64"),
    ],
    "assert_gradients_match(eps)": reals("eps", 1e-6, positive=True),
    "assert_gradients_match(atol)": reals("atol", 1e-8),
    "assert_gradients_match(rtol)": reals("rtol", 1e-6),
}

for _op in REDUCTIONS:
    CALLS[f"Tensor.{_op}"] = lambda _op=_op, **kw: getattr(matrix(), _op)(**kw)
    single = _op in ("argmax", "argmin", "prod")
    CASES[f"Tensor.{_op}(axis)"] = axes("axis", _op, tuples=not single)
    CASES[f"Tensor.{_op}(dim)"] = [
        ok("numpy int", np.int64(1)),
        bad("bool", True, rf"{_op}.*dim|{_op}.*axis"),
        bad("both spellings", 0, "both axis= and dim="),
    ]
    CASES[f"Tensor.{_op}(keepdims)"] = flags("keepdims")
    CASES[f"Tensor.{_op}(keepdim)"] = flags("keepdim")
CASES["Tensor.sum(axis)"].append(Covered("sum over a float axis"))
for _op in ("var", "std"):
    CASES[f"Tensor.{_op}(correction)"] = [
        ok("numpy int", np.int64(0)),
        ok("numpy float", np.float32(0.5)),
        bad("bool", True, "correction"),
        bad("nan", math.nan, "correction"),
        bad("wrong type", "1", "correction"),
        bad("0-d array", np.array(1), "correction"),
    ]
CALLS["Tensor.cumsum"] = lambda **kw: matrix().cumsum(**({"dim": 1} if not kw else kw))
CASES["Tensor.cumsum(dim)"] = axes("dim", "cumsum", none_ok=False, tuples=False)
CASES["Tensor.cumsum(axis)"] = [ok("numpy int", np.int64(1)), bad("bool", True, "cumsum.*(axis|dim)")]
for _op in ("softmax", "log_softmax"):
    CALLS[f"Tensor.{_op}"] = lambda _op=_op, **kw: getattr(matrix(), _op)(**kw)
    CASES[f"Tensor.{_op}(axis)"] = [
        *axes("axis", _op, none_ok=False, tuples=False),
        Covered(f"{_op} over an out-of-range axis"),
    ]
    CASES[f"Tensor.{_op}(dim)"] = [ok("numpy int", np.int64(1)), bad("bool", True, rf"{_op}.*(dim|axis)")]
# dim= given with the default axis: the "both spellings" case must give axis too
for _op in REDUCTIONS:
    CALLS[f"Tensor.{_op}"] = lambda _op=_op, **kw: getattr(matrix(), _op)(
        **({"axis": 1, **kw} if kw.get("dim") == 0 else kw)
    )

ACTIVATION_INPUTS = [
    ok("numpy float", np.float32(0.5)),
    ok("nan", math.nan),
    ok("empty", np.ones((0, 2))),
    bad("text", np.full(2, "a"), "ufunc|not supported", TypeError),
]  # numpy's own TypeError
SOFTMAX_INPUTS = [
    ok("nan", np.full((3, 2), np.nan)),
    bad("numpy float", np.float32(0.5), "softmax: Z must be"),
    bad("empty", np.ones((0, 2)), "no classes"),
    bad("text", np.full(2, "a"), "softmax: Z must be"),
    bad("ints", np.ones((3, 2), int), "float array"),
]
PRIME_INPUTS = [
    bad("wrong shape", np.ones((2, 2)), "must have one shape"),
    bad("text", np.full((3, 2), "a"), "real numbers"),
    ok("numpy float", np.float32(0.5) + np.zeros((3, 2))),
]
CASES.update(
    {
        # ---- nn ----
        "nn.Linear(in_features)": counts(
            "in_features", 3, huge=bad("huge", HUGE, "too large|parameters|memory")
        ),
        "nn.Linear(out_features)": counts(
            "out_features", 2, huge=bad("huge", HUGE, "too large|parameters|memory")
        ),
        "nn.Linear(bias)": flags("bias"),
        "nn.Linear(dtype)": [
            ok("numpy dtype", np.dtype("float64")),
            Covered("Linear with dtype None"),
            bad("int dtype", "int32", "dtype"),
        ],
        "nn.Linear(rng)": [
            ok("numpy int", np.int64(3)),
            ok("Generator", np.random.default_rng(0)),
            Covered("Linear with a negative seed"),
            bad("bool", True, "seed"),
            bad("float", 1.5, "seed"),
            bad("wrong type", "a", "seed"),
            ok("huge", HUGE),
        ],
        "nn.Linear.forward(x)": [
            ok("array", np.ones((4, 3))),
            Covered("linear with the wrong input width"),
            bad("wrong shape", Tensor([1.0, 1.0, 1.0]), "linear: input of shape"),
            bad("wrong type", "abc", "numbers"),
            ok("empty batch", f32(np.ones((0, 3)))),
        ],
        "nn.MLP(sizes)": [
            ok("numpy ints", [np.int64(3), np.int64(2)]),
            ok("numpy int array", np.array([3, 2])),
            ok("tuple", (3, 2)),
            Covered("MLP of a bare int"),
            Covered("MLP of one size"),
            Covered("MLP with a zero width"),
            Covered("MLP with a negative width"),
            Covered("MLP with a float width"),
            Covered("MLP with a bool width"),
            bad("float array", np.array([3.0, 2.0]), "positive integers"),
            bad("2-D array", np.array([[3, 2]]), "sizes"),
            bad("huge", [HUGE, 10], "too large|parameters|memory"),
            bad("empty", [], "at least two"),
        ],
        "nn.MLP(activation)": [
            ok("tanh", "tanh"),
            Covered("MLP with an unknown activation"),
            Covered("MLP with a list as activation"),
            bad("None", None, "unknown activation"),
        ],
        "nn.MLP(dtype)": [
            ok("numpy dtype", np.dtype("float64")),
            Covered("MLP with dtype None"),
            Covered("MLP with an int dtype"),
        ],
        "nn.MLP(seed)": [
            ok("numpy int", np.int64(3)),
            ok("huge", HUGE),
            ok("None", None),
            Covered("MLP with a negative seed"),
            Covered("MLP with a float seed"),
            bad("bool", True, "seed"),
            bad("0-d array", np.array(1), "seed"),
        ],
        "nn.MLP.set_weights(weights)": [
            Covered("MLP.set_weights with a missing pair"),
            Covered("MLP.set_weights with a triple"),
            bad("wrong shape", [(np.ones((3, 3)), np.ones(2))], "shape"),
            bad("wrong type", 3, "weights|iterable|pairs"),
        ],
        "nn.Module.forward(args)": [bad("anything", (1,), "forward", NotImplementedError)],
        "nn.Module.load_state_dict(state)": [
            Covered("load_state_dict of a list"),
            Covered("load_state_dict with a missing key"),
            Covered("load_state_dict with a wrong shape"),
            Covered("load_state_dict of text"),
            bad(
                "unexpected key",
                {"weight": np.ones((2, 3)), "bias": np.ones(2), "extra": np.ones(1)},
                "unexpected",
                KeyError,
            ),
            ok("0-d floats promoted", {"weight": np.ones((2, 3)), "bias": np.ones(2)}),
        ],
        "nn.Module.named_parameters(prefix)": [ok("text", "net."), bad("wrong type", 3, "prefix")],
        "nn.Sequential(layers)": [
            Covered("Sequential of a non-module"),
            ok("empty", ()),
            bad("class not instance", (nn.ReLU,), "item 0"),
        ],
        "nn.Sequential.forward(x)": [bad("wrong shape", f32(np.ones((2, 2))), "linear: input of shape")],
        "nn.Hardtanh(min_val)": [
            ok("numpy float", np.float32(-0.5)),
            Covered("Hardtanh with min ≥ max"),
            bad("nan", math.nan, "min_val"),
            bad("text", "a", "min_val"),
        ],
        "nn.Hardtanh(max_val)": [
            ok("numpy float", np.float32(0.5)),
            bad("bool", True, "max_val"),
            bad("0-d array", np.array(1.0), "max_val"),
        ],
        "nn.cross_entropy(logits)": [
            Covered("cross_entropy of an array"),
            Covered("cross_entropy of 1-D logits"),
            Covered("cross_entropy of an empty batch"),
            Covered("cross_entropy with no classes"),
        ],
        "nn.cross_entropy(labels)": [
            ok("numpy int array", np.array([0, 1])),
            ok("one-hot", np.eye(3)[:2]),
            Covered("cross_entropy with float class indices"),
            Covered("cross_entropy with a label too large"),
            Covered("cross_entropy with a nan row"),
            bad("wrong type", "ab", "labels|numbers|integer"),
        ],
        "nn.linear(x)": [
            ok("array", np.ones((4, 3))),
            bad("empty", Tensor(np.ones((0,))), "linear"),
        ],
        "nn.linear(weight)": [
            bad("wrong shape", Tensor(np.ones((2, 4))), "linear: input of shape"),
            bad("wrong dtype", f32(np.ones((2, 3))), "float64 and float32|dtype"),
            ok("array", np.ones((2, 3))),
        ],
        "nn.linear(bias)": [Covered("linear with the wrong bias shape"), ok("array", np.ones(2))],
        "nn.softmax_cross_entropy(logits)": [Covered("fused cross_entropy of an array")],
        "nn.softmax_cross_entropy(target_probs)": [
            Covered("fused cross_entropy with targets of another shape"),
            bad("text", np.full((2, 3), "a"), "numbers"),
        ],
        "nn.functional.pad(input)": [bad("wrong type", np.ones(3), "pad: input must be a Tensor")],
        "nn.functional.pad(pad)": [
            ok("numpy ints", (np.int64(1), np.int64(0))),
            ok("list", [1, 1]),
            ok("negative (crop)", (-1, 0)),
            ok("empty", ()),
            bad("floats", (1.0, 1.0), "pad: pad must be a tuple of ints"),
            bad("bools", (True, False), "pad: pad must be"),
            bad("odd length", (1,), "pad"),
            bad("too many", (1,) * 6, "pad: 6 widths"),
            bad("crop too much", (-2, -2), "crop"),
            bad("huge", (HUGE, 0), "pad.*too large|pad"),
        ],
        "nn.functional.pad(mode)": [bad("reflect", "reflect", "only mode='constant'", NotImplementedError)],
        "nn.functional.pad(value)": [
            ok("numpy float", np.float32(0.5)),
            ok("nan", math.nan),
            ok("-inf", -math.inf),
            bad("wrong type", "a", "pad: value must be a number"),
            bad("array", np.ones(2), "pad: value must be a number"),
        ],
    }
)
for _param in ("kernel_size", "stride", "padding", "dilation"):
    for _op in ("max_pool2d", "avg_pool2d"):
        if not (_op == "avg_pool2d" and _param == "dilation"):
            CASES[f"nn.functional.{_op}({_param})"] = windows(
                _param, _op, good=1 if _param != "kernel_size" else 2, low=0 if _param == "padding" else 1
            )
            CASES[f"nn.{'MaxPool2d' if _op == 'max_pool2d' else 'AvgPool2d'}({_param})"] = [
                ok("numpy int", np.int64(1 if _param != "kernel_size" else 2)),
                bad("bool", True, _param),
                bad("float", 1.5, _param),
            ]
    CASES[f"nn.functional.conv2d({_param})"] = windows(
        _param, "conv2d", good=1, low=0 if _param == "padding" else 1
    )
    CASES[f"nn.Conv2d({_param})"] = [
        ok("numpy int", np.int64(1 if _param != "kernel_size" else 2)),
        bad("bool", True, _param),
        bad("float", 1.5, _param),
    ]
del CASES["nn.functional.conv2d(kernel_size)"]  # the weight's shape is the kernel
for _param in ("stride",):
    for _op in ("max_pool2d", "avg_pool2d"):
        CASES[f"nn.functional.{_op}({_param})"].append(ok("None", None))
CASES["nn.Conv2d(kernel_size)"] += [
    bad("zero", 0, "kernel_size"),
    bad("huge", HUGE, "too large|parameters|memory"),
]
CASES["nn.functional.max_pool2d(padding)"] = [
    ok("numpy int", np.int64(1)),
    bad("bool", True, "padding"),
    bad("more than half", 2, "at most half the kernel"),
    bad("negative", -1, "padding"),
]
CASES["nn.functional.max_pool2d(input)"] = images_in("max_pool2d")
CASES["nn.functional.avg_pool2d(input)"] = images_in("avg_pool2d")
CASES["nn.functional.conv2d(input)"] = images_in("conv2d")
CASES["nn.functional.conv2d(weight)"] = [
    bad("wrong shape", f32(np.ones((2, 3, 2, 2))), "conv2d.*do not fit groups"),
    bad("wrong type", "abc", "conv2d|numbers|Tensor"),
    bad("3-d", f32(np.ones((2, 1, 2))), "conv2d.*must be 4-d"),
]
CASES["nn.functional.conv2d(bias)"] = [
    ok("array", np.ones(2)),
    bad("wrong shape", np.ones(3), "conv2d: bias"),
]
CASES["nn.functional.conv2d(groups)"] = counts("groups", 1)
CASES["nn.MaxPool2d.forward(x)"] = images_in("max_pool2d")
CASES["nn.AvgPool2d.forward(x)"] = images_in("avg_pool2d")
CASES["nn.Conv2d.forward(x)"] = images_in("conv2d")
CASES.update(
    {
        "nn.Conv2d(in_channels)": counts(
            "in_channels", 1, huge=bad("huge", HUGE, "too large|parameters|memory")
        ),
        "nn.Conv2d(out_channels)": counts(
            "out_channels", 2, huge=bad("huge", HUGE, "too large|parameters|memory")
        ),
        "nn.Conv2d(groups)": counts("groups", 1),
        "nn.Conv2d(bias)": flags("bias"),
        "nn.Conv2d(dtype)": [
            ok("numpy dtype", np.dtype("float64")),
            bad("None", None, "dtype"),
            bad("int dtype", "int32", "dtype"),
        ],
        "nn.Conv2d(rng)": [
            ok("numpy int", np.int64(3)),
            bad("negative", -1, "seed"),
            bad("bool", True, "seed"),
        ],
        "nn.Flatten(start_dim)": [
            ok("numpy int", np.int64(1)),
            bad("bool", True, "start_dim|dim"),
            bad("float", 1.0, "start_dim|dim"),
            bad("huge", HUGE, "out of range"),
        ],
        "nn.Flatten(end_dim)": [
            ok("numpy int", np.int64(-1)),
            bad("bool", True, "end_dim|dim"),
            bad("before start", 0, "start_dim .* after end_dim|end_dim"),
        ],
        "nn.Flatten.forward(x)": [
            bad("wrong type", np.ones((2, 3)), "Flatten|Tensor"),
            bad("0-d", Tensor(1.0), "Flatten|dim"),
        ],
        "nn.Hardtanh.forward(x)": [ok("tensor", matrix()), bad("wrong type", np.ones(2), "Tensor|hardtanh")],
        "nn.ReLU.forward(x)": [ok("tensor", matrix()), bad("wrong type", np.ones(2), "Tensor|relu")],
        "nn.Sigmoid.forward(x)": [ok("tensor", matrix()), bad("wrong type", np.ones(2), "Tensor|sigmoid")],
        "nn.Tanh.forward(x)": [ok("tensor", matrix()), bad("wrong type", np.ones(2), "Tensor|tanh")],
        # ---- optim ----
        "optim.SGD(params)": [
            ok("generator", (p for p in [leaf()])),
            Covered("SGD of a Tensor"),
            Covered("SGD of no parameters"),
            Covered("SGD of a constant"),
            Covered("SGD of a computed tensor"),
            Covered("SGD of a parameter twice"),
            bad("arrays", [np.ones(2)], "parameter 0"),
        ],
        "optim.SGD(lr)": [*reals("lr", 0.1, positive=True), ok("huge", 1e12)],
        "optim.SGD(momentum)": reals("momentum", 0.5, below_one=True),
        "optim.SGD(dampening)": reals("dampening", 0.5, below_one=True),
        "optim.SGD(nesterov)": [
            ok("numpy bool", np.bool_(False)),
            Covered("SGD nesterov as text"),
            Covered("SGD nesterov without momentum"),
            bad("int", 1, "nesterov"),
        ],
        "optim.Adam(params)": [
            bad("bare tensor", leaf(), "a list of parameters"),
            bad("empty", [], "empty list"),
        ],
        "optim.Adam(lr)": [*reals("lr", 1e-3, positive=True), Covered("Adam with lr inf")],
        "optim.Adam(betas)": [
            ok("numpy floats", (np.float32(0.9), np.float64(0.99))),
            ok("list", [0.9, 0.99]),
            bad("array", np.array([0.9, 0.99]), "betas must be a pair"),
            Covered("Adam with one beta"),
            Covered("Adam with a bare beta"),
            Covered("Adam with beta2 1"),
            Covered("Adam with a negative beta1"),
            Covered("Adam with a nan beta"),
            bad("bools", (True, 0.9), r"betas\[0\]"),
            bad("text", "ab", "betas"),
        ],
        "optim.Adam(eps)": [*reals("eps", 1e-8, positive=True), Covered("Adam with eps 0")],
        "optim.Optimizer(params)": [bad("bare tensor", leaf(), "a list of parameters")],
        "optim.Optimizer(lr)": reals("lr", 0.1, positive=True),
        "optim.Optimizer.load_state_dict(state)": [
            Covered("optimizer load_state_dict with missing keys"),
            bad("wrong type", [1], "dict"),
            bad("wrong shape", {"velocity.0": np.ones(3)}, "shape"),
        ],
        "optim.CosineAnnealingLR(optimizer)": [Covered("CosineAnnealingLR of a non-optimizer")],
        "optim.CosineAnnealingLR(T_max)": [*counts("T_max", 5), ok("huge", HUGE)],
        "optim.CosineAnnealingLR(eta_min)": [
            *reals("eta_min", 0.01),
            ok("zero", 0.0),
            Covered("CosineAnnealingLR with a nan eta_min"),
        ],
    }
)
CASES.update(
    {
        # ---- the report's network ----
        "report.ShallowNeuralNetwork(sizes)": [
            ok("numpy ints", [np.int64(4), np.int64(2)]),
            ok("numpy int array", np.array([4, 2])),
            Covered("network of a bare int"),
            Covered("network of one size"),
            bad("zero", [4, 0], "positive ints"),
            bad("bool", [True, 2], "positive ints"),
            bad("float", [4, 2.5], "positive ints"),
            bad("huge", [HUGE, 10], "too large|parameters|memory"),
            bad("empty", [], "at least two"),
        ],
        "report.ShallowNeuralNetwork(epochs)": [
            *counts("epochs", 2),
            ok("huge", HUGE),
            Covered("network with 0 epochs"),
        ],
        "report.ShallowNeuralNetwork(activation)": [
            ok("tanh", "tanh"),
            Covered("network with a list as activation"),
            bad("unknown", "gelu", "activation must be one of"),
        ],
        "report.ShallowNeuralNetwork(seed)": [
            ok("numpy int", np.int64(3)),
            ok("huge", HUGE),
            Covered("network with a negative seed"),
            bad("bool", True, "seed"),
            bad("float", 1.5, "seed"),
        ],
        "report.ShallowNeuralNetwork(dtype)": [
            ok("numpy dtype", np.dtype("float32")),
            Covered("network with dtype None"),
            Covered("network with an int dtype"),
        ],
        "report.ShallowNeuralNetwork.feed_forward(x)": [
            ok("float32", np.ones((3, 4), np.float32)),
            ok("ints", np.ones((3, 4), int)),
            Covered("feed_forward of the wrong width"),
            Covered("feed_forward of text"),
            bad("1-D", np.ones(4), r"x must have shape \(batch, 4\)"),
            bad("wrong type", "abc", "x must"),
        ],
        "report.ShallowNeuralNetwork.predict(x)": report_arrays("x", r"\(batch, 4\)"),
        "report.ShallowNeuralNetwork.predict(chunk_size)": [
            *counts("chunk_size", 2),
            ok("huge", HUGE),
            Covered("predict with chunk size 0"),
        ],
        "report.ShallowNeuralNetwork.evaluate(x)": report_arrays("x", r"\(batch, 4\)"),
        "report.ShallowNeuralNetwork.evaluate(y)": one_hot_cases("y"),
        "report.ShallowNeuralNetwork.evaluate(chunk_size)": [*counts("chunk_size", 2), ok("huge", HUGE)],
        "report.ShallowNeuralNetwork.accuracy(y)": one_hot_cases("y"),
        "report.ShallowNeuralNetwork.accuracy(output)": [
            bad("wrong shape", np.ones((3, 2)), "output"),
            bad("wrong type", "abc", "output"),
        ],
        "report.ShallowNeuralNetwork.cross_entropy_loss(y)": [
            *one_hot_cases("y"),
            Covered("cross_entropy_loss of class indices"),
        ],
        "report.ShallowNeuralNetwork.cross_entropy_loss(output)": [
            Covered("cross_entropy_loss of rows summing to 5"),
            Covered("cross_entropy_loss of negative rows"),
            bad("wrong type", "abc", "output"),
        ],
        "report.ShallowNeuralNetwork.back_propagate(y)": one_hot_cases("y"),
        "report.ShallowNeuralNetwork.back_propagate(output)": [
            bad("wrong shape", np.ones((2, 2)), "output"),
            bad("stale", np.full((2, 3), 0.5), "output"),
        ],
        "report.ShallowNeuralNetwork.optimize(l_rate)": [*reals("l_rate", 0.01, positive=True)],
        "report.ShallowNeuralNetwork.optimize(beta)": reals("beta", 0.8, below_one=True),
        "report.ShallowNeuralNetwork.optimize(optimizer)": [
            ok("sgd", "sgd"),
            bad("unknown", "adam", "optimizer"),
            bad("wrong type", 3, "optimizer"),
        ],
        "report.ShallowNeuralNetwork.set_weights(weights)": [
            Covered("set_weights with a missing layer"),
            Covered("set_weights with a wrong shape"),
            Covered("set_weights with text weights"),
            Covered("set_weights with a triple"),
        ],
        "report.ShallowNeuralNetwork.from_linear_state(weights)": [
            bad("missing layer", [(np.ones((3, 4)), np.ones(3))], "expected 2"),
            bad("wrong type", 3, "weights|pairs"),
        ],
        "report.ShallowNeuralNetwork.train(x_train)": report_arrays("x_train", r"\(batch, 4\)|x_train"),
        "report.ShallowNeuralNetwork.train(y_train)": one_hot_cases("y_train"),
        "report.ShallowNeuralNetwork.train(x_val)": report_arrays("x_val", r"\(batch, 4\)|x_val"),
        "report.ShallowNeuralNetwork.train(y_val)": one_hot_cases("y_val"),
        "report.ShallowNeuralNetwork.train(batch_size)": [
            *counts("batch_size", 2),
            ok("huge", HUGE),
            Covered("train with batch size 0"),
        ],
        "report.ShallowNeuralNetwork.train(optimizer)": [
            ok("sgd", "sgd"),
            Covered("train with an unknown optimizer"),
        ],
        "report.ShallowNeuralNetwork.train(l_rate)": [
            *reals("l_rate", 0.01, positive=True),
            Covered("train with l_rate inf"),
        ],
        "report.ShallowNeuralNetwork.train(beta)": [
            *reals("beta", 0.8, below_one=True),
            Covered("train with beta 1"),
        ],
        "report.ShallowNeuralNetwork.train(verbose)": flags("verbose"),
        "report.ShallowNeuralNetwork.train(callback)": [
            ok("function", lambda epoch, history: None),
            bad("wrong type", 3, "callback"),
        ],
        "report.ShallowNeuralNetwork.train_step(x)": report_arrays("x", r"\(batch, 4\)"),
        "report.ShallowNeuralNetwork.train_step(y)": one_hot_cases("y"),
        "report.ShallowNeuralNetwork.train_step(l_rate)": reals("l_rate", 0.01, positive=True),
        "report.ShallowNeuralNetwork.train_step(optimizer)": [
            ok("sgd", "sgd"),
            bad("unknown", "adam", "optimizer"),
        ],
        "report.ShallowNeuralNetwork.train_step(beta)": reals("beta", 0.8, below_one=True),
    }
)
for _name in ("relu", "sigmoid", "tanh", "hardtanh"):
    CASES[f"report.{_name}(Z)"] = ACTIVATION_INPUTS
CASES["report.softmax(Z)"] = SOFTMAX_INPUTS
for _name in ("relu_prime", "sigmoid_prime", "tanh_prime", "hardtanh_prime"):
    CASES[f"report.{_name}(Z)"] = PRIME_INPUTS
    CASES[f"report.{_name}(A)"] = PRIME_INPUTS


# ---- train, interop, crosscheck, viz ----


def learner(kind="autograd", **kw):
    args = {
        "sizes": [4, 3, 2],
        "activation": "relu",
        "optimizer": "momentum",
        "beta": 0.9,
        "dtype": "float32",
        "seed": 0,
        **kw,
    }
    return train_module.LEARNERS[kind](**args)


def xy(n=6):
    return np.linspace(0, 1, n * 4, dtype=np.float32).reshape(n, 4), np.arange(n) % 2


def fit(**kw):
    x, y = xy()
    args = {
        "learners": [learner()],
        "x_train": x,
        "y_train": y,
        "x_val": x,
        "y_val": y,
        "epochs": 1,
        "batch_size": 2,
        "lr": 0.1,
        "log": lambda line: None,
        **kw,
    }
    return train_module.fit(**args)


def run_settings(**kw):
    x, y = xy()
    return train_module.run_settings(
        **{"learners": [learner()], "x_train": x, "y_train": y, "x_val": x, "y_val": y, **kw}
    )


def checkpoint(**kw):
    return train_module.Checkpoint(**{"path": Path(tempfile.mkdtemp()) / "run", **kw})


def saved_checkpoint_call(method, **kw):
    """Checkpoint.save / load / verify_legacy with sensible arguments, one replaced."""
    point, learners, rng = checkpoint(), [learner()], np.random.default_rng(0)
    state = {
        "epoch": 1,
        "best_val_loss": 1.0,
        "best_epoch": 1,
        "stopped": False,
        "histories": {"autograd": {"val_loss": [1.0]}},
    }
    if method == "save":
        return point.save(
            **{
                "state": state,
                "learners": learners,
                "rng": rng,
                "best_weights": None,
                "settings": {"a": 1},
                **kw,
            }
        )
    point.save(state, learners, rng, None, {"a": 1})
    if method == "load":
        return point.load(**{"learners": learners, "rng": rng, "settings": {"a": 1}, **kw})
    x, y = xy()
    return point.verify_legacy(**{"learners": learners, "state": state, "x_val": x, "y_val": y, **kw})


def learner_call(kind, method, **kw):
    x, y = xy()
    defaults = {
        "train_step": {"x": x, "labels": y, "lr": 0.1},
        "evaluate": {"x": x, "labels": y},
        "set_weights": {"weights": learner(kind).get_weights()},
        "load_state_arrays": {"arrays": learner(kind).state_arrays()},
    }[method]
    return getattr(learner(kind), method)(**{**defaults, **kw})


def atomic_write(**kw):
    folder = Path(tempfile.mkdtemp())
    return train_module.atomic_write(**{"path": folder / "f.bin", "write": lambda f: f.write(b"1"), **kw})


def mlp_and_net():
    mlp = nn.MLP([4, 3, 2], dtype="float64")
    return mlp, crosscheck.report_from_mlp(mlp)


CALLS.update(
    {
        "train.fit": fit,
        "train.run_settings": run_settings,
        "train.learning_rate": lambda **kw: train_module.learning_rate(
            **{"base_lr": 0.1, "step": 1, "total_steps": 10, "schedule": "cosine", **kw}
        ),
        "train.max_weight_difference": lambda **kw: train_module.max_weight_difference(
            **{"a": learner(), "b": learner("report"), **kw}
        ),
        "train.atomic_write": atomic_write,
        "train.Checkpoint": checkpoint,
        "train.Checkpoint.save": lambda **kw: saved_checkpoint_call("save", **kw),
        "train.Checkpoint.load": lambda **kw: saved_checkpoint_call("load", **kw),
        "train.Checkpoint.verify_legacy": lambda **kw: saved_checkpoint_call("verify_legacy", **kw),
        "interop.to_numpy": lambda value: interop.to_numpy(value),
        "interop.mlp_to_torch": lambda **kw: interop.mlp_to_torch(
            **{"mlp_state": nn.MLP([3, 2]).state_dict(), **kw}
        ),
        "interop.torch_to_mlp": lambda torch_state: interop.torch_to_mlp(torch_state),
        "interop.report_to_torch": lambda **kw: interop.report_to_torch(**{"params": net().params, **kw}),
        "interop.torch_to_report": lambda torch_state: interop.torch_to_report(torch_state),
        "crosscheck.report_from_mlp": lambda mlp: crosscheck.report_from_mlp(mlp),
        "crosscheck.mlp_from_report": lambda net: crosscheck.mlp_from_report(net),
        "crosscheck.autograd_gradients": lambda **kw: crosscheck.autograd_gradients(
            **{"mlp": mlp_and_net()[0], "x": np.ones((3, 4)), "labels": np.array([0, 1, 1]), **kw}
        ),
        "crosscheck.report_gradients": lambda **kw: crosscheck.report_gradients(
            **{"net": mlp_and_net()[1], "x": np.ones((3, 4)), "labels": np.array([0, 1, 1]), **kw}
        ),
        "crosscheck.max_relative_difference": lambda **kw: crosscheck.max_relative_difference(
            **{"grads_a": [(np.ones(2), np.ones(1))], "grads_b": [(np.ones(2), np.ones(1))], **kw}
        ),
        "viz.draw_graph": lambda **kw: viz.draw_graph(**{"root": Value(2.0) * 3, **kw}),
    }
)
def module_learner(**kw):
    model = nn.Sequential(nn.Linear(4, 2))
    args = {"model": model, "optimizer": optim.SGD(model.parameters(), lr=0.1), "settings": {}, **kw}
    return train_module.ModuleLearner(**args)


CALLS["train.ModuleLearner"] = module_learner
CASES.update(
    {
        "train.ModuleLearner(model)": [
            bad("wrong type", nn.Linear, "model must be an nn.Module"),
            bad("layer without bias", nn.Sequential(nn.Linear(4, 2, bias=False)), "weight and a bias"),
        ],
        "train.ModuleLearner(optimizer)": [bad("wrong type", "sgd", "optimizer must be an optim optimizer")],
        "train.ModuleLearner(settings)": [
            ok("empty", {}),
            bad("wrong type", [("model", "cnn")], "settings must be a dict"),
        ],
    }
)
# AutogradLearner inherits its methods from ModuleLearner: they are probed on an AutogradLearner.
for _kind, _cls, _methods_cls in (("autograd", "AutogradLearner", "ModuleLearner"),
                                  ("report", "ReportLearner", "ReportLearner")):
    CALLS[f"train.{_cls}"] = lambda _kind=_kind, **kw: learner(_kind, **kw)
    for _method in ("train_step", "evaluate", "set_weights", "load_state_arrays"):
        CALLS[f"train.{_methods_cls}.{_method}"] = lambda _kind=_kind, _method=_method, **kw: learner_call(
            _kind, _method, **kw
        )
    CASES.update(
        {
            f"train.{_cls}(sizes)": [
                ok("numpy int array", np.array([4, 2])),
                bad("one size", [4], "sizes"),
                bad("huge", [HUGE, 2], "parameters"),
                bad("wrong type", 4, "sizes"),
            ],
            f"train.{_cls}(activation)": [ok("tanh", "tanh"), bad("unknown", "gelu", "activation")],
            f"train.{_cls}(optimizer)": [
                ok("adam", "adam"),
                bad("unknown", "rmsprop", "unknown optimizer"),
                bad("wrong type", 3, "optimizer"),
            ],
            f"train.{_cls}(beta)": [
                ok("numpy float", np.float32(0.5)),
                bad("too large", 1.0, "momentum|beta"),
                bad("nan", math.nan, "momentum|beta"),
                bad("wrong type", "a", "momentum|beta"),
            ],
            f"train.{_cls}(dtype)": [ok("float64", "float64"), bad("int dtype", "int32", "dtype")],
            f"train.{_cls}(seed)": [
                ok("numpy int", np.int64(2)),
                bad("negative", -1, "seed"),
                bad("bool", True, "seed"),
            ],
            f"train.{_methods_cls}.train_step(x)": [
                ok("ints", np.ones((6, 4), int)),
                bad("wrong shape", np.ones((6, 3), np.float32), r"6, 3|\(N, 4\)|batch, 4"),
                bad("text", np.full((6, 4), "a"), "numbers"),
            ],
            f"train.{_methods_cls}.train_step(labels)": [
                ok("numpy int list", [np.int64(0)] * 6),
                bad("out of range", np.full(6, 5), "out of range|outside the range"),
                bad("floats", np.zeros(6), "integer|int"),
                bad("wrong length", np.zeros(5, int), "shape|rows|labels|batch"),
            ],
            f"train.{_methods_cls}.train_step(lr)": [
                ok("numpy float", np.float32(0.1)),
                bad("nan", math.nan, "lr|l_rate"),
                bad("negative", -0.1, "lr|l_rate"),
                bad("wrong type", "0.1", "lr|l_rate"),
                bad("bool", True, "lr|l_rate"),
            ],
            f"train.{_methods_cls}.evaluate(x)": [
                bad("wrong shape", np.ones((6, 3), np.float32), r"6, 3|\(N, 4\)|batch, 4"),
                bad("empty", np.ones((0, 4)), "empty|no samples|batch"),
            ],
            f"train.{_methods_cls}.evaluate(labels)": [
                bad("out of range", np.full(6, 5), "out of range|outside the range"),
                bad("wrong length", np.zeros(5, int), "shape|rows|labels|batch"),
            ],
            f"train.{_methods_cls}.set_weights(weights)": [
                bad("missing layer", [], "expected 2"),
                bad("wrong type", 3, "weights|pairs"),
            ],
            f"train.{_methods_cls}.load_state_arrays(arrays)": [
                bad("empty", {}, "missing", KeyError),
                bad("wrong type", [1], "dict|arrays"),
            ],
        }
    )
CASES["train.ModuleLearner.evaluate(chunk_size)"] = [*counts("chunk_size", 2), ok("huge", HUGE)]
CASES.update(
    {
        "train.fit(learners)": [
            ok("two learners", [learner(), learner("report")]),
            bad("empty", [], "learners"),
            bad("bare learner", learner(), "learners"),
            bad("wrong type", [3], "learner"),
        ],
        "train.fit(x_train)": [
            bad("wrong type", "abc", "x_train|numbers"),
            bad("empty", np.ones((0, 4)), "x_train|empty"),
            bad("wrong shape", np.ones((6, 3), np.float32), r"6, 3|\(N, 4\)|batch, 4"),
        ],
        "train.fit(y_train)": [
            bad("wrong length", np.zeros(5, int), "y_train|labels|length"),
            bad("floats", np.zeros(6), "integer|int"),
        ],
        "train.fit(x_val)": [
            bad("wrong shape", np.ones((6, 3), np.float32), r"6, 3|\(N, 4\)|batch, 4"),
            bad("empty", np.ones((0, 4)), "x_val|empty"),
        ],
        "train.fit(y_val)": [bad("wrong length", np.zeros(5, int), "y_val|labels|length")],
        "train.fit(epochs)": counts("epochs", 1),
        "train.fit(batch_size)": [*counts("batch_size", 2), ok("huge", HUGE)],
        "train.fit(lr)": reals("lr", 0.1, positive=True),
        "train.fit(schedule)": [
            ok("cosine", "cosine"),
            bad("unknown", "linear", "schedule"),
            bad("wrong type", 3, "schedule"),
        ],
        "train.fit(seed)": counts("seed", 1, low=0),
        "train.fit(patience)": [ok("None", None), *counts("patience", 1)],
        "train.fit(full_train_eval)": flags("full_train_eval"),
        "train.fit(progress)": [ok("None", None), bad("wrong type", 3, "progress")],
        "train.fit(log)": [bad("wrong type", 3, "log")],
        "train.fit(checkpoint)": [ok("None", None), bad("wrong type", "run.npz", "checkpoint")],
        "train.run_settings(learners)": [bad("wrong type", 3, "learners")],
        "train.run_settings(x_train)": [bad("wrong type", 3, "x_train|len")],
        "train.run_settings(y_train)": [ok("list", [0, 1, 0, 1, 0, 1])],
        "train.run_settings(x_val)": [bad("wrong type", 3, "x_val|len")],
        "train.run_settings(y_val)": [ok("list", [0, 1, 0, 1, 0, 1])],
        "train.learning_rate(base_lr)": [ok("numpy float", np.float32(0.1))],
        "train.learning_rate(step)": [ok("numpy int", np.int64(3))],
        "train.learning_rate(total_steps)": [ok("numpy int", np.int64(10)), bad("zero", 0, "total_steps")],
        "train.learning_rate(schedule)": [bad("unknown", "linear", "unknown schedule")],
        "train.max_weight_difference(a)": [
            bad("different sizes", learner(sizes=[4, 2]), "sizes|layers|shape")
        ],
        "train.max_weight_difference(b)": [bad("wrong type", 3, "learner|get_weights")],
        "train.atomic_write(path)": [bad("wrong type", 3, "path|str")],
        "train.atomic_write(write)": [bad("wrong type", 3, "write|callable")],
        "train.atomic_write(folder)": [
            bad("elsewhere", tempfile.gettempdir() + "/elsewhere", "folder|inside|outside|not in")
        ],
        "train.Checkpoint(path)": [ok("str", "run"), bad("wrong type", 3, "PathLike")],
        "train.Checkpoint(settings)": [ok("None", None), bad("wrong type", [1, 2], "settings")],
        "train.Checkpoint.save(state)": [bad("wrong type", 3, "state")],
        "train.Checkpoint.save(learners)": [bad("wrong type", 3, "learners")],
        "train.Checkpoint.save(rng)": [bad("wrong type", 3, "rng|Generator")],
        "train.Checkpoint.save(best_weights)": [ok("None", None)],
        "train.Checkpoint.save(settings)": [bad("not JSON", {"a": object()}, "JSON|settings|serializable")],
        "train.Checkpoint.load(learners)": [
            bad(
                "other sizes",
                [learner(sizes=[4, 2])],
                "shape|missing|unexpected",
                (KeyError, ValueError, TypeError),
            )
        ],
        "train.Checkpoint.load(rng)": [bad("wrong type", 3, "rng|Generator")],
        "train.Checkpoint.load(settings)": [bad("other settings", {"a": 2}, "a", Exception)],
        "train.Checkpoint.verify_legacy(learners)": [bad("wrong type", 3, "learners")],
        "train.Checkpoint.verify_legacy(state)": [bad("wrong type", 3, "state")],
        "train.Checkpoint.verify_legacy(x_val)": [
            bad("wrong shape", np.ones((6, 3), np.float32), r"6, 3|\(N, 4\)|batch, 4")
        ],
        "train.Checkpoint.verify_legacy(y_val)": [
            bad("wrong length", np.zeros(5, int), "shape|labels|batch")
        ],
        "interop.to_numpy(value)": [
            ok("numpy float", np.float32(1.0)),
            ok("list", [1, 2]),
            bad("text", "abc", "numbers"),
            bad("None", None, "numbers"),
        ],
        "interop.mlp_to_torch(mlp_state)": [
            bad("wrong type", 3, "state|dict"),
            bad("report keys", net().params, "unexpected key 'W1'", KeyError),
        ],
        "interop.mlp_to_torch(as_tensor)": [
            ok("None", None),
            ok("function", np.asarray),
            bad("wrong type", 3, "as_tensor|callable"),
        ],
        "interop.torch_to_mlp(torch_state)": [
            bad("wrong type", 3, "state|dict"),
            bad("empty", {}, "empty|no|layers"),
        ],
        "interop.report_to_torch(params)": [
            bad("wrong type", 3, "params|dict"),
            bad("mlp keys", nn.MLP([3, 2]).state_dict(), "unexpected key '0.weight'", KeyError),
        ],
        "interop.report_to_torch(as_tensor)": [ok("None", None), bad("wrong type", 3, "as_tensor|callable")],
        "interop.torch_to_report(torch_state)": [bad("wrong type", 3, "state|dict")],
        "crosscheck.report_from_mlp(mlp)": [bad("wrong type", nn.Linear(3, 2), "MLP|mlp")],
        "crosscheck.mlp_from_report(net)": [bad("wrong type", nn.MLP([3, 2]), "ShallowNeuralNetwork|net")],
        "crosscheck.autograd_gradients(mlp)": [bad("wrong type", 3, "MLP|mlp")],
        "crosscheck.autograd_gradients(x)": [bad("wrong shape", np.ones((3, 5)), r"\(3, 5\)|linear")],
        "crosscheck.autograd_gradients(labels)": [bad("out of range", np.array([0, 1, 5]), "out of range")],
        "crosscheck.report_gradients(net)": [bad("wrong type", 3, "ShallowNeuralNetwork|net")],
        "crosscheck.report_gradients(x)": [bad("wrong shape", np.ones((3, 5)), r"batch, 4")],
        "crosscheck.report_gradients(labels)": [
            bad("out of range", np.array([0, 1, 5]), "out of range|label")
        ],
        "crosscheck.max_relative_difference(grads_a)": [
            bad("fewer layers", [], "shorter|longer", ValueError)
        ],
        "crosscheck.max_relative_difference(grads_b)": [
            bad("wrong shape", [(np.ones(3), np.ones(1))], "gradient shapes differ", ValueError)
        ],
        "viz.draw_graph(root)": [
            ok("Tensor", matrix(requires_grad=True) * 2),
            bad("wrong type", 3.0, "Value or a Tensor"),
        ],
        "viz.draw_graph(names)": [ok("dict", {"x": Value(1.0)}), bad("wrong type", 3, "names")],
        "viz.draw_graph(rankdir)": [ok("TB", "TB"), bad("unknown", "XY", "rankdir")],
        "viz.draw_graph(contributions)": [ok("bool", True), bad("wrong type", "yes", "contributions")],
    }
)


# ---- main's new layers, losses and activations (merged during the sweep) ----
from tinygrad_edu.nn import dropout as dropout_module  # noqa: E402
from tinygrad_edu.nn import loss as loss_module  # noqa: E402
from tinygrad_edu.nn import normalization  # noqa: E402


def batch():
    return f32(np.arange(12.0).reshape(4, 3))


def loss_call(function, **kw):
    args = {
        "nll_loss": {"input": leaf().log_softmax(axis=1), "target": [0, 1]},
        "cross_entropy": {"logits": leaf(), "labels": [0, 1]},
    }[function.__name__]
    return function(**{**args, **kw})


def loss_options(prefix, call):
    CALLS[prefix] = call
    CASES[f"{prefix}(weight)"] = [
        ok("array", np.ones(3)),
        bad("wrong shape", np.ones(2), "weight"),
        bad("wrong type", "abc", "weight|numbers"),
        ok("negative", -np.ones(3)),  # as PyTorch, which checks no sign,
    ]
    CASES[f"{prefix}(ignore_index)"] = [
        ok("numpy int", np.int64(1)),
        bad("float", 1.5, "ignore_index"),
        bad("bool", True, "ignore_index"),
    ]
    CASES[f"{prefix}(reduction)"] = [
        ok("sum", "sum"),
        ok("none", "none"),
        bad("unknown", "avg", "reduction"),
        bad("wrong type", 3, "reduction"),
    ]


for _prefix, _call in (
    ("nn.cross_entropy", lambda **kw: loss_call(loss_module.cross_entropy, **kw)),
    ("nn.nll_loss", lambda **kw: loss_call(loss_module.nll_loss, **kw)),
    ("nn.CrossEntropyLoss", lambda **kw: nn.CrossEntropyLoss(**kw)(leaf(), [0, 1])),
    ("nn.NLLLoss", lambda **kw: nn.NLLLoss(**kw)(leaf().log_softmax(axis=1), [0, 1])),
):
    loss_options(_prefix, _call)
for _prefix in ("nn.cross_entropy", "nn.CrossEntropyLoss"):
    CASES[f"{_prefix}(label_smoothing)"] = [
        *reals("label_smoothing", 0.1),
        ok("zero", 0.0),
        bad("too large", 1.5, "label_smoothing"),
    ]
CASES["nn.nll_loss(input)"] = [
    bad("wrong type", np.zeros((2, 3)), "Tensor|input"),
    bad("1-D", Tensor(np.zeros(3)), "nll_loss|shape|input"),
]
CASES["nn.nll_loss(target)"] = [
    bad("out of range", [0, 5], "out of range|5"),
    bad("floats", np.zeros(2), "integer"),
    bad("wrong shape", [0, 1, 2], "shape|target"),
]
CALLS["nn.CrossEntropyLoss.forward"] = lambda **kw: nn.CrossEntropyLoss().forward(
    **{"logits": leaf(), "labels": [0, 1], **kw}
)
CALLS["nn.NLLLoss.forward"] = lambda **kw: nn.NLLLoss().forward(
    **{"log_probs": leaf(), "target": [0, 1], **kw}
)
CASES["nn.CrossEntropyLoss.forward(logits)"] = [bad("wrong type", np.zeros((2, 3)), "Tensor|logits")]
CASES["nn.CrossEntropyLoss.forward(labels)"] = [bad("out of range", [0, 5], "out of range|5")]
CASES["nn.NLLLoss.forward(log_probs)"] = [bad("wrong type", np.zeros((2, 3)), "Tensor|input|log_probs")]
CASES["nn.NLLLoss.forward(target)"] = [bad("out of range", [0, 5], "out of range|5")]

for _method, _params in (
    ("elu", {"alpha": 1.0}),
    ("leaky_relu", {"negative_slope": 0.01}),
    ("softplus", {"beta": 1.0, "threshold": 20.0}),
):
    CALLS[f"Tensor.{_method}"] = lambda _method=_method, **kw: getattr(matrix(), _method)(**kw)
    _cls = {"elu": "ELU", "leaky_relu": "LeakyReLU", "softplus": "Softplus"}[_method]
    CALLS[f"nn.{_cls}"] = lambda _cls=_cls, **kw: getattr(nn, _cls)(**kw)(matrix())
    for _param, _good in _params.items():
        _cases = [
            ok("numpy float", np.float32(_good)),
            ok("numpy int", np.int64(1)),
            bad("bool", True, _param),
            bad("nan", math.nan, _param),
            bad("wrong type", "a", _param),
            bad("0-d array", np.array(_good), _param),
        ]
        CASES[f"Tensor.{_method}({_param})"] = _cases
        CASES[f"nn.{_cls}({_param})"] = _cases
CASES["Tensor.softplus(beta)"].append(bad("zero", 0.0, "beta"))
CALLS["Tensor.gelu"] = lambda **kw: matrix().gelu(**kw)
CALLS["nn.GELU"] = lambda **kw: nn.GELU(**kw)(matrix())
for _name in ("Tensor.gelu(approximate)", "nn.GELU(approximate)"):
    CASES[_name] = [
        ok("tanh", "tanh"),
        ok("none", "none"),
        bad("unknown", "erf", "approximate"),
        bad("bool", True, "approximate"),
        bad("None", None, "approximate"),
    ]
CALLS["Tensor.from_numpy"] = lambda **kw: Tensor.from_numpy(**{"array": np.ones(2, np.float32), **kw})
CASES["Tensor.from_numpy(array)"] = [
    ok("float64", np.ones(2)),
    bad("list", [1.0], "array|ndarray|numpy"),
    bad("ints", np.ones(2, int), "float32|float64|dtype"),
    bad("text", np.full(2, "a"), "float32|float64|dtype|numbers"),
]
CASES["Tensor.from_numpy(requires_grad)"] = flags("requires_grad")
for _cls in ("ELU", "GELU", "LeakyReLU", "LogSigmoid", "ReLU6", "SiLU", "Softplus"):
    CALLS[f"nn.{_cls}.forward"] = lambda _cls=_cls, x=None: getattr(nn, _cls)().forward(x)
    CASES[f"nn.{_cls}.forward(x)"] = [
        ok("tensor", matrix()),
        bad("wrong type", np.ones(2), "input must be a Tensor"),
    ]

for _cls, _shape in (("BatchNorm1d", (4, 3)), ("BatchNorm2d", (4, 3, 2, 2))):
    CALLS[f"nn.{_cls}"] = lambda _cls=_cls, _shape=_shape, **kw: getattr(nn, _cls)(
        **{"num_features": 3, **kw}
    )(f32(np.arange(float(np.prod(_shape))).reshape(_shape)))
    CASES.update(
        {
            f"nn.{_cls}(num_features)": [
                *counts("num_features", 3)[:5],
                bad("huge", HUGE, "parameters|num_features"),
            ],
            f"nn.{_cls}(eps)": reals("eps", 1e-5, positive=True),
            f"nn.{_cls}(momentum)": [
                ok("None", None),
                ok("numpy float", np.float32(0.1)),
                bad("nan", math.nan, "momentum"),
                bad("too large", 1.5, "momentum"),
                bad("wrong type", "a", "momentum"),
            ],
            f"nn.{_cls}(affine)": flags("affine"),
            f"nn.{_cls}(track_running_stats)": flags("track_running_stats"),
            f"nn.{_cls}(dtype)": [
                bad("float64 layer, float32 input", "float64", "dtype mismatch"),
                bad("int dtype", "int32", "dtype"),
            ],
        }
    )
CALLS["nn.LayerNorm"] = lambda **kw: nn.LayerNorm(**{"normalized_shape": 3, **kw})(batch())
CALLS["nn.LayerNorm.forward"] = lambda x: nn.LayerNorm(3).forward(x)
CASES.update(
    {
        "nn.LayerNorm(normalized_shape)": [
            ok("numpy int", np.int64(3)),
            ok("tuple", (3,)),
            bad("zero", 0, "normalized_shape"),
            bad("float", 3.0, "normalized_shape"),
            bad("bool", True, "normalized_shape"),
            bad("huge", HUGE, "parameters|normalized_shape|shape"),
        ],
        "nn.LayerNorm(eps)": reals("eps", 1e-5, positive=True),
        "nn.LayerNorm(elementwise_affine)": flags("elementwise_affine"),
        "nn.LayerNorm(bias)": flags("bias"),
        "nn.LayerNorm(dtype)": [
            bad("float64 layer, float32 input", "float64", "dtype mismatch"),
            bad("int dtype", "int32", "dtype"),
        ],
        "nn.LayerNorm.forward(x)": [
            bad("wrong shape", f32(np.ones((4, 2))), "shape|normalized_shape"),
            bad("wrong type", np.ones((4, 3)), "Tensor|input"),
        ],
    }
)
CALLS["nn.layer_norm"] = lambda **kw: normalization.layer_norm(
    **{"input": batch(), "normalized_shape": (3,), **kw}
)
CASES.update(
    {
        "nn.layer_norm(input)": [
            bad("wrong type", np.ones((4, 3)), "Tensor|input"),
            bad("wrong shape", f32(np.ones((4, 2))), "shape|normalized_shape"),
        ],
        "nn.layer_norm(normalized_shape)": [
            ok("int", 3),
            bad("wrong", (2,), "shape|normalized_shape"),
            bad("float", (3.0,), "normalized_shape|int"),
        ],
        "nn.layer_norm(weight)": [
            ok("tensor", f32(np.ones(3))),
            bad("wrong shape", f32(np.ones(2)), "weight|shape"),
        ],
        "nn.layer_norm(bias)": [
            ok("tensor", f32(np.zeros(3))),
            bad("wrong shape", f32(np.ones(2)), "bias|shape"),
        ],
        "nn.layer_norm(eps)": reals("eps", 1e-5, positive=True),
    }
)
CALLS["nn.batch_norm"] = lambda **kw: normalization.batch_norm(
    **{
        "input": batch(),
        "running_mean": np.zeros(3, np.float32),
        "running_var": np.ones(3, np.float32),
        "training": True,
        **kw,
    }
)
CASES.update(
    {
        "nn.batch_norm(input)": [
            bad("wrong type", np.ones((4, 3)), "Tensor|input"),
            bad("wrong shape", f32(np.ones((4, 2))), "shape|running|features"),
        ],
        "nn.batch_norm(running_mean)": [bad("wrong shape", np.zeros(2), "shape|running_mean")],
        "nn.batch_norm(running_var)": [bad("wrong shape", np.ones(2), "shape|running_var")],
        "nn.batch_norm(weight)": [
            ok("tensor", f32(np.ones(3))),
            bad("wrong shape", f32(np.ones(2)), "weight|shape"),
        ],
        "nn.batch_norm(bias)": [
            ok("tensor", f32(np.zeros(3))),
            bad("wrong shape", f32(np.ones(2)), "bias|shape"),
        ],
        "nn.batch_norm(training)": flags("training"),
        "nn.batch_norm(momentum)": [
            ok("numpy float", np.float32(0.1)),
            bad("nan", math.nan, "momentum"),
            bad("wrong type", "a", "momentum"),
        ],
        "nn.batch_norm(eps)": reals("eps", 1e-5, positive=True),
    }
)
CALLS["nn.Dropout"] = lambda **kw: nn.Dropout(**kw)(matrix())
CALLS["nn.Dropout.forward"] = lambda x: nn.Dropout().forward(x)
CALLS["nn.dropout"] = lambda **kw: dropout_module.dropout(**{"input": matrix(), **kw})
CALLS["nn.check_p"] = lambda **kw: dropout_module.check_p(**{"owner": "Dropout", "p": 0.5, **kw})
CALLS["nn.make_rng"] = lambda **kw: dropout_module.make_rng(**{"owner": "Dropout", "rng": 0, **kw})
_P_CASES = [
    ok("numpy float", np.float32(0.5)),
    ok("zero", 0.0),
    ok("one", 1.0),
    bad("too large", 1.5, "p"),
    bad("negative", -0.1, "p"),
    bad("nan", math.nan, "p"),
    bad("bool", True, "p"),
    bad("wrong type", "a", "p"),
]
_RNG_CASES = [
    ok("numpy int", np.int64(3)),
    ok("Generator", np.random.default_rng(0)),
    ok("None", None),
    bad("negative", -1, "seed|rng"),
    bad("bool", True, "seed|rng"),
    bad("float", 1.5, "seed|rng"),
]
CASES.update(
    {
        "nn.Dropout(p)": _P_CASES,
        "nn.dropout(p)": _P_CASES,
        "nn.check_p(p)": _P_CASES,
        "nn.Dropout(rng)": _RNG_CASES,
        "nn.dropout(rng)": _RNG_CASES,
        "nn.make_rng(rng)": _RNG_CASES,
        "nn.Dropout.forward(x)": [ok("tensor", matrix()), bad("wrong type", np.ones(2), "Tensor|input")],
        "nn.dropout(input)": [bad("wrong type", np.ones(2), "Tensor|input")],
        "nn.dropout(training)": flags("training"),
        "nn.check_p(owner)": [ok("text", "MyLayer")],
        "nn.make_rng(owner)": [ok("text", "MyLayer")],
    }
)
CALLS["nn.Module.train"] = lambda mode: nn.Linear(3, 2).train(mode)
CALLS["nn.Module.named_buffers"] = lambda prefix: list(nn.BatchNorm1d(3).named_buffers(prefix))
CALLS["nn.Module.register_buffer"] = lambda **kw: nn.Module().register_buffer(
    **{"name": "stat", "array": np.ones(2), **kw}
)
CASES.update(
    {
        "nn.Module.train(mode)": flags("mode"),
        "nn.Module.named_buffers(prefix)": [ok("text", "net."), bad("wrong type", 3, "prefix")],
        "nn.Module.register_buffer(name)": [
            bad("wrong type", 3, "name"),
            bad("dotted", "a.b", "name|dot|\\."),
            bad("empty", "", "name"),
        ],
        "nn.Module.register_buffer(array)": [
            ok("None", None),
            bad("text", np.full(2, "a"), "numbers|array|dtype"),
            bad("wrong type", "abc", "array"),
        ],
    }
)


# ---- tensors from a shape (tinygrad_edu/autograd/creation.py) ----
def _from_shape(function, default=(2, 3)):
    """A creation helper called with the probed `size` as its one positional argument (else 2, 3)."""

    def call(**kw):
        size = (kw.pop("size"),) if "size" in kw else default
        return function(*size, **kw)

    return call


def _shape_sizes(op):
    """The sizes of zeros(*size)-like helpers: an int, or one tuple, list or 1-D int array."""
    return [
        ok("numpy int", np.int64(2)),
        ok("tuple of numpy ints", (np.int64(2), np.int64(3))),
        ok("1-D int array", np.array([2, 3])),
        ok("empty (0-d)", ()),
        ok("zero", 0),
        bad("negative", -1, rf"{op}: size must be ≥ 0"),
        bad("bool", True, rf"{op}: size must be an int"),
        bad("float", 2.0, rf"{op}: size must be an int"),
        bad("nan", math.nan, rf"{op}: size must be an int"),
        bad("0-d array", np.array(2), rf"{op}: size must be an int"),
        bad("float array", np.array([2.0, 3.0]), rf"{op}: size must be an int"),
        bad("wrong type", "2", rf"{op}: size must be an int"),
        bad("huge", HUGE, rf"{op}: size {HUGE} is more than"),
        bad("huge product", (10**6, 10**6), rf"{op}: the result would have shape"),
    ]


def _float_dtypes(op, also=()):
    return [
        ok("None", None),
        ok("numpy type", np.float64),
        ok("text", "float32"),
        ok("np.dtype", np.dtype(np.float64)),
        *[ok(f"also {d}", d) for d in also],
        *([] if also else [bad("int dtype", np.int64, rf"{op}: .*float32 or float64")]),
        bad("float16", np.float16, rf"{op}: .*float32 or float64"),
        bad("bool", True, rf"{op}: .*float32 or float64"),
        bad("wrong type", "double precision", rf"{op}: .*float32 or float64"),
    ]


def _fill_values(op):
    return [
        ok("numpy float", np.float32(0.5)),
        ok("numpy int", np.int64(3)),
        ok("negative", -2),
        ok("nan", math.nan),
        ok("inf", -math.inf),
        bad("bool", True, rf"{op}: fill_value must be a real number"),
        bad("0-d array", np.array(1.0), rf"{op}: fill_value must be a real number"),
        bad("wrong type", "1", rf"{op}: fill_value must be a real number"),
        bad("complex", 1j, rf"{op}: fill_value must be a real number"),
        bad("too large for float32", 1e300, rf"{op}: fill_value .* too large", OverflowError),
        bad("int beyond int64", 2**70, "outside the int64 range", OverflowError),
    ]


def _like_inputs(op):
    return [
        ok("float64 tensor", matrix(np.float64)),
        ok("empty tensor", f32(np.ones((0, 3)))),
        ok("a tensor that requires grad", leaf()),
        bad("numpy array", np.ones(2), rf"{op}: input must be a Tensor"),
        bad("list", [1.0, 2.0], rf"{op}: input must be a Tensor"),
        bad("None", None, rf"{op}: input must be a Tensor"),
        bad("int64 tensor", matrix().argmax(axis=1), rf"{op}: input has dtype int64"),
    ]


def _bound(name, good):
    """arange's start or end (the others 0 → 4 or start → 4, step 1)."""
    return [
        ok("numpy int", np.int64(good)),
        ok("numpy float", np.float32(good + 0.5)),
        bad("bool", True, f"arange: {name} must be a number"),
        bad("0-d array", np.array(good), f"arange: {name} must be a number"),
        bad("wrong type", str(good), f"arange: {name} must be a number"),
        bad("nan", math.nan, f"arange: {name} must be finite"),
        bad("inf", math.inf, f"arange: {name} must be finite"),
        bad("int beyond int64", 2**70, "outside the int64 range", OverflowError),
    ]


_SEEDS = [
    ok("None", None),
    ok("numpy int", np.int64(3)),
    ok("zero", 0),
    ok("huge", HUGE),
    bad("negative", -1, "seed must be a non-negative integer"),
    bad("bool", True, "seed must be a non-negative integer"),
    bad("float", 1.5, "seed must be a non-negative integer"),
    bad("nan", math.nan, "seed must be a non-negative integer"),
    bad("0-d array", np.array(3), "seed must be a non-negative integer"),
    bad("wrong type", "3", "seed must be a non-negative integer"),
]
_GENERATORS = [
    ok("None", None),
    ok("Generator", np.random.default_rng(0)),
    bad("int", 3, "generator must be a np.random.Generator.*seed="),
    bad("RandomState", np.random.RandomState(0), "generator must be a np.random.Generator"),
    bad("bool", True, "generator must be a np.random.Generator"),
    bad("wrong type", "rng", "generator must be a np.random.Generator"),
]
CALLS.update(
    {
        "zeros": _from_shape(creation.zeros),
        "ones": _from_shape(creation.ones),
        "randn": _from_shape(creation.randn),
        "rand": _from_shape(creation.rand),
        "full": lambda **kw: creation.full(**{"size": (2, 3), "fill_value": 1.5, **kw}),
        "zeros_like": lambda **kw: creation.zeros_like(**{"input": matrix(), **kw}),
        "ones_like": lambda **kw: creation.ones_like(**{"input": matrix(), **kw}),
        "full_like": lambda **kw: creation.full_like(**{"input": matrix(), "fill_value": 1.5, **kw}),
        "arange": lambda **kw: creation.arange(**{"start": 0, "end": 4, "step": 1, **kw}),
        "eye": lambda **kw: creation.eye(**{"n": 3, **kw}),
    }
)
for _op in ("zeros", "ones", "randn", "rand"):
    CASES[f"{_op}(size)"] = _shape_sizes(_op)
_FLOAT_CREATORS = ("zeros", "ones", "randn", "rand", "full", "zeros_like", "ones_like", "full_like", "eye")
for _op in _FLOAT_CREATORS:
    CASES[f"{_op}(dtype)"] = _float_dtypes(_op)
for _op in (*_FLOAT_CREATORS, "arange"):
    CASES[f"{_op}(requires_grad)"] = [*flags("requires_grad"), bad("None", None, "requires_grad")]
for _op in ("randn", "rand"):
    CASES[f"{_op}(seed)"] = _SEEDS
    CASES[f"{_op}(generator)"] = _GENERATORS
for _op in ("zeros_like", "ones_like", "full_like"):
    CASES[f"{_op}(input)"] = _like_inputs(_op)
for _op in ("full", "full_like"):
    CASES[f"{_op}(fill_value)"] = _fill_values(_op)
CASES.update(
    {
        "full(size)": [
            ok("tuple of numpy ints", (np.int64(2), np.int64(3))),
            ok("list", [2, 3]),
            ok("1-D int array", np.array([2, 3])),
            ok("empty (0-d)", ()),
            ok("zero", (0, 3)),
            bad("int", 2, "full: size must be a tuple or list of ints"),
            bad("0-d array", np.array(2), "full: size must be a tuple or list of ints"),
            bad("float array", np.array([2.0]), "full: size must be a tuple or list of ints"),
            bad("wrong type", "23", "full: size must be a tuple or list of ints"),
            bad("negative", (-1, 3), "full: size must be ≥ 0"),
            bad("bool", (True,), "full: size must be an int"),
            bad("float", (2.0,), "full: size must be an int"),
            bad("huge", (HUGE,), "full: size .* is more than"),
            bad("huge product", (10**6, 10**6), "full: the result would have shape"),
        ],
        "arange(start)": [
            *_bound("start", 1),
            ok("negative", -2),
            bad("past end", 5, "arange: .*disagree in direction"),
            bad("huge", -HUGE, "arange: the result would have shape"),
        ],
        "arange(end)": [
            *_bound("end", 3),
            ok("None (start is the end)", None),
            ok("zero (empty)", 0),
            bad("negative", -1, "arange: .*disagree in direction"),
            bad("huge", HUGE, "arange: the result would have shape"),
            bad("huge float", 1e300, "arange: .*more than"),
        ],
        "arange(step)": [
            ok("numpy int", np.int64(2)),
            ok("numpy float", np.float32(0.5)),
            ok("huge", HUGE),  # one number, as in PyTorch
            bad("zero", 0, "arange: step must be nonzero"),
            bad("negative", -1, "arange: .*disagree in direction"),
            bad("tiny", 1e-12, "arange: .*more than"),
            bad("bool", True, "arange: step must be a number"),
            bad("0-d array", np.array(1), "arange: step must be a number"),
            bad("wrong type", "1", "arange: step must be a number"),
            bad("nan", math.nan, "arange: step must be finite"),
            bad("inf", math.inf, "arange: step must be finite"),
        ],
        "arange(dtype)": [
            *_float_dtypes("arange", also=(np.int64, "int64")),
            bad("int32", np.int32, "arange: .*float32 or float64.*int64"),
        ],
        "eye(n)": [*counts("eye: n", 3, low=0), bad("huge", HUGE, "eye: n .* is more than")],
        "eye(m)": [*counts("eye: m", 2, low=0), ok("None", None), bad("huge", HUGE, "eye: m .* more than")],
    }
)


# ---- torch.nn.functional's activations: the Tensor methods' cases, plus their input ----
for _name in ("relu", "sigmoid", "tanh", "hardtanh", "leaky_relu", "elu", "gelu", "silu", "softplus",
              "logsigmoid", "relu6", "softmax", "log_softmax"):
    _dim = {"dim": 1} if "softmax" in _name else {}
    CALLS[f"nn.functional.{_name}"] = lambda _name=_name, _dim=_dim, **kw: getattr(F, _name)(
        **{"input": matrix(), **_dim, **kw}
    )
    CASES[f"nn.functional.{_name}(input)"] = [
        ok("float64 tensor", matrix(np.float64)),
        bad("wrong type", np.ones(2), f"{_name}: input must be a Tensor"),
        bad("list", [1.0], f"{_name}: input must be a Tensor"),
    ]
for _name, _param in (("hardtanh", "min_val"), ("hardtanh", "max_val"), ("leaky_relu", "negative_slope"),
                      ("elu", "alpha"), ("gelu", "approximate"), ("softplus", "beta"),
                      ("softplus", "threshold")):
    CASES[f"nn.functional.{_name}({_param})"] = CASES[f"Tensor.{_name}({_param})"]
for _name in ("softmax", "log_softmax"):
    CASES[f"nn.functional.{_name}(dim)"] = [
        ok("numpy int", np.int64(0)),
        ok("negative", -1),
        bad("None", None, f"{_name}: dim must be an int"),
        bad("out of range", 2, "out of range"),
        bad("float", 1.0, "must be an int"),
        bad("bool", True, "must be an int"),
    ]

# ---- issue 23's elementwise ops and comparisons (ops/elementwise.py, ops/comparison.py) ----


def _clamp_bounds(op, name):
    """A bound of clamp/clip given alone: numbers (±inf too) in; None alone, nan, bool, arrays, text out."""
    return [
        ok("numpy float", np.float32(0.5)),
        ok("numpy int", np.int64(1)),
        ok("inf", math.inf),
        ok("-inf", -math.inf),
        ok("huge", HUGE),
        bad("None (no bound at all)", None, f"{op}: at least one of min and max"),
        bad("nan", math.nan, f"{op}: {name} is nan"),
        bad("bool", True, f"{op}: {name} must be a number"),
        bad("0-d array", np.array(0.5), f"{op}: {name} must be a number"),
        bad("tensor", f32([0.5]), "use maximum/minimum"),
        bad("wrong type", "1", f"{op}: {name} must be a number"),
        bad("int beyond float", 10**400, f"{op}: {name} is an integer too large"),
    ]


def _operands(op, mismatch=True):
    """The other operand of an elementwise op of a (2, 3) float32 tensor: numbers, arrays, tensors."""
    cases = [
        ok("number", 1.5),
        ok("numpy float", np.float64(0.5)),
        ok("numpy int", np.int64(2)),
        ok("nan", math.nan),
        ok("broadcast array", np.ones(3)),
        ok("tensor", f32(np.ones((2, 1)))),
        bad("wrong shape", np.ones(2), rf"{re.escape(op)}: shapes \(2, 3\) and \(2,\) cannot be broadcast"),
        bad("wrong type", "abc", "Tensor needs numbers"),
        bad("Value", Value(1.0), "do not mix"),
    ]
    if mismatch:
        cases.append(bad("float64 tensor", Tensor(np.ones(3)), "dtype mismatch"))
    return cases


_BOOL_CONDITIONS = [
    ok("bool tensor", matrix() > 2),
    ok("bool array", np.eye(2, 3, dtype=bool)),
    ok("list of bools", [True, False, True]),
    ok("bool", True),
    bad("float tensor", matrix(), "condition must hold booleans.*float32"),
    bad("ints", np.eye(2, 3, dtype=int), "condition must hold booleans.*int"),
    bad("wrong shape", np.ones(2, dtype=bool), r"where: condition of shape \(2,\)"),
    bad("wrong type", "yes", "where: condition must be a bool Tensor"),
]
_WHERE_SIDES = [
    ok("number", 0.5),
    ok("numpy float", np.float64(0.5)),
    ok("broadcast array", np.ones(3)),
    ok("tensor", f32(np.ones((2, 1)))),
    bad("wrong shape", np.ones(2), r"where: .* cannot be broadcast together"),
    bad("wrong type", "abc", "Tensor needs numbers"),
    bad("float64 tensor", Tensor(np.ones(3)), "dtype mismatch"),
    bad("Value", Value(1.0), "do not mix"),
]
CALLS.update(
    {
        "Tensor.clamp": lambda **kw: matrix().clamp(**kw),
        "Tensor.clip": lambda **kw: matrix().clip(**kw),
        "Tensor.maximum": lambda other: matrix().maximum(other),
        "Tensor.minimum": lambda other: matrix().minimum(other),
        "Tensor.pow": lambda exponent: matrix().pow(exponent),
        "Tensor.where": lambda **kw: matrix().where(**{"condition": matrix() > 2, "other": 0.0, **kw}),
        "where": lambda **kw: where(**{"condition": matrix() > 2, "input": matrix(), "other": 0.0, **kw}),
    }
)
for _op in ("clamp", "clip"):
    CASES[f"Tensor.{_op}(min)"] = _clamp_bounds(_op, "min")
    CASES[f"Tensor.{_op}(max)"] = _clamp_bounds(_op, "max")
for _op in ("eq", "ne", "lt", "le", "gt", "ge"):
    CALLS[f"Tensor.{_op}"] = lambda _op=_op, **kw: getattr(matrix(), _op)(**kw)
    CASES[f"Tensor.{_op}(other)"] = [*_operands(_op), ok("list", [1.0, 2.0, 3.0])]
for _op in ("maximum", "minimum"):
    CASES[f"Tensor.{_op}(other)"] = _operands(_op)
CASES["Tensor.pow(exponent)"] = [*_operands("**"), ok("zero", 0), ok("negative", -1)]
CASES["Tensor.where(condition)"] = _BOOL_CONDITIONS
CASES["Tensor.where(other)"] = _WHERE_SIDES
CASES["where(condition)"] = _BOOL_CONDITIONS
CASES["where(input)"] = [  # the other side is a number here: a float64 input makes a float64 result
    *(case for case in _WHERE_SIDES if case.kind != "float64 tensor"),
    ok("float64 tensor", Tensor(np.ones(3))),
]
CASES["where(other)"] = _WHERE_SIDES
