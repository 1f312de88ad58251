"""Activation modules: the report's four hidden-layer nonlinearities, elementwise (lessons 6 and 8)."""

from tinygrad_edu.autograd.tensor import Tensor
from tinygrad_edu.nn._checks import check_tensor
from tinygrad_edu.nn.module import Module


class ReLU(Module):
    """max(0, x), elementwise."""

    def forward(self, x):
        check_tensor("ReLU", x)
        return x.relu()


class Sigmoid(Module):
    """1 / (1 + e⁻ˣ), elementwise."""

    def forward(self, x):
        check_tensor("Sigmoid", x)
        return x.sigmoid()


class Tanh(Module):
    """tanh x, elementwise."""

    def forward(self, x):
        check_tensor("Tanh", x)
        return x.tanh()


class Hardtanh(Module):
    """clip(x, min_val, max_val), elementwise (the report's "hard tanh")."""

    def __init__(self, min_val=-1.0, max_val=1.0):
        Tensor(0.0).hardtanh(min_val, max_val)  # checks the bounds now, not at the first forward
        self.min_val, self.max_val = min_val, max_val

    def forward(self, x):
        check_tensor("Hardtanh", x)
        return x.hardtanh(self.min_val, self.max_val)

    def __repr__(self):
        return f"Hardtanh(min_val={self.min_val}, max_val={self.max_val})"


#: The activation modules by the names the report uses (`MLP(activation=...)`).
ACTIVATION_MODULES = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh, "hardtanh": Hardtanh}

ACTIVATIONS = tuple(ACTIVATION_MODULES)
