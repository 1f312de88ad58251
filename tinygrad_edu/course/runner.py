"""Grade many exercises in worker processes, with a time limit per exercise, a few at a time.

One worker process grades the selected exercises of one workspace file, one after the other,
and appends each Outcome to a JSON-lines file as soon as it has it. If an exercise uses more
than its CPU time (an infinite loop), the worker exits and that exercise is graded "timed out";
the same if it hangs without using the CPU (a sleep) for a long wall-clock time (see _wall_limit). If the
worker dies (the learner's code called os._exit, or crashed Python), that exercise fails. Either
way a new worker goes on with the exercises after it.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tinygrad_edu.course.clipping import clip
from tinygrad_edu.course.grading import Outcome

#: CPU seconds one exercise may use (a correct solution needs under 2 on this project's machine).
TIMEOUT = 10.0
#: The exit status of a worker whose exercise used up its CPU time (as timeout(1) uses).
OUT_OF_TIME = 124
#: The exit status of a worker that put back grader files a learner's code changed: start another.
RESTART = 75
#: Bytes read from the end of a dead worker's stderr, for its last line.
_STDERR_TAIL = 4096
_POLL = 0.02  # seconds between looks at a worker's results


def grade_all(directory, exercises, jobs=None, timeout=TIMEOUT):
    """Yield the Outcome of each exercise, in the order given, as soon as it and those before are done."""
    groups = {}
    for exercise in exercises:
        groups.setdefault(exercise.part, []).append(exercise.name)
    jobs = jobs or min(len(groups), os.cpu_count() or 1) or 1
    env = dict(os.environ, PYTHONHASHSEED="0", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    with tempfile.TemporaryDirectory(prefix="course-check-") as scratch, ThreadPoolExecutor(jobs) as pool:

        def grade_group(names):
            return _grade_group(directory, names, Path(scratch), env, timeout)

        for outcomes in pool.map(grade_group, groups.values()):
            yield from outcomes


def _grade_group(directory, names, scratch, env, timeout):
    """The Outcomes of `names` (exercises of one file), graded by as many workers as it takes."""
    outcomes = {}
    for attempt in range(len(names)):
        remaining = [name for name in names if name not in outcomes]
        if not remaining:
            break
        results = scratch / f"{remaining[0]}-{attempt}.jsonl"
        errors = scratch / f"{remaining[0]}-{attempt}.stderr"
        command = [
            sys.executable,
            "-m",
            "tinygrad_edu.course.worker",
            str(directory),
            str(results),
            str(timeout),
            *remaining,
        ]
        with open(errors, "w") as stderr:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr, env=env
            )
        wall_limit = max(60.0, 6 * timeout)  # generous: on a busy machine CPU time lags far behind
        hung = _watch(process, results, outcomes, wall_limit)
        late = [name for name in remaining if name not in outcomes]
        if not late or process.returncode == RESTART:
            continue
        if process.returncode == OUT_OF_TIME:
            message = f"stopped after {timeout:g} s of CPU time: an infinite loop?"
            outcomes[late[0]] = Outcome(late[0], "timed out", error=message)
        elif hung:
            message = f"stopped after {wall_limit:g} s without an answer: waiting for something?"
            outcomes[late[0]] = Outcome(late[0], "timed out", error=message)
        else:
            outcomes[late[0]] = Outcome(
                late[0],
                "failed",
                error=f"the grading process died (exit {process.returncode}): {_last_line(errors)}",
            )
    return [outcomes[name] for name in names]


def _last_line(path):
    """The last line of a text file, read from its last few KB only (the file may be huge), clipped."""
    try:
        with open(path, "rb") as file:
            file.seek(max(0, file.seek(0, os.SEEK_END) - _STDERR_TAIL))
            lines = file.read().decode(errors="replace").strip().splitlines()
    except OSError:  # deleted by the learner's code
        return "no message"
    return clip(lines[-1], 300) if lines else "no message"


def _watch(process, results, outcomes, timeout):
    """Collect the worker's Outcomes into `outcomes` until it ends; True if it was killed for time."""
    deadline = time.monotonic() + timeout
    while True:
        finished = process.poll() is not None
        if _read(results, outcomes):
            deadline = time.monotonic() + timeout  # the clock restarts for each exercise
        if finished:
            return False
        if time.monotonic() > deadline:
            process.kill()
            process.wait()
            _read(results, outcomes)
            return True
        time.sleep(_POLL)


def _read(results, outcomes):
    """Add the complete lines of `results` to `outcomes`; True if there were new ones."""
    if not results.exists():
        return False
    new = False
    for line in results.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.endswith("\n"):
            outcome = Outcome(**json.loads(line))
            new |= outcome.name not in outcomes
            outcomes.setdefault(outcome.name, outcome)
    return new
