"""Argument checks of the report's network, kept apart so that network.py reads like the derivation.

Each check raises a ValueError or TypeError that names the argument, its
expected shape or range, and what was given; each returns the value in the
form the network computes with (Python ints and floats, arrays of its dtype).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from numbers import Integral, Real

import numpy as np

from tinygrad_edu.report.activations import ACTIVATION_ALIASES, ACTIVATIONS

OPTIMIZERS = ("sgd", "momentum")


#: More parameters than this (8 GiB of float32) is refused before numpy tries to allocate them.
MAX_PARAMETERS = 2**31


def is_int(value) -> bool:
    """True for Python and numpy integers, not for bools."""
    return isinstance(value, Integral) and not isinstance(value, (bool, np.bool_))


def is_real(value) -> bool:
    """True for Python and numpy real numbers, not for bools."""
    return isinstance(value, Real) and not isinstance(value, (bool, np.bool_))


def check_network_args(sizes, epochs, activation, seed, dtype):
    """The constructor's arguments as (tuple of ints, int, activation name, int, np.dtype)."""
    if isinstance(sizes, np.ndarray) and sizes.ndim == 1 and sizes.dtype.kind in "iu":
        sizes = sizes.tolist()
    if not isinstance(sizes, (list, tuple)):
        raise ValueError(
            f"sizes must be a list of layer widths such as [784, 600, 10], got {type(sizes).__name__} "
            f"{sizes!r:.80}"
        )
    sizes = tuple(sizes)
    if len(sizes) < 2 or not all(is_int(n) and n > 0 for n in sizes):
        raise ValueError(
            f"sizes must list at least two positive ints (input width first, "
            f"number of classes last), got {sizes!r:.80}"
        )
    n_parameters = sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    if n_parameters > MAX_PARAMETERS:  # refused before numpy tries, and dies with a MemoryError
        raise ValueError(
            f"sizes {sizes!r:.80} make {n_parameters:,} parameters, more than the {MAX_PARAMETERS:,} (2**31) "
            "this network allocates; check the sizes"
        )
    if not is_int(epochs) or epochs < 1:
        raise ValueError(f"epochs must be an int >= 1, got {epochs!r}")
    name = ACTIVATION_ALIASES.get(activation, activation) if isinstance(activation, str) else None
    if name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {tuple(ACTIVATIONS)}, got {activation!r}")
    if not is_int(seed) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    try:  # np.dtype(None) would be float64: None is refused, not silently widened
        resolved = None if dtype is None else np.dtype(dtype)
    except TypeError:
        resolved = None
    if resolved is None or resolved not in (np.float32, np.float64):  # (np.dtype == None is True)
        raise ValueError(f"dtype must be 'float32' or 'float64', got {dtype!r}")
    return tuple(int(n) for n in sizes), int(epochs), name, int(seed), resolved


def numeric_array(values, name: str) -> np.ndarray:
    """values as a numpy array of real numbers (bool, int or float); TypeError naming `name` otherwise."""
    try:
        array = np.asarray(values)
    except ValueError as error:  # e.g. ragged nested lists
        raise TypeError(f"{name} must be an array of numbers: {error}") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got an array of dtype {array.dtype}")
    return array


def check_x(x, n_inputs: int, dtype: np.dtype, name: str = "x") -> np.ndarray:
    """x as a (m, n_inputs) array of `dtype` with m ≥ 1 (no copy if it already is)."""
    x = numeric_array(x, name).astype(dtype, copy=False)
    if x.ndim != 2 or x.shape[1] != n_inputs or x.shape[0] == 0:
        raise ValueError(f"{name} must have shape (batch, {n_inputs}) with batch >= 1, got shape {x.shape}")
    return x


def check_y(y, output_shape: tuple[int, int], dtype: np.dtype, name: str = "y") -> np.ndarray:
    """y as one-hot (or probability) rows (m, n_L) matching an output of shape (n_L, m)."""
    y = numeric_array(y, name).astype(dtype, copy=False)
    expected = tuple(output_shape)[::-1]
    if y.shape != expected:
        hint = f" (for class indices use np.eye({expected[1]})[labels])" if y.ndim == 1 else ""
        raise ValueError(
            f"{name} must be one-hot of shape (batch, classes) = {expected}, the "
            f"transpose of the output's shape {tuple(output_shape)}; got shape {y.shape}{hint}"
        )
    good_rows = (y >= 0).all(axis=1) & (np.abs(y.sum(axis=1) - 1) <= 1e-4)  # also False for a nan
    if not good_rows.all():
        row = int(np.flatnonzero(~good_rows)[0])
        raise ValueError(
            f"{name} must hold one-hot (or probability) rows, each ≥ 0 and summing to 1; "
            f"row {row} is {y[row].tolist()!r:.80}"
        )
    return y


def check_output(output, n_classes: int, dtype: np.dtype) -> np.ndarray:
    """output as a (n_classes, m) array of `dtype`, the shape feed_forward returns."""
    output = numeric_array(output, "output").astype(dtype, copy=False)
    if output.ndim != 2 or output.shape[0] != n_classes:
        raise ValueError(
            f"output must have shape ({n_classes}, batch), as returned by feed_forward; "
            f"got shape {output.shape}"
        )
    return output


def check_fresh_output(output, cache: dict, n_layers: int, updates_since: int) -> None:
    """Refuse an output that is not the A_L in `cache`, or a cache older than the weights."""
    latest = cache[f"A{n_layers}"]
    if output is not latest:
        shape = getattr(output, "shape", type(output).__name__)
        raise ValueError(
            f"output (shape {shape}) is not the array the latest feed_forward returned (shape "
            f"{latest.shape}); back_propagate needs that feed_forward's cache: pass its return value "
            "itself, not a copy or an older batch's output"
        )
    if updates_since:
        raise RuntimeError(
            f"the weights changed {updates_since} time(s) (optimize or set_weights) since the feed_forward "
            "that returned output, so its cache holds the old weights' activations: run feed_forward again"
        )


def check_step_args(l_rate, optimizer, beta) -> tuple[float, float]:
    """Validate the update arguments; return (l_rate, beta) as python floats.

    Python floats matter: ``np.float64(0.1) * g`` computes a float64 copy of
    a float32 g (slower, and rounded differently), ``0.1 * g`` stays float32.
    beta is only used (and only checked) by momentum.
    """
    if not isinstance(optimizer, str) or optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {optimizer!r}")
    if not is_real(l_rate) or not math.isfinite(l_rate) or l_rate <= 0:
        raise ValueError(f"l_rate must be a positive finite number, got {l_rate!r}")
    if optimizer == "sgd":
        return float(l_rate), 0.0
    if not is_real(beta) or not 0 <= beta < 1:
        raise ValueError(f"beta must be a number with 0 <= beta < 1, got {beta!r}")
    return float(l_rate), float(beta)


def check_train_args(batch_size, callback, verbose) -> None:
    """ValueError unless batch_size is a positive int, callback callable or None, verbose True or False."""
    if not isinstance(verbose, (bool, np.bool_)):
        raise ValueError(f"verbose must be True or False, got {verbose!r:.40}")
    if not is_int(batch_size) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    if callback is not None and not callable(callback):
        raise ValueError(f"callback must be callable or None, got {callback!r}")


def check_chunk_size(chunk_size) -> None:
    """ValueError unless chunk_size is a positive int."""
    if not is_int(chunk_size) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive int, got {chunk_size!r}")


def chunks(n: int, size: int) -> Iterator[slice]:
    """Slices covering range(n) in consecutive pieces of at most `size`."""
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))


def check_weight_pairs(weights, params: dict, n_layers: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(weight, bias) pairs checked against params' W_k (n_k, n_{k-1}) and b_k ((n_k,) or (n_k, 1))."""
    try:
        weights = list(weights)
    except TypeError:
        kind = type(weights).__name__
        raise TypeError(f"weights must be a list of (weight, bias) pairs, got {kind}") from None
    if len(weights) != n_layers:
        raise ValueError(f"expected {n_layers} (weight, bias) pairs, got {len(weights)}")
    checked = []
    for k, pair in enumerate(weights, start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValueError(f"layer {k}: expected a (weight, bias) pair, got {pair!r:.60}")
        weight = numeric_array(pair[0], f"layer {k} weight")
        bias = numeric_array(pair[1], f"layer {k} bias")
        W, b = params[f"W{k}"], params[f"b{k}"]
        if weight.shape != W.shape or bias.shape not in (b.shape, b.shape[:1]):
            raise ValueError(
                f"layer {k}: expected weight {W.shape} and bias {b.shape[:1]}, got "
                f"weight {weight.shape} and bias {bias.shape}"
            )
        checked.append((weight, bias))
    return checked
