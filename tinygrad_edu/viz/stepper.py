"""A backward stepper: `Value.backward()`'s walk shown one node at a time, in a web page (lesson 2).

`backward_steps(root)` replays the loop of `Value.backward()` on a fresh graph (every grad 0)
without touching any `.grad`: for each node in reverse topological order it records the
gradient the node holds once it is final, and every `+=` it then passes to a parent.
`stepper_html(root, names)` turns those steps into one self-contained HTML fragment: the graph
drawn by `draw_graph`, Previous/Next buttons, and a short plain-JavaScript script (no library,
nothing downloaded) that shows the graph's gradients as they stand after each step.
"""

import html
import itertools
import json
from dataclasses import dataclass

from tinygrad_edu.autograd import Value, topological_order
from tinygrad_edu.viz import draw_graph


@dataclass(frozen=True)
class Contribution:
    """One `parent.grad += local_grad * upstream`; `total` is parent.grad after it."""

    parent: Value
    local_grad: float
    upstream: float
    amount: float
    total: float


@dataclass(frozen=True)
class Step:
    """A node reached by the walk: its final gradient, and what it passed to its parents."""

    node: Value
    grad: float
    contributions: tuple


def backward_steps(root):
    """The steps of `root.backward()` on a graph whose grads are all 0, one per node.

    The arithmetic is `backward()`'s own, in the same order (reverse `topological_order`,
    `parent.grad += local_grad * node.grad`), so the last step's gradients equal what
    `root.backward()` leaves in `.grad`, bit for bit. No `.grad` is read or written.
    """
    if not isinstance(root, Value):
        raise TypeError(f"backward_steps takes a Value, got {type(root).__name__}")
    order = topological_order(root)
    grad = {id(node): 0.0 for node in order}
    grad[id(root)] += 1.0
    steps = []
    for node in reversed(order):
        upstream = grad[id(node)]  # final: every node that uses `node` came earlier in the walk
        contributions = []
        for parent, local_grad in zip(node._parents, node._local_grads):
            amount = local_grad * upstream
            grad[id(parent)] += amount
            contributions.append(Contribution(parent, local_grad, upstream, amount, grad[id(parent)]))
        steps.append(Step(node, upstream, tuple(contributions)))
    return steps


def stepper_html(root, names=None):
    """An HTML fragment that steps through `root.backward()` with Previous/Next buttons.

    Nodes without a name in `names` are called t1, t2, ... in topological order. Each node's
    box in the drawing carries `data-grad`, the exact gradient shown (Python's `repr`), for tests.
    """
    steps = backward_steps(root)
    names = _name_every_node(root, names or {})
    name_of = {id(node): name for name, node in names.items()}
    key_of = {id(step.node): str(id(step.node)) for step in steps}  # draw_graph's node ids
    svg = draw_graph(root, names=names).pipe(format="svg").decode()
    svg = svg[svg.index("<svg") :]  # drop the XML prologue: the fragment sits inside a page
    frames = _frames(steps, name_of, key_of)
    ops = {key: key + "_op" for key in key_of.values()}  # draw_graph's id of the oval of each node's op
    data = json.dumps({"ops": ops, "frames": frames}, ensure_ascii=False).replace("</", "<\\/")
    return (
        '<div class="backward-stepper">\n'
        f"<style>{_CSS}</style>\n"
        '<div class="stepper-controls">'
        '<button type="button" class="stepper-previous">◀ Previous</button> '
        '<button type="button" class="stepper-next">Next ▶</button> '
        '<span class="stepper-counter"></span></div>\n'
        f'<div class="stepper-graph">{svg}</div>\n'
        '<div class="stepper-explanation"></div>\n'
        f'<script type="application/json" class="stepper-data">{data}</script>\n'
        f"<script>{_SCRIPT}</script>\n"
        "</div>\n"
    )


def _name_every_node(root, names):
    """`names`, plus t1, t2, ... (skipping names already taken) for the nodes it leaves out."""
    named = {id(node) for node in names.values()}
    taken = set(names)
    fresh = (f"t{i}" for i in itertools.count(1) if f"t{i}" not in taken)
    unnamed = [node for node in topological_order(root) if id(node) not in named]
    return {**names, **{next(fresh): node for node in unnamed}}


def _frames(steps, name_of, key_of):
    """What the page shows before the walk and after each step: grads, highlights, text."""
    shown = {key_of[id(step.node)]: 0.0 for step in steps}
    final = []
    frames = [{"grads": _texts(shown), "final": None, "done": [], "receiving": [],
               "text": ["Before backward(): every grad is 0. Press Next to walk the graph."]}]
    for number, step in enumerate(steps, start=1):
        key, name = key_of[id(step.node)], html.escape(name_of[id(step.node)])
        if number == 1:
            shown[key] += 1.0
            lines = [f"Seed: <b>{name}</b>.grad = 1 (∂{name}/∂{name}). It is final: nothing uses {name}."]
        else:
            lines = [f"<b>{name}</b>.grad = {step.grad:.4f} is final: every node that uses {name} "
                     "has passed its share to it."]
        for c in step.contributions:
            parent = html.escape(name_of[id(c.parent)])
            shown[key_of[id(c.parent)]] = c.total
            lines.append(f"{parent}.grad += {c.local_grad:.4f} × {c.upstream:.4f} = {c.amount:+.4f}"
                         f"  →  {parent}.grad = {c.total:.4f}")
        if not step.contributions:
            lines.append(f"{name} is a leaf: it has no parents to pass to.")
        final.append(key)
        frames.append({"grads": _texts(shown), "final": key, "done": final[:-1],
                       "receiving": [key_of[id(c.parent)] for c in step.contributions], "text": lines})
    return frames


def _texts(shown):
    """{node key: [the text of its grad field, the exact value]} for one frame."""
    return {key: [f"grad {value:.4f}", repr(value)] for key, value in shown.items()}


_CSS = """
.backward-stepper .stepper-graph svg { max-width: 100%; height: auto; }
.backward-stepper g.stepper-final > polygon { fill: #ffd54f; stroke-width: 2.5; }
.backward-stepper g.stepper-done > polygon { fill: #e0e0e0; }
.backward-stepper g.stepper-receiving > polygon { fill: #b3e5fc; }
.backward-stepper g.stepper-active > ellipse { fill: #ffd54f; }
.backward-stepper .stepper-explanation { font-family: monospace; white-space: pre-wrap; min-height: 6em; }
.backward-stepper button { padding: 0.2em 0.8em; margin-right: 0.3em; cursor: pointer; }
"""

# Plain JavaScript, run once per stepper on the page: it only swaps in what Python computed.
_SCRIPT = """
(function () {
  document.querySelectorAll(".backward-stepper:not([data-ready])").forEach(function (root) {
    root.setAttribute("data-ready", "");
    var data = JSON.parse(root.querySelector(".stepper-data").textContent);
    var groups = {};
    root.querySelectorAll("g.node").forEach(function (g) {
      groups[g.querySelector("title").textContent] = g;
    });
    var frame = 0;
    function show() {
      var f = data.frames[frame];
      Object.keys(f.grads).forEach(function (key) {
        var g = groups[key];
        g.setAttribute("data-grad", f.grads[key][1]);
        g.querySelectorAll("text").forEach(function (t) {
          if (t.textContent.indexOf("grad ") === 0) { t.textContent = f.grads[key][0]; }
        });
        g.classList.toggle("stepper-final", key === f.final);
        g.classList.toggle("stepper-done", f.done.indexOf(key) >= 0);
        g.classList.toggle("stepper-receiving", f.receiving.indexOf(key) >= 0);
        var op = groups[data.ops[key]];
        if (op) { op.classList.toggle("stepper-active", key === f.final); }
      });
      var text = root.querySelector(".stepper-explanation");
      text.innerHTML = f.text.join("<br>");
      root.querySelector(".stepper-counter").textContent =
        "step " + frame + " of " + (data.frames.length - 1);
      root.querySelector(".stepper-previous").disabled = frame === 0;
      root.querySelector(".stepper-next").disabled = frame === data.frames.length - 1;
    }
    root.querySelector(".stepper-next").addEventListener("click", function () {
      if (frame < data.frames.length - 1) { frame += 1; show(); }
    });
    root.querySelector(".stepper-previous").addEventListener("click", function () {
      if (frame > 0) { frame -= 1; show(); }
    });
    show();
  });
})();
"""
