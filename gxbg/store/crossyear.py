"""Cross-year checks in the database: :func:`gxbg.extract.crossyear.cross_year` between the current
versions of one agency's consecutive reports, stored in ``cross_year_checks``.

An agency here is its canonical agency when its printed name is linked to one (``canonical:<id>``:
the 2023 report signed 淮安市洪泽区人民政府 and the 2024 one signed 洪泽区人民政府 are compared), else its
printed name on its portal (``agency:<id>``).  When two current reports fall on one agency and year
(the same report on two portals), the one with the lowest report id is compared and the result notes it.

The rows of a group are replaced as a whole: after every load (:meth:`gxbg.store.db.Store.load_report`
re-runs the loaded report's group, so a new version of either side re-runs its checks), and for every
group by ``gxbg check --cross-year`` (after an identity refresh).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gxbg.extract.crossyear import cross_year
from gxbg.store.schema import (
    AGENCIES,
    CANONICAL_AGENCIES,
    CELLS,
    CROSS_YEAR_CHECKS,
    PORTALS,
    REPORT_VERSIONS,
    REPORTS,
)


@dataclass(frozen=True, slots=True)
class _Current:
    version_id: int
    report_id: int
    year: int
    group_key: str
    canonical_id: int | None


def group_key(agency_id: int, canonical_id: int | None) -> str:
    """The key an agency's reports are compared under."""
    return f"canonical:{canonical_id}" if canonical_id is not None else f"agency:{agency_id}"


def _group_filter(keys: set[str]) -> sa.ColumnElement[bool]:
    canonical = [int(k.split(":")[1]) for k in keys if k.startswith("canonical:")]
    plain = [int(k.split(":")[1]) for k in keys if k.startswith("agency:")]
    return sa.or_(
        AGENCIES.c.canonical_agency_id.in_(canonical),
        sa.and_(AGENCIES.c.id.in_(plain), AGENCIES.c.canonical_agency_id.is_(None)),
    )


def _current(conn: Connection, keys: set[str] | None) -> list[_Current]:
    query = (
        sa.select(
            REPORT_VERSIONS.c.id,
            REPORTS.c.id.label("report_id"),
            REPORTS.c.year,
            AGENCIES.c.id.label("agency_id"),
            AGENCIES.c.canonical_agency_id,
        )
        .select_from(
            REPORT_VERSIONS.join(REPORTS, REPORTS.c.id == REPORT_VERSIONS.c.report_id).join(
                AGENCIES, AGENCIES.c.id == REPORTS.c.agency_id
            )
        )
        .where(REPORT_VERSIONS.c.is_current)
        .order_by(REPORTS.c.id)
    )
    if keys is not None:
        query = query.where(_group_filter(keys))
    return [
        _Current(
            int(r.id),
            int(r.report_id),
            int(r.year),
            group_key(int(r.agency_id), r.canonical_agency_id),
            r.canonical_agency_id,
        )
        for r in conn.execute(query)
    ]


def rerun_report(conn: Connection, report_id: int) -> int:
    """Re-run the checks one report takes part in (its year N against N−1, and N+1 against it), after
    it got a new current version or a re-parse; return the rows written."""
    row = conn.execute(
        sa.select(AGENCIES.c.id, AGENCIES.c.canonical_agency_id, REPORTS.c.year)
        .select_from(REPORTS.join(AGENCIES, AGENCIES.c.id == REPORTS.c.agency_id))
        .where(REPORTS.c.id == report_id)
    ).one()
    year = int(row.year)
    return run(conn, {group_key(int(row.id), row.canonical_agency_id)}, years={year, year + 1})


def rerun_version(conn: Connection, version_id: int) -> int:
    """:func:`rerun_report` for the report a version belongs to."""
    report_id = conn.execute(
        sa.select(REPORT_VERSIONS.c.report_id).where(REPORT_VERSIONS.c.id == version_id)
    ).scalar_one()
    return rerun_report(conn, int(report_id))


def _inputs(conn: Connection, versions: set[_Current]) -> dict[int, dict[str, Any]]:
    """Version id → the part of its report JSON the checks read (``year``, ``format``, and the cells of
    表二 and of 表三's carried-in/carried-out rows), from the ``cells`` table: cheaper than decoding
    every ``report_json``."""
    docs: dict[int, dict[str, Any]] = {v.version_id: {"year": v.year, "cells": []} for v in versions}
    ids = sorted(docs)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in conn.execute(
            sa.select(REPORT_VERSIONS.c.id, REPORT_VERSIONS.c.format).where(REPORT_VERSIONS.c.id.in_(chunk))
        ):
            docs[int(row.id)]["format"] = row.format
        c = CELLS.c
        wanted = sa.or_(
            c.table_key == "proactive",
            sa.and_(c.table_key == "requests", c.row_key.in_(("carried_in", "carried_out"))),
        )
        query = sa.select(c.version_id, c.table_key, c.row_key, c.col_key, c.value, c.meaning).where(
            c.version_id.in_(chunk), wanted
        )
        for cell in conn.execute(query):
            docs[int(cell.version_id)]["cells"].append(
                {
                    "table": cell.table_key,
                    "row": cell.row_key,
                    "col": cell.col_key,
                    "value": cell.value,
                    "meaning": cell.meaning,
                }
            )
    return docs


def run(conn: Connection, groups: Iterable[str] | None = None, *, years: set[int] | None = None) -> int:
    """Re-run the cross-year checks of ``groups`` (every group when None) whose year N is in ``years``
    (every year when None); return the rows written."""
    wanted = None if groups is None else set(groups)
    if wanted is None:
        conn.execute(sa.delete(CROSS_YEAR_CHECKS))
    elif not wanted:
        return 0
    else:
        if conn.dialect.name == "postgresql":
            # serialise loaders of one agency's reports (different years) on its rows, in id order,
            # before replacing the group's results: they would otherwise race on uq_cross_year_checks_key
            lock = sa.select(AGENCIES.c.id).where(_group_filter(wanted)).order_by(AGENCIES.c.id)
            conn.execute(lock.with_for_update())
        delete = sa.delete(CROSS_YEAR_CHECKS).where(CROSS_YEAR_CHECKS.c.group_key.in_(sorted(wanted)))
        if years is not None:
            delete = delete.where(CROSS_YEAR_CHECKS.c.year.in_(sorted(years)))
        conn.execute(delete)
    by_group: dict[str, dict[int, list[_Current]]] = {}
    for row in _current(conn, wanted):
        if wanted is None or row.group_key in wanted:
            by_group.setdefault(row.group_key, {}).setdefault(row.year, []).append(row)
    pairs = [
        (by_year[year - 1], by_year[year])
        for by_year in by_group.values()
        for year in sorted(by_year)
        if year - 1 in by_year and (years is None or year in years)
    ]
    if not pairs:
        return 0
    docs = _inputs(conn, {v for prev, cur in pairs for v in (prev[0], cur[0])})
    records: list[dict[str, Any]] = []
    for prevs, curs in pairs:
        prev, cur = prevs[0], curs[0]
        extra = [
            f"{len(x)} current reports for {x[0].year}; compared report {x[0].report_id}"
            for x in (prevs, curs)
            if len(x) > 1
        ]
        for result in cross_year(docs[prev.version_id], docs[cur.version_id]):
            records.append(
                {
                    "group_key": cur.group_key,
                    "canonical_agency_id": cur.canonical_id,
                    "year": cur.year,
                    "version_id": cur.version_id,
                    "prev_version_id": prev.version_id,
                    "rule": result.rule,
                    "scope": result.scope,
                    "status": result.status,
                    "expr": result.expr,
                    "left": result.left,
                    "right": result.right,
                    "delta": result.delta,
                    "cells": list(result.cells),
                    "prev_cells": list(result.prev_cells),
                    "note": "; ".join([result.note, *extra] if result.note else extra) or None,
                }
            )
    if records:
        conn.execute(sa.insert(CROSS_YEAR_CHECKS), records)
    return len(records)


def check_rows(
    conn: Connection, *, statuses: Iterable[str] | None = None, run_id: int | None = None
) -> list[dict[str, Any]]:
    """Stored cross-year checks with both sides' agency, portal, year, version and source URL
    (``run_id``: only those where either side's version was first stored by that run)."""
    cur_v, prev_v = REPORT_VERSIONS.alias("cur_v"), REPORT_VERSIONS.alias("prev_v")
    cur_r, prev_r = REPORTS.alias("cur_r"), REPORTS.alias("prev_r")
    cur_a, prev_a = AGENCIES.alias("cur_a"), AGENCIES.alias("prev_a")
    c = CROSS_YEAR_CHECKS.c
    query = (
        sa.select(
            c.group_key,
            CANONICAL_AGENCIES.c.name.label("canonical_name"),
            CANONICAL_AGENCIES.c.region_code,
            c.year,
            c.rule,
            c.scope,
            c.status,
            c.expr,
            c.left,
            c.right,
            c.delta,
            c.note,
            c.version_id,
            c.prev_version_id,
            cur_a.c.name.label("agency"),
            prev_a.c.name.label("prev_agency"),
            PORTALS.c.name.label("portal"),
            cur_v.c.source_url,
            prev_v.c.source_url.label("prev_source_url"),
            c.cells,
            c.prev_cells,
        )
        .select_from(
            CROSS_YEAR_CHECKS.join(cur_v, cur_v.c.id == c.version_id)
            .join(prev_v, prev_v.c.id == c.prev_version_id)
            .join(cur_r, cur_r.c.id == cur_v.c.report_id)
            .join(prev_r, prev_r.c.id == prev_v.c.report_id)
            .join(cur_a, cur_a.c.id == cur_r.c.agency_id)
            .join(prev_a, prev_a.c.id == prev_r.c.agency_id)
            .outerjoin(PORTALS, PORTALS.c.id == cur_a.c.portal_id)
            .outerjoin(CANONICAL_AGENCIES, CANONICAL_AGENCIES.c.id == c.canonical_agency_id)
        )
        .order_by(c.group_key, c.year, c.rule, c.id)
    )
    if statuses is not None:
        query = query.where(c.status.in_(sorted(set(statuses))))
    if run_id is not None:
        query = query.where(sa.or_(cur_v.c.run_id == run_id, prev_v.c.run_id == run_id))
    return [dict(row) for row in conn.execute(query).mappings()]
