"""Statistics of a tensor: var, std, prod and cumsum, each backward beside its forward (lesson 4).

`var` and `std` are compositions of ops that already have backwards (mean, −, ⊙, sum), so their
gradients, and the gradients of those, come for free. `prod` and `cumsum` are ops of their own:
a product's gradient must stay right when entries are 0 (where dividing by x breaks), and a running
sum's gradient is a running sum taken from the other end.

Deliberate differences from PyTorch: an axis of a 0-d tensor is refused (numpy: a 0-d tensor has
no axes; PyTorch takes axis 0 or −1), and `correction` must be a number, not a bool
(`correction=True` would be read as 1, which is what `unbiased=True` used to mean).
"""

import math
import warnings

import numpy as np

from tinygrad_edu.autograd._checks import keepdims_flag, normalize_axes, one_spelling
from tinygrad_edu.autograd.ops.activations import check_number
from tinygrad_edu.autograd.ops.reductions import keep_dims


class StatisticsOps:
    """`var`, `std`, `prod` and `cumsum` of `Tensor` (PyTorch's names; `axis`/`keepdims` also taken)."""

    __slots__ = ()

    def var(self, axis=None, *, correction=1, keepdims=None, dim=None, keepdim=None):
        """z = Σ_axis (x − x̄)² / (n − correction), x̄ the mean over `axis`, n the elements averaged
        →  dx = g · 2(x − x̄) / (n − correction)

        correction=1 is the unbiased estimate (PyTorch's default), 0 the population variance.
        Where n − correction ≤ 0 (one element, or an empty axis) the result is inf or nan with a
        warning, as in PyTorch; gradients there are inf or nan too and mean nothing.
        Following numpy on purpose: an axis of a 0-d tensor is refused (PyTorch takes 0 or −1), and
        so is `correction=True` (a bool is no number here; PyTorch reads it as 1).
        """
        return _variance(self, axis, dim, keepdims, keepdim, correction, "var")

    def std(self, axis=None, *, correction=1, keepdims=None, dim=None, keepdim=None):
        """z = √var(x)  →  dx = g · (x − x̄) / ((n − correction) z), and 0 where z = 0, as in PyTorch

        (At z = 0 the derivative of √ is infinite and x − x̄ is 0: PyTorch passes on 0, and so do we.)
        `correction` and the axes as in `var`, with the same two deliberate differences from PyTorch.
        """
        v = _variance(self, axis, dim, keepdims, keepdim, correction, "std")
        zero = v.data == 0
        return (v.masked_fill(zero, 1.0) ** 0.5).masked_fill(zero, 0.0)

    def prod(self, axis=None, keepdims=None, *, dim=None, keepdim=None):
        """z = Π_axis x over one axis (all elements if None)  →  dx_i = g · Π_(j≠i) x_j

        Π_(j≠i) x_j is z / x_i where no x_j on the line is 0. Where one is, it is computed without
        dividing: for each i, the product of the line with x_i replaced by 1 (an n × n array per
        line, so n times the memory of x). Both are Tensor ops: second derivatives work.
        Following numpy on purpose: `keepdims=True` with no axis keeps every axis, of size 1 (PyTorch's
        product of all elements takes no keepdim), and an axis of a 0-d tensor is refused.
        """
        axis = one_spelling("prod", ("axis", "dim"), axis, dim, None)
        keepdims = keepdims_flag("prod", keepdims, keepdim)
        if axis is None:
            out = _prod_along(self.reshape(-1), 0)
            return out.reshape((1,) * self.ndim) if keepdims else out
        (a,) = normalize_axes(axis, self.ndim, "prod", single=True)
        out = _prod_along(self, a)
        return keep_dims(out, (a,), False) if keepdims else out

    def cumsum(self, dim=None, *, axis=None):
        """z_k = Σ_(i ≤ k) x_i along `dim`  →  dx_i = Σ_(k ≥ i) g_k (g's running sum from the end)

        `dim` is required, as in PyTorch (numpy's default, flattening first, is not taken); a 0-d
        tensor has no dim to run along (numpy's rule: PyTorch takes 0 or −1 and returns it as is).
        """
        dim = one_spelling("cumsum", ("axis", "dim"), axis, dim, None)
        if dim is None:
            raise TypeError("cumsum: dim is required (the axis to run along), e.g. x.cumsum(dim=0)")
        (a,) = normalize_axes(dim, self.ndim, "cumsum", single=True)

        def backward(g, out):
            return (g.flip((a,)).cumsum(a).flip((a,)),)

        return self._from_op(np.cumsum(self.data, axis=a), (self,), backward, "cumsum")


def _variance(x, axis, dim, keepdims, keepdim, correction, op):
    """var's composition, with `op` (var or std) named in the errors and the warning."""
    axis = one_spelling(op, ("axis", "dim"), axis, dim, None)
    keepdims = keepdims_flag(op, keepdims, keepdim)
    check_number(op, "correction", correction)
    axes = normalize_axes(axis, x.ndim, op)
    n = math.prod(x.shape[a] for a in axes)
    dof = n - float(correction)  # (a numpy float32 correction must not round 1 / dof to float32)
    if dof <= 0:
        warnings.warn(
            f"{op}: degrees of freedom n − correction = {n} − {correction} ≤ 0, so the result is inf "
            "or nan (as in PyTorch); reduce over more elements or lower correction",
            UserWarning,
            stacklevel=3,
        )
    with np.errstate(invalid="ignore"):  # 0 · inf = nan is the answer wanted when dof ≤ 0
        centered = x - x.mean(axis=axes, keepdims=True)
        return (centered * centered).sum(axis=axes, keepdims=keepdims) * (1.0 / dof if dof > 0 else math.inf)


def _prod_along(x, a):
    """z = Π x along axis a (removed)  →  dx = g · (the product of the other entries of each line)"""

    def backward(g, out):
        if np.any(x.data == 0):
            others = _product_of_others(x, a)
        else:
            others = keep_dims(out, (a,), False) / x
        return (keep_dims(g, (a,), False) * others,)

    return x._from_op(np.prod(x.data, axis=a), (x,), backward, "prod")


def _product_of_others(x, a):
    """For each entry of x, the product of the other entries along axis a, with no division.

    x gets a new axis before a, and is stretched along it to n copies; in copy i, entry i is set
    to 1 (masked_fill, whose gradient there is 0); the product along the old axis is then the
    product of the others. It is `_prod_along` again, so its own gradient works the same way.
    """
    n = x.shape[a]
    copies = x.unsqueeze(a).broadcast_to(x.shape[:a] + (n,) + x.shape[a:])
    diagonal = np.eye(n, dtype=bool).reshape((n, n) + (1,) * (x.ndim - a - 1))
    return _prod_along(copies.masked_fill(diagonal, 1.0), a + 1)
