"""Properties of lesson 2's exercises: the topological order and the backward pass.

They run on small random programs such as `x0 = 0.5; x1 = x0 + x0; x2 = tanh(x1)`, whose nodes
may be used more than once: the case that a walk visiting a node once per path gets wrong.
"""

import math

from hypothesis import strategies as st

from tinygrad_edu.course.checks import expect_close
from tinygrad_edu.course.grading import Property, PropertyFailed, show
from tinygrad_edu.testing import values

DEEP = 20_000


class Node:
    """A graph node as the exercises describe it, named for the messages."""

    __slots__ = ("data", "grad", "_parents", "_local_grads", "name")

    def __init__(self, name, data, parents=(), local_grads=()):
        self.name, self.data, self.grad = name, data, 0.0
        self._parents, self._local_grads = parents, local_grads

    def __repr__(self):
        return self.name


# op: (value, local derivatives) of its inputs' values
_OPS = {
    "+": (lambda a, b: a + b, lambda a, b: (1.0, 1.0)),
    "*": (lambda a, b: a * b, lambda a, b: (b, a)),
    "tanh": (math.tanh, lambda a: (1.0 - math.tanh(a) ** 2,)),
}


class Program:
    """Leaves x0 … x(k−1) with values, then one op per line on earlier nodes; the last is the root."""

    def __init__(self, leaves, lines):
        self.leaves, self.lines = leaves, lines

    def __str__(self):
        text = [f"x{i} = {show(v)}" for i, v in enumerate(self.leaves)]
        for j, (op, args) in enumerate(self.lines, start=len(self.leaves)):
            names = [f"x{a}" for a in args]
            text.append(f"x{j} = {op}({names[0]})" if len(args) == 1 else f"x{j} = {f' {op} '.join(names)}")
        return "; ".join(text)

    def build(self):
        """The graph as Nodes, in creation order."""
        nodes = [Node(f"x{i}", v) for i, v in enumerate(self.leaves)]
        for op, args in self.lines:
            value, local = _OPS[op]
            inputs = [nodes[a].data for a in args]
            parents = tuple(nodes[a] for a in args)
            nodes.append(Node(f"x{len(nodes)}", value(*inputs), parents, tuple(local(*inputs))))
        return nodes

    def root_value(self, leaves):
        data = list(leaves)
        for op, args in self.lines:
            data.append(_OPS[op][0](*(data[a] for a in args)))
        return data[-1]

    def ancestors(self):
        """Indices of the nodes the root depends on, root included."""
        seen, todo = set(), [len(self.leaves) + len(self.lines) - 1]
        while todo:
            i = todo.pop()
            if i not in seen:
                seen.add(i)
                if i >= len(self.leaves):
                    todo.extend(self.lines[i - len(self.leaves)][1])
        return seen


@st.composite
def programs(draw, max_leaves=3, max_lines=6):
    leaves = draw(st.lists(values(-2, 2), min_size=1, max_size=max_leaves))
    lines = []
    for _ in range(draw(st.integers(1, max_lines))):
        op = draw(st.sampled_from(list(_OPS)))
        n_nodes = len(leaves) + len(lines)
        arity = 1 if op == "tanh" else 2
        lines.append((op, tuple(draw(st.integers(0, n_nodes - 1)) for _ in range(arity))))
    return Program(leaves, lines)


#: Graphs the lesson is about: a node used twice, reuse compounded, and a node reached by a short
#: and a long path (a breadth-first order, reversed, puts it too early).
SHARED = (
    Program([0.5], [("+", (0, 0))]),
    Program([0.5], [("+", (0, 0)), ("+", (1, 1))]),
    Program([0.3], [("tanh", (0,)), ("tanh", (1,)), ("+", (0, 2))]),
)


def _order_of(function, root):
    order = function(root)
    if not isinstance(order, (list, tuple)):
        raise PropertyFailed("the return value", "a list of nodes", repr(order))
    return list(order)


def _each_once(function, program):
    nodes = program.build()
    order = _order_of(function, nodes[-1])
    expected = sorted((nodes[i] for i in program.ancestors()), key=lambda n: int(n.name[1:]))
    got = sorted(order, key=lambda n: int(n.name[1:]) if isinstance(n, Node) else -1)
    if [id(n) for n in got] != [id(n) for n in expected]:
        raise PropertyFailed("the nodes in the order", expected, got)


def _parents_first(function, program):
    nodes = program.build()
    order = _order_of(function, nodes[-1])
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for parent in node._parents:
            if position.get(id(parent), len(order)) > position[id(node)]:
                raise PropertyFailed(f"position of {parent.name}", f"before {node.name}", order)


def _deep_chain(function, example):
    node = Node("x0", 0.0)
    for i in range(1, DEEP + 1):
        node = Node(f"x{i}", node.data + 1.0, (node,), (1.0,))
    order = _order_of(function, node)
    if len(order) != DEEP + 1 or order[0].name != "x0" or order[-1] is not node:
        raise PropertyFailed("the order", f"x0, x1, …, x{DEEP}", f"{len(order)} nodes")


def _leaf_gradients(program, nodes):
    """∂root/∂leaf for each leaf, by central differences on the program."""
    grads = []
    for i in range(len(program.leaves)):
        plus, minus = list(program.leaves), list(program.leaves)
        plus[i] += 1e-6
        minus[i] -= 1e-6
        grads.append((program.root_value(plus) - program.root_value(minus)) / 2e-6)
    return grads


def _matches_central_differences(function, program):
    nodes = program.build()
    function(nodes[-1])
    for leaf, numeric in zip(nodes, _leaf_gradients(program, nodes)):
        expect_close(f"{leaf.name}.grad", leaf.grad, numeric, atol=1e-6, rtol=1e-5)


def _second_call_accumulates(function, program):
    nodes = program.build()
    function(nodes[-1])
    function(nodes[-1])
    for leaf, numeric in zip(nodes, _leaf_gradients(program, nodes)):
        expect_close(f"{leaf.name}.grad after two calls", leaf.grad, 2 * numeric, atol=2e-6, rtol=1e-5)
    expect_close(f"{nodes[-1].name}.grad (the root) after two calls", nodes[-1].grad, 1.0)


PROPERTIES = {
    "topological_order": [
        Property(
            "each node the root depends on appears exactly once", _each_once, programs(), examples=SHARED
        ),
        Property("every node comes after its parents", _parents_first, programs(), examples=SHARED),
        Property(f"works on a graph {DEEP:,} nodes deep (no recursion)", _deep_chain),
    ],
    "backward": [
        Property(
            "the leaves' gradients equal central differences",
            _matches_central_differences,
            programs(),
            examples=SHARED,
        ),
        Property(
            "a second call adds the gradients to the leaves once more",
            _second_call_accumulates,
            programs(),
            examples=SHARED,
        ),
    ],
}
