"""Properties of lesson 5's exercises: softmax with cross-entropy, and back_propagate."""

import numpy as np
from hypothesis import strategies as st

from tinygrad_edu.course.checks import expect_close, expect_shape, expect_tuple
from tinygrad_edu.course.checks.networks import forward, loss, networks
from tinygrad_edu.course.grading import Property, PropertyFailed
from tinygrad_edu.gradcheck import numerical_gradient
from tinygrad_edu.testing import arrays, values


@st.composite
def classifications(draw, low=-5.0, high=5.0):
    n, c = draw(st.integers(1, 4)), draw(st.integers(2, 5))
    logits = draw(arrays((n, c), values(low, high)))
    labels = draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n))
    return {"logits": logits, "y": np.eye(c)[labels]}


def _true_loss(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -np.sum(y * log_probs) / logits.shape[0]


def _call(function, example):
    logits, y = example["logits"], example["y"]
    loss_, dlogits = expect_tuple("the return value (loss, dlogits)", function(logits.copy(), y.copy()), 2)
    return loss_, expect_shape("dlogits", dlogits, logits.shape)


def _shapes(function, example):
    loss_, _ = _call(function, example)
    expect_shape("loss", loss_, ())


def _loss_value(function, example):
    expect_close("loss", _call(function, example)[0], _true_loss(example["logits"], example["y"]))


def _gradient(function, example):
    y = example["y"]
    expected = numerical_gradient(lambda z: _true_loss(z, y), example["logits"].copy())
    expect_close("dlogits", _call(function, example)[1], expected)


def _large_logits(function, example):
    loss_, dlogits = _call(function, example)
    expect_close("loss", loss_, _true_loss(example["logits"], example["y"]), atol=1e-6)
    logits = example["logits"]
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    expect_close("dlogits", dlogits, (e / e.sum(axis=1, keepdims=True) - example["y"]) / len(logits))


def _grads_of(function, network, x=None, y=None):
    x = network.x if x is None else x
    y = network.y if y is None else y
    params = network.params
    grads = function(params, forward(params, x), y.copy())
    if not isinstance(grads, dict):
        raise PropertyFailed("the return value", "a dict {'W1': dW1, 'b1': db1, ...}", repr(grads))
    return grads


def _backprop_shapes(function, network):
    grads = _grads_of(function, network)
    for key, value in network.params.items():
        if key not in grads:
            raise PropertyFailed("the keys of the result", sorted(network.params), sorted(grads))
        expect_shape(f"grads['{key}']", grads[key], value.shape)


def _batch_mean(function, network):
    once = _grads_of(function, network)
    twice = _grads_of(function, network, np.concatenate([network.x] * 2), np.concatenate([network.y] * 2))
    for key in network.params:
        expect_close(f"grads['{key}'] for the batch repeated twice", twice[key], once[key])


def _central_differences(function, network):
    grads = _grads_of(function, network)
    params = network.params
    for key, value in params.items():

        def loss_of(p, key=key):
            return loss({**params, key: p}, network.x, network.y)

        expect_close(f"grads['{key}']", grads[key], numerical_gradient(loss_of, value.copy()), atol=1e-6)


PROPERTIES = {
    "softmax_cross_entropy": [
        Property("returns a number and dlogits of the logits' shape", _shapes, classifications()),
        Property("the loss is the mean cross-entropy of the softmax", _loss_value, classifications()),
        Property("dlogits equals central differences of the loss", _gradient, classifications()),
        Property(
            "stays finite and right for logits up to ±1000 (shift by the max)",
            _large_logits,
            classifications(-1000.0, 1000.0),
            max_examples=20,
        ),
    ],
    "back_propagate": [
        Property("one gradient per parameter, of its shape", _backprop_shapes, networks(), max_examples=30),
        Property(
            "the gradients are batch means: repeating the batch changes nothing (the 1/m)",
            _batch_mean,
            networks(),
            max_examples=30,
        ),
        Property(
            "the gradients equal central differences, depth 1 to 4",
            _central_differences,
            networks(),
            max_examples=30,
        ),
    ],
}
