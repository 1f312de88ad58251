"""Learning-rate schedules that set an optimizer's `lr` step by step."""

import math
import numbers

import numpy as np

from tinygrad_edu.optim._checks import check_range
from tinygrad_edu.optim.optimizer import Optimizer


class CosineAnnealingLR:
    """lr_t = lr_min + (lr_0 − lr_min)(1 + cos(π t / T)) / 2, for t = 0 … T; call `step()` once per t."""

    def __init__(self, optimizer, T_max, eta_min=0.0):
        if not isinstance(optimizer, Optimizer):
            kind = type(optimizer).__name__
            raise TypeError(f"CosineAnnealingLR: optimizer must be an Optimizer, got {kind}")
        if not isinstance(T_max, numbers.Integral) or isinstance(T_max, (bool, np.bool_)) or T_max < 1:
            raise ValueError(f"CosineAnnealingLR: T_max must be a positive integer, got {T_max!r}")
        T_max = int(T_max)
        eta_min = check_range("eta_min", eta_min, low=0.0)
        self.optimizer, self.T_max, self.eta_min = optimizer, T_max, eta_min
        self.base_lr, self.t = optimizer.lr, 0

    def step(self):
        self.t = min(self.t + 1, self.T_max)
        cosine = (1 + math.cos(math.pi * self.t / self.T_max)) / 2
        self.optimizer.lr = self.eta_min + (self.base_lr - self.eta_min) * cosine
