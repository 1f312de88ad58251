"""Issue 23's shape ops: gradients (first and second order) against central differences,
values and gradients against PyTorch, dtypes kept, and clear errors for bad input."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu import Tensor, cat, stack
from tinygrad_edu.gradcheck import gradcheck, gradgradcheck
from tinygrad_edu.nn.functional import pad
from tinygrad_edu.testing import arrays

GATHER = np.array([[0, 3, 3], [1, 0, 2]])  # index 3 twice in row 0: its gradients must add up
PADS = (1, -1, 0, 2)  # last axis: 1 before, 1 cropped after; the one before it: 2 after
SCATTER = np.array([[2, 0, 2], [2, 1, 0]])  # row 2 receives twice in column 0

#: name → (our function, PyTorch's, input shapes). Each is squared afterwards in the property
#: tests so that the second derivative is not zero and the backward's own backward is exercised.
OPS = {
    "cat": (lambda a, b: cat([a, b], dim=1), lambda a, b: torch.cat([a, b], dim=1), [(2, 3), (2, 1)]),
    "cat -1": (lambda a, b: cat((a, b, a), dim=-1), lambda a, b: torch.cat((a, b, a), -1), [(2, 3), (2, 2)]),
    "stack": (lambda a, b: stack([a, b], dim=1), lambda a, b: torch.stack([a, b], dim=1), [(2, 3), (2, 3)]),
    "split": (lambda a: a.split(2, dim=1)[1], lambda a: a.split(2, dim=1)[1], [(2, 5)]),
    "split list": (lambda a: a.split([1, 3], 0)[1] * 2.0, lambda a: a.split([1, 3], 0)[1] * 2.0, [(4, 2)]),
    "chunk": (lambda a: a.chunk(3, dim=0)[-1], lambda a: a.chunk(3, dim=0)[-1], [(5, 2)]),
    "squeeze": (lambda a: a.squeeze(), lambda a: a.squeeze(), [(2, 1, 3, 1)]),
    "squeeze dim": (lambda a: a.squeeze(-1), lambda a: a.squeeze(-1), [(1, 3, 1)]),
    "unsqueeze": (lambda a: a.unsqueeze(-1), lambda a: a.unsqueeze(-1), [(2, 3)]),
    "flatten": (lambda a: a.flatten(1, 2), lambda a: a.flatten(1, 2), [(2, 3, 2, 2)]),
    "permute": (lambda a: a.permute(2, 0, 1), lambda a: a.permute(2, 0, 1), [(2, 3, 4)]),
    "view": (lambda a: a.view(3, 2), lambda a: a.view(3, 2), [(2, 3)]),
    "expand": (lambda a: a.expand(2, -1, 3), lambda a: a.expand(2, -1, 3), [(4, 1)]),
    "repeat": (lambda a: a.repeat(2, 1, 3), lambda a: a.repeat(2, 1, 3), [(2, 3)]),
    "flip": (lambda a: a.flip((0, -1)), lambda a: a.flip((0, -1)), [(2, 3, 2)]),
    "gather": (lambda a: a.gather(1, GATHER), lambda a: a.gather(1, torch.tensor(GATHER)), [(3, 4)]),
    "scatter_add": (
        lambda a, b: a.scatter_add(0, SCATTER, b),
        lambda a, b: a.scatter_add(0, torch.tensor(SCATTER), b),
        [(3, 4), (2, 3)],
    ),
    "pad": (lambda a: pad(a, PADS, value=0.5), lambda a: F.pad(a, PADS, value=0.5), [(2, 4)]),
}


def squared(fn):
    """fn's output squared elementwise: a linear op alone has a zero second derivative."""
    return lambda *inputs: fn(*inputs) * fn(*inputs)


@pytest.mark.parametrize("name", OPS)
@given(data=st.data())
@settings(max_examples=10, deadline=None)
def test_gradient_and_second_derivative_match_central_differences(name, data):
    fn, _, shapes = OPS[name]
    inputs = [data.draw(arrays(shape)) for shape in shapes]
    assert gradcheck(fn, inputs)
    assert gradgradcheck(squared(fn), inputs)


@pytest.mark.parametrize("name", OPS)
def test_values_and_gradients_match_pytorch(name):
    fn, torch_fn, shapes = OPS[name]
    rng = np.random.default_rng(0)
    arrays_ = [rng.standard_normal(shape) for shape in shapes]
    ours = [Tensor(a, requires_grad=True) for a in arrays_]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays_]
    out, expected = fn(*ours), torch_fn(*theirs)
    weights = rng.standard_normal(expected.shape)
    (out * Tensor(weights)).sum().backward()
    (expected * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12)
    for mine, torch_input in zip(ours, theirs):
        np.testing.assert_allclose(mine.grad, torch_input.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("name", OPS)
def test_float32_stays_float32(name):
    fn, _, shapes = OPS[name]
    inputs = [Tensor(np.ones(shape, dtype=np.float32), requires_grad=True) for shape in shapes]
    out = fn(*inputs)
    out.sum().backward()
    assert out.dtype == np.float32
    assert all(t.grad.dtype == np.float32 for t in inputs)


@pytest.mark.parametrize("length", range(1, 9))
@pytest.mark.parametrize("chunks", range(1, 7))
def test_chunk_and_split_sizes_are_pytorchs(length, chunks):
    x = np.arange(float(length))
    ours = [p.shape for p in Tensor(x).chunk(chunks)]
    assert ours == [tuple(p.shape) for p in torch.tensor(x).chunk(chunks)]
    split = [tuple(p.shape) for p in torch.tensor(x).split(chunks)]
    assert [p.shape for p in Tensor(x).split(chunks)] == split


SQUEEZES = [((2, 3), 1), ((2, 1, 3), 1), ((1, 1), (0, 1)), ((2, 1), (0, 1)), ((), None)]


@pytest.mark.parametrize("shape, dim", SQUEEZES)
def test_squeeze_matches_pytorch_including_dims_that_are_not_one(shape, dim):
    x = np.zeros(shape)
    expected = torch.tensor(x).squeeze() if dim is None else torch.tensor(x).squeeze(dim)
    assert Tensor(x).squeeze(dim).shape == tuple(expected.shape)


FLATTENS = [((2, 3, 4), 0, -1), ((2, 3, 4), 1, 1), ((2, 3, 4), -2, 2), ((), 0, -1)]


@pytest.mark.parametrize("shape, start, end", FLATTENS)
def test_flatten_shapes_match_pytorch(shape, start, end):
    x = np.zeros(shape)
    assert Tensor(x).flatten(start, end).shape == tuple(torch.tensor(x).flatten(start, end).shape)


def test_permute_takes_a_tuple_too():
    x = Tensor(np.zeros((2, 3, 4)))
    assert x.permute((1, 2, 0)).shape == x.permute(1, 2, 0).shape == (3, 4, 2)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: cat([Tensor(np.ones((2, 3))), Tensor(np.ones((3, 2)))]), ValueError, r"\(3, 2\).*\(2, 3\)"),
        (lambda: cat([Tensor(np.ones(2)), Tensor(np.ones(2, dtype=np.float32))]), TypeError, "float32"),
        (lambda: cat(Tensor(np.ones(2))), TypeError, "list or tuple"),
        (lambda: cat([]), ValueError, "at least one"),
        (lambda: cat([Tensor(np.ones(2)), np.ones(2)]), TypeError, "item 1"),
        (lambda: cat([Tensor(np.ones(2))], dim=1), ValueError, "out of range"),
        (lambda: cat([Tensor(np.ones(2))], dim=True), TypeError, "axis must be an int"),
        (lambda: cat([Tensor(1.0), Tensor(2.0)]), ValueError, "use stack"),
        (lambda: stack([Tensor(np.ones(2)), Tensor(np.ones(3))]), ValueError, r"\(3,\).*\(2,\)"),
        (lambda: stack([Tensor(np.ones(2))], dim=2), ValueError, "out of range"),
        (lambda: Tensor(np.ones(5)).split(0), ValueError, "positive"),
        (lambda: Tensor(np.ones(5)).split([2, 2]), ValueError, "add up to 5"),
        (lambda: Tensor(np.ones(5)).split(2.0), TypeError, "int or a list"),
        (lambda: Tensor(np.ones(5)).chunk(0), ValueError, "positive"),
        (lambda: Tensor(np.ones(5)).chunk(True), TypeError, "chunks must be an int"),
        (lambda: Tensor(np.ones((2, 1))).squeeze(2), ValueError, "out of range"),
        (lambda: Tensor(np.ones((2, 1))).unsqueeze(3), ValueError, "out of range"),
        (lambda: Tensor(np.ones((2, 3, 4))).flatten(2, 1), ValueError, "comes after"),
        (lambda: Tensor(np.ones((2, 3))).permute(0), ValueError, "1 dims given for"),
        (lambda: Tensor(np.ones((2, 3))).permute(0, 0), ValueError, "not a permutation"),
        (lambda: Tensor(np.ones((2, 1))).expand(3), ValueError, "1 sizes given"),
        (lambda: Tensor(np.ones((2, 1))).expand(-1, 2, 2), ValueError, "only allowed for the existing"),
        (lambda: Tensor(np.ones((2, 1))).expand(3, 2), ValueError, "cannot be broadcast"),
        (lambda: Tensor(np.ones((2, 1))).expand(2.0, 1), TypeError, "sizes must be ints"),
        (lambda: Tensor(np.ones((2, 1))).repeat(2), ValueError, "one per axis"),
        (lambda: Tensor(np.ones((2, 1))).repeat(True, 1), TypeError, "sizes must be ints"),
        (lambda: Tensor(np.ones((2, 1))).flip(2), ValueError, "out of range"),
        (lambda: Tensor(np.ones((2, 3))).gather(1, np.array([[0.0]])), TypeError, "integers"),
        (lambda: Tensor(np.ones((2, 3))).gather(1, np.array([[True]])), TypeError, "integers"),
        (lambda: Tensor(np.ones((2, 3))).gather(1, np.array([0])), ValueError, "1 axes"),
        (lambda: Tensor(np.ones((2, 3))).gather(1, np.zeros((3, 1), int)), ValueError, "along dim 0"),
        (lambda: Tensor(np.ones((2, 3))).gather(1, np.array([[3]])), IndexError, "0 … 2"),
        (lambda: Tensor(np.ones((2, 3))).gather(1, np.array([[-1]])), IndexError, "0 … 2"),
        (lambda: Tensor(np.ones((2, 3))).gather(2, np.array([[0]])), ValueError, "out of range"),
        (lambda: Tensor(np.ones(3)).scatter_add(0, np.array([0, 1]), np.ones(2)), TypeError, "Tensor"),
        (
            lambda: Tensor(np.ones(3)).scatter_add(0, np.array([0, 1]), Tensor(np.ones(2, np.float32))),
            TypeError,
            "float32",
        ),
        (lambda: Tensor(np.ones(3)).scatter_add(0, np.array([0, 1]), Tensor(np.ones(1))), ValueError, "fit"),
        (lambda: pad(Tensor(np.ones(3)), (1, 1), mode="reflect"), NotImplementedError, "reflect"),
        (lambda: pad(np.ones(3), (1, 1)), TypeError, "input must be a Tensor"),
        (lambda: pad(Tensor(np.ones(3)), (1,)), ValueError, "two per axis"),
        (lambda: pad(Tensor(np.ones(3)), (1, 1, 1, 1)), ValueError, "at most 2"),
        (lambda: pad(Tensor(np.ones(3)), (1.0, 1)), TypeError, "tuple of ints"),
        (lambda: pad(Tensor(np.ones(3)), (-2, -2)), ValueError, "crop more than the 3"),
        (lambda: pad(Tensor(np.ones(3)), (1, 1), value=True), TypeError, "value must be a number"),
    ],
)
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_numpy_integers_are_accepted_as_dims_and_sizes():
    x = Tensor(np.ones((4, 2)))
    assert cat([x, x], dim=np.int64(1)).shape == (4, 4)
    assert [p.shape for p in x.split(np.int32(3))] == [(3, 2), (1, 2)]


@pytest.mark.parametrize("op", ["gather", "scatter_add"])
def test_changing_the_index_after_the_forward_cannot_change_the_gradient(op):
    index = np.array([[0, 1], [1, 1]])
    x, src = Tensor(np.ones((2, 2)), requires_grad=True), Tensor(np.ones((2, 2)), requires_grad=True)
    out = x.gather(1, index) if op == "gather" else x.scatter_add(1, index, src * src)
    index[:] = 0
    (out * Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]))).sum().backward()
    expected = {"gather": [[1.0, 2.0], [0.0, 7.0]], "scatter_add": [[1.0, 2.0], [3.0, 4.0]]}[op]
    np.testing.assert_array_equal(x.grad, expected)
    if op == "scatter_add":  # dsrc = 2·src ⊙ g gathered at the index as it was
        np.testing.assert_array_equal(src.grad, [[2.0, 4.0], [8.0, 8.0]])


def test_gather_may_pick_more_than_the_size_along_dim():
    x, index = np.arange(2.0).reshape(1, 2), np.array([[1, 0, 1, 1]])
    expected = torch.tensor(x).gather(1, torch.tensor(index)).numpy()
    np.testing.assert_array_equal(Tensor(x).gather(1, index).data, expected)


def test_an_int64_index_tensor_is_accepted():
    index = Tensor._from_op(np.array([[2], [0]], dtype=np.int64), (), None, "argmax")
    x = Tensor(np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(x.gather(1, index).data, [[2.0], [3.0]])


def test_repeat_matches_pytorch_with_more_sizes_than_axes():
    x = np.arange(6.0).reshape(2, 3)
    ours, theirs = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, expected = ours.repeat(2, 3, 1, 2), theirs.repeat(2, 3, 1, 2)
    weights = np.random.default_rng(1).standard_normal(expected.shape)
    (out * Tensor(weights)).sum().backward()
    (expected * torch.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-12)


def test_scatter_add_uses_only_the_part_of_a_larger_src_that_the_index_covers():
    rng = np.random.default_rng(2)
    x, src = rng.standard_normal((3, 4)), rng.standard_normal((3, 5))
    expected = torch.tensor(x).scatter_add(0, torch.tensor(SCATTER), torch.tensor(src))  # (its backward
    out = Tensor(x).scatter_add(0, SCATTER, Tensor(src))  # fails on a larger src in torch 2.13)
    np.testing.assert_allclose(out.data, expected.numpy(), rtol=1e-12)
    assert gradcheck(lambda a, b: a.scatter_add(0, SCATTER, b), [x, src])
    assert gradgradcheck(lambda a, b: a.scatter_add(0, SCATTER, b * b), [x, src])


@pytest.mark.parametrize("widths", [(1, 2), (-1, 2), (0, 0, 2, -1), (1, 1, 1, 1, 1, 1), (-2, -2), (3, 0)])
def test_pad_matches_pytorch_including_crops(widths):
    x = np.random.default_rng(3).standard_normal((2, 3, 4))
    expected = F.pad(torch.tensor(x), widths, value=-1.5).numpy()
    np.testing.assert_array_equal(pad(Tensor(x), widths, value=-1.5).data, expected)


#: op → (a call taking sizes, axes or widths; its sizes): called with a tuple, then with a 1-D int64 array.
NUMPY_SIZES = {
    "reshape": (lambda x, s: x.reshape(s), (3, 2)),
    "view": (lambda x, s: x.view(s), (3, 2)),
    "permute": (lambda x, s: x.permute(s), (1, 0)),
    "transpose": (lambda x, s: x.transpose(s), (1, 0)),
    "expand": (lambda x, s: x.expand(s), (2, 3)),
    "repeat": (lambda x, s: x.repeat(s), (3, 2)),
    "flip": (lambda x, s: x.flip(s), (1,)),
    "sum axis": (lambda x, s: x.sum(axis=s), (0, 1)),
    "split sections": (lambda x, s: x.split(s, 1)[1], (1, 2)),
    "pad": (lambda x, s: pad(x, s), (1, 2)),
}


@pytest.mark.parametrize(("call", "sizes"), NUMPY_SIZES.values(), ids=NUMPY_SIZES.keys())
def test_a_1d_integer_numpy_array_is_taken_wherever_a_tuple_of_ints_is(call, sizes):
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    from_tuple, from_array = call(x, sizes), call(x, np.array(sizes, dtype=np.int64))
    np.testing.assert_array_equal(from_array.data, from_tuple.data)


@pytest.mark.parametrize("bad", [np.array([3.0, 2.0]), np.array([[3, 2]]), np.array(["3", "2"])])
def test_an_array_of_sizes_must_be_1d_integers(bad):
    with pytest.raises(TypeError, match="reshape: the new shape must be ints"):
        Tensor(np.ones(6)).reshape(bad)


def test_mixed_basic_and_advanced_indices_order_axes_as_numpy_does():
    """Documented difference from PyTorch (which gives (3, 2) here): the result is numpy's x[0, :, [0, 1]]."""
    x = np.arange(24.0).reshape(2, 3, 4)
    t = Tensor(x, requires_grad=True)
    z = t[0, :, [0, 1]]
    assert z.shape == (2, 3)
    np.testing.assert_array_equal(z.data, x[0, :, [0, 1]])
    z.backward(np.arange(6.0).reshape(2, 3))
    expected = np.zeros_like(x)
    expected[0, :, [0, 1]] = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(t.grad, expected)


def test_a_reduction_over_an_axis_of_a_0d_tensor_is_refused_as_in_numpy():
    t = Tensor(3.0)
    for reduce in (t.sum, t.mean, t.max, t.prod):
        with pytest.raises(ValueError, match="axis 0 is out of range for a tensor with 0 axes"):
            reduce(0)
    assert t.sum().item() == 3.0
