"""Lesson 2, a scalar autograd engine: the walk over the graph, and the backward pass.

A node of the graph is any object with
    .data          its number
    .grad          ∂root/∂node, written by backward
    ._parents      a tuple of the nodes it was computed from (empty for a leaf)
    ._local_grads  a tuple of numbers ∂node/∂parent, one per parent, in the same order
The small `Value` class below builds such nodes, so you can try your functions by hand:

    a = Value(2.0)
    b = a * a + a
    backward(b)
    print(a.grad)       # db/da = 2a + 1 = 5.0

Check your work:  python -m tinygrad_edu.course check --dir DIR topological_order backward
"""


class Value:
    """Given, not an exercise: a number that records the nodes and local derivatives it came from."""

    def __init__(self, data, _parents=(), _local_grads=()):
        self.data = float(data)
        self.grad = 0.0
        self._parents = _parents
        self._local_grads = _local_grads

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    __radd__ = __add__
    __rmul__ = __mul__

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"


def topological_order(root):
    """Every node `root` depends on, root included: a list in which each node appears exactly
    once and after all of its parents.

    It must handle graphs 20,000 nodes deep, beyond Python's recursion limit.
    """
    order = []
    visited = {id(root)}
    stack = [(root, iter(root._parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if id(parent) not in visited:
                visited.add(id(parent))
                stack.append((parent, iter(parent._parents)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def backward(root):
    """Fill in ∂root/∂node as `.grad` of every node that root depends on (the chain rule).

    As in PyTorch, leaves (nodes without parents) accumulate: each call adds ∂root/∂leaf to their
    grad. Every other node, root included, holds this call's gradient only. Returns None.
    (It is graded with a correct topological_order, so a mistake there does not fail it too.)
    """
    order = topological_order(root)
    for node in order:
        if node._parents:
            node.grad = 0.0
    root.grad += 1.0
    for node in reversed(order):
        for parent, local_grad in zip(node._parents, node._local_grads):
            parent.grad += local_grad * node.grad
