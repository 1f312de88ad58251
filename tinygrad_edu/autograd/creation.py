"""Tensors made from nothing but a shape: zeros, ones, full, arange, eye, randn, rand (lesson 4).

PyTorch's names and arguments: `zeros(2, 3)` and `zeros((2, 3))` alike (also a list or a 1-D integer
numpy array), `dtype=` and `requires_grad=` as keywords. A result is a leaf: no op made it, so
`backward()` stops there and, with `requires_grad=True`, leaves its gradient in `.grad`.

Choices, and where they differ from PyTorch:
- dtype is float32 unless asked (`dtype=np.float64`, "float64"); the library's ops compute in
  float32 and float64 only. So `arange(5)` is float32 here, where PyTorch makes it int64 from int
  arguments: `arange(5) * 0.5` then works, as a learner expects. `arange(..., dtype=np.int64)` gives
  an int64 tensor (no gradient: an index, as `argmax` gives), from int arguments only.
- `randn` and `rand` draw from a numpy `np.random.Generator`: `generator=` one you own (it
  advances, as PyTorch's does), or `seed=` an int for a new one. With neither, a fresh
  `np.random.default_rng()`: other numbers at every call. PyTorch has one global generator
  (`torch.manual_seed`); this library keeps no global state, so reproducible means passing one.
- Sizes are refused, naming the problem, when they are negative, not ints (a bool, a float, a 0-d
  array), or when the tensor would hold more than 2**31 numbers: checked before numpy allocates.
"""

import math

import numpy as np

from tinygrad_edu.autograd._checks import (
    MAX_ELEMENTS,
    check_elements,
    check_flag,
    float_dtype,
    int_sequence,
    is_int,
    refuse_huge_ints,
)
from tinygrad_edu.autograd.ops.activations import check_number
from tinygrad_edu.autograd.tensor import Tensor

_INT64 = np.dtype(np.int64)


def zeros(*size, dtype=None, requires_grad=False):
    """A tensor of `size` (ints, or one tuple, list or 1-D int array of them) holding 0, as `torch.zeros`."""
    requires_grad = check_flag("zeros", "requires_grad", requires_grad)  # before any work
    shape = _shape("zeros", size)
    return _leaf(np.zeros(shape, dtype=_float_dtype("zeros", dtype)), requires_grad)


def ones(*size, dtype=None, requires_grad=False):
    """A tensor of `size` holding 1, like `torch.ones`."""
    requires_grad = check_flag("ones", "requires_grad", requires_grad)
    shape = _shape("ones", size)
    return _leaf(np.ones(shape, dtype=_float_dtype("ones", dtype)), requires_grad)


def full(size, fill_value, *, dtype=None, requires_grad=False):
    """A tensor of `size` (a tuple, list or 1-D int array) holding `fill_value`, like `torch.full`.

    `fill_value` is a real number (nan and ±inf too); one too large for the dtype (1e300 in float32)
    is refused, as PyTorch refuses it, rather than silently becoming inf.
    """
    requires_grad = check_flag("full", "requires_grad", requires_grad)
    if int_sequence(size) is None:  # as PyTorch: full(3, 1.0) is refused, full((3,), 1.0) is meant
        raise TypeError(f"full: size must be a tuple or list of ints, e.g. (2, 3), got {_shown(size)}")
    shape = _shape("full", (size,))
    dtype = _float_dtype("full", dtype)
    return _leaf(np.full(shape, _fill("full", fill_value, dtype), dtype=dtype), requires_grad)


def zeros_like(input, *, dtype=None, requires_grad=False):
    """Zeros of `input`'s shape and dtype (or `dtype=`), like `torch.zeros_like`; no graph is shared."""
    requires_grad = check_flag("zeros_like", "requires_grad", requires_grad)
    shape, dtype = _like("zeros_like", input, dtype)
    return _leaf(np.zeros(shape, dtype=dtype), requires_grad)


def ones_like(input, *, dtype=None, requires_grad=False):
    """Ones of `input`'s shape and dtype (or `dtype=`), like `torch.ones_like`."""
    requires_grad = check_flag("ones_like", "requires_grad", requires_grad)
    shape, dtype = _like("ones_like", input, dtype)
    return _leaf(np.ones(shape, dtype=dtype), requires_grad)


def full_like(input, fill_value, *, dtype=None, requires_grad=False):
    """`fill_value` in `input`'s shape and dtype (or `dtype=`), like `torch.full_like`."""
    requires_grad = check_flag("full_like", "requires_grad", requires_grad)
    shape, dtype = _like("full_like", input, dtype)
    fill = _fill("full_like", fill_value, dtype)
    return _leaf(np.full(shape, fill, dtype=dtype), requires_grad)


def arange(start, end=None, step=1, *, dtype=None, requires_grad=False):
    """start, start + step, … up to `end` excluded, like `torch.arange`: `arange(end)` starts at 0.

    The length is ⌈(end − start) / step⌉, and entry k is start + k · step computed in float64, then
    rounded to the dtype (float32 by default, even from int arguments: see the module's note).
    Refused, as in PyTorch: step 0, a step pointing away from `end`, nan or ±inf bounds; also an
    infinite step (PyTorch gives `[start]`), and more than 2**31 numbers (`arange(0, 1, 1e-12)`).
    `dtype=np.int64` gives an int64 tensor (for indices), from int arguments only.
    """
    requires_grad = check_flag("arange", "requires_grad", requires_grad)
    if end is None:
        start, end = 0, start
    for name, value in (("start", start), ("end", end), ("step", step)):
        check_number("arange", name, value)
        if is_int(value):
            refuse_huge_ints(value, np.asarray(value))
    start, end, step = (int(v) if is_int(v) else float(v) for v in (start, end, step))  # no numpy overflow
    if step == 0:
        raise ValueError("arange: step must be nonzero (step=0 would never reach end)")
    if (end - start) * step < 0:
        raise ValueError(
            f"arange: start={start}, end={end} and step={step} disagree in direction: the steps move away "
            f"from end, as PyTorch refuses too; use step={-step} (or swap start and end)"
        )
    all_ints = all(map(is_int, (start, end, step)))
    if all_ints:  # exact: ⌈(end − start) / step⌉ in integers, however large
        length = -((start - end) // step)
    else:
        span = (end - start) / step  # inf when the bounds are ±1e308
        if not span <= MAX_ELEMENTS:
            raise ValueError(
                f"arange: start={start}, end={end}, step={step} make {span:.3g} numbers, more than the "
                f"{MAX_ELEMENTS:,} (2**31) this library allocates; check the bounds and the step"
            )
        length = math.ceil(span)
    check_elements("arange", (length,))
    dtype = _arange_dtype(dtype, all_ints)
    if dtype == _INT64:
        if requires_grad:
            raise ValueError("arange: an int64 tensor cannot require grad (as in PyTorch): use a float dtype")
        values = np.arange(start, end, step, dtype=np.int64)
        return Tensor._from_op(values, (), None, "")
    values = start + np.arange(length, dtype=np.float64) * step
    return _leaf(values.astype(dtype, copy=False), requires_grad)


def eye(n, m=None, *, dtype=None, requires_grad=False):
    """The n × m matrix (m = n if not given) with ones on its diagonal, zeros elsewhere, like `torch.eye`."""
    requires_grad = check_flag("eye", "requires_grad", requires_grad)
    if m is None:
        m = n
    (n, m) = _shape("eye", (n, m), names=("n", "m"))
    return _leaf(np.eye(n, m, dtype=_float_dtype("eye", dtype)), requires_grad)


def randn(*size, generator=None, seed=None, dtype=None, requires_grad=False):
    """Numbers from the standard normal distribution N(0, 1) in a tensor of `size`, like `torch.randn`.

    They come from `generator` (a numpy Generator; it advances) or from `np.random.default_rng(seed)`;
    with neither, from a fresh `np.random.default_rng()`. Drawn in float64, then rounded to the
    dtype: `randn(2, 3, seed=0)` is `np.random.default_rng(0).standard_normal((2, 3))` as float32.
    """
    requires_grad = check_flag("randn", "requires_grad", requires_grad)
    shape = _shape("randn", size)
    rng = _generator("randn", generator, seed)
    dtype = _float_dtype("randn", dtype)
    drawn = np.asarray(rng.standard_normal(shape))  # (numpy gives a float, not an array, for shape ())
    return _leaf(drawn.astype(dtype, copy=False), requires_grad)


def rand(*size, generator=None, seed=None, dtype=None, requires_grad=False):
    """Numbers drawn uniformly from `[0, 1)` in a tensor of `size`, like `torch.rand`.

    `generator` and `seed` as in `randn`: `rand(2, 3, seed=0)` is `np.random.default_rng(0).random((2, 3))`
    rounded to float32, and kept below 1 (a float64 draw within 2**-25 of 1 would round up to 1.0).
    """
    requires_grad = check_flag("rand", "requires_grad", requires_grad)
    shape = _shape("rand", size)
    rng = _generator("rand", generator, seed)
    dtype = _float_dtype("rand", dtype)
    drawn = np.asarray(rng.random(shape)).astype(dtype, copy=False)
    np.minimum(drawn, np.nextafter(dtype.type(1), dtype.type(0)), out=drawn)
    return _leaf(drawn, requires_grad)


# ---- the checks the helpers share ----
def _shape(op, size, names=None):
    """`size` (the positional arguments: ints, or one sequence of ints) as a tuple of ints ≥ 0.

    `names` names each size in the errors (eye's n and m); otherwise "size".
    """
    if names is None:
        if len(size) == 0:
            raise TypeError(f"{op}: give the sizes, e.g. {op}(2, 3); {op}(()) makes a 0-d tensor")
        sequence = int_sequence(size[0]) if len(size) == 1 else None
        size = size if sequence is None else sequence
    for k, n in enumerate(size):
        name = names[k] if names else "size"
        if not is_int(n):
            raise TypeError(f"{op}: {name} must be an int, not {_shown(n)} (bool, float, array: no size)")
        if n < 0:
            raise ValueError(f"{op}: {name} must be ≥ 0, got {n}")
        if n > MAX_ELEMENTS:
            raise ValueError(f"{op}: {name} {n} is more than the {MAX_ELEMENTS:,} (2**31) numbers allowed")
    shape = tuple(int(n) for n in size)
    check_elements(op, shape)
    return shape


def _float_dtype(op, dtype):
    """float32 when `dtype` is None, else float32 or float64 from any spelling; ValueError naming `op`."""
    if dtype is None:
        return np.dtype(np.float32)
    try:
        return float_dtype(dtype)
    except ValueError as error:
        raise ValueError(f"{op}: {error}") from None


def _arange_dtype(dtype, all_ints):
    """arange's dtype: float32, float64, or int64 when asked and every argument is an int."""
    try:
        if dtype is not None and np.dtype(dtype) == _INT64:
            if not all_ints:
                raise ValueError("arange: dtype int64 needs int start, end and step (a float would be cut)")
            return _INT64
    except TypeError:
        pass  # not a dtype at all: _float_dtype says so
    try:
        return _float_dtype("arange", dtype)
    except ValueError as error:
        raise ValueError(f"{error} (arange also takes int64)") from None


def _like(op, input, dtype):
    """(shape, dtype) of the Tensor `input`, the dtype replaced by `dtype` if given."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: input must be a Tensor, got {_shown(input)}; for a shape, use zeros(shape)")
    if dtype is None and input.dtype.kind != "f":
        raise ValueError(f"{op}: input has dtype {input.dtype}; give dtype=np.float32 or np.float64")
    return input.shape, input.dtype if dtype is None else _float_dtype(op, dtype)


def _fill(op, fill_value, dtype):
    """`fill_value` as a number of `dtype`: a real number (nan, ±inf allowed), refused if it overflows."""
    if isinstance(fill_value, (bool, np.bool_)) or not isinstance(fill_value, (int, float, np.number)):
        raise TypeError(f"{op}: fill_value must be a real number, got {_shown(fill_value)}")
    if isinstance(fill_value, np.complexfloating):
        raise TypeError(f"{op}: fill_value must be a real number, got the complex {fill_value}")
    if is_int(fill_value):
        refuse_huge_ints(fill_value, np.asarray(fill_value))
    with np.errstate(over="ignore"):
        value = dtype.type(fill_value)
    if np.isinf(value) and not np.isinf(float(fill_value)):
        raise OverflowError(f"{op}: fill_value {fill_value} is too large for {dtype} (it would become inf)")
    return value


def _generator(op, generator, seed):
    """The numpy Generator to draw from: `generator`, or one seeded by `seed`, or a fresh one."""
    if generator is not None and seed is not None:
        raise TypeError(f"{op}: got both generator= and seed=; give one (a seed makes a new generator)")
    if generator is not None:
        if not isinstance(generator, np.random.Generator):
            hint = "; for an int, say seed=" if is_int(generator) else ""
            raise TypeError(f"{op}: generator must be a np.random.Generator, got {_shown(generator)}{hint}")
        return generator
    if seed is not None and (not is_int(seed) or seed < 0):
        raise ValueError(f"{op}: seed must be a non-negative integer, got {_shown(seed)}")
    return np.random.default_rng(None if seed is None else int(seed))


def _leaf(array, requires_grad):
    """`array` (ours alone: no copy) as a leaf Tensor; `requires_grad` already checked."""
    return Tensor.from_numpy(array, requires_grad=requires_grad)


def _shown(value):
    """A value in an error message: its type and a short repr."""
    return f"{type(value).__name__} {value!r:.40}"
