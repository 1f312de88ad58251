"""What an exercise may lean on besides the learner's function, made correct before grading it.

`backward` walks the graph in topological order; it is graded with the reference order, so one
mistake in `topological_order` is reported once, not twice.
"""

from tinygrad_edu.course.solutions import lesson2_scalar_engine


def prepare(module, name):
    """Give the learner's `module` correct helpers for grading exercise `name`."""
    if name == "backward":
        module.topological_order = lesson2_scalar_engine.topological_order
