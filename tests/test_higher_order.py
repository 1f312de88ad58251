"""Gradients of gradients: every op's second derivative against central differences of its first,
both engines, the errors of the second-order API, and a Hessian-vector product of the report's MLP."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tinygrad_edu import Tensor, Value, grad, nn, no_grad
from tinygrad_edu.gradcheck import GradcheckError, gradgradcheck
from tinygrad_edu.nn.functional import linear, softmax_cross_entropy
from tinygrad_edu.testing import arrays, positive_values, values

#: Every Tensor op, as (function, input shapes, positive inputs?); composed with itself or a product
#: where the op alone is linear, so that its backward's own backward is exercised.
TENSOR_OPS = {
    "add": (lambda a, b: (a + b) * (a + b), [(2, 3), (3,)], False),
    "sub": (lambda a, b: (a - b) * a, [(2, 3), (2, 1)], False),
    "mul": (lambda a, b: a * b * a, [(2, 3), (3,)], False),
    "div": (lambda a, b: a / b, [(3,), (3,)], True),
    "pow": (lambda a, b: a**b, [(3,), (3,)], True),
    "pow const": (lambda a: a**3.0, [(4,)], False),
    "neg": (lambda a: -(a * a), [(3,)], False),
    "matmul": (lambda a, b: (a @ b) * (a @ b), [(2, 3), (3, 4)], False),
    "vector matmul": (lambda a, b: (a @ b).tanh(), [(3,), (2, 3, 4)], False),
    "sum": (lambda a: (a * a).sum(axis=0) ** 2, [(2, 3)], False),
    "mean": (lambda a: (a * a).mean(axis=1, keepdims=True) * a, [(2, 3)], False),
    "max": (lambda a: a.exp().max(axis=1) ** 2, [(2, 3)], False),
    "reshape": (lambda a: a.reshape(3, 2).tanh(), [(2, 3)], False),
    "transpose": (lambda a: a.transpose(1, 0).exp(), [(2, 3)], False),
    "broadcast_to": (lambda a: a.broadcast_to((2, 3)).sigmoid(), [(3,)], False),
    "index": (lambda a: (a * a)[[0, 0, 1]], [(2, 3)], False),
    "masked_fill": (lambda a: a.exp().masked_fill(np.array([True, False, False]), 0.0), [(3,)], False),
    "exp": (lambda a: a.exp(), [(4,)], False),
    "log": (lambda a: a.log(), [(4,)], True),
    "relu": (lambda a: a.relu() * a, [(5,)], False),
    "sigmoid": (lambda a: a.sigmoid(), [(4,)], False),
    "tanh": (lambda a: a.tanh(), [(4,)], False),
    "hardtanh": (lambda a: a.hardtanh() * a, [(5,)], False),
    "softmax": (lambda a: a.softmax(axis=1), [(2, 3)], False),
    "log_softmax": (lambda a: a.log_softmax(axis=0), [(2, 3)], False),
    "linear": (lambda x, w, b: linear(x, w, b).tanh(), [(4, 3), (2, 3), (2,)], False),
    "cross_entropy": (lambda x: softmax_cross_entropy(x, np.eye(3)[[0, 2]]), [(2, 3)], False),
}


KINKS = {"relu": (0.0,), "hardtanh": (-1.0, 1.0)}  # finite differences across a kink see no derivative


@pytest.mark.parametrize("name", sorted(TENSOR_OPS))
@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_every_tensor_ops_second_derivative_matches_central_differences(name, data):
    fn, shapes, positive = TENSOR_OPS[name]
    elements = positive_values(0.5, 2.0) if positive else values(-2.0, 2.0, avoid=KINKS.get(name, ()))
    inputs = [data.draw(arrays(shape, elements)) for shape in shapes]
    if name == "max":  # nor across a tie of the maximum
        assume(np.all(np.abs(np.diff(np.sort(inputs[0], axis=1), axis=1)) > 1e-3))
    assert gradgradcheck(fn, inputs)


VALUE_OPS = {
    "add mul": lambda a, b: (a + b) * (a * b),
    "sub div": lambda a, b: (a - b) / (b * b + 1.0),
    "pow const": lambda a, b: a**3 + b**-2,
    "pow": lambda a, b: (a * a + 1.0) ** b,
    "rpow": lambda a, b: 2.0 ** (a * b),
    "exp log": lambda a, b: a.exp() * (b * b + 1.0).log(),
    "tanh sigmoid": lambda a, b: a.tanh() * b.sigmoid(),
    "relu": lambda a, b: (a * b).relu() * a,
    "neg": lambda a, b: -(a * a * b),
}


@pytest.mark.parametrize("name", sorted(VALUE_OPS))
@given(a=values(-2.0, 2.0), b=positive_values(0.5, 2.0))
@settings(max_examples=15, deadline=None)
def test_every_value_ops_second_derivative_matches_central_differences(name, a, b):
    assume(abs(a * b) > 1e-3)  # relu's kink
    assert gradgradcheck(VALUE_OPS[name], [float(a), float(b)])


def test_gradgradcheck_catches_a_backward_that_cannot_be_differentiated_correctly():
    def exp_with_constant_backward(x):  # right first derivative, but it treats eˣ as a constant
        out = np.exp(x.data)
        return Tensor._from_op(out, (x,), lambda g, node: (g * Tensor(out),), "bad_exp")

    with pytest.raises(GradcheckError, match="gradient of input 0"):
        gradgradcheck(exp_with_constant_backward, [np.array([0.1, 0.5])])


def test_third_derivative_of_a_scalar_by_grad_three_times():
    x = Value(0.7)
    (d1,) = grad(x**4, [x], create_graph=True)
    (d2,) = grad(d1, [x], create_graph=True)
    (d3,) = grad(d2, [x])
    assert (d1.data, d2.data, d3.data) == pytest.approx((4 * 0.7**3, 12 * 0.7**2, 24 * 0.7))


def test_value_backward_with_create_graph_makes_grads_values_that_differentiate_again():
    x = Value(1.5)
    (x * x.tanh()).backward(create_graph=True)
    first = x.grad
    assert isinstance(first, Value)
    x.grad = 0.0
    first.backward()
    t = np.tanh(1.5)
    assert x.grad == pytest.approx(2 * (1 - t * t) - 2 * 1.5 * t * (1 - t * t))


def test_tensor_backward_with_create_graph_gives_tensor_grads_and_retains_the_graph():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = (x**3).sum()
    y.backward(create_graph=True)
    assert isinstance(x.grad, Tensor) and x.grad.requires_grad
    np.testing.assert_allclose(x.grad.data, 3 * x.data**2)
    (hessian_diagonal,) = grad(x.grad.sum(), [x])
    np.testing.assert_allclose(hessian_diagonal.data, 6 * x.data)


def test_create_graph_under_no_grad_names_the_conflict():
    x = Tensor(np.array([1.0]), requires_grad=True)
    y = (x * x).sum()
    with no_grad(), pytest.raises(RuntimeError, match="create_graph=True inside no_grad"):
        y.backward(create_graph=True)


def test_grad_of_an_unused_input_names_allow_unused():
    x, unused = Tensor(np.ones(2), requires_grad=True), Tensor(np.ones(2), requires_grad=True)
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        grad((x * x).sum(), [x, unused])
    gx, gu = grad((x * x).sum(), [x, unused], allow_unused=True)
    assert gu is None and np.allclose(gx.data, 2.0)


def test_grad_leaves_every_grad_untouched():
    x = Tensor(np.array([1.0, 3.0]), requires_grad=True)
    (gx,) = grad((x * x).sum(), x)
    assert x.grad is None and np.allclose(gx.data, [2.0, 6.0])


def test_grad_refuses_inputs_that_need_no_gradient_and_mixed_engines():
    x = Tensor(np.ones(2), requires_grad=True)
    with pytest.raises(RuntimeError, match="input 0 does not require grad"):
        grad((x * x).sum(), [Tensor(np.ones(2))])
    with pytest.raises(TypeError, match="all be Tensors or all Values"):
        grad((x * x).sum(), [Value(1.0)])


def test_a_numpy_backward_works_once_and_refuses_create_graph_by_name():
    def cube(x):  # the lessons' first form of an op: backward(g) on arrays
        return Tensor._from_op(x.data**3, (x,), lambda g: (3 * x.data**2 * g,), "cube")

    x = Tensor(np.array([2.0]), requires_grad=True)
    cube(x).sum().backward()
    assert x.grad.tolist() == [12.0]
    with pytest.raises(RuntimeError, match="op 'cube' has a backward.g. written on numpy"):
        grad(cube(x).sum(), x, create_graph=True)


def test_hessian_vector_product_of_the_report_mlp_agrees_with_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    mlp = nn.MLP([784, 600, 400, 10], dtype="float64", seed=0)
    x, labels = rng.uniform(0, 1, size=(32, 784)), rng.integers(0, 10, size=32)
    params = mlp.parameters()
    vs = [rng.normal(size=p.shape) for p in params]

    grads = grad(nn.cross_entropy(mlp(Tensor(x)), labels), params, create_graph=True)
    ours = grad(sum((g * v).sum() for g, v in zip(grads, vs)), params)

    weights = [torch.tensor(p.data, requires_grad=True) for p in params]
    h = torch.tensor(x)
    for k in range(0, len(weights), 2):
        h = torch.nn.functional.linear(h, weights[k], weights[k + 1])
        h = h.relu() if k + 2 < len(weights) else h
    loss = torch.nn.functional.cross_entropy(h, torch.from_numpy(labels))
    first = torch.autograd.grad(loss, weights, create_graph=True)
    theirs = torch.autograd.grad(sum((g * torch.from_numpy(v)).sum() for g, v in zip(first, vs)), weights)
    for ours_k, theirs_k in zip(ours, theirs):
        relative = np.linalg.norm(ours_k.data - theirs_k.numpy()) / np.linalg.norm(theirs_k.numpy())
        assert relative < 1e-10, relative
