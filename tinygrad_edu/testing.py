"""Property-based gradient testing for your own ops, with hypothesis (lesson 3).

    from hypothesis import given
    from tinygrad_edu.testing import arrays, assert_gradients_match

    @given(arrays(shape=(3, 4)))
    def test_my_square(x):
        assert_gradients_match(lambda t: t * t, x)

Strategies draw float64 arrays of chosen shapes, pairs of shapes that broadcast,
and values kept a margin away from points where an op has a kink or is
undefined (relu at 0, log at 0), where finite differences are meaningless.
Needs the `dev` extra (hypothesis).
"""

import math
import numbers

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tinygrad_edu.gradcheck import gradcheck


def _whole(name, value, low):
    """`value` as an int ≥ low: numpy integers accepted, a bool, float or 0-d array refused."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r:.40}")
    if value < low:
        raise ValueError(f"{name} must be ≥ {low}, got {value}")
    return int(value)


def _real(name, value, low=-math.inf):
    """`value` as a finite float ≥ low: numpy reals accepted, a bool, nan, ±inf or text refused."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise TypeError(f"{name} must be a finite number, got {type(value).__name__} {value!r:.40}")
    if value < low:
        raise ValueError(f"{name} must be ≥ {low}, got {value}")
    return float(value)


def _points(name, points):
    """An iterable of finite numbers (the kinks to stay away from) as a tuple of floats."""
    if not isinstance(points, (list, tuple, np.ndarray)):
        kind = type(points).__name__
        raise TypeError(f"{name} must be a list or tuple of numbers, got {kind} {points!r:.30}")
    return tuple(_real(f"{name}[{i}]", p) for i, p in enumerate(np.asarray(points, dtype=object).ravel()))


def values(min_value=-3.0, max_value=3.0, avoid=(), margin=1e-2):
    """Finite floats in [min_value, max_value], each at least `margin` from every point in `avoid`."""
    min_value, max_value = _real("min_value", min_value), _real("max_value", max_value)
    avoid, margin = _points("avoid", avoid), _real("margin", margin, low=0.0)
    if not min_value < max_value:
        raise ValueError(f"values: need min_value < max_value, got {min_value} and {max_value}")
    floats = st.floats(min_value, max_value, allow_nan=False, allow_infinity=False)
    return floats.filter(lambda x: all(abs(x - k) >= margin for k in avoid))


def positive_values(min_value=0.1, max_value=3.0):
    """Floats kept away from 0: inputs for log, division, and ** with a Tensor exponent."""
    if _real("min_value", min_value) <= 0:
        raise ValueError(f"positive_values: min_value must be > 0, got {min_value}")
    return values(min_value, max_value)


def shapes(min_dims=0, max_dims=3, min_side=1, max_side=4):
    """Array shapes, e.g. (), (3,), (2, 1, 4)."""
    min_dims, max_dims = _whole("min_dims", min_dims, 0), _whole("max_dims", max_dims, 0)
    min_side, max_side = _whole("min_side", min_side, 0), _whole("max_side", max_side, 0)
    if max_side < min_side or max_dims < min_dims:
        got = f"{min_dims}, {max_dims}, {min_side}, {max_side}"
        raise ValueError(f"shapes: need min_dims ≤ max_dims and min_side ≤ max_side, got {got}")
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def arrays(shape=None, elements=None, dtype=np.float64):
    """float64 arrays of `shape` (a tuple, or a strategy; default `shapes()`) drawn from `elements`.

    Every entry is drawn on its own (`fill=st.nothing()`): by default hypothesis fills most of an
    array with one repeated value, and a constant array hides mixed-up axes and sums.
    """
    elements = values() if elements is None else elements  # not `elements or …`: a strategy has no truth
    if isinstance(shape, (tuple, list)):
        shape = tuple(_whole(f"shape[{i}]", n, 0) for i, n in enumerate(shape))
    elif not isinstance(shape, st.SearchStrategy) and shape is not None:
        shape = _whole("shape", shape, 0)
    return hnp.arrays(dtype, shapes() if shape is None else shape, elements=elements, fill=st.nothing())


def broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=4):
    """Tuples of `num_shapes` shapes that broadcast together, e.g. ((3, 1), (2, 1, 4))."""
    num_shapes, max_side = _whole("num_shapes", num_shapes, 1), _whole("max_side", max_side, 1)
    min_dims, max_dims = _whole("min_dims", min_dims, 0), _whole("max_dims", max_dims, 0)
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=min_dims, max_dims=max_dims, max_side=max_side
    ).map(lambda drawn: drawn.input_shapes)


def broadcastable_arrays(num_arrays=2, elements=None, max_dims=3, max_side=4):
    """Tuples of float64 arrays whose shapes broadcast together."""
    num_arrays = _whole("num_arrays", num_arrays, 1)
    shape_tuples = broadcastable_shapes(num_arrays, max_dims=max_dims, max_side=max_side)
    return shape_tuples.flatmap(lambda shape_tuple: st.tuples(*(arrays(s, elements) for s in shape_tuple)))


def matmul_shapes(max_side=4, batch_dims=0):
    """Shapes (…, n, k) and (…, k, m) that `@` accepts, with `batch_dims` broadcastable batch axes."""
    max_side, batch_dims = _whole("max_side", max_side, 1), _whole("batch_dims", batch_dims, 0)
    sides = st.tuples(*(st.integers(1, max_side) for _ in range(3)))
    if batch_dims == 0:
        return sides.map(_matmul_pair)
    batches = broadcastable_shapes(2, min_dims=batch_dims, max_dims=batch_dims)
    return st.tuples(sides, batches).map(lambda drawn: _matmul_pair(drawn[0], *drawn[1]))


def _matmul_pair(sides, batch_a=(), batch_b=()):
    n, k, m = sides
    return (*batch_a, n, k), (*batch_b, k, m)


def assume_away_from(array, kinks, margin=1e-3):
    """Discard a hypothesis example whose entries come within `margin` of any kink."""
    kinks, margin = _points("kinks", kinks), _real("margin", margin, low=0.0)
    array = np.asarray(array)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"assume_away_from: array must hold numbers, got dtype {array.dtype}")
    for k in kinks:
        assume(np.all(np.abs(array - k) >= margin))


def assert_gradients_match(fn, *inputs, eps=1e-6, atol=1e-8, rtol=1e-6):
    """Assert that `fn`'s backward equals central differences at `inputs` (float64).

    `fn` takes Tensors (or Values, for numbers) and returns a Tensor (or Value);
    on failure the message names the input, the entry, and both gradients.
    """
    gradcheck(fn, list(inputs), eps=eps, atol=atol, rtol=rtol)
