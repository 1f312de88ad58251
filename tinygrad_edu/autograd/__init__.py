"""The two autograd engines and what they share (lessons 2 and 4).

    grad_mode.py   `no_grad`, `is_grad_enabled`: whether ops record the graph (per thread)
    graph.py       the walk both engines' backward passes share: `topological_order`
    backward.py    the Tensor backward pass (also of second order) and `grad`, for both engines
    scalar.py      `Value`, the scalar engine
    tensor.py      `Tensor`, the array engine; its ops in `ops/`, one family per module
    creation.py    tensors from a shape, PyTorch's helpers: `zeros`, `ones`, `full`, `arange`, `eye`, `randn`…
"""

from tinygrad_edu.autograd.backward import grad
from tinygrad_edu.autograd.creation import (
    arange,
    eye,
    full,
    full_like,
    ones,
    ones_like,
    rand,
    randn,
    zeros,
    zeros_like,
)
from tinygrad_edu.autograd.grad_mode import is_grad_enabled, no_grad
from tinygrad_edu.autograd.graph import topological_order
from tinygrad_edu.autograd.scalar import Value
from tinygrad_edu.autograd.tensor import Tensor

__all__ = [
    "Value", "Tensor", "grad", "no_grad", "is_grad_enabled", "topological_order",
    "zeros", "ones", "full", "zeros_like", "ones_like", "full_like", "arange", "eye", "randn", "rand",
]
