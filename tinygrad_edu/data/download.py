"""Fetching Fashion-MNIST over HTTP, verified, for learners without Debian's package (lesson 7).

    python -m tinygrad_edu.data download [--dir DIR] [--mirror URL ...] [--timeout SECONDS]
    python -m tinygrad_edu.data verify [--dir DIR]

This is the only place in tinygrad_edu that uses the network, and only when a
learner runs the command above: the loader and the examples never download.

Each file ``NAME.gz`` is fetched from the first mirror that delivers it into
``NAME.gz.part`` beside its final place, then checked exactly as the loader
checks it (header, length, and the SHA-256 of the *decompressed* content, so
the original files and Debian's recompressed ones both pass), and only then
renamed to ``NAME.gz`` in one atomic step (``os.replace``). A file that fails
its check is deleted; a file cut short stays as ``.part`` and the next attempt
resumes it with an HTTP ``Range`` request (or starts it again if the server
ignores the range). Only the standard library is used (``urllib``).
"""

from __future__ import annotations

import base64
import math
import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path
from typing import TextIO
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from tinygrad_edu.data._checks import checked_seconds
from tinygrad_edu.data.errors import DatasetError, DatasetNotFoundError
from tinygrad_edu.data.fashion_mnist import check_expected
from tinygrad_edu.data.idx import read_idx
from tinygrad_edu.data.locate import find_files
from tinygrad_edu.data.safe_paths import UnsafePathError, check_inside, open_no_follow, replace
from tinygrad_edu.data.sources import EXPECTED_FILES, user_cache_dir

__all__ = [
    "DEFAULT_MIRRORS",
    "DEFAULT_TIMEOUT",
    "MAX_TIMEOUT",
    "DownloadError",
    "FileCheck",
    "download",
    "verify",
]

#: Where the files come from, tried in this order: the dataset's official mirror, then the
#: ``data/fashion/`` folder of its GitHub repository. Each is a base URL holding the four ``.gz`` files.
DEFAULT_MIRRORS: tuple[str, ...] = (
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
)

#: Seconds without a single byte from the server before a download is given up as stalled.
DEFAULT_TIMEOUT = 30.0
MAX_TIMEOUT = 86400.0  # a day: longer is no timeout at all, and sockets overflow near 1e300 s

_CHUNK_BYTES = 1 << 16


def _max_gzip_bytes(shape: tuple[int, ...]) -> int:
    """An upper bound on the ``.gz`` size of an IDX file of ``shape``: its raw size plus 1% and 4 kB.

    gzip never grows data by more than a few bytes per 64 kB block plus its header, so a server
    sending more than this is not sending the file, and we stop reading it.
    """
    return (4 + 4 * len(shape) + math.prod(shape)) * 101 // 100 + 4096


def shown(url: str) -> str:
    """``url`` as messages print it: a password replaced by ``***``, the query (maybe a token) left out."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:***@{host}" if ":" in userinfo else f"{user}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _file_url(mirror: str, name: str) -> str:
    """The URL of ``name`` in the folder ``mirror`` (which ends in ``/``), keeping its query string."""
    parts = urlsplit(mirror)
    return urlunsplit((parts.scheme, parts.netloc, parts.path + quote(name), parts.query, ""))


def _request(url: str) -> urllib.request.Request:
    """A GET request for ``url``; credentials in it travel as a Basic Authorization header, not in the URL.

    urllib would otherwise take ``user:secret@host`` for the host, and its errors would print it.
    """
    parts = urlsplit(url)
    headers = {"User-Agent": "tinygrad_edu-download"}
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, netloc = netloc.rsplit("@", 1)
        user, _, password = userinfo.partition(":")
        token = base64.b64encode(f"{unquote(user)}:{unquote(password)}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    return urllib.request.Request(urlunsplit(parts._replace(netloc=netloc)), headers=headers)


class DownloadError(RuntimeError):
    """One attempt to fetch a file failed; the message says how (HTTP status, stall, cut, wrong file)."""


@dataclass(frozen=True)
class FileCheck:
    """What ``verify`` found for one file: ``path`` is None when missing, ``problem`` None when intact."""

    name: str
    path: Path | None
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.path is not None and self.problem is None


# --------------------------------------------------------------------------
# Checking what is on disk
# --------------------------------------------------------------------------


def _check_file(path: Path, name: str, expected: Mapping, gzipped: bool | None = None) -> str | None:
    """None if ``path`` passes the loader's checks for ``name``, else the problem in one line."""
    sha256, shape = expected[name]
    try:
        read_idx(path, shape=shape, sha256=sha256, gzipped=gzipped)
    except (DatasetError, DatasetNotFoundError) as error:
        return str(error).splitlines()[0].removeprefix(f"{path}: ")
    return None


def verify(folder: str | os.PathLike[str], expected: Mapping = EXPECTED_FILES) -> list[FileCheck]:
    """Check each file of ``expected`` in ``folder`` as the loader would, the one the loader would read.

    For each base name the loader reads ``NAME`` if present, else ``NAME.gz``; that file is checked
    (header, length, SHA-256 of the decompressed content). Returns one ``FileCheck`` per name.

    Raises:
        DatasetPermissionError: this user may not look inside ``folder``.
    """
    folder = Path(folder).expanduser()
    found, _ = find_files(folder, tuple(expected))
    checks = []
    for name in expected:
        path = found.get(name)
        checks.append(FileCheck(name, path, None if path is None else _check_file(path, name, expected)))
    return checks


# --------------------------------------------------------------------------
# Fetching one file
# --------------------------------------------------------------------------


class _Progress:
    """A tqdm bar on a terminal; otherwise silent (the caller prints one line per file)."""

    def __init__(self, name: str, total: int | None, initial: int, stream: TextIO):
        self.bar = None
        if stream.isatty():
            try:
                from tqdm import tqdm  # optional: the [examples] extra
            except ImportError:
                return
            self.bar = tqdm(
                total=total, initial=initial, desc=name, unit="B", unit_scale=True, file=stream, leave=False
            )

    def update(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class _SameHostCredentials(urllib.request.HTTPRedirectHandler):
    """Follows redirects as urllib does, but sends the Authorization header only to the mirror's own host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # urllib's signature
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and urlsplit(newurl).netloc != urlsplit(req.full_url).netloc:
            new.remove_header("Authorization")
        return new


def _fetch(url: str, part: Path, timeout: float, stream: TextIO, max_bytes: int) -> int:
    """Append ``url``'s bytes to ``part``, resuming from its size with a Range request.

    Returns the offset the transfer started at (0: from the beginning). Raises DownloadError
    when the server refuses, stalls for ``timeout`` seconds, closes the connection early
    (``part`` then keeps what arrived, for the next attempt to resume), or announces or sends
    more than ``max_bytes`` in all (nothing past that is read).
    """
    offset = part.stat().st_size if part.exists() else 0
    request = _request(url)
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    opener = urllib.request.build_opener(_SameHostCredentials)  # reads the proxy settings of this moment
    try:
        response = opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        if error.code == 416 and offset:  # the part is longer than the file: it cannot be resumed
            part.unlink()
            return _fetch(url, part, timeout, stream, max_bytes)
        raise DownloadError(f"HTTP {error.code} {error.reason}") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise DownloadError(f"no answer within {timeout:g} s (--timeout)") from error
        raise DownloadError(f"cannot connect ({error.reason})") from error
    except TimeoutError as error:  # connected, but the server sent no headers in time
        raise DownloadError(f"no answer within {timeout:g} s (--timeout)") from error
    except (OSError, HTTPException) as error:
        raise DownloadError(f"the connection failed ({error})") from error

    with response:
        if offset and response.status != 206:  # the server ignored the range: start again
            offset = 0
        length = response.headers.get("Content-Length")
        total = offset + int(length) if length is not None and length.isdigit() else None
        too_big = f"more than the file can have (at most {max_bytes:,} bytes)"
        if total is not None and total > max_bytes:
            raise DownloadError(f"the server announces {total:,} bytes, {too_big}")
        received = offset
        # A trickle (a byte now and then, never a pause of `timeout`) must stall too: the
        # transfer must make _CHUNK_BYTES of progress (or end) every `timeout` seconds.
        mark_time, mark_bytes = time.monotonic(), received
        progress = _Progress(part.name.removesuffix(".part"), total, offset, stream)
        try:
            flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if offset else os.O_TRUNC)
            with open(open_no_follow(part.parent, part, flags), "wb") as file:
                # read1: whatever has arrived, so a stall keeps it; never more than one byte past the bound
                while chunk := response.read1(min(_CHUNK_BYTES, max_bytes + 1 - received)):
                    if received + len(chunk) > max_bytes:
                        raise DownloadError(f"the server sent over {max_bytes:,} bytes, {too_big}; stopped")
                    file.write(chunk)
                    received += len(chunk)
                    progress.update(len(chunk))
                    if received - mark_bytes >= _CHUNK_BYTES:
                        mark_time, mark_bytes = time.monotonic(), received
                    elif time.monotonic() - mark_time > timeout:
                        raise DownloadError(
                            f"the connection trickles: {received - mark_bytes:,} bytes in {timeout:g} s "
                            f"after {mark_bytes:,} bytes, under {_CHUNK_BYTES:,} (--timeout)"
                        )
                file.flush()
                os.fsync(file.fileno())
        except TimeoutError as error:
            raise DownloadError(
                f"the connection stalled: no data for {timeout:g} s after {received:,} bytes (--timeout)"
            ) from error
        except (OSError, HTTPException) as error:
            raise DownloadError(f"the connection failed after {received:,} bytes ({error})") from error
        finally:
            progress.close()
    if total is not None and received < total:
        raise DownloadError(f"the connection closed after {received:,} of {total:,} bytes")
    return offset


def _fetch_verified(
    url: str, part: Path, name: str, expected: Mapping, timeout: float, stream: TextIO
) -> int:
    """Fetch ``url`` into ``part`` and check it; a wrong file is deleted. Returns the resume offset.

    A resumed file that fails its check may be two different (equally valid) compressions glued
    together, e.g. a cut download from one mirror finished from another: it is fetched once more
    from scratch before being called wrong.
    """
    max_bytes = _max_gzip_bytes(expected[name][1])
    offset = _fetch(url, part, timeout, stream, max_bytes)
    problem = _check_file(part, name, expected, gzipped=True)
    if problem and offset:
        part.unlink()
        offset = _fetch(url, part, timeout, stream, max_bytes)
        problem = _check_file(part, name, expected, gzipped=True)
    if problem:
        part.unlink()
        raise DownloadError(f"not the genuine file, deleted it: {problem}")
    return offset


def _download_one(
    name: str,
    folder: Path,
    mirrors: Sequence[str],
    expected: Mapping,
    timeout: float,
    out: TextIO,
    progress: TextIO,
) -> bool:
    """Put a verified ``NAME.gz`` in ``folder`` from the first mirror that delivers it; report each try."""
    final = folder / f"{name}.gz"
    part = folder / f"{name}.gz.part"
    for mirror in mirrors:
        url = _file_url(mirror, final.name)
        start = time.perf_counter()
        try:
            offset = _fetch_verified(url, part, name, expected, timeout, progress)
        except DownloadError as error:
            print(f"{final.name}: {shown(url)} failed: {error}", file=out, flush=True)
            continue
        replace(folder, part, final)  # atomic: the final name only ever holds a verified file
        seconds = time.perf_counter() - start
        resumed = f", resumed at byte {offset:,}" if offset else ""
        size = final.stat().st_size
        report = f"{final.name}: {size:,} bytes from {shown(url)} in {seconds:.1f} s{resumed}, verified"
        print(report, file=out, flush=True)
        return True
    return False


# --------------------------------------------------------------------------
# The whole download
# --------------------------------------------------------------------------


def check_mirror(url: str) -> str:
    """``url`` with its path ending in ``/`` (so file names join onto it); a ValueError unless http(s)."""
    if not isinstance(url, str):
        raise ValueError(f"a mirror must be an http:// or https:// URL (a str), got {type(url).__name__}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"a mirror must be an http:// or https:// URL, got {shown(url)!r}")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit(parts._replace(path=path, fragment=""))


def _prepare_folder(folder: Path) -> None:
    """Create ``folder`` and check that files can be written in it; a DownloadError naming it otherwise."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as error:
        raise DownloadError(f"{folder} is not a folder (--dir must name a folder)") from error
    except OSError as error:
        raise DownloadError(f"cannot create the folder {folder} ({error.strerror})") from error
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DownloadError(f"no permission to write in {folder}: choose another --dir")


def download(
    folder: str | os.PathLike[str] | None = None,
    mirrors: Sequence[str] | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    expected: Mapping = EXPECTED_FILES,
    out: TextIO | None = None,
    progress: TextIO | None = None,
) -> bool:
    """Make ``folder`` hold every file of ``expected``, verified; fetch only what is missing or damaged.

    Args:
        folder: where the files go; ``None`` means the loader's user cache
            (``~/.cache/tinygrad_edu/fashion-mnist``).
        mirrors: base URLs tried in order for each file; ``None`` means ``DEFAULT_MIRRORS``.
            ``user:password@`` in one is sent as a Basic Authorization header and printed as
            ``user:***@``; a query string (``?token=...``) is sent with every file and never printed.
            No file is read past what gzip can make of its IDX size (``_max_gzip_bytes``).
        timeout: seconds without data, or with less than 64 kB of it, before a connection counts
            as stalled.
        expected: ``{name: (sha256, shape)}`` of the files (the four of Fashion-MNIST by default).
        out: where the one-line reports go (standard output by default).
        progress: where a progress bar per file goes if it is a terminal (standard error by default).

    Returns:
        True when every file is in place and verified (also when nothing had to be fetched).

    Raises:
        ValueError: a bad mirror URL, a timeout that is not a positive number, or a bad ``expected``.
        DownloadError: ``folder`` cannot be created or written, or a file to fetch there is a symlink
            or lies behind one (nothing is written through a link: data.safe_paths).
    """
    out = sys.stdout if out is None else out
    progress = sys.stderr if progress is None else progress
    mirrors = [check_mirror(url) for url in (DEFAULT_MIRRORS if mirrors is None else mirrors)]
    if not mirrors:
        raise ValueError("at least one mirror is needed")
    timeout = checked_seconds(timeout, "timeout", MAX_TIMEOUT)
    check_expected(expected, tuple(expected))
    folder = user_cache_dir() if folder is None else Path(folder).expanduser()
    _prepare_folder(folder)

    to_fetch = [check for check in verify(folder, expected) if not check.ok]
    try:  # before any transfer: a link planted at a file's name would send the download elsewhere
        for check in to_fetch:
            check_inside(folder, folder / f"{check.name}.gz")
            check_inside(folder, folder / f"{check.name}.gz.part")
    except UnsafePathError as error:
        raise DownloadError(f"{error} (--dir {folder})") from None
    if not to_fetch:
        print(f"Nothing to do: all {len(expected)} files in {folder} verify.", file=out)
        return True
    for check in to_fetch:
        if check.path is not None:
            print(f"{check.path.name}: damaged ({check.problem}); fetching it again", file=out)

    failed = []
    for check in to_fetch:
        if not _download_one(check.name, folder, mirrors, expected, timeout, out, progress):
            failed.append(check.name)
        elif check.path is not None and check.path.suffix != ".gz":
            check.path.unlink()  # the loader reads NAME before NAME.gz: drop the damaged NAME
            print(f"{check.path.name}: removed the damaged copy; {check.name}.gz replaces it", file=out)

    if failed:
        partial = [f"{name}.gz.part" for name in failed if (folder / f"{name}.gz.part").exists()]
        kept = f" The partial data is kept ({', '.join(partial)}) and will be resumed." if partial else ""
        print(
            f"Failed: {', '.join(failed)} could not be fetched from any mirror.{kept}\n"
            f"Run the same command again, or pass --mirror URL (a folder holding the .gz files).",
            file=out,
        )
        return False
    print(f"Done: all {len(expected)} files in {folder} verify.", file=out)
    return True
