"""Alembic environment: always run programmatically by gxbg.store.migrate with a live connection."""

from __future__ import annotations

from alembic import context

from gxbg.store.schema import SQLModel

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through gxbg.store.Store(url).migrate(), not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,  # SQLite alters tables by copy-and-move
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
