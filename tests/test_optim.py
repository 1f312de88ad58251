"""Tests for tinygrad_edu.optim: SGD (with momentum, dampening, Nesterov), Adam, cosine annealing.

The updates are compared, in float64, with closed forms worked out by hand for
a constant gradient g, and with the docstring formulas written out in numpy.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_edu import Tensor, nn
from tinygrad_edu.optim import SGD, Adam, CosineAnnealingLR
from tinygrad_edu.testing import arrays, values

W0 = np.array([1.0, -2.0, 0.5])
G = np.array([0.3, -1.0, 2.0])  # the fixed gradient of the closed-form tests


def parameter(data=W0):
    return Tensor(np.array(data, dtype=np.float64), requires_grad=True)


def run(optimizer, gradients):
    """Give the optimizer's parameter each gradient in turn, stepping after each one."""
    (p,) = optimizer.params
    for g in gradients:
        p.grad = np.array(g, dtype=p.dtype)
        optimizer.step()
    return p.data


# --------------------------------------------------------------------------
# SGD: closed forms for a constant gradient g
# --------------------------------------------------------------------------


@pytest.mark.parametrize("steps", [1, 2, 5])
def test_sgd_plain_moves_lr_times_gradient_per_step(steps):
    # w_t = w_0 − t·lr·g
    w = run(SGD([parameter()], lr=0.1), [G] * steps)
    np.testing.assert_allclose(w, W0 - steps * 0.1 * G, rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("steps", [1, 2, 5])
@pytest.mark.parametrize("momentum, dampening", [(0.9, 0.0), (0.5, 0.0), (0.9, 0.3)])
def test_sgd_momentum_matches_the_geometric_series_closed_form(steps, momentum, dampening):
    # v_k = (1 − d) g (1 − μᵏ) / (1 − μ)
    # w_t = w_0 − lr Σ_{k=1..t} v_k = w_0 − lr (1 − d) g [t − μ (1 − μᵗ) / (1 − μ)] / (1 − μ)
    lr, mu, d = 0.1, momentum, dampening
    w = run(SGD([parameter()], lr=lr, momentum=mu, dampening=d), [G] * steps)
    total = (steps - mu * (1 - mu**steps) / (1 - mu)) / (1 - mu)
    np.testing.assert_allclose(w, W0 - lr * (1 - d) * G * total, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("steps", [1, 2, 5])
def test_sgd_nesterov_steps_along_gradient_plus_momentum_times_velocity(steps):
    # direction_k = g + μ v_k, v_k = g (1 − μᵏ)/(1 − μ)
    # w_t = w_0 − lr [t g + μ Σ_{k=1..t} v_k]
    lr, mu = 0.1, 0.9
    w = run(SGD([parameter()], lr=lr, momentum=mu, nesterov=True), [G] * steps)
    sum_v = G * (steps - mu * (1 - mu**steps) / (1 - mu)) / (1 - mu)
    np.testing.assert_allclose(w, W0 - lr * (steps * G + mu * sum_v), rtol=1e-13, atol=1e-15)


def test_sgd_momentum_first_step_is_damped_because_velocity_starts_at_zero():
    # v_1 = μ·0 + (1 − d) g: PyTorch would set v_1 = g here instead.
    w = run(SGD([parameter()], lr=0.1, momentum=0.9, dampening=0.9), [G])
    np.testing.assert_allclose(w, W0 - 0.1 * (1 - 0.9) * G, rtol=1e-14, atol=1e-15)


@given(
    beta=st.floats(0.0, 0.99),
    lr=st.floats(1e-3, 1.0),
    gradients=st.lists(arrays((3,)), min_size=1, max_size=6),
)
def test_sgd_with_dampening_equal_to_momentum_is_the_reports_rule(beta, lr, gradients):
    # The report: v ← βv + (1−β)g; w ← w − ηv, with v = 0 before the first step.
    optimizer = SGD([parameter()], lr=lr, momentum=beta, dampening=beta)
    w, v = W0.copy(), np.zeros_like(W0)
    for g in gradients:
        v = beta * v + (1 - beta) * g
        w = w - lr * v
        np.testing.assert_allclose(run(optimizer, [g]), w, rtol=1e-12, atol=1e-14)


# --------------------------------------------------------------------------
# Adam
# --------------------------------------------------------------------------


def adam_reference(w, gradients, lr, beta1, beta2, eps):
    """The docstring's formulas, step by step, in numpy."""
    m, s = np.zeros_like(w), np.zeros_like(w)
    trajectory = []
    for t, g in enumerate(gradients, start=1):
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g**2
        m_hat, s_hat = m / (1 - beta1**t), s / (1 - beta2**t)
        w = w - lr * m_hat / (np.sqrt(s_hat) + eps)
        trajectory.append(w)
    return trajectory


@given(
    gradients=st.lists(arrays((3,)), min_size=1, max_size=8),
    lr=st.floats(1e-4, 0.1),
    beta1=st.floats(0.0, 0.95),
    beta2=st.floats(0.5, 0.9999),
    eps=st.sampled_from([1e-8, 1e-3]),
)
def test_adam_matches_its_docstring_formulas_step_by_step(gradients, lr, beta1, beta2, eps):
    optimizer = Adam([parameter()], lr=lr, betas=(beta1, beta2), eps=eps)
    for g, expected in zip(gradients, adam_reference(W0, gradients, lr, beta1, beta2, eps)):
        np.testing.assert_allclose(run(optimizer, [g]), expected, rtol=1e-10, atol=1e-12)


def test_adam_first_step_moves_each_entry_by_about_lr_against_the_gradient_sign():
    # t = 1: m̂ = g and √ŝ = |g|, so the step is lr · g / (|g| + eps) ≈ lr · sign(g).
    w = run(Adam([parameter()], lr=0.01), [G])
    np.testing.assert_allclose(w, W0 - 0.01 * np.sign(G), rtol=1e-6)


# --------------------------------------------------------------------------
# What every optimizer shares
# --------------------------------------------------------------------------

OPTIMIZERS = {
    "sgd": lambda params: SGD(params, lr=0.1),
    "momentum": lambda params: SGD(params, lr=0.1, momentum=0.9, dampening=0.5),
    "nesterov": lambda params: SGD(params, lr=0.1, momentum=0.9, nesterov=True),
    "adam": lambda params: Adam(params, lr=0.1),
}


@pytest.mark.parametrize("make", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_step_leaves_parameters_without_a_gradient_unchanged(make):
    with_grad, without_grad = parameter(), parameter()
    optimizer = make([with_grad, without_grad])
    for _ in range(3):
        with_grad.grad = G.copy()
        optimizer.step()
    np.testing.assert_array_equal(without_grad.data, W0)
    assert not np.allclose(with_grad.data, W0)


@pytest.mark.parametrize("make", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_skipped_parameter_later_takes_the_same_first_step_as_a_fresh_optimizer(make):
    # Its state (velocity; Adam's moments and step count t) must not move while it has no gradient.
    late, other = parameter(), parameter()
    optimizer = make([late, other])
    for _ in range(3):
        other.grad = G.copy()
        optimizer.step()
    other.grad = None
    late.grad = G.copy()
    optimizer.step()
    np.testing.assert_allclose(late.data, run(make([parameter()]), [G]), rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("make", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_float32_parameters_stay_float32_after_steps(make):
    model = nn.Linear(3, 2, dtype="float32")
    optimizer = make(model.parameters())
    x = Tensor(np.ones((4, 3)), dtype="float32")
    for _ in range(3):
        optimizer.zero_grad()
        model(x).sum().backward()
        optimizer.step()
    assert all(p.dtype == np.float32 and p.data.dtype == np.float32 for p in model.parameters())


@pytest.mark.parametrize("make", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_zero_grad_clears_the_gradients_of_its_parameters(make):
    p = parameter()
    optimizer = make([p])
    (p * p).sum().backward()
    assert p.grad is not None
    optimizer.zero_grad()
    assert p.grad is None


@pytest.mark.parametrize("make", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_step_updates_the_parameter_tensor_in_place(make):
    # A model keeps using the same Tensor objects: the step must change their data, not replace them.
    p = parameter()
    data_before = p.data
    run(make([p]), [G])
    assert p.data is data_before
    assert not np.array_equal(p.data, W0)


OPTIMIZERS_WITH_DAMPENING = {**OPTIMIZERS, "damped": lambda params: SGD(params, lr=0.1, momentum=0.8,
                                                                          dampening=0.8)}


@pytest.mark.parametrize("make", OPTIMIZERS_WITH_DAMPENING.values(), ids=OPTIMIZERS_WITH_DAMPENING.keys())
def test_step_never_writes_into_the_gradient_the_user_holds(make):
    # The step writes its terms into a scratch array of its own; p.grad (maybe held by the user) is read only.
    p = parameter()
    optimizer = make([p])
    for _ in range(3):
        p.grad = G.copy()
        held = p.grad
        optimizer.step()
        assert p.grad is held
        np.testing.assert_array_equal(held, G)


@pytest.mark.parametrize("make", OPTIMIZERS_WITH_DAMPENING.values(), ids=OPTIMIZERS_WITH_DAMPENING.keys())
def test_two_parameters_of_one_shape_do_not_share_a_scratch_array(make):
    # Each parameter's update is written to its own scratch: the second must not see the first's terms.
    a, b = parameter(), parameter()
    optimizer = make([a, b])
    a.grad, b.grad = G.copy(), -G
    optimizer.step()
    np.testing.assert_allclose(a.data, run(make([parameter()]), [G]), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(b.data, run(make([parameter()]), [-G]), rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("make", OPTIMIZERS_WITH_DAMPENING.values(), ids=OPTIMIZERS_WITH_DAMPENING.keys())
def test_a_step_allocates_no_parameter_sized_array(make):
    # A large model's update must not allocate temporaries (they cost page faults every step).
    import tracemalloc  # numpy reports its array buffers to tracemalloc

    p = Tensor(np.ones(100_000), requires_grad=True)
    optimizer = make([p])
    p.grad = np.full(100_000, 0.5)
    optimizer.step()  # a first step may set up state
    tracemalloc.start()
    try:
        optimizer.step()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < p.data.nbytes / 10, f"step() allocated {peak} bytes for a {p.data.nbytes}-byte parameter"


# --------------------------------------------------------------------------
# Invalid arguments
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lr": -0.1}, "lr must be > 0.0, got -0.1"),
        ({"lr": 0.0}, "lr must be > 0.0, got 0.0"),
        ({"lr": float("nan")}, "lr must be a finite number"),
        ({"lr": "0.1"}, "lr must be a finite number"),
        ({"lr": 0.1, "momentum": 1.0}, "momentum must be < 1.0, got 1.0"),
        ({"lr": 0.1, "momentum": 1.5}, "momentum must be < 1.0, got 1.5"),
        ({"lr": 0.1, "momentum": -0.1}, "momentum must be ≥ 0.0, got -0.1"),
        ({"lr": 0.1, "momentum": 0.9, "dampening": 1.0}, "dampening must be < 1.0"),
        ({"lr": 0.1, "nesterov": True}, "nesterov=True needs momentum > 0"),
        ({"lr": 0.1, "momentum": 0.9, "dampening": 0.5, "nesterov": True}, "and dampening = 0"),
    ],
)
def test_sgd_invalid_hyperparameter_raises_value_error_naming_it(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SGD([parameter()], **kwargs)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lr": -1e-3}, "lr must be > 0.0"),
        ({"betas": (1.0, 0.999)}, r"betas\[0\] must be < 1.0"),
        ({"betas": (0.9, -0.1)}, r"betas\[1\] must be ≥ 0.0"),
        ({"eps": 0.0}, "eps must be > 0.0"),
    ],
)
def test_adam_invalid_hyperparameter_raises_value_error_naming_it(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Adam([parameter()], **kwargs)


@pytest.mark.parametrize("optimizer", [SGD, Adam])
def test_empty_parameter_list_raises_value_error(optimizer):
    with pytest.raises(ValueError, match="empty list of parameters"):
        optimizer([], lr=0.1)


@pytest.mark.parametrize(
    "bad", [np.zeros(3), 1.0, Tensor(np.zeros(3))], ids=["array", "number", "tensor-without-grad"]
)
@pytest.mark.parametrize("optimizer", [SGD, Adam])
def test_parameter_that_is_not_a_tensor_requiring_grad_raises_type_error_naming_its_index(optimizer, bad):
    with pytest.raises(TypeError, match="parameter 1 is not a Tensor with requires_grad=True"):
        optimizer([parameter(), bad], lr=0.1)


@pytest.mark.parametrize("optimizer", [SGD, Adam])
def test_a_single_tensor_instead_of_a_list_raises_type_error(optimizer):
    # list(w) would be w's rows: new tensors, so the steps would never reach w itself.
    weight = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(TypeError, match=r"pass a list of parameters, e.g. \[w\], not a Tensor"):
        optimizer(weight, lr=0.1)


# --------------------------------------------------------------------------
# CosineAnnealingLR
# --------------------------------------------------------------------------


@given(
    lr=st.floats(1e-4, 1.0),
    eta_min=values(0.0, 1e-4),
    t_max=st.integers(1, 20),
)
def test_cosine_annealing_follows_its_formula_from_t_0_to_t_max(lr, eta_min, t_max):
    optimizer = SGD([parameter()], lr=lr)
    scheduler = CosineAnnealingLR(optimizer, T_max=t_max, eta_min=eta_min)
    assert optimizer.lr == lr
    for t in range(1, t_max + 1):
        scheduler.step()
        expected = eta_min + (lr - eta_min) * (1 + math.cos(math.pi * t / t_max)) / 2
        assert optimizer.lr == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_cosine_annealing_reaches_eta_min_at_t_max_and_stays_there():
    optimizer = SGD([parameter()], lr=0.5)
    scheduler = CosineAnnealingLR(optimizer, T_max=4, eta_min=0.01)
    lrs = []
    for _ in range(10):
        scheduler.step()
        lrs.append(optimizer.lr)
    assert lrs[3:] == [pytest.approx(0.01, abs=1e-15)] * 7


def test_cosine_annealing_is_half_way_at_half_t_max():
    optimizer = SGD([parameter()], lr=1.0)
    scheduler = CosineAnnealingLR(optimizer, T_max=10, eta_min=0.2)
    for _ in range(5):
        scheduler.step()
    assert optimizer.lr == pytest.approx((1.0 + 0.2) / 2, rel=1e-12)


@pytest.mark.parametrize("t_max", [0, -3, 2.5])
def test_cosine_annealing_t_max_must_be_a_positive_integer(t_max):
    with pytest.raises(ValueError, match="T_max must be a positive integer"):
        CosineAnnealingLR(SGD([parameter()], lr=0.1), T_max=t_max)


def test_a_computed_tensor_is_refused_as_a_parameter():
    w = Tensor(np.ones(3), requires_grad=True)
    with pytest.raises(ValueError, match="parameter 0 was computed by an op"):
        SGD([w * 2], lr=0.1)


def test_the_same_parameter_twice_is_refused():
    w = Tensor(np.ones(3), requires_grad=True)
    with pytest.raises(ValueError, match="appears twice"):
        SGD([w, w], lr=0.1)


def test_a_numpy_scalar_learning_rate_is_accepted():
    w = Tensor(np.ones(3), requires_grad=True)
    assert SGD([w], lr=np.float32(0.1)).lr == np.float32(0.1)
