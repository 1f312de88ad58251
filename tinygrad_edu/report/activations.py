"""The report's activations, each beside its hand-derived derivative, and the softmax (lessons 5 and 8).

Pure numpy, like the rest of `tinygrad_edu.report`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# ---------------------------------------------------------------------------
# Activations, each next to its hand-written derivative.
#
# Every derivative is called as act_prime(Z, A) with A = act(Z) already
# computed by the forward pass, because the classic formulas (σ' = σ(1 - σ),
# tanh' = 1 - tanh²) are cheapest in terms of the output.  The piecewise ones
# return a boolean mask; numpy multiplies True/False as 1/0 and keeps the
# float dtype of the other factor.
# ---------------------------------------------------------------------------


def _check_derivative_inputs(name: str, Z: np.ndarray, A: np.ndarray) -> None:
    """Z and A = act(Z) must be real arrays of one shape: numpy would broadcast a mismatch silently."""
    Z, A = np.asarray(Z), np.asarray(A)
    if Z.dtype.kind not in "biuf" or A.dtype.kind not in "biuf":
        raise TypeError(f"{name}: Z and A must hold real numbers, got {Z.dtype} and {A.dtype}")
    if Z.shape != A.shape:
        raise ValueError(f"{name}: Z {Z.shape} and A = act(Z) {A.shape} must have one shape")


def relu(Z: np.ndarray) -> np.ndarray:
    """ReLU: max(z, 0), elementwise (as clip(z, 0, ∞): numpy vectorizes clip, not maximum with a scalar)."""
    return np.clip(Z, 0, np.inf)


def relu_prime(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    """ReLU': 1 where z > 0, else 0.

    ReLU has a kink at z = 0 where no derivative exists; we take 0 there
    (the left-hand slope), the usual convention.
    """
    _check_derivative_inputs("relu_prime", Z, A)
    return Z > 0


def sigmoid(Z: np.ndarray) -> np.ndarray:
    """Logistic sigmoid 1 / (1 + e^(-z)), computed without overflow.

    With E = e^(-|z|), which lies in (0, 1] and so never overflows:
    σ(z) = 1 / (1 + E) when z ≥ 0, and σ(z) = E / (1 + E) when z < 0
    (multiply top and bottom of the definition by e^z).
    """
    E = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1, E) / (1 + E)


def sigmoid_prime(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    """σ'(z) = σ(z) (1 - σ(z)), written with A = σ(Z)."""
    _check_derivative_inputs("sigmoid_prime", Z, A)
    return A * (1 - A)


def tanh(Z: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent (numpy's is already stable for large |z|)."""
    return np.tanh(Z)


def tanh_prime(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    """tanh'(z) = 1 - tanh²(z), written with A = tanh(Z)."""
    _check_derivative_inputs("tanh_prime", Z, A)
    return 1 - A * A


def hardtanh(Z: np.ndarray) -> np.ndarray:
    """Hard tanh: z clipped to [-1, 1]."""
    return np.clip(Z, -1, 1)


def hardtanh_prime(Z: np.ndarray, A: np.ndarray) -> np.ndarray:
    """Hard tanh': 1 on the open interval (-1, 1), 0 outside it.

    At the two kinks z = ±1 we take 0 (the slope of the flat side), the same
    convention as ReLU at 0.
    """
    _check_derivative_inputs("hardtanh_prime", Z, A)
    return np.abs(Z) < 1


#: Hidden-layer activations by name: (function, derivative).
ACTIVATIONS: dict[str, tuple[Callable, Callable]] = {
    "relu": (relu, relu_prime),
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "hardtanh": (hardtanh, hardtanh_prime),
}
#: Other spellings of the activation names.
ACTIVATION_ALIASES = {"hard_tanh": "hardtanh"}


def softmax(Z: np.ndarray) -> np.ndarray:
    """Softmax of each column of Z (axis 0), numerically stable.

    Subtracting each column's maximum leaves the result unchanged (it cancels
    between numerator and denominator) but makes every exponent ≤ 0, so
    exp cannot overflow, and the largest term is exactly 1, so the sum is ≥ 1.
    """
    if not isinstance(Z, np.ndarray) or Z.dtype.kind != "f" or Z.ndim == 0:
        raise TypeError(f"softmax: Z must be a float array (classes, batch), got {Z!r:.60}")
    if Z.shape[0] == 0:
        raise ValueError(f"softmax: Z of shape {Z.shape} has no classes (axis 0 is empty)")
    A = Z - Z.max(axis=0, keepdims=True)
    np.exp(A, out=A)
    A /= A.sum(axis=0, keepdims=True)
    return A
