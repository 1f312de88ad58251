"""The command line: ``python -m tinygrad_edu.data download | verify`` (lesson 7).

    python -m tinygrad_edu.data download [--dir DIR] [--mirror URL ...] [--timeout SECONDS]
    python -m tinygrad_edu.data verify [--dir DIR]
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from tinygrad_edu.data.download import (
    DEFAULT_MIRRORS,
    DEFAULT_TIMEOUT,
    MAX_TIMEOUT,
    DownloadError,
    check_mirror,
    download,
    verify,
)
from tinygrad_edu.data.errors import DatasetError, DatasetNotFoundError
from tinygrad_edu.data.locate import find_data_dir
from tinygrad_edu.data.safe_paths import path_argument
from tinygrad_edu.data.sources import DOWNLOAD_COMMAND, user_cache_dir


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(
            f"must be a positive number of seconds, got {text!r} (at most {MAX_TIMEOUT:g})"
        )
    return value


def _mirror_url(text: str) -> str:
    try:
        return check_mirror(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tinygrad_edu.data",
        description="Fetch Fashion-MNIST (verified) or check the files you have.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="{download,verify}")
    fetch = commands.add_parser(
        "download",
        help="fetch the four files, verified, skipping those already there",
        description="Fetch the four Fashion-MNIST files, verify each, and move it into place atomically. "
        "Sources, in order: " + ", then ".join(DEFAULT_MIRRORS) + ".",
    )
    fetch.add_argument(
        "--dir",
        type=path_argument,
        default=None,
        help=f"where to put them (default: {user_cache_dir()}, where the loader looks)",
    )
    fetch.add_argument(
        "--mirror",
        type=_mirror_url,
        action="append",
        metavar="URL",
        help="a base URL holding the four .gz files, instead of the default sources (repeat to try several)",
    )
    fetch.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up on a connection that sends nothing for this long (default: {DEFAULT_TIMEOUT:g})",
    )
    check = commands.add_parser(
        "verify",
        help="check the files, one by one",
        description="Check each file's header, length and SHA-256, as the loader does.",
    )
    check.add_argument(
        "--dir", type=path_argument, default=None,
        help="the folder to check (default: the one the loader uses)",
    )
    return parser


def _run_verify(folder: Path | None) -> int:
    where = ""
    if folder is None:
        folder = find_data_dir()  # the folder the loader uses; raises, naming every folder tried, if none
        where = " (the folder the loader uses)"
    elif not folder.is_dir():
        raise DatasetNotFoundError(
            f"{folder} is not a folder. To fetch the data there: {DOWNLOAD_COMMAND} --dir {folder}"
        )
    checks = verify(folder)
    print(f"Checking {folder}{where}:")
    for check in checks:
        if check.path is None:
            print(f"  missing  {check.name}[.gz]")
        else:
            print(
                f"  {'ok' if check.ok else 'damaged':7}  {check.path.name}"
                + (f": {check.problem}" if check.problem else "")
            )
    bad = [check for check in checks if not check.ok]
    if bad:
        print(
            f"{len(bad)} of {len(checks)} files missing or damaged. To fix: {DOWNLOAD_COMMAND} --dir {folder}"
        )
        return 1
    print(f"All {len(checks)} files verify.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; returns the exit status (0: every file verified)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "verify":
            return _run_verify(args.dir)
        return 0 if download(args.dir, args.mirror, timeout=args.timeout) else 1
    except (DownloadError, DatasetError, DatasetNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
