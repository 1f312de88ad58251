"""What both engines share: the walk over the graph (lessons 2 and 4).

A node is any object with a `_parents` tuple: the nodes it was computed from.
Reverse-mode differentiation visits every node after all the nodes that use it,
which is the reverse of a topological order. Both engines call
`topological_order`; each then applies its own chain rule, node by node.
"""

import contextlib
import gc


def topological_order(root):
    """Every node `root` depends on, each listed after all of its parents.

    An iterative depth-first search (an explicit stack, not recursion), so a
    graph a million nodes deep costs a list, not a RecursionError. A node reached
    twice (`b = a + a`) appears once: the chain rule must add up the paths
    through it, and visiting it once per path would double-count.
    """
    if not hasattr(root, "_parents"):
        raise TypeError(f"topological_order: root must be a Tensor or a Value, got {type(root).__name__}")
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
        else:  # all parents of `node` are already in `order`
            stack.pop()
            order.append(node)
    return order


@contextlib.contextmanager
def cycle_collector_paused():
    """Pause Python's cyclic garbage collector for the duration of a backward pass.

    A graph has no reference cycles, but the walk allocates a little per node, and
    each allocation burst can trigger a collection that scans every live object,
    the whole graph included: 30-50% of a million-node backward. Reference
    counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

