"""Argument checks of the optimizers: hyperparameters as finite Python floats in range."""

import math
import numbers


def check_range(name, value, low=None, high=None, low_open=False):
    """`value` as a Python float; ValueError naming `name` unless it is finite and low ≤ value < high.

    (low < value if low_open.) A Python float keeps a float32 update in float32,
    where a numpy float64 hyperparameter would compute it in float64.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if low is not None and (value <= low if low_open else value < low):
        raise ValueError(f"{name} must be {'>' if low_open else '≥'} {low}, got {value}")
    if high is not None and value >= high:
        raise ValueError(f"{name} must be < {high}, got {value}")
    return float(value)
