"""Activation modules, elementwise: the report's four, then those learners reach for next (lessons 6, 8).

Each calls the Tensor method of the same name; a module with parameters checks them when it is built
(errors name the class), and prints them as PyTorch does. `ACTIVATIONS`, the names `MLP(activation=...)`
takes, holds the report's four only: an MLP must have a twin in the report's network (the cross-checks,
the example's `--activation`). Put the others in a `Sequential` between `Linear` layers.
"""

from tinygrad_edu.autograd.ops.activations import check_approximate, check_number
from tinygrad_edu.autograd.ops.functions import check_hardtanh_bounds
from tinygrad_edu.nn._checks import check_tensor
from tinygrad_edu.nn.module import Module


class ReLU(Module):
    """max(0, x), elementwise."""

    def forward(self, x):
        check_tensor(type(self).__name__, x)
        return x.relu()


class Sigmoid(Module):
    """1 / (1 + e⁻ˣ), elementwise."""

    def forward(self, x):
        check_tensor(type(self).__name__, x)
        return x.sigmoid()


class Tanh(Module):
    """tanh x, elementwise."""

    def forward(self, x):
        check_tensor(type(self).__name__, x)
        return x.tanh()


class Hardtanh(Module):
    """clip(x, min_val, max_val), elementwise (the report's "hard tanh")."""

    def __init__(self, min_val=-1.0, max_val=1.0):
        check_hardtanh_bounds("Hardtanh", min_val, max_val)  # now, not at the first forward
        self.min_val, self.max_val = min_val, max_val

    def forward(self, x):
        check_tensor(type(self).__name__, x)
        return x.hardtanh(self.min_val, self.max_val)

    def __repr__(self):
        return f"Hardtanh(min_val={self.min_val}, max_val={self.max_val})"


#: The activation modules by the names the report uses (`MLP(activation=...)`).
ACTIVATION_MODULES = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh, "hardtanh": Hardtanh}

ACTIVATIONS = tuple(ACTIVATION_MODULES)


# ---- beyond the report (not in ACTIVATIONS) ----
class LeakyReLU(Module):
    """x where x > 0, else negative_slope · x, elementwise."""

    def __init__(self, negative_slope=0.01):
        self.negative_slope = check_number("LeakyReLU", "negative_slope", negative_slope)

    def forward(self, x):
        check_tensor(type(self).__name__, x)
        return x.leaky_relu(self.negative_slope)

    def __repr__(self):
        return f"LeakyReLU(negative_slope={self.negative_slope})"


class ELU(Module):
    """x where x > 0, else α(eˣ − 1), elementwise."""

    def __init__(self, alpha=1.0):
        self.alpha = check_number("ELU", "alpha", alpha)

    def forward(self, x):
        check_tensor(type(self).__name__, x)
        return x.elu(self.alpha)

    def __repr__(self):
        return f"ELU(alpha={self.alpha})"


class GELU(Module):
    """x Φ(x), Φ the standard normal cdf, elementwise; approximate='tanh' for the tanh formula."""

    def __init__(self, approximate="none"):
        self.approximate = check_approximate("GELU", approximate)

    def forward(self, x):
        check_tensor(type(self).__name__, x)
        return x.gelu(self.approximate)

    def __repr__(self):
        return f"GELU(approximate={self.approximate!r})"


class SiLU(Module):
    """x σ(x), elementwise (also called swish)."""

    def forward(self, x):
        check_tensor(type(self).__name__, x)
        return x.silu()


class Softplus(Module):
    """ln(1 + e^(βx)) / β, elementwise, and x itself where βx > threshold."""

    def __init__(self, beta=1.0, threshold=20.0):
        self.beta = check_number("Softplus", "beta", beta, positive=True)
        self.threshold = check_number("Softplus", "threshold", threshold)

    def forward(self, x):
        check_tensor(type(self).__name__, x)
        return x.softplus(self.beta, self.threshold)

    def __repr__(self):
        return f"Softplus(beta={self.beta}, threshold={self.threshold})"


class LogSigmoid(Module):
    """ln σ(x), elementwise, finite for any finite x."""

    def forward(self, x):
        check_tensor(type(self).__name__, x)
        return x.logsigmoid()


class ReLU6(Module):
    """min(max(0, x), 6), elementwise."""

    def forward(self, x):
        check_tensor(type(self).__name__, x)
        return x.relu6()
