"""The numbers the report published, which the reproduction grades against."""

#: What the report published (its Table §3.2): {activation: (test loss, test accuracy)} of the
#: 784-600-400-10 network after its recipe (500 epochs, batch 500, lr 0.01, β 0.8); one run each.
PUBLISHED_RESULTS = {
    "relu": (0.3301, 0.8884),
    "sigmoid": (0.4657, 0.8331),
    "tanh": (0.3426, 0.8799),
    "hardtanh": (0.3408, 0.8852),
}
