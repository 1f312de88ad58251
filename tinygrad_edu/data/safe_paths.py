"""Writing only inside the folder you were given: a planted symlink never sends a write elsewhere.

Every file the package writes, replaces or deletes goes through these checks first:
- the folder it lands in, resolved, is the given folder or inside it (no symlinked subfolder, no ``..``);
- its own name is not a symlink (files are opened with ``O_NOFOLLOW``; fresh ones with ``O_EXCL``);
- ``os.replace`` only renames onto a name that is not a symlink.
The given folder itself may be a symlink: it is the caller's choice. Reading through links stays
allowed (a link to your data is fine). Someone swapping folders *while* we write is not covered:
that would need ``openat`` on folder descriptors, beyond what these lessons show.
"""

import argparse
import errno
import os
from pathlib import Path


class UnsafePathError(OSError, ValueError):
    """A write that would leave its folder (through a symlink or ``..``): the message names path and why."""

    def __init__(self, path, problem):
        self.path, self.problem = Path(path), problem
        super().__init__(f"{path}: {problem}; refusing to write there")


def check_inside(folder, path):
    """`path` itself, once checked: its folder resolves inside `folder` and its name is not a symlink."""
    folder, path = Path(folder), Path(path)
    if not path.is_relative_to(folder) or ".." in path.relative_to(folder).parts:
        raise UnsafePathError(path, f"not a path inside {folder}")
    root, parent = folder.resolve(), path.parent.resolve()
    if parent != root and root not in parent.parents:
        raise UnsafePathError(path, f"its folder {path.parent} is {parent}, outside {folder} (a symlink)")
    if path.is_symlink():
        raise UnsafePathError(path, f"it is a symlink (to {os.readlink(path)}); remove the link first")
    return path


def make_parents(folder, path):
    """Create `folder` and the folders between it and `path`, refusing any that is a symlink."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    check_inside(folder, path)
    for sub in reversed(Path(path).relative_to(folder).parents[:-1]):
        (folder / sub).mkdir(exist_ok=True)
        check_inside(folder, folder / sub)


def open_no_follow(folder, path, flags, mode=0o666):
    """`os.open(path, flags | O_NOFOLLOW)` after `check_inside`: a file descriptor, never through a link."""
    check_inside(folder, path)
    try:
        return os.open(path, flags | os.O_NOFOLLOW, mode)
    except OSError as error:
        if error.errno == errno.ELOOP:  # a link planted between the check and the open
            raise UnsafePathError(path, "it is a symlink") from None
        raise


def replace(folder, source, target):
    """`os.replace(source, target)`, both checked inside `folder`, `target` never a symlink."""
    check_inside(folder, source)
    check_inside(folder, target)
    os.replace(source, target)


def path_argument(text):
    """argparse type: `text` as a Path, refusing the empty string (Path("") is silently ".")."""
    if not text:
        raise argparse.ArgumentTypeError("is empty: name a file or folder (. for the current folder)")
    return Path(text)
