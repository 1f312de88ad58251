"""Hypothesis settings shared by every test file, chosen by the environment variable HYPOTHESIS_PROFILE.

"ci" (the default): 50 examples per test, the same ones on every run, so a CI failure reproduces.
"dev": 200 fresh random examples per test, to hunt for new failures: HYPOTHESIS_PROFILE=dev pytest
"""

import os

from hypothesis import settings

settings.register_profile(
    "ci", max_examples=50, deadline=None, derandomize=True, database=None, print_blob=True
)
settings.register_profile("dev", max_examples=200, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
