"""Tests for `Value`, the scalar engine (lesson 2).

Each op is checked twice: its result against Python's `math`, and its
gradient against central finite differences (`assert_gradients_match`), at
values hypothesis chooses away from the op's kinks and poles.
"""

import math
import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_edu import Tensor, Value, is_grad_enabled, no_grad
from tinygrad_edu.testing import assert_gradients_match, positive_values, values

# Divisors and bases of negative powers, kept clear of the pole at 0.
nonzero_values = values(avoid=(0.0,), margin=0.1)

# ---------------------------------------------------------------------------
# Construction
# ---------------------------------------------------------------------------


def test_value_stores_an_int_as_a_float():
    v = Value(3)
    assert v.data == 3.0 and type(v.data) is float


def test_a_new_value_has_zero_grad():
    assert Value(1.5).grad == 0.0


def test_repr_shows_data_and_grad():
    x = Value(2.5)
    (x * x).backward()
    assert repr(x) == "Value(data=2.5, grad=5)"


# ---------------------------------------------------------------------------
# Arithmetic: forward against Python, backward against finite differences
# ---------------------------------------------------------------------------

BINARY_OPS = {  # name: (the op on Values, the same op on floats, strategy for the right operand)
    "add": (lambda a, b: a + b, lambda a, b: a + b, values()),
    "sub": (lambda a, b: a - b, lambda a, b: a - b, values()),
    "mul": (lambda a, b: a * b, lambda a, b: a * b, values()),
    "div": (lambda a, b: a / b, lambda a, b: a / b, nonzero_values),
}


@pytest.mark.parametrize("name", BINARY_OPS)
@given(data=st.data())
def test_binary_op_of_two_values_matches_python(name, data):
    op, reference, right = BINARY_OPS[name]
    a, b = data.draw(values()), data.draw(right)
    assert op(Value(a), Value(b)).data == pytest.approx(reference(a, b), rel=1e-12)


@pytest.mark.parametrize("name", BINARY_OPS)
@given(data=st.data())
def test_binary_op_of_two_values_has_the_finite_difference_gradient(name, data):
    op, _, right = BINARY_OPS[name]
    assert_gradients_match(op, data.draw(values()), data.draw(right))


@pytest.mark.parametrize("name", BINARY_OPS)
@given(number=nonzero_values, b=nonzero_values)
def test_binary_op_with_a_number_on_the_left_matches_python(name, number, b):
    op, reference, _ = BINARY_OPS[name]
    out = op(number, Value(b))  # calls Value.__radd__, __rsub__, __rmul__, __rtruediv__
    assert isinstance(out, Value)
    assert out.data == pytest.approx(reference(number, b), rel=1e-12)


@pytest.mark.parametrize("name", BINARY_OPS)
@given(number=nonzero_values, b=nonzero_values)
def test_binary_op_with_a_number_on_the_left_has_the_finite_difference_gradient(name, number, b):
    op = BINARY_OPS[name][0]
    assert_gradients_match(lambda v: op(number, v), b)


@pytest.mark.parametrize("name", BINARY_OPS)
@given(a=values(), number=nonzero_values)
def test_binary_op_with_a_number_on_the_right_has_the_finite_difference_gradient(name, a, number):
    op = BINARY_OPS[name][0]
    assert_gradients_match(lambda v: op(v, number), a)


def test_negation_matches_python_and_has_gradient_minus_one():
    x = Value(1.5)
    y = -x
    y.backward()
    assert (y.data, x.grad) == (-1.5, -1.0)


# ---- powers ----


@pytest.mark.parametrize("exponent", [0, 1, 2, 3, -1, -2])
@given(a=nonzero_values)
def test_integer_power_of_any_sign_matches_python(exponent, a):
    assert (Value(a) ** exponent).data == pytest.approx(a**exponent, rel=1e-12)


@pytest.mark.parametrize("exponent", [0, 1, 2, 3, -1, -2])
@given(a=nonzero_values)
def test_integer_power_of_any_sign_has_the_finite_difference_gradient(exponent, a):
    assert_gradients_match(lambda v: v**exponent, a)


@pytest.mark.parametrize("exponent", [0.5, -0.5, 1.5, math.pi])
@given(a=positive_values())
def test_fractional_power_of_a_positive_base_has_the_finite_difference_gradient(exponent, a):
    assert_gradients_match(lambda v: v**exponent, a)


@given(a=positive_values(), b=values())
def test_power_with_a_value_exponent_matches_python(a, b):
    assert (Value(a) ** Value(b)).data == pytest.approx(a**b, rel=1e-12)


@given(a=positive_values(), b=values())
def test_power_with_a_value_exponent_has_the_finite_difference_gradient_in_base_and_exponent(a, b):
    assert_gradients_match(lambda base, exponent: base**exponent, a, b)


@given(number=positive_values(), b=values())
def test_number_to_a_value_power_has_the_finite_difference_gradient(number, b):
    assert_gradients_match(lambda v: number**v, b)  # Value.__rpow__


def test_number_to_a_value_power_has_gradient_c_to_the_x_times_ln_c():
    x = Value(3.0)
    y = 2**x
    y.backward()
    assert (y.data, x.grad) == (8.0, pytest.approx(8 * math.log(2)))


def test_negative_base_to_an_integer_power_is_allowed():
    x = Value(-2.0)
    y = x**3
    y.backward()
    assert (y.data, x.grad) == (-8.0, 12.0)


@pytest.mark.parametrize(("exponent", "slope"), [(2, 0.0), (1, 1.0), (0.5, math.inf), (0, 0.0)])
def test_zero_to_a_power_has_the_one_sided_slope(exponent, slope):
    x = Value(0.0)
    y = x**exponent
    y.backward()
    assert (y.data, x.grad) == (0.0**exponent, slope)


# ---- elementary functions ----

UNARY_OPS = {  # name: (the method, the math reference, where the inputs come from)
    "exp": (Value.exp, math.exp, values()),
    "log": (Value.log, math.log, positive_values()),
    "tanh": (Value.tanh, math.tanh, values()),
    "sigmoid": (Value.sigmoid, lambda a: 1 / (1 + math.exp(-a)), values()),
    "relu": (Value.relu, lambda a: max(a, 0.0), values(avoid=(0.0,))),
}


@pytest.mark.parametrize("name", UNARY_OPS)
@given(data=st.data())
def test_unary_op_matches_math(name, data):
    method, reference, inputs = UNARY_OPS[name]
    a = data.draw(inputs)
    assert method(Value(a)).data == pytest.approx(reference(a), rel=1e-12)


@pytest.mark.parametrize("name", UNARY_OPS)
@given(data=st.data())
def test_unary_op_has_the_finite_difference_gradient(name, data):
    method, _, inputs = UNARY_OPS[name]
    assert_gradients_match(method, data.draw(inputs))


def test_relu_gradient_at_the_kink_is_zero():
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0


@pytest.mark.parametrize(("a", "expected"), [(1000.0, 1.0), (-1000.0, 0.0)])
def test_sigmoid_of_a_huge_input_does_not_overflow(a, expected):
    assert Value(a).sigmoid().data == expected


@given(a=values(), b=values(), c=positive_values())
def test_a_composite_expression_has_the_finite_difference_gradient(a, b, c):
    assert_gradients_match(lambda x, y, z: (x * y + z.log() - y / z).tanh() * x.sigmoid() + z**y, a, b, c)


# ---------------------------------------------------------------------------
# backward(): accumulation and the graph walk
# ---------------------------------------------------------------------------


def test_two_backward_calls_add_into_a_leaf_grad():
    x = Value(3.0)
    y = x * x
    y.backward()
    y.backward()
    assert x.grad == 2 * 6.0


def test_setting_grad_to_zero_resets_the_accumulation():
    x = Value(3.0)
    (x * x).backward()
    x.grad = 0.0
    (x * x).backward()
    assert x.grad == 6.0


def test_an_intermediate_value_holds_only_the_latest_backward_calls_gradient():
    x = Value(3.0)
    h = x * 2
    y = h * h
    y.backward()
    y.backward()
    assert h.grad == 2 * h.data  # ∂y/∂h once, not twice


def test_a_value_used_twice_gets_the_sum_of_both_paths():
    x = Value(3.0)
    y = x * x
    y.backward()
    assert x.grad == 6.0


def test_a_reused_intermediate_node_passes_on_its_full_gradient_once():
    # b = a + a; c = b * b = 4a², so ∂c/∂a = 8a. Visiting b once per path into it
    # (naive recursion) would give 16a.
    a = Value(3.0)
    b = a + a
    c = b * b
    c.backward()
    assert (b.grad, a.grad) == (2 * b.data, 8 * a.data)


def test_x_minus_x_has_gradient_zero():
    x = Value(3.0)
    (x - x).backward()
    assert x.grad == 0.0


def test_a_value_not_on_the_path_to_the_root_keeps_its_grad():
    x, unused = Value(1.0), Value(2.0)
    unused.grad = 5.0
    (x * 3).backward()
    assert unused.grad == 5.0


@pytest.mark.slow
def test_a_chain_of_a_million_ops_backpropagates_without_recursion_error():
    x = Value(0.5)
    y = x
    start = time.perf_counter()
    for _ in range(1_000_000):
        y = y * 1.000001
    built = time.perf_counter()
    y.backward()
    done = time.perf_counter()
    print(f"\n1,000,000-op Value chain: forward {built - start:.2f} s, backward {done - built:.2f} s")
    assert x.grad == pytest.approx(1.000001**1_000_000, rel=1e-9)  # ≈ e


# ---------------------------------------------------------------------------
# no_grad
# ---------------------------------------------------------------------------


def test_values_computed_under_no_grad_record_no_parents():
    x = Value(2.0)
    with no_grad():
        y = (x * 3).exp()
    assert y._parents == ()  # a leaf: nothing to backpropagate into


def test_backward_from_a_value_computed_under_no_grad_raises_runtime_error_and_leaves_inputs_alone():
    x = Value(2.0)
    with no_grad():
        y = x * 3
    with pytest.raises(RuntimeError, match=r"computed under no_grad\(\)"):
        y.backward()
    assert (x.grad, y.grad) == (0.0, 0.0)


def test_backward_from_a_leaf_gives_it_gradient_one_even_if_created_under_no_grad():
    x = Value(3.0)
    with no_grad():
        y = Value(4.0)
    x.backward()
    y.backward()
    assert (x.grad, y.grad) == (1.0, 1.0)


def test_a_value_computed_under_no_grad_is_a_constant_inside_a_recorded_graph():
    x = Value(2.0)
    with no_grad():
        c = x * 3
    (x * c).backward()
    assert x.grad == 6.0  # c counts as the constant 6, not as 3x


def test_values_are_recorded_again_after_no_grad():
    with no_grad():
        pass
    x = Value(2.0)
    (x * 3).backward()
    assert is_grad_enabled() and x.grad == 3.0


# ---------------------------------------------------------------------------
# Bad input: a clear error at the call
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "message"), [("3", "real number, got str"), (True, "got bool"), (None, "got NoneType")]
)
def test_value_of_a_non_number_raises_type_error(bad, message):
    with pytest.raises(TypeError, match=message):
        Value(bad)


def test_value_of_a_value_raises_type_error():
    with pytest.raises(TypeError, match="ambiguous"):
        Value(Value(1.0))


def test_adding_a_non_number_raises_type_error():
    with pytest.raises(TypeError, match="real number, got str"):
        Value(1.0) + "2"


# ---------------------------------------------------------------------------
# The edges: IEEE 754 arithmetic, as in Tensor (numpy) and PyTorch; no op raises
# ---------------------------------------------------------------------------

EDGE_CASES = {  # name: (the op on Values or Tensors alike, its inputs)
    "exp overflows to inf": (lambda a: a.exp(), [1000.0]),
    "** overflows to inf": (lambda a: a**2, [1e200]),
    "* overflows to inf": (lambda a, b: a * b, [1e200, 1e200]),
    "odd power of a huge negative": (lambda a: a**3, [-1e200]),
    "relu of nan is nan": (lambda a: a.relu(), [math.nan]),
    "sigmoid of nan is nan": (lambda a: a.sigmoid(), [math.nan]),
    "tanh of nan is nan": (lambda a: a.tanh(), [math.nan]),
    "nan + 1": (lambda a: a + 1, [math.nan]),
    "log of 0 is -inf": (lambda a: a.log(), [0.0]),
    "log of a negative is nan": (lambda a: a.log(), [-1.5]),
    "log of inf": (lambda a: a.log(), [math.inf]),
    "1 / 0 is inf": (lambda a, b: a / b, [1.0, 0.0]),
    "-1 / 0 is -inf": (lambda a, b: a / b, [-1.0, 0.0]),
    "1 / -0 is -inf": (lambda a, b: a / b, [1.0, -0.0]),
    "0 / 0 is nan": (lambda a, b: a / b, [0.0, 0.0]),
    "0 ** -2 is inf": (lambda a: a**-2, [0.0]),
    "negative base to a fractional power is nan": (lambda a: a**0.5, [-8.0]),
    "negative base to a fractional Value power": (lambda a, b: a**b, [-8.0, 0.5]),
    "x ** 0 at 0": (lambda a: a**0, [0.0]),
    "x ** y at 0, 0": (lambda a, b: a**b, [0.0, 0.0]),
    "x ** y at 0, 2": (lambda a, b: a**b, [0.0, 2.0]),
    "x ** y at 0, 0.5": (lambda a, b: a**b, [0.0, 0.5]),
    "x ** y at 0, -1": (lambda a, b: a**b, [0.0, -1.0]),
    "x ** y at -2, 3": (lambda a, b: a**b, [-2.0, 3.0]),
    "exp of -inf is 0": (lambda a: a.exp(), [-math.inf]),
    "sigmoid of -inf is 0": (lambda a: a.sigmoid(), [-math.inf]),
    "inf - inf is nan": (lambda a, b: a - b, [math.inf, math.inf]),
    "inf * 0 is nan": (lambda a, b: a * b, [math.inf, 0.0]),
}


@pytest.mark.parametrize("name", EDGE_CASES)
def test_value_gives_what_a_float64_tensor_gives_at_the_edges_forward_and_backward(name):
    op, inputs = EDGE_CASES[name]
    values_ = [Value(a) for a in inputs]
    tensors = [Tensor(a, requires_grad=True, dtype=np.float64) for a in inputs]
    with np.errstate(all="ignore"):  # numpy warns where Value is silent; both give the same numbers
        out_value, out_tensor = op(*values_), op(*tensors)
        out_value.backward()
        out_tensor.backward()
    np.testing.assert_array_equal(out_value.data, out_tensor.data, strict=False)
    np.testing.assert_array_equal([v.grad for v in values_], [float(t.grad) for t in tensors])


def test_no_value_op_raises_at_the_edges():
    with np.errstate(all="ignore"):
        results = [op(*[Value(a) for a in inputs]).data for op, inputs in EDGE_CASES.values()]
    assert all(isinstance(r, float) for r in results)


@pytest.mark.parametrize(("base", "exponent", "d_base", "d_exponent"), [
    (0.0, 0.0, 0.0, 0.0),  # PyTorch: both 0 (x ** 0 is the constant 1; ln 0 is never used)
    (0.0, 2.0, 0.0, 0.0),  # 0 ** y = 0 for every y > 0: a constant in y
    (2.0, 0.0, 0.0, math.log(2.0)),
])
def test_power_gradients_at_a_zero_follow_pytorch(base, exponent, d_base, d_exponent):
    a, b = Value(base), Value(exponent)
    (a**b).backward()
    assert (a.grad, b.grad) == (d_base, pytest.approx(d_exponent, rel=1e-15))


@pytest.mark.parametrize("number", [0.0, -0.0, 2.5, -3.0, math.inf, math.nan])
def test_bool_and_float_of_a_value_are_those_of_its_data_as_for_a_pytorch_scalar(number):
    value = Value(number) * 1.0  # an op's result as well as a leaf
    assert bool(value) is bool(number) and bool(Value(number)) is bool(number)
    assert float(value) == number or math.isnan(number) and math.isnan(float(value))


def test_equality_and_hashing_stay_by_identity_for_graph_nodes():
    a, b = Value(2.0), Value(2.0)
    assert a != b and a == a and len({a, b}) == 2


def test_an_integer_too_large_for_a_float_is_refused_naming_value():
    with pytest.raises(OverflowError, match="Value: an integer of 1329 bits is too large"):
        Value(10**400)
