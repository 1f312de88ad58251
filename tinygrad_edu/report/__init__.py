"""The report's network: hand-derived backprop by the δ-recursion, pure numpy (lesson 5).

    network.py       ShallowNeuralNetwork: feed_forward, back_propagate (the δ-recursion), optimize, train
    activations.py   the four hidden-layer activations beside their derivatives, and softmax
    published.py     the numbers the report published
    _checks.py       the argument checks, so that network.py reads like the derivation

Nothing here imports the rest of tinygrad_edu (only numpy and the standard
library): when the engines and this package agree on a gradient, two separate
derivations agree, not one piece of code with itself.
"""

from tinygrad_edu.report._checks import OPTIMIZERS
from tinygrad_edu.report.activations import ACTIVATIONS, hardtanh, relu, sigmoid, softmax, tanh
from tinygrad_edu.report.network import ShallowNeuralNetwork
from tinygrad_edu.report.published import PUBLISHED_RESULTS

__all__ = [
    "ShallowNeuralNetwork", "PUBLISHED_RESULTS", "ACTIVATIONS", "OPTIMIZERS",
    "relu", "sigmoid", "tanh", "hardtanh", "softmax",
]
