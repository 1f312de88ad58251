"""Argument checks shared by the Tensor ops: dtypes, axes, integers."""

import math

import numpy as np

_FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
_INT64 = np.iinfo(np.int64)
#: An op whose result would hold more numbers than this (8 GiB of float32) refuses before allocating.
MAX_ELEMENTS = 2**31


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


def check_flag(op, name, value):
    """`value` as a Python bool: True/False or a numpy bool; TypeError naming `name` otherwise (as PyTorch).

    Not `bool(value)`: "no" and 2 are truthy, so a typo would silently switch the option on.
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{op}: {name} must be True or False, got {type(value).__name__} {value!r:.40}")
    return bool(value)


def keepdims_flag(op, keepdims, keepdim):
    """keepdims= (numpy's spelling) or keepdim= (PyTorch's) as a bool, False if neither is given."""
    return check_flag(op, "keepdims", one_spelling(op, ("keepdims", "keepdim"), keepdims, keepdim, False))


def refuse_huge_ints(data, array):
    """OverflowError if `data` (Python numbers, `array` numpy's reading of them) holds an int outside int64.

    PyTorch refuses such an int; numpy keeps it as an object array (2**70), or turns it into
    uint64 or float64 ([1, 2**63]): none of them a number a float32 tensor should quietly round.
    """
    small = array.dtype.kind == "f" and not np.any(np.abs(array) >= 2.0**63)
    if small or array.dtype.kind == "u" and array.dtype.itemsize < 8:
        return  # the common case, no walk: every number is small
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, (list, tuple)):
            pending.extend(item)
        elif isinstance(item, int) and not isinstance(item, bool) and not _INT64.min <= item <= _INT64.max:
            raise OverflowError(
                f"Tensor: the integer {item} is outside the int64 range (|n| < 2**63), as PyTorch refuses "
                f"it too; write it as a float if you mean one ({float(item):.6g})"
            )


def check_elements(op, shape):
    """ValueError naming `op` if an array of `shape` would hold more than MAX_ELEMENTS numbers.

    Checked before numpy allocates it, so a typo of a size (10**12) fails with its cause named,
    not with a MemoryError from deep inside numpy.
    """
    count = math.prod(int(n) for n in shape)
    if count > MAX_ELEMENTS:
        raise ValueError(
            f"{op}: the result would have shape {tuple(shape)}, {count:,} numbers, more than the "
            f"{MAX_ELEMENTS:,} (2**31) this library allocates; check the sizes"
        )
