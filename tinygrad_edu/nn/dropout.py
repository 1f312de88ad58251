"""Dropout: zero random inputs while training, so no unit can rely on one other (lesson 6).

Inverted dropout, as in PyTorch: each element is kept with probability 1 − p and
scaled by 1/(1 − p), so the expected output equals the input and `eval()` needs
no rescaling: there the layer passes its input on unchanged.
"""

import numbers

import numpy as np

from tinygrad_edu.autograd.ops.arithmetic import times_constant
from tinygrad_edu.autograd.tensor import Tensor
from tinygrad_edu.nn._checks import check_seed
from tinygrad_edu.nn.module import Module


def check_p(owner, p):
    """p as a float in [0, 1]; ValueError (TypeError for a non-number) naming `owner` otherwise."""
    if isinstance(p, bool) or not isinstance(p, numbers.Real):
        raise TypeError(f"{owner}: p must be a number in [0, 1], got {type(p).__name__} {p!r}")
    if not 0 <= p <= 1:  # also refuses nan
        raise ValueError(f"{owner}: dropout probability p must be in [0, 1], got {p!r}")
    return float(p)


def make_rng(owner, rng):
    """`rng` if it is a numpy Generator, else a new one seeded by it (None: fresh entropy), as nn.Linear."""
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(check_seed(owner, rng))


def dropout(input, p=0.5, training=True, rng=None):
    """z = x ⊙ m / (1 − p), m ~ Bernoulli(1 − p) per element (z = 0 for p = 1)  →  dx = g ⊙ m / (1 − p)

    With training=False, `input` itself is returned. `rng`: a numpy Generator or a seed.
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"dropout: input must be a Tensor, got {type(input).__name__}")
    p = check_p("dropout", p)
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(f"dropout: training must be True or False, got {training!r}")
    rng = make_rng("dropout", rng)
    if not training:
        return input
    keep = rng.random(input.shape) >= p  # True with probability 1 − p
    scale = 0.0 if p == 1 else 1 / (1 - p)
    return times_constant(input, (keep * scale).astype(input.dtype))


class Dropout(Module):
    """Dropout(p) zeroes each element with probability p in training, scaling the rest by 1/(1 − p).

    Its masks come from one numpy Generator, `rng` (a Generator, or a seed for one):
    the same seed gives the same masks, call after call.
    """

    def __init__(self, p=0.5, rng=None):
        self.p = check_p("Dropout", p)
        self.rng = make_rng("Dropout", rng)

    def forward(self, x):
        return dropout(x, self.p, self.training, self.rng)

    def __repr__(self):
        return f"Dropout(p={self.p})"
