"""The scripts' bad-input catalogue: every case exits non-zero, early, with a message naming the problem.

One row per case: the script, its arguments ({files} is a folder of prepared bad files, {out}
a fresh output folder), the exit status, and fragments the error output must contain. Add a
row for every new way to misuse a script.
"""

import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tinygrad_edu.data import find_data_dir
from tinygrad_edu.train.runfiles import FolderLock

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "fashion_mnist.py"
REPRODUCE = REPO / "examples" / "reproduce_report.py"
CNN = REPO / "examples" / "fashion_mnist_cnn.py"
BENCH_CNN = REPO / "benchmarks" / "bench_cnn.py"
CNN_TINY = ["--epochs", "1", "--train-limit", "64", "--test-limit", "64"]
TINY = ["--epochs", "1", "--sizes", "784,4,10", "--batch-size", "500", "--train-limit", "1000",
        "--validation", "500", "--no-plots"]


def npz(path, **arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    path.write_bytes(buffer.getvalue())


def weights(sizes=(784, 4, 10), shapes=None, activation="relu", drop=()):
    """The arrays of a weights file for `sizes`; `shapes` overrides the layer sizes of the arrays."""
    shapes = shapes or sizes
    arrays = {"sizes": np.array(sizes), "activation": np.array(activation)}
    for k in range(1, len(shapes)):
        arrays[f"W{k}"] = np.zeros((shapes[k], shapes[k - 1]), np.float32)
        arrays[f"b{k}"] = np.zeros(shapes[k], np.float32)
    return {name: array for name, array in arrays.items() if name not in drop}


def forged_header(path):
    """A weights file whose W1 header claims a (10⁹, 784) array: 3 TB, if anyone believed it."""
    good = io.BytesIO()
    np.savez(good, **weights())
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False,
                                                  "shape": (10**9, 784)})
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, header.getvalue() + bytes(64) if name == "W1.npy" else data)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad_files")
    npz(folder / "good.npz", **weights())
    good = (folder / "good.npz").read_bytes()
    (folder / "empty.npz").write_bytes(b"")
    (folder / "truncated.npz").write_bytes(good[: len(good) // 2])
    flipped = bytearray(good)
    flipped[good.index(b"W1.npy") + 200] ^= 0x01  # one bit inside W1's data: only the CRC tells
    (folder / "bitflip.npz").write_bytes(bytes(flipped))
    np.save(folder / "single.npy", np.zeros((4, 784), np.float32))
    (folder / "notes.txt").write_text("epoch 1 | loss 0.5\n")
    npz(folder / "huge_sizes.npz", **weights(sizes=(784, 10**9, 10), shapes=(784, 4, 10)))
    forged_header(folder / "forged_header.npz")
    npz(folder / "objects.npz", **weights(), extra=np.array([{"a": 1}], dtype=object))
    npz(folder / "no_sizes.npz", **weights(drop=("sizes",)))
    npz(folder / "wrong_input.npz", **weights(sizes=(100, 4, 10)))
    npz(folder / "bad_activation.npz", **weights(activation="swish"))
    npz(folder / "missing_layer.npz", **weights(drop=("W2",)))
    (folder / "a_file").write_text("not a folder")
    (folder / "folder.npz").mkdir()
    return folder


# (case, script, arguments, exit status, fragments of stderr)
CASES = [
    ("out empty", EXAMPLE, ["--out", ""], 2, ["--out: is empty: name a file or folder"]),
    ("data-dir empty", EXAMPLE, ["--data-dir", ""], 2, ["--data-dir: is empty"]),
    ("results empty", REPRODUCE, ["--results", ""], 2, ["--results: is empty"]),
    ("seed negative", EXAMPLE, ["--seed", "-1"], 2, ["--seed: must be ≥ 0, got -1"]),
    ("seed not a number", EXAMPLE, ["--seed", "x"], 2, ["--seed: expected a whole number, got 'x'"]),
    ("lr inf", EXAMPLE, ["--lr", "inf"], 2, ["--lr: must be a finite number > 0, got inf"]),
    ("lr nan", EXAMPLE, ["--lr", "nan"], 2, ["--lr: must be a finite number > 0, got nan"]),
    ("lr -inf", EXAMPLE, ["--lr=-inf"], 2, ["--lr: must be a finite number > 0"]),
    ("lr zero", EXAMPLE, ["--lr", "0"], 2, ["--lr: must be > 0, got 0"]),
    ("beta nan", EXAMPLE, ["--beta", "nan"], 2, ["--beta: must be in [0, 1), got nan"]),
    ("epochs fraction", EXAMPLE, ["--epochs", "1.5"], 2, ["--epochs", "'1.5'"]),
    ("sizes empty width", EXAMPLE, ["--sizes", "784,,10"], 2, ["--sizes", "comma-separated integers"]),
    ("sizes zero width", EXAMPLE, ["--sizes", "784,0,10"], 2, ["--sizes", "positive widths"]),
    ("evaluate missing", EXAMPLE, ["--evaluate", "{files}/nothing.npz"], 1,
     ["{files}/nothing.npz", "No such file"]),
    ("evaluate folder", EXAMPLE, ["--evaluate", "{files}/folder.npz"], 1,
     ["{files}/folder.npz", "directory"]),
    ("evaluate empty", EXAMPLE, ["--evaluate", "{files}/empty.npz"], 1, ["{files}/empty.npz", "is empty"]),
    ("evaluate truncated", EXAMPLE, ["--evaluate", "{files}/truncated.npz"], 1,
     ["{files}/truncated.npz", "damaged"]),
    ("evaluate bit flip", EXAMPLE, ["--evaluate", "{files}/bitflip.npz"], 1,
     ["{files}/bitflip.npz", "damaged", "CRC"]),
    ("evaluate .npy", EXAMPLE, ["--evaluate", "{files}/single.npy"], 1,
     ["{files}/single.npy", "single .npy array, not an .npz"]),
    ("evaluate text", EXAMPLE, ["--evaluate", "{files}/notes.txt"], 1,
     ["{files}/notes.txt", "not an .npz archive", "the text 'epoch 1"]),
    ("evaluate huge sizes", EXAMPLE, ["--evaluate", "{files}/huge_sizes.npz"], 1,
     ["{files}/huge_sizes.npz", "W1 is float32 (4, 784)", "(1000000000, 784)"]),
    ("evaluate forged header", EXAMPLE, ["--evaluate", "{files}/forged_header.npz"], 1,
     ["{files}/forged_header.npz", "claims shape (1000000000, 784)", "holds 64 bytes"]),
    ("evaluate pickled objects", EXAMPLE, ["--evaluate", "{files}/objects.npz"], 1,
     ["{files}/objects.npz", "Python objects"]),
    ("evaluate no sizes", EXAMPLE, ["--evaluate", "{files}/no_sizes.npz"], 1,
     ["{files}/no_sizes.npz", "no sizes"]),
    ("evaluate wrong input width", EXAMPLE, ["--evaluate", "{files}/wrong_input.npz"], 1,
     ["sizes [100, 4, 10] should start at 784"]),
    ("evaluate unknown activation", EXAMPLE, ["--evaluate", "{files}/bad_activation.npz"], 1,
     ["activation should be one of", "swish"]),
    ("evaluate missing layer", EXAMPLE, ["--evaluate", "{files}/missing_layer.npz"], 1,
     ["needs W2, which is missing"]),
    ("out is a file", EXAMPLE, [*TINY, "--out", "{files}/a_file"], 1,
     ["--out {files}/a_file", "it is a file"]),
    ("reproduce results is a file", REPRODUCE, ["--summarize-only", "--results", "{files}/a_file"], 1,
     ["--results {files}/a_file cannot be used", "it is a file"]),
    ("reproduce results under /dev/null", REPRODUCE, ["--quick", "--results", "/dev/null/x"], 1,
     ["--results /dev/null/x", "Not a directory"]),
    ("out under /dev/null", EXAMPLE, [*TINY, "--out", "/dev/null/x"], 1,
     ["--out /dev/null/x", "Not a directory"]),
    ("cnn out empty", CNN, ["--out", ""], 2, ["--out: is empty: name a file or folder"]),
    ("cnn epochs zero", CNN, ["--epochs", "0"], 2, ["--epochs: must be > 0, got 0"]),
    # 10000 BLAS threads were taken, and the machine's load average went past 1000
    ("cnn thousands of threads", CNN, ["--blas-threads", "10000"], 2, ["--blas-threads: must be at most"]),
    ("mlp thousands of threads", EXAMPLE, ["--blas-threads", "10000"], 2, ["--blas-threads: must be"]),
    ("cnn momentum one", CNN, ["--momentum", "1"], 2, ["--momentum: must be in [0, 1), got 1"]),
    ("cnn out is a file", CNN, [*CNN_TINY, "--out", "{files}/a_file"], 1,
     ["--out {files}/a_file", "it is a file"]),
    ("cnn out under /dev/null", CNN, [*CNN_TINY, "--out", "/dev/null/x"], 1,
     ["--out /dev/null/x", "Not a directory"]),
    ("reproduce seeds negative", REPRODUCE, ["--seeds", "-1", "2"], 2, ["seeds must be ≥ 0"]),
    ("reproduce jobs zero", REPRODUCE, ["--jobs", "0"], 2, ["--jobs: must be > 0"]),
    ("cnn bench huge batch", BENCH_CNN, ["--batch", "100000000"], 2, ["--batch: must be at most 60000"]),
]


def run(script, args, **kwargs):
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=300,
                          **kwargs)


@pytest.mark.parametrize(("script", "args", "status", "fragments"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_bad_input_is_refused_early_with_a_message_naming_the_problem(files, tmp_path, script, args, status,
                                                                      fragments):
    result = run(script, [a.format(files=files) for a in args], cwd=tmp_path)
    assert result.returncode == status, result.stderr
    for fragment in fragments:
        assert fragment.format(files=files) in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "pickled" not in result.stderr
    assert not (tmp_path / "runs").exists() and not (tmp_path / "results").exists()  # nothing written yet


def test_a_read_only_out_folder_is_refused_before_any_work(tmp_path):
    """As an unprivileged user (root writes anywhere): the folder is named, no data is loaded."""
    home = Path(tempfile.mkdtemp())
    try:
        home.chmod(0o755)
        read_only = home / "read_only"
        read_only.mkdir(mode=0o555)
        as_user = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        as_user = as_user if os.geteuid() == 0 else []
        data = ["--data-dir", str(find_data_dir())]  # nobody may not search root's home for it
        command = [*as_user, sys.executable, str(EXAMPLE), *TINY, *data, "--out", str(read_only)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert result.returncode == 1, result.stderr
        assert f"--out {read_only} cannot be used" in result.stderr and "Permission denied" in result.stderr
    finally:
        shutil.rmtree(home)


def test_an_out_folder_in_use_is_refused_naming_the_other_process(tmp_path):
    with FolderLock(tmp_path):
        result = run(EXAMPLE, [*TINY, "--out", str(tmp_path)])
    assert result.returncode == 1
    assert f"--out {tmp_path}" in result.stderr
    assert f"in use by another process (pid {os.getpid()}" in result.stderr


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_a_diverging_lr_stops_at_the_first_non_finite_loss_and_keeps_finite_weights(tmp_path):
    # A net wide enough to overflow (a tiny one just kills its ReLUs: finite, useless, and not stopped).
    flags = [*TINY[:2], "--sizes", "784,64,10", "--batch-size", "100", *TINY[6:]]
    result = run(EXAMPLE, [*flags, "--lr", "1e10", "--out", str(tmp_path)])
    assert result.returncode == 1
    for fragment in ("training diverged", "epoch 1", "smaller --lr"):
        assert fragment in result.stderr, result.stderr
    for engine in ("autograd", "report"):
        with np.load(tmp_path / f"weights_{engine}.npz") as f:
            assert all(np.isfinite(f[name]).all() for name in f.files if name.startswith(("W", "b")))


def test_a_resume_with_changed_flags_or_a_damaged_checkpoint_is_refused(tmp_path):
    first = run(EXAMPLE, [*TINY, "--checkpoint", "--schedule", "constant", "--out", str(tmp_path)])
    assert first.returncode == 0, first.stderr
    changed = [*TINY[:2], "--sizes", "784,5,10", *TINY[4:], "--checkpoint", "--schedule", "constant",
               "--lr", "0.01", "--seed", "1", "--optimizer", "adam", "--dtype", "float64",
               "--out", str(tmp_path)]
    result = run(EXAMPLE, changed)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for line in ["--sizes: 784,4,10 in the checkpoint, 784,5,10 now", "--lr: 0.3 in the checkpoint, 0.01 now",
                 "--seed: 0 in the checkpoint, 1 now", "--optimizer: momentum in the checkpoint, adam now",
                 "--dtype: float32 in the checkpoint, float64 now", f"delete {tmp_path / 'checkpoint.npz'}"]:
        assert line in result.stderr, result.stderr
    (tmp_path / "checkpoint.npz").write_bytes((tmp_path / "checkpoint.npz").read_bytes()[:1000])
    result = run(EXAMPLE, [*TINY, "--checkpoint", "--schedule", "constant", "--out", str(tmp_path)])
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{tmp_path / 'checkpoint.npz'}: unusable checkpoint" in result.stderr
    assert "delete it" in result.stderr
