"""Run the alembic migrations in ``migrations/`` programmatically (``Store.migrate``).

The whole upgrade runs in one write transaction (both engines have transactional DDL), under
the SQLite single-writer lock or a PostgreSQL advisory lock, so concurrent callers serialise
and a crash leaves the previous revision intact.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from gxbg.store.engine import read_connection, write_transaction

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_MIGRATE_LOCK = 0x67786267  # "gxbg": advisory lock key held while migrating


def alembic_config(connection: Connection | None = None) -> Config:
    """An alembic Config pointing at our scripts (and at ``connection`` when given)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration's revision id."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations under {MIGRATIONS}")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (``None`` for an empty database)."""
    with read_connection(engine) as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision`` (idempotent)."""
    with write_transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATE_LOCK})")
        command.upgrade(alembic_config(conn), revision)
