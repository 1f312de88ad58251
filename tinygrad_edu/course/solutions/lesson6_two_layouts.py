"""Lesson 6, three ways, one gradient: the two layouts of one network, and the engine's gradients.

nn.Linear stores a layer as (weight (out, in), bias (out,)) and computes x @ weightᵀ + bias on
rows x (N, in); the report stores W_k (n_k, n_{k−1}) and b_k (n_k, 1) and computes W_k A + b_k on
columns A (n_{k−1}, m).

Check your work:  python -m tinygrad_edu.course check --dir DIR to_report_layout \\
                      tensor_engine_gradients
"""

import numpy as np

from tinygrad_edu import Tensor, nn
from tinygrad_edu.nn.functional import linear


def to_report_layout(pairs):
    """The report's params dict for an MLP given as nn.Linear's (weight, bias) pairs.

    pairs: [(weight_1, bias_1), ...], first layer first, weight_k (n_k, n_{k−1}), bias_k (n_k,).
    Returns {"W1": ..., "b1": ..., "W2": ...} with W_k (n_k, n_{k−1}) and b_k (n_k, 1): new arrays,
    so that changing them leaves the pairs unchanged.
    """
    params = {}
    for k, (weight, bias) in enumerate(pairs, start=1):
        params[f"W{k}"] = np.array(weight)
        params[f"b{k}"] = np.array(bias).reshape(-1, 1)
    return params


def tensor_engine_gradients(pairs, x, labels):
    """The gradients of an MLP's batch-mean cross-entropy, computed by tinygrad_edu's Tensor engine.

    pairs: [(weight_k (n_k, n_{k−1}), bias_k (n_k,)), ...] float64, first layer first; ReLU after
    every layer but the last. x: inputs (N, n_0); labels: class indices (N,).
    Returns [(dweight_1, dbias_1), ...] in the pairs' layout (numpy arrays), leaving pairs as given.
    Use Tensor(..., requires_grad=True), the library's ops and .backward(): no hand derivation.
    """
    tensors = [(Tensor(w, requires_grad=True), Tensor(b, requires_grad=True)) for w, b in pairs]
    h = Tensor(x, dtype=np.float64)
    for k, (weight, bias) in enumerate(tensors):
        h = linear(h, weight, bias)
        if k < len(tensors) - 1:
            h = h.relu()
    nn.cross_entropy(h, labels).backward()
    return [(weight.grad, bias.grad) for weight, bias in tensors]
