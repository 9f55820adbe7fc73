"""Storage fixtures: every ``store`` test runs on SQLite and, when reachable, on PostgreSQL.

PostgreSQL: the server at ``GXBG_TEST_PG`` (default below) gets a throwaway database with a
random name, created once per session, migrated, emptied before each test and dropped at
the end.  When the server is unreachable those tests are skipped with a message naming the URL
tried, and the terminal summary says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from gxbg.store.db import Store
from gxbg.store.schema import TABLES
from tests.pg import PG_ADMIN_URL, throwaway_database, unreachable_reason

_PG_STATE: dict[str, object] = {"used": 0, "skipped": None}


def _pg_unreachable_reason() -> str | None:
    if "skipped_reason" in _PG_STATE:
        return _PG_STATE["skipped_reason"]  # type: ignore[return-value]
    reason = unreachable_reason()
    _PG_STATE["skipped_reason"] = reason
    return reason


def require_pg() -> None:
    reason = _pg_unreachable_reason()
    if reason is not None:
        _PG_STATE["skipped"] = reason
        pytest.skip(reason)
    _PG_STATE["used"] = int(_PG_STATE["used"]) + 1  # type: ignore[call-overload]


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A migrated throwaway PostgreSQL database for the whole session."""
    require_pg()
    with throwaway_database("gxbg_test") as url:
        store = Store(url)
        store.migrate()
        store.close()
        yield url


def empty_all(store: Store) -> None:
    """Delete every row (children first).  Much faster than TRUNCATE for tiny tables; ids are
    not restarted, and no test relies on absolute ids."""
    with store.engine.begin() as conn:
        for table in reversed(TABLES):
            conn.execute(sa.delete(table))


ENGINES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated database URL (fresh SQLite file, or the emptied PG database)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'gxbg.db'}"
        store = Store(url)
        store.migrate()
        store.close()
        yield url
        return
    require_pg()
    url = request.getfixturevalue("pg_url")
    store = Store(url)
    empty_all(store)
    store.close()
    yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A migrated, empty :class:`Store` on each engine."""
    opened = Store(store_url)
    yield opened
    opened.close()


@pytest.fixture(params=ENGINES)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A brand-new database with no tables (migration tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    require_pg()
    with throwaway_database("gxbg_test") as url:
        yield url


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _PG_STATE["skipped"]:
        terminalreporter.write_line(
            f"storage tests: PostgreSQL SKIPPED — {_PG_STATE['skipped']}", yellow=True
        )
    elif _PG_STATE["used"]:
        terminalreporter.write_line(
            f"storage tests: also ran on PostgreSQL at {PG_ADMIN_URL} (throwaway database)"
        )
