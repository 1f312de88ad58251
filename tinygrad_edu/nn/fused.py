"""The report's two fused ops, each one op with the short backward the report derives (lessons 5 and 6).

`linear` is x Wᵀ + b in one step rather than three (transpose, @, +), and the softmax
cross-entropy is the loss and its softmax together, so its backward is ŷ − y.
`nn.functional` exports both, beside PyTorch's other functions.
"""

import numpy as np

from tinygrad_edu.autograd.tensor import Tensor


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

    def backward(g, out):
        dx = g @ weight if x.requires_grad else None
        dw = g.T @ x if weight.requires_grad else None
        db = g.sum(axis=0) if b is not None and b.requires_grad else None
        return dx, dw, db

    parents = (x, weight) if b is None else (x, weight, b)
    return Tensor._from_op(out, parents, backward, "linear")


def softmax_cross_entropy(logits, target_probs):
    """L = −(1/N) Σ_n Σ_c y[n,c] log softmax(x)[n,c] for logits x (N, C), targets y (N, C)

    Fused with the softmax, its backward is the one the report derives:
    dx = g · (softmax(x) · Σ_c y − y) / N, which is (ŷ − y) / N for one-hot rows.
    `nn.cross_entropy` checks its input and also takes class indices.
    """
    if not isinstance(logits, Tensor) or logits.ndim != 2:
        raise ValueError(f"cross_entropy: logits must be a 2-D Tensor (N, C), got {logits!r:.60}")
    x, y = logits, np.array(target_probs)  # a copy: later changes do not count
    if y.dtype.kind not in "biuf":
        raise TypeError(f"cross_entropy: targets must be numbers, got dtype {y.dtype}")
    y = y.astype(x.dtype, copy=False)
    if y.shape != x.shape:
        raise ValueError(f"cross_entropy: targets of shape {y.shape} must match the logits' shape {x.shape}")
    shifted = x.data - x.data.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = x.shape[0]
    # A class with target 0 adds nothing, even where its logit is −inf (a masked class): 0 · log 0 := 0.
    with np.errstate(invalid="ignore"):
        loss = -np.where(y != 0, y * log_p, 0).sum() / n
    row_sums = y.sum(axis=1, keepdims=True)

    def backward(g, out):
        return ((x.softmax(axis=1) * row_sums - y) * (g / n),)

    return Tensor._from_op(np.asarray(loss, dtype=x.dtype), (x,), backward, "cross_entropy")
