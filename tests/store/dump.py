"""Table dumps and consistency checks shared by the idempotency, concurrency and crash tests."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from gxbg.store.db import Store
from gxbg.store.schema import TABLES

#: Run bookkeeping is not compared: runs and failure timestamps come from the clock, and a
#: failure seen again by a later run legitimately counts one more attempt.
BOOKKEEPING = {
    "harvest_runs": None,
    "failures": {"run_id", "attempts", "first_seen", "last_seen", "resolved_at"},
}


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (ids included, bookkeeping excluded), in id order."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as conn:
        for table in sorted(TABLES, key=lambda t: t.name):
            skip = BOOKKEEPING.get(table.name, set())
            if skip is None:
                continue
            columns = [column for column in table.columns if column.name not in skip]
            rows = conn.execute(sa.select(*columns).order_by(table.c.id)).all()
            tables[table.name] = [tuple(row) for row in rows]
    return tables


def consistency_problems(store: Store) -> list[str]:
    """Broken invariants: a version without all its parts, a report without one current version."""
    queries = {
        "version with missing cells": """
            SELECT v.id FROM report_versions v
            WHERE v.n_cells <> (SELECT COUNT(*) FROM cells c WHERE c.version_id = v.id)""",
        "version with missing checks": """
            SELECT v.id FROM report_versions v
            WHERE v.n_checks <> (SELECT COUNT(*) FROM check_results k WHERE k.version_id = v.id)""",
        "version with missing sections": """
            SELECT v.id FROM report_versions v
            WHERE v.n_sections <> (SELECT COUNT(*) FROM sections s WHERE s.version_id = v.id)""",
        "version without its document": """
            SELECT v.id FROM report_versions v
            WHERE v.document_id IS NULL
               OR NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = v.document_id)""",
        "report without exactly one current version": """
            SELECT r.id FROM reports r
            WHERE (SELECT COUNT(*) FROM report_versions v WHERE v.report_id = r.id AND v.is_current) <> 1""",
    }
    problems = []
    with store.engine.connect() as conn:
        for name, sql in queries.items():
            ids = conn.execute(sa.text(sql)).scalars().all()
            if ids:
                problems.append(f"{name}: {ids}")
        # n_cells must itself agree with the stored report JSON.
        for version_id, n_cells, report_json in conn.execute(
            sa.text("SELECT id, n_cells, report_json FROM report_versions")
        ):
            document = report_json if isinstance(report_json, dict) else json.loads(report_json)
            if n_cells != len(document.get("cells") or ()):
                problems.append(
                    f"version {version_id}: n_cells {n_cells} != {len(document['cells'])} in its JSON"
                )
        if conn.dialect.name == "sqlite":
            check = conn.exec_driver_sql("PRAGMA integrity_check").scalar_one()
            if check != "ok":
                problems.append(f"sqlite integrity_check: {check}")
    return problems
