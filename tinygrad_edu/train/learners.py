"""Learners: a network plus its update rule, one interface for both engines (lesson 7).

`ModuleLearner` is any nn.Module + an optimizer over Tensors (examples/fashion_mnist_cnn.py
trains a CNN with it); `AutogradLearner` is the one of nn.MLP; `ReportLearner` is the
report's ShallowNeuralNetwork with its hand-derived backprop. `fit` drives them all.
"""

import numpy as np

from tinygrad_edu import nn, optim
from tinygrad_edu.autograd import Tensor, no_grad
from tinygrad_edu.data.batches import one_hot
from tinygrad_edu.report import ShallowNeuralNetwork
from tinygrad_edu.train._checks import check_beta, check_count, check_data, check_lr
from tinygrad_edu.train._prefix import prefixed, unprefixed

OPTIMIZERS = ("sgd", "momentum", "adam")


class Learner:
    """A network plus its update rule; subclasses define the methods below.

    `settings` ({"sizes", "activation", "optimizer", "beta", "dtype"}) is what a checkpoint
    compares before resuming.
    """

    name = "learner"

    def _record_settings(self, sizes, activation, optimizer, beta, dtype):
        self.settings = {"sizes": [int(n) for n in sizes], "activation": activation, "optimizer": optimizer,
                         "beta": beta, "dtype": np.dtype(dtype).name}

    def train_step(self, x, labels, lr):
        """One mini-batch update at learning rate `lr`; returns (mean loss, number correct)."""
        raise NotImplementedError

    def evaluate(self, x, labels):
        """(mean cross-entropy, accuracy) over a data set, without training."""
        raise NotImplementedError

    def get_weights(self):
        """[(weight (out, in), bias (out,)), …] as numpy copies, input layer first."""
        raise NotImplementedError

    def set_weights(self, weights):
        raise NotImplementedError

    def state_arrays(self):
        """{name: array} of everything training changes (weights, optimizer buffers), for checkpoints."""
        raise NotImplementedError

    def load_state_arrays(self, arrays):
        raise NotImplementedError


class ModuleLearner(Learner):
    """Any nn.Module trained through Tensor.backward() by an optim optimizer: a CNN, an MLP, …

    `settings` ({name: JSON value}, e.g. the architecture and the optimizer's parameters) is what a
    checkpoint compares before resuming. Weights are the (weight, bias) pair of every layer that
    has parameters, input side first, so every layer must have both (Linear, Conv2d do).
    """

    name = "autograd"

    def __init__(self, model, optimizer, settings):
        for name, value, kind, what in (("model", model, nn.Module, "an nn.Module"),
                                        ("optimizer", optimizer, optim.Optimizer, "an optim optimizer"),
                                        ("settings", settings, dict, "a dict of JSON values")):
            if not isinstance(value, kind):
                raise TypeError(f"ModuleLearner: {name} must be {what}, got {type(value).__name__}")
        _check_layers(model)
        self.model, self.optimizer, self.settings = model, optimizer, dict(settings)

    def train_step(self, x, labels, lr):
        check_lr(lr)
        self.optimizer.lr = lr
        logits = self.model(Tensor(x))
        loss = nn.cross_entropy(logits, labels)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.item(), int((logits.data.argmax(axis=1) == labels).sum())

    @no_grad()
    def evaluate(self, x, labels, chunk_size=10_000):
        """(mean cross-entropy, accuracy) in eval mode (Dropout off, BatchNorm's running statistics)."""
        check_data("x", x, labels)
        check_count("chunk_size", chunk_size)
        loss_sum, correct = 0.0, 0
        was_training = self.model.training
        self.model.eval()
        try:
            for start in range(0, len(x), chunk_size):
                xc, yc = x[start : start + chunk_size], labels[start : start + chunk_size]
                logits = self.model(Tensor(xc))
                loss_sum += nn.cross_entropy(logits, yc).item() * len(yc)
                correct += int((logits.data.argmax(axis=1) == yc).sum())
        finally:
            self.model.train(was_training)
        return loss_sum / len(x), correct / len(x)

    def get_weights(self):
        arrays = [p.data.copy() for _, p in self.model.named_parameters()]
        return list(zip(arrays[::2], arrays[1::2]))

    def set_weights(self, weights):
        """Load (weight, bias) pairs as `get_weights` gives them; shapes checked, never half-loaded."""
        if not isinstance(weights, (list, tuple)):
            raise TypeError(f"set_weights: weights must be a list of (weight, bias) pairs, "
                            f"got {type(weights).__name__}")
        names = [name for name, _ in self.model.named_parameters()]
        if len(weights) != len(names) // 2:
            raise ValueError(f"set_weights: expected {len(names) // 2} (weight, bias) pairs, "
                             f"got {len(weights)}")
        for k, pair in enumerate(weights):
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                raise ValueError(f"set_weights: item {k} must be a (weight, bias) pair, got {pair!r:.60}")
        self.model.load_state_dict(dict(zip(names, (array for pair in weights for array in pair))))

    def state_arrays(self):
        return {**prefixed("model/", self.model.state_dict()),
                **prefixed("optim/", self.optimizer.state_dict())}

    def load_state_arrays(self, arrays):
        _check_arrays(arrays)
        self.model.load_state_dict(unprefixed("model/", arrays))
        self.optimizer.load_state_dict(unprefixed("optim/", arrays))


def _check_layers(model):
    """ValueError unless the parameters come as (….weight, ….bias) of one layer after another."""
    names = [name for name, _ in model.named_parameters()]
    pairs = list(zip(names[::2], names[1::2]))
    if len(names) % 2 or any(not w.endswith("weight") or b != w[: -len("weight")] + "bias" for w, b in pairs):
        raise ValueError(f"ModuleLearner: every layer with parameters needs a weight and a bias, got {names}")


class AutogradLearner(ModuleLearner):
    """nn.MLP trained through Tensor.backward() with an optim optimizer."""

    def __init__(self, sizes, activation, optimizer, beta, dtype, seed):
        model = nn.MLP(sizes, activation, dtype=dtype, seed=seed)  # checks the sizes first
        self._record_settings(sizes, activation, optimizer, beta, dtype)
        super().__init__(model, _make_optimizer(optimizer, model.parameters(), beta), self.settings)


class ReportLearner(Learner):
    """The report's ShallowNeuralNetwork: feed_forward, back_propagate, then an update.

    "sgd" and "momentum" use the report's own `optimize`; "adam" runs optim.Adam
    over Tensors that share memory with the network's arrays, so that both
    learners can follow the same Adam recipe.
    """

    name = "report"

    def __init__(self, sizes, activation, optimizer, beta, dtype, seed):
        if optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {optimizer!r}; choose one of {OPTIMIZERS}")
        check_beta(beta)
        self.net = ShallowNeuralNetwork(sizes, activation=activation, dtype=dtype, seed=seed)
        self._record_settings(sizes, activation, optimizer, beta, dtype)
        self.optimizer, self.beta = optimizer, beta
        self.n_classes = sizes[-1]
        self._adam = None
        if optimizer == "adam":
            params = self.net.params.items()
            self._views = {key: Tensor.from_numpy(p, requires_grad=True) for key, p in params}
            self._adam = optim.Adam(list(self._views.values()), lr=1e-3)

    def train_step(self, x, labels, lr):
        check_lr(lr)
        y = one_hot(labels, self.n_classes, dtype=self.net.dtype)
        output = self.net.feed_forward(x)
        grads = self.net.back_propagate(y, output)
        if self._adam is None:
            self.net.optimize(lr, self.optimizer, self.beta)
        else:
            for key, view in self._views.items():
                view.grad = grads[key]
            self._adam.lr = lr
            self._adam.step()
        loss = self.net.cross_entropy_loss(y, output)
        return loss, int((output.argmax(axis=0) == labels).sum())

    def evaluate(self, x, labels):
        return self.net.evaluate(x, one_hot(labels, self.n_classes, dtype=self.net.dtype))

    def get_weights(self):
        return self.net.get_weights()

    def set_weights(self, weights):
        self.net.set_weights(weights)

    def state_arrays(self):
        arrays = {**prefixed("params/", self.net.params), **prefixed("velocity/", self.net.velocity)}
        return {**arrays, **prefixed("adam/", self._adam.state_dict() if self._adam else {})}

    def load_state_arrays(self, arrays):
        """Restore what state_arrays() returned; names, shapes and kinds must match, or nothing changes."""
        _check_arrays(arrays)
        groups = {"params/": self.net.params, "velocity/": self.net.velocity}
        own = {f"{name}{key}": array for name, group in groups.items() for key, array in group.items()}
        check_state_arrays(own, {key: a for key, a in arrays.items() if not key.startswith("adam/")})
        adam_state = unprefixed("adam/", arrays)
        if self._adam:
            self._adam.load_state_dict(adam_state)  # checks everything before it changes anything
        elif adam_state:
            raise KeyError(f"load_state_arrays: Adam state {sorted(adam_state)}, no Adam here")
        for key, array in own.items():
            array[...] = arrays[key]


LEARNERS = {"autograd": AutogradLearner, "report": ReportLearner}


def _check_arrays(arrays):
    if not isinstance(arrays, dict):
        raise TypeError(f"load_state_arrays: arrays must be a dict of arrays, got {type(arrays).__name__}")


def check_state_arrays(own, given):
    """Refuse `given` ({name: array}) unless it has exactly the names of `own`, each a float array
    of the same shape: a state saved by another network, optimizer or learner is named, not
    broadcast into this one."""
    missing, unexpected = sorted(own.keys() - given.keys()), sorted(given.keys() - own.keys())
    if missing or unexpected:
        raise KeyError(f"load_state_arrays: missing {missing}, unexpected {unexpected}")
    for key, array in own.items():
        other = np.asarray(given[key])
        if other.dtype.kind != "f":
            raise TypeError(f"load_state_arrays: {key!r} holds {other.dtype} values, not floats")
        if other.shape != array.shape:
            raise ValueError(f"load_state_arrays: {key!r} has shape {other.shape}, here {array.shape}")


def _make_optimizer(name, params, beta):
    """The optim object for "sgd", "momentum" (the report's rule) or "adam"; lr is set per step."""
    if name == "sgd":
        return optim.SGD(params, lr=1.0)
    if name == "momentum":  # v ← βv + (1−β)g; w ← w − ηv
        return optim.SGD(params, lr=1.0, momentum=beta, dampening=beta)
    if name == "adam":
        return optim.Adam(params, lr=1.0)
    raise ValueError(f"unknown optimizer {name!r}; choose one of {OPTIMIZERS}")
