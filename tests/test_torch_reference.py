"""PyTorch as a referee: random programs over every public Tensor op, run in both libraries.

Hypothesis builds a program step by step: each step applies one op to nodes
built before it (so a node is often used twice: shared subexpressions), to new
leaves, or to constants (numbers, numpy scalars and arrays, on either side of
the operator, broadcast). While it builds, it looks at the values, so that
every op stays inside its domain (log of positives, division away from 0, exp
of moderate inputs). The program then runs in tinygrad_edu and in PyTorch:

* in float64: every node's value and every gradient (each leaf's, and each
  intermediate's, all retained) must agree to ~1e-9 relative;
* in float32: every node and every gradient must have PyTorch's dtype.

Deliberate differences, left out of the programs (the docstrings say why):
a reduction over an empty tuple of axes (numpy: no reduction; PyTorch: all
axes), an axis of a 0-d tensor (numpy: none; PyTorch: axis 0 or -1), and
slices with a negative step (PyTorch has none); `prod` of all elements with
keepdims is compared with PyTorch's reshaped (its full product takes no
keepdim). var, std, prod and cumsum are drawn with PyTorch's spellings (dim=,
keepdim=, correction=), in both referees. `max` is compared with
`torch.amax`, whose gradient splits evenly between ties, as ours does
(`torch.max(x, dim)` gives it all to one index).

The elementwise ops of ops/elementwise.py keep their domains too: sqrt, rsqrt
and log2 on positives (of sigmoid(x) if x is not), exp2 of moderate inputs;
abs and sign at 0, clamp's bounds (either may be None, min > max allowed) and
maximum/minimum's ties are drawn on purpose, where both libraries pass on the
same subgradient. The comparisons (ops/comparison.py) are the source of
where's condition (`where(x > c, x, y)`, any of the six operators) and of a
mask product `(x > c) * y`, a bool tensor taken as a number.

conv2d, max_pool2d and avg_pool2d see a node as a one-image batch (1, C, H, W),
its last three axes; conv2d takes new weight and bias leaves (or no bias);
stride, padding, dilation and groups are drawn, then a kernel that fits; the
result is viewed back as (C', H', W'). The tie-prone draws make ties in
max_pool2d's windows common: the first element gets the gradient, in both.
"""

import operator

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinygrad_edu import Tensor, cat, grad, nn, stack, where
from tinygrad_edu.nn.functional import avg_pool2d, batch_norm, conv2d, layer_norm, linear, max_pool2d

N_PROGRAMS = 400  # ~15 s on an idle 2-core machine, with the float32 replays
MAX_STEPS = 8
RTOL = 1e-9

# ---------------------------------------------------------------------------
# The two engines behind one interface: a program names its ops, each engine runs them
# ---------------------------------------------------------------------------


class Ours:
    """tinygrad_edu. Constants stay numpy (float64 arrays and scalars): the Tensor takes them in its dtype."""

    def __init__(self, dtype):
        self.dtype = dtype

    def leaf(self, array):
        return Tensor(array, requires_grad=True, dtype=self.dtype)

    def const(self, value):
        return value

    def index(self, value):
        return value

    sum = staticmethod(lambda x, axis, keepdims: x.sum(axis=axis, keepdims=keepdims))
    mean = staticmethod(lambda x, axis, keepdims: x.mean(axis=axis, keepdims=keepdims))
    max = staticmethod(lambda x, axis, keepdims: x.max(axis=axis, keepdims=keepdims))
    transpose = staticmethod(lambda x, axes: x.transpose(*axes))
    T = staticmethod(lambda x: x.T)
    hardtanh = staticmethod(lambda x, low, high: x.hardtanh(low, high))
    leaky_relu = staticmethod(lambda x, slope: x.leaky_relu(slope))
    elu = staticmethod(lambda x, alpha: x.elu(alpha))
    gelu = staticmethod(lambda x, approximate: x.gelu(approximate))
    softplus = staticmethod(lambda x, beta, threshold: x.softplus(beta, threshold))
    silu = staticmethod(lambda x: x.silu())
    logsigmoid = staticmethod(lambda x: x.logsigmoid())
    relu6 = staticmethod(lambda x: x.relu6())
    softmax = staticmethod(lambda x, axis: x.softmax(axis=axis))
    log_softmax = staticmethod(lambda x, axis: x.log_softmax(axis=axis))
    linear = staticmethod(linear)
    cross_entropy = staticmethod(nn.cross_entropy)
    cross_entropy_nd = staticmethod(
        lambda x, labels, reduction, smoothing: nn.cross_entropy(
            x, labels, reduction=reduction, label_smoothing=smoothing
        )
    )
    layer_norm = staticmethod(layer_norm)
    batch_norm = staticmethod(lambda x: batch_norm(x, None, None, training=True))
    cat = staticmethod(cat)
    stack = staticmethod(stack)
    # the statistics in PyTorch's spellings (dim=, keepdim=), which ours take besides numpy's
    var = staticmethod(lambda x, axis, c, keep: x.var(dim=axis, correction=c, keepdim=keep))
    std = staticmethod(lambda x, axis, c, keep: x.std(dim=axis, correction=c, keepdim=keep))
    prod = staticmethod(lambda x, dim, keepdims: x.prod(dim=dim, keepdim=keepdims))
    clamp = staticmethod(lambda x, low, high: x.clamp(low, high))
    clip = staticmethod(lambda x, low, high: x.clip(min=low, max=high))
    maximum = staticmethod(lambda x, y: x.maximum(y))
    minimum = staticmethod(lambda x, y: x.minimum(y))
    where = staticmethod(where)
    conv2d, max_pool2d, avg_pool2d = (staticmethod(f) for f in (conv2d, max_pool2d, avg_pool2d))

    @staticmethod
    def value(node):
        return node.data

    @staticmethod
    def grad(node):
        return node.grad

    @staticmethod
    def retain(node):
        return node.retain_grad() if node.requires_grad else node

    @staticmethod
    def backward(node, gradient):
        node.backward(gradient)


class Torch:
    """PyTorch. Constants become tensors of the program's dtype, numbers Python floats (PyTorch's own
    promotion rules would make a float64 array turn a float32 tensor float64; ours never do)."""

    def __init__(self, dtype):
        self.dtype = torch.float64 if dtype == np.float64 else torch.float32

    def leaf(self, array):
        return torch.tensor(array, dtype=self.dtype, requires_grad=True)

    def const(self, value):
        if isinstance(value, np.ndarray):
            return torch.tensor(value, dtype=self.dtype)
        return float(value)

    def index(self, value):
        if isinstance(value, tuple):
            return tuple(self.index(v) for v in value)
        return torch.from_numpy(value) if isinstance(value, np.ndarray) else value

    @staticmethod
    def _dims(x, axis):
        return tuple(range(x.ndim)) if axis is None else axis

    def sum(self, x, axis, keepdims):
        return x.sum(dim=self._dims(x, axis), keepdim=keepdims)

    def mean(self, x, axis, keepdims):
        return x.mean(dim=self._dims(x, axis), keepdim=keepdims)

    def max(self, x, axis, keepdims):
        return torch.amax(x, dim=self._dims(x, axis), keepdim=keepdims)

    transpose = staticmethod(lambda x, axes: x.permute(axes))
    T = staticmethod(lambda x: x.permute(tuple(reversed(range(x.ndim)))))
    hardtanh = staticmethod(lambda x, low, high: F.hardtanh(x, float(low), float(high)))
    leaky_relu = staticmethod(lambda x, slope: F.leaky_relu(x, float(slope)))
    elu = staticmethod(lambda x, alpha: F.elu(x, float(alpha)))
    gelu = staticmethod(lambda x, approximate: F.gelu(x, approximate=approximate))
    softplus = staticmethod(lambda x, beta, threshold: F.softplus(x, float(beta), float(threshold)))
    silu, logsigmoid, relu6 = staticmethod(F.silu), staticmethod(F.logsigmoid), staticmethod(F.relu6)
    softmax = staticmethod(lambda x, axis: torch.softmax(x, dim=axis))
    log_softmax = staticmethod(lambda x, axis: torch.log_softmax(x, dim=axis))
    linear = staticmethod(F.linear)
    cat = staticmethod(torch.cat)
    stack = staticmethod(torch.stack)

    @staticmethod
    def cross_entropy_nd(x, labels, reduction, smoothing):
        return F.cross_entropy(x, torch.from_numpy(labels), reduction=reduction, label_smoothing=smoothing)

    layer_norm = staticmethod(F.layer_norm)
    batch_norm = staticmethod(lambda x: F.batch_norm(x, None, None, training=True))
    conv2d, max_pool2d, avg_pool2d = (staticmethod(f) for f in (F.conv2d, F.max_pool2d, F.avg_pool2d))

    @staticmethod
    def var(x, axis, correction, keepdims):
        return x.var(dim=axis, correction=float(correction), keepdim=keepdims)

    @staticmethod
    def std(x, axis, correction, keepdims):
        return x.std(dim=axis, correction=float(correction), keepdim=keepdims)

    @staticmethod
    def prod(x, dim, keepdims):
        if dim is None:  # (PyTorch's prod of all elements takes no keepdim; ours keeps numpy's)
            return x.prod().reshape((1,) * x.ndim) if keepdims else x.prod()
        return x.prod(dim, keepdim=keepdims)

    @staticmethod
    def clamp(x, low, high):
        return x.clamp(min=None if low is None else float(low), max=None if high is None else float(high))

    clip = clamp
    maximum, minimum = staticmethod(torch.maximum), staticmethod(torch.minimum)
    where = staticmethod(torch.where)

    @staticmethod
    def cross_entropy(logits, labels):
        if labels.dtype == np.int64:
            return F.cross_entropy(logits, torch.from_numpy(labels))
        return F.cross_entropy(logits, torch.tensor(labels, dtype=logits.dtype))

    @staticmethod
    def value(node):  # (force: sign's second derivative may be a ZeroTensor, which numpy() refuses)
        return node.detach().numpy(force=True)

    @staticmethod
    def grad(node):
        return None if node.grad is None else node.grad.numpy(force=True)

    @staticmethod
    def retain(node):
        if node.requires_grad:
            node.retain_grad()
        return node

    @staticmethod
    def backward(node, gradient):
        node.backward(torch.tensor(gradient, dtype=node.dtype))


# ---------------------------------------------------------------------------
# The ops: name → function of (engine, input nodes, parameters)
# ---------------------------------------------------------------------------

OPS = {
    "leaf": lambda E, nodes, p: E.leaf(p["array"]),
    "add": lambda E, nodes, p: nodes[0] + nodes[1],
    "sub": lambda E, nodes, p: nodes[0] - nodes[1],
    "mul": lambda E, nodes, p: nodes[0] * nodes[1],
    "div": lambda E, nodes, p: nodes[0] / nodes[1],
    "pow": lambda E, nodes, p: nodes[0] ** nodes[1],
    "add const": lambda E, nodes, p: nodes[0] + E.const(p["c"]),
    "radd const": lambda E, nodes, p: E.const(p["c"]) + nodes[0],
    "sub const": lambda E, nodes, p: nodes[0] - E.const(p["c"]),
    "rsub const": lambda E, nodes, p: E.const(p["c"]) - nodes[0],
    "mul const": lambda E, nodes, p: nodes[0] * E.const(p["c"]),
    "rmul const": lambda E, nodes, p: E.const(p["c"]) * nodes[0],
    "div const": lambda E, nodes, p: nodes[0] / E.const(p["c"]),
    "rdiv const": lambda E, nodes, p: E.const(p["c"]) / nodes[0],
    "pow const": lambda E, nodes, p: nodes[0] ** E.const(p["c"]),
    "rpow const": lambda E, nodes, p: E.const(p["c"]) ** nodes[0],
    "neg": lambda E, nodes, p: -nodes[0],
    "matmul": lambda E, nodes, p: nodes[0] @ nodes[1],
    "rmatmul const": lambda E, nodes, p: E.const(p["c"]) @ nodes[0],
    "sum": lambda E, nodes, p: E.sum(nodes[0], p["axis"], p["keepdims"]),
    "mean": lambda E, nodes, p: E.mean(nodes[0], p["axis"], p["keepdims"]),
    "max": lambda E, nodes, p: E.max(nodes[0], p["axis"], p["keepdims"]),
    "reshape": lambda E, nodes, p: nodes[0].reshape(p["shape"]),
    "transpose": lambda E, nodes, p: E.transpose(nodes[0], p["axes"]),
    "T": lambda E, nodes, p: E.T(nodes[0]),
    "index": lambda E, nodes, p: nodes[0][E.index(p["index"])],
    "exp": lambda E, nodes, p: nodes[0].exp(),
    "log": lambda E, nodes, p: nodes[0].log(),
    "relu": lambda E, nodes, p: nodes[0].relu(),
    "sigmoid": lambda E, nodes, p: nodes[0].sigmoid(),
    "tanh": lambda E, nodes, p: nodes[0].tanh(),
    "hardtanh": lambda E, nodes, p: E.hardtanh(nodes[0], p["low"], p["high"]),
    "leaky_relu": lambda E, nodes, p: E.leaky_relu(nodes[0], p["slope"]),
    "elu": lambda E, nodes, p: E.elu(nodes[0], p["alpha"]),
    "gelu": lambda E, nodes, p: E.gelu(nodes[0], p["approximate"]),
    "silu": lambda E, nodes, p: E.silu(nodes[0]),
    "softplus": lambda E, nodes, p: E.softplus(nodes[0], p["beta"], p["threshold"]),
    "logsigmoid": lambda E, nodes, p: E.logsigmoid(nodes[0]),
    "relu6": lambda E, nodes, p: E.relu6(nodes[0]),
    "softmax": lambda E, nodes, p: E.softmax(nodes[0], p["axis"]),
    "log_softmax": lambda E, nodes, p: E.log_softmax(nodes[0], p["axis"]),
    "linear": lambda E, nodes, p: E.linear(*nodes),
    "cross_entropy": lambda E, nodes, p: E.cross_entropy(nodes[0], p["labels"]),
    "cross_entropy nd": lambda E, nodes, p: E.cross_entropy_nd(
        nodes[0], p["labels"], p["reduction"], p["smoothing"]
    ),
    "layer_norm": lambda E, nodes, p: E.layer_norm(nodes[0], p["shape"]),
    "batch_norm": lambda E, nodes, p: E.batch_norm(nodes[0]),
    "cat": lambda E, nodes, p: E.cat(nodes, dim=p["dim"]),
    "stack": lambda E, nodes, p: E.stack(nodes, dim=p["dim"]),
    "chunk": lambda E, nodes, p: nodes[0].chunk(p["chunks"], p["dim"])[p["piece"]],
    "squeeze": lambda E, nodes, p: nodes[0].squeeze(p["dim"]),
    "unsqueeze": lambda E, nodes, p: nodes[0].unsqueeze(p["dim"]),
    "flip": lambda E, nodes, p: nodes[0].flip(p["dims"]),
    "repeat": lambda E, nodes, p: nodes[0].repeat(p["sizes"]),
    "gather": lambda E, nodes, p: nodes[0].gather(p["dim"], E.index(p["index"])),
    "var": lambda E, nodes, p: E.var(nodes[0], p["axis"], p["correction"], p["keepdims"]),
    "std": lambda E, nodes, p: E.std(nodes[0], p["axis"], p["correction"], p["keepdims"]),
    "prod": lambda E, nodes, p: E.prod(nodes[0], p["dim"], p["keepdims"]),
    "cumsum": lambda E, nodes, p: nodes[0].cumsum(p["dim"]),
    "sqrt": lambda E, nodes, p: nodes[0].sqrt(),
    "rsqrt": lambda E, nodes, p: nodes[0].rsqrt(),
    "log2": lambda E, nodes, p: nodes[0].log2(),
    "exp2": lambda E, nodes, p: nodes[0].exp2(),
    "sin": lambda E, nodes, p: nodes[0].sin(),
    "cos": lambda E, nodes, p: nodes[0].cos(),
    "abs": lambda E, nodes, p: nodes[0].abs(),
    "sign": lambda E, nodes, p: nodes[0].sign(),
    "clamp": lambda E, nodes, p: E.clamp(nodes[0], p["low"], p["high"]),
    "clip": lambda E, nodes, p: E.clip(nodes[0], p["low"], p["high"]),
    "maximum": lambda E, nodes, p: E.maximum(nodes[0], nodes[1]),
    "minimum": lambda E, nodes, p: E.minimum(nodes[0], nodes[1]),
    "where": lambda E, nodes, p: E.where(
        COMPARE[p["compare"]](nodes[0], E.const(p["c"])), nodes[0], nodes[1]
    ),
    "where number": lambda E, nodes, p: E.where(
        COMPARE[p["compare"]](nodes[0], E.const(p["c"])), nodes[0], E.const(p["other"])
    ),
    "mask product": lambda E, nodes, p: COMPARE[p["compare"]](nodes[0], E.const(p["c"])) * nodes[1],
    "conv2d": lambda E, nodes, p: E.conv2d(
        nodes[0], nodes[1], nodes[2] if len(nodes) > 2 else None, *(p[k] for k in WINDOW_KEYS), p["groups"]
    ),
    "max_pool2d": lambda E, nodes, p: E.max_pool2d(nodes[0], p["kernel"], *(p[k] for k in WINDOW_KEYS)),
    "avg_pool2d": lambda E, nodes, p: E.avg_pool2d(nodes[0], p["kernel"], p["stride"], p["padding"]),
}
COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
COMPARE |= {"==": operator.eq, "!=": operator.ne}


WINDOW_KEYS = ("stride", "padding", "dilation")  # conv2d's and max_pool2d's order

# The order hypothesis draws from (it favours the first): a product of two nodes, often x * x, and a power.
OP_ORDER = ["mul", "pow const", *sorted(op for op in OPS if op not in ("mul", "pow const"))]


def run(program, engine):
    """Every node of `program` (a list of (op, input node numbers, parameters)) computed by `engine`."""
    nodes = []
    for op, inputs, params in program:
        nodes.append(engine.retain(OPS[op](engine, [nodes[i] for i in inputs], params)))
    return nodes


# ---------------------------------------------------------------------------
# Building a random program, looking at the values to stay in each op's domain
# ---------------------------------------------------------------------------

small_floats = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)
tie_prone = st.sampled_from([0.0, 1.0, -1.0, 0.5, 2.0])  # repeats: ties for max, zeros for relu and **


@st.composite
def arrays_of(draw, shape, elements=None):
    elements = st.one_of(tie_prone, small_floats) if elements is None else elements
    size = int(np.prod(shape, dtype=int))
    return np.array(draw(st.lists(elements, min_size=size, max_size=size)), dtype=np.float64).reshape(shape)


shapes = st.lists(st.integers(1, 3), min_size=0, max_size=3).map(tuple)


def broadcast_partner(draw, shape):
    """A shape that broadcasts with `shape`: some axes set to 1, some leading axes dropped or added."""
    partner = [draw(st.sampled_from([n, 1])) for n in shape]
    dropped = draw(st.integers(0, len(partner)))
    partner = partner[dropped:]
    if dropped == 0 and len(partner) < 3 and draw(st.booleans()):  # a new leading axis: the result grows
        partner = [draw(st.integers(1, 2))] + partner
    return tuple(partner)


def number(draw, low, high):
    """A Python float or a numpy float64 scalar (the latter must never widen a float32 tensor)."""
    value = draw(st.floats(low, high, allow_nan=False, allow_infinity=False))
    return np.float64(value) if draw(st.booleans()) else value


def axis_choice(draw, ndim):
    """None, an int or a tuple of distinct ints (negative allowed); never () nor an axis of a 0-d tensor."""
    if ndim == 0:
        return None
    kind = draw(st.sampled_from(["none", "int", "tuple"]))
    if kind == "none":
        return None
    if kind == "int":
        return draw(st.integers(-ndim, ndim - 1))
    axes = draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True))
    return tuple(a - ndim if draw(st.booleans()) else a for a in axes)


def propose(draw, values):
    """One step (op, inputs, params) that fits the current node values, or None if the draw does not fit."""
    k = len(values)
    i = draw(st.integers(0, k - 1))
    x = values[i]
    op = draw(st.sampled_from(OP_ORDER))
    if op == "leaf":
        return op, (), {"array": draw(arrays_of(draw(shapes)))}
    if op in ("add", "sub", "mul", "div", "pow"):
        j = draw(st.integers(0, k - 1))
        y = values[j]
        try:
            np.broadcast_shapes(x.shape, y.shape)
        except ValueError:
            return None
        if op == "div" and np.abs(y).min(initial=1.0) < 0.2:
            return None
        if op == "pow" and np.abs(y).max(initial=0) > 3:
            return None
        if op == "pow" and not (x.min(initial=1.0) > 0.2 and x.max(initial=1.0) < 5):
            return ("positive", (i,), {"then": (op, j)}) if sigmoid(x).min(initial=1.0) > 0.2 else None
        return op, (i, j), {}
    if op.endswith(" const"):
        shape = broadcast_partner(draw, x.shape)
        as_array = draw(st.booleans())
        if op in ("div const", "rpow const"):
            c = draw(arrays_of(shape, st.floats(0.5, 2.0))) if as_array else number(draw, 0.5, 2.0)
        elif op == "pow const":
            c = draw(st.sampled_from([0.0, 1.0, 2.0, 3.0, -1.0, 0.5, 1.5]))
            c = np.float64(c) if draw(st.booleans()) else c
        elif op == "rmatmul const":
            if x.ndim == 0:
                return None
            rows = draw(st.sampled_from([(), (2,), (1, 2), (2, 2)]))
            c = draw(arrays_of((*rows, x.shape[0] if x.ndim == 1 else x.shape[-2])))
            try:  # batch axes: c's rows (2, 2) and a 3-D x's (3, …) do not broadcast
                np.matmul(c, x)
            except ValueError:
                return None
        else:
            c = draw(arrays_of(shape)) if as_array else number(draw, -2.0, 2.0)
        if op == "rdiv const" and np.abs(x).min(initial=1.0) < 0.2:
            return None
        if op == "rpow const" and x.max(initial=0) > 10:
            return None
        if op == "pow const":
            near_pole = c == -1.0 and np.abs(x).min(initial=1.0) < 0.2
            if near_pole or c in (0.5, 1.5) and x.min(initial=1.0) < 0.2:  # (x ** 0 at x = 0 is kept)
                return None
        return op, (i,), {"c": c}
    if op == "matmul":
        if x.ndim == 0:
            return None
        k_dim = x.shape[-1]
        right = draw(st.sampled_from([(k_dim,), (k_dim, 2), (2, k_dim, 1), (1, k_dim, 3)]))
        # a new leaf on the right (so both sides get a gradient), or an existing node that fits
        fits = [j for j, v in enumerate(values) if v.ndim and v.shape[-2 if v.ndim > 1 else 0] == k_dim]
        if fits and draw(st.booleans()):
            j = draw(st.sampled_from(fits))
            try:
                np.matmul(x, values[j])
            except ValueError:
                return None
            return op, (i, j), {}
        array = draw(arrays_of(right))
        try:
            np.matmul(x, array)
        except ValueError:
            return None
        return "matmul with leaf", (i,), {"array": array}
    if op in ("sum", "mean", "max"):
        axis = axis_choice(draw, x.ndim)
        return op, (i,), {"axis": axis, "keepdims": draw(st.booleans())}
    if op == "reshape":
        choices = [(-1,), (*x.shape, 1), (1, *x.shape), tuple(reversed(x.shape))]
        return op, (i,), {"shape": draw(st.sampled_from(choices))}
    if op == "transpose":
        axes = tuple(draw(st.permutations(range(x.ndim))))
        return op, (i,), {"axes": tuple(a - x.ndim if draw(st.booleans()) else a for a in axes)}
    if op == "T":
        return op, (i,), {}
    if op == "index":
        if x.ndim == 0:
            return None
        n = x.shape[0]
        kind = draw(st.sampled_from(["int", "slice", "repeats", "2-D", "mask", "pair"]))
        if kind == "int":
            index = draw(st.integers(-n, n - 1))
        elif kind == "slice":
            index = slice(draw(st.integers(0, n - 1)), None, draw(st.integers(1, 2)))
        elif kind == "repeats":
            index = np.array(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=4)), dtype=np.int64)
        elif kind == "2-D":
            index = np.array(draw(st.lists(st.integers(0, n - 1), min_size=4, max_size=4)), dtype=np.int64)
            index = index.reshape(2, 2)
        elif kind == "mask":
            index = np.array(draw(st.lists(st.booleans(), min_size=x.size, max_size=x.size))).reshape(x.shape)
        else:
            if x.ndim < 2:
                return None
            picks = draw(st.lists(st.integers(0, x.shape[1] - 1), min_size=1, max_size=3))
            index = (slice(None), np.array(picks, dtype=np.int64))
        return op, (i,), {"index": index}
    if op == "exp":
        return (op, (i,), {}) if x.max(initial=0) < 5 else None
    if op == "log":
        if x.min(initial=1.0) > 0.05:
            return op, (i,), {}
        return ("positive", (i,), {"then": (op, None)}) if sigmoid(x).min(initial=1.0) > 0.05 else None
    if op in ("relu", "sigmoid", "tanh", "neg"):
        return op, (i,), {}
    if op == "hardtanh":
        low = number(draw, -1.5, -0.1)
        return op, (i,), {"low": low, "high": number(draw, 0.1, 1.5)}
    if op in ACTIVATION_OPS:
        return propose_activation(draw, op, i, x)
    if op in ("softmax", "log_softmax"):
        if x.ndim == 0:
            return None
        return op, (i,), {"axis": draw(st.integers(-x.ndim, x.ndim - 1))}
    if op == "linear":  # (on a matrix view of x if x is not one)
        n_in, n_out = matrix_shape(x.shape)[1], draw(st.integers(1, 3))
        w, b = draw(arrays_of((n_out, n_in))), draw(arrays_of((n_out,)))
        return "linear with leaves", (i,), {"w": w, "b": b}
    if op == "cross_entropy":
        n, c = matrix_shape(x.shape)
        if draw(st.booleans()):
            labels = np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)), dtype=np.int64)
        else:
            weights = draw(arrays_of((n, c), st.floats(0.0, 1.0)))
            weights[:, 0] += 0.1  # no row of zeros
            labels = weights / weights.sum(axis=1, keepdims=True)
        return op, (i,), {"labels": labels}
    if op in ("cat", "stack", "chunk", "squeeze", "unsqueeze", "flip", "repeat", "gather"):
        return propose_shape_op(draw, op, i, values)
    if op in ("cross_entropy nd", "layer_norm", "batch_norm"):
        return propose_layer_op(draw, op, i, values)
    if op in ("var", "std", "prod", "cumsum"):
        return propose_statistic(draw, op, i, x)
    if op in ELEMENTWISE_OPS:
        return propose_elementwise(draw, op, i, values)
    if op in ("conv2d", "max_pool2d", "avg_pool2d"):
        return propose_window_op(draw, op, i, x)
    raise AssertionError(f"no proposal for {op}")


ELEMENTWISE_OPS = (
    "sqrt", "rsqrt", "log2", "exp2", "sin", "cos", "abs", "sign", "clamp", "clip", "maximum", "minimum",
    "where", "where number", "mask product",
)


def propose_elementwise(draw, op, i, values):
    """A step of issue 23's elementwise ops on node i, or None if it does not fit (domains kept)."""
    x = values[i]
    if op in ("sqrt", "rsqrt", "log2"):  # on positives, as log
        if x.min(initial=1.0) > 0.05:
            return op, (i,), {}
        return ("positive", (i,), {"then": (op, None)}) if sigmoid(x).min(initial=1.0) > 0.05 else None
    if op == "exp2":
        return (op, (i,), {}) if x.max(initial=0) < 5 else None
    if op in ("sin", "cos", "abs", "sign"):  # abs and sign at 0 included: the tie-prone draws hold 0.0
        return op, (i,), {}
    if op in ("clamp", "clip"):  # the bounds often hit values exactly (tie-prone), and may cross
        bound = st.one_of(st.none(), tie_prone, st.floats(-2.0, 2.0, allow_nan=False))
        low, high = draw(bound), draw(bound)
        return None if low is None and high is None else (op, (i,), {"low": low, "high": high})
    j = draw(st.integers(0, len(values) - 1))
    try:
        np.broadcast_shapes(x.shape, values[j].shape)
    except ValueError:
        return None
    if op in ("maximum", "minimum"):  # ties (x with itself, or tie-prone values) split g in half in both
        return op, (i, j), {}
    params = {"compare": draw(st.sampled_from(sorted(COMPARE))), "c": draw(tie_prone)}
    if not np.all((x == params["c"]) | (np.abs(x - params["c"]) > 1e-6)):
        return None  # a near tie: a rounding difference between the libraries could flip the condition
    if op == "where number":
        return op, (i,), {**params, "other": number(draw, -2.0, 2.0)}
    return op, (i, j), params


ACTIVATION_OPS = ("leaky_relu", "elu", "gelu", "silu", "softplus", "logsigmoid", "relu6")


def propose_activation(draw, op, i, x):
    """A step of issue 23's activations on node i (x its value), with parameters drawn, or None."""
    if op == "leaky_relu":
        return op, (i,), {"slope": number(draw, -0.5, 1.5)}
    if op == "elu":
        return op, (i,), {"alpha": number(draw, 0.1, 2.0)}
    if op == "gelu":
        return op, (i,), {"approximate": draw(st.sampled_from(["none", "tanh"]))}
    if op == "softplus":  # (at βx == threshold exactly, PyTorch's second derivative is already 0, ours not)
        beta, threshold = number(draw, 0.5, 3.0), number(draw, -1.0, 3.0)
        return None if np.any(x * beta == threshold) else (op, (i,), {"beta": beta, "threshold": threshold})
    return op, (i,), {}


def propose_layer_op(draw, op, i, values):
    """A step of issue 23's layers and losses on node i (dim 1 the classes or channels), or None."""
    x = values[i]
    if op == "layer_norm":  # over the last axis; a near-constant row would make the derivatives huge
        if x.ndim == 0 or x.reshape(-1, x.shape[-1]).std(axis=1).min(initial=1.0) < 0.1:
            return None
        return op, (i,), {"shape": x.shape[-1:]}
    if x.ndim < 2 or x.shape[0] == 0:
        return None
    if op == "batch_norm":
        per_channel = np.moveaxis(x, 1, 0).reshape(x.shape[1], -1)
        return (op, (i,), {}) if per_channel.shape[1] > 1 and per_channel.std(axis=1).min() > 0.1 else None
    label_shape = x.shape[:1] + x.shape[2:]
    size = int(np.prod(label_shape, dtype=int))
    labels = np.array(draw(st.lists(st.integers(-1, x.shape[1] - 1), min_size=size, max_size=size)))
    labels = np.where(labels < 0, -100, labels).reshape(label_shape).astype(np.int64)  # -1 drawn: ignored
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    params = {"labels": labels, "reduction": reduction, "smoothing": draw(st.sampled_from([0.0, 0.1, 0.5]))}
    return op, (i,), params


def propose_statistic(draw, op, i, x):
    """A step of var, std, prod or cumsum on node i (x its value), PyTorch's parameters drawn, or None."""
    if op == "cumsum":
        return None if x.ndim == 0 else (op, (i,), {"dim": draw(st.integers(-x.ndim, x.ndim - 1))})
    keepdims = draw(st.booleans())
    if op == "prod":  # one dim or all (zeros in x are common: the tie-prone draws hold 0.0)
        dim = None if x.ndim == 0 or draw(st.booleans()) else draw(st.integers(-x.ndim, x.ndim - 1))
        return op, (i,), {"dim": dim, "keepdims": keepdims}
    axis = axis_choice(draw, x.ndim)
    axes = tuple(range(x.ndim)) if axis is None else np.atleast_1d(axis).tolist()
    n = int(np.prod([x.shape[a] for a in axes], dtype=int))
    correction = draw(st.sampled_from([0, 1, 2, 0.5, np.int64(1), np.float64(0.5)]))
    if n - correction <= 0:  # inf or nan, with a warning, in both libraries: no gradient to compare
        return None
    if op == "std":  # away from 0, where √'s derivatives blow up (and PyTorch's and ours pass on 0)
        spread = np.var(x, axis=tuple(a % x.ndim for a in axes), ddof=float(correction))
        if np.min(spread, initial=1.0) < 0.05:
            return None
    return op, (i,), {"axis": axis, "correction": correction, "keepdims": keepdims}


def image_shape(shape):
    """The one-image batch (1, C, H, W) that conv2d and the pools see a node as: (C, H, W) its last axes."""
    return (1, *(1,) * (3 - len(shape)), *shape) if len(shape) <= 3 else (1, *matrix_shape(shape), 1)


def propose_window_op(draw, op, i, x):
    """conv2d (with new weight and bias leaves, or no bias) or a pool on node i seen as an image.

    Stride, padding, dilation and groups drawn, then a kernel that fits the padded image; a pool's
    padding is at most half its kernel (PyTorch's rule).
    """
    _, c, h, w = image_shape(x.shape)
    if x.size == 0:
        return None
    stride, padding, dilation = (
        tuple(draw(st.integers(lo, hi)) for _ in range(2)) for lo, hi in ((1, 2), (0, 1), (1, 2))
    )
    if op == "avg_pool2d":
        dilation = (1, 1)
    # a kernel that fits the padded image: dilation·(k − 1) + 1 ≤ n + 2·padding
    kernel = tuple(draw(st.integers(1, min(3, (n + 2 * padding[a] - 1) // dilation[a] + 1)))
                   for a, n in enumerate((h, w)))
    if op != "conv2d":
        padding = tuple(min(padding[a], kernel[a] // 2) for a in range(2))
    span = [dilation[a] * (kernel[a] - 1) + 1 for a in range(2)]
    out = [(n + 2 * padding[a] - span[a]) // stride[a] + 1 for a, n in enumerate((h, w))]
    params = {"kernel": kernel, "stride": stride, "padding": padding, "dilation": dilation, "out": out}
    if op != "conv2d":
        return op, (i,), params
    groups = draw(st.sampled_from([g for g in (1, 2, 3) if c % g == 0]))
    o = groups * draw(st.integers(1, 2))
    params.update(groups=groups, w=draw(arrays_of((o, c // groups, *kernel))), b=draw(arrays_of((o,))))
    if draw(st.booleans()):
        params["b"] = None
    return "conv2d with leaves", (i,), params


def propose_shape_op(draw, op, i, values):
    """A step of issue 23's shape family on node i, or None if it does not fit."""
    x = values[i]
    if op == "unsqueeze":
        return op, (i,), {"dim": draw(st.integers(-x.ndim - 1, x.ndim))}
    if x.ndim == 0:
        return None
    dim = draw(st.integers(-x.ndim, x.ndim - 1))
    if op in ("cat", "stack"):  # with itself or with a node that fits
        if op == "stack":  # the same shapes, stacked along a new axis
            fits = [j for j, v in enumerate(values) if v.shape == x.shape]
            dim = draw(st.integers(-x.ndim - 1, x.ndim))
        else:  # the same shapes off dim
            off_dim = np.delete(x.shape, dim).tolist()
            same_off_dim = [v.ndim == x.ndim and np.delete(v.shape, dim).tolist() == off_dim for v in values]
            fits = [j for j, fit in enumerate(same_off_dim) if fit]
        return op, (i, draw(st.sampled_from(fits))), {"dim": dim}
    if op == "chunk":
        chunks = draw(st.integers(1, 3))
        size = -(-x.shape[dim] // chunks)  # PyTorch's: pieces of ⌈n / chunks⌉, so maybe fewer than chunks
        pieces = -(-x.shape[dim] // size)
        return op, (i,), {"chunks": chunks, "dim": dim, "piece": draw(st.integers(-pieces, pieces - 1))}
    if op == "squeeze":
        return op, (i,), {"dim": dim}
    if op == "flip":
        return op, (i,), {"dims": tuple(draw(st.lists(st.integers(0, x.ndim - 1), min_size=1, unique=True)))}
    if op == "repeat":
        if x.size > 9 or x.ndim > 3:  # (4-d nodes: the image views of conv2d and the pools)
            return None
        sizes = draw(st.lists(st.integers(1, 2), min_size=x.ndim, max_size=min(3, x.ndim + 1)))
        return op, (i,), {"sizes": tuple(sizes)}
    sizes = [draw(st.integers(1, n)) for n in x.shape]  # gather: index no larger than x off dim
    sizes[dim] = draw(st.integers(1, 3))
    index = draw(arrays_of(tuple(sizes), st.integers(0, x.shape[dim] - 1))).astype(np.int64)
    return op, (i,), {"dim": dim, "index": index}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def matrix_shape(shape):
    """The (N, C) view of a node that linear and cross_entropy take: itself if 2-D, else (…, last axis)."""
    if len(shape) == 2:
        return shape
    return (int(np.prod(shape[:-1], dtype=int)), shape[-1]) if shape else (1, 1)


def expand(step, values):
    """A proposal as the steps it takes: new leaves for matmul and linear, a reshape to (N, C) if needed."""
    op, inputs, params = step
    k = len(values)
    if op == "matmul with leaf":
        return [("leaf", (), {"array": params["array"]}), ("matmul", (inputs[0], k), {})]
    if op == "positive":  # log or ** of sigmoid(x), when x itself is not positive enough
        then, other = params["then"]
        return [("sigmoid", inputs, {}), (then, (k,) if other is None else (k, other), {})]
    steps, x = [], inputs[0] if inputs else None
    if op in ("linear with leaves", "cross_entropy") and values[x].ndim != 2:
        steps.append(("reshape", (x,), {"shape": matrix_shape(values[x].shape)}))
        x, k = k, k + 1
    if op == "linear with leaves":
        return [
            *steps,
            ("leaf", (), {"array": params["w"]}),
            ("leaf", (), {"array": params["b"]}),
            ("linear", (x, k, k + 1), {}),
        ]
    if op == "cross_entropy":
        return [*steps, (op, (x,), params)]
    if op in ("conv2d with leaves", "max_pool2d", "avg_pool2d"):  # a one-image batch, then back to 3 axes
        window = dict(params)
        out_shape, w, b = window.pop("out"), window.pop("w", None), window.pop("b", None)
        image = image_shape(values[x].shape)
        steps = [("reshape", (x,), {"shape": image})]  # node k
        if w is None:  # a pool: its channels are the image's
            return [*steps, (op, (k,), window), ("reshape", (k + 1,), {"shape": (image[1], *out_shape)})]
        steps += [("leaf", (), {"array": a}) for a in (w, b) if a is not None]  # nodes k + 1 (, k + 2)
        conv = k + len(steps)
        return [
            *steps,
            ("conv2d", tuple(range(k, conv)), window),
            ("reshape", (conv,), {"shape": (w.shape[0], *out_shape)}),
        ]
    return [step]


@st.composite
def programs(draw):
    """A random program: leaves, then 3 to MAX_STEPS ops; every node's value stays finite and moderate."""
    program = [("leaf", (), {"array": draw(arrays_of(draw(shapes)))}) for _ in range(draw(st.integers(1, 2)))]
    values = [params["array"] for _, _, params in program]
    n_leaves, n_steps = len(program), draw(st.integers(3, MAX_STEPS))
    for _ in range(3 * MAX_STEPS):  # proposals that do not fit the values are drawn again
        if len(program) - n_leaves >= n_steps:
            break
        step = propose(draw, values)
        if step is None:
            continue
        for sub in expand(step, values):
            out = run_numpy(sub, values)
            if not np.all(np.isfinite(out)) or np.abs(out).max(initial=0) > 1e4:
                break
            program.append(sub)
            values.append(out)
    return program


def run_numpy(step, values):
    """The value of one step, computed by our engine without a graph (generation only)."""
    op, inputs, params = step
    nodes = [Tensor(values[i], dtype=np.float64) for i in inputs]
    with np.errstate(all="ignore"):
        return np.asarray(OPS[op](Ours(np.float64), nodes, params).data, dtype=np.float64)


# ---------------------------------------------------------------------------
# The referee
# ---------------------------------------------------------------------------


def assert_agree(ours, theirs, what):
    if ours is None or theirs is None:
        assert ours is None and theirs is None, f"{what}: ours {ours is None and 'None'}, torch's {theirs}"
        return
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape}, torch's {theirs.shape}"
    scale = max(1.0, float(np.abs(theirs).max(initial=0)))
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=RTOL * scale, err_msg=what)


def describe(program):
    return "\n".join(
        f"  {k}: {op}{inputs} {params if op != 'leaf' else params['array'].shape}"
        for k, (op, inputs, params) in enumerate(program)
    )


@settings(
    max_examples=N_PROGRAMS,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(program=programs(), seed=st.integers(0, 2**16))
def test_random_programs_agree_with_pytorch_in_values_gradients_and_dtypes(program, seed):
    report = describe(program)
    rng = np.random.default_rng(seed)
    for dtype in (np.float64, np.float32):
        ours, theirs = run(program, Ours(dtype)), run(program, Torch(dtype))
        gradient = rng.uniform(0.5, 1.5, size=ours[-1].shape)
        Ours.backward(ours[-1], gradient)
        Torch.backward(theirs[-1], gradient)
        for k, (a, b) in enumerate(zip(ours, theirs)):
            if dtype == np.float64:
                assert_agree(Ours.value(a), Torch.value(b), f"value of node {k} in\n{report}")
                assert_agree(Ours.grad(a), Torch.grad(b), f"gradient of node {k} in\n{report}")
            else:
                assert (a.dtype, Torch.value(b).dtype) == (np.float32, np.float32), (
                    f"dtype of node {k} in\n{report}"
                )
                if Ours.grad(a) is not None:
                    assert Ours.grad(a).dtype == Torch.grad(b).dtype, f"grad dtype of node {k} in\n{report}"


N_SECOND_ORDER_PROGRAMS = 200


def hessian_vector_products(program, engine, gradient, directions, grad_fn):
    """Hv per leaf of ⟨gradient, output⟩: the gradient of Σ ⟨∂/∂leaf, v_leaf⟩, by `grad_fn` twice."""
    nodes = run(program, engine)
    leaves = [node for (op, _, _), node in zip(program, nodes) if op == "leaf"]
    seed = torch.from_numpy(gradient) if isinstance(engine, Torch) else Tensor(gradient)
    firsts = grad_fn(nodes[-1], leaves, grad_outputs=seed, create_graph=True, allow_unused=True)
    total = sum((g * engine.const(v)).sum() for g, v in zip(firsts, directions) if g is not None)
    if not getattr(total, "requires_grad", False):  # every second derivative is 0
        return [np.zeros_like(v) for v in directions]
    seconds = grad_fn(total, leaves, allow_unused=True)
    return [np.zeros_like(v) if s is None else engine.value(s) for s, v in zip(seconds, directions)]


@settings(
    max_examples=N_SECOND_ORDER_PROGRAMS,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(program=programs(), seed=st.integers(0, 2**16))
def test_random_programs_agree_with_pytorch_in_hessian_vector_products(program, seed):
    rng = np.random.default_rng(seed)
    ours_output = run(program, Ours(np.float64))[-1]
    gradient = rng.uniform(0.5, 1.5, size=ours_output.shape)
    directions = [rng.uniform(-1, 1, size=np.shape(p["array"])) for op, _, p in program if op == "leaf"]
    ours = hessian_vector_products(program, Ours(np.float64), gradient, directions, grad)
    theirs = hessian_vector_products(program, Torch(np.float64), gradient, directions, torch.autograd.grad)
    for k, (a, b) in enumerate(zip(ours, theirs)):
        assert_agree(a, b, f"Hessian-vector product of leaf {k} in\n{describe(program)}")
