"""Grade exercises of a workspace in this process; as a script, append each Outcome as a JSON line.

    python -m tinygrad_edu.course.worker DIR RESULTS.jsonl CPU_SECONDS NAME [NAME ...]

`check` runs these workers (see runner.py), so that a learner's infinite loop or crash ends a
worker only, and the parent starts another for the rest. Each exercise may use CPU_SECONDS of
CPU time: the limit is CPU time, not wall-clock time, so a busy machine does not fail a correct
solution, while an infinite loop exits with status OUT_OF_TIME.

What the learner's code prints is kept, clipped, in the Outcome (it is shown with a failure).
If it deletes or changes a file of the package, the worker puts the file back, fails that
exercise, and exits with status RESTART, so that a fresh process grades the rest.
"""

import json
import os
import signal
import sys
from pathlib import Path

try:
    import resource
except ImportError:  # not on Windows: there the parent's wall-clock limit alone applies
    resource = None

import tinygrad_edu
from tinygrad_edu.course import reference
from tinygrad_edu.course.clipping import ClippedOutput, captured_into
from tinygrad_edu.course.exercises import BY_NAME
from tinygrad_edu.course.grading import Outcome, run_properties
from tinygrad_edu.course.runner import OUT_OF_TIME, RESTART
from tinygrad_edu.course.workspace import WorkspaceError, load_part

#: The files the grader is made of: a learner's code must leave them as they are.
PACKAGE = Path(tinygrad_edu.__file__).parent


def grade(directory, name):
    """The Outcome of exercise `name` for the learner's files in `directory`, with what they printed."""
    printed = ClippedOutput()
    outcome = _grade(directory, name, printed)
    outcome.output = printed.text()
    return outcome


def _grade(directory, name, printed):
    exercise = BY_NAME[name]
    try:
        with captured_into(printed):
            module = load_part(directory, exercise.part)
    except WorkspaceError as error:
        return Outcome(name, "failed", error=str(error))
    function = getattr(module, name, None)
    if not callable(function):
        return Outcome(name, "failed", error=f"{exercise.part}.py has no function `{name}` (renamed?)")
    reference.prepare(module, name)
    return run_properties(name, function, exercise.properties(), module.__file__, printed)


def snapshot(folder):
    """{path: bytes} of every .py file under `folder`."""
    return {path: path.read_bytes() for path in sorted(folder.rglob("*.py"))}


def restore(files):
    """Put back every file of `files` ({path: bytes}) that is missing or changed; the names put back."""
    repaired = []
    for path, content in files.items():
        try:
            unchanged = path.read_bytes() == content
        except OSError:
            unchanged = False
        if not unchanged:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            repaired.append(f"{path.parent.name}/{path.name}")
    return repaired


def _write_results(results, outcomes):
    """Write every Outcome so far into `results`, replaced in one step (no half line, even if deleted)."""
    partial = Path(f"{results}.partial")
    partial.write_text("".join(json.dumps(o.to_dict()) + "\n" for o in outcomes), encoding="utf-8")
    os.replace(partial, results)


def _limit_cpu_time(seconds):
    """Exit with OUT_OF_TIME once this process has used `seconds` more CPU time than now."""
    if resource is None:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + seconds) + 1
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    resource.setrlimit(
        resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard)
    )


def main(argv, package=PACKAGE):
    """Grade `names`; exit RESTART after an exercise that changed a file of `package` (put back)."""
    directory, results, cpu_seconds, *names = argv
    if resource is not None:
        signal.signal(signal.SIGXCPU, lambda *_: os._exit(OUT_OF_TIME))
    # A real Ctrl-C ends the worker; a KeyboardInterrupt the learner's code raises is graded.
    signal.signal(signal.SIGINT, lambda *_: os._exit(130))
    grader_files = snapshot(package)
    outcomes = []
    for name in names:
        _limit_cpu_time(float(cpu_seconds))
        outcomes.append(grade(directory, name))
        repaired = restore(grader_files)
        if repaired:
            shown = ", ".join(repaired[:3]) + (f" and {len(repaired) - 3} more" if len(repaired) > 3 else "")
            outcomes[-1] = Outcome(
                name,
                "failed",
                output=outcomes[-1].output,
                error=f"your code deleted or changed the grader's files ({shown}); they were put back, "
                "but this grade cannot be trusted: write files only inside your workspace",
            )
        _write_results(results, outcomes)
        if repaired:
            sys.exit(RESTART)  # modules loaded from the changed files may linger: start a fresh process


if __name__ == "__main__":
    main(sys.argv[1:])
