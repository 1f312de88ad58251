"""Losses, checked: what the labels may be, and the fused op that computes the loss (lesson 6)."""

import numpy as np

from tinygrad_edu.autograd.tensor import Tensor
from tinygrad_edu.nn._checks import check_probability_rows
from tinygrad_edu.nn.functional import softmax_cross_entropy


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
        check_probability_rows(labels)
        target = labels
    else:
        raise ValueError(
            f"cross_entropy: labels of shape {labels.shape} fit neither class indices ({n},) "
            f"nor one-hot rows ({n}, {n_classes}) for logits of shape {logits.shape}"
        )
    return softmax_cross_entropy(logits, target)
