"""examples/fashion_mnist.py end to end on the real data, small settings."""

import fcntl
import importlib.util
import json
import os
import pty
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
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
    assert not list(out.glob("*.tmp")) and not list(out.glob("tmp*")) and not list(out.glob(".*.json"))
    for name in ("history.json", "loss.png", "weights_report.npz"):  # the umask's permissions, not 0600
        assert (out / name).stat().st_mode & 0o777 == 0o666 & ~current_umask(), name


def current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_under_a_pipe_the_log_has_one_line_per_epoch_and_no_progress_bar(tmp_path):
    flags = ["--epochs", "2", "--sizes", "784,8,10", "--batch-size", "50", "--train-limit", "1000",
             "--no-plots", "--out", str(tmp_path)]  # 20 batches per epoch
    result = run_example(*flags)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and "\r" not in result.stdout
    lines = result.stdout.splitlines()
    assert [line[:11] for line in lines if line.startswith("epoch")] == ["epoch   1/2", "epoch   2/2"]
    assert len(lines) == 7  # settings, 2 epochs, 2 test results, the engines' gap, the files written


def test_a_closed_output_pipe_stops_the_run_with_a_note_not_a_traceback(tmp_path):
    flags = ["--epochs", "3", "--sizes", "784,8,10", "--batch-size", "100", "--train-limit", "1000",
             "--no-plots", "--checkpoint", "--out", str(tmp_path)]  # as `fashion_mnist.py ... | head -1`
    proc = subprocess.Popen([sys.executable, str(EXAMPLE), *flags], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().startswith("fast preset")
    proc.stdout.close()  # the reader goes away after the first line
    stderr = proc.stderr.read()
    assert proc.wait(timeout=120) == 141, stderr  # 128 + SIGPIPE
    assert "Traceback" not in stderr and "the output's reader went away (a closed pipe)" in stderr
    assert "rerun the same command to resume" in stderr


def test_on_a_terminal_a_progress_bar_is_drawn(tmp_path):
    controller, terminal = pty.openpty()
    # A terminal of 100 columns (a new one has 0, where tqdm draws nothing).
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    flags = ["--epochs", "1", "--sizes", "784,8,10", "--batch-size", "50", "--train-limit", "1000",
             "--no-plots", "--out", str(tmp_path)]
    proc = subprocess.Popen([sys.executable, str(EXAMPLE), *flags], stdout=terminal, stderr=terminal)
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # EIO: the terminal's other end closed
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    assert proc.wait(timeout=300) == 0, output.decode(errors="replace")
    assert b"\repoch 1:" in output  # tqdm's frames: "\repoch 1:  45%|████▌ | 9/20"


def test_a_run_replaces_the_previous_runs_outputs_as_a_set(tiny_run, tmp_path):
    out, _ = tiny_run
    shutil.copytree(out, tmp_path / "out")
    result = run_example(*TINY, "--engine", "report", "--no-plots", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    # The autograd engine's weights and the plots were the earlier run's: they go with it.
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == [
        "history.json", "weights_report.npz"]
    record = json.loads((tmp_path / "out" / "history.json").read_text())
    assert set(record["results"]) == {"report"}


def test_sigterm_stops_a_run_that_a_rerun_resumes_bit_exact(tmp_path):
    flags = ["--epochs", "3", "--sizes", "784,8,10", "--batch-size", "100", "--train-limit", "2000",
             "--schedule", "constant", "--no-plots", "--checkpoint"]
    uninterrupted = run_example(*flags, "--out", str(tmp_path / "whole"))
    assert uninterrupted.returncode == 0, uninterrupted.stderr
    out = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, str(EXAMPLE), *flags, "--out", str(out)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not (out / "checkpoint.npz").exists() and time.monotonic() < deadline:  # epoch 1 is saved
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted by SIGTERM: rerun the same command to resume" in stderr
    resumed = run_example(*flags, "--out", str(out))
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming from" in resumed.stdout
    histories = [json.loads((folder / "history.json").read_text())["histories"]
                 for folder in (tmp_path / "whole", out)]
    for engine in ("autograd", "report"):
        assert histories[0][engine]["val_loss"] == histories[1][engine]["val_loss"]


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
