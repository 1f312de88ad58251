"""Grad mode: whether ops record the graph, switched off by `no_grad` (lessons 2 and 4).

The switch is per thread, as in PyTorch: `no_grad()` in one thread (an evaluation
loop, say) never stops another thread's ops from recording their graph.
"""

import contextlib
import threading


class _GradMode(threading.local):
    """One `enabled` flag per thread; the class attribute is every new thread's default."""

    enabled = True


grad_mode = _GradMode()


def is_grad_enabled():
    """True unless this thread is inside a `no_grad()` block."""
    return grad_mode.enabled


class _SavedModes(threading.local):
    """Per thread, the modes that `no_grad` blocks replaced (a recursing function re-enters)."""

    def __init__(self):
        self.stack = []


class no_grad(contextlib.ContextDecorator):
    """Context manager (and decorator) under which ops record no graph, in this thread.

    Inside `with no_grad():` results have no parents and need no gradient, so
    evaluation and optimizer updates cost no memory for backward.
    """

    def __init__(self):
        self._saved = _SavedModes()  # per thread: two threads may share one decorated function

    def __enter__(self):
        self._saved.stack.append(grad_mode.enabled)
        grad_mode.enabled = False
        return self

    def __exit__(self, *exc_info):
        grad_mode.enabled = self._saved.stack.pop()
        return False
