"""Properties of lesson 1's exercises: each op's value and its local derivatives."""

import math

from hypothesis import strategies as st

from tinygrad_edu.course.checks import expect_close, expect_tuple
from tinygrad_edu.course.grading import Property
from tinygrad_edu.testing import values

EPS = 1e-6


def _stable_sigmoid(a):
    return 1.0 / (1.0 + math.exp(-a)) if a >= 0 else math.exp(a) / (1.0 + math.exp(a))


# name: (the op's true value as a function of the inputs, strategy of the inputs as a dict)
OPS = {
    "add": (lambda a, b: a + b, {"a": values(), "b": values()}),
    "mul": (lambda a, b: a * b, {"a": values(), "b": values()}),
    "exp": (math.exp, {"a": values(-5, 5)}),
    "log": (math.log, {"a": values(0.1, 10)}),
    "tanh": (math.tanh, {"a": values(-4, 4)}),
    "sigmoid": (_stable_sigmoid, {"a": values(-8, 8)}),
    "relu": (lambda a: max(a, 0.0), {"a": values(-3, 3, avoid=(0.0,), margin=1e-3)}),
}


def _unpack(result, n_inputs):
    """The learner's (out, (d_1, …)) with one derivative per input, or PropertyFailed."""
    out, local_grads = expect_tuple("the return value (out, local_grads)", result, 2)
    expect_tuple("local_grads, one ∂out/∂input per input", local_grads, n_inputs)
    return out, local_grads


def value_property(true_fn, strategy):
    def check(function, example):
        out, _ = _unpack(function(*example.values()), len(example))
        expect_close("out", out, true_fn(*example.values()), atol=1e-9, rtol=1e-9)

    return Property("out is the op's value", check, st.fixed_dictionaries(strategy))


def derivatives_property(true_fn, strategy):
    def check(function, example):
        inputs = list(example.values())
        _, local_grads = _unpack(function(*inputs), len(inputs))
        for i, name in enumerate(example):
            plus, minus = list(inputs), list(inputs)
            plus[i] += EPS
            minus[i] -= EPS
            numeric = (true_fn(*plus) - true_fn(*minus)) / (2 * EPS)
            expect_close(f"∂out/∂{name}", local_grads[i], numeric, atol=1e-6, rtol=1e-5)

    return Property("the local derivatives equal central differences", check, st.fixed_dictionaries(strategy))


def _power_inputs():
    """a and n with aⁿ real and smooth: a > 0 for fractional n, a away from 0 for negative n."""
    whole = st.fixed_dictionaries({"a": values(-3, 3, avoid=(0.0,), margin=0.1), "n": st.integers(-2, 4)})
    fractional = st.fixed_dictionaries(
        {"a": values(0.1, 3), "n": st.sampled_from([0.5, -0.5, 1.5, 2.5, -1.5, 1 / 3])}
    )
    return whole | fractional


def _power_value(function, example):
    out, _ = _unpack(function(example["a"], example["n"]), 1)
    expect_close("out", out, example["a"] ** example["n"], atol=1e-9, rtol=1e-9)


def _power_derivative(function, example):
    a, n = example["a"], example["n"]
    _, (d_a,) = _unpack(function(a, n), 1)
    expect_close("∂out/∂a", d_a, ((a + EPS) ** n - (a - EPS) ** n) / (2 * EPS), atol=1e-6, rtol=1e-5)


def _sigmoid_far_out(function, example):
    a = example["a"]
    out, (d_a,) = _unpack(function(a), 1)
    expect_close("out", out, _stable_sigmoid(a), atol=1e-12, rtol=1e-9)
    expect_close("∂out/∂a", d_a, _stable_sigmoid(a) * (1 - _stable_sigmoid(a)), atol=1e-12, rtol=1e-6)


def _relu_at_the_kink(function, example):
    out, (d_a,) = _unpack(function(0.0), 1)
    expect_close("out at a = 0", out, 0.0)
    expect_close("∂out/∂a at a = 0 (PyTorch's convention)", d_a, 0.0)


PROPERTIES = {name: [value_property(*OPS[name]), derivatives_property(*OPS[name])] for name in OPS}
PROPERTIES["power"] = [
    Property("out is the op's value", _power_value, _power_inputs()),
    Property("the local derivative equals central differences", _power_derivative, _power_inputs()),
]
PROPERTIES["sigmoid"].append(
    Property(
        "no overflow for large |a| (up to 1000)",
        _sigmoid_far_out,
        st.fixed_dictionaries({"a": st.sampled_from([-1000.0, -750.0, 1000.0, 750.0]) | values(-1000, 1000)}),
        max_examples=20,
    )
)
PROPERTIES["relu"].append(Property("relu'(0) is 0, the slope of the flat side", _relu_at_the_kink))
