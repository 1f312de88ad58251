"""Small random networks for lessons 5 and 6, drawn from a seed so a failing case prints short."""

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

KINK_MARGIN = 1e-3  # central differences are meaningless within eps of relu's kink


class Network:
    """Layer sizes (input first), a batch of m examples and the seed its numbers come from."""

    def __init__(self, sizes, m, seed):
        self.sizes, self.m, self.seed = tuple(sizes), m, seed
        rng = np.random.default_rng(seed)
        self.pairs = [
            (rng.standard_normal((n_out, n_in)), rng.standard_normal(n_out) * 0.5)
            for n_in, n_out in zip(self.sizes, self.sizes[1:])
        ]
        self.x = rng.standard_normal((m, self.sizes[0]))
        self.labels = rng.integers(0, self.sizes[-1], size=m)
        self.y = np.eye(self.sizes[-1])[self.labels]

    def __str__(self):
        return f"layer sizes {self.sizes}, a batch of m = {self.m}, seed {self.seed}"

    @property
    def params(self):
        """The report's layout: W_k (n_k, n_{k−1}), b_k (n_k, 1), copies."""
        params = {}
        for k, (weight, bias) in enumerate(self.pairs, start=1):
            params[f"W{k}"], params[f"b{k}"] = weight.copy(), bias.reshape(-1, 1).copy()
        return params


def forward(params, x):
    """The report's forward pass on rows x: the cache {"A0": xᵀ, "Z1", "A1", …}."""
    n_layers = len(params) // 2
    cache = {"A0": x.T}
    for k in range(1, n_layers + 1):
        Z = params[f"W{k}"] @ cache[f"A{k - 1}"] + params[f"b{k}"]
        cache[f"Z{k}"] = Z
        cache[f"A{k}"] = np.maximum(Z, 0) if k < n_layers else _softmax_columns(Z)
    return cache


def loss(params, x, y):
    """Batch-mean cross-entropy of the report's network, y one-hot rows (m, n_L)."""
    n_layers = len(params) // 2
    Z = forward(params, x)[f"Z{n_layers}"]
    shifted = Z - Z.max(axis=0, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    return -np.sum(y.T * log_probs) / x.shape[0]


def _softmax_columns(Z):
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


@st.composite
def networks(draw, max_depth=4):
    """A Network of depth 1 … max_depth whose hidden pre-activations stay off relu's kink."""
    depth = draw(st.integers(1, max_depth))
    sizes = [draw(st.integers(1, 4)) for _ in range(depth)] + [draw(st.integers(2, 4))]
    network = Network(sizes, draw(st.integers(1, 4)), draw(st.integers(0, 2**16)))
    cache = forward(network.params, network.x)
    assume(all(np.all(np.abs(cache[f"Z{k}"]) >= KINK_MARGIN) for k in range(1, depth)))
    return network
