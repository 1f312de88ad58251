"""Tests for tinygrad_edu.download: ``python -m tinygrad_edu.data download | verify``.

No test touches the internet. A local HTTP server on 127.0.0.1 serves the files
the loader finds (Debian's, in CI) under two "mirrors", ``/first/``
and ``/second/``, and can be told to misbehave per mirror or per file: answer
404, send wrong bytes, cut a file short, stall, never answer, or ignore a Range request. A
guard refuses every socket connection that is not to 127.0.0.1, and the
default mirror list points at a closed local port, so a test that forgets its
mirror fails instead of downloading. The tests about one fault fetch only the
smallest file (the 5 kB test labels); the full 30 MB download runs once.
"""

from __future__ import annotations

import functools
import gzip
import io
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from tinygrad_edu.data import EXPECTED_FILES, find_data_dir, load_fashion_mnist
from tinygrad_edu.data import download as download_module
from tinygrad_edu.data.__main__ import main
from tinygrad_edu.data.download import DownloadError, download, verify

SMALL = "t10k-labels-idx1-ubyte"  # 5,125 bytes gzipped: for the tests about a single file
ONLY_SMALL = {SMALL: EXPECTED_FILES[SMALL]}
TIMEOUT = 0.3  # seconds; the stall test waits this long, every other test gets its answer at once


@functools.cache
def debian_bytes(name: str) -> bytes:
    """``NAME.gz`` as the loader finds it (Debian's copy in CI; gzipped here if only ``NAME`` is there)."""
    folder = find_data_dir()
    gzipped = folder / f"{name}.gz"
    return gzipped.read_bytes() if gzipped.is_file() else gzip.compress((folder / name).read_bytes())


# --------------------------------------------------------------------------
# A local mirror that can misbehave
# --------------------------------------------------------------------------


class MirrorHandler(BaseHTTPRequestHandler):
    """``GET /<mirror>/<file>``: the file from Debian's folder, as told by ``server.faults``."""

    server: LocalMirror

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        server = self.server
        mirror, _, file_name = self.path.strip("/").partition("/")
        range_header = self.headers.get("Range")
        server.requests.append((self.path, range_header))
        fault = server.faults.get(self.path) or server.faults.get(mirror)
        if fault == "silent":  # accept the connection, answer nothing
            server.release.wait(10)
            return
        name = file_name.removesuffix(".gz")
        if fault == "404" or not file_name.endswith(".gz") or name not in EXPECTED_FILES:
            self.send_error(404)
            return
        content = server.wrong_copy(file_name) if fault == "wrong-bytes" else debian_bytes(name)
        start = 0
        if range_header and fault != "ignore-range":
            start = int(range_header.removeprefix("bytes=").removesuffix("-"))
            if start >= len(content):
                self.send_error(416)
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(content) - 1}/{len(content)}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(content) - start))
        self.end_headers()
        body = content[start:]
        if fault == "cut":  # announce the whole file, send half, hang up
            self.wfile.write(body[: len(body) // 2])
        elif fault == "stall":  # send a little, then nothing
            self.wfile.write(body[:1000])
            self.wfile.flush()
            server.release.wait(10)
        else:
            self.wfile.write(body)

    def log_message(self, *args):  # keep the test output clean
        pass


class LocalMirror(ThreadingHTTPServer):
    def __init__(self):
        super().__init__(("127.0.0.1", 0), MirrorHandler)
        self.faults: dict[str, str] = {}
        self.requests: list[tuple[str, str | None]] = []
        self.release = threading.Event()

    def url(self, mirror: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{mirror}/"

    @staticmethod
    def wrong_copy(file_name: str) -> bytes:
        """A valid gzip file of the right length and header whose last data byte differs."""
        content = bytearray(gzip.decompress(debian_bytes(file_name.removesuffix(".gz"))))
        content[-1] ^= 1
        return gzip.compress(bytes(content))


@pytest.fixture(scope="module", autouse=True)
def no_internet():
    """Refuse any connection that is not to 127.0.0.1; the default mirrors become a closed local port."""
    real_connect = socket.create_connection

    def local_only(address, *args, **kwargs):
        if address[0] != "127.0.0.1":
            raise AssertionError(f"a test tried to reach {address}: tests must use the local mirror")
        return real_connect(address, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "create_connection", local_only)
        patch.setattr(download_module, "DEFAULT_MIRRORS", ("http://127.0.0.1:9/",))
        patch.setenv("no_proxy", "*")  # an http_proxy in the environment must not catch 127.0.0.1
        yield


@pytest.fixture(scope="module")
def server():
    mirror = LocalMirror()
    thread = threading.Thread(target=mirror.serve_forever, daemon=True)
    thread.start()
    yield mirror
    mirror.release.set()
    mirror.shutdown()
    mirror.server_close()


@pytest.fixture
def mirror(server):
    """The shared server, well-behaved and with an empty request log."""
    server.faults.clear()
    server.requests.clear()
    server.release.clear()
    yield server
    server.release.set()  # lets a stalled handler finish


@pytest.fixture(scope="module")
def downloaded(server, tmp_path_factory):
    """The one full download: the four files, fetched from the local mirror into a fresh folder."""
    folder = tmp_path_factory.mktemp("downloaded")
    out = io.StringIO()
    start = time.perf_counter()
    ok = download(folder, [server.url("first")], timeout=5, out=out)
    return folder, ok, out.getvalue(), time.perf_counter() - start


def fetch_small(mirror, folder, *mirrors, timeout=TIMEOUT):
    """Download only the small file; returns (ok, what it printed)."""
    out = io.StringIO()
    ok = download(
        folder, [mirror.url(name) for name in mirrors], timeout=timeout, expected=ONLY_SMALL, out=out
    )
    return ok, out.getvalue()


def file_names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


# --------------------------------------------------------------------------
# A clean download, the rerun, verify
# --------------------------------------------------------------------------


def test_clean_download_verifies_every_file_and_the_loader_reads_them(downloaded):
    folder, ok, output, seconds = downloaded
    assert ok
    assert file_names(folder) == sorted(f"{name}.gz" for name in EXPECTED_FILES)  # no .part left
    for name in EXPECTED_FILES:
        assert (folder / f"{name}.gz").read_bytes() == debian_bytes(name)
    data = load_fashion_mnist(folder)
    assert data.x_train.shape == (60000, 784) and data.y_test.shape == (10000,)
    np.testing.assert_array_equal(np.bincount(data.y_test), [1000] * 10)


def test_not_on_a_terminal_each_file_gets_exactly_one_line(downloaded, server):
    _, _, output, _ = downloaded
    lines = output.splitlines()
    assert len(lines) == len(EXPECTED_FILES) + 1
    for name, line in zip(EXPECTED_FILES, lines):
        assert line.startswith(f"{name}.gz: ") and line.endswith("verified")
        assert server.url("first") + f"{name}.gz" in line
    assert lines[-1].startswith("Done: all 4 files")


def test_a_second_run_when_all_files_verify_fetches_nothing_and_says_so(downloaded, mirror):
    folder, *_ = downloaded
    out = io.StringIO()
    assert download(folder, [mirror.url("first")], out=out)
    assert mirror.requests == []
    assert out.getvalue() == f"Nothing to do: all 4 files in {folder} verify.\n"


def test_verify_command_names_the_damaged_file_and_the_problem(downloaded, tmp_path, capsys):
    folder, *_ = downloaded
    for name in EXPECTED_FILES:
        (tmp_path / f"{name}.gz").symlink_to(folder / f"{name}.gz")
    damaged = tmp_path / f"{SMALL}.gz"
    damaged.unlink()
    damaged.write_bytes(LocalMirror.wrong_copy(f"{SMALL}.gz"))
    assert main(["verify", "--dir", str(tmp_path)]) == 1
    output = capsys.readouterr().out
    damaged_lines = [line for line in output.splitlines() if line.startswith("  damaged")]
    assert len(damaged_lines) == 1
    assert f"{SMALL}.gz: the SHA-256 of the decompressed content is" in damaged_lines[0]
    assert output.count("  ok  ") == 3
    assert f"python -m tinygrad_edu.data download --dir {tmp_path}" in output


def test_download_replaces_only_the_damaged_file(mirror, tmp_path):
    # Two small files: the train labels intact, the test labels damaged (decompressed, so the loader
    # would read it before any .gz): only the damaged one is fetched, and the damaged copy goes.
    two_files = {name: EXPECTED_FILES[name] for name in ("train-labels-idx1-ubyte", SMALL)}
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(debian_bytes("train-labels-idx1-ubyte"))
    (tmp_path / SMALL).write_bytes(b"\x00\x00\x08\x01 not the labels")
    out = io.StringIO()
    assert download(tmp_path, [mirror.url("first")], expected=two_files, out=out)
    assert [path for path, _ in mirror.requests] == [f"/first/{SMALL}.gz"]
    assert file_names(tmp_path) == ["t10k-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte.gz"]
    assert (tmp_path / f"{SMALL}.gz").read_bytes() == debian_bytes(SMALL)
    assert f"{SMALL}: damaged" in out.getvalue() and "removed the damaged copy" in out.getvalue()


# --------------------------------------------------------------------------
# Faults: wrong bytes, a cut, a stall, a 404; never a bad file under a final name
# --------------------------------------------------------------------------


def test_wrong_bytes_are_deleted_and_nothing_is_kept(mirror, tmp_path):
    mirror.faults["first"] = "wrong-bytes"
    ok, output = fetch_small(mirror, tmp_path, "first")
    assert not ok
    assert file_names(tmp_path) == []
    assert f"{mirror.url('first')}{SMALL}.gz failed: not the genuine file, deleted it" in output
    assert "the SHA-256 of the decompressed content is" in output
    assert f"Failed: {SMALL} could not be fetched from any mirror" in output


def test_wrong_bytes_on_the_first_mirror_then_the_second_mirror_is_used(mirror, tmp_path):
    mirror.faults["first"] = "wrong-bytes"
    ok, output = fetch_small(mirror, tmp_path, "first", "second")
    assert ok
    assert file_names(tmp_path) == [f"{SMALL}.gz"]
    assert (tmp_path / f"{SMALL}.gz").read_bytes() == debian_bytes(SMALL)
    assert f"{SMALL}.gz: 5,125 bytes from {mirror.url('second')}{SMALL}.gz" in output


def test_404_on_the_first_mirror_falls_back_to_the_second(mirror, tmp_path):
    mirror.faults["first"] = "404"
    ok, output = fetch_small(mirror, tmp_path, "first", "second")
    assert ok
    assert [path for path, _ in mirror.requests] == [f"/first/{SMALL}.gz", f"/second/{SMALL}.gz"]
    assert f"{mirror.url('first')}{SMALL}.gz failed: HTTP 404" in output
    assert (tmp_path / f"{SMALL}.gz").read_bytes() == debian_bytes(SMALL)


def test_a_cut_keeps_the_partial_file_apart_and_the_rerun_resumes_it_with_range(mirror, tmp_path):
    size = len(debian_bytes(SMALL))
    mirror.faults["first"] = "cut"
    ok, output = fetch_small(mirror, tmp_path, "first")
    assert not ok
    assert file_names(tmp_path) == [f"{SMALL}.gz.part"]  # nothing under the final name
    assert (tmp_path / f"{SMALL}.gz.part").stat().st_size == size // 2
    assert f"the connection closed after {size // 2:,} of {size:,} bytes" in output
    assert "will be resumed" in output

    mirror.faults.clear()
    ok, output = fetch_small(mirror, tmp_path, "first")
    assert ok
    assert mirror.requests[-1] == (f"/first/{SMALL}.gz", f"bytes={size // 2}-")
    assert file_names(tmp_path) == [f"{SMALL}.gz"]
    assert (tmp_path / f"{SMALL}.gz").read_bytes() == debian_bytes(SMALL)
    assert f"resumed at byte {size // 2:,}, verified" in output


def test_a_server_that_ignores_range_makes_the_download_start_again_cleanly(mirror, tmp_path):
    content = debian_bytes(SMALL)
    (tmp_path / f"{SMALL}.gz.part").write_bytes(content[:1000])
    mirror.faults["first"] = "ignore-range"
    ok, output = fetch_small(mirror, tmp_path, "first")
    assert ok
    assert mirror.requests == [(f"/first/{SMALL}.gz", "bytes=1000-")]  # asked, answered with 200
    assert (tmp_path / f"{SMALL}.gz").read_bytes() == content
    assert "resumed" not in output


def test_a_part_from_another_compression_is_fetched_again_from_scratch(mirror, tmp_path):
    # The same labels compressed differently (as a course mirror might): resuming glues two
    # different gzip streams, which fails its check, so the file is fetched again whole.
    other = gzip.compress(gzip.decompress(debian_bytes(SMALL)), compresslevel=1)
    assert other != debian_bytes(SMALL)
    (tmp_path / f"{SMALL}.gz.part").write_bytes(other[:2000])
    ok, _ = fetch_small(mirror, tmp_path, "first")
    assert ok
    assert [header for _, header in mirror.requests] == ["bytes=2000-", None]
    assert (tmp_path / f"{SMALL}.gz").read_bytes() == debian_bytes(SMALL)


def test_a_part_longer_than_the_file_is_discarded(mirror, tmp_path):
    (tmp_path / f"{SMALL}.gz.part").write_bytes(b"x" * 10_000)  # longer than the 5,125-byte file: 416
    ok, _ = fetch_small(mirror, tmp_path, "first")
    assert ok
    assert [header for _, header in mirror.requests] == ["bytes=10000-", None]
    assert (tmp_path / f"{SMALL}.gz").read_bytes() == debian_bytes(SMALL)


def test_a_stall_times_out_with_a_clear_message_and_keeps_what_arrived(mirror, tmp_path):
    mirror.faults["first"] = "stall"
    start = time.perf_counter()
    ok, output = fetch_small(mirror, tmp_path, "first")
    seconds = time.perf_counter() - start
    assert not ok
    assert seconds < 3  # given up after the 0.3 s timeout, not after the server's 10 s
    assert f"the connection stalled: no data for {TIMEOUT:g} s after 1,000 bytes (--timeout)" in output
    assert file_names(tmp_path) == [f"{SMALL}.gz.part"]
    assert (tmp_path / f"{SMALL}.gz.part").stat().st_size == 1000


def test_a_server_that_never_answers_times_out_naming_the_limit(mirror, tmp_path):
    mirror.faults["first"] = "silent"
    ok, output = fetch_small(mirror, tmp_path, "first")
    assert not ok
    assert f"{mirror.url('first')}{SMALL}.gz failed: no answer within {TIMEOUT:g} s (--timeout)" in output
    assert file_names(tmp_path) == []


def test_no_mirror_answering_is_a_clear_failure(tmp_path):
    out = io.StringIO()
    closed_port = "http://127.0.0.1:9/"
    assert not download(tmp_path, [closed_port], timeout=TIMEOUT, expected=ONLY_SMALL, out=out)
    assert f"{closed_port}{SMALL}.gz failed: cannot connect" in out.getvalue()
    assert file_names(tmp_path) == []


def test_on_a_terminal_a_progress_bar_is_drawn(mirror, tmp_path):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    assert download(
        tmp_path, [mirror.url("first")], expected=ONLY_SMALL, out=io.StringIO(), progress=terminal
    )
    assert SMALL in terminal.getvalue() and "\r" in terminal.getvalue()  # tqdm redraws in place


# --------------------------------------------------------------------------
# Only the download command touches the network, and these tests only 127.0.0.1
# --------------------------------------------------------------------------


def test_the_guard_refuses_any_address_but_the_local_one(tmp_path):
    with pytest.raises(AssertionError, match="tests must use the local mirror"):
        download(tmp_path, ["http://192.0.2.1/"], timeout=TIMEOUT, expected=ONLY_SMALL, out=io.StringIO())
    out = io.StringIO()  # the default mirrors are replaced by a closed local port
    assert not download(tmp_path, timeout=TIMEOUT, expected=ONLY_SMALL, out=out)
    assert "http://127.0.0.1:9/" in out.getvalue()


def test_no_other_module_or_example_can_use_the_network():
    repository = Path(__file__).resolve().parents[1]
    network = ("urllib", "http.client", "http.server", "socket", "requests", "ftplib")
    for source in [*(repository / "tinygrad_edu").rglob("*.py"), *(repository / "examples").rglob("*.py")]:
        if source.name == "download.py" and source.parent.name == "data":
            continue
        text = source.read_text(encoding="utf-8")
        for module in network:
            imported = f"import {module}" in text or f"from {module}" in text
            assert not imported, f"{source} imports {module}"


# --------------------------------------------------------------------------
# The command line and bad arguments
# --------------------------------------------------------------------------


def test_the_module_runs_as_a_command(mirror, tmp_path):
    # Any address but 127.0.0.1 goes to a dead proxy: the child process cannot reach the internet either.
    guarded = dict(
        os.environ, http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9", no_proxy="127.0.0.1"
    )
    command = [sys.executable, "-m", "tinygrad_edu.data"]
    verified = subprocess.run(
        [*command, "verify", "--dir", str(tmp_path)], capture_output=True, text=True, env=guarded
    )
    assert verified.returncode == 1
    assert [line.split()[0] for line in verified.stdout.splitlines()[1:5]] == ["missing"] * 4
    mirror.faults["first"] = "404"  # every file: the command's flags are what is tested here
    fetched = subprocess.run(
        [*command, "download", "--dir", str(tmp_path), "--mirror", mirror.url("first"), "--timeout", "2"],
        capture_output=True,
        text=True,
        env=guarded,
    )
    assert fetched.returncode == 1
    assert (
        fetched.stdout.count(f"{mirror.url('first')}") == 4 and fetched.stdout.count("failed: HTTP 404") == 4
    )
    assert "Failed: " in fetched.stdout
    assert file_names(tmp_path) == []


@pytest.mark.parametrize(
    "argv, message",
    [
        (["download", "--timeout", "0"], "--timeout: must be a positive number of seconds, got '0'"),
        (["download", "--timeout", "nan"], "--timeout: must be a positive number of seconds, got 'nan'"),
        (["download", "--timeout", "soon"], "--timeout: must be a positive number of seconds, got 'soon'"),
        (["download", "--mirror", "ftp://example.org/"], "a mirror must be an http:// or https:// URL"),
        (["download", "--mirror", "example.org/data"], "a mirror must be an http:// or https:// URL"),
        (["fetch"], "invalid choice: 'fetch'"),
        ([], "the following arguments are required"),
    ],
)
def test_bad_arguments_stop_before_any_work(argv, message, tmp_path, capsys):
    target = tmp_path / "not-created"
    with pytest.raises(SystemExit) as info:
        main([*argv[:1], "--dir", str(target), *argv[1:]] if argv[:1] == ["download"] else argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err
    assert not target.exists()


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"timeout": -1}, ValueError, "timeout must be a positive number of seconds, got -1"),
        ({"timeout": float("inf")}, ValueError, "timeout must be a positive number of seconds, got inf"),
        ({"mirrors": []}, ValueError, "at least one mirror"),
        (
            {"mirrors": ["/srv/mirror"]},
            ValueError,
            "a mirror must be an http:// or https:// URL, got '/srv/mirror'",
        ),
        ({"expected": {SMALL: ("abc", (10000,))}}, ValueError, "sha256 must be 64 hexadecimal digits"),
    ],
)
def test_bad_download_arguments_are_refused_naming_the_problem(kwargs, error, message, tmp_path):
    target = tmp_path / "not-created"
    arguments = {"mirrors": ["http://127.0.0.1:9/"], "expected": ONLY_SMALL, **kwargs}
    with pytest.raises(error) as info:
        download(target, out=io.StringIO(), **arguments)
    assert message in str(info.value)
    assert not target.exists()


def test_a_dir_that_is_a_file_is_refused_naming_it(tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    with pytest.raises(DownloadError, match=f"{not_a_folder} is not a folder"):
        download(not_a_folder, ["http://127.0.0.1:9/"], expected=ONLY_SMALL, out=io.StringIO())


def test_verify_of_a_folder_without_the_files_lists_each_as_missing(tmp_path):
    checks = verify(tmp_path)
    assert [check.name for check in checks] == list(EXPECTED_FILES)
    assert all(check.path is None and not check.ok for check in checks)
