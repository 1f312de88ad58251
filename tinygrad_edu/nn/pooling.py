"""Pooling and flattening layers: MaxPool2d, AvgPool2d, Flatten (no parameters)."""

from tinygrad_edu.autograd._checks import is_int, normalize_axes
from tinygrad_edu.autograd.ops.windows import check_windows
from tinygrad_edu.nn._checks import check_tensor
from tinygrad_edu.nn.functional import avg_pool2d, max_pool2d
from tinygrad_edu.nn.module import Module


class MaxPool2d(Module):
    """(N, C, H, W) → (N, C, H', W'): the max of each window (see functional.max_pool2d)."""

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1):
        check_windows("MaxPool2d", kernel_size, dilation, padding, kernel_size if stride is None else stride)
        self.kernel_size, self.stride, self.padding, self.dilation = kernel_size, stride, padding, dilation

    def forward(self, x):
        return max_pool2d(x, self.kernel_size, self.stride, self.padding, self.dilation)

    def __repr__(self):
        return f"MaxPool2d(kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding})"


class AvgPool2d(Module):
    """(N, C, H, W) → (N, C, H', W'): the mean of each window, padding counted (see functional.avg_pool2d)."""

    def __init__(self, kernel_size, stride=None, padding=0):
        check_windows("AvgPool2d", kernel_size, 1, padding, kernel_size if stride is None else stride)
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding

    def forward(self, x):
        return avg_pool2d(x, self.kernel_size, self.stride, self.padding)

    def __repr__(self):
        return f"AvgPool2d(kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding})"


class Flatten(Module):
    """Merge the axes start_dim..end_dim into one: (N, C, H, W) → (N, C·H·W) by default, as PyTorch."""

    def __init__(self, start_dim=1, end_dim=-1):
        for name, dim in (("start_dim", start_dim), ("end_dim", end_dim)):
            if not is_int(dim):
                raise TypeError(f"Flatten: {name} must be an int, got {type(dim).__name__} {dim!r}")
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x):
        check_tensor("Flatten", x)
        start = normalize_axes(self.start_dim, x.ndim, "Flatten", single=True)[0]
        end = normalize_axes(self.end_dim, x.ndim, "Flatten", single=True)[0]
        if start > end:
            raise ValueError(
                f"Flatten: start_dim {self.start_dim} comes after end_dim {self.end_dim} "
                f"for a tensor of shape {x.shape}"
            )
        return x.reshape(*x.shape[:start], -1, *x.shape[end + 1 :])

    def __repr__(self):
        return f"Flatten(start_dim={self.start_dim}, end_dim={self.end_dim})"
