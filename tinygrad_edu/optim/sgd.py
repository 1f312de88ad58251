"""SGD, with momentum, dampening and Nesterov as in PyTorch: the report's rule among its settings."""

import numpy as np

from tinygrad_edu.optim._checks import check_range
from tinygrad_edu.optim.optimizer import Optimizer


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum (PyTorch's parameters).

        v ← μ v + (1 − dampening) g          (v starts at 0; only if momentum μ > 0)
        w ← w − lr · v                        (or w − lr · (g + μ v) with nesterov=True)

    The report's rule  v ← βv + (1−β)g; w ← w − ηv  is SGD(lr=η, momentum=β, dampening=β).
    One difference from PyTorch: PyTorch's first step sets v = g, ignoring
    dampening; here v starts at 0, as in the report, so the two agree from step 1.
    """

    _buffers = ("velocity",)

    def __init__(self, params, lr, momentum=0.0, dampening=0.0, nesterov=False):
        super().__init__(params, lr)
        momentum = check_range("momentum", momentum, low=0.0, high=1.0)
        dampening = check_range("dampening", dampening, low=0.0, high=1.0)
        if not isinstance(nesterov, (bool, np.bool_)):
            raise TypeError(f"SGD: nesterov must be True or False, got {nesterov!r}")
        nesterov = bool(nesterov)
        if nesterov and (momentum == 0 or dampening != 0):
            raise ValueError(
                f"SGD: nesterov=True needs momentum > 0 and dampening = 0, "
                f"got momentum={momentum} and dampening={dampening}"
            )
        self.momentum, self.dampening, self.nesterov = momentum, dampening, nesterov
        self.velocity = [np.zeros_like(p.data) for p in self.params] if momentum else None

    def step(self):
        for i, p in self._params_with_grad():
            scratch = self._scratch_for(i)
            direction = p.grad
            if self.momentum:
                v = self.velocity[i]
                v *= self.momentum
                if self.dampening:
                    v += np.multiply(p.grad, 1 - self.dampening, out=scratch)
                else:  # (1 − 0) · g is g: skip a pass over the array
                    v += p.grad
                direction = v
                if self.nesterov:
                    direction = np.add(p.grad, np.multiply(v, self.momentum, out=scratch), out=scratch)
            p.data -= np.multiply(direction, self.lr, out=scratch)
