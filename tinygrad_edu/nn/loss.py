"""Losses, checked: what the labels may be, and the ops that compute the loss (lesson 6).

PyTorch's forms: logits (N, C) or (N, C, d1, …) with class indices (N, d1, …) or
probabilities of the logits' shape; `reduction`, `ignore_index`, `weight`,
`label_smoothing`. The plain case (2-D, mean, no options) runs the fused op whose
backward is (ŷ − y) / N; every other case is composed of Tensor ops.
"""

import numbers

import numpy as np

from tinygrad_edu.autograd._checks import is_int
from tinygrad_edu.autograd.ops.arithmetic import times_constant
from tinygrad_edu.autograd.tensor import Tensor
from tinygrad_edu.nn._checks import check_probability_rows
from tinygrad_edu.nn.fused import softmax_cross_entropy
from tinygrad_edu.nn.module import Module

REDUCTIONS = ("mean", "sum", "none")


def _check_input(owner, x, what):
    if not isinstance(x, Tensor) or x.ndim < 2:
        shape = x.shape if isinstance(x, Tensor) else type(x).__name__
        raise ValueError(f"{owner}: {what} must be a 2-D Tensor (N, C), got {shape} (or N-d: (N, C, d1, …))")
    n, n_classes = x.shape[:2]
    if n == 0:
        raise ValueError(f"{owner}: an empty batch (0 rows) has no mean loss")
    if n_classes == 0:
        raise ValueError(f"{owner}: {what} of shape {x.shape} have no classes (dim 1 is 0)")


def _check_options(owner, reduction, ignore_index, weight, n_classes, dtype):
    """The checked weight: None, or a (C,) array in `dtype`."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"{owner}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    if not is_int(ignore_index):
        raise TypeError(f"{owner}: ignore_index must be an integer, got {ignore_index!r}")
    if weight is None:
        return None
    weight = np.array(weight.data if isinstance(weight, Tensor) else weight)
    if weight.dtype.kind not in "iuf" or weight.shape != (n_classes,):
        raise ValueError(
            f"{owner}: weight must be {n_classes} numbers, one per class, "
            f"got {weight.dtype} of shape {weight.shape}"
        )
    return weight.astype(dtype)


def _check_indices(owner, labels, n_classes, ignore_index):
    """The positions whose label is not ignore_index (booleans, labels' shape); labels checked in range."""
    if labels.dtype.kind not in "iu":
        raise TypeError(
            f"{owner}: class indices must have an integer dtype, got {labels.dtype} "
            f"(or pass one-hot rows of the logits' shape)"
        )
    valid = labels != ignore_index
    outside = valid & ((labels < 0) | (labels >= n_classes))
    if outside.any():
        at = tuple(int(i) for i in np.argwhere(outside)[0])
        raise ValueError(
            f"{owner}: label {labels[at]} at position {at[0] if len(at) == 1 else at} is out of range "
            f"for {n_classes} classes (0 to {n_classes - 1}; ignore_index={ignore_index} is skipped)"
        )
    return valid


def _reduce(losses, reduction, total):
    """losses as they are ('none'), summed, or summed / total ('mean'; nan when total is 0, as PyTorch)."""
    if reduction == "none":
        return losses
    if reduction == "sum":
        return losses.sum()
    return losses.sum() * (np.nan if total == 0 else 1 / total)


def _nll(log_probs, labels, valid, weight, reduction):
    """`−w[t] · log_probs[n, t, …]` at every kept position, reduced; the mean divides by `Σ w[t]`."""
    safe = np.where(valid, labels, 0)
    picked = log_probs.gather(1, np.expand_dims(safe, 1)).reshape(*labels.shape)
    w = valid.astype(log_probs.dtype) if weight is None else np.where(valid, weight[safe], 0)
    losses = times_constant(picked.masked_fill(~valid, 0), -w)  # an ignored −inf never meets its 0
    return _reduce(losses, reduction, w.sum()), w.sum()


def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """`L = −Σ w[t] · input[n, t, …] / Σ w[t]` (mean) for log-probabilities (N, C, …), classes t (N, …)

    Positions whose target is `ignore_index` add nothing, to the sum or to the count
    (all ignored: the mean is nan, as in PyTorch). `weight` (C,): one factor per class.
    """
    _check_input("nll_loss", input, "input")
    weight = _check_options("nll_loss", reduction, ignore_index, weight, input.shape[1], input.dtype)
    target = np.array(target.data if isinstance(target, Tensor) else target)
    expected = input.shape[:1] + input.shape[2:]
    if target.shape != expected:
        raise ValueError(
            f"nll_loss: target of shape {target.shape} should be {expected} for input {input.shape}"
        )
    valid = _check_indices("nll_loss", target, input.shape[1], ignore_index)
    return _nll(input, target, valid, weight, reduction)[0]


def cross_entropy(logits, labels, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """Cross-entropy of softmax(logits) along dim 1 against labels; a scalar Tensor unless reduction='none'.

    logits (N, C) or (N, C, d1, …). `labels` are class indices (N, d1, …) of an integer
    dtype, or one-hot / probability rows of the logits' shape: finite, ≥ 0, summing to 1
    over C within 1e-4 (PyTorch does not check; a row summing to 5 would give a
    meaningless, possibly negative, loss). With `label_smoothing` ε the target is
    (1 − ε) y + ε / C. The plain case's backward is the fused (softmax − y) / N.
    """
    _check_input("cross_entropy", logits, "logits")
    n_classes = logits.shape[1]
    weight = _check_options("cross_entropy", reduction, ignore_index, weight, n_classes, logits.dtype)
    eps = label_smoothing
    if isinstance(eps, bool) or not isinstance(eps, numbers.Real) or not 0 <= eps <= 1:
        raise ValueError(f"cross_entropy: label_smoothing must be a number in [0, 1], got {eps!r}")
    labels = labels.data if isinstance(labels, Tensor) else np.asarray(labels)
    index_shape = logits.shape[:1] + logits.shape[2:]
    plain = logits.ndim == 2 and reduction == "mean" and eps == 0 and weight is None
    if labels.shape == index_shape:
        valid = _check_indices("cross_entropy", labels, n_classes, ignore_index)
        if plain and valid.all():
            target = np.zeros(logits.shape, dtype=logits.dtype)
            target[np.arange(len(labels)), labels] = 1
            return softmax_cross_entropy(logits, target)
        return _cross_entropy_of_indices(logits, labels, valid, weight, reduction, eps)
    if labels.shape == logits.shape:
        if labels.dtype.kind not in "fiub":
            raise TypeError(f"cross_entropy: one-hot rows must be numbers, got {labels.dtype}")
        check_probability_rows(np.moveaxis(labels, 1, -1).reshape(-1, n_classes))
        if plain:
            return softmax_cross_entropy(logits, labels)
        return _cross_entropy_of_probabilities(logits, labels, weight, reduction, eps)
    raise ValueError(
        f"cross_entropy: labels of shape {labels.shape} fit neither class indices {index_shape} "
        f"nor one-hot rows {logits.shape} for logits of shape {logits.shape}"
    )


def _class_axis(array, ndim):
    """A (C,) array shaped (1, C, 1, …) to broadcast along dim 1 of an ndim-d tensor."""
    return array.reshape((1, -1) + (1,) * (ndim - 2))


def _cross_entropy_of_indices(logits, labels, valid, weight, reduction, eps):
    """(1 − ε) · nll + ε/C · (−Σ_c w_c log p_c), both normalised by `Σ w[t]` for the mean (PyTorch)."""
    log_p = logits.log_softmax(axis=1)
    nll, total = _nll(log_p, labels, valid, weight, reduction)
    if eps == 0:
        return nll
    w = np.ones(logits.shape[1], logits.dtype) if weight is None else weight
    smooth = -times_constant(log_p, _class_axis(w, logits.ndim)).sum(axis=1).masked_fill(~valid, 0)
    return nll * (1 - eps) + _reduce(smooth, reduction, total) * (eps / logits.shape[1])


def _cross_entropy_of_probabilities(logits, labels, weight, reduction, eps):
    """−Σ_c w_c y_c log p_c per position, y = (1 − ε) labels + ε/C; the mean is over the N·d1·… positions."""
    y = labels.astype(logits.dtype) * (1 - eps) + eps / logits.shape[1]
    if weight is not None:
        y = y * _class_axis(weight, logits.ndim)
    log_p = logits.log_softmax(axis=1).masked_fill(y == 0, 0)  # a class of target 0 adds 0, even at −inf
    losses = -times_constant(log_p, y).sum(axis=1)
    return _reduce(losses, reduction, losses.size)


class CrossEntropyLoss(Module):
    """`CrossEntropyLoss(...)(logits, labels)` is `cross_entropy(logits, labels, ...)`, as in PyTorch."""

    def __init__(self, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
        self.options = dict(weight=weight, ignore_index=ignore_index, reduction=reduction,
                            label_smoothing=label_smoothing)

    def forward(self, logits, labels):
        return cross_entropy(logits, labels, **self.options)


class NLLLoss(Module):
    """`NLLLoss(...)(log_probs, target)` is `nll_loss(log_probs, target, ...)`, as in PyTorch."""

    def __init__(self, weight=None, ignore_index=-100, reduction="mean"):
        self.options = dict(weight=weight, ignore_index=ignore_index, reduction=reduction)

    def forward(self, log_probs, target):
        return nll_loss(log_probs, target, **self.options)
