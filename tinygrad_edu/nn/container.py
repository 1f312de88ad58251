"""Networks made of layers: Sequential, and the report's MLP (lesson 6)."""

import numpy as np

from tinygrad_edu.nn._checks import check_dtype, check_parameter_count, check_seed, is_int
from tinygrad_edu.nn.activation import ACTIVATION_MODULES, ACTIVATIONS
from tinygrad_edu.nn.linear import Linear
from tinygrad_edu.nn.module import Module


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
        if isinstance(sizes, np.ndarray) and sizes.ndim == 1:
            sizes = sizes.tolist()  # numpy ints become ints; floats stay floats and are refused below
        if not isinstance(sizes, (list, tuple)):
            raise TypeError(
                f"MLP: sizes must be a list of layer widths such as [784, 600, 10], "
                f"got {type(sizes).__name__} {sizes!r}"
            )
        sizes = list(sizes)
        if len(sizes) < 2 or not all(is_int(n) and n > 0 for n in sizes):
            raise ValueError(f"MLP: sizes must be at least two positive integers, got {sizes}")
        if not isinstance(activation, str) or activation not in ACTIVATION_MODULES:
            raise ValueError(f"MLP: unknown activation {activation!r}; choose one of {ACTIVATIONS}")
        check_parameter_count("MLP", [(n_out, n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:])])
        dtype = check_dtype("MLP", dtype)
        rng = np.random.default_rng(check_seed("MLP", seed))
        layers = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            layers += [Linear(n_in, n_out, dtype=dtype, rng=rng), ACTIVATION_MODULES[activation]()]
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
        try:
            weights = list(weights)
        except TypeError:
            kind = type(weights).__name__
            raise TypeError(
                f"set_weights: weights must be a list of (weight, bias) pairs, got {kind}"
            ) from None
        if len(weights) != len(self.linears):
            raise ValueError(
                f"set_weights: expected {len(self.linears)} (weight, bias) pairs, got {len(weights)}"
            )
        for k, pair in enumerate(weights):
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                raise ValueError(f"set_weights: item {k} must be a (weight, bias) pair, got {pair!r:.60}")
        arrays = [array for pair in weights for array in pair]
        self.load_state_dict({name: a for (name, _), a in zip(self.named_parameters(), arrays)})
