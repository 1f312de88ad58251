"""tinygrad_edu: an educational reverse-mode autograd library.

Two engines, `Value` (scalars) and `Tensor` (numpy arrays), the report's
hand-derived backprop (`tinygrad_edu.report`), and the tools to check that
they agree (`tinygrad_edu.gradcheck`, `tinygrad_edu.testing`).
"""

from tinygrad_edu.autograd import Tensor, Value, grad, is_grad_enabled, no_grad
from tinygrad_edu.autograd.ops.joining import cat, stack
from tinygrad_edu.autograd.ops.windows import fold

__all__ = ["Value", "Tensor", "grad", "no_grad", "is_grad_enabled", "cat", "stack", "fold"]
__version__ = "0.1.0"
