"""Who published the year-N report late, or not at all: one status row per expected portal.

For a report year N and the portals a registry expects (``registry/portals.csv``), each portal gets
the reports stored for N on it (current versions), its open failures, whether a finished harvest
covered it for N, and a status judged against the statutory deadline
(:func:`gxbg.store.deadlines.publication_deadline`):

``late``             the printed date (``published``) is after the deadline — certain: a report cannot
                     have been published before the date printed on it;
``on_time``          first fetched on or before the deadline (China date) — certain;
``on_time_by_date``  dated on or before the deadline but first seen after it: when it was posted is
                     unknown, so it is never called on time outright;
``undated``          found, no printed date, first seen after the deadline;
``not_due``          nothing stored for N yet, and the deadline has not passed (today, China date);
``not_found``        a finished harvest covered the portal for year N and stored no report for N (open
                     failures are listed: a failing page may be the report);
``not_harvested``    no finished harvest covered the portal for year N.

"First fetched" is the earliest first fetch (``documents.fetched_at``) of any stored version of the
report, so a later correction does not hide an early publication.  Timestamps are UTC in the
database; the comparison uses their Asia/Shanghai calendar date.

A portal may host several agencies' reports (a city portal lists its districts').  The portal's status
is that of its *primary* report: the one whose agency is the registry's agency, else the one first
seen; ``agency_matched`` says which case it is, and every report keeps its own status.  "Is the
registry's agency" goes by agency identity (:mod:`gxbg.store.identity`, the registry rows given as the
canonical agencies): the printed name is the registry's name, or resolves to it by the identity rules
(洪泽区人民政府 printed on the 洪泽区 portal is 淮安市洪泽区人民政府), so a report signed with a variant
is not taken for another agency's.

The deadline rules are :mod:`gxbg.store.deadlines`; the flat rows and markdown of the result
:mod:`gxbg.store.status_render`.  Read-only; never imports Prefect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gxbg.store import failures
from gxbg.store.deadlines import china_date, judge, publication_deadline
from gxbg.store.identity import Resolver, canonical_agencies
from gxbg.store.records import OpenFailure
from gxbg.store.schema import (
    AGENCIES,
    CHECK_RESULTS,
    DOCUMENTS,
    HARVEST_RUNS,
    PORTALS,
    REPORT_LISTINGS,
    REPORT_VERSIONS,
    REPORTS,
)

#: Run kinds that crawl portals, and the final run statuses that count as "finished".
HARVEST_KINDS = frozenset({"harvest", "backfill"})
FINISHED = frozenset({"completed", "partial"})


class ExpectedPortal(Protocol):
    """What the status needs of a registry row (``gxbg.pipeline.Portal`` has it)."""

    @property
    def name(self) -> str: ...
    @property
    def agency(self) -> str | None: ...
    @property
    def level(self) -> str | None: ...
    @property
    def province(self) -> str | None: ...
    @property
    def region_code(self) -> str | None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredReport:
    """A report stored for the year on the portal (its current version) and its own status."""

    agency: str
    title: str | None
    published: dt.date | None
    first_fetched_at: dt.datetime  # UTC, earliest first fetch of any version
    first_seen: dt.date  # its Asia/Shanghai date
    fail_count: int
    uncertain_count: int
    source_url: str
    status: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PortalStatus:
    """One expected portal's publication status for a report year."""

    portal: str
    agency: str | None
    level: str | None
    province: str | None
    region_code: str | None
    year: int
    deadline: dt.date
    rule: str
    status: str
    agency_matched: bool | None  # primary report's agency == registry agency; None without reports
    reports: tuple[StoredReport, ...] = ()  # primary first
    open_failures: tuple[OpenFailure, ...] = ()
    covered_by: tuple[int, ...] = ()  # ids of the finished harvest runs that covered it for the year

    @property
    def primary(self) -> StoredReport | None:
        return self.reports[0] if self.reports else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-able: dates and timestamps ISO 8601."""
        data = asdict(self)
        data["deadline"] = self.deadline.isoformat()
        data["reports"] = [
            {
                **r,
                "published": r["published"].isoformat() if r["published"] else None,
                "first_fetched_at": r["first_fetched_at"].isoformat(),
                "first_seen": r["first_seen"].isoformat(),
            }
            for r in data["reports"]
        ]
        data["open_failures"] = list(data["open_failures"])
        data["covered_by"] = list(data["covered_by"])
        return data


def _stored_reports(
    conn: Connection, year: int, names: set[str], deadlines: dict[str, dt.date]
) -> dict[str, list[StoredReport]]:
    """portal name → its reports for ``year`` (current versions), unordered."""
    checks = (
        sa.select(
            CHECK_RESULTS.c.version_id,
            sa.func.sum(sa.case((CHECK_RESULTS.c.status == "FAIL", 1), else_=0)).label("fails"),
            sa.func.sum(sa.case((CHECK_RESULTS.c.status == "UNCERTAIN", 1), else_=0)).label("uncertain"),
        )
        .group_by(CHECK_RESULTS.c.version_id)
        .subquery()
    )
    # a report is on the portal its agency is named on and on every portal that listed one of its versions
    on_portal = sa.union(
        sa.select(REPORTS.c.id.label("report_id"), AGENCIES.c.portal_id.label("portal_id")).join(
            AGENCIES, AGENCIES.c.id == REPORTS.c.agency_id
        ),
        sa.select(REPORT_VERSIONS.c.report_id, REPORT_LISTINGS.c.portal_id).join(
            REPORT_LISTINGS, REPORT_LISTINGS.c.version_id == REPORT_VERSIONS.c.id
        ),
    ).subquery()
    current = (
        sa.select(
            REPORTS.c.id.label("report_id"),
            PORTALS.c.name.label("portal"),
            AGENCIES.c.name.label("agency"),
            REPORT_VERSIONS.c.title,
            REPORT_VERSIONS.c.published,
            REPORT_VERSIONS.c.source_url,
            checks.c.fails,
            checks.c.uncertain,
        )
        .select_from(
            REPORTS.join(AGENCIES, AGENCIES.c.id == REPORTS.c.agency_id)
            .join(on_portal, on_portal.c.report_id == REPORTS.c.id)
            .join(PORTALS, PORTALS.c.id == on_portal.c.portal_id)
            .join(
                REPORT_VERSIONS, (REPORT_VERSIONS.c.report_id == REPORTS.c.id) & REPORT_VERSIONS.c.is_current
            )
            .outerjoin(checks, checks.c.version_id == REPORT_VERSIONS.c.id)
        )
        .where(REPORTS.c.year == year, PORTALS.c.name.in_(sorted(names)))
    )
    rows = list(conn.execute(current).mappings())
    first: dict[int, dt.datetime] = {}
    if rows:
        fetches = (
            sa.select(
                REPORT_VERSIONS.c.report_id, REPORT_VERSIONS.c.fetched_at, DOCUMENTS.c.fetched_at.label("doc")
            )
            .select_from(
                REPORT_VERSIONS.outerjoin(DOCUMENTS, DOCUMENTS.c.id == REPORT_VERSIONS.c.document_id)
            )
            .where(REPORT_VERSIONS.c.report_id.in_([r["report_id"] for r in rows]))
        )
        for fetch in conn.execute(fetches):
            stamp = fetch.doc if fetch.doc is not None else fetch.fetched_at
            if fetch.report_id not in first or stamp < first[fetch.report_id]:
                first[fetch.report_id] = stamp
    found: dict[str, list[StoredReport]] = {}
    for row in rows:
        seen = first[row["report_id"]]
        day = china_date(seen)
        found.setdefault(row["portal"], []).append(
            StoredReport(
                agency=row["agency"],
                title=row["title"],
                published=row["published"],
                first_fetched_at=seen,
                first_seen=day,
                fail_count=int(row["fails"] or 0),
                uncertain_count=int(row["uncertain"] or 0),
                source_url=row["source_url"],
                status=judge(row["published"], day, deadlines[row["portal"]]),
            )
        )
    return found


def covering_runs(runs: Iterable[dict[str, Any]], portal: str, year: int) -> tuple[int, ...]:
    """Ids of the finished harvest runs that covered ``portal`` for report ``year``.

    A run covers it when it is a finished harvest (``kind`` harvest/backfill, status completed or
    partial), ``params.portals`` names the portal, ``params.years`` is null (every year) or holds the
    year, and its ``summary.portals`` row shows the portal was crawled (``pages`` > 0): a portal whose
    task failed outright is in the params but was never looked at.

    >>> run = {"id": 7, "kind": "harvest", "status": "completed", "params": {"portals": ["a"], "years": None},
    ...        "summary": {"portals": [{"portal": "a", "pages": 3}]}}
    >>> covering_runs([run], "a", 2023), covering_runs([run], "b", 2023)
    ((7,), ())
    """
    ids = []
    for run in runs:
        if run["kind"] not in HARVEST_KINDS or run["status"] not in FINISHED:
            continue
        params, summary = run.get("params") or {}, run.get("summary") or {}
        if portal not in (params.get("portals") or ()):
            continue
        years = params.get("years")
        if years is not None and year not in years:
            continue
        rows = [r for r in summary.get("portals") or () if r.get("portal") == portal]
        if any(int(r.get("pages") or 0) > 0 for r in rows):
            ids.append(int(run["id"]))
    return tuple(sorted(ids))


def _finished_runs(conn: Connection) -> list[dict[str, Any]]:
    query = sa.select(
        HARVEST_RUNS.c.id,
        HARVEST_RUNS.c.kind,
        HARVEST_RUNS.c.status,
        HARVEST_RUNS.c.params,
        HARVEST_RUNS.c.summary,
    ).where(
        HARVEST_RUNS.c.finished_at.is_not(None),
        HARVEST_RUNS.c.kind.in_(sorted(HARVEST_KINDS)),
        HARVEST_RUNS.c.status.in_(sorted(FINISHED)),
    )
    return [dict(row) for row in conn.execute(query).mappings()]


def publication_status(
    conn: Connection, year: int, portals: Sequence[ExpectedPortal], *, today: dt.date
) -> list[PortalStatus]:
    """One :class:`PortalStatus` per expected portal, in the given order (see the module docstring);
    ``today`` is the China date the deadlines are judged on."""
    deadlines = {p.name: publication_deadline(year, p.level or "") for p in portals}
    found = _stored_reports(conn, year, set(deadlines), {k: d.date for k, d in deadlines.items()})
    runs = _finished_runs(conn)
    open_by_portal: dict[str, list[OpenFailure]] = {}
    for failure in failures.open_rows(conn, None):
        if failure["portal"] in deadlines:
            open_by_portal.setdefault(failure["portal"], []).append(failure)
    resolver = Resolver(canonical_agencies(portals))
    result = []
    for portal in portals:
        deadline = deadlines[portal.name]

        def is_registry_agency(report: StoredReport, portal: ExpectedPortal = portal) -> bool:
            if report.agency == portal.agency:
                return True
            found = resolver.resolve(report.agency, region_code=portal.region_code)
            return found.canonical is not None and found.canonical == portal.agency

        reports = sorted(
            found.get(portal.name, ()),
            key=lambda r: (not is_registry_agency(r), r.first_fetched_at, r.agency, r.source_url),
        )
        covered = covering_runs(runs, portal.name, year)
        if reports:
            status, matched = reports[0].status, is_registry_agency(reports[0])
        else:
            missing = "not_found" if covered else "not_harvested"
            status, matched = ("not_due" if today <= deadline.date else missing), None
        result.append(
            PortalStatus(
                portal=portal.name,
                agency=portal.agency,
                level=portal.level,
                province=portal.province,
                region_code=portal.region_code,
                year=year,
                deadline=deadline.date,
                rule=deadline.rule,
                status=status,
                agency_matched=matched,
                reports=tuple(reports),
                open_failures=tuple(open_by_portal.get(portal.name, ())),
                covered_by=covered,
            )
        )
    return result
