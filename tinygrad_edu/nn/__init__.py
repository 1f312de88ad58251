"""Layers, networks and losses on the Tensor engine, with PyTorch's names (lesson 6).

One layer family per module: `module` (the base class), `linear`, `activation`,
`container` (Sequential, MLP), `conv`, `pooling`, `dropout`, `normalization`, `loss`;
`fused` holds the report's two fused ops, and `functional` is PyTorch's `F`: every function they call.
"""

from tinygrad_edu.nn import functional
from tinygrad_edu.nn.activation import (
    ACTIVATIONS,
    ELU,
    GELU,
    Hardtanh,
    LeakyReLU,
    LogSigmoid,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softplus,
    Tanh,
)
from tinygrad_edu.nn.container import MLP, Sequential
from tinygrad_edu.nn.conv import Conv2d
from tinygrad_edu.nn.dropout import Dropout
from tinygrad_edu.nn.linear import Linear
from tinygrad_edu.nn.loss import CrossEntropyLoss, NLLLoss, cross_entropy, nll_loss
from tinygrad_edu.nn.module import Module
from tinygrad_edu.nn.normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from tinygrad_edu.nn.pooling import AvgPool2d, Flatten, MaxPool2d

__all__ = [
    "Module", "Linear", "ReLU", "Sigmoid", "Tanh", "Hardtanh", "Sequential", "MLP",
    "LeakyReLU", "ELU", "GELU", "SiLU", "Softplus", "LogSigmoid", "ReLU6",
    "Conv2d", "MaxPool2d", "AvgPool2d", "Flatten", "cross_entropy", "functional", "ACTIVATIONS",
    "Dropout", "BatchNorm1d", "BatchNorm2d", "LayerNorm", "nll_loss", "CrossEntropyLoss", "NLLLoss",
]
