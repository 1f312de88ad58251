"""Seeing the graph: `draw_graph` (graphviz) and the backward stepper of lesson 2.

    draw.py      draw_graph(root): every value a box, every op an oval
    stepper.py   Value.backward() replayed one node at a time, as a web page
"""

from tinygrad_edu.viz.draw import draw_graph

__all__ = ["draw_graph"]
