"""The properties each exercise is graded on, one module per lesson part.

Each module maps exercise names to lists of `grading.Property`, in the order they are checked:
the shape of the answer first, then its values, then the edge cases a lesson warns about.
The helpers below turn a wrong answer into a `PropertyFailed` that says what was expected.
"""

import numpy as np

from tinygrad_edu.course.grading import PropertyFailed


def expect_shape(what, got, shape):
    """`got` must be an array-like of `shape`; returns it as a float64 array."""
    if got is None:
        raise PropertyFailed(f"shape of {what}", shape, "None (nothing returned)")
    try:
        array = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError, RuntimeError):  # RuntimeError: a Tensor that requires grad
        raise PropertyFailed(what, f"an array of shape {shape}", repr(got)) from None
    if array.shape != tuple(shape):
        raise PropertyFailed(f"shape of {what}", tuple(shape), array.shape)
    return array


def expect_close(what, got, expected, atol=1e-7, rtol=1e-6):
    """`got` must equal `expected` (a number or array) to atol + rtol·|expected|; NaN never does."""
    expected = np.asarray(expected, dtype=np.float64)
    got = expect_shape(what, got, expected.shape)
    if not np.all(np.abs(got - expected) <= atol + rtol * np.abs(expected)):
        raise PropertyFailed(what, expected[()], got[()])


def expect_tuple(what, got, length):
    """`got` must be a tuple or list of `length` items; returns it."""
    if not isinstance(got, (tuple, list)) or len(got) != length:
        raise PropertyFailed(what, f"a tuple of {length}", repr(got))
    return got
