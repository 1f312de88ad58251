"""Grading one exercise: run each of its properties under hypothesis and keep the first failure.

A property is a named statement about the learner's function ("the local derivatives equal
central differences"), a hypothesis strategy that draws inputs for it, and a check that raises
`PropertyFailed(what, expected, got)` when the statement is false. Hypothesis runs a fixed
number of examples, derandomized, so a grade is the same on every run; when a check fails it
shrinks the input to the smallest one that still fails, and replays it last, which is the one
kept here.
"""

import traceback
import warnings
from dataclasses import dataclass

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import HypothesisException

from tinygrad_edu.course.clipping import ClippedOutput, captured_into, clip

#: Hypothesis settings of every property: reproducible grades, a fixed budget, no saved examples.
_SETTINGS = dict(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    report_multiple_bugs=False,
    suppress_health_check=list(HealthCheck),
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
)


class PropertyFailed(AssertionError):
    """A property does not hold: `what` was expected to be `expected` and is `got`."""

    def __init__(self, what, expected, got):
        super().__init__(f"{what}: expected {expected}, got {got}")
        self.what, self.expected, self.got = what, expected, got


class StoppedTheGrader(Exception):
    """The learner's code raised SystemExit (sys.exit) or KeyboardInterrupt: graded as a failure.

    Both would end the grading process instead of failing one property; wrapped in an ordinary
    exception, hypothesis shrinks the input that raised them like any other failure.
    """

    def __init__(self, stop):
        super().__init__(stop_message(stop))
        self.__traceback__ = stop.__traceback__  # the learner's line is in the original's frames


def stop_message(stop):
    """What to say about a SystemExit or KeyboardInterrupt raised by the learner's code."""
    if isinstance(stop, SystemExit):
        code = "" if stop.code is None else repr(stop.code)
        return f"your code called sys.exit({clip(code, 200)}), which stops the grader: return a value instead"
    return "your code raised KeyboardInterrupt: raise an ordinary exception (ValueError...) or return a value"


@dataclass(frozen=True)
class Property:
    """One statement about a learner's function, checked on inputs drawn from `strategy`.

    `check(function, example)` raises PropertyFailed (or whatever the learner's code raises).
    `examples` are tried too, every time, after hypothesis' own (so that when hypothesis finds a
    failure, its shrunk example is the one shown): the cases a lesson warns about. With
    `strategy` None the check runs once, with example None: a fixed case.
    """

    name: str
    check: object
    strategy: object = None
    max_examples: int = 30
    examples: tuple = ()


@dataclass
class Outcome:
    """The grade of one exercise: "passed", "not implemented", "failed" or "timed out"."""

    name: str
    status: str
    property: str = ""
    example: str = ""
    what: str = ""
    expected: str = ""
    got: str = ""
    error: str = ""  # an exception raised by the learner's code, or a file that does not load
    output: str = ""  # what the learner's code printed while graded, clipped (clipping.OUTPUT_CLIP)

    def to_dict(self):
        return dict(self.__dict__)


def run_properties(name, function, properties, source_file, printed=None):
    """Check `properties` of `function` in order; the Outcome of the first that fails, or passed.

    What the function prints goes into `printed` (a ClippedOutput; a new one if None).
    """
    printed = ClippedOutput() if printed is None else printed
    for prop in properties:
        failure = _first_failure(function, prop, printed)
        if failure is None:
            continue
        example, error = failure
        if _raised_not_implemented(error):
            return Outcome(name, "not implemented")
        outcome = Outcome(name, "failed", property=prop.name, example=_describe(example))
        if isinstance(error, PropertyFailed):
            outcome.what, outcome.expected, outcome.got = error.what, show(error.expected), show(error.got)
        else:
            outcome.error = describe_exception(error, source_file)
        return outcome
    return Outcome(name, "passed")


def _first_failure(function, prop, printed):
    """(smallest failing example, its exception), or None if the property holds."""
    failures = []

    def attempt(example):
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings(), captured_into(printed):
                warnings.simplefilter("ignore")
                prop.check(function, example)
        except (SystemExit, KeyboardInterrupt) as stop:
            failures.append((example, StoppedTheGrader(stop)))
            raise failures[-1][1] from None
        except Exception as error:
            failures.append((example, error))
            raise

    if prop.strategy is not None:
        test = settings(max_examples=prop.max_examples, **_SETTINGS)(given(prop.strategy)(attempt))
        try:
            test()
        except HypothesisException as error:  # e.g. Flaky: the learner's function is not deterministic
            if not failures:
                raise RuntimeError(f"the grader could not run property {prop.name!r}: {error}") from error
        except Exception:
            pass
    for case in prop.examples if prop.strategy is not None else (None,):
        if failures:
            break
        try:
            attempt(case)
        except Exception:
            pass
    return failures[-1] if failures else None


def _raised_not_implemented(error):
    return isinstance(error, NotImplementedError) or isinstance(error.__cause__, NotImplementedError)


def describe_exception(error, source_file):
    """'raised KeyError: 'W3' (lesson5_report_backprop.py, line 40)': the learner's own line."""
    where = ""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == str(source_file)]
    if frames:
        where = f" ({frames[-1].filename.rsplit('/', 1)[-1]}, line {frames[-1].lineno})"
    if isinstance(error, StoppedTheGrader):
        return f"{error}{where}"
    text = clip(str(error).strip())  # clipped first: splitting a message of megabytes is slow too
    message = text.splitlines()[0] if text else ""
    return f"raised {type(error).__name__}" + (f": {message}" if message else "") + where


def _describe(example):
    """An example as text: `name = value` pairs for a dict, str() for anything else."""
    if example is None:
        return ""
    if isinstance(example, dict):
        return ", ".join(f"{key} = {show(value)}" for key, value in example.items())
    return str(example)


def show(value):
    """A short, one-line text for a number, array, tuple or anything else (clipped to CLIP characters)."""
    return clip(_one_line(value))


def _one_line(value):
    """show(value) before clipping."""
    if isinstance(value, str):
        return value
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=6, separator=", ", threshold=24, max_line_width=10**6)
        return f"array({text})" if value.ndim == 0 else text
    if isinstance(value, (float, np.floating)):
        text = f"{float(value):.10g}"
        return text if any(c in text for c in ".enai") else f"{text}.0"  # 0.0, not 0: it is a float
    if isinstance(value, tuple):
        inner = ", ".join(show(v) for v in value[:20]) + (", ..." if len(value) > 20 else "")
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value[:20]) + (", ...]" if len(value) > 20 else "]")
    return repr(value)
