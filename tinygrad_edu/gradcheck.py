"""Checking gradients against central finite differences (lesson 3).

    ∂f/∂x_i ≈ (f(x + ε e_i) − f(x − ε e_i)) / 2ε      error O(ε²), against O(ε) one-sided

In float64 with ε = 1e-6 the truncation error, ε²|f‴|/6 ≈ 1e-13 for |f‴| ≈ 1, is far below
the rounding error, ~1e-16/ε = 1e-10, which dominates; so a correct backward
agrees to ~1e-8 or better. In float32 the rounding error alone is ~1e-7/ε = 1e-1:
always check in float64.
"""

import numpy as np

from tinygrad_edu.autograd import Tensor, Value, grad


class GradcheckError(AssertionError):
    """Backward and finite differences disagree; the message says where and by how much."""


def numerical_gradient(f, x, eps=1e-6):
    """Central differences of a scalar function f of a float64 array x; same shape as x.

    f is called with a copy of x, perturbed one element at a time.
    """
    if np.asarray(x).dtype != np.float64:
        raise ValueError(f"numerical_gradient needs a float64 array, got {np.asarray(x).dtype}")
    _check_tolerances(eps=eps)
    x = np.array(x, order="C")  # our own contiguous copy, so the flat view below writes into it
    grad = np.empty_like(x)
    flat_x, flat_grad = x.reshape(-1), grad.reshape(-1)  # views: writing them writes x, grad
    for i in range(flat_x.size):
        original = flat_x[i]
        flat_x[i] = original + eps
        f_plus = float(f(x))
        flat_x[i] = original - eps
        f_minus = float(f(x))
        flat_x[i] = original
        flat_grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def gradcheck(fn, inputs, eps=1e-6, atol=1e-8, rtol=1e-6, seed=0):
    """Check `fn`'s backward on every input against central differences; True or GradcheckError.

    Tensor mode: `inputs` are arrays (or float64 Tensors) and `fn(*tensors)` returns
    a Tensor of any shape; it is reduced to L = Σ out ⊙ r with a fixed random r,
    so every output element's gradient is checked at once.
    Scalar mode: `inputs` are numbers (or Values) and `fn(*values)` returns a Value.
    An element passes if |analytic − numeric| ≤ atol + rtol·|numeric|.
    """
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(f"gradcheck takes a list or tuple of inputs, got {type(inputs).__name__}")
    if not inputs:
        raise ValueError("gradcheck needs at least one input: with none, nothing would be checked")
    _check_tolerances(eps=eps, atol=atol, rtol=rtol)
    _check_seed(seed)
    scalar_mode = all(isinstance(v, (int, float, Value)) for v in inputs)
    check = _check_values if scalar_mode else _check_tensors
    for name, analytic, numeric in check(fn, inputs, eps, seed):
        error = np.abs(analytic - numeric)
        bad = ~(error <= atol + rtol * np.abs(numeric))  # written so that a NaN counts as bad
        if np.any(bad):
            i = np.unravel_index(np.argmax(np.where(bad, error, -1.0)), np.shape(error))
            index = f"[{', '.join(map(str, i))}]" if i else ""
            raise GradcheckError(
                f"gradient of {name}{index}: backward gives {float(np.asarray(analytic)[i])!r}, "
                f"central differences give {float(np.asarray(numeric)[i])!r} "
                f"(|difference| {error[i]:.3g} > atol {atol:g} + rtol {rtol:g}·|numeric|); "
                f"{int(bad.sum())} of {bad.size} entries disagree"
            )
    return True


def gradgradcheck(fn, inputs, eps=1e-6, atol=1e-7, rtol=1e-5, seed=0):
    """Check `fn`'s second derivatives: the backward of its backward against central differences of it.

    The first-order gradients, taken with `grad(..., create_graph=True)`, are reduced to
    one number h(x) = Σ_k ⟨∂L/∂x_k, u_k⟩ (L as in `gradcheck`, u_k fixed random directions),
    and `gradcheck` then compares h's backward, a Hessian-vector product Hu, with central
    differences of h, which need first derivatives only. Same modes and inputs as `gradcheck`.
    """
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise TypeError(f"gradgradcheck takes a non-empty list or tuple of inputs, got {inputs!r:.60}")
    _check_seed(seed)
    rng = np.random.default_rng(seed)
    if all(isinstance(v, (int, float, Value)) for v in inputs):
        directions = [float(u) for u in rng.uniform(0.5, 1.5, size=len(inputs))]

        def first_order(*values):
            grads = grad(fn(*values), values, create_graph=True, allow_unused=True)
            return sum((g * u for g, u in zip(grads, directions) if g is not None), 0.0 * values[0])

    else:
        directions = [rng.uniform(0.5, 1.5, size=np.shape(getattr(v, "data", v))) for v in inputs]
        weights = {}  # the output's r, drawn once its shape is known

        def first_order(*tensors):
            tensors = [t if t.requires_grad else Tensor(t.data, requires_grad=True) for t in tensors]
            out = fn(*tensors)
            r = Tensor(weights.setdefault("r", rng.uniform(0.5, 1.5, size=out.shape)), dtype=out.dtype)
            grads = grad(out, tensors, grad_outputs=r, create_graph=True, allow_unused=True)
            products = [(g * u).sum() for g, u in zip(grads, directions) if g is not None]
            return sum(products, (tensors[0] * 0.0).sum())  # a graph even where every second derivative is 0

    return gradcheck(first_order, inputs, eps=eps, atol=atol, rtol=rtol, seed=seed)


def _check_tensors(fn, inputs, eps, seed):
    """(name, backward's gradient, numerical gradient) for each Tensor input."""
    arrays = []
    for k, v in enumerate(inputs):
        if isinstance(v, Tensor) and v.dtype != np.float64:
            raise ValueError(f"gradcheck needs float64 inputs; input {k} is {v.dtype}")
        array = np.array(v.data if isinstance(v, Tensor) else v)
        if array.dtype.kind not in "biuf":
            raise TypeError(f"gradcheck: input {k} must hold numbers, got dtype {array.dtype}")
        arrays.append(array.astype(np.float64))
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    out = fn(*tensors)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor, got {type(out).__name__}")
    weights = np.random.default_rng(seed).uniform(0.5, 1.5, size=out.shape)
    out.backward(weights)

    for k, tensor in enumerate(tensors):

        def loss_of_input(a, k=k):
            args = [Tensor(a) if j == k else Tensor(arrays[j]) for j in range(len(arrays))]
            return np.sum(fn(*args).data * weights)

        numeric = numerical_gradient(loss_of_input, arrays[k], eps)
        analytic = tensor.grad if tensor.grad is not None else np.zeros_like(arrays[k])
        yield f"input {k}", analytic, numeric


def _check_values(fn, inputs, eps, seed):
    """(name, backward's gradient, numerical gradient) for each Value input."""
    numbers = [float(v.data if isinstance(v, Value) else v) for v in inputs]
    values = [Value(x) for x in numbers]
    out = fn(*values)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: fn must return a Value, got {type(out).__name__}")
    out.backward()
    for k, value in enumerate(values):

        def f(a, k=k):
            return fn(*[Value(float(a)) if j == k else Value(x) for j, x in enumerate(numbers)]).data

        numeric = numerical_gradient(f, np.array(numbers[k]), eps)
        yield f"input {k}", np.array(value.grad), numeric


def _check_seed(seed):
    """ValueError unless seed is a non-negative int (numpy integers too; not a bool)."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")


def _check_tolerances(**tolerances):
    """ValueError unless eps > 0 and every other tolerance ≥ 0, all finite numbers."""
    for name, value in tolerances.items():
        is_number = isinstance(value, (int, float, np.floating)) and not isinstance(value, bool)
        if not is_number or not np.isfinite(value) or value < 0 or (name == "eps" and value == 0):
            bound = "> 0" if name == "eps" else "≥ 0"
            raise ValueError(f"{name} must be a finite number {bound}, got {value!r}")
