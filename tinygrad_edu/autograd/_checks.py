"""Argument checks shared by the Tensor ops: dtypes, axes, integers."""

import numpy as np

_FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def float_dtype(dtype):
    """np.float32 or np.float64 from any spelling of them; ValueError otherwise."""
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        resolved = None
    if resolved is None or resolved not in _FLOAT_DTYPES:  # (np.dtype == None is True: float64)
        shown = repr(dtype) if resolved is None else resolved
        raise ValueError(f"Tensor dtype must be float32 or float64, got {shown}")
    return resolved


def normalize_axes(axis, ndim, op, single=False):
    """`axis` (None, an int or a tuple of ints, negative allowed) as a sorted tuple of axes.

    `op` names the caller in the errors; `single=True` accepts one int axis only.
    """
    if axis is None and not single:
        return tuple(range(ndim))
    axes = (axis,) if is_int(axis) else int_sequence(axis)
    if single and not is_int(axis) or axes is None or not all(map(is_int, axes)):
        wanted = "an int" if single else "an int, a tuple of ints or None"
        raise TypeError(f"{op}: axis must be {wanted}, got {type(axis).__name__} {axis!r}")
    for a in axes:
        if not -ndim <= a < ndim:  # a 0-d tensor has no axes: any int is out of range (numpy's rule)
            raise ValueError(f"{op}: axis {a} is out of range for a tensor with {ndim} axes (ndim={ndim})")
    normalized = sorted({int(a) % ndim for a in axes})
    if len(normalized) != len(axes):
        raise ValueError(f"{op}: repeated axis in {axis}")
    return tuple(normalized)


def int_sequence(value):
    """A tuple, a list or a 1-D integer numpy array (numpy's way to hold sizes) as a tuple; None otherwise."""
    if isinstance(value, (tuple, list)):
        return tuple(value)
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.dtype.kind in "iu":
        return tuple(value.tolist())
    return None


def unpack_sizes(args):
    """`f(2, 3)` and `f((2, 3))` alike (also a list or a 1-D integer array): the sizes as a tuple."""
    if len(args) == 1 and (sizes := int_sequence(args[0])) is not None:
        return sizes
    return args


def is_int(value):
    """True for a Python or numpy integer (a bool is not an axis, a size or an index here)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def one_spelling(op, names, numpy_value, torch_value, default):
    """The argument given as numpy's name or PyTorch's (`names` = the two), `default` if neither.

    Giving both is refused: which one was meant cannot be guessed.
    """
    if numpy_value is not None and torch_value is not None:
        raise TypeError(f"{op}: got both {names[0]}= and {names[1]}=; give one (they mean the same)")
    if numpy_value is None and torch_value is None:
        return default
    return torch_value if numpy_value is None else numpy_value
