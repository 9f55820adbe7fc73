"""Re-parse stored versions in place when the extractor changes (``PARSER_VERSION`` bumps).

A version is a content (its hash); a new parser gives new rows for the *same* content, so the
version's sections, cells and checks are replaced in one transaction and its ``parser_version``
updated — no new version.  Human decisions on checks (``human_status``) survive when the same
``(rule, scope)`` is produced again.  What a parse of the body cannot re-derive is kept: the title
and date fall back to what the report's page showed, then to what its listing showed
(``report_listings``), then to the stored values (databases from before listings were recorded).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gxbg.store.errors import StoreError
from gxbg.store.records import ReportSource, StaleVersion
from gxbg.store.rows import VersionRows
from gxbg.store.schema import (
    AGENCIES,
    CELLS,
    CHECK_RESULTS,
    DOCUMENTS,
    REPORT_LISTINGS,
    REPORT_VERSIONS,
    REPORTS,
    SECTIONS,
)


def stale_versions(conn: Connection, parser_version: str, limit: int) -> list[StaleVersion]:
    """Versions parsed by another parser version, oldest first, with what a re-parse needs."""
    query = (
        sa.select(
            REPORT_VERSIONS.c.id.label("version_id"),
            REPORT_VERSIONS.c.source_url,
            REPORT_VERSIONS.c.parser_version,
            DOCUMENTS.c.sha256.label("document_sha256"),
            DOCUMENTS.c.content_type,
        )
        .select_from(REPORT_VERSIONS.outerjoin(DOCUMENTS, DOCUMENTS.c.id == REPORT_VERSIONS.c.document_id))
        .where(
            sa.or_(
                REPORT_VERSIONS.c.parser_version.is_(None), REPORT_VERSIONS.c.parser_version != parser_version
            )
        )
        .order_by(REPORT_VERSIONS.c.id)
        .limit(limit)
    )
    return [
        {
            "version_id": int(row.version_id),
            "source_url": row.source_url,
            "parser_version": row.parser_version,
            "document_sha256": row.document_sha256,
            "content_type": row.content_type,
        }
        for row in conn.execute(query)
    ]


def version_source(conn: Connection, version_id: int) -> ReportSource:
    """The stored source of a version, with its report's agency and year (a reparse keeps them) and
    the title and date its listings showed, else the stored ones."""
    v, listing = REPORT_VERSIONS.c, REPORT_LISTINGS.c

    def listed(column: sa.Column[Any]) -> Any:
        return (
            sa.select(column)
            .where(listing.version_id == v.id, column.is_not(None))
            .order_by(listing.first_seen, listing.id)
            .limit(1)
            .scalar_subquery()
        )

    query = (
        sa.select(
            v.source_url.label("url"),
            v.final_url,
            v.fetched_at,
            v.content_sha256.label("sha256"),
            AGENCIES.c.name.label("agency"),
            REPORTS.c.year,
            sa.func.coalesce(listed(listing.listed_title), v.title).label("title"),
            sa.func.coalesce(listed(listing.listed_published), v.published).label("published"),
        )
        .join(REPORTS, REPORTS.c.id == v.report_id)
        .join(AGENCIES, AGENCIES.c.id == REPORTS.c.agency_id)
        .where(v.id == version_id)
    )
    found = conn.execute(query).mappings().first()
    if found is None:
        raise StoreError(f"no report version with id {version_id}")
    return {
        "url": found["url"],
        "final_url": found["final_url"],
        "fetched_at": found["fetched_at"],
        "sha256": found["sha256"],
        "agency": found["agency"],
        "year": found["year"],
        "title": found["title"],
        "published": found["published"],
    }


def replace_rows(conn: Connection, version_id: int, rows: VersionRows) -> None:
    """Swap the version's sections, cells and checks for ``rows`` (the caller owns the transaction)."""
    found = conn.execute(
        sa.select(REPORT_VERSIONS.c.report_id, REPORT_VERSIONS.c.is_current)
        .where(REPORT_VERSIONS.c.id == version_id)
        .with_for_update()
    ).first()
    if found is None:
        raise StoreError(f"no report version with id {version_id}")
    decisions = {
        (row.rule, row.scope): row.human_status
        for row in conn.execute(
            sa.select(CHECK_RESULTS.c.rule, CHECK_RESULTS.c.scope, CHECK_RESULTS.c.human_status).where(
                CHECK_RESULTS.c.version_id == version_id, CHECK_RESULTS.c.human_status.is_not(None)
            )
        )
    }
    for table in (SECTIONS, CELLS, CHECK_RESULTS):
        conn.execute(sa.delete(table).where(table.c.version_id == version_id))
    checks = [
        {**check, "human_status": decisions.get((check["rule"], check["scope"]))} for check in rows.checks
    ]
    for table, items in ((SECTIONS, rows.sections), (CELLS, rows.cells), (CHECK_RESULTS, checks)):
        if items:
            conn.execute(sa.insert(table), [{**item, "version_id": version_id} for item in items])
    conn.execute(
        sa.update(REPORT_VERSIONS)
        .where(REPORT_VERSIONS.c.id == version_id)
        .values(
            parser_version=rows.parser_version,
            format=rows.format,
            title=rows.title,
            published=rows.published,
            n_sections=len(rows.sections),
            n_cells=len(rows.cells),
            n_checks=len(checks),
            report_json=rows.report_json,
        )
    )
    if found.is_current:  # the report row mirrors its current version
        conn.execute(
            sa.update(REPORTS)
            .where(REPORTS.c.id == found.report_id)
            .values(format=rows.format, title=rows.title, published=rows.published)
        )
