"""analysis views: current_reports, current_cells, current_checks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Plain SQL that runs unchanged on SQLite and PostgreSQL (conditional aggregation, no FILTER,
no dialect functions).  Headline figures come from the ``total`` column of table 三
(``requests``) and table 四 (``appeals``); NULL where the report has no such cell or printed
no number there (a blank is not a zero).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (view column, table_key, row_key): every figure is the row's `total` column.
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
LEFT JOIN portals p ON p.id = v.portal_id
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
       v.format AS format, c.table_key AS table_key, c.row_key AS row_key, c.col_key AS col_key,
       c.value AS value, c.raw AS raw, c.meaning AS meaning, c.unit AS unit
FROM cells c
JOIN report_versions v ON v.id = c.version_id
JOIN reports r ON r.id = v.report_id
JOIN agencies a ON a.id = r.agency_id
WHERE v.is_current
"""

CURRENT_CHECKS = """
CREATE VIEW current_checks AS
SELECT v.report_id AS report_id, v.id AS version_id, a.name AS agency, r.year AS year,
       v.format AS format, k.rule AS rule, k.scope AS scope, k.status AS status,
       k.severity AS severity, k.expr AS expr, k."left" AS "left", k."right" AS "right",
       k.delta AS delta, k.human_status AS human_status
FROM check_results k
JOIN report_versions v ON v.id = k.version_id
JOIN reports r ON r.id = v.report_id
JOIN agencies a ON a.id = r.agency_id
WHERE v.is_current
"""


def upgrade() -> None:
    op.execute(CURRENT_REPORTS)
    op.execute(CURRENT_CELLS)
    op.execute(CURRENT_CHECKS)


def downgrade() -> None:
    op.execute("DROP VIEW current_checks")
    op.execute("DROP VIEW current_cells")
    op.execute("DROP VIEW current_reports")
