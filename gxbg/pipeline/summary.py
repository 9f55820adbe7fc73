"""The run summary: what ``summarize`` makes of a harvest's site outcomes, and how shards merge.

A summary (:class:`RunSummary`) holds per-portal counts, totals, every report's outcome, the reports
with failing checks and every error; it is stored with the run (``harvest_runs.summary``), published
as artifacts and read by the verdict (:mod:`gxbg.pipeline.verdict`) and the CLI.  Shards own disjoint
portals, so merging is concatenation in portal order plus summed totals; a portal in two shards is an
error, since its numbers would count twice.  Pure: no IO, no Prefect.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NotRequired, TypedDict, TypeVar

from gxbg.errors import SummaryError
from gxbg.extract.serialize import JsonValue
from gxbg.pipeline.process import FailedCheck, PortalRow, SiteOutcome

LISTS = ("reports", "failing_reports", "errors")


class ReportRow(TypedDict):
    """One report page's outcome."""

    portal: str
    title: str
    year: int | None
    format: str | None
    status: str  # "loaded" | "unchanged" | "skipped" | "failed"
    failed_rules: list[str]
    uncertain: int
    url: str


class FailingReport(TypedDict):
    """A report with at least one FAIL check, and those checks."""

    portal: str
    title: str
    year: int | None
    url: str
    failed_rules: list[str]
    failed: list[FailedCheck]


class ErrorRow(TypedDict):
    """A page that failed (at any stage), and why."""

    portal: str
    url: str
    reason: str


class CrossYearBreak(TypedDict):
    """A FAILing cross-year check one of whose sides the run stored (``tasks.crossyear``)."""

    canonical_name: str | None
    agency: str
    prev_agency: str
    portal: str | None
    year: int
    rule: str
    scope: str
    expr: str
    left: JsonValue
    right: JsonValue
    url: str
    prev_url: str


class RunSummary(TypedDict):
    """A harvest's summary; the flow adds the cross-year breaks, a merge the parts' run ids."""

    run_id: int | None
    run_ids: NotRequired[list[int]]  # a merged summary: the parts' application run ids
    portals: list[PortalRow]
    totals: dict[str, int]
    reports: list[ReportRow]
    failing_reports: list[FailingReport]
    errors: list[ErrorRow]
    cross_year_failures: NotRequired[list[CrossYearBreak]]
    interrupted_portals: NotRequired[list[str]]  # Ctrl-C: the portals left out
    interrupted: NotRequired[bool]  # set by the CLI: the run was cancelled by Ctrl-C
    failed: NotRequired[bool]  # set by the CLI: every portal failed


COUNT_FIELDS = (
    "pages",
    "found",
    "fetched",
    "parsed",
    "loaded",
    "unchanged",
    "skipped",
    "failed_checks",
    "errors",
)


def empty_summary() -> RunSummary:
    """The summary of a harvest that had no portals (an empty shard)."""
    return {"run_id": None, "portals": [], "totals": {}, "reports": [], "failing_reports": [], "errors": []}


_Row = TypeVar("_Row", PortalRow, ReportRow, FailingReport, ErrorRow)


def _by_portal(items: Iterable[_Row]) -> list[_Row]:
    # stable sort: each part already orders its items within a portal
    return sorted(items, key=lambda item: str(item["portal"]))


def merge_summaries(summaries: Sequence[RunSummary]) -> RunSummary:
    """One summary for several harvests of disjoint portals, ordered as a single run's would be.

    ``run_id`` becomes ``None`` and ``run_ids`` lists the parts' application run ids.

    >>> a = {"run_id": 1, "portals": [{"portal": "b", "errors": 1}], "totals": {"errors": 1},
    ...      "reports": [], "failing_reports": [], "errors": [{"portal": "b", "url": "u", "reason": "r"}]}
    >>> b = {"run_id": 2, "portals": [{"portal": "a", "errors": 0}], "totals": {"errors": 0},
    ...      "reports": [], "failing_reports": [], "errors": []}
    >>> m = merge_summaries([a, b])
    >>> [p["portal"] for p in m["portals"]], m["totals"], m["run_ids"]
    (['a', 'b'], {'errors': 1}, [1, 2])
    """
    owner: dict[str, int] = {}
    for index, summary in enumerate(summaries):
        for key in ("portals", "totals", *LISTS):
            if key not in summary:
                raise SummaryError(f"summary {index} has no {key!r} (keys: {', '.join(sorted(summary))})")
        for row in summary["portals"]:
            name = row["portal"]
            if name in owner:
                raise SummaryError(f"portal {name!r} is in summaries {owner[name]} and {index}")
            owner[name] = index
    totals: dict[str, int] = {}
    for summary in summaries:
        for key, value in summary["totals"].items():
            totals[key] = totals.get(key, 0) + int(value)
    merged: RunSummary = {
        "run_id": None,
        "run_ids": [run_id for s in summaries if (run_id := s.get("run_id")) is not None],
        "portals": _by_portal(row for s in summaries for row in s["portals"]),
        "totals": totals,
        "reports": _by_portal(row for s in summaries for row in s["reports"]),
        "failing_reports": _by_portal(row for s in summaries for row in s["failing_reports"]),
        "errors": _by_portal(row for s in summaries for row in s["errors"]),
    }
    if any("cross_year_failures" in s for s in summaries):  # a harvest flow's summaries carry them
        # the cross-year breaks each part found among the reports it loaded (parts hold disjoint portals)
        merged["cross_year_failures"] = [b for s in summaries for b in s.get("cross_year_failures", [])]
    return merged


def summarize(outcomes: list[SiteOutcome], *, run_id: int | None = None) -> RunSummary:
    """The run summary: per-portal counts, totals, reports with failing checks, and every error."""
    outcomes = sorted(outcomes, key=lambda o: o.portal)
    rows = [o.row() for o in outcomes]
    totals = {k: sum(getattr(o, k) for o in outcomes) for k in COUNT_FIELDS}
    failing: list[FailingReport] = [
        {
            "portal": o.portal,
            "title": r.title,
            "year": r.year,
            "url": r.url,
            "failed_rules": list(r.failed_rules),
            "failed": [FailedCheck(**c) for c in r.failed],
        }
        for o in outcomes
        for r in o.reports
        if r.failed_rules
    ]
    errors: list[ErrorRow] = [
        {"portal": o.portal, "url": r.url, "reason": r.reason or ""}
        for o in outcomes
        for r in o.reports
        if r.status == "failed"
    ]
    errors += [
        {"portal": o.portal, "url": f["url"], "reason": f"{f['stage']}: {f['error']}: {f['reason']}"}
        for o in outcomes
        for f in o.failures
    ]
    reports: list[ReportRow] = [
        {
            "portal": o.portal,
            "title": r.title,
            "year": r.year,
            "format": r.format,
            "status": r.status,
            "failed_rules": list(r.failed_rules),
            "uncertain": r.uncertain,
            "url": r.url,
        }
        for o in outcomes
        for r in sorted(o.reports, key=lambda r: (r.year or 0, r.title))
    ]
    return {
        "run_id": run_id,
        "portals": rows,
        "totals": totals,
        "reports": reports,
        "failing_reports": failing,
        "errors": errors,
    }
