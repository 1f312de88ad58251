"""leaky_relu, elu, gelu, silu, softplus, logsigmoid, relu6 and their nn modules: first and second
derivatives against central differences, values and derivatives against PyTorch (far tails included),
the erfc behind exact GELU against the standard library, dtypes kept, bad parameters refused."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu import Tensor, grad, nn
from tinygrad_edu.autograd.ops.normal import erfc
from tinygrad_edu.gradcheck import gradcheck, gradgradcheck
from tinygrad_edu.nn import functional as our_functional
from tinygrad_edu.testing import arrays, shapes, values

#: name → (ours, PyTorch's, (low, high) of the inputs to draw, kinks to keep away from).
#: The kinks: where the derivative jumps (leaky_relu, relu6), or the second derivative does (elu),
#: or, for softplus, the threshold, where the linear region starts (a jump of e^(−threshold)/β).
ACTIVATIONS = {
    "leaky_relu": (lambda t: t.leaky_relu(), F.leaky_relu, (-3, 3), (0.0,)),
    "leaky_relu(0.2)": (lambda t: t.leaky_relu(0.2), lambda t: F.leaky_relu(t, 0.2), (-3, 3), (0.0,)),
    "leaky_relu(-1.5)": (lambda t: t.leaky_relu(-1.5), lambda t: F.leaky_relu(t, -1.5), (-3, 3), (0.0,)),
    "elu": (lambda t: t.elu(), F.elu, (-4, 3), (0.0,)),
    "elu(0.7)": (lambda t: t.elu(0.7), lambda t: F.elu(t, 0.7), (-4, 3), (0.0,)),
    "gelu": (lambda t: t.gelu(), F.gelu, (-5, 5), ()),
    "gelu(tanh)": (lambda t: t.gelu("tanh"), lambda t: F.gelu(t, approximate="tanh"), (-5, 5), ()),
    "silu": (lambda t: t.silu(), F.silu, (-6, 6), ()),
    "softplus": (lambda t: t.softplus(), F.softplus, (-6, 6), ()),
    "softplus(2, 3)": (lambda t: t.softplus(2, 3), lambda t: F.softplus(t, 2, 3), (-3, 3), (1.5,)),
    "softplus(0.5, 1)": (lambda t: t.softplus(0.5, 1), lambda t: F.softplus(t, 0.5, 1), (-4, 4), (2.0,)),
    "logsigmoid": (lambda t: t.logsigmoid(), F.logsigmoid, (-6, 6), ()),
    "relu6": (lambda t: t.relu6(), F.relu6, (-2, 8), (0.0, 6.0)),
}
NAMES = list(ACTIVATIONS)

#: Large |x| as well: the tails of gelu, softplus's linear region, logsigmoid at −1000, and the kinks,
#: where our conventions are PyTorch's. Not softplus's βx == threshold exactly: there PyTorch's second
#: derivative is already 0 while its first is still σ(βx); ours is σ's derivative.
GRID = np.concatenate([np.linspace(-60, 60, 1201) + 0.003, [-1000.0, -0.0, 0.0, 6.0, 1e-9, -1e-9, 1000.0]])


def drawn_inputs(name):
    (low, high), kinks = ACTIVATIONS[name][2:]
    return arrays(shape=shapes(max_dims=2), elements=values(low, high, avoid=kinks))


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_first_and_second_derivatives_match_central_differences(name, data):
    ours = ACTIVATIONS[name][0]
    x = data.draw(drawn_inputs(name))
    assert gradcheck(ours, [x])
    assert gradgradcheck(lambda t: ours(t) * t, [x])  # (× t: leaky_relu's and relu6's own are 0)
    assert gradgradcheck(ours, [x])


def our_derivatives(fn, x):
    """fn(x), its first derivative and its second (elementwise), by our engine."""
    leaf = Tensor(x, requires_grad=True)
    out = fn(leaf)
    (first,) = grad(out.sum(), [leaf], create_graph=True)
    second = grad(first.sum(), [leaf])[0].data if first.requires_grad else np.zeros_like(x)
    return out.data, first.data, second


def torch_derivatives(fn, x):
    """The same by PyTorch."""
    leaf = torch.tensor(x, requires_grad=True)
    out = fn(leaf)
    (first,) = torch.autograd.grad(out.sum(), [leaf], create_graph=True)
    second = torch.autograd.grad(first.sum(), [leaf])[0] if first.requires_grad else torch.zeros_like(leaf)
    return out.detach().numpy(), first.detach().numpy(), second.numpy()


@pytest.mark.parametrize("name", NAMES)
def test_values_and_first_and_second_derivatives_match_pytorch_far_out_too(name):
    ours, theirs = ACTIVATIONS[name][:2]
    pairs = zip(("value", "first derivative", "second derivative"), our_derivatives(ours, GRID),
                torch_derivatives(theirs, GRID))
    for what, a, b in pairs:
        scale = np.maximum(1.0, np.abs(b))  # absolute where values are tiny: PyTorch's gelu tails cancel
        np.testing.assert_array_less(np.abs(a - b), 1e-12 * scale, err_msg=f"{name}: {what}")


def test_erfc_matches_the_standard_library_to_a_few_ulps_in_both_tails():
    x = np.concatenate([np.linspace(-6.0, 26.5, 20001), [0.46875, 0.46876, 4.0, 4.00001, -0.0, 1e-300]])
    expected = np.array([math.erfc(v) for v in x])
    np.testing.assert_allclose(erfc(x), expected, rtol=2e-15, atol=0)
    np.testing.assert_array_equal(erfc(np.array([np.inf, -np.inf, 40.0])), [0.0, 2.0, 0.0])
    assert np.isnan(erfc(np.array([np.nan]))).all()


def test_exact_gelu_keeps_its_relative_accuracy_in_the_negative_tail_where_pytorch_loses_it():
    x = np.linspace(-36.0, 10.0, 461)
    expected = np.array([v * math.erfc(-v / math.sqrt(2)) / 2 for v in x])
    np.testing.assert_allclose(Tensor(x).gelu().data, expected, rtol=1e-12, atol=0)
    assert Tensor(np.array([-10.0])).gelu().data[0] < 0  # 1 + erf(−10/√2) cancels to 0 in PyTorch


def test_the_stable_forms_stay_finite_far_out():
    x = Tensor(np.array([-1000.0, 1000.0]), requires_grad=True)
    np.testing.assert_array_equal(x.logsigmoid().data, [-1000.0, 0.0])
    np.testing.assert_array_equal(x.softplus().data, [0.0, 1000.0])
    np.testing.assert_array_equal(x.softplus(threshold=1e4).data, [0.0, 1000.0])  # no e^1000 either
    np.testing.assert_array_equal(x.elu().data, [-1.0, 1000.0])
    (x.logsigmoid() + x.softplus(threshold=1e4) + x.elu() + x.silu() + x.gelu()).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 4.0])  # logsigmoid's only at −1000, the others' at 1000


def test_kinks_follow_pytorchs_conventions():
    x = Tensor(np.array([0.0, 0.0, 6.0]), requires_grad=True)
    (first,) = grad((x.leaky_relu(0.2) + x.elu(0.7) + x.relu6()).sum(), [x], create_graph=True)
    np.testing.assert_allclose(first.data, [0.9, 0.9, 2.0], rtol=1e-15)  # relu6's slope is 0 at 0 and 6
    np.testing.assert_array_equal(grad(first.sum(), [x])[0].data, [0.0, 0.0, 0.0])  # elu's too, at 0


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("parameter_type", [float, np.float64, np.float32])
def test_float32_stays_float32_in_values_and_both_derivatives(name, parameter_type):
    x = Tensor(np.linspace(-3, 8, 12, dtype=np.float32), requires_grad=True)
    out = ACTIVATIONS[name][0](x)
    (first,) = grad(out.sum(), [x], create_graph=True)
    assert out.dtype == first.dtype == np.float32
    if first.requires_grad:
        assert grad(first.sum(), [x])[0].dtype == np.float32
    with_parameters = [x.leaky_relu(parameter_type(0.1)), x.elu(parameter_type(0.5)),
                       x.softplus(parameter_type(2.0), parameter_type(5.0))]
    assert all(t.dtype == np.float32 for t in with_parameters)
    expected = ACTIVATIONS[name][1](torch.from_numpy(x.data)).numpy()
    np.testing.assert_allclose(out.data, expected, rtol=1e-5, atol=1e-6)


MODULES = [
    (nn.LeakyReLU(), torch.nn.LeakyReLU()),
    (nn.LeakyReLU(np.float32(0.25)), torch.nn.LeakyReLU(0.25)),
    (nn.ELU(), torch.nn.ELU()),
    (nn.ELU(alpha=np.int64(2)), torch.nn.ELU(alpha=2)),
    (nn.GELU(), torch.nn.GELU()),
    (nn.GELU(approximate="tanh"), torch.nn.GELU(approximate="tanh")),
    (nn.SiLU(), torch.nn.SiLU()),
    (nn.Softplus(), torch.nn.Softplus()),
    (nn.Softplus(beta=2, threshold=3), torch.nn.Softplus(beta=2, threshold=3)),
    (nn.LogSigmoid(), torch.nn.LogSigmoid()),
    (nn.ReLU6(), torch.nn.ReLU6()),
    (nn.Hardtanh(-0.5, 2.0), torch.nn.Hardtanh(-0.5, 2.0)),
]


@pytest.mark.parametrize("ours, theirs", MODULES, ids=[repr(m) for m, _ in MODULES])
def test_nn_modules_match_pytorchs_modules_in_repr_values_and_gradients(ours, theirs):
    assert repr(ours) == repr(theirs)
    assert list(ours.parameters()) == [] and ours.state_dict() == {}
    x = np.linspace(-7, 9, 33).reshape(3, 11)
    a, b = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    upstream = np.cos(x)
    ours(a).backward(upstream)
    theirs(b).backward(torch.from_numpy(upstream))
    np.testing.assert_allclose(ours(a).data, theirs(b).detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(a.grad, b.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_nn_modules_fit_in_a_sequential_between_linear_layers():
    model = nn.Sequential(nn.Linear(3, 4, rng=0), nn.GELU(), nn.Linear(4, 2, rng=1), nn.LogSigmoid())
    out = model(Tensor(np.ones((5, 3), dtype=np.float32)))
    assert out.shape == (5, 2) and out.dtype == np.float32 and (out.data < 0).all()
    assert "(1): GELU(approximate='none')" in repr(model)


NOT_NUMBERS = [("a", TypeError), (None, TypeError), (True, TypeError), (np.array(0.5), TypeError),
               ([0.5], TypeError), (math.nan, ValueError), (math.inf, ValueError), (-np.inf, ValueError),
               (np.float32("nan"), ValueError), (10**400, ValueError)]

X = Tensor([-1.5, 0.5, 2.0])
#: (what is built, given one value: an op's result or a module), its name as errors say it, the parameter
PARAMETERS = [
    (lambda v: X.leaky_relu(v), "leaky_relu", "negative_slope"),
    (lambda v: nn.LeakyReLU(v), "LeakyReLU", "negative_slope"),
    (lambda v: X.elu(v), "elu", "alpha"),
    (lambda v: nn.ELU(v), "ELU", "alpha"),
    (lambda v: X.softplus(beta=v), "softplus", "beta"),
    (lambda v: nn.Softplus(beta=v), "Softplus", "beta"),
    (lambda v: X.softplus(threshold=v), "softplus", "threshold"),
    (lambda v: nn.Softplus(threshold=v), "Softplus", "threshold"),
]


@pytest.mark.parametrize("build, owner, parameter", PARAMETERS, ids=[f"{o}-{p}" for _, o, p in PARAMETERS])
@pytest.mark.parametrize("bad, error", NOT_NUMBERS, ids=[repr(b) for b, _ in NOT_NUMBERS])
def test_a_parameter_that_is_not_a_finite_number_is_refused_naming_it(build, owner, parameter, bad, error):
    with pytest.raises(error, match=rf"^{owner}: {parameter} must be"):
        build(bad)


@pytest.mark.parametrize("build, owner, parameter", PARAMETERS, ids=[f"{o}-{p}" for _, o, p in PARAMETERS])
@pytest.mark.parametrize("good", [np.int64(2), np.float32(0.5), 3, 1e3])
def test_numpy_scalars_and_large_numbers_are_accepted_as_the_same_python_float(build, owner, parameter, good):
    got, expected = build(good), build(float(good))
    if isinstance(got, nn.Module):
        got, expected = got(X), expected(X)
    np.testing.assert_array_equal(got.data, expected.data)


@pytest.mark.parametrize("op, parameter", [("leaky_relu", "negative_slope"), ("elu", "alpha"),
                                           ("softplus", "beta"), ("softplus", "threshold")])
def test_a_parameter_too_large_for_float32_is_refused_not_turned_into_inf(op, parameter):
    x = Tensor([1.0], dtype=np.float32)
    with pytest.raises(ValueError, match=rf"^{op}: {parameter} = 1e\+39 is too large for a float32 tensor"):
        getattr(x, op)(**{parameter: 1e39})
    assert getattr(Tensor([1.0], dtype=np.float64), op)(**{parameter: 1e39}).dtype == np.float64  # fits there


@pytest.mark.parametrize("build, owner", [(lambda b: Tensor([1.0]).softplus(b), "softplus"),
                                          (lambda b: nn.Softplus(b), "Softplus")])
@pytest.mark.parametrize("beta", [0, 0.0, -1.0, np.float64(-2)])
def test_softplus_refuses_a_beta_that_is_not_positive(build, owner, beta):
    with pytest.raises(ValueError, match=rf"^{owner}: beta must be > 0, got"):
        build(beta)


@pytest.mark.parametrize("build, owner", [(lambda a: Tensor([1.0]).gelu(a), "gelu"),
                                          (lambda a: nn.GELU(a), "GELU")])
@pytest.mark.parametrize("approximate", ["Tanh", "exact", "", None, 1, True])
def test_gelu_accepts_only_none_or_tanh_as_approximate(build, owner, approximate):
    with pytest.raises(ValueError, match=rf"^{owner}: approximate must be 'none' or 'tanh', got"):
        build(approximate)


@pytest.mark.parametrize("bounds, error, message", [
    ((1.0, -1.0), ValueError, r"^Hardtanh needs min_val < max_val, got min_val=1.0 and max_val=-1.0"),
    (("a", 1.0), TypeError, r"^Hardtanh: min_val must be a number, got str 'a'"),
    ((-1.0, np.ones(3)), TypeError, r"^Hardtanh: max_val must be a number"),
])
def test_hardtanh_module_errors_name_the_class_not_the_tensor_method(bounds, error, message):
    with pytest.raises(error, match=message):
        nn.Hardtanh(*bounds)
    with pytest.raises(error, match=message.replace("Hardtanh", "hardtanh")):
        Tensor([0.0]).hardtanh(*bounds)


FUNCTIONAL = [  # (name, keyword arguments): every activation that torch.nn.functional spells as a function
    ("relu", {}), ("sigmoid", {}), ("tanh", {}), ("hardtanh", {"min_val": -0.5, "max_val": 2.0}),
    ("leaky_relu", {"negative_slope": 0.2}), ("elu", {"alpha": 0.7}), ("gelu", {"approximate": "tanh"}),
    ("silu", {}), ("softplus", {"beta": 2.0, "threshold": 3.0}), ("logsigmoid", {}), ("relu6", {}),
    ("softmax", {"dim": 0}), ("log_softmax", {"dim": 1}),
]


@pytest.mark.parametrize("name, kwargs", FUNCTIONAL, ids=[name for name, _ in FUNCTIONAL])
def test_functional_activations_match_torch_nn_functional_in_values_and_gradients(name, kwargs):
    x = np.random.default_rng(3).uniform(-4, 7, (4, 5))
    mine = Tensor(x, requires_grad=True)
    out = getattr(our_functional, name)(mine, **kwargs)
    weights = np.random.default_rng(4).standard_normal(x.shape)
    (out * Tensor(weights)).sum().backward()
    theirs = torch.tensor(x, requires_grad=True)
    reference = getattr(F, name)(theirs, **kwargs)
    (reference * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(out.data, reference.detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(mine.grad, theirs.grad.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_functional_softmax_wants_its_dim_named_as_pytorch_does(name):
    with pytest.raises(TypeError, match=f"{name}: dim must be an int"):
        getattr(our_functional, name)(Tensor(np.ones((2, 3))), None)
