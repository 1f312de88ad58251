"""The max of every sliding window with its argmax, and the two linear ops that route values by it.

`window_argmax` runs over the kh·kw kernel offsets, comparing strided views of the image (no
window is copied), and records which offset of each window holds its maximum. `pick` reads that
element of every window; `place` adds each value back at that element. They are each other's
adjoint, ⟨pick(x), y⟩ = ⟨x, place(y)⟩, so each is the other's backward and max_pool2d's
derivatives of any order follow. Results keep the input's memory order (channels-first or not).
"""

import numpy as np

from tinygrad_edu.autograd.ops.windows import offset_slices


def _channels_first(data):
    """Whether `data` (N, C, H, W) lies in memory as (C, N, H, W), as conv2d's outputs do."""
    return data.shape[0] > 1 and data.shape[1] > 1 and data.strides[1] > data.strides[0]


def _padded(shape, p, dtype, fill, channels_first):
    """A (N, C, H + 2p₀, W + 2p₁) array full of `fill` (uninitialised if None), and its (N, C, H, W)
    interior (a view)."""
    n, c, h, w = shape
    grown = (h + 2 * p[0], w + 2 * p[1])
    order = (c, n, *grown) if channels_first else (n, c, *grown)
    padded = np.empty(order, dtype=dtype) if fill is None else np.full(order, fill, dtype=dtype)
    if channels_first:
        padded = padded.transpose(1, 0, 2, 3)
    return padded, padded[:, :, p[0] : p[0] + h, p[1] : p[1] + w]


def _views(padded, out, k, d, s):
    """The (N, C, oh, ow) strided view of `padded` that each kernel offset t = i·kw + j reads."""
    return [padded[(slice(None), slice(None), *offset_slices(i, j, out, d, s))]
            for i in range(k[0]) for j in range(k[1])]


def window_argmax(data, out, k, d, p, s, masks=True):
    """(the max of each window, masks): masks[t] is 1 where offset t holds the window's max, else 0.

    PyTorch's choice: the first maximum in row-major order, or the last nan if the window has
    one (nan propagates); a padded position never, even in a window whose inputs are all −inf.
    A running np.maximum, then one comparison per offset: no masked (slow) numpy loops. The masks
    are in data's dtype: place's products g · mask are then plain float products (faster than by bools).
    With masks=False, (the max, None): no gradient to route.
    """
    if p == (0, 0):
        padded = data
    else:
        padded, inside = _padded(data.shape, p, data.dtype, -np.inf, _channels_first(data))
        inside[...] = data
    views = _views(padded, out, k, d, s)
    best = np.array(views[0], order="K")  # a copy in the input's memory order
    for view in views[1:]:
        np.maximum(best, view, out=best)  # nan propagates
    if not masks:
        return best, None
    masks, taken = [], None
    for t, view in enumerate(views):
        mask = view == best  # never true for nan
        if p != (0, 0):
            mask &= _valid(t, out, k, d, p, s, data.shape)
        if taken is None:
            taken = mask.copy()
        else:
            mask &= ~taken  # an earlier offset holds the max: the first one takes it
            taken |= mask
        masks.append(mask)
    nan = np.isnan(best)
    if nan.any():  # the last nan of each window takes it
        for t in reversed(range(len(views))):
            mask = np.isnan(views[t]) & nan
            masks[t] |= mask
            nan &= ~mask
    masks = tuple(mask.astype(data.dtype) for mask in masks)
    for mask in masks:
        mask.flags.writeable = False
    return best, masks


def _valid(t, out, k, d, p, s, shape):
    """(oh, ow) booleans: where kernel offset t reads the image, not its padding."""
    i, j = divmod(t, k[1])
    rows = np.arange(out[0]) * s[0] + i * d[0] - p[0]
    cols = np.arange(out[1]) * s[1] + j * d[1] - p[1]
    return ((rows >= 0) & (rows < shape[2]))[:, None] & ((cols >= 0) & (cols < shape[3]))[None, :]


def pick(x, masks, out, k, d, p, s, value=None):
    """z[n, c, r, q] = x_padded[n, c, r·sh + i·dh, q·sw + j·dw] at the offset (i, j) masked  →  dx = place(g)

    Padding reads as 0. `value`, if given, is that result already computed (max_pool2d's max).
    """
    if value is None:
        padded = x.data
        if p != (0, 0):
            padded, inside = _padded(x.shape, p, x.dtype, 0, _channels_first(x.data))
            inside[...] = x.data
        value = np.zeros_like(masks[0], dtype=x.dtype)
        for view, mask in zip(_views(padded, out, k, d, s), masks):
            value += np.where(mask != 0, view, 0)  # (not view · mask: a nan elsewhere would leak in)
    shape = x.shape

    def backward(g, out_):
        return (place(g, masks, shape, out, k, d, p, s),)

    return x._from_op(value, (x,), backward, "pick")


def place(g, masks, shape, out, k, d, p, s):
    """z = zeros(shape) with g[n, c, r, q] added at the element of window (r, q) masks mark  →  dg = pick(gz)

    Overlapping windows that pick the same element add up; picks of padding are dropped.
    z lies in memory as g does (channels-first or not: writing across layouts is slow).
    """
    span = [d[a] * (k[a] - 1) + 1 for a in range(2)]
    apart = s[0] >= span[0] and s[1] >= span[1]  # no two windows share an element: write, do not add
    exact = np.isfinite(g.data).all()  # g · mask is exact: no nan or inf times a False
    grown = (shape[2] + 2 * p[0], shape[3] + 2 * p[1])
    tiled = apart and d == (1, 1) and all(s[a] == span[a] and out[a] * s[a] == grown[a] for a in range(2))
    padded, inside = _padded(shape, p, g.dtype, None if tiled and exact else 0, _channels_first(g.data))
    for view, mask in zip(_views(padded, out, k, d, s), masks):
        if apart and exact:
            np.multiply(g.data, mask, out=view)  # every element of the view written: 0 off the mask
        else:
            part = g.data * mask if exact else np.where(mask != 0, g.data, 0)
            view[...] = part if apart else view + part

    def backward(gz, out_):
        return (pick(gz, masks, out, k, d, p, s),)

    return g._from_op(inside, (g,), backward, "place")
