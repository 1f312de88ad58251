"""The built wheel works on its own: installed into a fresh virtualenv, outside the repository.

One wheel build and one virtualenv serve every test here. The build runs on a copy of the
sources in a temporary directory, so it leaves no build/ or *.egg-info in the repository; the
virtualenv gets numpy and hypothesis from pip's usual index (or its cache).
"""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tinygrad_edu.course.exercises import EXERCISES
from tinygrad_edu.course.workspace import part_files

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _litter():
    return sorted(p.name for p in ROOT.iterdir() if p.name == "build" or p.name.endswith(".egg-info"))


@pytest.fixture(scope="session")
def installed(tmp_path_factory):
    """(the wheel, the fresh virtualenv's python, a scratch directory outside the repository)."""
    scratch = tmp_path_factory.mktemp("packaging")
    litter_before = _litter()
    source = scratch / "source"
    shutil.copytree(
        ROOT / "tinygrad_edu", source / "tinygrad_edu", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", scratch / "dist", source])
    (wheel,) = (scratch / "dist").glob("tinygrad_edu-*.whl")
    assert _litter() == litter_before, "building the wheel left files in the repository"

    venv = scratch / "venv"
    _run([sys.executable, "-m", "venv", venv])
    python = venv / "bin" / "python"
    _run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", f"{wheel}[course]"])
    work = scratch / "work"
    work.mkdir()
    return wheel, python, work


def _run(command, cwd=None, check=True, timeout=600):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode != 0:
        raise AssertionError(f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def test_the_wheel_holds_the_package_with_the_course_stubs_and_solutions(installed):
    wheel, _, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "tinygrad_edu/autograd/tensor.py" in names
    for part in part_files():
        assert f"tinygrad_edu/course/solutions/{part}" in names
        assert f"tinygrad_edu/course/translations/zh_TW/{part}" in names
    assert not any(name.startswith(("tests/", "lessons/", "examples/")) for name in names)


def test_the_package_imports_from_a_fresh_virtualenv_outside_the_repository(installed):
    _, python, work = installed
    code = (
        "import tinygrad_edu, numpy; from tinygrad_edu import Value, Tensor\n"
        "x = Tensor([1.0, 2.0], requires_grad=True); (x * x).sum().backward(); print(x.grad.tolist())\n"
        "print(tinygrad_edu.__file__)"
    )
    out = _run([python, "-c", code], cwd=work).stdout.splitlines()
    assert out[0] == "[2.0, 4.0]"
    location = Path(out[1]).resolve()
    assert python.parent.parent.resolve() in location.parents and ROOT not in location.parents


def test_list_init_and_check_run_from_the_installed_wheel(installed):
    _, python, work = installed
    course = [python, "-m", "tinygrad_edu.course"]
    listing = _run([*course, "list"], cwd=work).stdout
    assert all(f"  {e.name} " in listing for e in EXERCISES)

    _run([*course, "init", "stubs"], cwd=work)
    assert sorted(p.name for p in (work / "stubs").iterdir()) == sorted(part_files())
    todo = _run([*course, "check", "--dir", "stubs"], cwd=work, check=False)
    assert todo.returncode == 1
    assert (
        todo.stdout.splitlines()[-1]
        == f"0 of {len(EXERCISES)} exercises pass; {len(EXERCISES)} not implemented yet; 0 failed"
    )

    _run([*course, "init", "--solved", "solved"], cwd=work)
    graded = _run([*course, "check", "--dir", "solved"], cwd=work, check=False)
    assert graded.returncode == 0, graded.stdout
    assert (
        graded.stdout.splitlines()[-1]
        == f"{len(EXERCISES)} of {len(EXERCISES)} exercises pass; 0 not implemented yet; 0 failed"
    )


def test_a_zh_tw_workspace_from_the_installed_wheel_is_graded_like_an_english_one(installed):
    _, python, work = installed
    course = [python, "-m", "tinygrad_edu.course"]
    _run([*course, "init", "--lang", "zh-TW", "--solved", "solved-zh"], cwd=work)
    assert sorted(p.name for p in (work / "solved-zh").iterdir()) == sorted(part_files())
    assert "δ 遞迴式" in (work / "solved-zh" / "lesson5_report_backprop.py").read_text(encoding="utf-8")
    graded = _run([*course, "check", "--dir", "solved-zh"], cwd=work, check=False)
    assert graded.returncode == 0, graded.stdout
    assert (
        graded.stdout.splitlines()[-1]
        == f"{len(EXERCISES)} of {len(EXERCISES)} exercises pass; 0 not implemented yet; 0 failed"
    )
