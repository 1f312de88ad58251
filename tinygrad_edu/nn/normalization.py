"""Normalization layers: BatchNorm1d, BatchNorm2d and LayerNorm, with PyTorch's names (lesson 6).

Each rescales its input to mean 0 and variance 1 over some axes, then applies a
learned per-feature scale γ (`weight`) and shift β (`bias`):
`y = (x − μ) / √(σ² + eps) · γ + β`. BatchNorm takes μ, σ² over the batch (and the
positions), per channel; LayerNorm over the last axes, per example. The forward is
made of Tensor ops (mean, −, **, ·), so backward and second derivatives come from theirs.
"""

import numbers

import numpy as np

from tinygrad_edu.autograd.tensor import Tensor
from tinygrad_edu.nn._checks import check_dtype, check_parameter_count, is_int
from tinygrad_edu.nn.module import Module


def _check_eps(owner, eps):
    if isinstance(eps, bool) or not isinstance(eps, numbers.Real) or not 0 < eps < np.inf:
        raise ValueError(f"{owner}: eps must be a positive finite number, got {eps!r}")
    return float(eps)


def _check_flag(owner, name, flag):
    if not isinstance(flag, (bool, np.bool_)):
        raise TypeError(f"{owner}: {name} must be True or False, got {flag!r}")
    return bool(flag)


def _normalize(x, mean, var, eps):
    """(x − mean) / √(var + eps), mean and var broadcast along `axes`."""
    return (x - mean) * (var + eps) ** -0.5


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1,
               eps=1e-5):
    """`y[n, c, …] = (x[n, c, …] − μ_c) / √(σ²_c + eps) · γ_c + β_c` for x (N, C) or (N, C, …)

    In training (or without running statistics) μ, σ² are the batch's mean and biased
    variance over every axis but 1, and the running arrays (if given) are updated in
    place: `r ← (1 − momentum) r + momentum · s`, with the unbiased variance for
    running_var (as PyTorch). Otherwise μ, σ² are the running arrays.
    """
    x, eps = input, _check_eps("batch_norm", eps)
    training = _check_flag("batch_norm", "training", training)
    is_fraction = isinstance(momentum, numbers.Real) and not isinstance(momentum, bool) and 0 <= momentum <= 1
    if training and running_mean is not None and not is_fraction:  # only then is momentum used
        raise ValueError(f"batch_norm: momentum must be a number in [0, 1], got {momentum!r}")
    if not isinstance(x, Tensor) or x.ndim < 2:
        shape = x.shape if isinstance(x, Tensor) else type(x).__name__
        raise ValueError(f"batch_norm: input must be a Tensor of shape (N, C, …), got {shape}")
    c = x.shape[1]
    axes = (0,) + tuple(range(2, x.ndim))
    per_channel = (1, c) + (1,) * (x.ndim - 2)
    for name, array in (("running_mean", running_mean), ("running_var", running_var)):
        if array is not None and np.shape(array) != (c,):
            raise ValueError(
                f"batch_norm: {name} of shape {np.shape(array)} does not fit {c} channels of input {x.shape}"
            )
    weight = None if weight is None else x._constant(weight)  # dtypes checked before any update
    bias = None if bias is None else x._constant(bias)
    if training or running_mean is None:
        count = x.size // c
        if training and count == 1:
            raise ValueError(f"batch_norm: training needs more than 1 value per channel, got {x.shape}")
        mean = x.mean(axis=axes, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
        if training and running_mean is not None:
            running_mean *= 1 - momentum
            running_mean += momentum * mean.data.reshape(c)
            running_var *= 1 - momentum
            running_var += momentum * var.data.reshape(c) * (count / (count - 1))
    else:
        mean = x._constant(np.reshape(running_mean, per_channel).astype(x.dtype))
        var = x._constant(np.reshape(running_var, per_channel).astype(x.dtype))
    y = _normalize(x, mean, var, eps)
    if weight is not None:
        y = y * weight.reshape(*per_channel)
    if bias is not None:
        y = y + bias.reshape(*per_channel)
    return y


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """`y = (x − μ) / √(σ² + eps) · γ + β`, μ and σ² (biased) over the last len(normalized_shape) axes

    x (…, *normalized_shape); γ, β of normalized_shape, applied elementwise.
    """
    x, eps = input, _check_eps("layer_norm", eps)
    shape = (normalized_shape,) if is_int(normalized_shape) else tuple(normalized_shape)
    if not all(map(is_int, shape)):
        raise TypeError(f"layer_norm: normalized_shape must be ints, got {normalized_shape!r}")
    if not isinstance(x, Tensor) or x.ndim < len(shape) or x.shape[x.ndim - len(shape):] != shape:
        got = x.shape if isinstance(x, Tensor) else type(x).__name__
        want = ", ".join(map(str, shape))
        raise ValueError(f"layer_norm: input must be a Tensor of shape (…, {want}), got {got}")
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    y = _normalize(x, mean, var, eps)
    if weight is not None:
        y = y * x._constant(weight)
    if bias is not None:
        y = y + x._constant(bias)
    return y


class _BatchNorm(Module):
    """What BatchNorm1d and BatchNorm2d share; they differ in the input ranks they take."""

    ranks = ()

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True,
                 dtype="float32"):
        owner = type(self).__name__
        if not is_int(num_features) or num_features < 1:
            raise ValueError(f"{owner}: num_features must be a positive integer, got {num_features!r}")
        if momentum is not None and (
            isinstance(momentum, bool) or not isinstance(momentum, numbers.Real) or not 0 <= momentum <= 1
        ):
            raise ValueError(f"{owner}: momentum must be a number in [0, 1] or None, got {momentum!r}")
        check_parameter_count(owner, [(num_features,)] * 4)  # weight, bias, running mean and variance
        self.num_features, self.eps, self.momentum = int(num_features), _check_eps(owner, eps), momentum
        self.affine = _check_flag(owner, "affine", affine)
        self.track_running_stats = _check_flag(owner, "track_running_stats", track_running_stats)
        dtype = check_dtype(owner, dtype)
        self.weight = Tensor(np.ones(num_features), requires_grad=True, dtype=dtype) if affine else None
        self.bias = Tensor(np.zeros(num_features), requires_grad=True, dtype=dtype) if affine else None
        tracked = self.track_running_stats
        self.register_buffer("running_mean", np.zeros(num_features, dtype) if tracked else None)
        self.register_buffer("running_var", np.ones(num_features, dtype) if tracked else None)
        self.register_buffer("num_batches_tracked", np.array(0, np.int64) if tracked else None)

    def forward(self, x):
        owner = type(self).__name__
        if not isinstance(x, Tensor) or x.ndim not in self.ranks:
            got = f"{x.ndim}-d input of shape {x.shape}" if isinstance(x, Tensor) else type(x).__name__
            want = " or ".join(f"{r}-d" for r in self.ranks)
            raise ValueError(f"{owner}: expected {want} input (N, C, …), got {got}")
        if x.shape[1] != self.num_features:
            raise ValueError(
                f"{owner}: input of shape {x.shape} has {x.shape[1]} channels (dim 1), "
                f"expected num_features={self.num_features}"
            )
        updating = self.training and self.track_running_stats
        momentum = self.momentum
        if updating and momentum is None:  # PyTorch's cumulative average: every batch weighs the same
            momentum = 1 / (int(self.num_batches_tracked) + 1)
        y = batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                       self.training or not self.track_running_stats, momentum, self.eps)
        if updating:  # counted once batch_norm has accepted the batch
            self.num_batches_tracked += 1
        return y

    def __repr__(self):
        return (f"{type(self).__name__}({self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, track_running_stats={self.track_running_stats})")


class BatchNorm1d(_BatchNorm):
    """Batch normalization of (N, C) or (N, C, L) inputs, per channel C; see `batch_norm`.

    Buffers running_mean, running_var, num_batches_tracked (PyTorch's names): after
    `eval()`, the running statistics are used instead of the batch's.
    """

    ranks = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalization of (N, C, H, W) inputs, per channel C; see `BatchNorm1d`."""

    ranks = (4,)


class LayerNorm(Module):
    """Layer normalization over the last axes `normalized_shape` (an int or a tuple); see `layer_norm`."""

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True, dtype="float32"):
        shape = (normalized_shape,) if is_int(normalized_shape) else normalized_shape
        if not isinstance(shape, (tuple, list)) or not shape or not all(is_int(n) and n > 0 for n in shape):
            raise ValueError(
                "LayerNorm: normalized_shape must be a positive int or a tuple of them, "
                f"got {normalized_shape!r}"
            )
        self.normalized_shape = tuple(int(n) for n in shape)
        check_parameter_count("LayerNorm", [self.normalized_shape] * 2)
        self.eps = _check_eps("LayerNorm", eps)
        self.elementwise_affine = _check_flag("LayerNorm", "elementwise_affine", elementwise_affine)
        _check_flag("LayerNorm", "bias", bias)
        dtype = check_dtype("LayerNorm", dtype)
        ones, zeros = np.ones(self.normalized_shape), np.zeros(self.normalized_shape)
        affine = self.elementwise_affine
        self.weight = Tensor(ones, requires_grad=True, dtype=dtype) if affine else None
        self.bias = Tensor(zeros, requires_grad=True, dtype=dtype) if affine and bias else None

    def forward(self, x):
        return layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def __repr__(self):
        affine = self.elementwise_affine
        return f"LayerNorm({self.normalized_shape}, eps={self.eps}, elementwise_affine={affine})"
