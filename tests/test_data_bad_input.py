"""The data loader's catalogue of bad input: each case, its exception type, and what the message names.

Every case asserts the exception's type and that its message names the problem (the path, the
argument, the value). Add a row when you find a new way to hand the loader something wrong.

The permission cases run the loader in a forked child process as an unprivileged user (``nobody``
when the tests run as root, as in CI, since root may read anything), on files whose modes forbid it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest

from tinygrad_edu import data
from tinygrad_edu.data import (
    EXPECTED_FILES,
    DatasetError,
    DatasetNotFoundError,
    DatasetPermissionError,
    find_data_dir,
    iterate_minibatches,
    load_fashion_mnist,
    locate,
    read_idx,
    train_validation_split,
)
from tinygrad_edu.data.__main__ import main

LABELS = "t10k-labels-idx1-ubyte"
X = np.arange(10)


def write_labels(path: Path) -> Path:
    """A valid 10-label IDX file."""
    path.write_bytes(b"\x00\x00\x08\x01" + (10).to_bytes(4, "big") + bytes(range(10)))
    return path


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A folder with one valid labels file, an empty file and a subfolder; no data found elsewhere."""
    monkeypatch.delenv("FASHION_MNIST_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setattr(locate, "SYSTEM_DATA_DIR", tmp_path / "system")
    write_labels(tmp_path / "labels")
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "empty.gz").write_bytes(b"")
    (tmp_path / "sub").mkdir()
    return tmp_path


def with_env(tmp: Path, monkeypatch, value: str):
    monkeypatch.setenv("FASHION_MNIST_DIR", value.format(tmp=tmp))
    return find_data_dir()


# (id, call taking (tmp, monkeypatch), exception type, fragments the message must contain; {tmp} is filled in)
CASES = [
    ("path-not-a-path", lambda t, m: find_data_dir(5), TypeError, ["path must be a folder path", "got 5"]),
    ("load-path-a-float", lambda t, m: load_fashion_mnist(3.5), TypeError, ["path must be", "got 3.5"]),
    (
        "path-a-file",
        lambda t, m: find_data_dir(t / "labels"),
        DatasetNotFoundError,
        ["{tmp}/labels", "is not a folder"],
    ),
    (
        "path-missing",
        lambda t, m: find_data_dir(t / "nope"),
        DatasetNotFoundError,
        ["{tmp}/nope, does not exist", "python -m tinygrad_edu.data download --dir {tmp}/nope"],
    ),
    (
        "env-var-a-file",
        lambda t, m: with_env(t, m, "{tmp}/labels"),
        DatasetNotFoundError,
        ["{tmp}/labels ($FASHION_MNIST_DIR): is not a folder"],
    ),
    (
        "missing-data-advice-order",
        lambda t, m: find_data_dir(),
        DatasetNotFoundError,
        ["python -m tinygrad_edu.data download", "apt-get install -y dataset-fashion-mnist"],
    ),
    (
        "read-a-folder",
        lambda t, m: read_idx(t / "sub"),
        DatasetError,
        ["{tmp}/sub", "is a folder, not a data file"],
    ),
    ("read-none", lambda t, m: read_idx(None), TypeError, ["path must be", "got None"]),
    ("read-empty", lambda t, m: read_idx(t / "empty"), DatasetError, ["{tmp}/empty", "only 0 bytes long"]),
    (
        "read-empty-gz",
        lambda t, m: read_idx(t / "empty.gz"),
        DatasetError,
        ["{tmp}/empty.gz", "only 0 bytes"],
    ),
    (
        "shape-an-int",
        lambda t, m: read_idx(t / "labels", shape=10),
        ValueError,
        ["shape must be a tuple", "got 10"],
    ),
    (
        "shape-negative",
        lambda t, m: read_idx(t / "labels", shape=(10, -1)),
        ValueError,
        ["non-negative integers", "(10, -1)"],
    ),
    (
        "sha256-not-hex",
        lambda t, m: read_idx(t / "labels", sha256="xyz"),
        ValueError,
        ["sha256 must be 64 hexadecimal digits", "'xyz'"],
    ),
    (
        "expected-bad-checksum",
        lambda t, m: load_fashion_mnist(t, expected={**EXPECTED_FILES, LABELS: (123, (10000,))}),
        ValueError,
        [f"expected['{LABELS}']", "sha256 must be 64 hexadecimal digits", "got 123"],
    ),
    (
        "expected-not-a-pair",
        lambda t, m: load_fashion_mnist(t, expected={**EXPECTED_FILES, LABELS: (None,)}),
        ValueError,
        [f"expected['{LABELS}'] must be a pair", "(None,)"],
    ),
    (
        "expected-not-a-mapping",
        lambda t, m: load_fashion_mnist(t, expected=[LABELS]),
        ValueError,
        ["expected must have exactly the keys", LABELS],
    ),
    (
        "split-negative-seed",
        lambda t, m: train_validation_split(X, X, 2, seed=-1),
        ValueError,
        ["seed must be None or a non-negative integer", "got -1"],
    ),
    (
        "split-string-seed",
        lambda t, m: train_validation_split(X, X, 2, seed="0"),
        ValueError,
        ["seed must be", "got '0'"],
    ),
    (
        "batches-negative-rng",
        lambda t, m: iterate_minibatches(X, X, 2, rng=-1),
        ValueError,
        ["rng must be None, a non-negative integer or a np.random.Generator", "got -1"],
    ),
    (
        "batches-float-rng",
        lambda t, m: iterate_minibatches(X, X, 2, rng=1.5),
        ValueError,
        ["rng must be", "1.5"],
    ),
]


@pytest.mark.parametrize(
    "call, error, fragments", [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_bad_input_is_refused_naming_the_problem(folder, monkeypatch, call, error, fragments):
    with pytest.raises(error) as info:
        call(folder, monkeypatch)
    message = str(info.value)
    for fragment in fragments:
        assert fragment.format(tmp=folder) in message


def test_the_missing_data_message_gives_the_download_command_before_the_debian_package(folder):
    with pytest.raises(DatasetNotFoundError) as info:
        load_fashion_mnist()
    message = str(info.value)
    assert message.index("python -m tinygrad_edu.data download") < message.index("apt-get install")
    assert str(data.user_cache_dir()) in message  # where the download puts the files


def test_a_permission_error_is_still_a_permission_error_and_a_dataset_error():
    assert issubclass(DatasetPermissionError, PermissionError)
    assert issubclass(DatasetPermissionError, DatasetError)  # the examples catch DatasetError


# --------------------------------------------------------------------------
# Permissions: checked in a forked child that the file modes really stop
# --------------------------------------------------------------------------


def in_unprivileged_child(function) -> dict:
    """Run ``function()`` in a forked child, as ``nobody`` if we are root; return its JSON-able result.

    Forked, not a new interpreter: the interpreter may live where ``nobody`` may not go (/root).
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        result = {"crash": "no result"}
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            result = function()
        except BaseException as error:  # reported to the parent, which fails the test
            result = {"crash": repr(error)}
        finally:
            with os.fdopen(write_end, "w") as pipe:
                json.dump(result, pipe)
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        text = pipe.read()
    os.waitpid(pid, 0)
    result = json.loads(text)
    assert "crash" not in result, result["crash"]
    return result


def error_of(call) -> dict:
    """``{"type": ..., "message": ...}`` of the exception ``call()`` raises in an unprivileged child."""

    def run():
        try:
            call()
        except Exception as error:
            return {"type": type(error).__name__, "message": str(error)}
        return {"type": None, "message": ""}

    return in_unprivileged_child(run)


def command_in_child(argv: list[str]) -> dict:
    """``main(argv)`` of ``python -m tinygrad_edu.data`` in an unprivileged child: status and output."""

    def run():
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(argv)
        return {"status": status, "out": out.getvalue(), "err": err.getvalue()}

    return in_unprivileged_child(run)


@pytest.fixture
def data_folder(monkeypatch):
    """Four (small) data files in a folder that ``nobody`` may reach; no data found anywhere else."""
    tmp = Path(tempfile.mkdtemp(prefix="tinygrad-edu-perm-"))  # pytest's own tmp_path is private to root
    tmp.chmod(0o755)
    monkeypatch.delenv("FASHION_MNIST_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp / "cache"))
    monkeypatch.setattr(locate, "SYSTEM_DATA_DIR", tmp / "system")
    folder = tmp / "data"
    folder.mkdir(mode=0o755)
    for name in EXPECTED_FILES:
        write_labels(folder / name).chmod(0o644)
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(tmp)


def test_a_folder_without_read_permission_is_named(data_folder):
    data_folder.chmod(0)
    error = error_of(lambda: find_data_dir(data_folder))
    assert error["type"] == "DatasetPermissionError"
    assert f"{data_folder}: no permission to read this folder" in error["message"]
    assert f"chmod -R a+rX {data_folder}" in error["message"]


def test_a_file_without_read_permission_is_named(data_folder):
    unreadable = data_folder / "train-images-idx3-ubyte"
    unreadable.chmod(0)
    error = error_of(lambda: load_fashion_mnist(data_folder))
    assert error["type"] == "DatasetPermissionError"
    assert f"{unreadable}: no permission to read this file" in error["message"]


def test_an_unreadable_folder_in_the_search_is_reported_in_the_list(data_folder, monkeypatch):
    monkeypatch.setenv("FASHION_MNIST_DIR", str(data_folder))
    data_folder.chmod(0)
    error = error_of(find_data_dir)
    assert error["type"] == "DatasetNotFoundError"
    assert f"{data_folder} ($FASHION_MNIST_DIR): no permission to read it" in error["message"]


def test_verify_and_download_name_a_folder_they_may_not_use(data_folder):
    data_folder.chmod(0)
    verified = command_in_child(["verify", "--dir", str(data_folder)])
    assert verified["status"] == 1
    assert f"{data_folder}: no permission to read this folder" in verified["err"]
    data_folder.chmod(0o555)  # readable, not writable
    fetched = command_in_child(["download", "--dir", str(data_folder), "--mirror", "http://127.0.0.1:9/"])
    assert fetched["status"] == 1
    assert f"error: no permission to write in {data_folder}" in fetched["err"]
