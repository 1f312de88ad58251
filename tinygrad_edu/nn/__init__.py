"""Layers, networks and losses on the Tensor engine, with PyTorch's names (lesson 6).

One layer family per module: `module` (the base class), `linear`, `activation`,
`container` (Sequential, MLP), `loss`; `functional` holds the fused ops they call.
"""

from tinygrad_edu.nn import functional
from tinygrad_edu.nn.activation import ACTIVATIONS, Hardtanh, ReLU, Sigmoid, Tanh
from tinygrad_edu.nn.container import MLP, Sequential
from tinygrad_edu.nn.linear import Linear
from tinygrad_edu.nn.loss import cross_entropy
from tinygrad_edu.nn.module import Module

__all__ = [
    "Module", "Linear", "ReLU", "Sigmoid", "Tanh", "Hardtanh", "Sequential", "MLP",
    "cross_entropy", "functional", "ACTIVATIONS",
]
