"""The catalogue of bad input to the library: each case must fail at once, with a clear error.

Every row is one mistake a learner (or an adversarial tester) can make, the
exception type it must raise, and a regular expression the message must match:
the message names the problem (the argument, the shape, the dtype, the range).
A raw numpy traceback or a silent wrong answer fails the row.

To add a case, add a row to the table of its module: `Case(name, call, error, message)`,
where `call` is a function of no arguments that makes the mistake.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from tinygrad_edu import Tensor, Value, nn, no_grad, optim
from tinygrad_edu.gradcheck import gradcheck, numerical_gradient
from tinygrad_edu.nn.functional import linear
from tinygrad_edu.nn.functional import softmax_cross_entropy as fused_cross_entropy
from tinygrad_edu.report import ShallowNeuralNetwork
from tinygrad_edu.testing import positive_values, values


@dataclass(frozen=True)
class Case:
    name: str
    call: Callable[[], object]
    error: type
    message: str  # a regular expression the error message must match


def matrix(requires_grad=False, dtype=np.float32):
    """A fresh 2 × 3 tensor."""
    return Tensor(np.arange(6.0).reshape(2, 3), requires_grad=requires_grad, dtype=dtype)


def weight():
    return Tensor(np.ones((2, 3)), requires_grad=True)


def backward_without_no_grad_graph():
    x = Tensor([1.0, 2.0], requires_grad=True)
    with no_grad():
        y = (x * 2).sum()
    y.backward()


def value_backward_under_no_grad():
    x = Value(2.0)
    with no_grad():
        y = x * 3
    y.backward()


def sgd_step_with_a_grad_of_the_wrong_shape():
    w = weight()
    w.grad = np.ones(3)
    optim.SGD([w], lr=0.1).step()


def logits():
    return Tensor(np.zeros((2, 3)), requires_grad=True)


TENSOR_CASES = [
    Case("Tensor of text", lambda: Tensor("abc"), TypeError, r"needs numbers.*<U3"),
    Case("Tensor of None", lambda: Tensor(None), TypeError, r"needs numbers.*object"),
    Case("Tensor of a complex number", lambda: Tensor(1 + 2j), TypeError, r"needs numbers.*complex"),
    Case("Tensor of ragged lists", lambda: Tensor([[1.0], [1.0, 2.0]]), ValueError, r"rectangular"),
    Case("Tensor of a Tensor", lambda: Tensor(Tensor(1.0)), TypeError, r"ambiguous.*detach"),
    Case(
        "Tensor dtype int32", lambda: Tensor([1], dtype="int32"), ValueError, r"float32 or float64, got int32"
    ),
    Case("Tensor dtype float16", lambda: Tensor([1], dtype=np.float16), ValueError, r"float32 or float64"),
    Case("Tensor dtype nonsense", lambda: Tensor([1], dtype="nonsense"), ValueError, r"got 'nonsense'"),
    Case(
        "+ of unbroadcastable shapes",
        lambda: matrix() + Tensor([1.0, 2.0]),
        ValueError,
        r"\(2, 3\) and \(2,\)",
    ),
    Case("+ of text", lambda: matrix() + "a", TypeError, r"needs numbers"),
    Case(
        "* of float32 and float64",
        lambda: matrix() * matrix(dtype=np.float64),
        TypeError,
        r"float32 and float64",
    ),
    Case("@ misaligned", lambda: matrix() @ matrix(), ValueError, r"\(2, 3\) and \(2, 3\) are not aligned"),
    Case("@ with a 0-d tensor", lambda: matrix() @ Tensor(2.0), ValueError, r"at least 1 dimension"),
    Case(
        "@ of unbroadcastable batches",
        lambda: Tensor(np.ones((2, 2, 3))) @ Tensor(np.ones((3, 3, 1))),
        ValueError,
        r"batch axes",
    ),
    Case(
        "sum over a float axis", lambda: matrix().sum(axis=1.0), TypeError, r"sum: axis must be an int.*1\.0"
    ),
    Case(
        "sum over a bool axis", lambda: matrix().sum(axis=True), TypeError, r"sum: axis must be an int.*True"
    ),
    Case("mean over a text axis", lambda: matrix().mean(axis="0"), TypeError, r"mean: axis must be"),
    Case("max over a list of floats", lambda: matrix().max(axis=[0.5]), TypeError, r"max: axis must be"),
    Case(
        "sum over an out-of-range axis",
        lambda: matrix().sum(axis=2),
        ValueError,
        r"sum: axis 2 is out of range.*ndim=2",
    ),
    Case("mean over a repeated axis", lambda: matrix().mean(axis=(0, -2)), ValueError, r"repeated axis"),
    Case(
        "sum over an axis of a 0-d tensor",
        lambda: Tensor(1.0).sum(axis=0),
        ValueError,
        r"out of range.*0 axes",
    ),
    Case("max over an empty axis", lambda: Tensor(np.ones((0, 3))).max(axis=0), ValueError, r"empty axis"),
    Case(
        "softmax over an out-of-range axis",
        lambda: matrix().softmax(axis=5),
        ValueError,
        r"softmax: axis 5 is out of range.*ndim=2",
    ),
    Case(
        "log_softmax over an out-of-range axis",
        lambda: matrix().log_softmax(axis=-3),
        ValueError,
        r"log_softmax: axis -3 is out of range.*ndim=2",
    ),
    Case(
        "softmax over a float axis",
        lambda: matrix().softmax(axis=1.0),
        TypeError,
        r"softmax: axis must be an int",
    ),
    Case(
        "log_softmax over a tuple of axes",
        lambda: matrix().log_softmax(axis=(0, 1)),
        TypeError,
        r"log_softmax: axis must be an int",
    ),
    Case(
        "softmax over axis None",
        lambda: matrix().softmax(axis=None),
        TypeError,
        r"softmax: axis must be an int",
    ),
    Case("softmax of a 0-d tensor", lambda: Tensor(1.0).softmax(), ValueError, r"out of range.*0 axes"),
    Case(
        "reshape to a wrong size",
        lambda: matrix().reshape(4, 2),
        ValueError,
        r"\(2, 3\) \(6 elements\) into \(4, 2\)",
    ),
    Case(
        "reshape to a float size",
        lambda: matrix().reshape(6.0),
        TypeError,
        r"reshape: the new shape must be ints",
    ),
    Case(
        "transpose by a non-permutation", lambda: matrix().transpose(0, 0), ValueError, r"not a permutation"
    ),
    Case(
        "transpose by text axes",
        lambda: matrix().transpose("a", "b"),
        TypeError,
        r"transpose: axes must be ints",
    ),
    Case("index by a Tensor", lambda: matrix()[Tensor([0.0])], TypeError, r"not a Tensor"),
    Case("index out of range", lambda: matrix()[5], IndexError, r"index 5 is out of bounds"),
    Case("index by a float", lambda: matrix()[1.5], IndexError, r"only integers"),
    Case("hardtanh with min ≥ max", lambda: matrix().hardtanh(1.0, -1.0), ValueError, r"min_val < max_val"),
    Case(
        "hardtanh with a nan bound",
        lambda: matrix().hardtanh(math.nan, 1.0),
        ValueError,
        r"min_val < max_val",
    ),
    Case(
        "hardtanh with a text bound",
        lambda: matrix().hardtanh("a", 1.0),
        TypeError,
        r"min_val must be a number",
    ),
    Case(
        "hardtanh with an array bound",
        lambda: matrix().hardtanh(-1.0, np.ones(3)),
        TypeError,
        r"max_val must be a number",
    ),
    Case(
        "backward of a non-scalar without gradient",
        lambda: matrix(True).exp().backward(),
        RuntimeError,
        r"shape \(2, 3\) needs gradient=",
    ),
    Case(
        "backward with a gradient of the wrong shape",
        lambda: matrix(True).exp().backward(np.ones(3)),
        ValueError,
        r"gradient has shape \(3,\), but the tensor has shape \(2, 3\)",
    ),
    Case(
        "backward with a text gradient",
        lambda: matrix(True).exp().backward("abc"),
        TypeError,
        r"gradient must hold numbers",
    ),
    Case(
        "backward of a tensor without grad",
        lambda: matrix().sum().backward(),
        RuntimeError,
        r"does not require grad",
    ),
    Case("backward of a result of no_grad", backward_without_no_grad_graph, RuntimeError, r"no_grad"),
    Case("item of many elements", lambda: matrix().item(), ValueError, r"one element.*\(2, 3\)"),
    Case(
        "linear with the wrong input width",
        lambda: linear(Tensor(np.ones((4, 2))), weight()),
        ValueError,
        r"input of shape \(4, 2\) needs to be \(N, 3\)",
    ),
    Case(
        "linear with the wrong bias shape",
        lambda: linear(Tensor(np.ones((4, 3))), weight(), Tensor(np.ones(3))),
        ValueError,
        r"bias of shape \(3,\) should be \(2,\)",
    ),
    Case(
        "fused cross_entropy with targets of another shape",
        lambda: fused_cross_entropy(logits(), np.ones(2)),
        ValueError,
        r"targets of shape \(2,\) must match the logits' shape \(2, 3\)",
    ),
    Case(
        "fused cross_entropy of an array",
        lambda: fused_cross_entropy(np.zeros((2, 3)), np.eye(3)[:2]),
        ValueError,
        r"logits must be a 2-D Tensor",
    ),
]

VALUE_CASES = [
    Case("Value of text", lambda: Value("3"), TypeError, r"real number, got str"),
    Case("Value of a bool", lambda: Value(True), TypeError, r"got bool"),
    Case("Value of None", lambda: Value(None), TypeError, r"got NoneType"),
    Case("Value of a Value", lambda: Value(Value(1.0)), TypeError, r"ambiguous"),
    Case("Value plus text", lambda: Value(1.0) + "2", TypeError, r"real number, got str"),
    Case("Value to a text power", lambda: Value(2.0) ** "2", TypeError, r"unsupported operand.*Value.*str"),
    Case(
        "Value backward under no_grad", value_backward_under_no_grad, RuntimeError, r"computed under no_grad"
    ),
]

NN_CASES = [
    Case("MLP of a bare int", lambda: nn.MLP(784), TypeError, r"sizes must be a list.*784"),
    Case("MLP of one size", lambda: nn.MLP([784]), ValueError, r"at least two positive integers"),
    Case("MLP with a zero width", lambda: nn.MLP([784, 0, 10]), ValueError, r"positive integers.*0"),
    Case("MLP with a negative width", lambda: nn.MLP([4, -3]), ValueError, r"positive integers.*-3"),
    Case("MLP with a float width", lambda: nn.MLP([4, 2.5]), ValueError, r"positive integers.*2\.5"),
    Case("MLP with a bool width", lambda: nn.MLP([True, 3]), ValueError, r"positive integers.*True"),
    Case(
        "MLP with a list as activation",
        lambda: nn.MLP([4, 2], activation=["relu"]),
        ValueError,
        r"unknown activation \['relu'\]",
    ),
    Case(
        "MLP with an unknown activation",
        lambda: nn.MLP([4, 2], activation="gelu"),
        ValueError,
        r"unknown activation 'gelu'",
    ),
    Case(
        "MLP with a negative seed",
        lambda: nn.MLP([4, 2], seed=-1),
        ValueError,
        r"seed must be a non-negative.*-1",
    ),
    Case(
        "MLP with a float seed", lambda: nn.MLP([4, 2], seed=1.5), ValueError, r"seed must be a non-negative"
    ),
    Case("MLP with dtype None", lambda: nn.MLP([4, 2], dtype=None), ValueError, r"dtype must be.*None"),
    Case("MLP with an int dtype", lambda: nn.MLP([4, 2], dtype="int32"), ValueError, r"dtype must be.*int32"),
    Case("MLP with a nonsense dtype", lambda: nn.MLP([4, 2], dtype="nonsense"), ValueError, r"dtype must be"),
    Case("Linear with zero inputs", lambda: nn.Linear(0, 3), ValueError, r"in_features must be a positive"),
    Case("Linear with dtype None", lambda: nn.Linear(2, 3, dtype=None), ValueError, r"Linear: dtype must be"),
    Case("Linear with a negative seed", lambda: nn.Linear(2, 3, rng=-1), ValueError, r"Linear: seed"),
    Case("Hardtanh with min ≥ max", lambda: nn.Hardtanh(1.0, -1.0), ValueError, r"min_val < max_val"),
    Case("Sequential of a non-module", lambda: nn.Sequential(nn.ReLU(), 3), TypeError, r"item 1 is a int"),
    Case(
        "load_state_dict of a list",
        lambda: nn.MLP([2, 2]).load_state_dict([1, 2]),
        TypeError,
        r"dict of arrays, got list",
    ),
    Case(
        "load_state_dict with a missing key",
        lambda: nn.MLP([2, 2]).load_state_dict({"0.weight": np.ones((2, 2))}),
        KeyError,
        r"missing keys \['0.bias'\]",
    ),
    Case(
        "load_state_dict with a wrong shape",
        lambda: nn.MLP([2, 2]).load_state_dict({"0.weight": np.ones((2, 3)), "0.bias": np.ones(2)}),
        ValueError,
        r"'0.weight' has shape \(2, 3\), the parameter has \(2, 2\)",
    ),
    Case(
        "load_state_dict of text",
        lambda: nn.MLP([2, 2]).load_state_dict({"0.weight": np.full((2, 2), "a"), "0.bias": np.ones(2)}),
        TypeError,
        r"'0.weight' holds <U1 values",
    ),
    Case(
        "MLP.set_weights with a missing pair",
        lambda: nn.MLP([2, 3, 2]).set_weights([(np.ones((3, 2)), np.ones(3))]),
        ValueError,
        r"expected 2 \(weight, bias\) pairs, got 1",
    ),
    Case(
        "MLP.set_weights with a triple",
        lambda: nn.MLP([2, 2]).set_weights([(np.ones((2, 2)), np.ones(2), 0)]),
        ValueError,
        r"item 0 must be a \(weight, bias\) pair",
    ),
    Case(
        "cross_entropy of an array",
        lambda: nn.cross_entropy(np.zeros((2, 3)), [0, 1]),
        ValueError,
        r"logits must be a 2-D Tensor",
    ),
    Case(
        "cross_entropy of 1-D logits",
        lambda: nn.cross_entropy(Tensor(np.zeros(3)), [0]),
        ValueError,
        r"2-D Tensor \(N, C\), got \(3,\)",
    ),
    Case(
        "cross_entropy of an empty batch",
        lambda: nn.cross_entropy(Tensor(np.zeros((0, 3))), []),
        ValueError,
        r"empty batch",
    ),
    Case(
        "cross_entropy with no classes",
        lambda: nn.cross_entropy(Tensor(np.zeros((2, 0))), [0, 0]),
        ValueError,
        r"no classes",
    ),
    Case(
        "cross_entropy with float class indices",
        lambda: nn.cross_entropy(logits(), np.array([0.0, 1.0])),
        TypeError,
        r"integer dtype, got float64",
    ),
    Case(
        "cross_entropy with bool class indices",
        lambda: nn.cross_entropy(logits(), np.array([True, False])),
        TypeError,
        r"integer dtype, got bool",
    ),
    Case(
        "cross_entropy with a label too large",
        lambda: nn.cross_entropy(logits(), [0, 3]),
        ValueError,
        r"label 3 at position 1 is out of range for 3 classes",
    ),
    Case(
        "cross_entropy with a negative label",
        lambda: nn.cross_entropy(logits(), [-1, 0]),
        ValueError,
        r"label -1 at position 0 is out of range",
    ),
    Case(
        "cross_entropy with labels of another shape",
        lambda: nn.cross_entropy(logits(), [0, 1, 2]),
        ValueError,
        r"labels of shape \(3,\) fit neither",
    ),
    Case(
        "cross_entropy with text rows",
        lambda: nn.cross_entropy(logits(), np.full((2, 3), "a")),
        TypeError,
        r"must be numbers, got <U1",
    ),
    Case(
        "cross_entropy with a negative entry",
        lambda: nn.cross_entropy(logits(), [[1.5, -0.5, 0.0], [1.0, 0.0, 0.0]]),
        ValueError,
        r"row 0 is not a probability distribution.*negative",
    ),
    Case(
        "cross_entropy with rows summing to 5",
        lambda: nn.cross_entropy(logits(), np.full((2, 3), 5 / 3)),
        ValueError,
        r"row 0 sums to 5, not 1",
    ),
    Case(
        "cross_entropy with a zero row",
        lambda: nn.cross_entropy(logits(), [[1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]),
        ValueError,
        r"row 1 sums to 0, not 1",
    ),
    Case(
        "cross_entropy with a nan row",
        lambda: nn.cross_entropy(logits(), [[1.0, 0.0, 0.0], [math.nan, 1, 0]]),
        ValueError,
        r"row 1 .*non-finite",
    ),
    Case("Dropout with p > 1", lambda: nn.Dropout(1.5), ValueError, r"p must be in \[0, 1\], got 1.5"),
    Case("BatchNorm1d with eps 0", lambda: nn.BatchNorm1d(3, eps=0), ValueError, r"eps must be a positive"),
    Case(
        "BatchNorm2d of a 3-d input",
        lambda: nn.BatchNorm2d(3)(Tensor(np.ones((2, 3, 4)))),
        ValueError,
        r"expected 4-d input",
    ),
    Case(
        "cross_entropy with label_smoothing 2",
        lambda: nn.cross_entropy(logits(), [0, 1], label_smoothing=2.0),
        ValueError,
        r"label_smoothing must be a number in \[0, 1\]",
    ),
]

OPTIM_CASES = [
    Case("SGD of a Tensor", lambda: optim.SGD(weight(), lr=0.1), TypeError, r"a list of parameters"),
    Case("SGD of no parameters", lambda: optim.SGD([], lr=0.1), ValueError, r"empty list of parameters"),
    Case(
        "SGD of a constant",
        lambda: optim.SGD([Tensor(1.0)], lr=0.1),
        TypeError,
        r"parameter 0.*requires_grad",
    ),
    Case(
        "SGD of a computed tensor",
        lambda: optim.SGD([weight() * 2], lr=0.1),
        ValueError,
        r"computed by an op",
    ),
    Case(
        "SGD of a parameter twice",
        lambda: optim.SGD([w := weight(), w], lr=0.1),
        ValueError,
        r"appears twice",
    ),
    Case("SGD with lr 0", lambda: optim.SGD([weight()], lr=0), ValueError, r"lr must be > 0"),
    Case("SGD with a negative lr", lambda: optim.SGD([weight()], lr=-0.1), ValueError, r"lr must be > 0"),
    Case(
        "SGD with lr inf",
        lambda: optim.SGD([weight()], lr=math.inf),
        ValueError,
        r"lr must be a finite number",
    ),
    Case(
        "SGD with lr nan",
        lambda: optim.SGD([weight()], lr=math.nan),
        ValueError,
        r"lr must be a finite number",
    ),
    Case(
        "SGD with a text lr",
        lambda: optim.SGD([weight()], lr="0.1"),
        ValueError,
        r"lr must be a finite number",
    ),
    Case(
        "SGD with momentum 1",
        lambda: optim.SGD([weight()], lr=0.1, momentum=1.0),
        ValueError,
        r"momentum must be < 1",
    ),
    Case(
        "SGD with a negative momentum",
        lambda: optim.SGD([weight()], lr=0.1, momentum=-0.1),
        ValueError,
        r"momentum must be ≥ 0",
    ),
    Case(
        "SGD with dampening above 1",
        lambda: optim.SGD([weight()], lr=0.1, momentum=0.9, dampening=1.5),
        ValueError,
        r"dampening must be < 1",
    ),
    Case(
        "SGD nesterov without momentum",
        lambda: optim.SGD([weight()], lr=0.1, nesterov=True),
        ValueError,
        r"nesterov=True needs momentum > 0.*momentum=0",
    ),
    Case(
        "SGD nesterov with dampening",
        lambda: optim.SGD([weight()], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
        ValueError,
        r"dampening = 0",
    ),
    Case(
        "SGD nesterov as text",
        lambda: optim.SGD([weight()], lr=0.1, momentum=0.9, nesterov="no"),
        TypeError,
        r"nesterov must be True or False",
    ),
    Case(
        "SGD step with a grad of the wrong shape",
        sgd_step_with_a_grad_of_the_wrong_shape,
        ValueError,
        r"parameter 0 has shape \(2, 3\) but its .grad has shape \(3,\)",
    ),
    Case(
        "Adam with one beta",
        lambda: optim.Adam([weight()], betas=(0.9,)),
        ValueError,
        r"betas must be a pair.*\(0.9,\)",
    ),
    Case(
        "Adam with three betas",
        lambda: optim.Adam([weight()], betas=(0.9, 0.99, 0.999)),
        ValueError,
        r"betas must be a pair",
    ),
    Case(
        "Adam with a bare beta",
        lambda: optim.Adam([weight()], betas=0.9),
        ValueError,
        r"betas must be a pair",
    ),
    Case(
        "Adam with beta2 1",
        lambda: optim.Adam([weight()], betas=(0.9, 1.0)),
        ValueError,
        r"betas\[1\] must be < 1",
    ),
    Case(
        "Adam with a negative beta1",
        lambda: optim.Adam([weight()], betas=(-0.1, 0.9)),
        ValueError,
        r"betas\[0\] must be ≥ 0",
    ),
    Case(
        "Adam with a nan beta",
        lambda: optim.Adam([weight()], betas=(math.nan, 0.9)),
        ValueError,
        r"betas\[0\] must be a finite number",
    ),
    Case("Adam with eps 0", lambda: optim.Adam([weight()], eps=0), ValueError, r"eps must be > 0"),
    Case("Adam with lr inf", lambda: optim.Adam([weight()], lr=math.inf), ValueError, r"lr must be a finite"),
    Case(
        "CosineAnnealingLR with T_max 0",
        lambda: optim.CosineAnnealingLR(optim.SGD([weight()], lr=0.1), T_max=0),
        ValueError,
        r"T_max must be a positive integer",
    ),
    Case(
        "CosineAnnealingLR with a nan eta_min",
        lambda: optim.CosineAnnealingLR(optim.SGD([weight()], lr=0.1), T_max=5, eta_min=math.nan),
        ValueError,
        r"eta_min must be a finite number",
    ),
    Case(
        "CosineAnnealingLR of a non-optimizer",
        lambda: optim.CosineAnnealingLR([weight()], T_max=5),
        TypeError,
        r"optimizer must be an Optimizer, got list",
    ),
    Case(
        "optimizer load_state_dict with missing keys",
        lambda: optim.SGD([weight()], lr=0.1, momentum=0.9).load_state_dict({}),
        KeyError,
        r"missing keys \['velocity.0'\]",
    ),
]

CHECKING_CASES = [
    Case(
        "gradcheck of a bare array", lambda: gradcheck(lambda t: t, np.ones(2)), TypeError, r"list or tuple"
    ),
    Case(
        "gradcheck of no inputs",
        lambda: gradcheck(lambda: Tensor(1.0), []),
        ValueError,
        r"at least one input",
    ),
    Case(
        "gradcheck of a float32 tensor",
        lambda: gradcheck(lambda t: t, [Tensor([1.0])]),
        ValueError,
        r"float64 inputs; input 0 is float32",
    ),
    Case(
        "gradcheck of a function returning an array",
        lambda: gradcheck(lambda t: t.data, [np.ones(2)]),
        TypeError,
        r"fn must return a Tensor, got ndarray",
    ),
    Case(
        "gradcheck with eps 0",
        lambda: gradcheck(lambda t: t, [np.ones(2)], eps=0),
        ValueError,
        r"eps must be.*> 0",
    ),
    Case(
        "gradcheck with a negative atol",
        lambda: gradcheck(lambda t: t, [np.ones(2)], atol=-1),
        ValueError,
        r"atol must be.*≥ 0",
    ),
    Case(
        "gradcheck with a nan rtol",
        lambda: gradcheck(lambda t: t, [np.ones(2)], rtol=math.nan),
        ValueError,
        r"rtol must be a finite",
    ),
    Case(
        "numerical_gradient of float32",
        lambda: numerical_gradient(lambda x: 0.0, np.ones(2, np.float32)),
        ValueError,
        r"needs a float64 array, got float32",
    ),
    Case(
        "numerical_gradient with a negative eps",
        lambda: numerical_gradient(lambda x: 0.0, np.ones(2), eps=-1e-6),
        ValueError,
        r"eps must be",
    ),
    Case("values with an empty range", lambda: values(3.0, 1.0), ValueError, r"min_value < max_value"),
    Case("positive_values from 0", lambda: positive_values(0.0), ValueError, r"min_value must be > 0"),
]


def report_net():
    return ShallowNeuralNetwork([4, 3, 2], epochs=1)


REPORT_CASES = [
    Case(
        "network with dtype None",
        lambda: ShallowNeuralNetwork([4, 2], dtype=None),
        ValueError,
        r"dtype must be 'float32' or 'float64', got None",
    ),
    Case(
        "network with an int dtype",
        lambda: ShallowNeuralNetwork([4, 2], dtype="int64"),
        ValueError,
        r"dtype must be .*int64",
    ),
    Case(
        "network of a bare int", lambda: ShallowNeuralNetwork(784), ValueError, r"sizes must be a list.*784"
    ),
    Case(
        "network of one size", lambda: ShallowNeuralNetwork([784]), ValueError, r"at least two positive ints"
    ),
    Case(
        "network with a list as activation",
        lambda: ShallowNeuralNetwork([4, 2], activation=["relu"]),
        ValueError,
        r"activation must be one of.*\['relu'\]",
    ),
    Case(
        "network with a negative seed",
        lambda: ShallowNeuralNetwork([4, 2], seed=-1),
        ValueError,
        r"seed must be a non-negative int",
    ),
    Case(
        "network with 0 epochs", lambda: ShallowNeuralNetwork([4, 2], epochs=0), ValueError, r"epochs must be"
    ),
    Case(
        "feed_forward of the wrong width",
        lambda: report_net().feed_forward(np.ones((5, 3))),
        ValueError,
        r"x must have shape \(batch, 4\).*\(5, 3\)",
    ),
    Case(
        "feed_forward of text",
        lambda: report_net().feed_forward(np.full((5, 4), "a")),
        TypeError,
        r"x must hold real numbers.*<U1",
    ),
    Case(
        "cross_entropy_loss of rows summing to 5",
        lambda: report_net().cross_entropy_loss(np.full((3, 2), 2.5), np.full((2, 3), 0.5)),
        ValueError,
        r"y must hold one-hot.*row 0",
    ),
    Case(
        "cross_entropy_loss of negative rows",
        lambda: report_net().cross_entropy_loss(np.array([[2.0, -1.0]] * 3), np.full((2, 3), 0.5)),
        ValueError,
        r"each ≥ 0 and summing to 1",
    ),
    Case(
        "cross_entropy_loss of class indices",
        lambda: report_net().cross_entropy_loss(np.array([0, 1, 1]), np.full((2, 3), 0.5)),
        ValueError,
        r"np.eye\(2\)\[labels\]",
    ),
    Case(
        "train with l_rate inf",
        lambda: report_net().train(np.ones((2, 4)), np.eye(2), np.ones((2, 4)), np.eye(2), l_rate=math.inf),
        ValueError,
        r"l_rate must be",
    ),
    Case(
        "train with beta 1",
        lambda: report_net().train(np.ones((2, 4)), np.eye(2), np.ones((2, 4)), np.eye(2), beta=1.0),
        ValueError,
        r"beta must be",
    ),
    Case(
        "train with batch size 0",
        lambda: report_net().train(np.ones((2, 4)), np.eye(2), np.ones((2, 4)), np.eye(2), batch_size=0),
        ValueError,
        r"batch_size must be a positive int",
    ),
    Case(
        "train with an unknown optimizer",
        lambda: report_net().train(np.ones((2, 4)), np.eye(2), np.ones((2, 4)), np.eye(2), optimizer="adam"),
        ValueError,
        r"optimizer must be one of",
    ),
    Case(
        "predict with chunk size 0",
        lambda: report_net().predict(np.ones((2, 4)), chunk_size=0),
        ValueError,
        r"chunk_size must be a positive int",
    ),
    Case(
        "set_weights with a missing layer",
        lambda: report_net().set_weights(report_net().get_weights()[:1]),
        ValueError,
        r"expected 2 \(weight, bias\) pairs, got 1",
    ),
    Case(
        "set_weights with a wrong shape",
        lambda: report_net().set_weights([(np.ones((3, 4)), np.ones(3)), (np.ones((2, 4)), np.ones(2))]),
        ValueError,
        r"layer 2: expected weight \(2, 3\).*got weight \(2, 4\)",
    ),
    Case(
        "set_weights with text weights",
        lambda: report_net().set_weights([(np.ones((3, 4)), np.ones(3)), (np.full((2, 3), "a"), np.ones(2))]),
        TypeError,
        r"layer 2 weight must hold real numbers",
    ),
    Case(
        "set_weights with complex weights",
        lambda: report_net().set_weights([(np.ones((3, 4)) * 1j, np.ones(3)), (np.ones((2, 3)), np.ones(2))]),
        TypeError,
        r"layer 1 weight must hold real numbers.*complex128",
    ),
    Case(
        "set_weights with a triple",
        lambda: report_net().set_weights([(np.ones((3, 4)), np.ones(3), 0), (np.ones((2, 3)), np.ones(2))]),
        ValueError,
        r"layer 1: expected a \(weight, bias\) pair",
    ),
]

CATALOGUE = TENSOR_CASES + VALUE_CASES + NN_CASES + OPTIM_CASES + CHECKING_CASES + REPORT_CASES


def test_every_case_has_a_distinct_name():
    names = [case.name for case in CATALOGUE]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("case", CATALOGUE, ids=lambda case: case.name)
def test_bad_input_raises_a_clear_error_naming_the_problem(case):
    with pytest.raises(case.error, match=case.message):
        case.call()
