"""Adam: momentum and a per-parameter scale from running moments of the gradient."""

import math

import numpy as np

from tinygrad_edu.optim._checks import check_range
from tinygrad_edu.optim.optimizer import Optimizer


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015): per-parameter steps from running moments of g.

        m ← β₁ m + (1 − β₁) g,   s ← β₂ s + (1 − β₂) g²            (both start at 0)
        w ← w − lr · m̂ / (√ŝ + eps),  m̂ = m / (1 − β₁ᵗ),  ŝ = s / (1 − β₂ᵗ)

    t counts the steps that updated this parameter's m and s (as in PyTorch), so a
    parameter that first gets a gradient late still has its moments corrected right.
    """

    _buffers = ("m", "s", "t")

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"Adam: betas must be a pair (beta1, beta2) such as (0.9, 0.999), got {betas!r}")
        betas = tuple(check_range(f"betas[{k}]", beta, low=0.0, high=1.0) for k, beta in enumerate(betas))
        self.betas, self.eps = betas, check_range("eps", eps, low=0.0, low_open=True)
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.s = [np.zeros_like(p.data) for p in self.params]
        self.t = [0] * len(self.params)

    def step(self):
        beta1, beta2 = self.betas
        for i, p in self._params_with_grad():
            self.t[i] += 1
            step_size = self.lr / (1 - beta1 ** self.t[i])  # folds m̂'s correction into the step
            s_correction = math.sqrt(1 - beta2 ** self.t[i])
            m, s, scratch = self.m[i], self.s[i], self._scratch_for(i)
            m *= beta1
            m += np.multiply(p.grad, 1 - beta1, out=scratch)
            s *= beta2
            s += np.multiply(np.multiply(p.grad, 1 - beta2, out=scratch), p.grad, out=scratch)
            denominator = np.sqrt(s, out=scratch)
            denominator /= s_correction
            denominator += self.eps
            p.data -= np.multiply(np.divide(m, denominator, out=scratch), step_size, out=scratch)
