"""``INSERT … ON CONFLICT`` spelled once for both engines.

SQLite (≥ 3.24) and PostgreSQL share the syntax, including partial-index conflict targets;
SQLAlchemy exposes it per dialect, so this module picks the dialect's ``insert``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection


def insert_for(conn: Connection, table: sa.Table) -> Any:
    """The dialect's ``insert(table)`` (which has ``on_conflict_do_*``)."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise ValueError(f"unsupported dialect {conn.dialect.name}")


def insert_ignore(
    conn: Connection,
    table: sa.Table,
    values: Mapping[str, Any],
    *,
    keys: Sequence[str],
    where: str | None = None,
) -> None:
    """Insert ``values`` unless a row with the same ``keys`` exists (``where``: partial index)."""
    stmt = insert_for(conn, table).values(dict(values))
    index_where = None if where is None else sa.text(where)
    conn.execute(stmt.on_conflict_do_nothing(index_elements=list(keys), index_where=index_where))


def ensure_row(conn: Connection, table: sa.Table, key: Mapping[str, Any]) -> int:
    """The id of the row whose unique ``key`` columns have these values, inserting it if needed."""
    insert_ignore(conn, table, key, keys=list(key))
    query = sa.select(table.c.id).where(*(table.c[name] == value for name, value in key.items()))
    return int(conn.execute(query).scalar_one())
