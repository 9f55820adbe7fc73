"""Throwaway PostgreSQL databases for tests and benchmarks (the server at ``GXBG_TEST_PG``)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

PG_ADMIN_URL = os.environ.get("GXBG_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def unreachable_reason(admin_url: str = PG_ADMIN_URL) -> str | None:
    """None when the server answers; otherwise why not, naming the URL tried."""
    engine = sa.create_engine(admin_url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:  # any driver or network error means "not here"
        first_line = (str(exc).splitlines() or [""])[0]
        return f"PostgreSQL unreachable at {admin_url} ({type(exc).__name__}: {first_line}); set GXBG_TEST_PG"
    finally:
        engine.dispose()
    return None


@contextmanager
def throwaway_database(prefix: str = "gxbg_test", admin_url: str = PG_ADMIN_URL) -> Iterator[str]:
    """Create a randomly named database and yield its URL; drop it (connections and all) on exit."""
    name = f"{prefix}_{secrets.token_hex(6)}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
