"""A publication status, rendered: one flat record per portal (``gxbg status --format csv``), the short
row of the harvest's table artifact, the count per status and the markdown summary.  Pure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gxbg.store.deadlines import STATUS_MEANING, STATUSES
from gxbg.store.status import PortalStatus

#: One flat record per portal (``gxbg status --format csv``): the primary report's fields, counts of the rest.
STATUS_COLUMNS = (
    "year", "portal", "agency", "level", "province", "region_code", "deadline", "rule", "status",
    "agency_matched", "report_agency", "title", "published", "first_fetched_at", "first_seen",
    "fail_count", "uncertain_count", "source_url", "other_reports", "open_failures", "covered_by",
)  # fmt: skip
#: The short row of the table artifact a harvest publishes (a subset of :data:`STATUS_COLUMNS`, plus a note).
STATUS_TABLE_COLUMNS = (
    "portal", "agency", "level", "status", "deadline", "report_agency", "published", "first_seen",
    "fail_count", "uncertain_count", "open_failures", "note",
)  # fmt: skip


def status_record(row: PortalStatus) -> dict[str, Any]:
    """One flat record per portal, keyed by :data:`STATUS_COLUMNS`: its primary report's fields ("" without
    one), the number of its other reports and open failures, the covering run ids space-separated."""
    first = row.primary
    return {
        "year": row.year,
        "portal": row.portal,
        "agency": row.agency,
        "level": row.level,
        "province": row.province,
        "region_code": row.region_code,
        "deadline": row.deadline.isoformat(),
        "rule": row.rule,
        "status": row.status,
        "agency_matched": "" if row.agency_matched is None else str(row.agency_matched).lower(),
        "report_agency": first.agency if first else "",
        "title": first.title if first else "",
        "published": first.published.isoformat() if first and first.published else "",
        "first_fetched_at": first.first_fetched_at.isoformat() if first else "",
        "first_seen": first.first_seen.isoformat() if first else "",
        "fail_count": first.fail_count if first else "",
        "uncertain_count": first.uncertain_count if first else "",
        "source_url": first.source_url if first else "",
        "other_reports": max(len(row.reports) - 1, 0),
        "open_failures": len(row.open_failures),
        "covered_by": " ".join(str(i) for i in row.covered_by),
    }


def status_note(row: PortalStatus) -> str:
    """What a reader of one status row must also know: the primary report is another agency's, the
    portal holds more reports for the year, a failing page may be the missing report ("" when none)."""
    notes = []
    if row.primary is not None and not row.agency_matched:
        notes.append(f"not the registry agency ({row.agency})")
    if len(row.reports) > 1:
        notes.append(f"+{len(row.reports) - 1} more report(s)")
    if row.status == "not_found" and row.open_failures:
        notes.append("a failing page may be the report")
    return "; ".join(notes)


def status_table_row(row: PortalStatus) -> dict[str, Any]:
    """The artifact row of one portal, keyed by :data:`STATUS_TABLE_COLUMNS`: the same values as
    :func:`status_record` (``published`` is "—" for a report without a printed date) and the note."""
    record = status_record(row)
    record["agency"] = record["agency"] or ""
    record["level"] = record["level"] or ""
    if row.primary is not None and row.primary.published is None:
        record["published"] = "—"
    record["note"] = status_note(row)
    return {column: record[column] for column in STATUS_TABLE_COLUMNS}


def status_rules(rows: Sequence[PortalStatus]) -> dict[str, str]:
    """The deadline rules the rows were judged by, each with its deadline (ISO date), in first-seen order."""
    rules: dict[str, str] = {}
    for row in rows:
        rules.setdefault(row.rule, row.deadline.isoformat())
    return rules


def status_counts(rows: Sequence[PortalStatus]) -> dict[str, int]:
    """Portals per status, every status in :data:`STATUSES` order (zeros included)."""
    return {name: sum(1 for row in rows if row.status == name) for name in STATUSES}


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|")


def status_markdown(rows: Sequence[PortalStatus], *, year: int) -> str:
    """Markdown: the count per status with its meaning, and the deadline rules the rows were judged by."""
    lines = [f"# Publication status of the {year} reports", ""]
    lines += [f"{len(rows)} registry portal(s). One row per portal: `gxbg status --year {year}`.", ""]
    lines += ["| status | portals | meaning |", "|---|---:|---|"]
    counts = status_counts(rows)
    lines += [f"| `{name}` | {counts[name]} | {_cell(STATUS_MEANING[name])} |" for name in STATUSES]
    lines += [f"| **total** | **{len(rows)}** | |", "", "## Deadlines (unverified)", ""]
    lines += [f"- {deadline}: {rule}" for rule, deadline in status_rules(rows).items()] or ["- (no portals)"]
    lines += [
        "",
        "The deadline day counts as on time. First seen = the earliest first fetch of the report, as an "
        'Asia/Shanghai date. The deadlines are unverified: see docs/storage.md, "Publication status".',
    ]
    return "\n".join(lines) + "\n"
