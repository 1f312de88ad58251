"""Argument checks of nn's layers and losses: sizes, dtypes, seeds, probability rows."""

import math

import numpy as np

from tinygrad_edu.autograd.tensor import Tensor

#: More parameters than this (8 GiB of float32) is refused before numpy tries to allocate them.
MAX_PARAMETERS = 2**31


def is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def check_dtype(owner, dtype):
    """np.float32 or np.float64 from one of their spellings; ValueError naming `owner` otherwise."""
    try:
        resolved = None if dtype is None else np.dtype(dtype)
    except TypeError:
        resolved = None
    if resolved is None or resolved not in (np.float32, np.float64):  # (np.dtype == None is True)
        raise ValueError(f"{owner}: dtype must be 'float32' or 'float64', got {dtype!r}")
    return resolved


def check_seed(owner, seed):
    """A seed for np.random.default_rng: None (fresh entropy) or a non-negative int."""
    if seed is not None and (not is_int(seed) or seed < 0):
        raise ValueError(f"{owner}: seed must be a non-negative integer, got {seed!r}")
    return seed


def check_parameter_count(owner, shapes):
    """ValueError naming `owner` if the tensors of `shapes` hold more than MAX_PARAMETERS numbers.

    Counted before any allocation: numpy would otherwise die with a MemoryError (or worse,
    start swapping) far from the size that caused it.
    """
    count = sum(math.prod(shape) for shape in shapes)
    if count > MAX_PARAMETERS:
        raise ValueError(
            f"{owner}: these sizes make {count:,} parameters ({4 * count / 2**30:,.0f} GiB in float32), "
            f"more than the {MAX_PARAMETERS:,} (2**31) this library allocates; check the sizes"
        )


def check_tensor(op, x):
    """TypeError naming `op` unless `x` is a Tensor (a numpy array must be wrapped: Tensor(x))."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}: input must be a Tensor, got {type(x).__name__}; wrap arrays as Tensor(x)")


def check_probability_rows(rows):
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
