"""Lesson 5, the report's derivation: softmax with cross-entropy, and the δ-recursion.

Check your work:  python -m tinygrad_edu.course check --dir DIR softmax_cross_entropy back_propagate
"""

import numpy as np


def softmax_cross_entropy(logits, y):
    """The mean cross-entropy of softmax(logits) against one-hot labels y, and its gradient.

    logits, y: (N, C), one example per row.
    loss = −(1/N) Σₙ Σ_c y[n, c] · log softmax(logits[n])[c]
    Returns (loss, dlogits): a float and ∂loss/∂logits of shape (N, C).
    It must stay finite for logits as large as ±1000.
    """
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_sum_exp = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    log_probs = shifted - log_sum_exp
    n = logits.shape[0]
    loss = -float(np.sum(y * log_probs)) / n
    return loss, (np.exp(log_probs) - y) / n


def back_propagate(params, cache, y):
    """The gradients of the report's network, any number of layers L ≥ 1, by the δ-recursion.

    params: {"W1": W_1, "b1": b_1, ..., "WL": W_L, "bL": b_L}, W_k (n_k, n_{k−1}), b_k (n_k, 1).
    cache: the forward pass on a batch of m examples, one example per column:
        "A0" = xᵀ (n_0, m);  "Zk" = W_k A_{k−1} + b_k;  "Ak" = relu(Z_k) for k < L;
        "AL" = softmax(Z_L) over each column (n_L, m), the predicted probabilities ŷ.
    y: one-hot labels (m, n_L), one example per row.
    Returns {"W1": ∂loss/∂W_1, "b1": ∂loss/∂b_1, ...}, each of its parameter's shape, for the
    batch-mean cross-entropy loss = −(1/m) Σ y log ŷ.
    """
    n_layers = len(params) // 2
    m = y.shape[0]
    grads = {}
    dZ = (cache[f"A{n_layers}"] - y.T) / m
    for k in range(n_layers, 0, -1):
        A_prev = cache[f"A{k - 1}"]
        grads[f"W{k}"] = dZ @ A_prev.T
        grads[f"b{k}"] = dZ.sum(axis=1, keepdims=True)
        if k > 1:
            dZ = (params[f"W{k}"].T @ dZ) * (cache[f"Z{k - 1}"] > 0)
    return grads
