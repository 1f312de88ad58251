"""nll_loss and the N-d cross_entropy (weight, ignore_index, reduction, label_smoothing, probability
targets): derivatives against central differences (first and second order), values and gradients
against PyTorch, masked −inf logits, the fused fast path, dtypes kept, bad input refused."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu import Tensor, nn
from tinygrad_edu.gradcheck import gradcheck, gradgradcheck
from tinygrad_edu.testing import arrays, values

SHAPES = st.sampled_from([(4, 3), (3, 4, 2), (2, 3, 2, 2)])
REDUCTION = st.sampled_from(["mean", "sum", "none"])


@st.composite
def problems(draw, probabilities=False):
    """(logits, labels, weight or None, ignore_index, label_smoothing, reduction)."""
    shape = draw(SHAPES)
    logits = draw(arrays(shape=shape))
    c, label_shape = shape[1], shape[:1] + shape[2:]
    if probabilities:
        raw = draw(arrays(shape=shape, elements=values(0.0, 1.0))) + 0.05
        labels = raw / raw.sum(axis=1, keepdims=True)
    else:
        labels = np.array(draw(st.lists(st.integers(0, c - 1), min_size=math.prod(label_shape),
                                        max_size=math.prod(label_shape)))).reshape(label_shape)
        labels.flat[0] = c - 1  # at least one kept label
        mask = np.array(draw(st.lists(st.booleans(), min_size=labels.size, max_size=labels.size)))
        mask[0] = False
        labels[mask.reshape(label_shape)] = -100
    weight = draw(st.none() | arrays(shape=(c,), elements=values(0.5, 2.0)))
    smoothing = draw(st.sampled_from([0.0, 0.2, 1.0]))
    return logits, labels, weight, smoothing, draw(REDUCTION)


def torch_loss(logits, labels, weight, smoothing, reduction):
    x = torch.tensor(logits, requires_grad=True)
    target = torch.from_numpy(labels)
    w = None if weight is None else torch.from_numpy(weight)
    return x, F.cross_entropy(x, target, weight=w, reduction=reduction, label_smoothing=smoothing)


@settings(max_examples=40, deadline=None)
@given(st.one_of(problems(), problems(probabilities=True)))
def test_cross_entropy_values_and_gradients_match_pytorch(problem):
    logits, labels, weight, smoothing, reduction = problem
    ours = Tensor(logits, requires_grad=True)
    loss = nn.cross_entropy(ours, labels, weight=weight, reduction=reduction, label_smoothing=smoothing)
    theirs, expected = torch_loss(logits, labels, weight, smoothing, reduction)
    np.testing.assert_allclose(loss.data, expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    g = np.linspace(0.5, 1.5, loss.size).reshape(loss.shape)
    loss.backward(g)
    expected.backward(torch.from_numpy(g))
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-10, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.one_of(problems(), problems(probabilities=True)))
def test_cross_entropy_first_and_second_derivatives(problem):
    logits, labels, weight, smoothing, reduction = problem
    f = lambda x: nn.cross_entropy(  # noqa: E731
        x, labels, weight=weight, reduction=reduction, label_smoothing=smoothing
    )
    assert gradcheck(f, [logits])
    assert gradgradcheck(f, [logits])


@settings(max_examples=25, deadline=None)
@given(problems())
def test_nll_loss_matches_pytorch_and_finite_differences_twice(problem):
    logits, labels, weight, _, reduction = problem
    log_probs = torch.log_softmax(torch.from_numpy(logits), dim=1).numpy()
    f = lambda x: nn.nll_loss(x, labels, weight=weight, reduction=reduction)  # noqa: E731
    ours = Tensor(log_probs, requires_grad=True)
    theirs = torch.tensor(log_probs, requires_grad=True)
    w = None if weight is None else torch.from_numpy(weight)
    expected = F.nll_loss(theirs, torch.from_numpy(labels), weight=w, reduction=reduction)
    np.testing.assert_allclose(f(ours).data, expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    f(ours).sum().backward()
    expected.sum().backward()
    np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-10, atol=1e-12)
    assert gradcheck(lambda x: f(x) ** 2, [log_probs])
    assert gradgradcheck(lambda x: f(x) ** 2, [log_probs])


def test_the_module_wrappers_equal_the_functions():
    rng = np.random.default_rng(0)
    x, labels = Tensor(rng.standard_normal((5, 4))), rng.integers(0, 4, 5)
    loss = nn.CrossEntropyLoss(reduction="sum", label_smoothing=0.1)(x, labels)
    assert loss.item() == nn.cross_entropy(x, labels, reduction="sum", label_smoothing=0.1).item()
    log_p = x.log_softmax(axis=1)
    expected = nn.nll_loss(log_p, labels).item()
    assert nn.NLLLoss(weight=np.ones(4))(log_p, labels).item() == pytest.approx(expected)


def test_the_plain_2d_case_still_runs_the_fused_op():
    x = Tensor(np.zeros((3, 4)), requires_grad=True)
    assert nn.cross_entropy(x, [0, 1, 2])._op == "cross_entropy"
    assert nn.cross_entropy(x, np.eye(4)[:3])._op == "cross_entropy"
    assert nn.cross_entropy(x, [0, 1, -100])._op != "cross_entropy"  # an ignored label: the composed form


def test_every_label_ignored_gives_nan_like_pytorch():
    x = Tensor(np.zeros((2, 3, 2)), requires_grad=True)
    labels = np.full((2, 2), -100)
    loss = nn.cross_entropy(x, labels)
    assert math.isnan(loss.item())
    assert math.isnan(F.cross_entropy(torch.zeros(2, 3, 2), torch.from_numpy(labels)).item())
    assert nn.cross_entropy(x, labels, reduction="sum").item() == 0.0


def test_a_custom_ignore_index_is_skipped_and_others_still_checked():
    x = Tensor(np.array([[1.0, 2.0, 0.5], [0.0, 1.0, 3.0]]))
    assert nn.cross_entropy(x, [1, 7], ignore_index=7).item() == pytest.approx(
        F.cross_entropy(torch.from_numpy(x.data), torch.tensor([1, 7]), ignore_index=7).item()
    )
    with pytest.raises(ValueError, match="label 7 at position 1 is out of range"):
        nn.cross_entropy(x, [1, 7])


@pytest.mark.parametrize("probabilities", [False, True])
def test_masked_minus_inf_logits_on_wrong_classes_keep_loss_and_gradient_finite_in_nd(probabilities):
    logits = np.zeros((2, 3, 2))
    logits[:, 2, :] = -np.inf  # class 2 masked everywhere
    labels = np.array([[0, 1], [1, -100]])
    if probabilities:
        labels = np.moveaxis(np.eye(3)[[[0, 1], [1, 0]]], -1, 1)
    for reduction in ("mean", "sum", "none"):
        x = Tensor(logits, requires_grad=True)
        loss = nn.cross_entropy(x, labels, reduction=reduction)
        loss.sum().backward()
        assert np.isfinite(loss.data).all() and np.isfinite(x.grad).all()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_losses_keep_the_dtype(dtype):
    x = Tensor(np.zeros((2, 3, 2)), requires_grad=True, dtype=dtype)
    labels = np.array([[0, 1], [2, -100]])
    for loss in (
        nn.cross_entropy(x, labels, label_smoothing=0.1, weight=np.ones(3)),
        nn.nll_loss(x.log_softmax(axis=1), labels, reduction="none"),
    ):
        loss.sum().backward()
        assert loss.dtype == dtype and x.grad.dtype == dtype


def logits():
    return Tensor(np.zeros((2, 3, 2)))


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: nn.cross_entropy(logits(), [[0, 3], [1, 1]]), ValueError, r"label 3 at position \(0, 1\)"),
        (lambda: nn.cross_entropy(logits(), [[0, -1], [1, 1]]), ValueError, r"label -1 at position \(0, 1\)"),
        (lambda: nn.cross_entropy(logits(), [[0, 1]]), ValueError, r"labels of shape \(1, 2\) fit neither"),
        (lambda: nn.cross_entropy(logits(), np.zeros((2, 2))), TypeError, r"integer dtype, got float64"),
        (lambda: nn.cross_entropy(logits(), np.full((2, 3, 2), 0.5)), ValueError, r"sums to 1.5, not 1"),
        (lambda: nn.cross_entropy(logits(), [[0, 1], [1, 1]], reduction="avg"), ValueError,
         r"reduction must be 'mean', 'sum' or 'none', got 'avg'"),
        (lambda: nn.cross_entropy(logits(), [[0, 1], [1, 1]], label_smoothing=1.5), ValueError,
         r"label_smoothing must be a number in \[0, 1\], got 1.5"),
        (lambda: nn.cross_entropy(logits(), [[0, 1], [1, 1]], label_smoothing=-0.1), ValueError,
         r"label_smoothing must be"),
        (lambda: nn.cross_entropy(logits(), [[0, 1], [1, 1]], label_smoothing=math.nan), ValueError,
         r"label_smoothing must be.*nan"),
        (lambda: nn.cross_entropy(logits(), [[0, 1], [1, 1]], label_smoothing=True), ValueError,
         r"label_smoothing must be"),
        (lambda: nn.cross_entropy(logits(), [[0, 1], [1, 1]], ignore_index=1.5), TypeError,
         r"ignore_index must be an integer"),
        (lambda: nn.cross_entropy(logits(), [[0, 1], [1, 1]], weight=np.ones(2)), ValueError,
         r"weight must be 3 numbers, one per class, got float64 of shape \(2,\)"),
        (lambda: nn.nll_loss(logits(), [0, 1]), ValueError, r"target of shape \(2,\) should be \(2, 2\)"),
        (lambda: nn.nll_loss(Tensor(np.zeros(3)), [0]), ValueError, r"input must be a 2-D Tensor"),
        (lambda: nn.nll_loss(logits(), np.zeros((2, 2))), TypeError, r"nll_loss: class indices must have"),
        (lambda: nn.nll_loss(logits(), [[0, 5], [1, 1]]), ValueError, r"nll_loss: label 5 at position"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_numpy_scalars_are_accepted_for_the_options():
    x = Tensor(np.zeros((2, 3)))
    loss = nn.cross_entropy(x, [0, 1], ignore_index=np.int64(1), label_smoothing=np.float32(0.5))
    assert loss.item() == pytest.approx(math.log(3))


def test_an_ignored_position_never_reads_its_minus_inf_log_probability():
    log_probs = np.array([[-np.inf, 0.0], [math.log(0.5), math.log(0.5)]])  # row 0: class 0 impossible
    x = Tensor(log_probs, requires_grad=True)
    loss = nn.nll_loss(x, [-100, 1])
    loss.backward()
    assert loss.item() == pytest.approx(math.log(2)) and np.isfinite(x.grad).all()


def test_functional_is_pytorchs_F_with_the_losses_and_the_fused_ops():
    from tinygrad_edu.nn import functional as F
    from tinygrad_edu.nn import fused

    assert F.cross_entropy is nn.cross_entropy and F.nll_loss is nn.nll_loss
    assert F.linear is fused.linear and F.softmax_cross_entropy is fused.softmax_cross_entropy
