"""Lesson 3, checking gradients: the central-difference estimate of a gradient.

Check your work:  python -m tinygrad_edu.course check --dir DIR central_difference
"""

import numpy as np


def central_difference(f, x, eps=1e-6):
    """Estimate ∂f/∂x_i for every entry i of x by central differences with step eps:
    (f(x + eps·e_i) − f(x − eps·e_i)) / (2·eps).

    f: a function of a float64 array shaped like x (any shape, 0-d included), returning a number.
    Returns a float64 array of x's shape. x must be left exactly as it was given.
    """
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + eps
        f_plus = float(f(x))
        x[i] = original - eps
        f_minus = float(f(x))
        x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad
