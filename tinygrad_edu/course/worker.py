"""Grade exercises of a workspace in this process; as a script, append each Outcome as a JSON line.

    python -m tinygrad_edu.course.worker DIR RESULTS.jsonl CPU_SECONDS NAME [NAME ...]

`check` runs these workers (see runner.py), so that a learner's infinite loop or crash ends a
worker only, and the parent starts another for the rest. Each exercise may use CPU_SECONDS of
CPU time: the limit is CPU time, not wall-clock time, so a busy machine does not fail a correct
solution, while an infinite loop exits with status OUT_OF_TIME.
"""

import json
import os
import signal
import sys

try:
    import resource
except ImportError:  # not on Windows: there the parent's wall-clock limit alone applies
    resource = None

from tinygrad_edu.course import reference
from tinygrad_edu.course.exercises import BY_NAME
from tinygrad_edu.course.grading import Outcome, run_properties
from tinygrad_edu.course.runner import OUT_OF_TIME
from tinygrad_edu.course.workspace import WorkspaceError, load_part


def grade(directory, name):
    """The Outcome of exercise `name` for the learner's files in `directory`."""
    exercise = BY_NAME[name]
    try:
        module = load_part(directory, exercise.part)
    except WorkspaceError as error:
        return Outcome(name, "failed", error=str(error))
    function = getattr(module, name, None)
    if not callable(function):
        return Outcome(name, "failed", error=f"{exercise.part}.py has no function `{name}` (renamed?)")
    reference.prepare(module, name)
    return run_properties(name, function, exercise.properties(), module.__file__)


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


def main(argv):
    directory, results, cpu_seconds, *names = argv
    if resource is not None:
        signal.signal(signal.SIGXCPU, lambda *_: os._exit(OUT_OF_TIME))
    for name in names:
        _limit_cpu_time(float(cpu_seconds))
        outcome = grade(directory, name)
        with open(results, "a", encoding="utf-8") as file:  # one whole line per exercise, flushed
            file.write(json.dumps(outcome.to_dict()) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
