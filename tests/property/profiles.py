"""Hypothesis profiles for the property tests (loaded by conftest.py). "ci", the default, is what the
suite runs: derandomized and without an example database, so every run tries the same examples and
writes nothing in the repository (Hypothesis's caches go to the temp folder). "thorough" tries ten
times as many, freshly random each run:

    ZJTB_HYPOTHESIS_PROFILE=thorough python -m pytest tests/property
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

# Hypothesis keeps caches (constants, unicode tables) beside the tests unless told otherwise.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "zjtb-hypothesis")

# Every example draws a batch of this many values, so a parser meets VALUE_EXAMPLES × BATCH values.
BATCH = 20
VALUE_EXAMPLES = 500  # × BATCH = 10,000 values per parser
WORKBOOK_EXAMPLES = 300

_common = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("ci", derandomize=True, print_blob=False, **_common)
settings.register_profile("thorough", derandomize=False, **_common)
PROFILE = os.environ.get("ZJTB_HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)
SCALE = 10 if PROFILE == "thorough" else 1


def examples(count: int) -> settings:
    """The settings of a test that runs `count` examples under "ci" (ten times as many under "thorough")."""
    return settings(max_examples=count * SCALE)
