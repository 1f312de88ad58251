"""Nothing is written, replaced or deleted outside the folder a command or function was given.

For every place that writes, a symlink is planted (at a file's name, pointing to a file outside,
or as a subfolder pointing to a folder outside); the write must fail with an error naming the
path, and the outside folder must hold exactly the bytes it held before. Then the CLI flags:
inf, nan, negative, zero, huge, empty and wrong-type values end in a message naming the flag.
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tinygrad_edu.course.workspace import WorkspaceError, part_files, write_workspace
from tinygrad_edu.data.download import DownloadError, download
from tinygrad_edu.data.safe_paths import UnsafePathError, check_inside
from tinygrad_edu.train import AutogradLearner, Checkpoint
from tinygrad_edu.train.runfiles import JOURNAL, FileFormatError, FolderLock, atomic_write, replace_together

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
SECRET = b"the learner's own file, never to be touched\n"


def listing(folder):
    """{relative path: bytes, or the link's target for a symlink} of everything under `folder`."""
    found = {}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_symlink():
            found[str(path.relative_to(folder))] = ("link", os.readlink(path))
        elif path.is_file():
            found[str(path.relative_to(folder))] = path.read_bytes()
    return found


@pytest.fixture
def outside(tmp_path):
    """A folder outside the one given, holding one file: (folder, that file)."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "precious.txt").write_bytes(SECRET)
    return folder, folder / "precious.txt"


@pytest.fixture
def given(tmp_path):
    folder = tmp_path / "given"
    folder.mkdir()
    return folder


def plant_file_link(given, name, outside):
    (given / name).symlink_to(outside[1])
    return given / name


def plant_folder_link(given, name, outside):
    (given / name).symlink_to(outside[0], target_is_directory=True)
    return given / name


def assert_untouched(outside, before):
    assert listing(outside[0]) == before
    assert outside[1].read_bytes() == SECRET


# --- the shared check ----------------------------------------------------------------------------


def test_check_inside_accepts_a_plain_path_and_refuses_dot_dot(given):
    assert check_inside(given, given / "a" / "b.txt") == given / "a" / "b.txt"
    with pytest.raises(UnsafePathError, match=r"not a path inside"):
        check_inside(given, given / ".." / "escape.txt")


def test_unsafe_path_error_is_both_an_os_error_and_a_value_error(given, outside):
    link = plant_file_link(given, "x", outside)
    with pytest.raises(OSError) as error:
        check_inside(given, link)
    assert isinstance(error.value, ValueError) and error.value.path == link
    assert str(link) in str(error.value) and "symlink" in str(error.value)


# --- train/runfiles.py and checkpoint.py ---------------------------------------------------------


def test_atomic_write_refuses_a_link_at_the_name(given, outside):
    before = listing(outside[0])
    link = plant_file_link(given, "history.json", outside)
    with pytest.raises(UnsafePathError, match="history.json.*symlink"):
        atomic_write(link, lambda f: f.write(b"new"))
    assert_untouched(outside, before)
    assert [p.name for p in given.iterdir()] == ["history.json"]  # no temporary left behind


def test_atomic_write_refuses_a_linked_subfolder(given, outside):
    before = listing(outside[0])
    plant_folder_link(given, "figures", outside)
    with pytest.raises(UnsafePathError, match=r"figures.*outside"):
        atomic_write(given / "figures" / "loss.png", lambda f: f.write(b"png"), folder=given)
    with pytest.raises(UnsafePathError, match=r"outside"):
        atomic_write(given / "figures" / "precious.txt", lambda f: f.write(b"png"), folder=given)
    assert_untouched(outside, before)


def test_replace_together_refuses_a_link_at_any_name_before_writing_any(given, outside):
    before = listing(outside[0])
    plant_file_link(given, "b.npz", outside)
    with pytest.raises(UnsafePathError, match="b.npz"):
        replace_together(given, {"a.json": lambda f: f.write(b"a"), "b.npz": lambda f: f.write(b"b")})
    assert_untouched(outside, before)
    assert sorted(p.name for p in given.iterdir()) == ["b.npz"]


def test_replace_together_refuses_names_that_leave_the_folder(given, outside):
    before = listing(outside[0])
    escape = os.path.relpath(outside[1], given)
    with pytest.raises(FileFormatError, match="not the name of a file directly in"):
        replace_together(given, {escape: lambda f: f.write(b"x")})
    assert_untouched(outside, before)


@pytest.mark.parametrize(
    "journal",
    [
        '{"../outside/precious.txt": null}',  # a delete outside
        '{"../outside/precious.txt": ".a.0123abcd.tmp"}',  # a rename onto a file outside
    ],
)
def test_a_forged_journal_cannot_delete_or_replace_outside(given, outside, journal):
    before = listing(outside[0])
    (given / ".a.0123abcd.tmp").write_bytes(b"forged")
    (given / JOURNAL).write_text(journal)
    with pytest.raises(FileFormatError, match="not the name of a file directly in"):
        replace_together(given, {"a": lambda f: f.write(b"a")})
    assert_untouched(outside, before)


def test_a_journal_renaming_onto_a_link_is_refused(given, outside):
    before = listing(outside[0])
    plant_file_link(given, "weights.npz", outside)
    (given / ".weights.npz.0123abcd.tmp").write_bytes(b"new weights")
    (given / JOURNAL).write_text('{"weights.npz": ".weights.npz.0123abcd.tmp"}')
    with pytest.raises(UnsafePathError, match="weights.npz.*symlink"):
        replace_together(given, {})
    assert_untouched(outside, before)


def test_folder_lock_refuses_a_link_at_the_lock(given, outside):
    before = listing(outside[0])
    plant_file_link(given, ".lock", outside)
    with pytest.raises(UnsafePathError, match=r"\.lock.*symlink"):
        FolderLock(given).acquire()
    assert_untouched(outside, before)  # it used to be truncated to the pid


def test_checkpoint_save_refuses_a_link_at_the_checkpoint(given, outside):
    before = listing(outside[0])
    plant_file_link(given, "checkpoint.npz", outside)
    rng = np.random.default_rng(0)
    learner = AutogradLearner([4, 3, 2], "relu", "sgd", 0.9, np.float32, seed=0)
    with pytest.raises(UnsafePathError, match="checkpoint.npz"):
        Checkpoint(given / "checkpoint").save({"epoch": 1}, [learner], rng, None, {})
    assert_untouched(outside, before)


# --- data/download.py ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["train-images-idx3-ubyte.gz.part", "train-images-idx3-ubyte.gz"])
def test_download_refuses_a_link_at_a_file_it_would_write(given, outside, name):
    before = listing(outside[0])
    plant_file_link(given, name, outside)
    with pytest.raises(DownloadError, match=rf"{name}.*symlink.*--dir"):
        download(given, ["http://127.0.0.1:9/"], out=open(os.devnull, "w"))
    assert_untouched(outside, before)


def test_download_cli_names_the_link(given, outside):
    before = listing(outside[0])
    plant_file_link(given, "t10k-labels-idx1-ubyte.gz.part", outside)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tinygrad_edu.data",
            "download",
            "--dir",
            str(given),
            "--mirror",
            "http://127.0.0.1:9/",
        ],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    assert result.returncode != 0
    assert "t10k-labels-idx1-ubyte.gz.part" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert_untouched(outside, before)


# --- course/workspace.py -------------------------------------------------------------------------


def test_course_init_force_refuses_a_link_at_a_lesson_file(given, outside):
    before = listing(outside[0])
    name = part_files()[0]
    plant_file_link(given, name, outside)
    with pytest.raises(WorkspaceError, match=rf"{name}.*symlink"):
        write_workspace(given, force=True)
    assert_untouched(outside, before)
    assert [p.name for p in given.iterdir()] == [name]  # refused before the first write


def test_course_init_refuses_a_link_at_a_temporary_name(given, outside):
    """The old code wrote '.NAME.tmp' through whatever sat there; the temporary names are fresh now."""
    before = listing(outside[0])
    plant_file_link(given, f".{part_files()[0]}.tmp", outside)
    write_workspace(given)
    assert_untouched(outside, before)
    assert (given / part_files()[0]).is_file() and not (given / part_files()[0]).is_symlink()


# --- the examples and the benchmark --------------------------------------------------------------


def load_example():
    example = ROOT / "examples" / "fashion_mnist.py"
    spec = importlib.util.spec_from_file_location("fashion_mnist_symlinks", example)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["history.json", "weights_autograd.npz", "loss.png", "checkpoint.npz"])
def test_fashion_mnist_refuses_an_out_with_a_link_at_an_output(given, outside, name):
    before = listing(outside[0])
    plant_file_link(given, name, outside)
    with pytest.raises(SystemExit) as exit_:
        load_example().claim_output_folder(given)
    assert f"--out {given}" in str(exit_.value) and name in str(exit_.value)
    assert_untouched(outside, before)


@pytest.mark.parametrize("sub", ["runs", "figures"])
def test_reproduce_report_refuses_a_linked_subfolder_of_results(given, outside, sub):
    before = listing(outside[0])
    plant_folder_link(given, sub, outside)
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "reproduce_report.py"), "--quick", "--results", str(given)],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"--results {given}" in result.stderr and "outside" in result.stderr
    assert_untouched(outside, before)


def test_bench_refuses_a_json_link_before_measuring(given, outside):
    before = listing(outside[0])
    link = plant_file_link(given, "latest.json", outside)
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--json", str(link)],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    assert result.returncode == 2 and "--json" in result.stderr and "symlink" in result.stderr
    assert_untouched(outside, before)


# --- CLI flag values -----------------------------------------------------------------------------

BAD_VALUES = {
    "inf": "inf",
    "nan": "nan",
    "negative": "-1",
    "zero": "0",
    "huge": "1e300",
    "empty": "",
    "wrong type": "ten",
}
COMMANDS = {
    "course check --timeout": ([sys.executable, "-m", "tinygrad_edu.course", "check"], "--timeout"),
    "data download --timeout": ([sys.executable, "-m", "tinygrad_edu.data", "download"], "--timeout"),
    "bench --batch": ([sys.executable, str(ROOT / "benchmarks" / "bench.py")], "--batch"),
    "fashion_mnist --lr": ([sys.executable, str(ROOT / "examples" / "fashion_mnist.py")], "--lr"),
    "fashion_mnist_cnn --lr": ([sys.executable, str(ROOT / "examples" / "fashion_mnist_cnn.py")], "--lr"),
    "reproduce_report --jobs": ([sys.executable, str(ROOT / "examples" / "reproduce_report.py")], "--jobs"),
}


#: Every (command, bad value) pair but a huge learning rate, which is legal: the run reports its divergence.
BAD_FLAG_CASES = [
    pytest.param(command, value, id=f"{name}-{kind}")
    for name, command in COMMANDS.items()
    for kind, value in BAD_VALUES.items()
    if (command[1], value) != ("--lr", "1e300")
]


@pytest.mark.parametrize(("command", "value"), BAD_FLAG_CASES)
def test_a_bad_flag_value_is_refused_naming_the_flag(tmp_path, command, value):
    argv, flag = command
    result = subprocess.run(
        [*argv, flag, value], capture_output=True, text=True, env=ENV, timeout=120, cwd=tmp_path
    )
    assert result.returncode == 2, result.stderr
    assert f"argument {flag}" in result.stderr and "Traceback" not in result.stderr
    assert listing(tmp_path) == {}  # refused before anything was written
