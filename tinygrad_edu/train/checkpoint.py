"""Checkpoints: a training run's state in one file, saved all or nothing, resumed only by its own run."""

import io
import json
import math
from pathlib import Path

import numpy as np

from tinygrad_edu.train._checks import check_learners, check_run_state
from tinygrad_edu.train._prefix import prefixed, unprefixed
from tinygrad_edu.train.learners import Learner
from tinygrad_edu.train.runfiles import FileFormatError, atomic_write, read_npz


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
        if settings is not None and not isinstance(settings, dict):
            kind = type(settings).__name__
            raise TypeError(f"Checkpoint: settings must be a dict of JSON values, got {kind}")
        self.settings = dict(settings or {})
        self.old_json = self.path.with_suffix(".json")
        self.legacy = False

    def exists(self):
        return self.path.exists() or self.old_json.exists()

    def save(self, state, learners, rng, best_weights, settings):
        check_run_state("Checkpoint.save", state, rng)
        check_learners("Checkpoint.save", learners, Learner)
        arrays = {}
        for k, learner in enumerate(learners):
            arrays.update(prefixed(learner.name + "/", learner.state_arrays()))
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
        check_learners("Checkpoint.load", learners, Learner)
        check_run_state("Checkpoint.load", {}, rng)
        arrays, record = self.check()
        saved_settings, epoch = record.pop("settings"), record["epoch"]
        differences = [] if saved_settings is None else settings_differences(saved_settings, settings, epoch)
        if differences:
            raise SettingsMismatch(self.path, differences)
        if record.pop("learners") != [x.name for x in learners]:  # before any learner is changed
            raise SettingsMismatch(self.path, [("learners", "other learners", [x.name for x in learners])])
        try:
            for learner in learners:
                learner.load_state_arrays(unprefixed(learner.name + "/", arrays))
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
        return record, best_weights

    def verify_legacy(self, learners, state, x_val, y_val):
        """Refuse a two-file checkpoint whose weights do not give the validation loss its record holds."""
        check_learners("Checkpoint.verify_legacy", learners, Learner)
        check_run_state("Checkpoint.verify_legacy", state)
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
