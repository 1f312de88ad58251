"""Layers, networks and losses on the Tensor engine, with PyTorch's names (lesson 6).

A Module holds parameters (Tensors with requires_grad=True) and sub-modules;
`parameters()` finds them all: a module's own first, then each sub-module's,
each group in the order it was assigned (as in PyTorch).
"""


import numpy as np

from tinygrad_edu.tensor import Tensor, linear
from tinygrad_edu.tensor import cross_entropy as _cross_entropy

ACTIVATIONS = ("relu", "sigmoid", "tanh", "hardtanh")


class Module:
    """Base class: subclasses set parameters and sub-modules as attributes and define forward."""

    def __call__(self, *args):
        return self.forward(*args)

    def __repr__(self):
        return f"{type(self).__name__}()"

    def forward(self, *args):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def _children(self):
        """(name, sub-module) pairs; a list of modules `blocks` gives names blocks.0, blocks.1, …"""
        for name, value in vars(self).items():
            if isinstance(value, Module):
                yield name, value
            elif isinstance(value, (list, tuple)):
                for i, item in enumerate(value):
                    if isinstance(item, Module):
                        yield f"{name}.{i}", item

    def named_parameters(self, prefix=""):
        """(dotted name, parameter) pairs, e.g. ("0.weight", Tensor of shape (600, 784)).

        A parameter shared by two sub-modules is listed once, under its first name
        (as in PyTorch), so an optimizer never updates it twice per step.
        """
        seen = set()
        for name, p in self._all_parameters(prefix):
            if id(p) not in seen:
                seen.add(id(p))
                yield name, p

    def _all_parameters(self, prefix):
        for name, value in vars(self).items():
            if isinstance(value, Tensor) and value.requires_grad:
                yield prefix + name, value
        for name, child in self._children():
            yield from child._all_parameters(f"{prefix}{name}.")

    def parameters(self):
        """All parameters, as a list."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self):
        """Forget every parameter's accumulated gradient."""
        for p in self.parameters():
            p.zero_grad()

    def state_dict(self):
        """{name: copy of the parameter's array}: plain numpy, savable with np.savez."""
        return {name: p.data.copy() for name, p in self.named_parameters()}

    def load_state_dict(self, state):
        """Copy arrays into the parameters (in their own dtype); names and shapes must match."""
        if not hasattr(state, "keys"):
            raise TypeError(f"load_state_dict takes a dict of arrays, got {type(state).__name__}")
        params = dict(self.named_parameters())
        missing, unexpected = sorted(params.keys() - state.keys()), sorted(state.keys() - params.keys())
        if missing or unexpected:
            raise KeyError(f"load_state_dict: missing keys {missing}, unexpected keys {unexpected}")
        for name, p in params.items():
            array = np.asarray(state[name])
            if array.dtype.kind not in "biuf":
                raise TypeError(f"load_state_dict: {name!r} holds {array.dtype} values, not numbers")
            if array.shape != p.shape:
                raise ValueError(
                    f"load_state_dict: {name!r} has shape {array.shape}, the parameter has {p.shape}"
                )
        for name, p in params.items():  # only after every check passed: never half-loaded
            p.data[...] = state[name]


class Linear(Module):
    """y = x Wᵀ + b, x (N, in) → y (N, out); weight W (out, in), bias b (out,).

    Init as the report's code: W ~ N(0, 1/in) (LeCun normal), b = 0. PyTorch's
    default is uniform on ±1/√in instead: same variance scale, another shape.
    """

    def __init__(self, in_features, out_features, bias=True, dtype="float32", rng=None):
        for name, n in (("in_features", in_features), ("out_features", out_features)):
            if not _is_int(n) or n < 1:
                raise ValueError(f"Linear: {name} must be a positive integer, got {n!r}")
        dtype = _check_dtype("Linear", dtype)
        if not isinstance(rng, np.random.Generator):
            rng = np.random.default_rng(_check_seed("Linear", rng))
        weight = rng.standard_normal((out_features, in_features)) * np.sqrt(1.0 / in_features)
        self.weight = Tensor(weight, requires_grad=True, dtype=dtype)
        self.bias = Tensor(np.zeros(out_features), requires_grad=True, dtype=dtype) if bias else None

    def forward(self, x):
        return linear(x, self.weight, self.bias)

    def __repr__(self):
        out_features, in_features = self.weight.shape
        return f"Linear(in_features={in_features}, out_features={out_features})"


class ReLU(Module):
    """max(0, x), elementwise."""

    def forward(self, x):
        return x.relu()


class Sigmoid(Module):
    """1 / (1 + e⁻ˣ), elementwise."""

    def forward(self, x):
        return x.sigmoid()


class Tanh(Module):
    """tanh x, elementwise."""

    def forward(self, x):
        return x.tanh()


class Hardtanh(Module):
    """clip(x, min_val, max_val), elementwise (the report's "hard tanh")."""

    def __init__(self, min_val=-1.0, max_val=1.0):
        Tensor(0.0).hardtanh(min_val, max_val)  # checks the bounds now, not at the first forward
        self.min_val, self.max_val = min_val, max_val

    def forward(self, x):
        return x.hardtanh(self.min_val, self.max_val)

    def __repr__(self):
        return f"Hardtanh(min_val={self.min_val}, max_val={self.max_val})"


_ACTIVATION_MODULES = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh, "hardtanh": Hardtanh}


class Sequential(Module):
    """Modules applied in order: Sequential(a, b, c)(x) = c(b(a(x))); names "0", "1", …"""

    def __init__(self, *layers):
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"Sequential: item {i} is a {type(layer).__name__}, not a Module")
        self.layers = list(layers)

    def _children(self):
        return ((str(i), layer) for i, layer in enumerate(self.layers))

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def __getitem__(self, i):
        return self.layers[i]

    def __len__(self):
        return len(self.layers)

    def __repr__(self):
        inner = "".join(f"\n  ({i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"{type(self).__name__}({inner}\n)"


class MLP(Sequential):
    """Linear layers of `sizes` (e.g. [784, 600, 400, 10]) with `activation` between them.

    The last layer has no activation: the MLP returns logits, and `cross_entropy`
    applies the softmax. Weights are drawn from one generator seeded by `seed`,
    layer by layer, so a seed fixes the whole network.
    """

    def __init__(self, sizes, activation="relu", dtype="float32", seed=0):
        if not isinstance(sizes, (list, tuple)):
            raise TypeError(
                f"MLP: sizes must be a list of layer widths such as [784, 600, 10], "
                f"got {type(sizes).__name__} {sizes!r}"
            )
        sizes = list(sizes)
        if len(sizes) < 2 or not all(_is_int(n) and n > 0 for n in sizes):
            raise ValueError(f"MLP: sizes must be at least two positive integers, got {sizes}")
        if not isinstance(activation, str) or activation not in _ACTIVATION_MODULES:
            raise ValueError(f"MLP: unknown activation {activation!r}; choose one of {ACTIVATIONS}")
        dtype = _check_dtype("MLP", dtype)
        rng = np.random.default_rng(_check_seed("MLP", seed))
        layers = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            layers += [Linear(n_in, n_out, dtype=dtype, rng=rng), _ACTIVATION_MODULES[activation]()]
        super().__init__(*layers[:-1])
        self.sizes, self.activation = sizes, activation

    @property
    def linears(self):
        """The Linear layers, input side first: linears[k - 1] is the report's layer k."""
        return [layer for layer in self.layers if isinstance(layer, Linear)]

    def get_weights(self):
        """[(weight (out, in), bias (out,)), …] as copies, input layer first (the report's layout too)."""
        return [(layer.weight.data.copy(), layer.bias.data.copy()) for layer in self.linears]

    def set_weights(self, weights):
        """Load (weight, bias) pairs as `get_weights` gives them; shapes checked, never half-loaded."""
        weights = list(weights)
        if len(weights) != len(self.linears):
            raise ValueError(
                f"set_weights: expected {len(self.linears)} (weight, bias) pairs, got {len(weights)}"
            )
        for k, pair in enumerate(weights):
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                raise ValueError(f"set_weights: item {k} must be a (weight, bias) pair, got {pair!r:.60}")
        arrays = [array for pair in weights for array in pair]
        self.load_state_dict({name: a for (name, _), a in zip(self.named_parameters(), arrays)})


def cross_entropy(logits, labels):
    """Mean cross-entropy of softmax(logits) (N, C) against labels; a scalar Tensor.

    `labels` are class indices (N,) of an integer dtype, or one-hot / probability
    rows (N, C): finite, ≥ 0, each summing to 1 within 1e-4 (PyTorch does not
    check; a row summing to 5 would give a meaningless, possibly negative, loss).
    Its backward is the fused (softmax − y) / N.
    """
    if not isinstance(logits, Tensor) or logits.ndim != 2:
        shape = logits.shape if isinstance(logits, Tensor) else type(logits).__name__
        raise ValueError(f"cross_entropy: logits must be a 2-D Tensor (N, C), got {shape}")
    n, n_classes = logits.shape
    if n == 0:
        raise ValueError("cross_entropy: an empty batch (0 rows) has no mean loss")
    if n_classes == 0:
        raise ValueError("cross_entropy: logits of shape (N, 0) have no classes")
    labels = labels.data if isinstance(labels, Tensor) else np.asarray(labels)
    if labels.shape == (n,):
        if labels.dtype.kind not in "iu":
            raise TypeError(
                f"cross_entropy: class indices must have an integer dtype, got {labels.dtype} "
                f"(or pass one-hot rows of shape ({n}, {n_classes}))"
            )
        bad = np.flatnonzero((labels < 0) | (labels >= n_classes))
        if bad.size:
            raise ValueError(
                f"cross_entropy: label {labels[bad[0]]} at position {bad[0]} is out of range "
                f"for {n_classes} classes (0 to {n_classes - 1})"
            )
        target = np.zeros(logits.shape, dtype=logits.dtype)
        target[np.arange(n), labels] = 1
    elif labels.shape == (n, n_classes):
        if labels.dtype.kind not in "fiub":
            raise TypeError(f"cross_entropy: one-hot rows must be numbers, got {labels.dtype}")
        _check_probability_rows(labels)
        target = labels
    else:
        raise ValueError(
            f"cross_entropy: labels of shape {labels.shape} fit neither class indices ({n},) "
            f"nor one-hot rows ({n}, {n_classes}) for logits of shape {logits.shape}"
        )
    return _cross_entropy(logits, target)


def _check_probability_rows(rows):
    """ValueError naming the first row of `rows` (N, C) that is not a probability distribution."""
    rows = rows.astype(np.float64, copy=False)
    bad = np.flatnonzero(~np.isfinite(rows).all(axis=1) | (rows < 0).any(axis=1))
    if bad.size:
        raise ValueError(
            f"cross_entropy: target row {bad[0]} is not a probability distribution: it has a "
            f"negative or non-finite entry ({rows[bad[0]].tolist()!r:.80})"
        )
    sums = rows.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1) > 1e-4)
    if bad.size:
        raise ValueError(
            f"cross_entropy: target row {bad[0]} sums to {sums[bad[0]]:.6g}, not 1: one-hot or "
            "probability rows must each sum to 1 (or pass class indices of an integer dtype)"
        )


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _check_dtype(owner, dtype):
    """np.float32 or np.float64 from one of their spellings; ValueError naming `owner` otherwise."""
    try:
        resolved = None if dtype is None else np.dtype(dtype)
    except TypeError:
        resolved = None
    if resolved is None or resolved not in (np.float32, np.float64):  # (np.dtype == None is True)
        raise ValueError(f"{owner}: dtype must be 'float32' or 'float64', got {dtype!r}")
    return resolved


def _check_seed(owner, seed):
    """A seed for np.random.default_rng: None (fresh entropy) or a non-negative int."""
    if seed is not None and (not _is_int(seed) or seed < 0):
        raise ValueError(f"{owner}: seed must be a non-negative integer, got {seed!r}")
    return seed
