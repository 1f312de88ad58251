"""tinygrad_edu: an educational reverse-mode autograd library.

Two engines, `Value` (scalars) and `Tensor` (numpy arrays), the report's
hand-derived backprop (`tinygrad_edu.report`), and the tools to check that
they agree (`tinygrad_edu.gradcheck`, `tinygrad_edu.testing`). Tensors from a shape:
`zeros`, `ones`, `full`, `arange`, `eye`, `randn`, `rand` and the `*_like`s, as in PyTorch;
`where(condition, input, other)` picks between two tensors.
"""

from tinygrad_edu.autograd import (
    Tensor,
    Value,
    arange,
    eye,
    full,
    full_like,
    grad,
    is_grad_enabled,
    no_grad,
    ones,
    ones_like,
    rand,
    randn,
    zeros,
    zeros_like,
)
from tinygrad_edu.autograd.ops.elementwise import where
from tinygrad_edu.autograd.ops.joining import cat, stack
from tinygrad_edu.autograd.ops.windows import fold

__all__ = [
    "Value", "Tensor", "grad", "no_grad", "is_grad_enabled", "cat", "stack", "fold", "where",
    "zeros", "ones", "full", "zeros_like", "ones_like", "full_like", "arange", "eye", "randn", "rand",
]
__version__ = "0.1.0"
