"""Conv2d: the 2-d convolution layer, y = W ⋆ x + b (see functional.conv2d for its im2col form)."""

import numpy as np

from tinygrad_edu.autograd._checks import check_flag
from tinygrad_edu.autograd.ops.windows import check_windows, pair
from tinygrad_edu.autograd.tensor import Tensor
from tinygrad_edu.nn._checks import check_dtype, check_parameter_count, check_seed, is_int
from tinygrad_edu.nn.functional import conv2d
from tinygrad_edu.nn.module import Module


class Conv2d(Module):
    """(N, C_in, H, W) → (N, C_out, H', W'); weight (C_out, C_in/groups, kh, kw), bias (C_out,).

    Init as PyTorch's: W and b ~ U(−1/√fan_in, 1/√fan_in), fan_in = C_in/groups · kh · kw
    (kaiming-uniform with a = √5 gives this bound for W).
    """

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding=0,
        dilation=1,
        groups=1,
        bias=True,
        dtype="float32",
        rng=None,
    ):
        for name, n in (("in_channels", in_channels), ("out_channels", out_channels), ("groups", groups)):
            if not is_int(n) or n < 1:
                raise ValueError(f"Conv2d: {name} must be a positive integer, got {n!r}")
        if in_channels % groups or out_channels % groups:
            raise ValueError(
                f"Conv2d: in_channels {in_channels} and out_channels {out_channels} "
                f"must both be divisible by groups={groups}"
            )
        bias = check_flag("Conv2d", "bias", bias)
        check_windows("Conv2d", kernel_size, dilation, padding, stride)  # now, not at the first forward
        dtype = check_dtype("Conv2d", dtype)
        if not isinstance(rng, np.random.Generator):
            rng = np.random.default_rng(check_seed("Conv2d", rng))
        self.kernel_size = pair(kernel_size, "kernel_size")
        self.stride, self.padding, self.dilation, self.groups = stride, padding, dilation, groups
        shape = (out_channels, in_channels // groups, *self.kernel_size)
        check_parameter_count("Conv2d", [shape, (out_channels,)])
        bound = 1.0 / np.sqrt(np.prod(shape[1:]))
        self.weight = Tensor(rng.uniform(-bound, bound, shape), requires_grad=True, dtype=dtype)
        self.bias = (
            Tensor(rng.uniform(-bound, bound, out_channels), requires_grad=True, dtype=dtype)
            if bias
            else None
        )

    def forward(self, x):
        return conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)

    def __repr__(self):
        out_channels, in_per_group = self.weight.shape[:2]
        return (
            f"Conv2d({in_per_group * self.groups}, {out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, padding={self.padding})"
        )
