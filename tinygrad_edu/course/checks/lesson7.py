"""Properties of lesson 7's exercises: mini-batches and the report's momentum step."""

import numpy as np
from hypothesis import strategies as st

from tinygrad_edu import Tensor, optim
from tinygrad_edu.course.checks import expect_close, expect_shape, expect_tuple
from tinygrad_edu.course.grading import Property, PropertyFailed
from tinygrad_edu.testing import arrays, shapes, values

# ---- minibatches ----
epochs = st.fixed_dictionaries(
    {"n": st.integers(1, 40), "batch_size": st.integers(1, 16), "seed": st.integers(0, 99)}
)


def _batches(function, n, batch_size, seed):
    batches = function(n, batch_size, np.random.default_rng(seed))
    if not isinstance(batches, (list, tuple)):
        raise PropertyFailed("the return value", "a list of index arrays", repr(batches))
    return [np.asarray(b).reshape(-1) for b in batches]


def _each_example_once(function, example):
    batches = _batches(function, example["n"], example["batch_size"], example["seed"])
    got = np.sort(np.concatenate(batches)) if batches else np.array([])
    expect_shape("the examples of one epoch, sorted", got, (example["n"],))
    if not np.array_equal(got, np.arange(example["n"])):
        raise PropertyFailed("the examples of one epoch, sorted", np.arange(example["n"]), got)


def _batch_sizes(function, example):
    n, size = example["n"], example["batch_size"]
    got = [len(b) for b in _batches(function, n, size, example["seed"])]
    expected = [size] * (n // size) + ([n % size] if n % size else [])
    if got != expected:
        raise PropertyFailed("the batch sizes", expected, got)


def _shuffled_by_rng(function, example):
    n = example["n"] + 20  # long enough that two seeds giving one order would be a 1-in-20! fluke
    seed, size = example["seed"], example["batch_size"]
    first = np.concatenate(_batches(function, n, size, seed))
    again = np.concatenate(_batches(function, n, size, seed))
    other = np.concatenate(_batches(function, n, size, seed + 1))
    if not np.array_equal(first, again):
        raise PropertyFailed("the order with the same seed again", first, again)
    if np.array_equal(first, other):
        raise PropertyFailed(f"the order with seed {seed + 1}", "another order", other)


# ---- momentum_step ----
steps = st.fixed_dictionaries(
    {
        # w away from 0, so that the bowl's loss ½ Σ c w² is above its minimum before the step
        "w": arrays(shapes(min_dims=1, max_dims=2, max_side=3), values(-2, 2, avoid=(0.0,), margin=0.1)),
        "lr": values(0.01, 0.5),
        "beta": values(0.0, 0.95),
    }
)


def _step(function, w, v, g, lr, beta):
    new_w, new_v = expect_tuple(
        "the return value (new_w, new_v)", function(w.copy(), v.copy(), g.copy(), lr, beta), 2
    )
    return expect_shape("new_w", new_w, w.shape), expect_shape("new_v", new_v, w.shape)


def _downhill(function, example):
    w, lr, beta = example["w"], example["lr"], example["beta"]
    curvature = np.linspace(0.5, 2.0, w.size).reshape(w.shape)  # L(w) = ½ Σ c w², ∇L = c w
    new_w, _ = _step(function, w, np.zeros_like(w), curvature * w, lr, beta)
    before, after = 0.5 * np.sum(curvature * w * w), 0.5 * np.sum(curvature * new_w * new_w)
    if not after < before:
        raise PropertyFailed("the loss ½ Σ c w² after one step from v = 0", f"less than {before:.6g}", after)


def _constant_gradient(function, example):
    g, lr, beta = example["w"], example["lr"], example["beta"]
    w, v = np.zeros_like(g), np.zeros_like(g)
    for t in range(1, 5):
        w, v = _step(function, w, v, g, lr, beta)
        expect_close(f"v after {t} steps of a constant gradient g (from v = 0)", v, (1 - beta**t) * g)


def _same_as_sgd(function, example):
    w0, lr, beta = example["w"], example["lr"], example["beta"]
    rng = np.random.default_rng(0)
    gradients = [rng.standard_normal(w0.shape) for _ in range(4)]
    parameter = Tensor(w0.copy(), requires_grad=True)
    sgd = optim.SGD([parameter], lr=lr, momentum=beta, dampening=beta)
    w, v = w0.copy(), np.zeros_like(w0)
    for t, g in enumerate(gradients, start=1):
        w, v = _step(function, w, v, g, lr, beta)
        parameter.grad = g.copy()
        sgd.step()
        expect_close(f"w after {t} steps", w, parameter.data)


PROPERTIES = {
    "minibatches": [
        Property("every example exactly once per epoch", _each_example_once, epochs),
        Property("batches of batch_size, the last one holding the rest", _batch_sizes, epochs),
        Property(
            "shuffled by rng: same seed, same order; another seed, another",
            _shuffled_by_rng,
            epochs,
            max_examples=15,
        ),
    ],
    "momentum_step": [
        Property("a step from v = 0 goes downhill on a quadratic bowl", _downhill, steps),
        Property("a constant gradient g gives v = (1 − βᵗ)·g after t steps", _constant_gradient, steps),
        Property("four steps equal optim.SGD(momentum=β, dampening=β)", _same_as_sgd, steps),
    ],
}
