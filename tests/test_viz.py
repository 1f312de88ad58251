"""Tests for tinygrad_edu.viz.draw_graph: computation graphs drawn with graphviz (lessons 1, 2, 4).

These need the `graphviz` Python package and Graphviz's `dot` program; CI
installs both, so a missing one is a failure here, not a skip.
"""

import re

import numpy as np
import pytest

from tinygrad_edu import Tensor, Value
from tinygrad_edu.viz import draw_graph


def value_expression():
    """c = a·b + tanh(a) with a = 2, b = −3, after c.backward()."""
    a, b = Value(2.0), Value(-3.0)
    c = a * b + a.tanh()
    c.backward()
    return a, b, c


def tensor_expression():
    """loss = sum(relu(x @ w)) with x (2, 3) and w (3, 4), after loss.backward()."""
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    w = Tensor(np.full((3, 4), 0.5), requires_grad=True)
    loss = (x @ w).relu().sum()
    loss.backward()
    return x, w, loss


def op_labels(source):
    """The labels of the oval (op) nodes in a graph's DOT source, in order."""
    ovals = [line for line in source.splitlines() if "shape=ellipse" in line]
    return [re.search(r'label="?([^" ]+)"?', line)[1] for line in ovals]


def test_value_graph_has_one_oval_per_op():
    *_, c = value_expression()
    assert sorted(op_labels(draw_graph(c).source)) == sorted(["*", "tanh", "+"])


def test_value_graph_shows_each_values_data_and_grad():
    a, b, c = value_expression()
    source = draw_graph(c).source
    assert "data 2.0000 | grad -2.9293" in source  # ∂c/∂a = b + 1 − tanh²(a)
    assert "data -3.0000 | grad 2.0000" in source  # ∂c/∂b = a
    assert f"data {c.data:.4f} | grad 1.0000" in source


def test_value_graph_labels_the_named_nodes():
    a, b, c = value_expression()
    source = draw_graph(c, names={"a": a, "bee": b, "out": c}).source
    assert '"a | data 2.0000' in source
    assert '"bee | data -3.0000' in source
    assert '"out | data' in source


def test_tensor_graph_has_one_oval_per_op():
    *_, loss = tensor_expression()
    assert op_labels(draw_graph(loss).source) == ["@", "relu", "sum"]


def test_tensor_graph_shows_shapes_and_dtypes():
    *_, loss = tensor_expression()
    source = draw_graph(loss).source
    for shape in ["(2, 3) float64", "(3, 4) float64", "(2, 4) float64", "() float64"]:
        assert shape in source


def test_tensor_graph_labels_the_named_nodes():
    x, w, loss = tensor_expression()
    source = draw_graph(loss, names={"x": x, "weights": w}).source
    assert '"x | (2, 3) float64' in source
    assert '"weights | (3, 4) float64' in source


def test_a_node_used_twice_is_drawn_once_with_two_edges_into_its_op():
    a = Value(3.0)
    source = draw_graph(a * a, names={"a": a}).source
    a_id = next(line.split()[0] for line in source.splitlines() if '"a | data' in line)
    assert sum(line.strip().startswith(f"{a_id} [") for line in source.splitlines()) == 1
    assert sum(line.strip().startswith(f"{a_id} ->") for line in source.splitlines()) == 2


@pytest.mark.parametrize("build", [value_expression, tensor_expression], ids=["value", "tensor"])
def test_graph_renders_to_svg_with_dot(build):
    *_, root = build()
    svg = draw_graph(root).pipe(format="svg").decode()
    assert svg.startswith("<?xml") or "<svg" in svg
    assert "</svg>" in svg


def test_names_with_record_special_characters_still_render():
    # | { } < > structure a graphviz record label; draw_graph escapes them.
    a, b, c = value_expression()
    svg = draw_graph(c, names={"a|b": a, "{w}": b, "<out>": c}).pipe(format="svg").decode()
    assert "a|b" in svg
    assert "{w}" in svg
    assert "&lt;out&gt;" in svg


def test_missing_dot_program_raises_runtime_error_saying_how_to_install_it(monkeypatch):
    monkeypatch.setattr("tinygrad_edu.viz.draw.shutil.which", lambda name: None)
    *_, c = value_expression()
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        draw_graph(c)


@pytest.mark.parametrize("root", [1.5, np.ones(3), "x", None], ids=["float", "ndarray", "str", "None"])
def test_root_that_is_not_a_value_or_tensor_raises_type_error(root):
    with pytest.raises(TypeError, match="draw_graph takes a Value or a Tensor, got"):
        draw_graph(root)


def test_unknown_rankdir_raises_value_error():
    *_, c = value_expression()
    with pytest.raises(ValueError, match="rankdir must be one of LR, TB, RL, BT"):
        draw_graph(c, rankdir="UP")


def edge_labels(source):
    """The labels of the edges in a graph's DOT source."""
    return [line.split("label=")[1].rstrip("]").strip('"').strip() for line in source.splitlines()
            if "->" in line and "label=" in line]


def test_contributions_label_each_edge_into_an_op_with_what_backward_added():
    # L = z·z with z = 3: each of the two edges from z carries local grad z times dL/dL = 1
    z = Value(3.0)
    L = z * z
    L.backward()
    labels = edge_labels(draw_graph(L, contributions=True).source)
    assert labels == ["+= 3 × 1 = 3", "+= 3 × 1 = 3"]
    assert z.grad == 6.0


def test_contributions_are_off_by_default():
    *_, c = value_expression()
    assert edge_labels(draw_graph(c).source) == []


def test_contributions_on_a_tensor_graph_raise_value_error():
    *_, loss = tensor_expression()
    with pytest.raises(ValueError, match="contributions=True .* needs a Value graph"):
        draw_graph(loss, contributions=True)
