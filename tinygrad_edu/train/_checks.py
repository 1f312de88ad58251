"""Argument checks of the training loop and the learners: each names the argument and the problem."""

import math
import numbers

import numpy as np

SCHEDULES = ("constant", "cosine")


def check_count(name, value, low=1):
    """ValueError unless `value` is an int ≥ low (numpy integers too; a bool is not a count)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < low:
        raise ValueError(f"{name} must be an int ≥ {low}, got {value!r:.40}")


def check_lr(lr):
    """ValueError unless the learning rate is a finite number > 0 (numpy floats too)."""
    real = isinstance(lr, numbers.Real) and not isinstance(lr, (bool, np.bool_))
    if not real or not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a finite number > 0, got {lr!r:.40}")


def check_beta(beta):
    """ValueError unless 0 ≤ beta < 1 (the momentum coefficient)."""
    real = isinstance(beta, numbers.Real) and not isinstance(beta, (bool, np.bool_))
    if not real or not 0 <= beta < 1:  # nan fails 0 ≤ beta
        raise ValueError(f"beta must be a number with 0 ≤ beta < 1, got {beta!r:.40}")


def check_data(name, x, labels):
    """ValueError unless x holds samples (at least one) and labels one per sample."""
    if np.ndim(x) < 2 or len(x) == 0:
        raise ValueError(f"{name} must be a non-empty array (samples, features), got shape {np.shape(x)}")
    if np.shape(labels) != (len(x),):
        raise ValueError(f"{name}: {len(x)} samples but labels of shape {np.shape(labels)}")


def check_fit_args(learners, data, epochs, batch_size, lr, schedule, seed, patience, full_train_eval,
                   progress, log, checkpoint, learner_class, checkpoint_class):
    """Every argument of `fit`, before any training: a typo fails at once, not after an epoch."""
    if not isinstance(learners, (list, tuple)) or not learners:
        raise ValueError(f"learners must be a non-empty list of learners, got {learners!r:.60}")
    for i, learner in enumerate(learners):
        if not isinstance(learner, learner_class):
            raise TypeError(f"learners[{i}] must be a learner (AutogradLearner, ReportLearner), "
                            f"got {type(learner).__name__}")
    for name, (x, labels) in data.items():
        check_data(name, x, labels)
    check_count("epochs", epochs)
    check_count("batch_size", batch_size)
    check_lr(lr)
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}; choose one of {SCHEDULES}")
    check_count("seed", seed, low=0)
    if patience is not None:
        check_count("patience", patience)
    if not isinstance(full_train_eval, (bool, np.bool_)):
        raise TypeError(f"full_train_eval must be True or False, got {full_train_eval!r:.40}")
    for name, value in (("progress", progress), ("log", log)):
        if not callable(value) and not (name == "progress" and value is None):
            raise TypeError(f"{name} must be callable, got {type(value).__name__}")
    if checkpoint is not None and not isinstance(checkpoint, checkpoint_class):
        raise TypeError(f"checkpoint must be a Checkpoint or None, got {type(checkpoint).__name__}")


def check_learners(owner, learners, learner_class):
    """TypeError unless `learners` is a non-empty list or tuple of learners (what fit trains)."""
    if not isinstance(learners, (list, tuple)) or not learners:
        raise TypeError(f"{owner}: learners must be a non-empty list of learners, got {learners!r:.60}")
    for i, learner in enumerate(learners):
        check_learner(owner, f"learners[{i}]", learner, learner_class)


def check_learner(owner, name, learner, learner_class):
    """TypeError unless `learner` is one (AutogradLearner, ReportLearner or a subclass)."""
    if not isinstance(learner, learner_class):
        raise TypeError(f"{owner}: {name} must be a learner (AutogradLearner, ReportLearner), "
                        f"got {type(learner).__name__}")


def check_run_state(owner, state, rng=None):
    """TypeError unless `state` is fit's dict (epoch, histories, ...) and `rng` a numpy Generator."""
    if not isinstance(state, dict):
        raise TypeError(f"{owner}: state must be the training state dict, got {type(state).__name__}")
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise TypeError(f"{owner}: rng must be a numpy.random.Generator, got {type(rng).__name__}")
