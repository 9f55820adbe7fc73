"""Suite-wide test configuration.

Prefect settings are fixed here, before anything imports prefect: a throwaway PREFECT_HOME, no
analytics, and PREFECT_API_URL *unset* (an empty string silently drops events).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.pop("PREFECT_API_URL", None)
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="gxbg-prefect-home-"))
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "cases"


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden`` rewrites tests/cases/*/expected.json (tests/test_cases.py); review the diff."""
    parser.addoption("--update-golden", action="store_true", help="rewrite golden expected.json files")
