"""Write one report version — document, report, version, sections, cells, checks — in the
caller's transaction (``Store.load_report`` opens exactly one per call).

Versions are keyed by content hash: the same content again adds nothing (it only becomes the
current version again if it was not); new content adds a version, keeps the old ones and moves
``is_current``.  On PostgreSQL the report row is locked (``FOR UPDATE``) before its versions are
read, so two loaders of the same report serialise instead of racing on the unique indexes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gxbg.store import failures
from gxbg.store.documents import upsert_document
from gxbg.store.rows import VersionRows
from gxbg.store.schema import AGENCIES, CELLS, CHECK_RESULTS, REPORT_VERSIONS, REPORTS, SECTIONS
from gxbg.store.upsert import ensure_row, insert_ignore


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadOutcome:
    """What ``load_report`` did: ``created`` is False when the content was already stored."""

    created: bool
    report_id: int
    version_id: int


def _report_id(conn: Connection, rows: VersionRows, portal_id: int) -> int:
    agency_id = ensure_row(conn, AGENCIES, {"portal_id": portal_id, "name": rows.agency})
    insert_ignore(
        conn,
        REPORTS,
        {
            "agency_id": agency_id,
            "year": rows.year,
            "format": rows.format,
            "title": rows.title,
            "published": rows.published,
        },
        keys=["agency_id", "year"],
    )
    query = (
        sa.select(REPORTS.c.id)
        .where(REPORTS.c.agency_id == agency_id, REPORTS.c.year == rows.year)
        .with_for_update()
    )
    return int(conn.execute(query).scalar_one())


def _make_current(conn: Connection, report_id: int, version_id: int, rows: VersionRows) -> None:
    conn.execute(
        sa.update(REPORT_VERSIONS)
        .where(REPORT_VERSIONS.c.report_id == report_id, REPORT_VERSIONS.c.is_current)
        .values(is_current=False)
    )
    conn.execute(sa.update(REPORT_VERSIONS).where(REPORT_VERSIONS.c.id == version_id).values(is_current=True))
    conn.execute(
        sa.update(REPORTS)
        .where(REPORTS.c.id == report_id)
        .values(format=rows.format, title=rows.title, published=rows.published)
    )


def load_version(
    conn: Connection, rows: VersionRows, *, run_id: int | None, portal_id: int, now: dt.datetime
) -> LoadOutcome:
    """Store ``rows`` (see module docstring); the caller owns the transaction."""
    document_id = upsert_document(
        conn,
        {
            "url": rows.source_url,
            "final_url": rows.final_url,
            "status": None,
            "sha256": rows.document_sha256,
            "content_type": None,
            "encoding": None,
            "error_kind": None,
            "reason": None,
            "etag": None,
            "last_modified": None,
            "redirects": None,
            "fetched_at": rows.fetched_at,
        },
        run_id=run_id,
        portal_id=portal_id,
    )
    report_id = _report_id(conn, rows, portal_id)
    failures.resolve(conn, tuple({rows.source_url, rows.final_url or rows.source_url}), now=now)
    existing = conn.execute(
        sa.select(REPORT_VERSIONS.c.id, REPORT_VERSIONS.c.is_current).where(
            REPORT_VERSIONS.c.report_id == report_id,
            REPORT_VERSIONS.c.content_sha256 == rows.content_sha256,
        )
    ).first()
    if existing is not None:
        if not existing.is_current:
            _make_current(conn, report_id, existing.id, rows)
        return LoadOutcome(created=False, report_id=report_id, version_id=int(existing.id))
    conn.execute(
        sa.update(REPORT_VERSIONS)
        .where(REPORT_VERSIONS.c.report_id == report_id, REPORT_VERSIONS.c.is_current)
        .values(is_current=False)
    )
    version_id = conn.execute(
        sa.insert(REPORT_VERSIONS)
        .values(
            report_id=report_id,
            content_sha256=rows.content_sha256,
            document_id=document_id,
            portal_id=portal_id,
            run_id=run_id,
            source_url=rows.source_url,
            final_url=rows.final_url,
            fetched_at=rows.fetched_at,
            format=rows.format,
            title=rows.title,
            published=rows.published,
            parser_version=rows.parser_version,
            is_current=True,
            n_sections=len(rows.sections),
            n_cells=len(rows.cells),
            n_checks=len(rows.checks),
            report_json=rows.report_json,
        )
        .returning(REPORT_VERSIONS.c.id)
    ).scalar_one()
    for table, items in ((SECTIONS, rows.sections), (CELLS, rows.cells), (CHECK_RESULTS, rows.checks)):
        if items:
            conn.execute(sa.insert(table), [{**item, "version_id": version_id} for item in items])
    conn.execute(
        sa.update(REPORTS)
        .where(REPORTS.c.id == report_id)
        .values(format=rows.format, title=rows.title, published=rows.published)
    )
    return LoadOutcome(created=True, report_id=report_id, version_id=int(version_id))
