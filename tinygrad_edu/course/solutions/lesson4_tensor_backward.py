"""Lesson 4, from scalars to tensors: the backward of array ops, in numpy.

Each function gets g = ∂L/∂out, the gradient of some scalar loss L with respect to the op's
output (same shape as the output), and returns ∂L/∂input for the op's inputs, each of its
input's shape. Arrays are float64 numpy arrays.

Check your work:  python -m tinygrad_edu.course check --dir DIR unbroadcast matmul_backward \\
                      sum_backward mean_backward max_backward linear_backward
"""

import numpy as np


def unbroadcast(grad, shape):
    """The gradient of an input of `shape` that numpy broadcast to grad.shape in the forward pass.

    grad: ∂L/∂out, out of shape grad.shape (shape broadcasts to it: numpy's rules, leading axes
    added, axes of size 1 stretched). Returns ∂L/∂input, an array of `shape`.
    """
    extra = grad.ndim - len(shape)
    summed = grad.sum(axis=tuple(range(extra))) if extra else grad
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and summed.shape[i] != 1)
    if stretched:
        summed = summed.sum(axis=stretched, keepdims=True)
    return summed.reshape(shape)


def matmul_backward(x, w, g):
    """out = x @ w for x (n, k) and w (k, m); g = ∂L/∂out of shape (n, m).

    Returns (dx, dw) of shapes (n, k) and (k, m).
    """
    return g @ w.T, x.T @ g


def sum_backward(x_shape, g, axis, keepdims):
    """out = x.sum(axis=axis, keepdims=keepdims) for x of shape x_shape; g = ∂L/∂out.

    axis: None (every axis), an int or a tuple of ints (negative ints count from the end).
    Returns dx of shape x_shape.
    """
    if not keepdims:
        axes = range(len(x_shape)) if axis is None else np.atleast_1d(axis)
        g = np.expand_dims(g, tuple(int(a) % len(x_shape) for a in axes))
    return np.broadcast_to(g, x_shape).copy()


def mean_backward(x_shape, g, axis, keepdims):
    """out = x.mean(axis=axis, keepdims=keepdims) for x of shape x_shape; g = ∂L/∂out.

    axis as for sum_backward. Returns dx of shape x_shape.
    """
    axes = range(len(x_shape)) if axis is None else np.atleast_1d(axis)
    count = int(np.prod([x_shape[int(a)] for a in axes]))
    return sum_backward(x_shape, g, axis, keepdims) / count


def max_backward(x, g, axis, keepdims):
    """out = x.max(axis=axis, keepdims=keepdims); g = ∂L/∂out.

    axis as for sum_backward. Where several entries tie for a maximum, the gradient of that
    maximum is split evenly between them. Returns dx of x's shape.
    """
    is_max = x == x.max(axis=axis, keepdims=True)
    count = is_max.sum(axis=axis, keepdims=True)
    return sum_backward(x.shape, g, axis, keepdims) * is_max / count


def linear_backward(x, weight, g):
    """out = x @ weightᵀ + bias for x (N, in), weight (out, in), bias (out,); g = ∂L/∂out (N, out).

    Returns (dx, dweight, dbias) of shapes (N, in), (out, in) and (out,).
    """
    return g @ weight, g.T @ x, g.sum(axis=0)
