"""Optimizers: SGD with momentum (the report's rule among its settings) and Adam (lesson 7).

Each `step()` updates the parameters in place from their `.grad`, under the
formulas in the class docstrings; g is a parameter's gradient, w the parameter.

A step allocates no arrays: each parameter has a scratch array of its own shape,
kept by the optimizer, into which the update's terms (such as lr · v) are written
with numpy's `out=` before they are applied, rather than megabytes of fresh
temporaries per step.
"""

from tinygrad_edu.optim.adam import Adam
from tinygrad_edu.optim.lr_scheduler import CosineAnnealingLR
from tinygrad_edu.optim.optimizer import Optimizer
from tinygrad_edu.optim.sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "CosineAnnealingLR"]
