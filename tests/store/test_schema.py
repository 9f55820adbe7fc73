"""Migrations build the schema the models describe, on both engines, idempotently."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from gxbg.store.db import Store
from gxbg.store.engine import write_transaction
from gxbg.store.migrate import alembic_config, current_revision, head_revision
from gxbg.store.schema import TABLES

VIEWS = {"current_reports", "current_cells", "current_checks"}


def test_migrate_builds_the_models_schema_and_is_idempotent(empty_url: str) -> None:
    store = Store(empty_url)
    try:
        assert current_revision(store.engine) is None
        store.migrate()
        store.migrate()
        assert current_revision(store.engine) == head_revision()
        inspector = sa.inspect(store.engine)
        assert {t.name for t in TABLES} <= set(inspector.get_table_names())
        assert set(inspector.get_view_names()) >= VIEWS
        with store.engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
            )
        assert diff == []
    finally:
        store.close()


def test_downgrade_to_base_and_back(empty_url: str) -> None:
    store = Store(empty_url)
    try:
        store.migrate()
        with write_transaction(store.engine) as conn:
            command.downgrade(alembic_config(conn), "base")
        assert not {t.name for t in TABLES} & set(sa.inspect(store.engine).get_table_names())
        store.migrate()
        assert set(sa.inspect(store.engine).get_view_names()) >= VIEWS
    finally:
        store.close()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'wal.db'}")
    try:
        store.migrate()
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar_one() >= 10_000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    finally:
        store.close()
