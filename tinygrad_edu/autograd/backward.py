"""The Tensor engine's backward pass: the chain rule over the graph, for `Tensor.backward` and `grad`.

Each op's backward maps g = ∂L/∂out to ∂L/∂input with Tensor ops. Run with
recording off (the default), that is the ordinary first-order pass; run with
recording on (`create_graph=True`), the gradients it computes are themselves
results of ops, with a graph of their own, so they can be differentiated again:
a Hessian-vector product is the gradient of ⟨∂L/∂x, v⟩.

Like PyTorch, a pass frees the graph's backward functions as it goes (the memory
they hold is the peak of a training step), unless `retain_graph=True`; going
through a freed part again raises an error that says so.
"""

import numpy as np

from tinygrad_edu.autograd._checks import check_flag
from tinygrad_edu.autograd.grad_mode import grad_mode
from tinygrad_edu.autograd.graph import cycle_collector_paused, topological_order


def _freed_backward(g, out):
    raise RuntimeError(
        f"backward through a part of the graph a second time (op {out._op!r}), after its saved values "
        "were freed: pass retain_graph=True to the first backward() or grad() call that goes through it"
    )


class Roots:
    """A node whose parents are the outputs: one topological order for several of them."""

    __slots__ = ("_parents",)

    def __init__(self, outputs):
        self._parents = tuple(outputs)


def _call_backward(node, g, create_graph):
    """node's backward at g: `backward(g, out)` on Tensors, or a first-order `backward(g)` on arrays.

    The engine's ops use the first form. The second is how an op is first written (lessons 3-5,
    the exercises): numpy in, numpy out. It works for first derivatives only.
    """
    backward = node._backward
    if getattr(getattr(backward, "__code__", None), "co_argcount", 2) != 1:
        return backward(g, node)
    if create_graph:
        raise RuntimeError(
            f"op {node._op!r} has a backward(g) written on numpy arrays, which cannot be differentiated "
            "again: write it as backward(g, out) with Tensor ops to use create_graph=True"
        )
    arrays = backward(g.data)
    return tuple(None if a is None else type(node)(np.asarray(a), dtype=node.dtype) for a in arrays)


def check_create_graph(create_graph):
    """RuntimeError if create_graph=True inside no_grad(): the two ask for opposite things."""
    if create_graph and not grad_mode.enabled:
        raise RuntimeError(
            "create_graph=True inside no_grad(): the gradients would have to record a graph, "
            "and no_grad() forbids it; leave the no_grad() block for this call"
        )


def backpropagate(outputs, seeds, retain_graph, create_graph, keep=()):
    """[(node, ∂(Σ ⟨seed, output⟩)/∂node)] for the leaves, the retained nodes and those in `keep` reached.

    `outputs` and `seeds` are Tensors of equal shapes, pairwise. With
    `create_graph`, ops record while the pass runs, so the gradients carry a graph.
    """
    check_create_graph(create_graph)
    keep = {id(node) for node in keep}
    grads, reached = {}, []
    for output, seed in zip(outputs, seeds):
        grads[id(output)] = seed if id(output) not in grads else grads[id(output)] + seed
    previous, grad_mode.enabled = grad_mode.enabled, create_graph
    try:
        with cycle_collector_paused():
            for node in reversed(topological_order(Roots(outputs))[:-1]):
                g = grads.get(id(node))
                if g is None:
                    continue
                if not node._parents or node._retains_grad or id(node) in keep:
                    reached.append((node, g))
                if node._backward is None:  # a leaf
                    continue
                parent_grads = _call_backward(node, g, create_graph)
                if not retain_graph:
                    node._backward = _freed_backward
                for parent, grad in zip(node._parents, parent_grads):
                    if grad is not None and parent.requires_grad:
                        key = id(parent)
                        grads[key] = grad if key not in grads else grads[key] + grad
                del grads[id(node)]  # passed on to its parents: free it now
    finally:
        grad_mode.enabled = previous
    return reached


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=False):
    """(∂(Σ ⟨grad_output, output⟩)/∂input for each input), as `torch.autograd.grad`; no `.grad` is touched.

    `outputs` and `inputs` are a Tensor or a sequence of Tensors (or of Values:
    then the scalar engine does the same). `grad_outputs` defaults to 1 for
    one-element outputs. With `create_graph=True` the results carry a graph, so
    `grad(grad(f, x, create_graph=True)[0] @ v, x)` is a Hessian-vector product.
    An input the outputs do not depend on raises, unless `allow_unused=True`
    (its result is then None).
    """
    outputs = _as_tuple(outputs, "outputs")
    inputs = _as_tuple(inputs, "inputs")
    create_graph, allow_unused = (check_flag("grad()", n, v) for n, v in
                                  (("create_graph", create_graph), ("allow_unused", allow_unused)))
    if retain_graph is not None:
        retain_graph = check_flag("grad()", "retain_graph", retain_graph)
    kinds = {type(t) for t in outputs + inputs}
    if len(kinds) != 1:
        names = sorted(kind.__name__ for kind in kinds)
        raise TypeError(f"grad(): outputs and inputs must all be Tensors or all Values, got {names}")
    if grad_outputs is not None:
        grad_outputs = _as_tuple(grad_outputs, "grad_outputs", allow_arrays=True)
        if len(grad_outputs) != len(outputs):
            raise ValueError(f"grad(): {len(grad_outputs)} grad_outputs for {len(outputs)} outputs")
    for i, t in enumerate(outputs):
        if not t.requires_grad:
            raise RuntimeError(f"grad(): output {i} does not require grad (none of its inputs requires grad)")
    for i, t in enumerate(inputs):
        if not t.requires_grad:
            raise RuntimeError(f"grad(): input {i} does not require grad, so no gradient is defined for it")
    seeds = [
        out._seed(None if grad_outputs is None else grad_outputs[i], "grad()", "grad_outputs")
        for i, out in enumerate(outputs)
    ]
    retain_graph = create_graph if retain_graph is None else retain_graph
    walk = type(outputs[0])._backpropagate  # the engine's own walk
    reached = {id(node): g for node, g in walk(outputs, seeds, retain_graph, create_graph, inputs)}
    results = []
    for i, t in enumerate(inputs):
        if id(t) not in reached and not allow_unused:
            raise RuntimeError(
                f"grad(): input {i} was not used to compute the outputs, so it has no gradient; "
                "pass allow_unused=True to get None for it"
            )
        results.append(reached.get(id(t)))
    return tuple(results)


def _as_tuple(values, name, allow_arrays=False):
    """A Tensor/Value, or a list or tuple of them, as a non-empty tuple; TypeError naming `name` otherwise."""
    from_engine = hasattr(values, "_parents")
    single = from_engine or (allow_arrays and not isinstance(values, (list, tuple)))
    values = (values,) if single else tuple(values)
    if not values:
        raise ValueError(f"grad(): {name} is empty")
    if not allow_arrays and not all(hasattr(v, "_parents") for v in values):
        raise TypeError(f"grad(): {name} must be Tensors or Values, got {[type(v).__name__ for v in values]}")
    return values
