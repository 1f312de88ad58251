"""A learner's workspace: writing its files (stubs or solutions), and loading them to grade.

The stubs are made from the reference solutions (package modules in `solutions/`): each
exercise's body, after its docstring, becomes `raise NotImplementedError`, so a stub states the
same math and shapes as the solution and the two can never disagree. In another language
(`lang`), the solution's docstrings are first replaced by their translations (translations/).
"""

import ast
import importlib.util
import itertools
import sys
import traceback
from importlib import resources
from pathlib import Path

from tinygrad_edu.course import translations
from tinygrad_edu.course.clipping import clip
from tinygrad_edu.course.exercises import EXERCISES, LESSONS
from tinygrad_edu.course.grading import stop_message
from tinygrad_edu.data.safe_paths import UnsafePathError, check_inside
from tinygrad_edu.train.runfiles import atomic_write


class WorkspaceError(Exception):
    """A workspace that cannot be written, or a learner's file that cannot be loaded."""


def part_files():
    """The workspace's file names, lesson order: ["lesson1_local_derivatives.py", …]."""
    return [f"{part}.py" for _, part in LESSONS.values()]


def solution_source(part):
    """The text of the reference solution module `part`."""
    return resources.files("tinygrad_edu.course.solutions").joinpath(f"{part}.py").read_text(encoding="utf-8")


def stub_source(source, names):
    """`source` with the body of each top-level function in `names` replaced by a NotImplementedError."""
    lines = source.splitlines(keepends=True)
    functions = [n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name in names]
    for function in sorted(functions, key=lambda f: f.lineno, reverse=True):
        body = function.body
        has_docstring = isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
        first = body[1] if has_docstring else body[0]
        indent = " " * first.col_offset
        stub = f'{indent}raise NotImplementedError("{function.name}: write your code here")\n'
        lines[first.lineno - 1 : function.end_lineno] = [stub]
    return "".join(lines)


def part_source(part, solved=False, lang="en"):
    """The text of workspace file `part`: the stub (or, `solved`, the solution) with docstrings in `lang`."""
    source = solution_source(part)
    if translations.LANGUAGES[lang] is not None:
        source = translations.translate(source, translations.docstrings(part, lang))
    if not solved:
        source = stub_source(source, {e.name for e in EXERCISES if e.part == part})
    return source


def write_workspace(directory, solved=False, force=False, lang="en"):
    """Write one file per lesson part into `directory` (created if missing); the paths written.

    `lang` is a key of translations.LANGUAGES: the language of the docstrings (the code is the same).
    Refuses (WorkspaceError) to overwrite any existing file unless `force`, and, even with `force`,
    to write through a symlink (at a file's name, or as `directory`'s subfolder): data.safe_paths.
    """
    if lang not in translations.LANGUAGES:
        raise WorkspaceError(f"no language {lang!r}; choose one of {', '.join(translations.LANGUAGES)}")
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise WorkspaceError(f"{directory} exists and is not a directory")
    targets = [directory / name for name in part_files()]
    existing = [str(path) for path in targets if path.exists()]
    if existing and not force:
        raise WorkspaceError(
            f"{directory} already holds a workspace ({len(existing)} of its files exist, e.g. "
            f"{existing[0]}); pass --force to overwrite them, or choose another directory"
        )
    sources = {path: part_source(path.stem, solved, lang) for path in targets}  # all made before any write
    try:
        for path in targets:  # every link refused before the first write
            check_inside(directory, path)
        for path, source in sources.items():  # a file is replaced whole or not at all
            atomic_write(path, lambda f, source=source: f.write(source.encode("utf-8")), folder=directory)
    except UnsafePathError as error:
        raise WorkspaceError(f"{error}: the workspace must be written inside {directory}") from None
    except OSError as error:  # a folder that cannot be created or written: read-only, missing parent
        raise WorkspaceError(f"cannot write the workspace in {directory}: {error.strerror}") from None
    return targets


_module_ids = itertools.count()


def load_part(directory, part):
    """Import the learner's file `part` from `directory` afresh; WorkspaceError says file and line."""
    path = Path(directory).resolve() / f"{part}.py"
    if not path.is_file():
        raise WorkspaceError(
            f"{path} is missing; `python -m tinygrad_edu.course init {directory}` writes the workspace"
        )
    spec = importlib.util.spec_from_file_location(f"_course_workspace_{next(_module_ids)}_{part}", path)
    module = importlib.util.module_from_spec(spec)
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))  # so a learner's file may import a helper file beside it
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        raise WorkspaceError(f"{path.name}, line {error.lineno}: {error.msg} (a syntax error)") from None
    except (Exception, SystemExit, KeyboardInterrupt) as error:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == str(path)]
        line = f", line {frames[-1].lineno}" if frames else ""
        if isinstance(error, (SystemExit, KeyboardInterrupt)):
            raise WorkspaceError(f"{path.name}{line}: while the file loads, {stop_message(error)}") from None
        raise WorkspaceError(
            f"{path.name}{line}: loading the file raised {type(error).__name__}: {clip(str(error))}"
        ) from None
    return module
