"""What `check` prints: one line per exercise, and for a failure what to look at and reread.

Lines fit a 100-column terminal; colour is used only when writing to a terminal.
"""

import textwrap

from tinygrad_edu.course.exercises import BY_NAME

WIDTH = 100
_LABELS = {"passed": "PASS", "not implemented": "TODO", "failed": "FAIL", "timed out": "FAIL"}
_COLOURS = {"passed": "32", "not implemented": "33", "failed": "31", "timed out": "31"}  # green yellow red
_INDENT = " " * 8


def format_outcome(outcome, colour=False):
    """The lines reporting one exercise's Outcome."""
    exercise = BY_NAME[outcome.name]
    label = _LABELS[outcome.status]
    if colour:
        label = f"\033[{_COLOURS[outcome.status]}m{label}\033[0m"
    status = {"not implemented": "not implemented yet", "timed out": "timed out"}.get(outcome.status, "")
    head = f"  {label}  {outcome.name:<24} lesson {exercise.lesson}"
    lines = [f"{head}   {status}".rstrip()]
    if outcome.status in ("failed", "timed out"):
        if outcome.property:
            lines += _wrap("property: ", outcome.property)
        if outcome.example:
            lines += _wrap("smallest failing input: ", outcome.example)
        if outcome.error:
            lines += _wrap("", outcome.error)
        elif outcome.what:
            lines += _wrap("expected: ", f"{outcome.what} = {outcome.expected}")
            lines += _wrap("got:      ", f"{outcome.what} = {outcome.got}")
        lines += _printed(outcome.output)
        lines += _wrap("reread: ", f'lesson {exercise.lesson}, "{exercise.section}" ({exercise.anchor})')
    return lines


def _printed(output, max_lines=12):
    """What the learner's code printed: its first `max_lines` lines, each cut to fit WIDTH."""
    lines = output.rstrip().splitlines()
    if not lines:
        return []
    room = WIDTH - len(_INDENT) - 2
    shown = [
        _INDENT + "| " + (line if len(line) <= room else line[: room - 1] + "…") for line in lines[:max_lines]
    ]
    if len(lines) > max_lines:
        shown.append(f"{_INDENT}| … ({len(lines) - max_lines:,} more lines)")
    return [f"{_INDENT}your code printed:", *shown]


def format_summary(outcomes):
    """The closing line: how many passed, are still to do, failed."""
    counts = {status: sum(o.status == status for o in outcomes) for status in _LABELS}
    failed = counts["failed"] + counts["timed out"]
    return (
        f"{counts['passed']} of {len(outcomes)} exercises pass; {counts['not implemented']} not "
        f"implemented yet; {failed} failed"
    )


def _wrap(label, text):
    """`label` + `text` wrapped at WIDTH columns, continuation lines aligned under the text."""
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=_INDENT + label,
        subsequent_indent=_INDENT + " " * len(label),
        break_long_words=True,
        break_on_hyphens=False,
    )
