"""Lesson 7, training on Fashion-MNIST: mini-batches and the report's momentum step.

Check your work:  python -m tinygrad_edu.course check --dir DIR minibatches momentum_step
"""


def minibatches(n, batch_size, rng):
    """One epoch's mini-batches of the examples 0 … n−1: lists of row indices.

    The order is shuffled with the numpy Generator rng (np.random.default_rng(seed)), then cut into
    consecutive batches of batch_size; the last batch holds what is left (it may be smaller).
    Returns a list of 1-d integer arrays.
    """
    order = rng.permutation(n)
    return [order[start : start + batch_size] for start in range(0, n, batch_size)]


def momentum_step(w, v, g, lr, beta):
    """One step of the report's momentum rule, as its code ran it (lesson 7 shows the printed one):
    the velocity v ← β·v + (1 − β)·g, then the weights w move by lr·v, downhill.

    w, v, g: float64 arrays of one shape (weights, velocity, gradient ∂L/∂w); lr > 0; 0 ≤ beta < 1.
    Returns (new_w, new_v). Updating w and v in place and returning them is fine.
    """
    v = beta * v + (1 - beta) * g
    return w - lr * v, v
