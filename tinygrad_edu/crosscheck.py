"""Three ways, one gradient: the autograd MLP and the report's network side by side (lesson 6).

The report's layer k is the MLP's k-th Linear: W_k is `weight` (out, in) in both;
the report keeps b_k as a column (out, 1), the MLP as a vector (out,).

    net = report_from_mlp(mlp)                  # or: mlp = mlp_from_report(net)
    g_autograd = autograd_gradients(mlp, x, labels)
    g_report = report_gradients(net, x, labels)
    max_relative_difference(g_autograd, g_report)   # ~1e-16 in float64
"""

import numpy as np

from tinygrad_edu import nn
from tinygrad_edu.autograd import Tensor
from tinygrad_edu.data.batches import one_hot
from tinygrad_edu.report import ShallowNeuralNetwork


def _check(value, kind, name):
    if not isinstance(value, kind):
        raise TypeError(f"{name} must be a {kind.__name__}, got {type(value).__name__}")


def report_from_mlp(mlp):
    """A ShallowNeuralNetwork with the MLP's sizes, activation, dtype and (copied) weights."""
    _check(mlp, nn.MLP, "mlp")
    net = ShallowNeuralNetwork(mlp.sizes, activation=mlp.activation, dtype=mlp.linears[0].weight.dtype)
    net.set_weights(mlp.get_weights())
    return net


def mlp_from_report(net):
    """An nn.MLP with the report network's sizes, activation, dtype and (copied) weights."""
    _check(net, ShallowNeuralNetwork, "net")
    mlp = nn.MLP(net.sizes, activation=net.activation, dtype=net.dtype)
    mlp.set_weights(net.get_weights())
    return mlp


def autograd_gradients(mlp, x, labels):
    """[(∂L/∂W_k, ∂L/∂b_k), …] of the mean cross-entropy L on one batch, by Tensor.backward()."""
    _check(mlp, nn.MLP, "mlp")
    mlp.zero_grad()
    nn.cross_entropy(mlp(Tensor(x, dtype=mlp.linears[0].weight.dtype)), labels).backward()
    return [(layer.weight.grad.copy(), layer.bias.grad.copy()) for layer in mlp.linears]


def report_gradients(net, x, labels):
    """The same list by the report's δ-recursion (feed_forward, then back_propagate)."""
    _check(net, ShallowNeuralNetwork, "net")
    output = net.feed_forward(np.asarray(x, dtype=net.dtype))
    grads = net.back_propagate(one_hot(labels, net.sizes[-1], dtype=net.dtype), output)
    return [(grads[f"W{k}"].copy(), grads[f"b{k}"].reshape(-1)) for k in range(1, len(net.sizes))]


def max_relative_difference(grads_a, grads_b):
    """max over the arrays of max|a − b| / max(|a|, |b|): each array's error relative to its own scale.

    Entries near 0 would make an entrywise ratio meaningless (rounding noise over
    noise), so each array is measured against its largest entry.
    """
    worst = 0.0
    for pair_a, pair_b in zip(grads_a, grads_b, strict=True):
        for a, b in zip(pair_a, pair_b, strict=True):
            if a.shape != b.shape:
                raise ValueError(f"gradient shapes differ: {a.shape} and {b.shape}")
            scale = max(float(np.max(np.abs(a), initial=0)), float(np.max(np.abs(b), initial=0)))
            if scale > 0:
                worst = max(worst, float(np.max(np.abs(a - b))) / scale)
    return worst
