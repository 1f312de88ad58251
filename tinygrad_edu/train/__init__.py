"""Training the same MLP both ways, in lockstep, with crash-safe run files (lesson 7).

    learners.py     ModuleLearner (any nn.Module + optim), AutogradLearner (its MLP) and ReportLearner
                    (the report's network), one interface
    loop.py         fit: both learners on the same mini-batches, histories, early stopping, divergence
    checkpoint.py   a run's state in one file, resumed only with the settings it was saved with
    runfiles.py     crash-safe files: atomic writes, outputs replaced as a set, checked .npz, a folder lock
    script.py       what the example scripts share: flag types, the --out claim, a run's frame
"""

from tinygrad_edu.train.checkpoint import Checkpoint, CheckpointError, SettingsMismatch
from tinygrad_edu.train.learners import LEARNERS, OPTIMIZERS, AutogradLearner, ModuleLearner, ReportLearner
from tinygrad_edu.train.loop import TrainingDiverged, fit, learning_rate, max_weight_difference, run_settings
from tinygrad_edu.train.runfiles import atomic_write

__all__ = ["ModuleLearner", "AutogradLearner", "ReportLearner", "LEARNERS", "OPTIMIZERS", "fit",
           "run_settings", "Checkpoint", "CheckpointError", "SettingsMismatch", "TrainingDiverged",
           "learning_rate", "max_weight_difference", "atomic_write"]
