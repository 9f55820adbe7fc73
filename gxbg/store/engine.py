"""Engines and write transactions that behave the same on SQLite and PostgreSQL.

SQLite (embedded default, development): WAL journal, ``busy_timeout``, foreign keys on, and a
single writer — a process-wide lock per database file around every write transaction, which
also starts with ``BEGIN IMMEDIATE`` so a writer never has to upgrade a read lock (the source of
"database is locked" under WAL).  Other processes wait on ``busy_timeout``.

PostgreSQL (production): plain pooled connections, ``pool_pre_ping``; concurrency is handled by
``INSERT … ON CONFLICT`` and row locks in :mod:`gxbg.store.load`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

BUSY_TIMEOUT_MS = 60_000

_WRITER_LOCKS: dict[str, threading.RLock] = {}
_WRITER_LOCKS_GUARD = threading.Lock()


def _writer_lock(key: str) -> threading.RLock:
    with _WRITER_LOCKS_GUARD:
        return _WRITER_LOCKS.setdefault(key, threading.RLock())


def _on_sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    # The driver must not open transactions by itself: we emit BEGIN (IMMEDIATE) ourselves.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: a process crash loses nothing committed
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _on_sqlite_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get("gxbg_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for ``sqlite:///path`` or ``postgresql+psycopg://…`` with the settings above."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise ValueError("use a file database (sqlite:///path): :memory: cannot be shared by threads")
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 60})
        sa.event.listen(engine, "connect", _on_sqlite_connect)
        sa.event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return sa.create_engine(url, pool_pre_ping=True)
    raise ValueError(f"unsupported database URL {parsed.render_as_string(hide_password=True)!r}")


def writer_key(engine: Engine) -> str | None:
    """The single-writer lock key for SQLite engines (the database file); ``None`` for servers."""
    if engine.dialect.name != "sqlite":
        return None
    return os.path.realpath(str(engine.url.database))


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One write transaction: committed on success, rolled back on any exception."""
    key = writer_key(engine)
    lock = _writer_lock(key) if key is not None else None
    if lock is not None:
        lock.acquire()
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(gxbg_write=True)
            with conn.begin():
                yield conn
    finally:
        if lock is not None:
            lock.release()


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    """A connection for reads, inside one transaction (a consistent snapshot)."""
    with engine.connect() as conn, conn.begin():
        yield conn
