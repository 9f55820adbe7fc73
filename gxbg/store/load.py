"""Write one report version — document, report, version, sections, cells, checks — in the
caller's transaction (``Store.load_report`` opens exactly one per call).

A report is found by its canonical URL first: a report of the same year already holding a version
at ``source_url`` is that report, whichever portal led to it (a city portal listing a district's
page, a seed given twice); otherwise by the agency's printed name on the loading portal and the
year.  Within the report, versions are keyed by content hash: the same content again adds nothing
(it only becomes the current version again if it was not); new content adds a version, keeps the
old ones and moves ``is_current``.  Either way the portal is recorded as provenance in
``report_listings`` (with the listing's title and date).  On PostgreSQL the URL is held by an
advisory lock and the report row locked (``FOR UPDATE``) before its versions are read, so two
loaders of the same page or report serialise instead of racing on the unique indexes.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gxbg.store import failures
from gxbg.store.documents import upsert_document
from gxbg.store.records import LoadOutcome
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
from gxbg.store.upsert import ensure_row, insert_for, insert_ignore

#: First key of the two-key PostgreSQL advisory locks held per source URL while loading.
_PG_URL_LOCK_CLASS = 0x67786275  # "gxbu"


def _lock_report(conn: Connection, report_id: int) -> int:
    query = sa.select(REPORTS.c.id).where(REPORTS.c.id == report_id).with_for_update()
    return int(conn.execute(query).scalar_one())


def _report_at_url(conn: Connection, rows: VersionRows) -> int | None:
    """The report of ``rows.year`` that already has a version at ``rows.source_url`` (the one holding
    the same content first), whatever portal loaded it."""
    v = REPORT_VERSIONS.c
    found = conn.execute(
        sa.select(v.report_id)
        .join(REPORTS, REPORTS.c.id == v.report_id)
        .where(v.source_url == rows.source_url, REPORTS.c.year == rows.year)
        .order_by(sa.case((v.content_sha256 == rows.content_sha256, 0), else_=1), v.report_id)
        .limit(1)
    ).scalar()
    return None if found is None else _lock_report(conn, int(found))


def _document_id(conn: Connection, rows: VersionRows, *, run_id: int | None, portal_id: int) -> int:
    """The ``documents`` row of the fetched body: the harvest recorded it with its full response
    (``record_document``) just before, so it is only written here when no one did."""
    found = conn.execute(
        sa.select(DOCUMENTS.c.id).where(
            DOCUMENTS.c.url == rows.document_url, DOCUMENTS.c.sha256 == rows.document_sha256
        )
    ).scalar()
    if found is not None:
        return int(found)
    values = dict.fromkeys(
        ("status", "content_type", "encoding", "error_kind", "reason", "etag", "last_modified", "redirects")
    )
    values |= {
        "url": rows.document_url,
        "final_url": rows.final_url if rows.document_url == rows.source_url else None,
        "sha256": rows.document_sha256,
        "fetched_at": rows.fetched_at,
    }
    return upsert_document(conn, values, run_id=run_id, portal_id=portal_id)


def record_listing(
    conn: Connection, version_id: int, rows: VersionRows, *, run_id: int | None, portal_id: int
) -> None:
    """Record (or refresh) that ``portal_id`` listed this version: provenance, never identity."""
    stmt = insert_for(conn, REPORT_LISTINGS).values(
        version_id=version_id,
        portal_id=portal_id,
        run_id=run_id,
        listed_title=rows.listed_title,
        listed_published=rows.listed_published,
        first_seen=rows.fetched_at,
        last_seen=rows.fetched_at,
    )
    new, cur = stmt.excluded, REPORT_LISTINGS.c
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["version_id", "portal_id"],
            set_={
                "listed_title": sa.func.coalesce(new.listed_title, cur.listed_title),
                "listed_published": sa.func.coalesce(new.listed_published, cur.listed_published),
                "first_seen": sa.case(
                    (new.first_seen < cur.first_seen, new.first_seen), else_=cur.first_seen
                ),
                "last_seen": sa.case((new.last_seen > cur.last_seen, new.last_seen), else_=cur.last_seen),
            },
        )
    )


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
    found = conn.execute(
        sa.select(REPORTS.c.id).where(REPORTS.c.agency_id == agency_id, REPORTS.c.year == rows.year)
    ).scalar_one()
    return _lock_report(conn, int(found))


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
    if conn.dialect.name == "postgresql":
        conn.execute(
            sa.select(sa.func.pg_advisory_xact_lock(_PG_URL_LOCK_CLASS, sa.func.hashtext(rows.source_url)))
        )
    document_id = _document_id(conn, rows, run_id=run_id, portal_id=portal_id)
    report_id = _report_at_url(conn, rows) or _report_id(conn, rows, portal_id)
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
        record_listing(conn, int(existing.id), rows, run_id=run_id, portal_id=portal_id)
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
    record_listing(conn, int(version_id), rows, run_id=run_id, portal_id=portal_id)
    conn.execute(
        sa.update(REPORTS)
        .where(REPORTS.c.id == report_id)
        .values(format=rows.format, title=rows.title, published=rows.published)
    )
    return LoadOutcome(created=True, report_id=report_id, version_id=int(version_id))
