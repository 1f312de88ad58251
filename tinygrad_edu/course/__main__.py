"""The command line: `python -m tinygrad_edu.course list | init [--solved] [--lang L] DIR | check`.

Its own output is English in every language; `--lang` chooses the language of the workspace's
instructions (the stubs' docstrings) only.
"""

import argparse
import os
import sys
from pathlib import Path

from tinygrad_edu.course import exercises, feedback, runner, translations, workspace
from tinygrad_edu.data.safe_paths import path_argument


def main(argv=None):
    args = _parser().parse_args(argv)
    return args.command(args)


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m tinygrad_edu.course",
        description="Graded exercises: write the engine's pieces yourself; they are checked with "
        "property-based tests against central finite differences.",
    )
    commands = parser.add_subparsers(required=True, metavar="{list,init,check}")

    listing = commands.add_parser("list", help="every exercise, its file and the lesson section it practises")
    listing.set_defaults(command=_list)

    init = commands.add_parser("init", help="write a workspace of stub files to fill in")
    init.add_argument("directory", type=path_argument, help="where to write the files (created if missing)")
    init.add_argument("--solved", action="store_true", help="write the reference solutions instead of stubs")
    init.add_argument("--force", action="store_true", help="overwrite the files of an existing workspace")
    init.add_argument(
        "--lang",
        choices=list(translations.LANGUAGES),
        default="en",
        help="language of the instructions in the files (the code is the same): "
        "en (default) or zh-TW, 繁體中文",
    )
    init.set_defaults(command=_init)

    check = commands.add_parser("check", help="grade the exercises of a workspace")
    check.add_argument("names", nargs="*", metavar="NAME", help="exercises to grade (default: all)")
    check.add_argument("--dir", type=path_argument, default=Path("."), help="the workspace (default: .)")
    check.add_argument(
        "--jobs", type=_positive_int, default=None, help="exercises graded at once (default: cores)"
    )
    check.add_argument(
        "--timeout",
        type=_seconds,
        default=runner.TIMEOUT,
        help=f"CPU seconds per exercise, at most {MAX_TIMEOUT:g} (default {runner.TIMEOUT:g})",
    )
    check.set_defaults(command=_check)
    return parser


MAX_TIMEOUT = 3600.0  # an hour of CPU time: beyond that an exercise is surely stuck


def _seconds(text):
    """argparse type for --timeout: seconds in (0, MAX_TIMEOUT]; inf and nan are refused."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, got {text!r}") from None
    if not 0 < value <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(
            f"must be more than 0 and at most {MAX_TIMEOUT:g} seconds, got {text!r}"
        )
    return value


def _positive_int(text):
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return int(text)


def _list(args):
    for lesson, (page, part) in exercises.LESSONS.items():
        print(f"lesson {lesson}: {part}.py (lessons/{page})")
        for exercise in exercises.EXERCISES:
            if exercise.lesson == lesson:
                print(f"  {exercise.name:<24} {exercise.section}")
    print(f"{len(exercises.EXERCISES)} exercises. Start with: python -m tinygrad_edu.course init my-engine")
    return 0


def _init(args):
    try:
        paths = workspace.write_workspace(
            args.directory, solved=args.solved, force=args.force, lang=args.lang
        )
    except workspace.WorkspaceError as error:
        print(f"init: {error}", file=sys.stderr)
        return 2
    kind = "reference solutions" if args.solved else "stubs"
    print(f"wrote {len(paths)} files of {kind} ({args.lang}) into {args.directory}:")
    for path in paths:
        print(f"  {path.name}")
    print(f"grade them with: python -m tinygrad_edu.course check --dir {args.directory}")
    return 0


def _check(args):
    try:
        selected = exercises.select(args.names)
    except KeyError as error:
        print(f"check: {error.args[0]}", file=sys.stderr)
        return 2
    if not args.dir.is_dir():
        print(
            f"check: {args.dir} is not a directory; create a workspace with `init {args.dir}`",
            file=sys.stderr,
        )
        return 2
    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    outcomes = []
    for outcome in runner.grade_all(args.dir.resolve(), selected, jobs=args.jobs, timeout=args.timeout):
        outcomes.append(outcome)
        print("\n".join(feedback.format_outcome(outcome, colour=colour)), flush=True)
    print(feedback.format_summary(outcomes))
    return 0 if all(o.status == "passed" for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
