"""Training the same MLP both ways, in lockstep (lesson 7).

Two `Learner`s share one interface, so one loop drives both on the same
mini-batches: `AutogradLearner` (nn.MLP + an optimizer over Tensors) and
`ReportLearner` (the report's ShallowNeuralNetwork with hand-derived backprop).
Started from the same weights, their weights stay equal to rounding in float64
(~1e-16). In float32 the gap starts near 1e-8 but grows slowly: once a
pre-activation rounds to opposite sides of ReLU's kink in the two engines, the
two runs differ by that one step, while their losses stay equal. `fit` records
the largest difference after every epoch.
"""

import io
import json
import math
import time
import zlib
from pathlib import Path

import numpy as np

from tinygrad_edu import nn, optim
from tinygrad_edu.autograd import no_grad
from tinygrad_edu.data import iterate_minibatches, one_hot
from tinygrad_edu.report import ShallowNeuralNetwork
from tinygrad_edu.runfiles import FileFormatError, atomic_write, read_npz
from tinygrad_edu.tensor import Tensor

__all__ = ["AutogradLearner", "ReportLearner", "LEARNERS", "OPTIMIZERS", "fit", "Checkpoint",
           "CheckpointError", "SettingsMismatch", "TrainingDiverged", "learning_rate",
           "max_weight_difference", "atomic_write"]

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


class AutogradLearner(Learner):
    """nn.MLP trained through Tensor.backward() with an optim optimizer."""

    name = "autograd"

    def __init__(self, sizes, activation, optimizer, beta, dtype, seed):
        self._record_settings(sizes, activation, optimizer, beta, dtype)
        self.model = nn.MLP(sizes, activation, dtype=dtype, seed=seed)
        self.optimizer = _make_optimizer(optimizer, self.model.parameters(), beta)

    def train_step(self, x, labels, lr):
        self.optimizer.lr = lr
        logits = self.model(Tensor(x))
        loss = nn.cross_entropy(logits, labels)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.item(), int((logits.data.argmax(axis=1) == labels).sum())

    @no_grad()
    def evaluate(self, x, labels, chunk_size=10_000):
        loss_sum, correct = 0.0, 0
        for start in range(0, len(x), chunk_size):
            xc, yc = x[start : start + chunk_size], labels[start : start + chunk_size]
            logits = self.model(Tensor(xc))
            loss_sum += nn.cross_entropy(logits, yc).item() * len(yc)
            correct += int((logits.data.argmax(axis=1) == yc).sum())
        return loss_sum / len(x), correct / len(x)

    def get_weights(self):
        return self.model.get_weights()

    def set_weights(self, weights):
        self.model.set_weights(weights)

    def state_arrays(self):
        return {**_prefixed("model/", self.model.state_dict()),
                **_prefixed("optim/", self.optimizer.state_dict())}

    def load_state_arrays(self, arrays):
        self.model.load_state_dict(_unprefixed("model/", arrays))
        self.optimizer.load_state_dict(_unprefixed("optim/", arrays))


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
        self._record_settings(sizes, activation, optimizer, beta, dtype)
        self.net = ShallowNeuralNetwork(sizes, activation=activation, dtype=dtype, seed=seed)
        self.optimizer, self.beta = optimizer, beta
        self.n_classes = sizes[-1]
        self._adam = None
        if optimizer == "adam":
            self._views = {key: Tensor(p, requires_grad=True) for key, p in self.net.params.items()}
            self._adam = optim.Adam(list(self._views.values()), lr=1e-3)

    def train_step(self, x, labels, lr):
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
        arrays = {**_prefixed("params/", self.net.params), **_prefixed("velocity/", self.net.velocity)}
        return {**arrays, **_prefixed("adam/", self._adam.state_dict() if self._adam else {})}

    def load_state_arrays(self, arrays):
        for name, group in (("params/", self.net.params), ("velocity/", self.net.velocity)):
            for key, array in _unprefixed(name, arrays).items():
                group[key][...] = array
        if self._adam:
            self._adam.load_state_dict(_unprefixed("adam/", arrays))


def _prefixed(prefix, arrays):
    return {prefix + key: array for key, array in arrays.items()}


def _unprefixed(prefix, arrays):
    return {key[len(prefix):]: array for key, array in arrays.items() if key.startswith(prefix)}


LEARNERS = {"autograd": AutogradLearner, "report": ReportLearner}


def _make_optimizer(name, params, beta):
    """The optim object for "sgd", "momentum" (the report's rule) or "adam"; lr is set per step."""
    if name == "sgd":
        return optim.SGD(params, lr=1.0)
    if name == "momentum":  # v ← βv + (1−β)g; w ← w − ηv
        return optim.SGD(params, lr=1.0, momentum=beta, dampening=beta)
    if name == "adam":
        return optim.Adam(params, lr=1.0)
    raise ValueError(f"unknown optimizer {name!r}; choose one of {OPTIMIZERS}")


def learning_rate(base_lr, step, total_steps, schedule):
    """lr at `step` of `total_steps`: constant, or cosine-annealed from base_lr to 0."""
    if schedule == "constant":
        return base_lr
    if schedule == "cosine":
        return base_lr * (1 + math.cos(math.pi * step / total_steps)) / 2
    raise ValueError(f"unknown schedule {schedule!r}; choose constant or cosine")


def max_weight_difference(a, b):
    """max |w_a − w_b| over every weight and bias of two learners (their lockstep gap)."""
    return max(
        float(np.max(np.abs(wa - wb)))
        for pair_a, pair_b in zip(a.get_weights(), b.get_weights())
        for wa, wb in zip(pair_a, pair_b)
    )


class TrainingDiverged(FloatingPointError):
    """A loss became nan or ±inf. The learners are back at their weights of `last_good_epoch`
    (0: the initial weights), and `histories` holds the epochs before it."""

    def __init__(self, learner, epoch, batch, loss, lr, last_good_epoch, histories):
        self.learner, self.epoch, self.batch, self.loss, self.lr = learner, epoch, batch, loss, lr
        self.last_good_epoch, self.histories = last_good_epoch, histories
        where = f"batch {batch}" if batch is not None else "its end-of-epoch evaluation"
        super().__init__(f"training diverged: the {learner} learner's loss is {loss} at epoch {epoch}, "
                         f"{where} "
                         f"(lr {lr:g}); a smaller learning rate usually helps. The weights are back at "
                         f"epoch {last_good_epoch}, the last whose losses were all finite.")


def run_settings(learners, x_train, y_train, x_val, y_val, **settings):
    """What makes a run this run (for checkpoints): the learners' settings, fit's, and the data's shape."""
    record = {"learners": [x.name for x in learners], **settings}
    for learner in learners:
        for key, value in learner.settings.items():
            if record.setdefault(key, value) != value:
                record[f"{learner.name} {key}"] = value
    labels = zlib.crc32(np.ascontiguousarray(y_val).tobytes(),
                        zlib.crc32(np.ascontiguousarray(y_train).tobytes()))
    record["data"] = (f"{len(x_train)} training and {len(x_val)} validation samples of shape "
                      f"{list(np.shape(x_train)[1:])}, labels crc32 {labels:08x}")
    return record


def fit(learners, x_train, y_train, x_val, y_val, *, epochs, batch_size, lr, schedule="constant",
        seed=0, patience=None, full_train_eval=False, progress=None, log=print, checkpoint=None):
    """Train every learner on the same mini-batches; return {name: history}.

    Each epoch shuffles with a generator seeded by `seed`, gives every batch to
    every learner in turn, then records per learner: train loss and accuracy
    (mean over the epoch's batches, or a full pass if `full_train_eval`),
    validation loss and accuracy, and seconds spent. With two learners,
    "max_weight_difference" records their gap. With `patience`, training stops
    once the first learner's validation loss has not improved for that many
    epochs, and every learner goes back to its weights of the best epoch.
    With `checkpoint` (a Checkpoint), the state is saved after every epoch and a
    saved state is resumed from, so an interrupted run continues where it stopped;
    a checkpoint of a run with other settings raises SettingsMismatch.
    At the first loss that is not finite, every learner goes back to the weights
    of the last complete epoch and TrainingDiverged is raised.
    """
    steps_per_epoch = math.ceil(len(x_train) / batch_size)
    total_steps = epochs * steps_per_epoch
    keys = ("train_loss", "train_accuracy", "val_loss", "val_accuracy", "seconds", "lr")
    rng = np.random.default_rng(seed)
    state = {"epoch": 0, "best_val_loss": math.inf, "best_epoch": 0, "stopped": False,
             "histories": {learner.name: {key: [] for key in keys} for learner in learners}}
    if len(learners) == 2:
        state["histories"]["max_weight_difference"] = []
    settings = run_settings(learners, x_train, y_train, x_val, y_val, epochs=epochs, batch_size=batch_size,
                            lr=lr, schedule=schedule, seed=seed, patience=patience,
                            full_train_eval=full_train_eval, **(checkpoint.settings if checkpoint else {}))
    best_weights = None
    if checkpoint is not None and checkpoint.exists():
        state, best_weights = checkpoint.load(learners, rng, settings)
        if checkpoint.legacy:
            checkpoint.verify_legacy(learners, state, x_val, y_val)
            log(f"note: {checkpoint.old_json} is an old-format checkpoint: its weights match its record, but "
                f"its settings were not recorded, so they could not be compared with this run's")
        log(f"resuming from {checkpoint.path} after epoch {state['epoch']}")
    histories = state["histories"]
    good_weights = [learner.get_weights() for learner in learners]  # the last epoch with finite losses

    def diverged(learner, epoch, batch, loss, lr):
        for each, weights in zip(learners, good_weights):
            each.set_weights(weights)
        return TrainingDiverged(learner.name, epoch, batch, loss, lr, epoch - 1, histories)

    for epoch in range(state["epoch"] + 1, epochs + 1):
        if state["stopped"]:
            break
        totals = {learner.name: [0.0, 0, 0.0] for learner in learners}  # loss·n, correct, seconds
        batches = iterate_minibatches(x_train, y_train, batch_size, rng=rng)
        for i, (xb, yb) in enumerate(progress(batches, epoch, steps_per_epoch) if progress else batches):
            step_lr = learning_rate(lr, (epoch - 1) * steps_per_epoch + i, total_steps, schedule)
            for learner in learners:
                start = time.perf_counter()
                loss, correct = learner.train_step(xb, yb, step_lr)
                if not math.isfinite(loss):
                    raise diverged(learner, epoch, i + 1, loss, step_lr)
                total = totals[learner.name]
                total[0] += loss * len(yb)
                total[1] += correct
                total[2] += time.perf_counter() - start
        for learner in learners:
            history, (loss_sum, correct, seconds) = histories[learner.name], totals[learner.name]
            start = time.perf_counter()
            if full_train_eval:  # the report's way: the end-of-epoch weights on every sample
                train_loss, train_accuracy = learner.evaluate(x_train, y_train)
            else:  # free: the mean over the epoch's batches, as the weights were changing
                train_loss, train_accuracy = loss_sum / len(x_train), correct / len(x_train)
            val_loss, val_accuracy = learner.evaluate(x_val, y_val)
            if not (math.isfinite(train_loss) and math.isfinite(val_loss)):
                raise diverged(learner, epoch, None, val_loss if math.isfinite(train_loss) else train_loss,
                               step_lr)
            seconds += time.perf_counter() - start
            values = (train_loss, train_accuracy, val_loss, val_accuracy, seconds, step_lr)
            for key, value in zip(keys, values):
                history[key].append(value)
        if len(learners) == 2:
            histories["max_weight_difference"].append(max_weight_difference(*learners))
        log(_epoch_line(epoch, epochs, learners, histories))
        good_weights = [learner.get_weights() for learner in learners]
        if patience is not None:
            val_loss = histories[learners[0].name]["val_loss"][-1]
            if val_loss < state["best_val_loss"]:
                state["best_val_loss"], state["best_epoch"] = val_loss, epoch
                best_weights = [learner.get_weights() for learner in learners]
            elif epoch - state["best_epoch"] >= patience:
                log(f"early stopping: validation loss has not improved since epoch {state['best_epoch']}")
                state["stopped"] = True
        state["epoch"] = epoch
        if checkpoint is not None:
            checkpoint.save(state, learners, rng, best_weights, settings)
    if patience is not None and best_weights is not None and state["best_epoch"] < state["epoch"]:
        log(f"restoring the weights of epoch {state['best_epoch']}, the best validation loss")
        for learner, weights in zip(learners, best_weights):
            learner.set_weights(weights)
    return histories


def _epoch_line(epoch, epochs, learners, histories):
    """One line of metrics: train and validation loss/accuracy per learner, and their gap."""
    line = f"epoch {epoch:3d}/{epochs}"
    for learner in learners:
        h = histories[learner.name]
        line += (f" | {learner.name}: train {h['train_loss'][-1]:.4f}/{h['train_accuracy'][-1]:.4f}"
                 f" val {h['val_loss'][-1]:.4f}/{h['val_accuracy'][-1]:.4f} {h['seconds'][-1]:.1f}s")
    if len(learners) == 2:
        line += f" | max |Δw| {histories['max_weight_difference'][-1]:.2e}"
    return line


class CheckpointError(ValueError):
    """A checkpoint that cannot be resumed: damaged, in an old format, or saved by another run."""


class SettingsMismatch(CheckpointError):
    """A resume with settings other than the saved run's; `.differences` is [(name, saved, now)]."""

    def __init__(self, path, differences):
        self.path, self.differences = path, differences
        listing = "; ".join(f"{name}: {saved!r} saved, {now!r} now" for name, saved, now in differences)
        super().__init__(f"{path} was saved by a run with other settings ({listing}); resume with the "
                         f"saved settings, or delete {path} to start afresh")


class Checkpoint:
    """A training run's state in one file, `<path>.npz`, so that a save is one rename: all or nothing.

    The file holds every array training changes (weights, optimizer buffers, the best epoch's
    weights) and, as one more array, a JSON record: epoch, rng state, histories, and the run's
    settings. A kill at any point of a save leaves the previous save whole. `settings` (JSON
    values, e.g. data options) add to those `fit` records itself. A resume refuses settings that
    differ, except `epochs`, which may grow on a constant schedule (to extend a run).

    Earlier versions wrote two files, `<path>.npz` and `<path>.json`, renamed one after the other.
    Such a checkpoint still resumes (`legacy` is then True), but only once `fit` has checked that
    the weights reproduce the validation loss the JSON records for that epoch: a kill between the
    two renames paired an epoch's record with the next epoch's weights. Its settings were not
    recorded, so they cannot be compared. The first save in the new format removes the JSON.
    """

    RECORD = "__record__"
    _RECORD_KEYS = {"epoch", "rng", "learners", "has_best_weights", "histories"}

    def __init__(self, path, settings=None):
        self.path = Path(path).with_suffix(".npz")
        self.settings = dict(settings or {})
        self.old_json = self.path.with_suffix(".json")
        self.legacy = False

    def exists(self):
        return self.path.exists() or self.old_json.exists()

    def save(self, state, learners, rng, best_weights, settings):
        arrays = {}
        for k, learner in enumerate(learners):
            arrays.update(_prefixed(learner.name + "/", learner.state_arrays()))
            for i, pair in enumerate(best_weights[k] if best_weights else []):
                arrays[f"best/{learner.name}/{i}/weight"], arrays[f"best/{learner.name}/{i}/bias"] = pair
        record = {**state, "rng": rng.bit_generator.state, "learners": [x.name for x in learners],
                  "has_best_weights": best_weights is not None, "settings": settings}
        arrays[self.RECORD] = np.array(json.dumps(record))
        content = io.BytesIO()  # the whole file in memory first: then one write, one rename
        np.savez(content, **arrays)
        atomic_write(self.path, lambda f: f.write(content.getbuffer()))
        if self.old_json.exists():  # the new file holds everything now
            self.old_json.unlink()
        self.legacy = False

    def check(self):
        """(arrays, record) of a readable checkpoint (settings None if legacy); else CheckpointError."""
        try:
            arrays = read_npz(self.path)
            if self.RECORD in arrays:
                record = json.loads(str(arrays.pop(self.RECORD)[()]))
                self.legacy = False
                missing = (self._RECORD_KEYS | {"settings"}) - set(record)
            elif self.old_json.exists():
                record = {**json.loads(self.old_json.read_text()), "settings": None}
                self.legacy = True
                missing = self._RECORD_KEYS - set(record)
            else:
                raise KeyError(f"no {self.RECORD} record")
            if missing:
                raise KeyError(f"no {', '.join(sorted(missing))} in its record")
        except (FileFormatError, KeyError, ValueError, TypeError, OSError) as error:
            problem = error.problem if isinstance(error, FileFormatError) else error
            raise CheckpointError(f"{self.path}: unusable checkpoint ({problem}); "
                                  f"delete it to start the run afresh") from None
        return arrays, record

    def load(self, learners, rng, settings):
        """Restore the learners and rng in place; return (state, best_weights). Raises CheckpointError."""
        arrays, record = self.check()
        saved_settings, epoch = record.pop("settings"), record["epoch"]
        differences = [] if saved_settings is None else settings_differences(saved_settings, settings, epoch)
        if differences:
            raise SettingsMismatch(self.path, differences)
        try:
            for learner in learners:
                learner.load_state_arrays(_unprefixed(learner.name + "/", arrays))
            best_weights = None
            if record.pop("has_best_weights"):
                best_weights = [
                    [(arrays[f"best/{x.name}/{i}/weight"], arrays[f"best/{x.name}/{i}/bias"])
                     for i in range(len(x.get_weights()))]
                    for x in learners
                ]
            rng.bit_generator.state = record.pop("rng")
        except (KeyError, ValueError, TypeError) as error:
            raise CheckpointError(f"{self.path}: its arrays do not fit this run ({error!r}); "
                                  f"delete it to start afresh") from None
        if record.pop("learners") != [x.name for x in learners]:
            raise SettingsMismatch(self.path, [("learners", "other learners", [x.name for x in learners])])
        return record, best_weights

    def verify_legacy(self, learners, state, x_val, y_val):
        """Refuse a two-file checkpoint whose weights do not give the validation loss its record holds."""
        if not state["epoch"]:
            return
        for learner in learners:
            loss, _ = learner.evaluate(x_val, y_val)
            recorded = state["histories"][learner.name]["val_loss"][-1]
            if not math.isclose(loss, recorded, rel_tol=1e-6):
                raise CheckpointError(
                    f"{self.old_json} and {self.path} do not belong together (an old-format save killed "
                    f"between its two renames): the {learner.name} weights give validation loss {loss!r}, "
                    f"the record says {recorded!r} for epoch {state['epoch']}; delete both to start afresh")


def settings_differences(saved, now, epochs_done):
    """[(name, saved, now)] for every setting that differs, but for `epochs` grown on a constant schedule."""
    now = json.loads(json.dumps(now))  # as the checkpoint holds them: tuples become lists
    missing = "(not recorded)"
    differences = []
    for name in sorted(saved.keys() | now.keys()):
        old, new = saved.get(name, missing), now.get(name, missing)
        extends = (name == "epochs" and saved.get("schedule") == "constant" == now.get("schedule")
                   and isinstance(new, int) and new >= epochs_done)
        if old != new and not extends:
            differences.append((name, old, new))
    return differences
