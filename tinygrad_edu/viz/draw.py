"""draw_graph: the computation graph behind a Value or a Tensor, drawn with graphviz (lessons 1, 2, 4).

Each value is a box (data and grad for scalars; shape and dtype for tensors);
each op is an oval between its inputs and its result.
"""

import shutil

from tinygrad_edu.autograd import Tensor, Value, topological_order

# Sizes chosen so that labels stay readable (>= 10 px) when a page scales a drawing down to its
# ~700-px column at a 1280-px window: the scale is set by the drawing's width, so the space that is
# not text (gaps between ranks, ovals wider than "*") is kept small, while text keeps graphviz's 14 pt.
GRAPH_ATTRIBUTES = {"ranksep": "0.15", "nodesep": "0.2"}  # inches between ranks / between nodes
NODE_ATTRIBUTES = {"fontname": "Helvetica", "fontsize": "14"}
EDGE_ATTRIBUTES = {"fontname": "Helvetica", "fontsize": "13", "arrowsize": "0.7"}
OP_ATTRIBUTES = {"shape": "ellipse", "width": "0.3", "height": "0.3", "margin": "0.04"}  # not 0.75 in wide


def draw_graph(root, names=None, rankdir="LR", contributions=False):
    """A graphviz.Digraph of every node `root` depends on; `names` maps a label to a node.

    With `contributions=True` (Values only, after `backward()`), each edge into an op is
    labelled with what it added to the parent's grad: `+= local_grad × node.grad`.
    Display it in a notebook, or save it with `.render(...)` / `.pipe(format="svg")`.
    Needs the `graphviz` Python package (`pip install tinygrad_edu[draw]`) and
    Graphviz's `dot` program (`apt-get install graphviz`).
    """
    if not isinstance(root, (Value, Tensor)):
        raise TypeError(f"draw_graph takes a Value or a Tensor, got {type(root).__name__}")
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be one of LR, TB, RL, BT; got {rankdir!r}")
    if not isinstance(contributions, bool):
        raise TypeError(f"contributions must be True or False, got {contributions!r:.40}")
    if names is not None and not isinstance(names, dict):
        raise TypeError(f"names must be a dict {{label: node}}, got {type(names).__name__}")
    if contributions and not isinstance(root, Value):
        raise ValueError("contributions=True labels edges with scalar gradients: it needs a Value graph")
    graphviz = _import_graphviz()
    label_of = {id(node): name for name, node in (names or {}).items()}
    graph = graphviz.Digraph(graph_attr=GRAPH_ATTRIBUTES | {"rankdir": rankdir}, node_attr=NODE_ATTRIBUTES,
                             edge_attr=EDGE_ATTRIBUTES)
    for node in topological_order(root):
        node_id = str(id(node))
        graph.node(node_id, _describe(node, label_of.get(id(node))), shape="record")
        if node._parents:
            op_id = node_id + "_op"
            graph.node(op_id, node._op, **OP_ATTRIBUTES)
            graph.edge(op_id, node_id)
            for i, parent in enumerate(node._parents):
                label = _contribution(node, i) if contributions else None
                graph.edge(str(id(parent)), op_id, label=label)
    return graph


def _describe(node, name):
    """A record label: name | data | grad for a Value, name | shape dtype | grad? for a Tensor."""
    fields = [name] if name else []
    if isinstance(node, Value):
        fields += [f"data {node.data:.4f}", f"grad {node.grad:.4f}"]
    else:
        fields.append(f"{node.shape} {node.dtype}")
        if node.grad is not None:
            fields.append("has grad")
    return " | ".join(_escape_record(field) for field in fields)


def _contribution(node, i):
    """The label of the edge from parent i into node's op: what backward() added to its grad."""
    local_grad = node._local_grads[i]
    text = f"+= {local_grad:.4g} × {node.grad:.4g} = {local_grad * node.grad:.4g}"
    return f" {text} "  # the spaces keep two labels on neighbouring edges apart


def _escape_record(text):
    """Backslash the characters that structure a graphviz record label."""
    return "".join("\\" + c if c in "{}|<>" else c for c in text)


def _import_graphviz():
    """The graphviz module, after checking that it and the `dot` program are installed."""
    try:
        import graphviz
    except ImportError as error:
        raise ImportError(
            "draw_graph needs the graphviz Python package: pip install 'tinygrad_edu[draw]'"
        ) from error
    if shutil.which("dot") is None:
        raise RuntimeError(
            "draw_graph needs Graphviz's `dot` program on PATH: apt-get install graphviz "
            "(Debian/Ubuntu) or see graphviz.org/download"
        )
    return graphviz
