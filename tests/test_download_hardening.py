"""A hostile local mirror: floods, lying Content-Length, redirect loops, errors, credentials and tokens.

Everything runs against an http.server on 127.0.0.1; the file served is a made-up 10-label IDX file.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from tinygrad_edu.data.__main__ import main
from tinygrad_edu.data.download import check_mirror, download, shown

NAME = "labels-idx1-ubyte"
RAW = struct.pack(">II", 0x0801, 10) + bytes(range(10))
GOOD = gzip.compress(RAW)
EXPECTED = {NAME: (hashlib.sha256(RAW).hexdigest(), (10,))}
SECRET, TOKEN = "s3cr3t-pass", "t0ken-value"


class Handler(BaseHTTPRequestHandler):
    """``GET /<mode>/labels-idx1-ubyte.gz[?query]``; ``mode`` says how to misbehave."""

    seen: list[tuple[str, str | None]] = []  # (path, Authorization header) of every request

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        mode = self.path.strip("/").split("/")[0]
        Handler.seen.append((self.path, self.headers.get("Authorization")))
        if mode == "flood":  # no Content-Length, bytes without end
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(1000):  # 64 MB at most, so a reader that never stops still ends
                    self.wfile.write(bytes(1 << 16))
            except OSError:  # the client hung up, as it should
                pass
        elif mode == "huge-length":
            self.send_response(200)
            self.send_header("Content-Length", str(10**9))
            self.end_headers()
        elif mode == "short-length":  # announces more than it sends, then hangs up
            self.send_response(200)
            self.send_header("Content-Length", str(len(GOOD) + 100))
            self.end_headers()
            self.wfile.write(GOOD)
        elif mode == "trickle":  # one byte every 50 ms: never a pause long enough for a socket timeout
            self.send_response(200)
            self.send_header("Content-Length", str(len(GOOD)))
            self.end_headers()
            try:
                for byte in GOOD:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                pass
        elif mode == "loop":
            self.send_response(302)
            self.send_header("Location", self.path)
            self.end_headers()
        elif mode == "elsewhere":  # the same server under another name: a different host for urllib
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{self.server.server_address[1]}/token/x")
            self.end_headers()
        elif mode == "error500":
            self.send_error(500)
        elif mode == "auth" and self.headers.get("Authorization") != "Basic " + base64.b64encode(
            f"user:{SECRET}".encode()
        ).decode("ascii"):
            self.send_error(401)
        elif mode == "token" and not self.path.endswith(f"?token={TOKEN}"):
            self.send_error(403)
        elif mode in ("auth", "token"):
            self.send_response(200)
            self.send_header("Content-Length", str(len(GOOD)))
            self.end_headers()
            self.wfile.write(GOOD)
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def fetch(tmp_path, mirror: str, timeout: float = 2) -> tuple[bool, str]:
    out = io.StringIO()
    ok = download(
        tmp_path / "d", [mirror], timeout=timeout, expected=EXPECTED, out=out, progress=io.StringIO()
    )
    return ok, out.getvalue()


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("flood", "the server sent over"),
        ("huge-length", "the server announces 1,000,000,000 bytes, more than the file can have"),
        ("short-length", "the connection"),
        ("loop", "HTTP 302"),
        ("error500", "HTTP 500"),
        ("missing", "HTTP 404"),
    ],
)
def test_a_misbehaving_mirror_fails_with_a_message_naming_the_url(base, tmp_path, mode, message):
    ok, report = fetch(tmp_path, f"http://{base}/{mode}/")
    assert not ok
    assert f"{NAME}.gz: http://{base}/{mode}/{NAME}.gz failed: " in report and message in report
    assert not (tmp_path / "d" / f"{NAME}.gz").exists()


def test_a_trickle_times_out_although_no_single_read_does(base, tmp_path):
    start = time.monotonic()
    ok, report = fetch(tmp_path, f"http://{base}/trickle/", timeout=0.3)
    assert not ok and "the connection trickles" in report and "(--timeout)" in report
    assert time.monotonic() - start < len(GOOD) * 0.05  # given up before the whole file arrived


def test_a_flood_is_not_read_past_the_bound(base, tmp_path):
    fetch(tmp_path, f"http://{base}/flood/")
    part = tmp_path / "d" / f"{NAME}.gz.part"
    assert not part.exists() or part.stat().st_size < 10_000  # the bound for 10 labels is ~4 kB


def test_credentials_travel_in_a_header_and_are_never_printed(base, tmp_path, capsys):
    ok, report = fetch(tmp_path, f"http://user:{SECRET}@{base}/auth/")
    assert ok, report
    assert f"http://user:***@{base}/auth/{NAME}.gz" in report
    failed_ok, failed = fetch(tmp_path / "again", f"http://user:wrong-{SECRET}@{base}/auth/")
    assert not failed_ok and "HTTP 401" in failed
    printed = report + failed + "".join(capsys.readouterr())
    assert SECRET not in printed


def test_credentials_are_not_sent_on_to_another_host(base, tmp_path):
    fetch(tmp_path, f"http://user:{SECRET}@{base}/elsewhere/")
    server_seen = [seen for seen in Handler.seen if seen[0].startswith(("/elsewhere/", "/token/x"))]
    assert [path for path, _ in server_seen] == [f"/elsewhere/{NAME}.gz", "/token/x"]
    assert server_seen[0][1] is not None and server_seen[1][1] is None  # the redirect target got none


@pytest.mark.parametrize("mode", ["missing", "auth"])
def test_the_command_never_prints_a_mirror_password(base, tmp_path, capsys, mode):
    mirror = f"http://user:{SECRET}@{base}/{mode}/"
    status = main(["download", "--dir", str(tmp_path / "d"), "--mirror", mirror, "--timeout", "2"])
    printed = "".join(capsys.readouterr())
    # The command fetches the real four files, which this mirror does not have: every attempt fails
    # (a 404, or the made-up file is not the genuine one), and each failure names the mirror.
    assert status == 1 and SECRET not in printed and "user:***@" in printed


def test_a_query_string_is_kept_in_the_request_and_left_out_of_messages(base, tmp_path):
    ok, report = fetch(tmp_path, f"http://{base}/token?token={TOKEN}")
    assert ok, report
    assert TOKEN not in report and f"http://{base}/token/{NAME}.gz" in report


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"ftp://user:{SECRET}@host/", "ftp://user:***@host/"),
        (f"https://user:{SECRET}@/", "https://user:***@/"),
        (12, "got int"),
    ],
)
def test_a_bad_mirror_is_refused_without_showing_its_password(url, message):
    with pytest.raises(ValueError) as info:
        check_mirror(url)
    assert message in str(info.value) and SECRET not in str(info.value)


def test_shown_keeps_the_user_and_drops_password_and_query():
    assert shown(f"https://user:{SECRET}@h:8/p/f.gz?token={TOKEN}") == "https://user:***@h:8/p/f.gz"
    assert shown("https://h/p/") == "https://h/p/"


@pytest.mark.parametrize("seconds", [np.float32(2.0), np.float64(2.0), np.int64(2), np.array(2.0), 2])
def test_a_timeout_may_be_any_real_number(base, tmp_path, seconds):
    ok, report = fetch(tmp_path, f"http://{base}/token?token={TOKEN}", timeout=seconds)
    assert ok, report


@pytest.mark.parametrize(
    "seconds", [True, np.True_, float("nan"), 0, -1.0, np.float32("inf"), np.float64(1e6), "2", None]
)
def test_a_timeout_that_is_not_a_positive_real_is_refused(tmp_path, seconds):
    with pytest.raises(ValueError, match="timeout must be a positive number of seconds"):
        download(tmp_path, ["http://127.0.0.1:9/"], timeout=seconds, expected=EXPECTED, out=io.StringIO())
