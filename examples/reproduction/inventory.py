"""Every checkable statement of the report, paragraph by paragraph, and where this reproduction grades it.

Each entry is (section, what the report says in our words, how it is handled). The handling is
either a tuple of claim prefixes, which name verdicts of the table (their numbers are looked up,
so the list cannot drift from the table), or a sentence saying why there is no verdict.
"""

CLAIMS = [
    ("§1.1", "a shallow network can reach 87 % accuracy on the test data",
     ("§1.1: the network reaches",)),
    ("§1.2", "Fashion-MNIST holds 60000 training and 10000 test images of 28 × 28 pixels, labels 0–9",
     "recipe, enforced: tinygrad_edu/data.py refuses files whose headers give other shapes"),
    ("§1.2", "each image becomes a 784-vector, each label a 10-long one-hot vector",
     "recipe, followed by tinygrad_edu/data.py and the report engine"),
    ("§1.2", "the training images are split at random 55000 : 5000 into training and validation sets",
     "recipe, followed (recipe table): every run holds out 5000 images, chosen by its seed"),
    ("§1.2", "every pixel is divided by 255", "recipe, followed by tinygrad_edu/data.py"),
    ("§2.1", "two hidden layers of 600 and 400 ReLU units, a softmax output, cross-entropy loss",
     "recipe, followed (recipe table): every activation run is 784-600-400-10"),
    ("§2.2", "a weight's gradient is its layer's δ times that layer's input, and δ follows the "
             "backward recursion through the next layer's weights and act'",
     "checked by tests/test_report.py (the δ-recursion against central differences), not a result"),
    ("§2.2", "the text sums the loss over the samples, while Listing 2 divides every gradient by the "
             "batch size (the mean)",
     "not graded: a difference of scale (the code, which we follow, is what trained)"),
    ("§2.3", "the momentum update as printed trains the network", ("§2.3 as printed",)),
    ("§2.3", "the momentum update as the code ran trains the network", ("§2.3 as the code ran",)),
    ("§2.3", "momentum gets stuck in local minima or saddle points less often than plain mini-batch SGD",
     "not graded: it needs plain-SGD runs, and a loss curve cannot tell a local minimum or saddle "
     "from slow progress"),
    ("§2.3, Fig. 2", "after about 200 epochs the validation loss starts to rise (overfitting)",
     ("Fig. 2:",)),
    ("§2.3", "overfitting can be seen on the validation data but not on the training data alone",
     ("§2.3: only the validation data",)),
    ("§2.3", "the other hyperparameters were chosen by watching training and validation loss",
     "not graded: a description of how the report worked, with no runs shown"),
    ("§2.4", "500 epochs, batch 500, learning rate 0.01, β 0.8",
     "recipe, followed (recipe table): the `report` preset of examples/fashion_mnist.py"),
    ("§2.4", "changing the number of layers means rewriting the forward and backward code",
     "not graded: about the report's own code (tinygrad_edu/report.py takes any list of sizes)"),
    ("§2.4, Fig. 3", "around 500 epochs the validation loss is steady, no longer clearly falling",
     ("§2.4, Fig. 3:",)),
    ("§2.4, Fig. 4", "by then the validation accuracy is above 87 %",
     ("§2.4, Fig. 3–4:", "§2.4, Fig. 4:")),
    ("§2.4", "on the test data the ReLU network scores accuracy 0.8884 and loss 0.3301",
     ("Table §3.2: ReLU test",)),
    ("§3.1, Fig. 5", "more hidden layers lower the training loss and raise the training accuracy",
     ("§3.1, Fig. 5: training",)),
    ("§3.1", "the validation accuracy need not rise with them", ("§3.1, Fig. 5: validation accuracy need",)),
    ("§3.1, Fig. 5", "beyond 2 hidden layers the validation loss rises",
     ("§3.1, Fig. 5: validation loss",)),
    ("§3.1", "beyond 2 hidden layers the validation (test) accuracy falls",
     ("§3.1, Fig. 5: validation accuracy falls", "§3.1, Fig. 5: test accuracy")),
    ("§3.1", "the cause is overfitting of a too complex model",
     "not graded on its own: an explanation; what can be seen of it (training loss falls while "
     "validation loss rises) is graded by the §3.1 loss claims"),
    ("§3.2", "only the activation changes between the four runs; every other hyperparameter stays",
     "recipe, followed (recipe table): the runs differ only in --activation"),
    ("§3.2", "the table of test loss and accuracy for ReLU, sigmoid, tanh and hard tanh",
     ("Table §3.2:",)),
    ("§3.2, Fig. 6–11", "the curves of sigmoid, tanh and hard tanh", ("Fig. 6–11:",)),
    ("§3.2", "sigmoid and tanh converge more slowly than ReLU and hard tanh",
     ("§3.2, Fig. 6–11: sigmoid and tanh",)),
    ("§3.2", "after the same number of epochs they predict the test data less accurately",
     ("§3.2: after the same epochs",)),
]


def verdict_numbers(prefixes, found):
    """The 1-based numbers of the verdicts whose claim starts with any of `prefixes`."""
    return [i for i, v in enumerate(found, start=1) if v.claim.startswith(prefixes)]


def inventory_table(found):
    """Markdown: every statement, and its verdicts (number and status) or why it has none."""
    rows = ["| where | the report says (in our words) | graded |", "|---|---|---|"]
    for where, says, handled in CLAIMS:
        if isinstance(handled, tuple):
            numbers = verdict_numbers(handled, found)
            if not numbers:
                raise ValueError(f"inventory: no verdict's claim starts with {handled}")
            handled = ", ".join(f"#{i} ({found[i - 1].status})" for i in numbers)
        rows.append(f"| {where} | {says} | {handled} |")
    graded = sum(isinstance(h, tuple) for _, _, h in CLAIMS)
    return "\n".join(rows) + (f"\n\n{len(CLAIMS)} statements: {graded} graded by a verdict above, "
                              f"{len(CLAIMS) - graded} recipe or not gradable (the reason is given).")
