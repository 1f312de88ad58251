"""Proof that the grader bites: planted wrong solutions, the mistakes learners really make.

Each entry replaces one function of a solved workspace with a wrong version and asserts that the
exercise fails, on the property the mistake breaks, and that the printed feedback names it.
"""

import ast
import json
import resource
import signal
import textwrap

import pytest

from tinygrad_edu.course import feedback, runner, worker
from tinygrad_edu.course.exercises import BY_NAME, EXERCISES
from tinygrad_edu.course.grading import Outcome
from tinygrad_edu.course.workspace import solution_source

# (exercise, what the learner did, the property that must fail, the wrong function)
MISTAKES = [
    (
        "add",
        "copied mul's derivatives",
        "the local derivatives equal central differences",
        """
def add(a, b):
    return a + b, (b, a)
""",
    ),
    (
        "mul",
        "swapped the two derivatives",
        "the local derivatives equal central differences",
        """
def mul(a, b):
    return a * b, (a, b)
""",
    ),
    (
        "power",
        "forgot the −1 in n·aⁿ⁻¹",
        "the local derivative equals central differences",
        """
def power(a, n):
    return a**n, (n * a**n,)
""",
    ),
    (
        "exp",
        "applied the power rule to eᵃ",
        "the local derivatives equal central differences",
        """
def exp(a):
    import math
    return math.exp(a), (a * math.exp(a - 1),)
""",
    ),
    (
        "log",
        "wrong sign",
        "the local derivatives equal central differences",
        """
def log(a):
    import math
    return math.log(a), (-1.0 / a,)
""",
    ),
    (
        "log",
        "base-10 logarithm",
        "out is the op's value",
        """
def log(a):
    import math
    return math.log10(a), (1.0 / a,)
""",
    ),
    (
        "tanh",
        "1 − tanh instead of 1 − tanh²",
        "the local derivatives equal central differences",
        """
def tanh(a):
    import math
    out = math.tanh(a)
    return out, (1.0 - out,)
""",
    ),
    (
        "tanh",
        "squared the input, not the output",
        "the local derivatives equal central differences",
        """
def tanh(a):
    import math
    return math.tanh(a), (1.0 - a * a,)
""",
    ),
    (
        "sigmoid",
        "the textbook formula, which overflows",
        "no overflow for large |a| (up to 1000)",
        """
def sigmoid(a):
    import math
    out = 1.0 / (1.0 + math.exp(-a))
    return out, (out * (1.0 - out),)
""",
    ),
    (
        "sigmoid",
        "σ(1 + σ) instead of σ(1 − σ)",
        "the local derivatives equal central differences",
        """
def sigmoid(a):
    import math
    out = math.exp(min(a, 0.0)) / (1.0 + math.exp(-abs(a)))
    return out, (out * (1.0 + out),)
""",
    ),
    (
        "relu",
        "the kink on the wrong side (a >= 0)",
        "relu'(0) is 0, the slope of the flat side",
        """
def relu(a):
    if a >= 0:
        return a, (1.0,)
    return 0.0, (0.0,)
""",
    ),
    (
        "relu",
        "a derivative of 1 everywhere",
        "the local derivatives equal central differences",
        """
def relu(a):
    return max(a, 0.0), (1.0,)
""",
    ),
    (
        "topological_order",
        "visits a shared node once per path",
        "each node the root depends on appears exactly once",
        """
def topological_order(root):
    order = []
    def visit(node):
        for parent in node._parents:
            visit(parent)
        order.append(node)
    visit(root)
    return order
""",
    ),
    (
        "topological_order",
        "recursion: fine on small graphs only",
        "works on a graph 20,000 nodes deep (no recursion)",
        """
def topological_order(root):
    order, seen = [], set()
    def visit(node):
        if id(node) in seen:
            return
        seen.add(id(node))
        for parent in node._parents:
            visit(parent)
        order.append(node)
    visit(root)
    return order
""",
    ),
    (
        "topological_order",
        "breadth-first order, reversed",
        "every node comes after its parents",
        """
def topological_order(root):
    order, seen, queue = [], {id(root)}, [root]
    while queue:
        node = queue.pop(0)
        order.append(node)
        for parent in node._parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                queue.append(parent)
    return order[::-1]
""",
    ),
    (
        "backward",
        "`=` instead of `+=`",
        "the leaves' gradients equal central differences",
        """
def backward(root):
    order = topological_order(root)
    for node in order:
        if node._parents:
            node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent, local_grad in zip(node._parents, node._local_grads):
            parent.grad = local_grad * node.grad
""",
    ),
    (
        "backward",
        "recursion along every path: double-counts shared nodes",
        "the leaves' gradients equal central differences",
        """
def backward(root):
    root.grad = 1.0
    def push(node):
        for parent, local_grad in zip(node._parents, node._local_grads):
            parent.grad += local_grad * node.grad
            push(parent)
    push(root)
""",
    ),
    (
        "backward",
        "resets the leaves too",
        "a second call adds the gradients to the leaves once more",
        """
def backward(root):
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent, local_grad in zip(node._parents, node._local_grads):
            parent.grad += local_grad * node.grad
""",
    ),
    (
        "backward",
        "never resets the inner nodes",
        "a second call adds the gradients to the leaves once more",
        """
def backward(root):
    order = topological_order(root)
    root.grad = 1.0
    for node in reversed(order):
        for parent, local_grad in zip(node._parents, node._local_grads):
            parent.grad += local_grad * node.grad
""",
    ),
    (
        "central_difference",
        "forward instead of central difference",
        "exact on a quadratic, up to rounding (no O(eps) error)",
        """
def central_difference(f, x, eps=1e-6):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    f_x = float(f(x))
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + eps
        grad[i] = (float(f(x)) - f_x) / eps
        x[i] = original
    return grad
""",
    ),
    (
        "central_difference",
        "divides by eps, not 2·eps",
        "exact on a quadratic, up to rounding (no O(eps) error)",
        """
def central_difference(f, x, eps=1e-6):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + eps
        f_plus = float(f(x))
        x[i] = original - eps
        grad[i] = (f_plus - float(f(x))) / eps
        x[i] = original
    return grad
""",
    ),
    (
        "central_difference",
        "nudges x in place and never puts it back",
        "leaves x unchanged",
        """
def central_difference(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += eps
        f_plus = float(f(x))
        x[i] -= 2 * eps
        grad[i] = (f_plus - float(f(x))) / (2 * eps)
    return grad
""",
    ),
    (
        "central_difference",
        "returns a flat array",
        "returns an array of x's shape",
        """
def central_difference(f, x, eps=1e-6):
    x = np.array(x, dtype=np.float64)
    flat = x.reshape(-1)
    grad = []
    for i in range(flat.size):
        flat[i] += eps
        f_plus = float(f(x))
        flat[i] -= 2 * eps
        grad.append((f_plus - float(f(x))) / (2 * eps))
        flat[i] += eps
    return np.array(grad)
""",
    ),
    (
        "unbroadcast",
        "missing unbroadcast: passes the gradient through",
        "returns an array of the input's shape",
        """
def unbroadcast(grad, shape):
    return grad
""",
    ),
    (
        "unbroadcast",
        "sums the added leading axes only",
        "returns an array of the input's shape",
        """
def unbroadcast(grad, shape):
    extra = grad.ndim - len(shape)
    return grad.sum(axis=tuple(range(extra))) if extra else grad
""",
    ),
    (
        "unbroadcast",
        "averages instead of summing",
        "equals central differences of Σ grad ⊙ broadcast(x)",
        """
def unbroadcast(grad, shape):
    extra = grad.ndim - len(shape)
    summed = grad.mean(axis=tuple(range(extra))) if extra else grad
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and summed.shape[i] != 1)
    if stretched:
        summed = summed.mean(axis=stretched, keepdims=True)
    return summed.reshape(shape)
""",
    ),
    (
        "matmul_backward",
        "dw transposed",
        "dx and dw have the shapes of x and w",
        """
def matmul_backward(x, w, g):
    return g @ w.T, g.T @ x
""",
    ),
    (
        "matmul_backward",
        "forgot to transpose w",
        "dx and dw have the shapes of x and w",
        """
def matmul_backward(x, w, g):
    return g @ w, x.T @ g
""",
    ),
    (
        "sum_backward",
        "ignores keepdims: broadcasts g as it is",
        "returns dx of x's shape",
        """
def sum_backward(x_shape, g, axis, keepdims):
    return np.broadcast_to(g, x_shape).copy()
""",
    ),
    (
        "sum_backward",
        "spreads the total of g everywhere",
        "dx equals central differences",
        """
def sum_backward(x_shape, g, axis, keepdims):
    return np.full(x_shape, np.sum(g))
""",
    ),
    (
        "mean_backward",
        "missing the 1/n",
        "dx equals central differences",
        """
def mean_backward(x_shape, g, axis, keepdims):
    return sum_backward(x_shape, g, axis, keepdims)
""",
    ),
    (
        "mean_backward",
        "divides by the size of x, not of the averaged axes",
        "dx equals central differences",
        """
def mean_backward(x_shape, g, axis, keepdims):
    return sum_backward(x_shape, g, axis, keepdims) / int(np.prod(x_shape))
""",
    ),
    (
        "max_backward",
        "the whole gradient to every tied maximum",
        "with ties, dx goes to the maxima only and sums to g",
        """
def max_backward(x, g, axis, keepdims):
    is_max = x == x.max(axis=axis, keepdims=True)
    return sum_backward(x.shape, g, axis, keepdims) * is_max
""",
    ),
    (
        "max_backward",
        "g to every entry, like sum",
        "dx equals central differences",
        """
def max_backward(x, g, axis, keepdims):
    return sum_backward(x.shape, g, axis, keepdims)
""",
    ),
    (
        "linear_backward",
        "dweight transposed",
        "dx, dweight, dbias have the shapes of x, weight, bias",
        """
def linear_backward(x, weight, g):
    return g @ weight, x.T @ g, g.sum(axis=0)
""",
    ),
    (
        "linear_backward",
        "dbias summed over the wrong axis",
        "dx, dweight, dbias have the shapes of x, weight, bias",
        """
def linear_backward(x, weight, g):
    return g @ weight, g.T @ x, g.sum(axis=1)
""",
    ),
    (
        "linear_backward",
        "dbias averaged instead of summed",
        "dbias equals central differences",
        """
def linear_backward(x, weight, g):
    return g @ weight, g.T @ x, g.mean(axis=0)
""",
    ),
    (
        "softmax_cross_entropy",
        "softmax without the max shift: overflows",
        "stays finite and right for logits up to ±1000 (shift by the max)",
        """
def softmax_cross_entropy(logits, y):
    e = np.exp(logits)
    probs = e / e.sum(axis=1, keepdims=True)
    n = logits.shape[0]
    return -float(np.sum(y * np.log(probs))) / n, (probs - y) / n
""",
    ),
    (
        "softmax_cross_entropy",
        "a summed loss, not the mean",
        "the loss is the mean cross-entropy of the softmax",
        """
def softmax_cross_entropy(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -float(np.sum(y * log_probs)), (np.exp(log_probs) - y) / logits.shape[0]
""",
    ),
    (
        "softmax_cross_entropy",
        "ŷ − y without the 1/N",
        "dlogits equals central differences of the loss",
        """
def softmax_cross_entropy(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -float(np.sum(y * log_probs)) / logits.shape[0], np.exp(log_probs) - y
""",
    ),
    (
        "softmax_cross_entropy",
        "y − ŷ: the wrong sign",
        "dlogits equals central differences of the loss",
        """
def softmax_cross_entropy(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = logits.shape[0]
    return -float(np.sum(y * log_probs)) / n, (y - np.exp(log_probs)) / n
""",
    ),
    (
        "back_propagate",
        "missing the 1/m",
        "the gradients are batch means: repeating the batch changes nothing (the 1/m)",
        """
def back_propagate(params, cache, y):
    n_layers = len(params) // 2
    grads = {}
    dZ = cache[f"A{n_layers}"] - y.T
    for k in range(n_layers, 0, -1):
        grads[f"W{k}"] = dZ @ cache[f"A{k - 1}"].T
        grads[f"b{k}"] = dZ.sum(axis=1, keepdims=True)
        if k > 1:
            dZ = (params[f"W{k}"].T @ dZ) * (cache[f"Z{k - 1}"] > 0)
    return grads
""",
    ),
    (
        "back_propagate",
        "the report's fixed two hidden layers",
        "one gradient per parameter, of its shape",
        """
def back_propagate(params, cache, y):
    m = y.shape[0]
    dZ3 = (cache["A3"] - y.T) / m
    dZ2 = (params["W3"].T @ dZ3) * (cache["Z2"] > 0)
    dZ1 = (params["W2"].T @ dZ2) * (cache["Z1"] > 0)
    return {"W3": dZ3 @ cache["A2"].T, "b3": dZ3.sum(axis=1, keepdims=True),
            "W2": dZ2 @ cache["A1"].T, "b2": dZ2.sum(axis=1, keepdims=True),
            "W1": dZ1 @ cache["A0"].T, "b1": dZ1.sum(axis=1, keepdims=True)}
""",
    ),
    (
        "back_propagate",
        "forgot the activation's derivative",
        "the gradients equal central differences, depth 1 to 4",
        """
def back_propagate(params, cache, y):
    n_layers = len(params) // 2
    grads = {}
    dZ = (cache[f"A{n_layers}"] - y.T) / y.shape[0]
    for k in range(n_layers, 0, -1):
        grads[f"W{k}"] = dZ @ cache[f"A{k - 1}"].T
        grads[f"b{k}"] = dZ.sum(axis=1, keepdims=True)
        dZ = params[f"W{k}"].T @ dZ
    return grads
""",
    ),
    (
        "back_propagate",
        "dW transposed",
        "one gradient per parameter, of its shape",
        """
def back_propagate(params, cache, y):
    n_layers = len(params) // 2
    grads = {}
    dZ = (cache[f"A{n_layers}"] - y.T) / y.shape[0]
    for k in range(n_layers, 0, -1):
        grads[f"W{k}"] = cache[f"A{k - 1}"] @ dZ.T
        grads[f"b{k}"] = dZ.sum(axis=1, keepdims=True)
        if k > 1:
            dZ = (params[f"W{k}"].T @ dZ) * (cache[f"Z{k - 1}"] > 0)
    return grads
""",
    ),
    (
        "to_report_layout",
        "kept the bias flat",
        "W_k (n_k, n_{k-1}) and b_k (n_k, 1) for every layer",
        """
def to_report_layout(pairs):
    params = {}
    for k, (weight, bias) in enumerate(pairs, start=1):
        params[f"W{k}"], params[f"b{k}"] = weight.copy(), bias.copy()
    return params
""",
    ),
    (
        "to_report_layout",
        "transposed the weight",
        "W_k (n_k, n_{k-1}) and b_k (n_k, 1) for every layer",
        """
def to_report_layout(pairs):
    params = {}
    for k, (weight, bias) in enumerate(pairs, start=1):
        params[f"W{k}"], params[f"b{k}"] = weight.T.copy(), bias.reshape(-1, 1).copy()
    return params
""",
    ),
    (
        "to_report_layout",
        "views of the pairs, not copies",
        "returns new arrays: changing them leaves the pairs alone",
        """
def to_report_layout(pairs):
    params = {}
    for k, (weight, bias) in enumerate(pairs, start=1):
        params[f"W{k}"], params[f"b{k}"] = weight, bias.reshape(-1, 1)
    return params
""",
    ),
    (
        "tensor_engine_gradients",
        "forgot the ReLU between layers",
        "equal central differences of the batch-mean cross-entropy",
        """
def tensor_engine_gradients(pairs, x, labels):
    tensors = [(Tensor(w, requires_grad=True), Tensor(b, requires_grad=True)) for w, b in pairs]
    h = Tensor(x, dtype=np.float64)
    for weight, bias in tensors:
        h = linear(h, weight, bias)
    nn.cross_entropy(h, labels).backward()
    return [(weight.grad, bias.grad) for weight, bias in tensors]
""",
    ),
    (
        "tensor_engine_gradients",
        "biases without requires_grad",
        "one (dweight, dbias) per layer, in the pairs' layout",
        """
def tensor_engine_gradients(pairs, x, labels):
    tensors = [(Tensor(w, requires_grad=True), Tensor(b)) for w, b in pairs]
    h = Tensor(x, dtype=np.float64)
    for k, (weight, bias) in enumerate(tensors):
        h = linear(h, weight, bias)
        if k < len(tensors) - 1:
            h = h.relu()
    nn.cross_entropy(h, labels).backward()
    return [(weight.grad, bias.grad) for weight, bias in tensors]
""",
    ),
    (
        "tensor_engine_gradients",
        "a summed loss instead of the batch mean",
        "equal central differences of the batch-mean cross-entropy",
        """
def tensor_engine_gradients(pairs, x, labels):
    tensors = [(Tensor(w, requires_grad=True), Tensor(b, requires_grad=True)) for w, b in pairs]
    h = Tensor(x, dtype=np.float64)
    for k, (weight, bias) in enumerate(tensors):
        h = linear(h, weight, bias)
        if k < len(tensors) - 1:
            h = h.relu()
    (nn.cross_entropy(h, labels) * len(x)).backward()
    return [(weight.grad, bias.grad) for weight, bias in tensors]
""",
    ),
    (
        "minibatches",
        "drops the last, smaller batch",
        "every example exactly once per epoch",
        """
def minibatches(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[start : start + batch_size] for start in range(0, n - batch_size + 1, batch_size)]
""",
    ),
    (
        "minibatches",
        "draws examples with replacement",
        "every example exactly once per epoch",
        """
def minibatches(n, batch_size, rng):
    order = rng.integers(0, n, size=n)
    return [order[start : start + batch_size] for start in range(0, n, batch_size)]
""",
    ),
    (
        "minibatches",
        "never shuffles",
        "shuffled by rng: same seed, same order; another seed, another",
        """
def minibatches(n, batch_size, rng):
    import numpy as np
    order = np.arange(n)
    return [order[start : start + batch_size] for start in range(0, n, batch_size)]
""",
    ),
    (
        "minibatches",
        "shuffles with numpy's global generator, not rng",
        "shuffled by rng: same seed, same order; another seed, another",
        """
def minibatches(n, batch_size, rng):
    import numpy as np
    order = np.random.permutation(n)
    return [order[start : start + batch_size] for start in range(0, n, batch_size)]
""",
    ),
    (
        "momentum_step",
        "the report's printed sign typo",
        "a step from v = 0 goes downhill on a quadratic bowl",
        """
def momentum_step(w, v, g, lr, beta):
    v = beta * v - (1 - beta) * g
    return w - lr * v, v
""",
    ),
    (
        "momentum_step",
        "forgot the (1 − β)",
        "a constant gradient g gives v = (1 − βᵗ)·g after t steps",
        """
def momentum_step(w, v, g, lr, beta):
    v = beta * v + g
    return w - lr * v, v
""",
    ),
    (
        "momentum_step",
        "moves w with the old velocity",
        "a step from v = 0 goes downhill on a quadratic bowl",
        """
def momentum_step(w, v, g, lr, beta):
    new_w = w - lr * v
    return new_w, beta * v + (1 - beta) * g
""",
    ),
]


def replace_function(source, name, new_function):
    """`source` with its top-level function `name` replaced by the text `new_function`."""
    lines = source.splitlines(keepends=True)
    (function,) = [n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name == name]
    lines[function.lineno - 1 : function.end_lineno] = [textwrap.dedent(new_function).strip() + "\n"]
    return "".join(lines)


def test_every_exercise_has_a_planted_mistake():
    assert {name for name, *_ in MISTAKES} == {e.name for e in EXERCISES}


@pytest.mark.parametrize(
    "name, mistake, broken_property, code", MISTAKES, ids=[f"{m[0]}: {m[1]}" for m in MISTAKES]
)
def test_planted_mistake_fails_its_property(tmp_path, name, mistake, broken_property, code):
    part = BY_NAME[name].part
    (tmp_path / f"{part}.py").write_text(
        replace_function(solution_source(part), name, code), encoding="utf-8"
    )
    outcome = worker.grade(tmp_path, name)
    assert outcome.status == "failed", f"{mistake!r} was graded {outcome.status}"
    assert outcome.property == broken_property
    printed = "\n".join(feedback.format_outcome(outcome))
    assert broken_property in " ".join(line.strip() for line in printed.splitlines())
    assert outcome.example or outcome.property.startswith(("relu'", "works on")), "no failing input shown"


# ---- learner code that misbehaves beyond a wrong answer: short, named feedback, and grading goes on ----
def grade_add(tmp_path, code):
    """Grade exercise `add` with `code` in place of the solution's add; (Outcome, printed feedback)."""
    part = BY_NAME["add"].part
    source = replace_function(solution_source(part), "add", code)
    (tmp_path / f"{part}.py").write_text(source, encoding="utf-8")
    outcome = worker.grade(tmp_path, "add")
    return outcome, "\n".join(feedback.format_outcome(outcome))


def test_sys_exit_in_the_learners_function_is_named_and_points_at_the_line(tmp_path):
    outcome, printed = grade_add(tmp_path, "def add(a, b):\n    import sys\n    sys.exit(3)\n")
    assert outcome.status == "failed"
    assert "your code called sys.exit(3)" in outcome.error and "return a value instead" in outcome.error
    assert "lesson1_local_derivatives.py, line" in outcome.error


def test_sys_exit_while_the_file_loads_is_named(tmp_path):
    part = BY_NAME["add"].part
    (tmp_path / f"{part}.py").write_text(solution_source(part) + "\nraise SystemExit\n", encoding="utf-8")
    outcome = worker.grade(tmp_path, "add")
    assert outcome.status == "failed"
    assert "while the file loads, your code called sys.exit()" in outcome.error


def test_a_keyboard_interrupt_raised_by_the_learners_code_is_a_failure_not_a_stop(tmp_path):
    outcome, _ = grade_add(tmp_path, "def add(a, b):\n    raise KeyboardInterrupt\n")
    assert outcome.status == "failed" and "your code raised KeyboardInterrupt" in outcome.error


def test_an_exception_message_of_megabytes_is_clipped_with_a_note(tmp_path):
    outcome, printed = grade_add(tmp_path, "def add(a, b):\n    raise ValueError('x' * 3_000_000)\n")
    assert outcome.status == "failed" and len(printed) < 2000
    assert "(2,999,500 more characters cut)" in " ".join(printed.split())


def test_megabytes_of_printed_output_are_kept_clipped_and_shown_with_a_failure(tmp_path, capsys):
    code = "def add(a, b):\n    print('y' * 1_000_000)\n    return a + b, (1.0, 0.0)\n"
    outcome, printed = grade_add(tmp_path, code)
    assert outcome.status == "failed" and len(outcome.output) < 2200
    assert "characters in all: the first 2,000 are kept, the rest cut" in outcome.output
    assert "your code printed:" in printed and len(printed) < 2000
    assert "yyyy" not in capsys.readouterr().out  # none of it reached the grader's own output


def test_a_returned_value_of_a_million_items_is_shown_short(tmp_path):
    outcome, printed = grade_add(tmp_path, "def add(a, b):\n    return a + b, [1.0] * 1_000_000\n")
    assert outcome.status == "failed" and "more characters cut" in outcome.got and len(printed) < 1500


@pytest.fixture
def worker_in_this_process():
    """Put back what `worker.main` sets for its own process: the CPU-time limit and its signal handlers.

    Left in place, the limit (10 s more than now) would end this pytest process, and every child it
    starts, by SIGXCPU a few tests later: exit 124, seemingly at random.
    """
    limit = resource.getrlimit(resource.RLIMIT_CPU)
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGXCPU, signal.SIGINT)}
    yield worker.main
    resource.setrlimit(resource.RLIMIT_CPU, limit)
    for signum, handler in handlers.items():
        signal.signal(signum, handler)


def test_a_grader_file_the_learners_code_deletes_is_put_back_and_the_worker_restarts(
    tmp_path, worker_in_this_process
):
    package = tmp_path / "package"
    (package / "checks").mkdir(parents=True)
    check = package / "checks" / "lesson1.py"
    check.write_text("PROPERTIES = {}\n", encoding="utf-8")
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    part = BY_NAME["add"].part
    code = f"def add(a, b):\n    import os\n    os.remove({str(check)!r})\n    return a + b, (1.0, 1.0)\n"
    source = replace_function(solution_source(part), "add", code)
    (workspace / f"{part}.py").write_text(source, encoding="utf-8")
    results = tmp_path / "results.jsonl"
    with pytest.raises(SystemExit) as stop:
        worker_in_this_process([str(workspace), str(results), "10", "add", "mul"], package=package)
    assert stop.value.code == runner.RESTART
    assert check.read_text(encoding="utf-8") == "PROPERTIES = {}\n"
    (line,) = results.read_text(encoding="utf-8").splitlines()  # mul is left to a fresh worker
    outcome = Outcome(**json.loads(line))
    assert outcome.status == "failed"
    assert "deleted or changed the grader's files (checks/lesson1.py)" in outcome.error
