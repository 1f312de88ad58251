"""examples/fashion_mnist_cnn.py on a few hundred real images: lockstep with PyTorch, resume, refusals."""

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from tinygrad_edu.data import load_fashion_mnist
from tinygrad_edu.train import max_weight_difference
from tinygrad_edu.train.runfiles import FolderLock

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "fashion_mnist_cnn.py"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
TINY = ["--train-limit", "256", "--test-limit", "200"]
KEYS = {"settings", "histories", "max_weight_difference", "test_accuracy"}


def load_example():
    spec = importlib.util.spec_from_file_location("fashion_mnist_cnn_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_example(*args, cwd=None):
    return subprocess.run([sys.executable, str(EXAMPLE), *args], capture_output=True, text=True, timeout=300,
                          env=ENV, cwd=cwd)


def history(folder):
    return json.loads((Path(folder) / "history.json").read_text())


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("cnn")
    result = run_example(*TINY, "--epochs", "2", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out, result.stdout


def test_history_has_the_keys_the_lesson_reads(tiny_run):
    out, _ = tiny_run
    record = history(out)
    assert set(record) == KEYS
    assert set(record["histories"]) == set(record["test_accuracy"]) == {"autograd", "torch"}
    for engine, metrics in record["histories"].items():
        assert set(metrics) == {"train_loss", "test_accuracy", "epoch_seconds"}
        assert all(len(values) == 2 for values in metrics.values())
        assert record["test_accuracy"][engine] == metrics["test_accuracy"][-1]
        assert metrics["train_loss"][1] < metrics["train_loss"][0] < np.log(10) + 0.1  # it learns
    assert len(record["max_weight_difference"]) == 2
    assert record["settings"]["epochs"] == 2 and record["settings"]["lr"] == 0.03
    assert "out" not in record["settings"]  # an absolute path (here /tmp/…) is left out


def test_float32_lockstep_keeps_both_engines_together(tiny_run):
    out, stdout = tiny_run
    record = history(out)
    assert max(record["max_weight_difference"]) < 1e-3  # rounding, not a divergence
    accuracies = [record["histories"][e]["test_accuracy"] for e in ("autograd", "torch")]
    assert np.allclose(*accuracies, atol=0.02)
    assert "largest weight difference between the engines" in stdout


def test_weights_files_load_into_either_network(tiny_run):
    out, _ = tiny_run
    example = load_example()
    args = example.parse_args(TINY)
    ours, theirs = example.AutogradCNN(args), example.TorchCNN(args)
    with np.load(out / "weights_torch.npz", allow_pickle=False) as f:
        state = dict(f)
    ours.model.load_state_dict(state)
    theirs.model.load_state_dict({name: torch.from_numpy(array) for name, array in state.items()})
    assert max_weight_difference(ours, theirs) == 0.0
    x, y = example.load_data(args)[2:]
    assert ours.evaluate(x, y)[1] == pytest.approx(history(out)["test_accuracy"]["torch"], abs=0.02)


def test_the_settings_keep_a_relative_out_path():
    example = load_example()
    settings = example.recorded_settings(example.parse_args(["--out", "results/cnn/x", "--data-dir", "/d"]))
    assert settings["out"] == "results/cnn/x" and "data_dir" not in settings


def test_float64_lockstep_agrees_to_rounding_over_the_first_steps():
    example = load_example()
    args = example.parse_args(["--dtype", "float64", "--seed", "3"])
    learners = example.make_learners(args)
    data = load_fashion_mnist(dtype="float64")
    x, y = data.x_train[:160].reshape(-1, 1, 28, 28), data.y_train[:160]
    assert max_weight_difference(*learners) == 0.0  # the same start
    for step in range(5):
        xb, yb = x[step * 32 : (step + 1) * 32], y[step * 32 : (step + 1) * 32]
        losses = [learner.train_step(xb, yb, 0.03) for learner in learners]
        assert losses[0][0] == pytest.approx(losses[1][0], rel=1e-12) and losses[0][1] == losses[1][1]
        assert max_weight_difference(*learners) < 1e-12, step
    moved = example.make_learners(args)[0]
    assert max_weight_difference(learners[0], moved) > 1e-3  # the steps did move the weights


def run_in_process(argv, capsys):
    """main(argv) in this process (no interpreter or torch start-up): (stdout, stderr); SIGTERM restored."""
    previous = signal.getsignal(signal.SIGTERM)
    try:
        load_example().main(argv)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return capsys.readouterr()


def test_a_killed_run_resumes_to_the_uninterrupted_history(tmp_path, capsys):
    flags = ["--train-limit", "128", "--test-limit", "64", "--batch-size", "32", "--epochs", "2",
             "--checkpoint"]
    run_in_process([*flags, "--out", str(tmp_path / "whole")], capsys)
    out = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, str(EXAMPLE), *flags, "--out", str(out)], env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while not (out / "checkpoint.npz").exists() and time.monotonic() < deadline:  # epoch 1 is saved
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)  # no tidy exit: the checkpoint's atomic save is what counts
    proc.wait(timeout=60)
    assert not (out / "history.json").exists()  # killed before the end
    stdout, _ = run_in_process([*flags, "--out", str(out)], capsys)
    assert "resuming from" in stdout
    records = [history(folder) for folder in (tmp_path / "whole", out)]
    for engine in ("autograd", "torch"):
        for metric in ("train_loss", "test_accuracy"):
            assert records[0]["histories"][engine][metric] == records[1]["histories"][engine][metric]
    assert records[0]["max_weight_difference"] == records[1]["max_weight_difference"]
    assert records[0]["test_accuracy"] == records[1]["test_accuracy"]
    with pytest.raises(SystemExit) as refused:  # a resume with other settings
        run_in_process([*flags, "--lr", "0.01", "--out", str(out)], capsys)
    assert "--lr: 0.03 in the checkpoint, 0.01 now" in str(refused.value)


def test_sigterm_says_how_to_resume(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, str(EXAMPLE), *TINY, "--epochs", "3", "--checkpoint", "--engine",
                             "autograd", "--out", str(out)], env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 240
    while not (out / "checkpoint.npz").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted by SIGTERM: rerun the same command to resume" in stderr


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--epochs", "0"], "--epochs: must be > 0, got 0"),
        (["--epochs", "-2"], "--epochs: must be > 0, got -2"),
        (["--epochs", "1.5"], "--epochs"),
        (["--out", ""], "--out: is empty: name a file or folder"),
        (["--data-dir", ""], "--data-dir: is empty"),
        (["--batch-size", "0"], "--batch-size: must be > 0"),
        (["--lr", "nan"], "--lr: must be a finite number > 0, got nan"),
        (["--lr", "0"], "--lr: must be > 0, got 0"),
        (["--momentum", "1"], "--momentum: must be in [0, 1), got 1"),
        (["--seed", "-1"], "--seed: must be ≥ 0, got -1"),
        (["--train-limit", "0"], "--train-limit: must be > 0"),
        (["--test-limit", "x"], "--test-limit"),
        (["--engine", "jax"], "invalid choice: 'jax'"),
        (["--dtype", "float16"], "invalid choice: 'float16'"),
    ],
)
def test_bad_flags_are_refused_before_anything_is_written(tmp_path, flags, message):
    result = run_example(*flags, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_out_that_is_a_file_or_in_use_is_refused_naming_it(tmp_path):
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder")
    result = run_example(*TINY, "--out", str(a_file))
    assert result.returncode == 1 and f"--out {a_file} cannot be used" in result.stderr
    assert "it is a file" in result.stderr
    busy = tmp_path / "busy"
    with FolderLock(busy):
        result = run_example(*TINY, "--out", str(busy))
    assert result.returncode == 1 and f"--out {busy}" in result.stderr
    assert f"in use by another process (pid {os.getpid()}" in result.stderr


def test_an_out_with_a_symlink_at_an_output_is_refused_and_the_target_untouched(tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("mine")
    out = tmp_path / "out"
    out.mkdir()
    (out / "weights_torch.npz").symlink_to(precious)
    result = run_example(*TINY, "--out", str(out))
    assert result.returncode == 1 and f"--out {out}" in result.stderr and "symlink" in result.stderr
    assert precious.read_text() == "mine"


def test_missing_data_names_the_folder_and_writes_nothing(tmp_path):
    missing = tmp_path / "nowhere"
    result = run_example(*TINY, "--data-dir", str(missing), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert str(missing) in result.stderr and "dataset-fashion-mnist" in result.stderr
    assert not (tmp_path / "out").exists()
