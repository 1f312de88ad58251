"""PyTorch's `torch.nn.functional` for the Tensor engine: the functions nn's layers are built from.

The report's fused ops (`linear`, `softmax_cross_entropy`) live in `nn/fused.py`, the losses in
`nn/loss.py`, dropout and the normalisations in their own modules; all are exported here too,
so `from tinygrad_edu.nn import functional as F` then `F.cross_entropy`, `F.conv2d` read as in PyTorch.
Defined here: `pad`, `conv2d`, the pools, and the activations as functions (each calls the
Tensor method of the same name, with PyTorch's argument names).
"""

import numbers

import numpy as np

from tinygrad_edu.autograd._checks import check_elements, int_sequence, is_int
from tinygrad_edu.autograd.grad_mode import is_grad_enabled
from tinygrad_edu.autograd.ops.joining import cat
from tinygrad_edu.autograd.ops.window_max import pick, window_argmax
from tinygrad_edu.autograd.ops.windows import im2col, window_geometry
from tinygrad_edu.autograd.tensor import Tensor
from tinygrad_edu.nn._checks import check_tensor
from tinygrad_edu.nn.dropout import dropout as dropout
from tinygrad_edu.nn.fused import linear as linear
from tinygrad_edu.nn.fused import softmax_cross_entropy as softmax_cross_entropy
from tinygrad_edu.nn.loss import cross_entropy as cross_entropy
from tinygrad_edu.nn.loss import nll_loss as nll_loss
from tinygrad_edu.nn.normalization import batch_norm as batch_norm
from tinygrad_edu.nn.normalization import layer_norm as layer_norm


def pad(input, pad, mode="constant", value=0):
    """z = input with `value` added around it: pad = (before, after) of the last axis, then of the
    one before it, … (PyTorch's order); a negative width crops  →  dx = g with the border cut off

    Built from slicing and `cat`, whose backwards are already differentiable.
    Only mode="constant" is implemented.
    """
    if mode != "constant":
        raise NotImplementedError(f"pad: only mode='constant' is implemented, got mode={mode!r}")
    if not isinstance(input, Tensor):
        raise TypeError(f"pad: input must be a Tensor, got {type(input).__name__}")
    widths = int_sequence(pad)
    if widths is None or not all(map(is_int, widths)):
        raise TypeError(f"pad: pad must be a tuple of ints, got {pad!r}")
    pad = widths
    if len(pad) % 2 or len(pad) > 2 * input.ndim:
        raise ValueError(f"pad: {len(pad)} widths for {input.shape}: two per axis, at most {2 * input.ndim}")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"pad: value must be a number, got {value!r}")
    grown = [n + before + after for n, (before, after) in zip(input.shape[::-1], zip(pad[::2], pad[1::2]))]
    check_elements("pad", [*input.shape[: input.ndim - len(grown)], *grown[::-1]])
    x = input
    for k in range(len(pad) // 2):
        x = _pad_axis(x, x.ndim - 1 - k, *pad[2 * k : 2 * k + 2], value)
    return x


def _pad_axis(x, dim, before, after, value):
    """x cropped by the negative widths and padded with `value` by the positive ones, along dim."""
    size = x.shape[dim]
    if size + before + after < 0:
        raise ValueError(f"pad: widths ({before}, {after}) crop more than the {size} elements of dim {dim}")
    x = x[(slice(None),) * dim + (slice(max(-before, 0), size - max(-after, 0)),)]
    def border(width):  # a constant (no gradient), or nothing for a width that cropped
        shape = x.shape[:dim] + (width,) + x.shape[dim + 1 :]
        return [Tensor(np.full(shape, value, dtype=x.dtype))] if width > 0 else []

    pieces = border(before) + [x] + border(after)
    return cat(pieces, dim) if len(pieces) > 1 else x
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """y[n, o] = b[o] + Σ_{c in o's group} w[o, c] ⋆ x[n, c] for x (N, C, H, W), w (O, C/groups, kh, kw)

    Built as im2col + one GEMM per group over the whole batch: X = im2col(x) (G, C/G·kh·kw, N·L),
    W (G, O/G, C/G·kh·kw), Y = W X. Its backward is the transpose of the same product: dW = dY Xᵀ,
    dX = Wᵀ dY, and dx = col2im(dX) adds each window's gradient back where it was read; db = Σ_{n,l} dY.
    """
    _check_image("conv2d", input)
    x, w = input, input._constant(weight)
    if x.ndim != 4 or w.ndim != 4:
        raise ValueError(
            f"conv2d: input {x.shape} and weight {w.shape} must be 4-d: (N, C, H, W), (O, C/groups, kh, kw)"
        )
    if not isinstance(groups, (int, np.integer)) or isinstance(groups, bool) or groups < 1:
        raise ValueError(f"conv2d: groups must be a positive int, got {groups!r}")
    n, c = x.shape[:2]
    o, c_per_group, kh, kw = w.shape
    if c % groups or o % groups or c // groups != c_per_group:
        raise ValueError(
            f"conv2d: input channels {c} and weight {w.shape} do not fit groups={groups}: "
            f"need C and O divisible by groups and weight.shape[1] = C/groups"
        )
    if bias is not None and x._constant(bias).shape != (o,):
        raise ValueError(f"conv2d: bias of shape {x._constant(bias).shape} should be ({o},)")
    (h_out, w_out), (k, d, p, s) = window_geometry(x.shape[2:], (kh, kw), dilation, padding, stride, "conv2d")
    cols = im2col(x, (h_out, w_out), k, d, p, s)  # (C·kh·kw, N·L), its rows grouped by channel
    cols = cols.reshape(groups, c_per_group * kh * kw, n * h_out * w_out)
    out = w.reshape(groups, o // groups, c_per_group * kh * kw) @ cols  # (G, O/G, N·L): a GEMM per group
    out = out.reshape(o, n, h_out, w_out).transpose(1, 0, 2, 3)  # a view: channels-first memory
    return out if bias is None else out + x._constant(bias).reshape(1, o, 1, 1)


def _check_image(op, input):
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: input must be a Tensor, got {type(input).__name__}; wrap arrays as Tensor(x)")
    if op != "conv2d" and input.ndim != 4:
        raise ValueError(f"{op}: input must be 4-d (N, C, H, W), got shape {input.shape}")


def avg_pool2d(input, kernel_size, stride=None, padding=0):
    """y = the mean of each window, padding zeros counted (count_include_pad=True)  →  dx = col2im(g/k)

    The mean over the kh·kw rows of each channel's block of im2col's columns: one strided copy
    per kernel offset, then a sum; the backward spreads g/(kh·kw) back with col2im.
    """
    _check_image("avg_pool2d", input)
    stride = kernel_size if stride is None else stride
    n, c, h, w = input.shape
    (h_out, w_out), (k, d, p, s) = window_geometry((h, w), kernel_size, 1, padding, stride, "avg_pool2d")
    cols = im2col(input, (h_out, w_out), k, d, p, s, "avg_pool2d").reshape(c, k[0] * k[1], n, h_out, w_out)
    return cols.mean(axis=1).transpose(1, 0, 2, 3)  # a view: channels-first memory


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1):
    """y = the max of each window (padding is −inf)  →  dx = g placed at each window's argmax, 0 elsewhere

    PyTorch's argmax: the first maximum of the window in row-major order, the last nan if there
    is one (nan propagates). One strided comparison per kernel offset finds max and argmax; the
    result is `pick(x)`, the argmax element of each window, so the backward `place` (and its own
    backward, pick again) are differentiable.
    """
    _check_image("max_pool2d", input)
    stride = kernel_size if stride is None else stride
    size = input.shape[2:]
    out, (k, d, p, s) = window_geometry(size, kernel_size, dilation, padding, stride, "max_pool2d")
    if p[0] > k[0] // 2 or p[1] > k[1] // 2:
        raise ValueError(f"max_pool2d: padding {p} must be at most half the kernel {k} (PyTorch's rule)")
    n, c = input.shape[:2]
    check_elements("max_pool2d", (n, c, size[0] + 2 * p[0], size[1] + 2 * p[1]))  # the padded copy
    check_elements("max_pool2d", (k[0] * k[1], n, c, *out))  # one mask per kernel offset
    if not (is_grad_enabled() and input.requires_grad):  # no gradient: the max alone, no masks
        best, _ = window_argmax(input.data, out, k, d, p, s, masks=False)
        return input._from_op(best, (input,), None, "max_pool2d")
    best, masks = window_argmax(input.data, out, k, d, p, s)
    return pick(input, masks, out, k, d, p, s, value=best)


# ---- activations, as torch.nn.functional spells them ----
def relu(input):
    """max(0, x), elementwise."""
    check_tensor("relu", input)
    return input.relu()


def sigmoid(input):
    """1 / (1 + e⁻ˣ), elementwise."""
    check_tensor("sigmoid", input)
    return input.sigmoid()


def tanh(input):
    """tanh x, elementwise."""
    check_tensor("tanh", input)
    return input.tanh()


def hardtanh(input, min_val=-1.0, max_val=1.0):
    """clip(x, min_val, max_val), elementwise."""
    check_tensor("hardtanh", input)
    return input.hardtanh(min_val, max_val)


def leaky_relu(input, negative_slope=0.01):
    """x where x > 0, else negative_slope · x."""
    check_tensor("leaky_relu", input)
    return input.leaky_relu(negative_slope)


def elu(input, alpha=1.0):
    """x where x > 0, else α(eˣ − 1)."""
    check_tensor("elu", input)
    return input.elu(alpha)


def gelu(input, approximate="none"):
    """x · Φ(x) (approximate="tanh": 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))))."""
    check_tensor("gelu", input)
    return input.gelu(approximate)


def silu(input):
    """x · σ(x)."""
    check_tensor("silu", input)
    return input.silu()


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + e^(βx)) / β, and x itself where βx > threshold."""
    check_tensor("softplus", input)
    return input.softplus(beta, threshold)


def logsigmoid(input):
    """log σ(x) = −softplus(−x)."""
    check_tensor("logsigmoid", input)
    return input.logsigmoid()


def relu6(input):
    """min(max(0, x), 6)."""
    check_tensor("relu6", input)
    return input.relu6()


def softmax(input, dim):
    """e^(x_i) / Σ_j e^(x_j) along `dim` (which, unlike the Tensor method, has no default: as in PyTorch)."""
    check_tensor("softmax", input)
    _check_dim_given("softmax", dim)
    return input.softmax(dim=dim)


def log_softmax(input, dim):
    """x_i − log Σ_j e^(x_j) along `dim` (no default, as in PyTorch)."""
    check_tensor("log_softmax", input)
    _check_dim_given("log_softmax", dim)
    return input.log_softmax(dim=dim)


def _check_dim_given(op, dim):
    if dim is None:  # PyTorch's implicit choice of dim is deprecated: say which axis
        raise TypeError(f"{op}: dim must be an int (the axis of the classes), got None")
