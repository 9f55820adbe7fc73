"""Suite-wide test configuration.

Prefect settings are fixed here, before anything imports prefect: a throwaway PREFECT_HOME, no
analytics, and PREFECT_API_URL *unset* (an empty string silently drops events).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.pop("PREFECT_API_URL", None)
# our own throwaway PREFECT_HOME, removed when the run ends (pytest_unconfigure); one given is kept
_OWN_PREFECT_HOME = None if "PREFECT_HOME" in os.environ else tempfile.mkdtemp(prefix="gxbg-prefect-home-")
if _OWN_PREFECT_HOME is not None:
    os.environ["PREFECT_HOME"] = _OWN_PREFECT_HOME
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

# Property tests: the same examples on every `make test` run (a CI run must not pass or fail by the draw;
# `too_slow` is a machine-load verdict, not a finding).  `make fuzz` draws new examples each time
# (GXBG_HYPOTHESIS=explore) to look for what the fixed draw misses; add what it finds as a golden case.
settings.register_profile("ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("GXBG_HYPOTHESIS", "ci"))

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "cases"


def pytest_unconfigure(config: pytest.Config) -> None:
    if _OWN_PREFECT_HOME is not None:
        shutil.rmtree(_OWN_PREFECT_HOME, ignore_errors=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden`` rewrites tests/cases/*/expected.json (tests/extract/test_cases.py)."""
    parser.addoption("--update-golden", action="store_true", help="rewrite golden expected.json files")
