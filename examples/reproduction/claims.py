"""What the homework report says: the numbers it printed and the recipe it trained with."""

from tinygrad_edu.report import PUBLISHED_RESULTS

#: Table of §3.2: (test loss, test accuracy) after 500 epochs; one run each, no spread given.
REPORT_TABLE = PUBLISHED_RESULTS
ACTIVATIONS = tuple(REPORT_TABLE)
PRETTY = {"relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh", "hardtanh": "hard tanh"}
REPORT_VAL_ACCURACY = 0.87  # §2.4: "validation accuracy passes 87 %"
REPORT_OVERFIT_EPOCH = 200  # Fig. 2: "validation loss starts rising after about 200 epochs"
LR, BETA, BATCH = 0.01, 0.8, 500  # the report's recipe (also the `report` preset of fashion_mnist.py)
