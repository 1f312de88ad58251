"""Sliding-window ops: unfold (im2col) and its adjoint fold (col2im), each the other's backward.

unfold copies every kernel-sized window of an (N, C, H, W) image into a column, so a
convolution becomes one matrix product; fold adds columns back into an image.
Both are linear, so each backward is the other op and derivatives of any order follow.
"""

import numpy as np

from tinygrad_edu.autograd._checks import check_elements, int_sequence, is_int


def pair(value, name):
    """An int or a pair of ints as a pair (numpy integer scalars accepted); TypeError otherwise."""
    values = (value, value) if is_int(value) else int_sequence(value)
    if values is None or len(values) != 2 or not all(map(is_int, values)):
        raise TypeError(f"{name} must be an int or a pair of ints, got {value!r}")
    return tuple(int(v) for v in values)


def check_windows(op, kernel_size, dilation, padding, stride):
    """The window arguments as pairs of ints: kernel_size, dilation, stride ≥ 1 and padding ≥ 0."""
    k, d, p, s = (
        pair(v, n)
        for v, n in zip(
            (kernel_size, dilation, padding, stride), ("kernel_size", "dilation", "padding", "stride")
        )
    )
    if min(k + d + s) < 1 or min(p) < 0:
        raise ValueError(
            f"{op}: kernel_size, dilation and stride must be ≥ 1 and padding ≥ 0, "
            f"got kernel_size={k}, dilation={d}, stride={s}, padding={p}"
        )
    return k, d, p, s


def window_geometry(size, kernel_size, dilation, padding, stride, op):
    """The (rows, cols) of window positions over an image of `size` = (H, W), with checked arguments.

    out = ⌊(H + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1 per axis (PyTorch's formula).
    """
    k, d, p, s = check_windows(op, kernel_size, dilation, padding, stride)
    out = tuple((size[a] + 2 * p[a] - d[a] * (k[a] - 1) - 1) // s[a] + 1 for a in range(2))
    if min(out) < 1:
        span = tuple(d[a] * (k[a] - 1) + 1 for a in range(2))
        raise ValueError(
            f"{op}: the (dilated) kernel {span} is larger than the padded input "
            f"{tuple(size[a] + 2 * p[a] for a in range(2))}"
        )
    return out, (k, d, p, s)


def _check_4d(t, op, what="input"):
    if t.ndim != 4:
        raise ValueError(f"{op}: {what} must be 4-d (N, C, H, W), got shape {t.shape}")


class WindowOps:
    """`unfold` (im2col) of `Tensor`; its adjoint is the module function `fold`."""

    __slots__ = ()

    def unfold(self, kernel_size, dilation=1, padding=0, stride=1):
        """(N, C, H, W) → (N, C·kh·kw, L): column l holds window l (PyTorch's F.unfold)  →  dx = fold(g)

        cols[n, (c, i, j), (r, q)] = x_padded[n, c, r·sh + i·dh, q·sw + j·dw]; L = rows·cols of windows.
        """
        x = self
        _check_4d(x, "unfold")
        n, c, h, w = x.shape
        (rows, cols), (k, d, p, s) = window_geometry((h, w), kernel_size, dilation, padding, stride, "unfold")
        check_elements("unfold", (n, c, h + 2 * p[0], w + 2 * p[1]))  # the padded copy
        check_elements("unfold", (n, c * k[0] * k[1], rows * cols))
        padded = np.pad(x.data, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
        span = (d[0] * (k[0] - 1) + 1, d[1] * (k[1] - 1) + 1)
        windows = np.lib.stride_tricks.sliding_window_view(padded, span, axis=(2, 3))  # a view, no copy
        windows = windows[
            :, :, : s[0] * (rows - 1) + 1 : s[0], : s[1] * (cols - 1) + 1 : s[1], :: d[0], :: d[1]
        ]
        out = windows.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * k[0] * k[1], rows * cols)  # the one copy

        def backward(g, out):
            return (fold(g, (h, w), k, d, p, s),)

        return self._from_op(out, (x,), backward, "unfold")


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """(N, C·kh·kw, L) → (N, C, H, W): each column added into its window (F.fold)  →  dx = unfold(g)

    The adjoint of unfold: ⟨unfold(x), y⟩ = ⟨x, fold(y)⟩, so overlapping windows sum.
    """
    if not hasattr(input, "_parents"):
        raise TypeError(f"fold: input must be a Tensor, got {type(input).__name__}")
    if input.ndim != 3:
        raise ValueError(f"fold: input must be 3-d (N, C·kh·kw, L), got shape {input.shape}")
    h, w = pair(output_size, "output_size")
    (rows, cols), (k, d, p, s) = window_geometry((h, w), kernel_size, dilation, padding, stride, "fold")
    n, ckk, length = input.shape
    if ckk % (k[0] * k[1]) or length != rows * cols:
        raise ValueError(
            f"fold: input of shape {input.shape} does not fit kernel {k} and {rows}×{cols} "
            f"windows of an output {(h, w)}: need (N, C·{k[0] * k[1]}, {rows * cols})"
        )
    c = ckk // (k[0] * k[1])
    blocks = input.data.reshape(n, c, k[0], k[1], rows, cols)
    padded = np.zeros((n, c, h + 2 * p[0], w + 2 * p[1]), dtype=input.dtype)
    for i in range(k[0]):
        for j in range(k[1]):
            padded[
                :,
                :,
                i * d[0] : i * d[0] + s[0] * (rows - 1) + 1 : s[0],
                j * d[1] : j * d[1] + s[1] * (cols - 1) + 1 : s[1],
            ] += blocks[:, :, i, j]
    out = padded[:, :, p[0] : p[0] + h, p[1] : p[1] + w].copy()

    def backward(g, out):
        return (g.unfold(k, d, p, s),)

    return input._from_op(out, (input,), backward, "fold")


# ---- the column matrix conv2d multiplies: one GEMM over the whole batch --------------------
def offset_slices(i, j, out, d, s):
    """The (rows, cols) slices of a padded image read by kernel offset (i, j) over all `out` windows."""
    return (
        slice(i * d[0], i * d[0] + s[0] * (out[0] - 1) + 1, s[0]),
        slice(j * d[1], j * d[1] + s[1] * (out[1] - 1) + 1, s[1]),
    )


def channels_first_padded(data, p, fill=0):
    """(N, C, H, W) data as a padded (C, N, H + 2p₀, W + 2p₁) array: a view when p = 0."""
    n, c, h, w = data.shape
    if p == (0, 0):
        return data.transpose(1, 0, 2, 3)
    padded = np.full((c, n, h + 2 * p[0], w + 2 * p[1]), fill, dtype=data.dtype)
    padded[:, :, p[0] : p[0] + h, p[1] : p[1] + w] = data.transpose(1, 0, 2, 3)
    return padded


def im2col(x, out, k, d, p, s, op="conv2d"):
    """(N, C, H, W) → (C·kh·kw, N·oh·ow): row (c, i, j), column (n, r, q)  →  dx = col2im(g)

    cols[(c, i, j), (n, r, q)] = x_padded[n, c, r·sh + i·dh, q·sw + j·dw]: weight (O, C·kh·kw) @ cols
    is then the convolution of the whole batch as ONE matrix product. `out` = (oh, ow), the
    arguments checked pairs (see window_geometry); `op` names the caller in errors. One strided
    copy per kernel offset, no transpose after.
    """
    n, c, h, w = x.shape
    check_elements(op, (c, n, h + 2 * p[0], w + 2 * p[1]))  # the padded copy
    check_elements(op, (c * k[0] * k[1], n * out[0] * out[1]))
    padded = channels_first_padded(x.data, p)
    cols = np.empty((c, k[0], k[1], n, out[0], out[1]), dtype=x.dtype)
    for i in range(k[0]):
        for j in range(k[1]):
            cols[:, i, j] = padded[(slice(None), slice(None), *offset_slices(i, j, out, d, s))]
    shape = x.shape

    def backward(g, out_):
        return (col2im(g, shape, out, k, d, p, s),)

    return x._from_op(cols.reshape(c * k[0] * k[1], -1), (x,), backward, "im2col")


def col2im(cols, shape, out, k, d, p, s):
    """(C·kh·kw, N·oh·ow) → (N, C, H, W): each column added back into its window  →  dcols = im2col(g)

    The adjoint of im2col (overlapping windows sum): one strided add per kernel offset.
    The result is a view of a channels-first buffer: no copy back to (N, C, H, W) memory.
    """
    n, c, h, w = shape
    blocks = cols.data.reshape(c, k[0], k[1], n, out[0], out[1])
    padded = np.zeros((c, n, h + 2 * p[0], w + 2 * p[1]), dtype=cols.dtype)
    for i in range(k[0]):
        for j in range(k[1]):
            padded[(slice(None), slice(None), *offset_slices(i, j, out, d, s))] += blocks[:, i, j]
    image = padded[:, :, p[0] : p[0] + h, p[1] : p[1] + w].transpose(1, 0, 2, 3)

    def backward(g, out_):
        return (im2col(g, out, k, d, p, s),)

    return cols._from_op(image, (cols,), backward, "col2im")
