"""examples/fashion_mnist.py end to end on the real data, small settings."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "fashion_mnist.py"
TINY = ["--epochs", "1", "--sizes", "784,16,10", "--batch-size", "500", "--lr", "0.5"]


def load_example():
    spec = importlib.util.spec_from_file_location("fashion_mnist_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_example(*args):
    return subprocess.run([sys.executable, str(EXAMPLE), *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("fashion_mnist")
    result = run_example(*TINY, "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out, result.stdout


def test_both_engines_train_in_lockstep_and_report_their_gap(tiny_run):
    out, stdout = tiny_run
    record = json.loads((out / "history.json").read_text())
    assert set(record["results"]) == {"autograd", "report", "max_weight_difference"}
    assert record["results"]["max_weight_difference"] < 1e-4  # float32 rounding, not a divergence
    for engine in ("autograd", "report"):
        assert record["results"][engine]["test_accuracy"] > 0.6  # one epoch of a tiny net
    assert "largest weight difference between the engines" in stdout


def test_the_reports_numbers_are_quoted_only_beside_its_own_network_and_activation(tiny_run):
    _, stdout = tiny_run
    assert "test accuracy" in stdout and "(report" not in stdout  # 784-16-10 is not the report's net
    example = load_example()
    sigmoid = example.published_results(example.parse_args(["--activation", "sigmoid"]))
    assert sigmoid == " (report, sigmoid: 0.4657 / 0.8331)"  # the table's sigmoid row, not ReLU's
    assert "0.3301 / 0.8884" in example.published_results(example.parse_args([]))


def test_outputs_are_written_and_weights_load_without_pickle(tiny_run):
    out, _ = tiny_run
    for name in ("loss.png", "accuracy.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with np.load(out / "weights_report.npz", allow_pickle=False) as f:
        assert tuple(f["sizes"]) == (784, 16, 10)
        assert str(f["activation"]) == "relu"
        assert f["W1"].shape == (16, 784) and f["b2"].shape == (10,)
    assert not list(out.glob("*.tmp")) and not list(out.glob("tmp*"))


def test_evaluate_mode_reproduces_the_saved_test_accuracy(tiny_run):
    out, _ = tiny_run
    saved = json.loads((out / "history.json").read_text())["results"]["report"]["test_accuracy"]
    result = run_example("--evaluate", str(out / "weights_report.npz"), "--engine", "report")
    assert result.returncode == 0, result.stderr
    assert f"test accuracy {saved:.4f}" in result.stdout


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--lr", "-0.1"], "--lr: must be > 0"),
        (["--batch-size", "0"], "--batch-size: must be > 0"),
        (["--activation", "softsign"], "invalid choice: 'softsign'"),
        (["--sizes", "100,10"], "must start at 784"),
        (["--sizes", "784,32,9"], "end at 10"),
        (["--beta", "1.0"], "--beta: must be in [0, 1)"),
        (["--validation", "60000"], "leaves no training images"),
    ],
)
def test_bad_flags_are_refused_with_a_message(flags, message):
    result = run_example(*flags)
    assert result.returncode == 2
    assert message in result.stderr


def test_missing_data_names_the_folder_and_the_package(tmp_path):
    missing = tmp_path / "nowhere"
    result = run_example(*TINY, "--data-dir", str(missing), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert str(missing) in result.stderr and "dataset-fashion-mnist" in result.stderr
    assert not (tmp_path / "out").exists()
