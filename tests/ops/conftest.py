"""The operations tests that start real Prefect servers and workers (marker ``ops``) take minutes on
a 2-core machine.  ``make test`` (what CI runs) and ``make test-ops`` set GXBG_TEST_OPS=1 and run them;
a bare ``pytest`` or ``make pytest-quick`` skips them, saying so."""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("GXBG_TEST_OPS") == "1":
        return
    skip = pytest.mark.skip(
        reason="starts real Prefect servers/workers: set GXBG_TEST_OPS=1 (make test does)"
    )
    for item in items:
        if item.get_closest_marker("ops"):
            item.add_marker(skip)
