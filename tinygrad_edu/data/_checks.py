"""Argument checks of the data functions: paths, shapes, checksums, dtypes, sizes and seeds."""

from __future__ import annotations

import numbers
import os
from pathlib import Path

import numpy as np


def as_path(path: object, argument: str) -> Path:
    """``Path(path)`` with ``~`` expanded; a clear TypeError for anything that is not a path."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{argument} must be a folder path (str or os.PathLike), got {path!r}")
    return Path(path).expanduser()


def checked_shape(shape: object) -> tuple[int, ...] | None:
    """``shape`` as a tuple of non-negative ints (or None); a ValueError naming it otherwise."""
    if shape is None:
        return None
    if not isinstance(shape, (tuple, list)) or not all(is_int(n) and n >= 0 for n in shape):
        raise ValueError(f"shape must be a tuple of non-negative integers, got {shape!r}")
    return tuple(int(n) for n in shape)


def checked_sha256(sha256: object) -> str | None:
    """``sha256`` in lower case (or None); a ValueError unless it is 64 hexadecimal digits."""
    if sha256 is None:
        return None
    if (
        not isinstance(sha256, str)
        or len(sha256) != 64
        or any(c not in "0123456789abcdef" for c in sha256.lower())
    ):
        raise ValueError(f"sha256 must be 64 hexadecimal digits or None, got {sha256!r}")
    return sha256.lower()


def float_dtype(dtype: object) -> np.dtype:
    """``np.dtype(dtype)`` if it is float32 or float64, else a ValueError."""
    message = f"dtype must be float32 or float64, got {dtype!r}"
    if dtype is None:  # np.dtype(None) would quietly mean float64
        raise ValueError(message)
    try:
        result = np.dtype(dtype)  # type: ignore[call-overload]
    except TypeError as error:
        raise ValueError(message) from error
    if result not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(message)
    return result


def is_int(value: object) -> bool:
    """True for Python and numpy integers and 0-d integer arrays, but not for bools."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def checked_int(value: object, argument: str, low: int, high: int | None = None) -> int:
    """``int(value)`` if it is an integer (not a bool), ``low <= value`` (``<= high``); else a ValueError."""
    if high is not None:
        requirement = f"an integer with {low - 1} < {argument} < {high + 1}"
    else:
        requirement = {0: "a non-negative integer", 1: "a positive integer"}.get(low, f"an integer >= {low}")
    if not is_int(value) or not low <= value or (high is not None and value > high):
        raise ValueError(f"{argument} must be {requirement}, got {value!r}")
    return int(value)  # type: ignore[call-overload]


def checked_bool(value: object, argument: str) -> bool:
    """``bool(value)`` if it is True or False (numpy bools too); a TypeError otherwise (1, "no")."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{argument} must be True or False, got {value!r}")
    return bool(value)


def check_seed(seed: object, argument: str, generator_allowed: bool = False) -> None:
    """A ValueError naming ``argument`` unless ``seed`` is None, an int >= 0 (or a Generator, if allowed)."""
    if seed is None or (is_int(seed) and seed >= 0):
        return
    if generator_allowed and isinstance(seed, np.random.Generator):
        return
    kinds = (
        "None, a non-negative integer or a np.random.Generator"
        if generator_allowed
        else ("None or a non-negative integer")
    )
    raise ValueError(f"{argument} must be {kinds}, got {seed!r}")


def checked_seconds(value: object, argument: str, most: float) -> float:
    """``float(value)`` if it is a real number in (0, most], numpy ones too, not bools; else a ValueError."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) or not 0 < value <= most:
        raise ValueError(f"{argument} must be a positive number of seconds, got {value!r} (at most {most:g})")
    return float(value)
