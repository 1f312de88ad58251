"""Elementwise arithmetic and the matrix product, each backward beside its forward (lesson 4).

Operands broadcast as in numpy; a gradient is summed back to its operand's shape
by `unbroadcast`. Numbers and arrays are taken in the tensor's dtype (`_constant`).
Every backward maps g = ∂L/∂z (a Tensor) to ∂L/∂x with Tensor ops, so that with
`create_graph=True` the gradients can be differentiated again.
"""

import numpy as np


class ArithmeticOps:
    """`+ - * / **`, negation and `@` of `Tensor`, on either side of a number or array."""

    __slots__ = ()

    def _broadcast_op(self, other, op_name):
        other = self._constant(other)
        try:
            np.broadcast_shapes(self.shape, other.shape)
        except ValueError:
            raise ValueError(
                f"{op_name}: shapes {self.shape} and {other.shape} cannot be broadcast together"
            ) from None
        return other

    def __add__(self, other):
        """z = x + y  →  dx = g, dy = g (each summed back to its own shape)"""
        x, y = self, self._broadcast_op(other, "+")

        def backward(g, out):
            return unbroadcast(g, x.shape), unbroadcast(g, y.shape)

        return self._from_op(x.data + y.data, (x, y), backward, "+")

    def __sub__(self, other):
        """z = x − y  →  dx = g, dy = −g"""
        x, y = self, self._broadcast_op(other, "-")

        def backward(g, out):
            return unbroadcast(g, x.shape), unbroadcast(-g, y.shape) if y.requires_grad else None

        return self._from_op(x.data - y.data, (x, y), backward, "-")

    def __mul__(self, other):
        """z = x ⊙ y  →  dx = g ⊙ y, dy = g ⊙ x"""
        x, y = self, self._broadcast_op(other, "*")

        def backward(g, out):
            dx = unbroadcast(g * y, x.shape) if x.requires_grad else None
            dy = unbroadcast(g * x, y.shape) if y.requires_grad else None
            return dx, dy

        return self._from_op(x.data * y.data, (x, y), backward, "*")

    def __truediv__(self, other):
        """z = x / y  →  dx = g / y, dy = −g z / y"""
        x, y = self, self._broadcast_op(other, "/")

        def backward(g, out):
            dx = unbroadcast(g / y, x.shape) if x.requires_grad else None
            dy = unbroadcast(-g * out / y, y.shape) if y.requires_grad else None
            return dx, dy

        return self._from_op(x.data / y.data, (x, y), backward, "/")

    def __pow__(self, exponent):
        """z = x ** y  →  dx = g y x^(y−1) (0 where y = 0), dy = g z ln x (0 where x = 0 and y ≥ 0)

        PyTorch's convention at the edges, so that x ** 0 at x = 0 passes on 0, not
        nan (0 · 0⁻¹), and so does 0 ** y for y ≥ 0 (the log of 0 is never used there).
        For x < 0, ln x (so dy) is nan, as in PyTorch.
        """
        x, y = self, self._broadcast_op(exponent, "**")

        def backward(g, out):
            # Where an edge case holds, x is first replaced by 1 (x ** (y − 1) and ln x are then finite,
            # and so are their own derivatives), and the result masked: no inf or nan reaches the graph.
            x_full = x.broadcast_to(out.shape)
            dx = dy = None
            if x.requires_grad:
                zero_exponent = np.broadcast_to(y.data == 0, out.shape)
                safe_x = x_full.masked_fill(zero_exponent, 1.0)
                dx = unbroadcast(g * (y * safe_x ** (y - 1)).masked_fill(zero_exponent, 0.0), x.shape)
            if y.requires_grad:
                zero_base = (x.data == 0) & (y.data >= 0)
                log_x = x_full.masked_fill(zero_base, 1.0).log()
                dy = unbroadcast(g * out * log_x, y.shape)
            return dx, dy

        return self._from_op(x.data**y.data, (x, y), backward, "**")

    def __neg__(self):
        """z = −x  →  dx = −g"""
        return self._from_op(-self.data, (self,), lambda g, out: (-g,), "neg")

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return self._constant(other) - self

    def __rtruediv__(self, other):
        return self._constant(other) / self

    def __rpow__(self, base):
        return self._constant(base) ** self

    # ---- matrix product ----
    def __matmul__(self, other):
        """z = x @ w  →  dx = g @ wᵀ, dw = xᵀ @ g (batch axes broadcast and summed back)"""
        x, w = self, self._constant(other)
        if x.ndim == 0 or w.ndim == 0:
            raise ValueError(f"@ needs arrays of at least 1 dimension, got {x.shape} @ {w.shape}")
        if x.shape[-1] != w.shape[-2 if w.ndim > 1 else 0]:
            raise ValueError(
                f"@: shapes {x.shape} and {w.shape} are not aligned: the last axis of the left "
                f"({x.shape[-1]}) must equal the {'second-to-last' if w.ndim > 1 else 'only'} "
                f"axis of the right ({w.shape[-2 if w.ndim > 1 else 0]})"
            )
        if x.ndim == 1 or w.ndim == 1:  # a vector is a one-row (left) or one-column (right) matrix
            x2 = x.reshape(1, -1) if x.ndim == 1 else x
            w2 = w.reshape(-1, 1) if w.ndim == 1 else w
            out2 = x2 @ w2
            rows = (out2.shape[-2],) if x.ndim > 1 else ()
            columns = (out2.shape[-1],) if w.ndim > 1 else ()
            return out2.reshape(out2.shape[:-2] + rows + columns)
        try:
            out = _blas_ready(x.data) @ _blas_ready(w.data)
        except ValueError:
            raise ValueError(f"@: batch axes of {x.shape} and {w.shape} cannot be broadcast") from None

        def backward(g, out):
            dx = unbroadcast(g @ w.mT, x.shape) if x.requires_grad else None
            dw = unbroadcast(x.mT @ g, w.shape) if w.requires_grad else None
            return dx, dw

        return self._from_op(out, (x, w), backward, "@")

    def __rmatmul__(self, other):
        return self._constant(other) @ self


def _blas_ready(array):
    """`array`, copied if broadcasting gave it a zero stride: batched @ then skips BLAS (~500× slower)."""
    return np.ascontiguousarray(array) if 0 in array.strides and array.size > 1 else array


def times_constant(t, constant):
    """z = t ⊙ c for a constant array c (booleans or t's dtype)  →  dt = g ⊙ c, summed to t's shape

    The backward of ops whose derivative is a fixed mask or weight (relu, hardtanh, max).
    """
    def backward(g, out):
        return (unbroadcast(times_constant(g, constant), t.shape),)

    return t._from_op(t.data * constant, (t,), backward, "*")


def unbroadcast(grad, shape):
    """Sum the Tensor `grad` over the axes that broadcasting added or stretched, giving `shape`.

    If x of shape (3, 1) was broadcast to (2, 3, 4), each x[i, 0] was used 2·4
    times, so its gradient is the sum over those copies.
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    stretched = tuple(extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1)
    return grad.sum(axis=tuple(range(extra)) + stretched, keepdims=True).reshape(shape)
