"""The files a training run writes, safe against a kill at any moment (lesson 7).

- `atomic_write`: one file, written under a temporary name beside it, then renamed over it.
- `replace_together`: several files replaced as one set; a journal is the commit point, and
  `finish_replacing` (run by the next writer) completes the renames a kill interrupted.
- `read_npz`: an .npz read with every array's header checked against the bytes the file holds,
  before anything is allocated; every kind of damage is a `FileFormatError` naming the file.
- `FolderLock`: one writer per folder, an exclusive `flock` held for as long as the process writes.

Nothing is written, renamed or deleted outside the folder given (data.safe_paths): a symlink
planted at a file's name, or a symlinked subfolder, is refused with an UnsafePathError.

A kill here means the process stops between any two system calls (SIGKILL, a crash). Files are
flushed with fsync before their rename; the folder itself is not, so a power cut is not covered.
"""

import contextlib
import fcntl
import json
import os
import re
import secrets
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

from tinygrad_edu.data.safe_paths import check_inside, make_parents, open_no_follow, replace

TEMP_SUFFIX = ".tmp"
JOURNAL = ".replacing.json"
_TEMP_NAME = re.compile(r"^\..+\.[0-9a-f]{8}\.tmp$")
_MAX_DEFLATE_RATIO = 1100  # deflate cannot shrink data more than ~1032:1; beyond that a size is forged


class FileFormatError(ValueError):
    """A file that cannot be used as what it should be: the message starts with its path."""

    def __init__(self, path, problem):
        self.path, self.problem = Path(path), problem
        super().__init__(f"{path}: {problem}")


class FolderBusyError(RuntimeError):
    """Another process holds the folder's lock."""


def atomic_write(path, write, folder=None):
    """Write `path` through a temporary file in the same folder, then rename: never a half-written file.

    `write(f)` gets the temporary file open for binary writing. It is created with the usual
    permissions (0666 minus the umask) and flushed to disk before the rename. `path` must lie in
    `folder` (default: its own folder), reached without symlinks, and not be a symlink itself.
    """
    path = Path(path)
    folder = path.parent if folder is None else Path(folder)
    make_parents(folder, path)
    temp = _write_temp(folder, path, write)
    try:
        replace(folder, temp, path)
    except BaseException:
        _remove(temp)
        raise


def _write_temp(folder, path, write):
    """A complete, fsynced file with the new content, under a fresh hidden name beside `path`."""
    while True:
        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
        try:  # O_EXCL: a new file, never someone else's nor a link; mode 0666 minus the umask
            fd = open_no_follow(folder, temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            break
        except FileExistsError:
            continue
    try:
        with open(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        _remove(temp)
        raise
    return temp


def _remove(path):
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def replace_together(folder, writers):
    """Replace the files {name: write, or None to delete} in `folder` as one set.

    Every new file is first written completely under a temporary name; then a journal listing
    the renames is written atomically (the commit point); then the renames run and the journal
    goes. A kill before the journal exists leaves the old set untouched; a kill after it leaves
    renames due, which `finish_replacing` completes. Readers check `replacing_pending` first.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    finish_replacing(folder)
    for name in writers:
        check_inside(folder, folder / _plain_name(folder, name))
    renames = {}
    try:
        for name, write in writers.items():
            renames[name] = None if write is None else _write_temp(folder, folder / name, write).name
    except BaseException:
        for temp in renames.values():
            if temp is not None:
                _remove(folder / temp)
        raise
    atomic_write(folder / JOURNAL, lambda f: f.write(json.dumps(renames).encode()))
    finish_replacing(folder)


def _plain_name(where, name):
    """`name` if it names a file directly in a folder (no separator, not . or ..); else FileFormatError."""
    if not isinstance(name, str) or not name or name in (".", "..") or "/" in name or os.sep in name:
        raise FileFormatError(where, f"{name!r} is not the name of a file directly in its folder")
    return name


def replacing_pending(folder):
    """True while a `replace_together` in `folder` has committed but not finished its renames."""
    return (Path(folder) / JOURNAL).exists()


def finish_replacing(folder):
    """Complete an interrupted `replace_together` in `folder`, if there is one; True if there was."""
    journal = Path(folder) / JOURNAL
    try:
        renames = json.loads(journal.read_text())
    except FileNotFoundError:
        return False
    except (OSError, ValueError) as error:
        raise FileFormatError(journal, f"unreadable journal of an interrupted save ({error}); "
                                       "delete it and rerun the run that wrote this folder") from None
    folder = Path(folder)
    if not isinstance(renames, dict):
        raise FileFormatError(journal, "not a journal: a JSON object of {name: temporary name} expected")
    for name, temp in renames.items():
        name = _plain_name(journal, name)
        if temp is None:
            _remove(folder / name)  # a symlink there is removed itself, its target is not touched
        elif (folder / _plain_name(journal, temp)).exists():  # gone: renamed before the interruption
            replace(folder, folder / temp, folder / name)
    os.unlink(journal)
    return True


def remove_stale_temps(folder):
    """Delete temporary files that a killed writer left in `folder` (call it only holding the lock)."""
    for path in Path(folder).glob(f".*{TEMP_SUFFIX}"):
        if _TEMP_NAME.match(path.name):
            _remove(path)


def read_npz(path):
    """{name: array} from an .npz archive (as numpy.savez writes it), trusting nothing in the file.

    Raises FileFormatError naming the file and the problem for: a missing, unreadable or empty
    file; a file that is no zip archive (a lone .npy array, text, anything else); a damaged
    archive (truncated, or a CRC mismatch from flipped bits); and an array whose header claims
    more or fewer bytes than the archive holds for it, so that a forged shape is refused before
    numpy allocates anything. Arrays of Python objects are refused: nothing is ever unpickled.
    """
    path = Path(path)
    try:
        with open(path, "rb") as f:
            head = f.read(64)
    except OSError as error:
        raise FileFormatError(path, f"cannot be read ({error.strerror or error})") from None
    if not head:
        raise FileFormatError(path, "is empty (0 bytes)")
    if head.startswith(b"\x93NUMPY"):
        raise FileFormatError(path, "is a single .npy array, not an .npz archive of named arrays")
    if not head.startswith(b"PK\x03\x04"):
        raise FileFormatError(path, f"is not an .npz archive: it starts with {_describe_start(head)}")
    try:
        with zipfile.ZipFile(path) as archive:
            _check_members_fill_the_archive(archive, path)
            return {info.filename[:-4]: _read_member(archive, info, path) for info in archive.infolist()}
    except FileFormatError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, NotImplementedError) as error:
        raise FileFormatError(path, f"is damaged or truncated ({error})") from None


def _describe_start(head):
    """How a file's first bytes look, for an error message: quoted text, or hex."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return f"the bytes {head[:8].hex(' ')}"
    if text.isprintable() or all(c.isprintable() or c.isspace() for c in text):
        return f"the text {text[:24]!r}"
    return f"the bytes {head[:8].hex(' ')}"


def _check_members_fill_the_archive(archive, path):
    """The members, end to end, must fill the archive up to its table of contents: a lost one shows.

    (zip trusts its table of contents; a flipped bit there can silently hide members.)
    """
    position = 0
    with open(path, "rb") as f:
        for info in sorted(archive.infolist(), key=lambda member: member.header_offset):
            f.seek(info.header_offset)
            header = f.read(30)
            if info.header_offset != position or len(header) != 30 or not header.startswith(b"PK\x03\x04"):
                break
            name_length, extra_length = struct.unpack("<HH", header[26:30])
            position = info.header_offset + 30 + name_length + extra_length + info.compress_size
            if info.flag_bits & 0x08:  # a data descriptor follows, with or without its signature
                f.seek(position)
                position += 16 if f.read(4) == b"PK\x07\x08" else 12
        else:
            if position == archive.start_dir:
                return
    raise FileFormatError(path, "is damaged: its table of contents does not match the arrays it holds")


def _read_member(archive, info, path):
    """One array of the archive, its header checked against the member's size before reading."""
    if not info.filename.endswith(".npy"):
        raise FileFormatError(path, f"holds {info.filename!r}, which is not an array (.npy)")
    if info.compress_type != zipfile.ZIP_STORED and info.file_size > _MAX_DEFLATE_RATIO * info.compress_size:
        raise FileFormatError(path, f"{info.filename} claims {info.file_size} bytes from "
                                    f"{info.compress_size} compressed: a forged size")
    with archive.open(info) as member:
        version = np.lib.format.read_magic(member)
        read_header = {(1, 0): np.lib.format.read_array_header_1_0,
                       (2, 0): np.lib.format.read_array_header_2_0}.get(version)
        if read_header is None:
            raise FileFormatError(path, f"{info.filename} has .npy format version {version}, not 1.0 or 2.0")
        shape, fortran_order, dtype = read_header(member)
        if dtype.hasobject:
            raise FileFormatError(path, f"{info.filename} holds Python objects, which only pickle "
                                        "could load: refused")
        claimed = int(np.prod(shape, dtype=object)) * dtype.itemsize
        stored = info.file_size - member.tell()
        if claimed != stored:
            raise FileFormatError(path, f"{info.filename} claims shape {shape} of {dtype} ({claimed} bytes) "
                                        f"but holds {stored} bytes")
        data = member.read()  # reading to the end checks the CRC
    array = np.frombuffer(data, dtype=dtype)
    return array.reshape(shape, order="F" if fortran_order else "C").copy()


class FolderLock:
    """An exclusive lock on one folder for one process: `folder/<name>`, flock'ed, holding the pid.

    The kernel drops the lock when the process ends, however it ends, so a killed run never
    leaves a stale lock behind. Used as a context manager; `acquire` raises FolderBusyError,
    naming the other process, when the lock is taken.
    """

    def __init__(self, folder, name=".lock"):
        self.path = Path(folder) / name
        self._fd = None

    def acquire(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = open_no_follow(self.path.parent, self.path, os.O_RDWR | os.O_CREAT)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise FolderBusyError(f"{self.path.parent} is in use by another process (pid {holder}, "
                                  f"holding {self.path}); wait for it to end, or stop it") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def release(self):
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock; the file stays, harmless
            self._fd = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
