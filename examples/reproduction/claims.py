"""What the homework report says: the numbers it printed and the recipe it trained with."""

from tinygrad_edu.report import PUBLISHED_RESULTS

#: Table of §3.2: (test loss, test accuracy) after 500 epochs; one run each, no spread given.
REPORT_TABLE = PUBLISHED_RESULTS
ACTIVATIONS = tuple(REPORT_TABLE)
PRETTY = {"relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh", "hardtanh": "hard tanh"}
REPORT_VAL_ACCURACY = 0.87  # §2.4: "validation accuracy passes 87 %"
REPORT_OVERFIT_EPOCH = 200  # Fig. 2: "validation loss starts rising after about 200 epochs"
LR, BETA, BATCH = 0.01, 0.8, 500  # the report's recipe (also the `report` preset of fashion_mnist.py)

#: The report's figures, by number and title (Fig. 1 is a drawing of the network: no data to redraw).
REPORT_FIGURES = {
    1: "Architecture of model",
    2: "Overfitting Example",
    3: "ReLU: Train v.s. Validation loss",
    4: "ReLU: Train v.s. Validation accuracy",
    5: "Loss in different Layers",
    6: "Sigmoid: Train v.s. Validation loss",
    7: "Sigmoid: Train v.s. Validation accuracy",
    8: "tanh: Train v.s. Validation loss",
    9: "tanh: Train v.s. Validation accuracy",
    10: "Hard tanh: Train v.s. Validation loss",
    11: "Hard tanh: Train v.s. Validation accuracy",
}
#: Which of our figure files redraws which of the report's figures.
FIGURE_NUMBERS = {"overfitting.png": 2, "relu-loss.png": 3, "relu-accuracy.png": 4, "depth.png": 5,
                  "sigmoid-loss.png": 6, "sigmoid-accuracy.png": 7, "tanh-loss.png": 8,
                  "tanh-accuracy.png": 9, "hardtanh-loss.png": 10, "hardtanh-accuracy.png": 11}


def report_figure(name):
    """'Figure N: title' of the report's figure that our file `name` redraws."""
    number = FIGURE_NUMBERS[name]
    return f"Figure {number}: {REPORT_FIGURES[number]}"
