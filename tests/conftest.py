"""Shared by every test file: hypothesis' settings, and the lessons site built once.

Hypothesis' settings are chosen by the environment variable HYPOTHESIS_PROFILE.

"ci" (the default): 50 examples per test, the same ones on every run, so a CI failure reproduces.
"dev": 200 fresh random examples per test, to hunt for new failures: HYPOTHESIS_PROFILE=dev pytest
"""

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]

settings.register_profile(
    "ci", max_examples=50, deadline=None, derandomize=True, database=None, print_blob=True
)
settings.register_profile("dev", max_examples=200, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def build(tmp_path_factory):
    """Build the site once for the whole test session with `mkdocs build --strict`: (site folder, result)."""
    site_dir = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT,  # the snippets extension reads the library's files relative to the working directory
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=1800,  # a safety net: every lesson runs twice (English, zh-TW), on a busy machine too
    )
    return site_dir, result, {"reported": False}


@pytest.fixture
def site(build):
    """The built site's folder; every test that needs it fails if the build failed."""
    site_dir, result, state = build
    if result.returncode != 0:
        if state["reported"]:  # the whole output once is enough
            pytest.fail("mkdocs build --strict failed (its output is with the first failure)", pytrace=False)
        state["reported"] = True
        pytest.fail(
            f"mkdocs build --strict failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    return site_dir


@pytest.fixture(autouse=True)
def process_limits_unchanged():
    """Fail a test that leaves this process a CPU-time limit or a SIGXCPU handler (the grader's worker
    sets both for itself): later tests, and every child they start, would be killed without a word."""
    before = resource.getrlimit(resource.RLIMIT_CPU), signal.getsignal(signal.SIGXCPU)
    yield
    after = resource.getrlimit(resource.RLIMIT_CPU), signal.getsignal(signal.SIGXCPU)
    assert after == before, f"this test changed the CPU-time limit / SIGXCPU handler: {before} -> {after}"
