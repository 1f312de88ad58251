"""Training the same MLP both ways, in lockstep, with crash-safe run files (lesson 7).

    learners.py     AutogradLearner (nn + optim) and ReportLearner (the report's network), one interface
    loop.py         fit: both learners on the same mini-batches, histories, early stopping, divergence
    checkpoint.py   a run's state in one file, resumed only with the settings it was saved with
    runfiles.py     crash-safe files: atomic writes, outputs replaced as a set, checked .npz, a folder lock
"""

from tinygrad_edu.train.checkpoint import Checkpoint, CheckpointError, SettingsMismatch
from tinygrad_edu.train.learners import LEARNERS, OPTIMIZERS, AutogradLearner, ReportLearner
from tinygrad_edu.train.loop import TrainingDiverged, fit, learning_rate, max_weight_difference, run_settings
from tinygrad_edu.train.runfiles import atomic_write

__all__ = ["AutogradLearner", "ReportLearner", "LEARNERS", "OPTIMIZERS", "fit", "run_settings", "Checkpoint",
           "CheckpointError", "SettingsMismatch", "TrainingDiverged", "learning_rate",
           "max_weight_difference", "atomic_write"]
