"""Properties of lesson 6's exercises: the report's layout, and the Tensor engine's gradients."""

import numpy as np

from tinygrad_edu.course.checks import expect_close, expect_shape, expect_tuple
from tinygrad_edu.course.checks.networks import forward, loss, networks
from tinygrad_edu.course.grading import Property, PropertyFailed
from tinygrad_edu.gradcheck import numerical_gradient


def _copies(pairs):
    return [(w.copy(), b.copy()) for w, b in pairs]


def _report_params(function, network):
    params = function(_copies(network.pairs))
    if not isinstance(params, dict):
        raise PropertyFailed("the return value", "a dict {'W1': ..., 'b1': ..., ...}", repr(params))
    return params


def _layout_shapes(function, network):
    params = _report_params(function, network)
    if sorted(params) != sorted(network.params):
        raise PropertyFailed("the keys", sorted(network.params), sorted(params))
    for key, value in network.params.items():
        expect_shape(f"params['{key}']", params[key], value.shape)


def _same_function(function, network):
    params = _report_params(function, network)
    n_layers = len(network.pairs)
    h = network.x
    for k, (weight, bias) in enumerate(network.pairs):
        h = h @ weight.T + bias
        h = np.maximum(h, 0) if k < n_layers - 1 else h
    got = forward({key: np.asarray(v, dtype=np.float64) for key, v in params.items()}, network.x)
    expect_close("the report's Z_L, transposed", got[f"Z{n_layers}"].T, h)


def _new_arrays(function, network):
    pairs = _copies(network.pairs)
    params = function(pairs)
    for value in params.values():
        np.asarray(value)[...] = 7.0
    for k, ((weight, bias), (w0, b0)) in enumerate(zip(pairs, network.pairs), start=1):
        expect_close(f"layer {k}'s weight after changing the result", weight, w0)
        expect_close(f"layer {k}'s bias after changing the result", bias, b0)


def _engine_grads(function, network):
    grads = function(_copies(network.pairs), network.x.copy(), network.labels.copy())
    if not isinstance(grads, (list, tuple)) or len(grads) != len(network.pairs):
        raise PropertyFailed(
            "the return value", f"a list of {len(network.pairs)} (dweight, dbias)", repr(grads)
        )
    return [expect_tuple(f"layer {k}'s (dweight, dbias)", pair, 2) for k, pair in enumerate(grads, start=1)]


def _engine_shapes(function, network):
    for k, ((dweight, dbias), (weight, bias)) in enumerate(
        zip(_engine_grads(function, network), network.pairs), 1
    ):
        expect_shape(f"layer {k}'s dweight", dweight, weight.shape)
        expect_shape(f"layer {k}'s dbias", dbias, bias.shape)


def _engine_values(function, network):
    grads = _engine_grads(function, network)
    params = network.params
    for k, (dweight, dbias) in enumerate(grads, start=1):
        weight, bias = network.pairs[k - 1]
        for key, got, label, shape in (
            (f"W{k}", dweight, "dweight", weight.shape),
            (f"b{k}", dbias, "dbias", bias.shape),
        ):

            def loss_of(p, key=key):
                return loss({**params, key: p}, network.x, network.y)

            expected = numerical_gradient(loss_of, params[key].copy()).reshape(shape)  # b_k is (n_k, 1)
            expect_close(f"layer {k}'s {label}", got, expected, atol=1e-6)


PROPERTIES = {
    "to_report_layout": [
        Property(
            "W_k (n_k, n_{k-1}) and b_k (n_k, 1) for every layer", _layout_shapes, networks(), max_examples=25
        ),
        Property(
            "the report's forward on them equals the MLP's", _same_function, networks(), max_examples=25
        ),
        Property(
            "returns new arrays: changing them leaves the pairs alone",
            _new_arrays,
            networks(),
            max_examples=10,
        ),
    ],
    "tensor_engine_gradients": [
        Property(
            "one (dweight, dbias) per layer, in the pairs' layout",
            _engine_shapes,
            networks(),
            max_examples=15,
        ),
        Property(
            "equal central differences of the batch-mean cross-entropy",
            _engine_values,
            networks(),
            max_examples=25,
        ),
    ],
}
