"""Tests for tinygrad_edu.stepper: the recorded walk of backward() and the HTML that shows it (lesson 2).

The browser side (clicking Next until the end) is in test_lessons_interactive.py.
"""

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinygrad_edu import Value
from tinygrad_edu.autograd import topological_order
from tinygrad_edu.viz.stepper import backward_steps, stepper_html


def neuron(x1=2.0, x2=0.5, w1=-0.5, w2=1.5, bias=0.25):
    leaves = [Value(v) for v in (x1, x2, w1, w2, bias)]
    x1, x2, w1, w2, bias = leaves
    return leaves, (w1 * x1 + w2 * x2 - bias).tanh()


def graph_with_reuse(a):
    """b = a·a, c = b·a + b: a reaches c along three paths."""
    a = Value(a)
    b = a * a
    return [a], b * a + b


finite = st.floats(-3, 3, allow_nan=False)


@given(st.tuples(finite, finite, finite, finite, finite))
def test_the_last_steps_gradients_are_backwards_bit_for_bit(inputs):
    _, root = neuron(*inputs)
    steps = backward_steps(root)
    final = {}
    for step in steps:
        final[id(step.node)] = step.grad
    root.backward()
    assert all(final[id(node)] == node.grad for node in topological_order(root))


def test_a_reused_node_gets_one_contribution_per_use_and_their_sum():
    (a,), c = graph_with_reuse(2.0)
    steps = backward_steps(c)
    into_a = [c for step in steps for c in step.contributions if c.parent is a]
    assert len(into_a) == 3, "a is used three times: twice in a·a, once in b·a"
    assert into_a[-1].total == sum(contribution.amount for contribution in into_a)
    c.backward()
    assert into_a[-1].total == a.grad == 16.0  # d(a³ + a²)/da at a = 2


def test_steps_visit_every_node_once_in_reverse_topological_order():
    _, root = neuron()
    steps = backward_steps(root)
    assert [step.node for step in steps] == list(reversed(topological_order(root)))
    assert steps[0].grad == 1.0, "the walk starts from the seed d(root)/d(root) = 1"


def test_recording_the_steps_leaves_every_grad_alone():
    leaves, root = neuron()
    backward_steps(root)
    assert all(node.grad == 0.0 for node in topological_order(root))


def test_each_contribution_is_local_grad_times_the_final_grad_of_its_node():
    _, root = neuron()
    for step in backward_steps(root):
        for contribution, local_grad in zip(step.contributions, step.node._local_grads):
            assert contribution.upstream == step.grad
            assert contribution.amount == local_grad * step.grad


def test_the_html_has_one_frame_per_step_plus_the_start_and_loads_nothing():
    _, root = neuron()
    html = stepper_html(root, names={"out": root})
    data = json.loads(re.search(r'class="stepper-data">(.*?)</script>', html, re.DOTALL)[1])
    assert len(data["frames"]) == len(topological_order(root)) + 1
    assert all(texts == ["grad 0.0000", "0.0"] for texts in data["frames"][0]["grads"].values())
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "the stepper must work offline"
    assert "<?xml" not in html, "an XML prologue inside a page is not valid HTML"


def test_unnamed_nodes_are_called_t1_t2_skipping_names_in_use():
    _, root = neuron()
    html = stepper_html(root, names={"t1": root})
    svg = html[html.index("<svg") : html.index("</svg>")]
    labels = re.findall(r">(t\d+)<", svg)
    assert "t1" in labels and labels.count("t1") == 1, "t1 is the user's name for the output only"
    assert "t2" in labels


def test_backward_steps_of_a_non_value_raises_type_error():
    with pytest.raises(TypeError, match="backward_steps takes a Value, got float"):
        backward_steps(1.0)
