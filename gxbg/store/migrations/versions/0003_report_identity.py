"""report identity: one report per canonical URL, the portals that listed it as provenance

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07

A report version is one content at one canonical URL, whichever portal led to it.  Until now a page
listed by two portals (a city portal listing a district's report, a seed given twice) was stored
once per portal: two agencies, two reports, two versions with the same ``content_sha256`` and
``source_url``.  This migration

* adds ``report_listings`` (version × portal, with what the listing showed) and fills it with each
  version's portal (``listed_title``/``listed_published`` stay NULL: not recorded before 0003);
* merges the copies: reports of the same year sharing a ``source_url`` become the lowest-id one;
  versions with the same content become the lowest-id one, which takes the other copies' portals as
  listings and their human check decisions where it has none; the current version is the newest
  fetched of those that were current; agencies left without reports are deleted;
* indexes ``report_versions.source_url`` (the identity lookup);
* recreates the views: ``current_cells`` and ``current_checks`` gain ``portal`` and ``source_url``
  (with ``report_id`` they tell apart several reports of one agency name × year), and ``portal`` in
  all three views is the portal the agency's name is scoped to.

The downgrade restores the 0002 views and drops the table and indexes; merged copies stay merged.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HEADLINES = (
    ("received_total", "requests", "received"),
    ("carried_in_total", "requests", "carried_in"),
    ("disclosed_total", "requests", "disclosed"),
    ("partly_disclosed_total", "requests", "partly_disclosed"),
    ("handled_total", "requests", "total"),
    ("carried_out_total", "requests", "carried_out"),
    ("review_total", "appeals", "review"),
    ("litigation_direct_total", "appeals", "litigation_direct"),
    ("litigation_after_review_total", "appeals", "litigation_after_review"),
)

_FIGURES = ",\n".join(
    f"    MAX(CASE WHEN table_key = '{table}' AND row_key = '{row}' THEN value END) AS {name}"
    for name, table, row in HEADLINES
)

CURRENT_REPORTS = f"""
CREATE VIEW current_reports AS
SELECT r.id AS report_id, v.id AS version_id, a.name AS agency, r.year AS year,
       v.format AS format, v.title AS title, v.published AS published, p.name AS portal,
       v.source_url AS source_url, v.final_url AS final_url, v.fetched_at AS fetched_at,
       v.content_sha256 AS content_sha256, v.parser_version AS parser_version,
       {", ".join(f"h.{name} AS {name}" for name, _, _ in HEADLINES)},
       COALESCE(c.fail_count, 0) AS fail_count,
       COALESCE(c.uncertain_count, 0) AS uncertain_count,
       COALESCE(c.check_count, 0) AS check_count
FROM report_versions v
JOIN reports r ON r.id = v.report_id
JOIN agencies a ON a.id = r.agency_id
JOIN portals p ON p.id = a.portal_id
LEFT JOIN (
  SELECT version_id,
{_FIGURES}
  FROM cells
  WHERE col_key = 'total' AND table_key IN ('requests', 'appeals')
  GROUP BY version_id
) h ON h.version_id = v.id
LEFT JOIN (
  SELECT version_id,
         SUM(CASE WHEN status = 'FAIL' THEN 1 ELSE 0 END) AS fail_count,
         SUM(CASE WHEN status = 'UNCERTAIN' THEN 1 ELSE 0 END) AS uncertain_count,
         COUNT(*) AS check_count
  FROM check_results
  GROUP BY version_id
) c ON c.version_id = v.id
WHERE v.is_current
"""

CURRENT_CELLS = """
CREATE VIEW current_cells AS
SELECT v.report_id AS report_id, v.id AS version_id, a.name AS agency, r.year AS year,
       v.format AS format, p.name AS portal, v.source_url AS source_url,
       c.table_key AS table_key, c.row_key AS row_key, c.col_key AS col_key,
       c.value AS value, c.raw AS raw, c.meaning AS meaning, c.unit AS unit
FROM cells c
JOIN report_versions v ON v.id = c.version_id
JOIN reports r ON r.id = v.report_id
JOIN agencies a ON a.id = r.agency_id
JOIN portals p ON p.id = a.portal_id
WHERE v.is_current
"""

CURRENT_CHECKS = """
CREATE VIEW current_checks AS
SELECT v.report_id AS report_id, v.id AS version_id, a.name AS agency, r.year AS year,
       v.format AS format, p.name AS portal, v.source_url AS source_url,
       k.rule AS rule, k.scope AS scope, k.status AS status,
       k.severity AS severity, k.expr AS expr, k."left" AS "left", k."right" AS "right",
       k.delta AS delta, k.human_status AS human_status
FROM check_results k
JOIN report_versions v ON v.id = k.version_id
JOIN reports r ON r.id = v.report_id
JOIN agencies a ON a.id = r.agency_id
JOIN portals p ON p.id = a.portal_id
WHERE v.is_current
"""

VIEWS = ("current_checks", "current_cells", "current_reports")


def _drop_views() -> None:
    for view in VIEWS:
        op.execute(f"DROP VIEW {view}")


def _find(parent: dict[int, int], item: int) -> int:
    while parent.setdefault(item, item) != item:
        parent[item] = parent[parent[item]]
        item = parent[item]
    return item


def _merge_decisions(conn: sa.Connection, source_id: int, target_id: int) -> None:
    """Human check decisions of a deleted copy go to the kept version's same (rule, scope) check."""
    decisions = conn.execute(
        sa.text(
            "SELECT rule, scope, human_status FROM check_results "
            "WHERE version_id = :v AND human_status IS NOT NULL"
        ),
        {"v": source_id},
    ).all()
    for rule, scope, human_status in decisions:
        scope_match = "scope IS NULL" if scope is None else "scope = :scope"
        conn.execute(
            sa.text(
                "UPDATE check_results SET human_status = :h "
                f"WHERE version_id = :v AND rule = :rule AND {scope_match} AND human_status IS NULL"
            ),
            {"h": human_status, "v": target_id, "rule": rule, "scope": scope},
        )


def _merge_listings(conn: sa.Connection, source_id: int, target_id: int) -> None:
    conn.execute(
        sa.text(
            "INSERT INTO report_listings (version_id, portal_id, run_id, listed_title, "
            "listed_published, first_seen, last_seen) "
            "SELECT :t, portal_id, run_id, listed_title, listed_published, first_seen, last_seen "
            "FROM report_listings s WHERE s.version_id = :s AND NOT EXISTS ("
            "SELECT 1 FROM report_listings k WHERE k.version_id = :t AND k.portal_id = s.portal_id)"
        ),
        {"s": source_id, "t": target_id},
    )


def _delete_version(conn: sa.Connection, version_id: int) -> None:
    for table in ("sections", "cells", "check_results", "report_listings", "report_versions"):
        column = "id" if table == "report_versions" else "version_id"
        conn.execute(sa.text(f"DELETE FROM {table} WHERE {column} = :v"), {"v": version_id})


def merge_copies(conn: sa.Connection) -> int:
    """Merge reports of one year sharing a source URL, and versions of one content; return the number
    of versions removed as copies."""
    versions = conn.execute(
        sa.text(
            "SELECT v.id, v.report_id, v.content_sha256, v.source_url, v.is_current, v.fetched_at, r.year "
            "FROM report_versions v JOIN reports r ON r.id = v.report_id ORDER BY v.id"
        )
    ).all()
    parent: dict[int, int] = {}
    first_at: dict[tuple[str, int], int] = {}
    for row in versions:
        key = (row.source_url, row.year)
        if key in first_at:
            a, b = _find(parent, first_at[key]), _find(parent, row.report_id)
            parent[max(a, b)] = min(a, b)
        else:
            first_at[key] = row.report_id
    groups: dict[int, list[Any]] = {}
    for row in versions:
        groups.setdefault(_find(parent, row.report_id), []).append(row)
    removed = 0
    for canonical, rows in groups.items():
        reports = sorted({row.report_id for row in rows})
        if len(reports) == 1:
            continue
        keep: dict[str, Any] = {}
        kept_of: dict[int, Any] = {}
        for row in rows:  # by id: the first of each content is kept
            target = keep.setdefault(row.content_sha256, row)
            kept_of[row.id] = target
            if target is not row:
                _merge_listings(conn, row.id, target.id)
                _merge_decisions(conn, row.id, target.id)
                _delete_version(conn, row.id)
                removed += 1
        others = [r for r in reports if r != canonical]
        marks = ", ".join(f":r{i}" for i in range(len(others)))
        params: dict[str, Any] = {f"r{i}": r for i, r in enumerate(others)}
        conn.execute(
            sa.text(f"UPDATE report_versions SET is_current = FALSE WHERE report_id IN ({marks})"), params
        )
        conn.execute(
            sa.text(f"UPDATE report_versions SET report_id = :c WHERE report_id IN ({marks})"),
            {**params, "c": canonical},
        )
        candidates = [kept_of[row.id] for row in rows if row.is_current] or list(keep.values())
        current = max(candidates, key=lambda row: (row.fetched_at, row.id))
        conn.execute(
            sa.text("UPDATE report_versions SET is_current = FALSE WHERE report_id = :c"), {"c": canonical}
        )
        conn.execute(sa.text("UPDATE report_versions SET is_current = TRUE WHERE id = :v"), {"v": current.id})
        conn.execute(
            sa.text(
                "UPDATE reports SET format = (SELECT format FROM report_versions WHERE id = :v), "
                "title = (SELECT title FROM report_versions WHERE id = :v), "
                "published = (SELECT published FROM report_versions WHERE id = :v) WHERE id = :c"
            ),
            {"v": current.id, "c": canonical},
        )
        agencies = [
            row[0]
            for row in conn.execute(
                sa.text(f"SELECT DISTINCT agency_id FROM reports WHERE id IN ({marks})"), params
            )
        ]
        conn.execute(sa.text(f"DELETE FROM reports WHERE id IN ({marks})"), params)
        for agency_id in agencies:
            conn.execute(
                sa.text(
                    "DELETE FROM agencies WHERE id = :a "
                    "AND NOT EXISTS (SELECT 1 FROM reports WHERE agency_id = :a)"
                ),
                {"a": agency_id},
            )
    return removed


def upgrade() -> None:
    op.create_table(
        "report_listings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("portal_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("listed_title", sa.Text(), nullable=True),
        sa.Column("listed_published", sa.Date(), nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["portal_id"],
            ["portals.id"],
            name=op.f("fk_report_listings_portal_id_portals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["harvest_runs.id"],
            name=op.f("fk_report_listings_run_id_harvest_runs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["report_versions.id"],
            name=op.f("fk_report_listings_version_id_report_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_listings")),
        sa.UniqueConstraint("version_id", "portal_id", name="uq_report_listings_version_portal"),
    )
    with op.batch_alter_table("report_listings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_listings_portal_id"), ["portal_id"], unique=False)
    with op.batch_alter_table("report_versions", schema=None) as batch_op:
        batch_op.create_index("ix_report_versions_source_url", ["source_url"], unique=False)
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "INSERT INTO report_listings (version_id, portal_id, run_id, first_seen, last_seen) "
            "SELECT id, portal_id, run_id, fetched_at, fetched_at FROM report_versions "
            "WHERE portal_id IS NOT NULL"
        )
    )
    _drop_views()  # before the data move: SQLite checks views when rows move
    merge_copies(conn)
    op.execute(CURRENT_REPORTS)
    op.execute(CURRENT_CELLS)
    op.execute(CURRENT_CHECKS)


def _views_0002() -> Any:
    path = Path(__file__).with_name("0002_analysis_views.py")
    spec = importlib.util.spec_from_file_location("gxbg_migration_0002", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def downgrade() -> None:
    _drop_views()
    views = _views_0002()
    op.execute(views.CURRENT_REPORTS)
    op.execute(views.CURRENT_CELLS)
    op.execute(views.CURRENT_CHECKS)
    with op.batch_alter_table("report_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_report_versions_source_url")
    with op.batch_alter_table("report_listings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_listings_portal_id"))
    op.drop_table("report_listings")
