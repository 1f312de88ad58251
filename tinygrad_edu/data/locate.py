"""Finding the folder that holds the four files: the path given, $FASHION_MNIST_DIR, the cache, Debian's."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tinygrad_edu.data._checks import as_path
from tinygrad_edu.data.errors import (
    DatasetNotFoundError,
    DatasetPermissionError,
    how_to_get_data,
    no_permission,
)
from tinygrad_edu.data.sources import ENV_VAR, FILE_NAMES, SYSTEM_DATA_DIR, user_cache_dir


def _is_file(path: Path) -> bool:
    """True if ``path`` is a regular file (links followed); a permission problem is an error, not False."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except PermissionError as error:
        raise no_permission(path.parent, "folder", error) from error
    except OSError:  # no such file, a broken link, a path through a regular file...
        return False


def _folder_problem(folder: Path) -> str | None:
    """Why ``folder`` cannot hold the data ("does not exist", "is not a folder"), or None if it can."""
    try:
        if stat.S_ISDIR(folder.stat().st_mode):
            return None
        return "is not a folder"
    except PermissionError as error:
        raise no_permission(folder, "folder", error) from error
    except OSError:
        return "does not exist"


def find_files(folder: Path, names: tuple[str, ...] = FILE_NAMES) -> tuple[dict[str, Path], list[str]]:
    """Look for the files ``names`` (by default the four) in ``folder``.

    Returns ``(found, missing)``: ``found`` maps each base name to the file to
    read, ``missing`` lists the base names not present in either form. When a
    file exists both decompressed and gzipped, the decompressed one wins
    because it is quicker to read.

    Raises:
        DatasetPermissionError: this user may not look inside ``folder``.
    """
    found: dict[str, Path] = {}
    missing: list[str] = []
    for name in names:
        for candidate in (folder / name, folder / f"{name}.gz"):
            if _is_file(candidate):
                found[name] = candidate
                break
        else:
            missing.append(name)
    return found, missing


def _describe_missing(missing: list[str]) -> str:
    return "missing " + ", ".join(f"{name}[.gz]" for name in missing)


def _search_problem(folder: Path) -> str | None:
    """Why the search cannot use ``folder`` (missing, not a folder, incomplete, unreadable), or None."""
    try:
        problem = _folder_problem(folder)
        missing = find_files(folder)[1] if problem is None else []
    except DatasetPermissionError as error:
        return f"no permission to read it ({error.__cause__.strerror})"  # type: ignore[union-attr]
    return problem or (_describe_missing(missing) if missing else None)


def find_data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder that holds the four Fashion-MNIST files.

    A folder counts if it holds all four files, each either gzipped
    (``train-images-idx3-ubyte.gz``) or already decompressed
    (``train-images-idx3-ubyte``).

    Search order:

    1. ``path``, if given. It must exist and hold the four files; otherwise
       this is an error - we never silently fall back to another folder.
    2. ``$FASHION_MNIST_DIR``, if set and not empty. Like ``path``, it must
       name a readable folder holding the four files; otherwise this is an
       error naming the variable - the search does not go on past it.
    3. The user cache, ``$XDG_CACHE_HOME/tinygrad_edu/fashion-mnist``
       (``~/.cache/tinygrad_edu/fashion-mnist`` when XDG_CACHE_HOME is unset).
    4. ``/usr/share/datasets/fashion-mnist`` (Debian's ``dataset-fashion-mnist``).

    Raises:
        TypeError: ``path`` is not a str or os.PathLike.
        DatasetNotFoundError: no suitable folder. The message lists every
            folder tried, in order, what was missing there (or that it could
            not be read), and how to get the data.
        DatasetNotFoundError: ``$FASHION_MNIST_DIR`` names a folder that does
            not exist, is a file, is incomplete or may not be read.
        DatasetPermissionError: ``path`` was given but may not be read.
    """
    if path is not None:
        folder = as_path(path, "path")
        problem = _folder_problem(folder)
        if problem:
            raise DatasetNotFoundError(
                f"The Fashion-MNIST folder you passed, {folder}, {problem}.\n{how_to_get_data(folder)}"
            )
        _, missing = find_files(folder)
        if missing:
            raise DatasetNotFoundError(
                f"The Fashion-MNIST folder you passed, {folder}, is incomplete: "
                f"{_describe_missing(missing)}.\n{how_to_get_data(folder)}"
            )
        return folder

    # An empty value counts as unset, as for most variables that name a folder.
    env_value = os.environ.get(ENV_VAR)
    candidates: list[tuple[str, Path | None]] = [
        (f"${ENV_VAR}", Path(env_value).expanduser() if env_value else None),
        ("user cache", user_cache_dir()),
        ("system, Debian package", SYSTEM_DATA_DIR),
    ]
    report = []
    for number, (label, folder) in enumerate(candidates, start=1):
        if folder is None:
            report.append(f"  {number}. {label}: not set")
            continue
        problem = _search_problem(folder)
        if problem is None:
            return folder
        if number == 1:  # a folder the user named is never skipped for another one
            raise DatasetNotFoundError(
                f"${ENV_VAR} names a folder that cannot be used:\n  {folder} ({label}): {problem}\n"
                f"Set ${ENV_VAR} to the folder that holds the four files, or unset it to search "
                f"the default folders.\n{how_to_get_data(folder)}"
            )
        report.append(f"  {number}. {folder} ({label}): {problem}")

    raise DatasetNotFoundError(
        "Fashion-MNIST data not found. Looked in these folders, in this order:\n"
        + "\n".join(report)
        + "\n"
        + how_to_get_data()
    )
