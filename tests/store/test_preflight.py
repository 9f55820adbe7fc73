"""``check_database``: a database URL is parsed, connected and version-checked before any work, and
each problem is one line — on SQLite and on the real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from gxbg.errors import DatabaseUnusableError
from gxbg.store.db import Store
from gxbg.store.migrate import head_revision
from gxbg.store.preflight import check_database
from tests.pg import PG_ADMIN_URL


def _one_line(url: str, *, create: bool) -> str:
    with pytest.raises(DatabaseUnusableError) as caught:
        check_database(url, create=create)
    message = str(caught.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("notaurl", "is not a database URL"),
        ("data/gxbg.sqlite", "is not a database URL"),
        ("mysql://u@h/db", "unsupported database"),
        ("sqlite://", "give a file"),
        ("sqlite:///:memory:", "give a file"),
    ],
)
def test_unusable_urls_are_refused_in_one_line(url: str, expected: str) -> None:
    assert expected in _one_line(url, create=True)


def test_a_missing_sqlite_file_is_refused_for_reading_and_nothing_is_created(tmp_path: Path) -> None:
    missing = tmp_path / "sub" / "gxbg.sqlite"
    assert "does not exist" in _one_line(f"sqlite:///{missing}", create=False)
    assert not (tmp_path / "sub").exists()


def test_a_harvest_database_gets_its_directory(tmp_path: Path) -> None:
    target = tmp_path / "data" / "gxbg.sqlite"  # `gxbg harvest` in a directory without ./data
    check = check_database(f"sqlite:///{target}", create=True)
    assert (check.exists, check.revision) == (False, None)
    assert target.parent.is_dir()
    assert not target.exists()  # the harvest's migration creates it, not the check


def test_a_database_without_our_tables(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    assert "has no gxbg tables" in _one_line(f"sqlite:///{empty}", create=False)
    other = tmp_path / "other.sqlite"
    engine = sa.create_engine(f"sqlite:///{other}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE customers (id INTEGER)"))
    engine.dispose()
    assert "holds other tables (customers" in _one_line(f"sqlite:///{other}", create=True)


def test_a_migrated_database_passes_and_reports_its_revision(store_url: str) -> None:
    check = check_database(store_url, create=False)
    assert check.revision == head_revision()
    assert check.exists


def test_a_newer_schema_version_is_refused(empty_url: str) -> None:
    store = Store(empty_url)
    store.migrate()
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    store.close()
    message = _one_line(empty_url, create=True)
    assert "schema version '9999_from_the_future', unknown to this gxbg" in message


@pytest.mark.postgres
def test_a_postgresql_database_that_does_not_exist() -> None:
    from tests.store.conftest import require_pg

    require_pg()
    url = sa.make_url(PG_ADMIN_URL).set(database="gxbg_no_such_database_here")
    message = _one_line(url.render_as_string(hide_password=False), create=True)
    assert message.startswith("cannot open postgresql")
    assert 'database "gxbg_no_such_database_here" does not exist' in message


def test_a_closed_postgresql_port(unused_port: int) -> None:
    message = _one_line(f"postgresql+psycopg://postgres@127.0.0.1:{unused_port}/gxbg", create=True)
    assert "Connection refused" in message


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
