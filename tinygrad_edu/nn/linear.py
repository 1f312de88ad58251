"""Linear: the fully connected layer y = x Wᵀ + b (lesson 6)."""

import numpy as np

from tinygrad_edu.autograd._checks import check_flag
from tinygrad_edu.autograd.tensor import Tensor
from tinygrad_edu.nn._checks import check_dtype, check_parameter_count, check_seed, is_int
from tinygrad_edu.nn.fused import linear
from tinygrad_edu.nn.module import Module


class Linear(Module):
    """y = x Wᵀ + b, x (N, in) → y (N, out); weight W (out, in), bias b (out,).

    Init as the report's code: W ~ N(0, 1/in) (LeCun normal), b = 0. PyTorch's
    default is uniform on ±1/√in instead: same variance scale, another shape.
    """

    def __init__(self, in_features, out_features, bias=True, dtype="float32", rng=None):
        for name, n in (("in_features", in_features), ("out_features", out_features)):
            if not is_int(n) or n < 1:
                raise ValueError(f"Linear: {name} must be a positive integer, got {n!r}")
        bias = check_flag("Linear", "bias", bias)
        check_parameter_count("Linear", [(out_features, in_features), (out_features,)])
        dtype = check_dtype("Linear", dtype)
        if not isinstance(rng, np.random.Generator):
            rng = np.random.default_rng(check_seed("Linear", rng))
        weight = rng.standard_normal((out_features, in_features)) * np.sqrt(1.0 / in_features)
        self.weight = Tensor(weight, requires_grad=True, dtype=dtype)
        self.bias = Tensor(np.zeros(out_features), requires_grad=True, dtype=dtype) if bias else None

    def forward(self, x):
        return linear(x, self.weight, self.bias)

    def __repr__(self):
        out_features, in_features = self.weight.shape
        return f"Linear(in_features={in_features}, out_features={out_features})"
