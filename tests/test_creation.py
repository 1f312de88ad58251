"""zeros, ones, full, *_like, arange, eye, randn, rand: shapes, dtypes and values as PyTorch's, random
draws reproducible from a seed or a Generator, bad sizes and ranges refused before numpy allocates.

(Every parameter's bad-input kinds are in tests/catalogue_cases.py; here, the comparisons.)
"""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu import Tensor

TORCH_DTYPES = {np.float32: torch.float32, np.float64: torch.float64}
#: Ways to spell one shape (2, 3) to zeros(*size): PyTorch takes the first three, numpy's array too.
SPELLINGS = [(2, 3), ((2, 3),), ([2, 3],), (np.array([2, 3]),), (np.int64(2), np.int64(3))]


@pytest.mark.parametrize("name", ["zeros", "ones"])
@pytest.mark.parametrize("size", SPELLINGS, ids=repr)
def test_zeros_and_ones_take_every_spelling_of_a_size_as_pytorch(name, size):
    ours = getattr(tg, name)(*size)
    theirs = getattr(torch, name)(2, 3)
    assert ours.shape == tuple(theirs.shape) == (2, 3)
    assert ours.dtype == np.float32 and theirs.dtype == torch.float32  # both default to float32
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("size", [(), (0,), (3, 0, 2), (1, 1, 1, 1)], ids=repr)
def test_empty_and_0d_shapes_match_pytorch(size):
    for name in ("zeros", "ones", "randn", "rand"):
        assert getattr(tg, name)(size).shape == tuple(getattr(torch, name)(size).shape), name


@pytest.mark.parametrize("dtype", [np.float64, "float64", np.dtype("float64"), np.float32, "float32"])
def test_dtype_is_taken_in_any_numpy_spelling(dtype):
    wanted = np.dtype(dtype)
    torch_dtype = TORCH_DTYPES[wanted.type]
    for ours, theirs in [
        (tg.zeros(2, dtype=dtype), torch.zeros(2, dtype=torch_dtype)),
        (tg.full((2,), 0.1, dtype=dtype), torch.full((2,), 0.1, dtype=torch_dtype)),
        (tg.eye(3, dtype=dtype), torch.eye(3, dtype=torch_dtype)),
        (tg.arange(0, 1, 0.1, dtype=dtype), torch.arange(0, 1, 0.1, dtype=torch_dtype)),
        (tg.randn(2, seed=0, dtype=dtype), torch.randn(2, dtype=torch_dtype)),
        (tg.rand(2, seed=0, dtype=dtype), torch.rand(2, dtype=torch_dtype)),
    ]:
        assert ours.dtype == wanted
        assert ours.dtype == theirs.numpy().dtype
        assert ours.shape == tuple(theirs.shape)


@pytest.mark.parametrize("fill_value", [0.1, -3, np.float32(2.5), np.int64(7), math.nan, -math.inf])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_full_and_full_like_hold_pytorchs_values(fill_value, dtype):
    theirs = torch.full((2, 3), float(fill_value), dtype=TORCH_DTYPES[dtype]).numpy()
    np.testing.assert_array_equal(tg.full((2, 3), fill_value, dtype=dtype).numpy(), theirs)
    like = tg.full_like(Tensor(np.ones((2, 3)), dtype=dtype), fill_value)
    np.testing.assert_array_equal(like.numpy(), theirs)


def test_full_refuses_a_number_too_large_for_float32_as_pytorch_does():
    with pytest.raises(RuntimeError, match="overflow"):
        torch.full((2,), 1e300)
    with pytest.raises(OverflowError, match="full: fill_value 1e\\+300 is too large for float32"):
        tg.full((2,), 1e300)
    assert tg.full((2,), 1e300, dtype=np.float64).numpy()[0] == 1e300  # float64 holds it


@pytest.mark.parametrize("name", ["zeros_like", "ones_like", "full_like"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_like_helpers_keep_shape_and_dtype_and_take_a_new_dtype(name, dtype):
    x = Tensor(np.arange(6.0).reshape(3, 1, 2), dtype=dtype, requires_grad=True)
    args = (1.5,) if name == "full_like" else ()
    ours = getattr(tg, name)(x, *args)
    theirs = getattr(torch, name)(torch.tensor(x.numpy()), *args)
    assert (ours.shape, ours.dtype) == (tuple(theirs.shape), theirs.numpy().dtype)
    assert (ours.shape, ours.dtype) == ((3, 1, 2), np.dtype(dtype))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert not ours.requires_grad and ours.numpy() is not x.numpy()  # a new leaf, no graph, no shared memory
    other = np.float64 if dtype == np.float32 else np.float32
    assert getattr(tg, name)(x, *args, dtype=other).dtype == other


ARANGES = [
    (5,),
    (1, 4),
    (0, 1, 0.1),
    (5, 0, -1),
    (-3, 3, 0.7),
    (0, 0),
    (2, 2, -1),
    (1.5,),
    (0, 10, 3),
    (10, 0, -3),
    (0, 1, 1 / 3),
    (np.int64(2), np.float32(3.5), np.float64(0.25)),
    (-1e-3, 1e-3, 1e-4),
]


@pytest.mark.parametrize("args", ARANGES, ids=repr)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_arange_has_pytorchs_length_and_values(args, dtype):
    ours = tg.arange(*args, dtype=dtype)
    theirs = torch.arange(*[float(a) for a in args], dtype=TORCH_DTYPES[dtype]).numpy()
    assert ours.shape == theirs.shape
    scale = float(np.abs(theirs).max(initial=1.0))  # (PyTorch's float32 entries near 0 are off by ~1e-12)
    tolerance = 1e-6 if dtype == np.float32 else 1e-15
    np.testing.assert_allclose(ours.numpy(), theirs, rtol=tolerance, atol=tolerance * scale)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(-50, 50, allow_nan=False),
    st.floats(-50, 50, allow_nan=False),
    st.floats(0.05, 7, allow_nan=False),
    st.booleans(),
)
def test_arange_of_random_floats_has_pytorchs_length_and_values(start, end, size, as_int):
    step = math.copysign(size, end - start)
    if as_int:
        args = (round(start), round(end), max(1, round(size)) * (1 if end >= start else -1))
    else:
        args = (start, end, step)
    theirs = torch.arange(*args, dtype=torch.float64).numpy()
    ours = tg.arange(*args, dtype=np.float64)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours.numpy(), theirs, rtol=1e-12, atol=1e-12)


def test_arange_of_ints_is_float32_here_and_int64_on_request():
    """PyTorch makes int64 from int arguments; ours stays float32 (the library's ops are float-only)."""
    assert torch.arange(5).dtype == torch.int64
    assert tg.arange(5).dtype == np.float32
    assert (tg.arange(5) * 0.5).numpy().tolist() == [0.0, 0.5, 1.0, 1.5, 2.0]
    as_int = tg.arange(1, 10, 3, dtype=np.int64)
    assert as_int.dtype == np.int64 and as_int.numpy().tolist() == torch.arange(1, 10, 3).tolist()
    assert not as_int.requires_grad


@pytest.mark.parametrize(
    "args, message",
    [
        ((0, 5, -1), "disagree in direction"),
        ((5, 0, 1), "disagree in direction"),
        ((0, 5, 0), "step must be nonzero"),
        ((0, math.inf), "end must be finite"),
        ((math.nan, 5), "start must be finite"),
    ],
    ids=repr,
)
def test_arange_refuses_the_ranges_pytorch_refuses(args, message):
    with pytest.raises(RuntimeError):
        torch.arange(*args)
    with pytest.raises(ValueError, match=f"arange: .*{message}"):
        tg.arange(*args)


@pytest.mark.parametrize("args", [(3,), (2, 4), (4, 2), (0,), (3, 0), (1,)], ids=repr)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_eye_matches_pytorch(args, dtype):
    ours, theirs = tg.eye(*args, dtype=dtype), torch.eye(*args, dtype=TORCH_DTYPES[dtype]).numpy()
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours.numpy(), theirs)


@pytest.mark.parametrize("name", ["randn", "rand"])
def test_a_seed_gives_numpys_default_rng_draws_in_both_dtypes(name):
    draw = {"randn": "standard_normal", "rand": "random"}[name]
    expected = getattr(np.random.default_rng(7), draw)((3, 4))
    np.testing.assert_array_equal(getattr(tg, name)(3, 4, seed=7, dtype=np.float64).numpy(), expected)
    np.testing.assert_array_equal(getattr(tg, name)(3, 4, seed=7).numpy(), expected.astype(np.float32))
    same = getattr(tg, name)((3, 4), seed=7).numpy()
    np.testing.assert_array_equal(same, getattr(tg, name)(3, 4, seed=7).numpy())
    assert not np.array_equal(getattr(tg, name)(3, 4, seed=8).numpy(), expected.astype(np.float32))


@pytest.mark.parametrize("name", ["randn", "rand"])
def test_a_generator_advances_like_pytorchs(name):
    generator = np.random.default_rng(3)
    first, second = getattr(tg, name)(4, generator=generator), getattr(tg, name)(4, generator=generator)
    assert not np.array_equal(first.numpy(), second.numpy())
    together = getattr(tg, name)(8, generator=np.random.default_rng(3))
    np.testing.assert_array_equal(np.concatenate([first.numpy(), second.numpy()]), together.numpy())
    # PyTorch's generator advances the same way (its numbers are others)
    torch_generator = torch.Generator().manual_seed(3)
    torch_first = getattr(torch, name)(4, generator=torch_generator)
    assert not torch.equal(torch_first, getattr(torch, name)(4, generator=torch_generator))


def test_without_seed_or_generator_every_call_draws_new_numbers():
    assert not np.array_equal(tg.randn(20).numpy(), tg.randn(20).numpy())
    assert not np.array_equal(tg.rand(20).numpy(), tg.rand(20).numpy())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_randn_and_rand_have_pytorchs_mean_and_std(dtype):
    n = 200_000  # the standard error of the mean is ≈ std / 450
    normal, uniform = tg.randn(n, seed=1, dtype=dtype).numpy(), tg.rand(n, seed=2, dtype=dtype).numpy()
    torch.manual_seed(0)
    torch_normal, torch_uniform = torch.randn(n).numpy(), torch.rand(n).numpy()
    expected = [(normal, torch_normal, 0.0, 1.0), (uniform, torch_uniform, 0.5, 12**-0.5)]
    for ours, theirs, mean, std in expected:
        for sample in (ours, theirs):
            assert abs(sample.mean() - mean) < 0.01 and abs(sample.std() - std) < 0.01
    assert uniform.min() >= 0 and uniform.max() < 1
    assert abs(np.mean(np.abs(normal) < 1) - 0.6827) < 0.01  # the normal's one-sigma mass


def test_rand_in_float32_stays_below_one_where_rounding_would_reach_it():
    class NearOne(np.random.Generator):  # a float64 draw that float32 would round up to 1.0
        def random(self, size=None):
            return np.full(size, 1 - 2.0**-30)

    drawn = tg.rand(3, generator=NearOne(np.random.PCG64(0))).numpy()
    assert drawn.dtype == np.float32 and drawn.max() < 1
    assert np.float32(1 - 2.0**-30) == 1.0  # (what it would have been)


def test_a_created_tensor_is_a_leaf_that_collects_its_gradient():
    w = tg.randn(3, 2, seed=0, dtype=np.float64, requires_grad=True)
    b = tg.zeros(2, dtype=np.float64, requires_grad=True)
    x = tg.arange(6, dtype=np.float64).reshape(2, 3)
    (x @ w + b).sum().backward()
    np.testing.assert_allclose(w.grad, np.tile(x.numpy().sum(axis=0)[:, None], (1, 2)))
    np.testing.assert_allclose(b.grad, [2.0, 2.0])
    assert x.grad is None and not x.requires_grad


@pytest.mark.parametrize(
    "make",
    [
        lambda: tg.zeros(10**5, 10**5),
        lambda: tg.ones((2**16, 2**16)),
        lambda: tg.randn(2**20, 2**12, seed=0),
        lambda: tg.full((10**6, 10**6), 1.0),
        lambda: tg.eye(10**5),
        lambda: tg.arange(0, 2**32),
        lambda: tg.rand(2**31 + 1, seed=0),
    ],
)
def test_sizes_over_2_to_the_31_numbers_are_refused_before_numpy_allocates(make):
    with pytest.raises(ValueError, match=r"more than the 2,147,483,648 \(2\*\*31\)"):
        make()


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: tg.zeros(-1), ValueError, "zeros: size must be ≥ 0, got -1"),
        (lambda: tg.zeros(2, 3.0), TypeError, "zeros: size must be an int, not float 3.0"),
        (lambda: tg.ones(True), TypeError, "ones: size must be an int, not bool"),
        (lambda: tg.zeros(), TypeError, r"zeros: give the sizes.*zeros\(\(\)\)"),
        (lambda: tg.zeros((2, 3), 4), TypeError, "zeros: size must be an int, not tuple"),
        (lambda: tg.full(3, 1.0), TypeError, "full: size must be a tuple or list of ints"),
        (lambda: tg.eye(3, -1), ValueError, "eye: m must be ≥ 0"),
        (lambda: tg.randn(2, seed=0, generator=np.random.default_rng()), TypeError, "both generator= and"),
        (lambda: tg.rand(2, generator=0), TypeError, "generator must be a np.random.Generator.*say seed="),
        (lambda: tg.zeros(2, dtype=np.int64), ValueError, "zeros: .*float32 or float64"),
        (lambda: tg.arange(0, 2.5, dtype=np.int64), ValueError, "arange: dtype int64 needs int start"),
        (lambda: tg.arange(3, dtype=np.int64, requires_grad=True), ValueError, "int64 tensor cannot require"),
        (lambda: tg.zeros_like(np.ones(2)), TypeError, "zeros_like: input must be a Tensor"),
        (lambda: tg.ones(2, requires_grad="yes"), TypeError, "ones: requires_grad must be True or False"),
    ],
)
def test_bad_arguments_are_refused_naming_the_problem(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_pytorch_refuses_the_same_sizes():
    """The refusals above that PyTorch shares: negative, float and bool sizes, full with an int size."""
    for make in (
        lambda: torch.zeros(-1),
        lambda: torch.zeros(2, 3.0),
        lambda: torch.ones(True),
        lambda: torch.zeros(),
        lambda: torch.full(3, 1.0),
        lambda: torch.eye(3, -1),
    ):
        with pytest.raises((RuntimeError, TypeError)):
            make()


def test_a_bad_flag_is_refused_before_the_tensor_is_made():
    with pytest.raises(TypeError, match="zeros: requires_grad must be True or False"):
        tg.zeros(2**30, requires_grad="yes")  # (4 GiB, were it allocated first)


def test_arange_counts_numpy_int_bounds_in_python_ints_without_wrapping_around():
    with np.errstate(over="raise"):  # int64 arithmetic on the bounds would overflow here
        with pytest.raises(ValueError, match="arange: the result would have shape"):
            tg.arange(np.int64(-(2**62)), np.int64(2**62))
        top = tg.arange(np.int64(2**62), np.int64(2**62) + 3, dtype=np.int64)
    assert top.numpy().tolist() == [2**62, 2**62 + 1, 2**62 + 2]
