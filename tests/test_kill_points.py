"""Kill a run at every point of every save: what the next run finds is a whole save, never a mix.

A kill is simulated at the level of the file operations runfiles performs (each write, flush,
fsync, rename and unlink): operation k raises, and so does every operation after it, so that
nothing cleans up, as after a SIGKILL. Each test first counts the operations of an uninterrupted
run, then kills at every one of them in turn.
"""

import os
from pathlib import Path

import pytest
from test_train import three_blobs

from tinygrad_edu.data import safe_paths
from tinygrad_edu.train import (
    AutogradLearner,
    Checkpoint,
    ReportLearner,
    fit,
    max_weight_difference,
    runfiles,
)
from tinygrad_edu.train.runfiles import (
    finish_replacing,
    remove_stale_temps,
    replace_together,
    replacing_pending,
)

SIZES = [12, 8, 3]
SETTINGS = dict(epochs=3, batch_size=100, lr=0.05, schedule="cosine", patience=10)


class Killed(BaseException):
    """A simulated SIGKILL (a BaseException, so that no `except Exception` swallows it)."""


class Killer:
    """Counts runfiles' file operations and kills at number `at` (None: never)."""

    def __init__(self, at=None):
        self.at, self.count, self.dead, self.renamed = at, 0, False, []

    def step(self, operation):
        if self.dead:  # a killed process runs nothing more, not even its cleanup
            raise Killed(operation)
        self.count += 1
        if self.count == self.at:
            self.dead = True
            raise Killed(operation)


class KillingFile:
    def __init__(self, f, killer):
        self._f, self._killer = f, killer

    def write(self, data):
        self._killer.step("write")
        return self._f.write(data)

    def flush(self):
        self._killer.step("flush")
        return self._f.flush()

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()  # the kernel closes a killed process's files too


class KillingOs:
    def __init__(self, killer):
        self._killer = killer

    def __getattr__(self, name):
        real = getattr(os, name)
        if name not in ("replace", "fsync", "unlink"):
            return real

        def operation(*args):
            self._killer.step(name)
            result = real(*args)
            if name == "replace":
                self._killer.renamed.append(Path(args[1]).name)
            return result

        return operation


def kill_at(monkeypatch, killer):
    """Route runfiles' file operations (and the renames of data.safe_paths it calls) through `killer`."""
    monkeypatch.setattr(runfiles, "os", KillingOs(killer))
    monkeypatch.setattr(safe_paths, "os", KillingOs(killer))

    def killing_open(path, mode="r", *args, **kwargs):
        f = open(path, mode, *args, **kwargs)
        return KillingFile(f, killer) if "w" in mode else f

    monkeypatch.setattr(runfiles, "open", killing_open, raising=False)


@pytest.fixture(scope="module")
def blobs():
    """300 training, 100 validation points."""
    return three_blobs(SIZES[0], 300, 100)


def make_learners():
    autograd = AutogradLearner(SIZES, "relu", "adam", 0.8, "float64", seed=0)
    report = ReportLearner(SIZES, "relu", "adam", 0.8, "float64", seed=0)
    report.set_weights(autograd.get_weights())
    return [autograd, report]


def without_seconds(histories):
    return {name: {k: v for k, v in h.items() if k != "seconds"} if isinstance(h, dict) else h
            for name, h in histories.items()}


def test_a_kill_at_any_point_of_any_checkpoint_save_resumes_bit_exact(blobs, tmp_path, monkeypatch):
    reference = make_learners()
    expected = without_seconds(fit(reference, *blobs, **SETTINGS, log=lambda line: None))
    counter = Killer()
    kill_at(monkeypatch, counter)
    fit(make_learners(), *blobs, **SETTINGS, checkpoint=Checkpoint(tmp_path / "count" / "ckpt"),
        log=lambda line: None)
    monkeypatch.undo()
    assert counter.renamed == ["ckpt.npz"] * SETTINGS["epochs"]  # one rename per save: all or nothing
    kill_points = counter.count
    assert kill_points == 4 * SETTINGS["epochs"]  # per save: write, flush, fsync, rename
    resumed_from = set()
    for k in range(1, kill_points + 1):
        folder = tmp_path / f"kill{k}"
        killer = Killer(at=k)
        kill_at(monkeypatch, killer)
        with pytest.raises(Killed):
            fit(make_learners(), *blobs, **SETTINGS, checkpoint=Checkpoint(folder / "ckpt"),
                log=lambda line: None)
        monkeypatch.undo()
        saves = killer.renamed.count("ckpt.npz")  # complete saves before the kill
        lines, learners = [], make_learners()
        histories = fit(learners, *blobs, **SETTINGS, checkpoint=Checkpoint(folder / "ckpt"),
                        log=lines.append)
        if saves:
            assert lines[0].startswith("resuming") and f"after epoch {saves}" in lines[0], (k, lines[0])
        else:
            assert not lines[0].startswith("resuming"), k
        resumed_from.add(saves)
        assert without_seconds(histories) == expected, k
        for a, b in zip(reference, learners):
            assert max_weight_difference(a, b) == 0.0, k
        remove_stale_temps(folder)
        assert sorted(p.name for p in folder.iterdir()) == ["ckpt.npz"], k
    assert resumed_from == {0, 1, 2}  # kills in the first, second and third save
    print(f"{kill_points} kill points in {SETTINGS['epochs']} checkpoint saves")


OLD = {"history.json": b"old history", "weights_autograd.npz": b"old autograd",
       "weights_report.npz": b"old report", "loss.png": b"old plot"}
# None: the new run makes no plot, so the old plot goes with the old set.
NEW = {"history.json": b"new history", "weights_autograd.npz": b"new autograd",
       "weights_report.npz": b"new report", "loss.png": None}


def write_set(folder, files):
    replace_together(folder, {name: (None if data is None else lambda f, d=data: f.write(d))
                              for name, data in files.items()})


def on_disk(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


def test_a_kill_at_any_point_of_the_final_save_leaves_the_old_set_or_the_new_one(tmp_path, monkeypatch):
    old = {name: data for name, data in OLD.items()}
    new = {name: data for name, data in NEW.items() if data is not None}
    counter = Killer()
    (tmp_path / "count").mkdir()
    write_set(tmp_path / "count", OLD)
    kill_at(monkeypatch, counter)
    write_set(tmp_path / "count", NEW)
    monkeypatch.undo()
    assert on_disk(tmp_path / "count") == new
    outcomes = []
    for k in range(1, counter.count + 1):
        folder = tmp_path / f"kill{k}"
        write_set(folder, OLD)
        kill_at(monkeypatch, Killer(at=k))
        with pytest.raises(Killed):
            write_set(folder, NEW)
        monkeypatch.undo()
        if not replacing_pending(folder):  # before the commit point: the old set, whole
            assert on_disk(folder) == old, k
        finish_replacing(folder)  # what the next run into the folder does first
        remove_stale_temps(folder)
        found = on_disk(folder)
        assert found in (old, new), (k, found)
        assert not [p.name for p in folder.iterdir() if p.name.startswith(".")], k
        outcomes.append("new" if found == new else "old")
    assert "old" in outcomes and "new" in outcomes
    print(f"{counter.count} kill points in the final save; old set kept at {outcomes.count('old')}, "
          f"new set completed at {outcomes.count('new')}")
