"""Tensor: the array autograd engine over numpy (lesson 4).

Each op computes its result with numpy and defines, right beside it, the
function that maps the gradient of the result, g = ∂L/∂out, to the gradients
∂L/∂input of each input (None for inputs that need no gradient).
`backward()` calls those functions over the graph in reverse topological order.

Dtypes: float32 by default (numbers, lists, integer arrays), float64 when asked
or when built from a float64 numpy array. An op never changes a dtype: numbers
and arrays combined with a tensor are taken in its dtype, and mixing a float32
Tensor with a float64 Tensor is an error.
"""

import math
import numbers

import numpy as np

from tinygrad_edu.autograd import cycle_collector_paused, is_grad_enabled, topological_order

_FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _float_dtype(dtype):
    """np.float32 or np.float64 from any spelling of them; ValueError otherwise."""
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        resolved = None
    if resolved is None or resolved not in _FLOAT_DTYPES:  # (np.dtype == None is True: float64)
        shown = repr(dtype) if resolved is None else resolved
        raise ValueError(f"Tensor dtype must be float32 or float64, got {shown}")
    return resolved


class Tensor:
    """An n-dimensional array that records the ops applied to it.

    `data` is a numpy array; `grad` is None until `backward()` reaches this
    tensor, then an array of the same shape holding ∂root/∂self. Gradients of
    leaves (tensors created by the user) accumulate until `zero_grad()`. As in
    PyTorch, a tensor computed by an op drops its gradient once backward has
    passed it on (that memory is the peak of a training step), unless
    `retain_grad()` was called on it.
    """

    __slots__ = ("data", "grad", "requires_grad", "_parents", "_backward", "_op", "_retains_grad")
    __array_ufunc__ = None  # `ndarray * tensor` defers to Tensor.__rmul__ instead of looping over elements

    def __init__(self, data, requires_grad=False, dtype=None):
        if isinstance(data, Tensor):
            raise TypeError("Tensor(Tensor) is ambiguous: use t.detach(), or Tensor(t.data)")
        try:
            array = np.asarray(data)
        except ValueError as error:  # ragged nested lists
            raise ValueError(f"Tensor needs a rectangular array of numbers: {error}") from None
        if dtype is None:  # numpy floats keep their precision; everything else becomes float32
            keep = isinstance(data, (np.ndarray, np.generic)) and array.dtype.kind == "f"
            dtype = array.dtype if keep else np.float32
        if array.dtype.kind not in "biuf":
            raise TypeError(f"Tensor needs numbers, got an array of dtype {array.dtype}")
        self.data = array.astype(_float_dtype(dtype), copy=False)
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self._parents = ()
        self._backward = None
        self._op = ""
        self._retains_grad = False

    @classmethod
    def _from_op(cls, data, parents, backward, op):
        """The result of an op: records parents and backward only when a gradient is needed."""
        out = cls.__new__(cls)
        out.data, out.grad, out._op = np.asarray(data), None, op  # a full reduction gives a numpy scalar
        out._retains_grad = False
        out.requires_grad = is_grad_enabled() and any(p.requires_grad for p in parents)
        out._parents = parents if out.requires_grad else ()
        out._backward = backward if out.requires_grad else None
        return out

    # ---- properties and conversions ----
    shape = property(lambda self: self.data.shape, doc="The shape of `data`.")
    dtype = property(lambda self: self.data.dtype, doc="float32 or float64.")
    ndim = property(lambda self: self.data.ndim, doc="The number of axes.")
    size = property(lambda self: self.data.size, doc="The number of elements.")

    def __len__(self):
        return len(self.data)

    def __repr__(self):
        grad = ", requires_grad=True" if self.requires_grad else ""
        body = np.array2string(self.data, precision=4, separator=", ", prefix="Tensor(")
        return f"Tensor({body}, dtype={self.dtype}{grad})"

    def numpy(self):
        """The data as a numpy array (shares memory, like PyTorch's `.numpy()`)."""
        return self.data

    def item(self):
        """The single element of a one-element tensor, as a Python float."""
        if self.size != 1:
            raise ValueError(f"item() needs a tensor with one element, got shape {self.shape}")
        return float(self.data.reshape(()))

    def detach(self):
        """A tensor sharing `data` but cut from the graph (no gradient flows back)."""
        return Tensor(self.data)

    def zero_grad(self):
        """Forget the accumulated gradient (sets `grad` to None, like PyTorch)."""
        self.grad = None

    def retain_grad(self):
        """Keep this computed tensor's `.grad` after backward (leaves always keep theirs)."""
        self._retains_grad = True
        return self

    def _constant(self, value):
        """A number or array as a Tensor in this tensor's dtype; Tensors pass through."""
        if isinstance(value, Tensor):
            if value.dtype != self.dtype:
                raise TypeError(
                    f"dtype mismatch: {self.dtype} and {value.dtype} tensors; "
                    "convert one of them explicitly (dtypes are never changed silently)"
                )
            return value
        return Tensor(value, dtype=self.dtype)

    # ---- reverse mode ----
    def backward(self, gradient=None):
        """Compute ∂self/∂t for every tensor t this one depends on (`t.grad`).

        `gradient` is ∂L/∂self for some outer L; it may be omitted only for a
        one-element tensor, where it is 1. Leaves accumulate into `.grad`;
        computed tensors drop theirs once passed on, unless `retain_grad()`
        was called (then they hold this call's gradient only).
        """
        if not self.requires_grad:
            raise RuntimeError(
                "backward() through a tensor that does not require grad: none of the "
                "tensors it was computed from has requires_grad=True (or it was made "
                "under no_grad())"
            )
        if gradient is None:
            if self.size != 1:
                raise RuntimeError(
                    f"backward() on a tensor of shape {self.shape} needs gradient= of that "
                    "shape (∂L/∂self); for a loss, reduce it first, e.g. t.sum().backward()"
                )
            gradient = np.ones_like(self.data)
        else:
            gradient = np.array(gradient.data if isinstance(gradient, Tensor) else gradient)  # our own copy
            if gradient.dtype.kind not in "biuf":
                raise TypeError(f"backward(): gradient must hold numbers, got dtype {gradient.dtype}")
            gradient = gradient.astype(self.dtype, copy=False)
            if gradient.shape != self.shape:
                raise ValueError(
                    f"backward(): gradient has shape {gradient.shape}, "
                    f"but the tensor has shape {self.shape}"
                )
        with cycle_collector_paused():
            order = topological_order(self)
            for node in order:
                if node._parents:
                    node.grad = None
            self._accumulate(gradient)
            for node in reversed(order):
                if node._backward is None or node.grad is None:
                    continue
                parent_grads = node._backward(node.grad)
                for parent, grad in zip(node._parents, parent_grads):
                    if grad is not None and parent.requires_grad:
                        parent._accumulate(grad, incoming=node.grad)
                if not node._retains_grad:
                    node.grad = None  # passed on to its parents: free it now

    def _accumulate(self, grad, incoming=None):
        """self.grad += grad, never writing into an array that another tensor may hold.

        A gradient the user gets to see (a leaf's, or a retained one's) is always
        a writable ndarray of its own, 0-d included: a copy when `grad` is a
        numpy scalar, a read-only broadcast view (from `sum`), or may share
        memory with the incoming gradient (ops like `+` pass it through unchanged).
        """
        if self.grad is not None:
            self.grad = np.asarray(self.grad + grad)  # 0-d + 0-d gives a numpy scalar: make it an array
            return
        if not self._parents or self._retains_grad:
            shared = incoming is not None and np.may_share_memory(grad, incoming)
            if shared or not isinstance(grad, np.ndarray) or not grad.flags.writeable:
                grad = np.array(grad)
        self.grad = grad

    # ---- elementwise arithmetic (numpy broadcasting) ----
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

        def backward(g):
            return _unbroadcast(g, x.shape), _unbroadcast(g, y.shape)

        return Tensor._from_op(x.data + y.data, (x, y), backward, "+")

    def __sub__(self, other):
        """z = x − y  →  dx = g, dy = −g"""
        x, y = self, self._broadcast_op(other, "-")

        def backward(g):
            return _unbroadcast(g, x.shape), _unbroadcast(-g, y.shape) if y.requires_grad else None

        return Tensor._from_op(x.data - y.data, (x, y), backward, "-")

    def __mul__(self, other):
        """z = x ⊙ y  →  dx = g ⊙ y, dy = g ⊙ x"""
        x, y = self, self._broadcast_op(other, "*")

        def backward(g):
            dx = _unbroadcast(g * y.data, x.shape) if x.requires_grad else None
            dy = _unbroadcast(g * x.data, y.shape) if y.requires_grad else None
            return dx, dy

        return Tensor._from_op(x.data * y.data, (x, y), backward, "*")

    def __truediv__(self, other):
        """z = x / y  →  dx = g / y, dy = −g x / y²"""
        x, y = self, self._broadcast_op(other, "/")
        out = x.data / y.data

        def backward(g):
            dx = _unbroadcast(g / y.data, x.shape) if x.requires_grad else None
            dy = _unbroadcast(-g * out / y.data, y.shape) if y.requires_grad else None
            return dx, dy

        return Tensor._from_op(out, (x, y), backward, "/")

    def __pow__(self, exponent):
        """z = x ** y  →  dx = g y x^(y−1) (0 where y = 0), dy = g x^y ln x (0 where x = 0 and y ≥ 0)

        PyTorch's convention at the edges, so that x ** 0 at x = 0 passes on 0, not
        nan (0 · 0⁻¹), and so does 0 ** y for y ≥ 0 (the log of 0 is never used there).
        For x < 0, ln x (so dy) is nan, as in PyTorch.
        """
        x, y = self, self._broadcast_op(exponent, "**")
        out = x.data**y.data

        def backward(g):
            dx = dy = None
            with np.errstate(divide="ignore", invalid="ignore"):  # the masked entries may divide by 0
                if x.requires_grad:
                    dx = _unbroadcast(g * np.where(y.data == 0, 0, y.data * x.data ** (y.data - 1)), x.shape)
                if y.requires_grad:
                    log_x = np.where((x.data == 0) & (y.data >= 0), 0, np.log(x.data))
                    dy = _unbroadcast(g * out * log_x, y.shape)
            return dx, dy

        return Tensor._from_op(out, (x, y), backward, "**")

    def __neg__(self):
        """z = −x  →  dx = −g"""
        return Tensor._from_op(-self.data, (self,), lambda g: (-g,), "neg")

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
        # A vector is a one-row (left) or one-column (right) matrix; squeeze it back after.
        x2 = x.data[None, :] if x.ndim == 1 else x.data
        w2 = w.data[:, None] if w.ndim == 1 else w.data
        try:
            out2 = x2 @ w2
        except ValueError:
            raise ValueError(f"@: batch axes of {x.shape} and {w.shape} cannot be broadcast") from None
        squeeze = (-2,) * (x.ndim == 1) + (-1,) * (w.ndim == 1)
        out = out2.squeeze(axis=squeeze) if squeeze else out2

        def backward(g):
            g2 = g.reshape(out2.shape)
            dx = dw = None
            if x.requires_grad:
                dx = _unbroadcast(g2 @ np.swapaxes(w2, -1, -2), x2.shape).reshape(x.shape)
            if w.requires_grad:
                dw = _unbroadcast(np.swapaxes(x2, -1, -2) @ g2, w2.shape).reshape(w.shape)
            return dx, dw

        return Tensor._from_op(out, (x, w), backward, "@")

    def __rmatmul__(self, other):
        return self._constant(other) @ self

    # ---- reductions ----
    def sum(self, axis=None, keepdims=False):
        """z = Σ_axis x  →  dx = g broadcast back over the summed axes"""
        x = self
        axes = _normalize_axes(axis, x.ndim, "sum")

        def backward(g):
            return (np.broadcast_to(_keep_dims(g, axes, keepdims), x.shape),)

        return Tensor._from_op(x.data.sum(axis=axes, keepdims=keepdims), (x,), backward, "sum")

    def mean(self, axis=None, keepdims=False):
        """z = Σ_axis x / n  →  dx = g / n broadcast back (n = elements averaged; nan if n = 0, as PyTorch)"""
        axes = _normalize_axes(axis, self.ndim, "mean")
        n = int(np.prod([self.shape[a] for a in axes]))
        return self.sum(axis=axes, keepdims=keepdims) * (1.0 / n if n else math.nan)

    def max(self, axis=None, keepdims=False):
        """z = max_axis x  →  dx = g at the maxima (split evenly between ties), 0 elsewhere"""
        x = self
        axes = _normalize_axes(axis, x.ndim, "max")
        if any(x.shape[a] == 0 for a in axes):
            raise ValueError(f"max over an empty axis of a tensor of shape {x.shape}")
        out_kept = x.data.max(axis=axes, keepdims=True)

        def backward(g):
            is_max = (x.data == out_kept).astype(x.dtype)
            return (_keep_dims(g, axes, keepdims) * is_max / is_max.sum(axis=axes, keepdims=True),)

        out = out_kept if keepdims else out_kept.squeeze(axis=axes)
        return Tensor._from_op(out, (x,), backward, "max")

    # ---- shape ----
    def reshape(self, *shape):
        """z = x viewed with a new shape  →  dx = g reshaped back"""
        x = self
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        if not all(map(_is_int, shape)):
            raise TypeError(f"reshape: the new shape must be ints, got {tuple(shape)}")
        try:
            out = x.data.reshape(shape)
        except ValueError:
            raise ValueError(
                f"cannot reshape a tensor of shape {x.shape} ({x.size} elements) into {tuple(shape)}"
            ) from None
        return Tensor._from_op(out, (x,), lambda g: (g.reshape(x.shape),), "reshape")

    def transpose(self, *axes):
        """z = x with axes permuted (reversed if none given)  →  dx = g with the inverse permutation"""
        x = self
        axes = axes[0] if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        axes = tuple(axes) if axes else tuple(reversed(range(x.ndim)))
        if not all(map(_is_int, axes)):
            raise TypeError(f"transpose: axes must be ints, got {axes}")
        nonnegative = [a + x.ndim if a < 0 else a for a in axes]
        if sorted(nonnegative) != list(range(x.ndim)):
            raise ValueError(f"transpose axes {axes} are not a permutation of the {x.ndim} axes of {x.shape}")
        inverse = tuple(np.argsort(nonnegative))
        return Tensor._from_op(x.data.transpose(axes), (x,), lambda g: (g.transpose(inverse),), "transpose")

    T = property(lambda self: self.transpose(), doc="The tensor with its axes reversed.")

    def __getitem__(self, index):
        """z = x[index]  →  dx = zeros with g added at the indexed places (repeats add up)"""
        x = self
        if isinstance(index, Tensor):
            raise TypeError("index with an integer numpy array or list, not a Tensor")
        out = x.data[index]

        def backward(g):
            dx = np.zeros_like(x.data)
            if _is_basic_index(index):  # slices and ints pick each element at most once
                dx[index] = g
            else:  # integer arrays may pick an element twice: its gradients must add up
                np.add.at(dx, index, g)
            return (dx,)

        return Tensor._from_op(out, (x,), backward, "index")

    # ---- elementwise functions ----
    def exp(self):
        """z = eˣ  →  dx = g ⊙ z"""
        out = np.exp(self.data)
        return Tensor._from_op(out, (self,), lambda g: (g * out,), "exp")

    def log(self):
        """z = ln x  →  dx = g / x"""
        x = self
        return Tensor._from_op(np.log(x.data), (x,), lambda g: (g / x.data,), "log")

    def relu(self):
        """z = max(0, x)  →  dx = g where z > 0 (that is, x > 0), else 0 (0 at the kink x = 0)

        As clip(x, 0, ∞), which numpy vectorizes (maximum with a scalar it does not); −0
        stays −0, as in PyTorch. The backward reads z, which the next layer's backward
        has just read (still in cache). Unlike PyTorch: dx = g · 0 where z ≤ 0 is nan
        where g is ±inf or nan (PyTorch: 0), and dx = 0 where x is nan (PyTorch: g).
        """
        out = np.clip(self.data, 0, np.inf)
        return Tensor._from_op(out, (self,), lambda g: (g * (out > 0),), "relu")

    def sigmoid(self):
        """z = 1 / (1 + e⁻ˣ), computed without overflow  →  dx = g ⊙ z(1 − z)"""
        e = np.exp(-np.abs(self.data))  # in (0, 1]: never overflows
        out = np.where(self.data >= 0, 1 / (1 + e), e / (1 + e))
        return Tensor._from_op(out, (self,), lambda g: (g * out * (1 - out),), "sigmoid")

    def tanh(self):
        """z = tanh x  →  dx = g ⊙ (1 − z²)"""
        out = np.tanh(self.data)
        return Tensor._from_op(out, (self,), lambda g: (g * (1 - out * out),), "tanh")

    def hardtanh(self, min_val=-1.0, max_val=1.0):
        """z = clip(x, min_val, max_val)  →  dx = g where min_val < x < max_val, else 0

        The bounds are numbers, taken in the tensor's dtype (a numpy float64 bound
        never turns a float32 tensor into float64).
        """
        x = self
        for name, bound in (("min_val", min_val), ("max_val", max_val)):
            if isinstance(bound, bool) or not isinstance(bound, numbers.Real):
                raise TypeError(f"hardtanh: {name} must be a number, got {type(bound).__name__} {bound!r}")
        if not min_val < max_val:
            raise ValueError(f"hardtanh needs min_val < max_val, got {min_val} and {max_val}")
        low, high = x.dtype.type(min_val), x.dtype.type(max_val)
        inside = (x.data > low) & (x.data < high)
        return Tensor._from_op(np.clip(x.data, low, high), (x,), lambda g: (g * inside,), "hardtanh")

    # ---- softmax family (each with its own, numerically stable, backward) ----
    def softmax(self, axis=-1):
        """s = eˣ / Σ eˣ along axis  →  dx = s ⊙ (g − Σ(g ⊙ s))"""
        (axis,) = _normalize_axes(axis, self.ndim, "softmax", single=True)
        shifted = self.data - self.data.max(axis=axis, keepdims=True, initial=-np.inf)
        exp = np.exp(shifted)
        s = exp / exp.sum(axis=axis, keepdims=True)
        return Tensor._from_op(
            s, (self,), lambda g: (s * (g - (g * s).sum(axis=axis, keepdims=True)),), "softmax"
        )

    def log_softmax(self, axis=-1):
        """z = x − log Σ eˣ along axis  →  dx = g − softmax(x) ⊙ Σ g"""
        (axis,) = _normalize_axes(axis, self.ndim, "log_softmax", single=True)
        shifted = self.data - self.data.max(axis=axis, keepdims=True, initial=-np.inf)
        out = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))

        def backward(g):
            return (g - np.exp(out) * g.sum(axis=axis, keepdims=True),)

        return Tensor._from_op(out, (self,), backward, "log_softmax")


def linear(x, weight, bias=None):
    """y = x Wᵀ + b for x (N, in), W (out, in), b (out,)  →  dx = g W, dW = gᵀ x, db = Σ_n g

    One op rather than three (transpose, @, +): its backward yields dW directly in
    W's own (out, in) layout. With g = ∂L/∂y of the batch-mean loss, gᵀ x is lesson 5's
    dW_k = δ_k A_{k-1}ᵀ / m written in rows (x = A_{k-1}ᵀ, g = δ_kᵀ / m). Used by `nn.Linear`.
    """
    if not isinstance(x, Tensor):  # a plain array of inputs is taken in the weight's dtype
        x = weight._constant(x)
    weight = x._constant(weight)  # a TypeError if the dtypes differ
    b = None if bias is None else x._constant(bias)
    if x.ndim != 2 or weight.ndim != 2 or x.shape[1] != weight.shape[1]:
        raise ValueError(
            f"linear: input of shape {x.shape} needs to be (N, {weight.shape[-1]}) "
            f"for a weight of shape {weight.shape} (out, in)"
        )
    if b is not None and b.shape != (weight.shape[0],):
        raise ValueError(f"linear: bias of shape {b.shape} should be ({weight.shape[0]},)")
    out = x.data @ weight.data.T
    if b is not None:
        out += b.data

    def backward(g):
        dx = g @ weight.data if x.requires_grad else None
        dw = g.T @ x.data if weight.requires_grad else None
        db = g.sum(axis=0) if b is not None and b.requires_grad else None
        return dx, dw, db

    parents = (x, weight) if b is None else (x, weight, b)
    return Tensor._from_op(out, parents, backward, "linear")


def cross_entropy(logits, target_probs):
    """L = −(1/N) Σ_n Σ_c y[n,c] log softmax(x)[n,c] for logits x (N, C), targets y (N, C)

    Fused with the softmax, its backward is the one the report derives:
    dx = g · (softmax(x) · Σ_c y − y) / N, which is (ŷ − y) / N for one-hot rows.
    `nn.cross_entropy` checks its input and also takes class indices.
    """
    if not isinstance(logits, Tensor) or logits.ndim != 2:
        raise ValueError(f"cross_entropy: logits must be a 2-D Tensor (N, C), got {logits!r:.60}")
    x, y = logits, np.asarray(target_probs, dtype=logits.dtype)
    if y.shape != x.shape:
        raise ValueError(f"cross_entropy: targets of shape {y.shape} must match the logits' shape {x.shape}")
    shifted = x.data - x.data.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    sum_exp = exp.sum(axis=1, keepdims=True)
    n = x.shape[0]
    loss = -np.einsum("nc,nc->", y, shifted - np.log(sum_exp)) / n

    def backward(g):
        return ((exp / sum_exp * y.sum(axis=1, keepdims=True) - y) * (g / n),)

    return Tensor._from_op(np.asarray(loss, dtype=x.dtype), (x,), backward, "cross_entropy")


def _is_basic_index(index):
    """True for indices made of ints, slices, None and Ellipsis only (no arrays, lists or masks)."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, np.integer, slice)) for p in parts)


def _unbroadcast(grad, shape):
    """Sum `grad` over the axes that broadcasting added or stretched, giving `shape`.

    If x of shape (3, 1) was broadcast to (2, 3, 4), each x[i, 0] was used 2·4
    times, so its gradient is the sum over those copies.
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    stretched = tuple(extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1)
    return grad.sum(axis=tuple(range(extra)) + stretched, keepdims=True).reshape(shape)


def _normalize_axes(axis, ndim, op, single=False):
    """`axis` (None, an int or a tuple of ints, negative allowed) as a sorted tuple of axes.

    `op` names the caller in the errors; `single=True` accepts one int axis only.
    """
    if axis is None and not single:
        return tuple(range(ndim))
    axes = (axis,) if _is_int(axis) else axis
    if single and not _is_int(axis) or not isinstance(axes, (tuple, list)) or not all(map(_is_int, axes)):
        wanted = "an int" if single else "an int, a tuple of ints or None"
        raise TypeError(f"{op}: axis must be {wanted}, got {type(axis).__name__} {axis!r}")
    for a in axes:
        if not -ndim <= a < ndim:  # a 0-d tensor has no axes: any int is out of range (numpy's rule)
            raise ValueError(f"{op}: axis {a} is out of range for a tensor with {ndim} axes (ndim={ndim})")
    normalized = sorted({int(a) % ndim for a in axes})
    if len(normalized) != len(axes):
        raise ValueError(f"{op}: repeated axis in {axis}")
    return tuple(normalized)


def _is_int(value):
    """True for a Python or numpy integer (a bool is not an axis, a size or an index here)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _keep_dims(grad, axes, keepdims):
    """A reduction's gradient with the reduced axes restored as size 1, ready to broadcast."""
    return grad if keepdims else np.expand_dims(grad, axes)
