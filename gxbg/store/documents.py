"""Provenance of fetched resources: the ``documents`` table.

One row per distinct ``(url, sha256)`` (one per URL for fetches that produced no body), so a
re-harvest that sees the same bytes adds no row: it only moves ``last_fetched_at`` and takes the
newest response metadata (status, etag, last-modified…).  ``fetched_at`` keeps the first fetch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gxbg.store.errors import StoreError
from gxbg.store.records import FetchRecord
from gxbg.store.schema import DOCUMENTS, PORTALS, REPORT_LISTINGS, REPORT_VERSIONS
from gxbg.store.types import to_utc
from gxbg.store.upsert import insert_for

#: Response metadata that follows the newest fetch (older fetches only fill gaps).
_LATEST_WINS = ("final_url", "status", "content_type", "encoding", "error_kind", "reason", "etag")
_LATEST_WINS_ALSO = ("last_modified", "redirects", "portal_id")


def _header(headers: Mapping[str, str | None], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return None if value is None else str(value)
    return None


def document_values(fetch: FetchRecord) -> dict[str, Any]:
    """Columns from a fetch record (a ``FetchResult`` without its body).

    >>> document_values({"url": "http://a/1", "fetched_at": "2026-01-02T03:04:05Z",
    ...     "status": 200, "headers": {"ETag": '"x"'}, "error": None})["etag"]
    '"x"'
    """
    url = fetch.get("url")
    if not isinstance(url, str) or not url:
        raise StoreError("fetch record has no url")
    fetched_at = to_utc(fetch.get("fetched_at"), what=f"fetched_at of {url}")
    if fetched_at is None:
        raise StoreError(f"fetch record for {url} has no fetched_at")
    headers = fetch.get("headers") or {}
    sha256 = fetch.get("sha256") or None
    error = fetch.get("error_kind", fetch.get("error"))
    status = fetch.get("status")
    redirects = fetch.get("redirects")
    return {
        "url": url,
        "final_url": fetch.get("final_url"),
        "status": None if status is None else int(status),
        "sha256": sha256,
        "content_type": fetch.get("content_type") or _header(headers, "content-type"),
        "encoding": fetch.get("encoding"),
        "error_kind": None if error is None else str(error),
        "reason": fetch.get("reason"),
        "etag": fetch.get("etag") or _header(headers, "etag"),
        "last_modified": fetch.get("last_modified") or _header(headers, "last-modified"),
        "redirects": None if redirects is None else [str(hop) for hop in redirects],
        "fetched_at": fetched_at,
    }


def upsert_document(
    conn: Connection, values: dict[str, Any], *, run_id: int | None, portal_id: int | None
) -> int:
    """Insert or refresh the row for ``(url, sha256)`` and return its id."""
    row = {**values, "run_id": run_id, "portal_id": portal_id, "last_fetched_at": values["fetched_at"]}
    stmt = insert_for(conn, DOCUMENTS).values(row)
    new, cur = stmt.excluded, DOCUMENTS.c
    newer = new.last_fetched_at >= cur.last_fetched_at
    updates: dict[str, Any] = {
        name: sa.case(
            (newer, sa.func.coalesce(new[name], cur[name])), else_=sa.func.coalesce(cur[name], new[name])
        )
        for name in (*_LATEST_WINS, *_LATEST_WINS_ALSO)
    }
    updates["fetched_at"] = sa.case((new.fetched_at < cur.fetched_at, new.fetched_at), else_=cur.fetched_at)
    updates["last_fetched_at"] = sa.case((newer, new.last_fetched_at), else_=cur.last_fetched_at)
    has_body = values["sha256"] is not None
    stmt = stmt.on_conflict_do_update(
        index_elements=["url", "sha256"] if has_body else ["url"],
        index_where=sa.text("sha256 IS NOT NULL" if has_body else "sha256 IS NULL"),
        set_=updates,
    )
    conn.execute(stmt)
    match = DOCUMENTS.c.sha256 == values["sha256"] if has_body else DOCUMENTS.c.sha256.is_(None)
    found = conn.execute(
        sa.select(DOCUMENTS.c.id).where(DOCUMENTS.c.url == values["url"], match)
    ).scalar_one()
    return int(found)


def latest_validators(conn: Connection, url: str) -> tuple[str | None, str | None]:
    """(etag, last_modified) of the newest fetch of ``url`` that had a body and a validator."""
    row = conn.execute(
        sa.select(DOCUMENTS.c.etag, DOCUMENTS.c.last_modified)
        .where(
            DOCUMENTS.c.url == url,
            DOCUMENTS.c.sha256.is_not(None),
            sa.or_(DOCUMENTS.c.etag.is_not(None), DOCUMENTS.c.last_modified.is_not(None)),
        )
        .order_by(DOCUMENTS.c.last_fetched_at.desc(), DOCUMENTS.c.id.desc())
        .limit(1)
    ).first()
    return (None, None) if row is None else (row.etag, row.last_modified)


def known_pages(conn: Connection, portal: str) -> dict[str, tuple[str | None, str | None, str]]:
    """url → (etag, last_modified, sha256) of each URL's newest fetch, for ``portal``'s documents
    that had a body and a validator (the re-harvest's conditional GETs): those it fetched last, and
    those of report versions it listed (another portal may have fetched the same page since)."""
    portal_id = sa.select(PORTALS.c.id).where(PORTALS.c.name == portal).scalar_subquery()
    listed = (
        sa.select(REPORT_VERSIONS.c.document_id)
        .join(REPORT_LISTINGS, REPORT_LISTINGS.c.version_id == REPORT_VERSIONS.c.id)
        .where(REPORT_LISTINGS.c.portal_id == portal_id)
    )
    rows = conn.execute(
        sa.select(DOCUMENTS.c.url, DOCUMENTS.c.etag, DOCUMENTS.c.last_modified, DOCUMENTS.c.sha256)
        .where(
            sa.or_(DOCUMENTS.c.portal_id == portal_id, DOCUMENTS.c.id.in_(listed)),
            DOCUMENTS.c.sha256.is_not(None),
            sa.or_(DOCUMENTS.c.etag.is_not(None), DOCUMENTS.c.last_modified.is_not(None)),
        )
        .order_by(DOCUMENTS.c.url, DOCUMENTS.c.last_fetched_at, DOCUMENTS.c.id)
    )
    return {row.url: (row.etag, row.last_modified, row.sha256) for row in rows}  # newest per URL wins
