"""Training the same MLP both ways, in lockstep (lesson 7): `fit`.

Two `Learner`s share one interface, so one loop drives both on the same
mini-batches: `AutogradLearner` (nn.MLP + an optimizer over Tensors) and
`ReportLearner` (the report's ShallowNeuralNetwork with hand-derived backprop).
Started from the same weights, their weights stay equal to rounding in float64
(~1e-16). In float32 the gap starts near 1e-8 but grows slowly: once a
pre-activation rounds to opposite sides of ReLU's kink in the two engines, the
two runs differ by that one step, while their losses stay equal. `fit` records
the largest difference after every epoch.
"""

import math
import time
import zlib

import numpy as np

from tinygrad_edu.data.batches import iterate_minibatches
from tinygrad_edu.train._checks import check_count, check_fit_args, check_learner, check_learners
from tinygrad_edu.train.checkpoint import Checkpoint
from tinygrad_edu.train.learners import Learner


def learning_rate(base_lr, step, total_steps, schedule):
    """lr at `step` of `total_steps`: constant, or cosine-annealed from base_lr to 0."""
    if schedule == "constant":
        return base_lr
    if schedule == "cosine":
        check_count("total_steps", total_steps)
        return base_lr * (1 + math.cos(math.pi * step / total_steps)) / 2
    raise ValueError(f"unknown schedule {schedule!r}; choose constant or cosine")


def max_weight_difference(a, b):
    """max |w_a − w_b| over every weight and bias of two learners (their lockstep gap)."""
    check_learner("max_weight_difference", "a", a, Learner)
    check_learner("max_weight_difference", "b", b, Learner)
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
    check_learners("run_settings", learners, Learner)
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
    check_fit_args(learners, {"x_train": (x_train, y_train), "x_val": (x_val, y_val)}, epochs, batch_size, lr,
                   schedule, seed, patience, full_train_eval, progress, log, checkpoint, Learner, Checkpoint)
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
