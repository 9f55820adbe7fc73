"""Failed URLs: recorded with their reason, retried on the next harvest, resolved on success.

At most one open (unresolved) row per URL — a partial unique index — so recording the same
failure again bumps ``attempts`` and ``last_seen`` instead of adding rows.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gxbg.store.records import OpenFailure
from gxbg.store.schema import FAILURES, PORTALS
from gxbg.store.upsert import insert_for

_OPEN = "resolved_at IS NULL"


def record(
    conn: Connection,
    *,
    run_id: int | None,
    portal_id: int | None,
    url: str,
    stage: str,
    error: str,
    reason: str,
    now: dt.datetime,
) -> None:
    """Open a failure for ``url`` or bump the open one."""
    row = {
        "run_id": run_id,
        "first_run_id": run_id,
        "portal_id": portal_id,
        "url": url,
        "stage": stage,
        "error": error,
        "reason": reason,
        "first_seen": now,
        "last_seen": now,
        "attempts": 1,
    }
    stmt = insert_for(conn, FAILURES).values(row)
    new = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=["url"],
        index_where=sa.text(_OPEN),
        set_={
            "run_id": new.run_id,
            "portal_id": sa.func.coalesce(new.portal_id, FAILURES.c.portal_id),
            "stage": new.stage,
            "error": new.error,
            "reason": new.reason,
            "last_seen": new.last_seen,
            "attempts": FAILURES.c.attempts + 1,
        },
    )
    conn.execute(stmt)


def resolve(conn: Connection, urls: tuple[str, ...], *, now: dt.datetime) -> int:
    """Mark the open failures of ``urls`` resolved; return how many there were."""
    result = conn.execute(
        sa.update(FAILURES)
        .where(FAILURES.c.url.in_(urls), FAILURES.c.resolved_at.is_(None))
        .values(resolved_at=now)
    )
    return int(result.rowcount)


def open_rows(conn: Connection, portal: str | None) -> list[OpenFailure]:
    """Open failures, oldest first, as plain dicts (timestamps ISO 8601)."""
    query = (
        sa.select(
            FAILURES.c.url,
            PORTALS.c.name.label("portal"),
            FAILURES.c.stage,
            FAILURES.c.error,
            FAILURES.c.reason,
            FAILURES.c.attempts,
            FAILURES.c.first_seen,
            FAILURES.c.last_seen,
            FAILURES.c.run_id,
        )
        .select_from(FAILURES.outerjoin(PORTALS, PORTALS.c.id == FAILURES.c.portal_id))
        .where(FAILURES.c.resolved_at.is_(None))
        .order_by(FAILURES.c.first_seen, FAILURES.c.id)
    )
    if portal is not None:
        query = query.where(PORTALS.c.name == portal)
    return [
        {
            "url": row.url,
            "portal": row.portal,
            "stage": row.stage,
            "error": row.error,
            "reason": row.reason,
            "attempts": row.attempts,
            "first_seen": row.first_seen.isoformat(),
            "last_seen": row.last_seen.isoformat(),
            "run_id": row.run_id,
        }
        for row in conn.execute(query)
    ]
