"""Merging harvest summaries: the shards of one sharded harvest fold into one summary.

A summary is what ``gxbg.pipeline.summarize`` returns (``portals``, ``totals``, ``reports``,
``failing_reports``, ``errors``, ``run_id``).  Shards own disjoint portals, so merging is
concatenation in portal order plus summed totals; a portal in two shards is an error, since its
numbers would count twice.  Pure: no IO, no Prefect.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gxbg.errors import SummaryError
from gxbg.pipeline.process import SiteOutcome

LISTS = ("reports", "failing_reports", "errors")


def empty_summary() -> dict[str, Any]:
    """The summary of a harvest that had no portals (an empty shard)."""
    return {"run_id": None, "portals": [], "totals": {}, "reports": [], "failing_reports": [], "errors": []}


def merge_summaries(summaries: Sequence[dict[str, Any]]) -> dict[str, Any]:
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

    def by_portal(key: str) -> list[dict[str, Any]]:
        # stable sort: each part already orders its items within a portal
        items = [item for summary in summaries for item in summary[key]]
        return sorted(items, key=lambda item: str(item["portal"]))

    totals: dict[str, int] = {}
    for summary in summaries:
        for key, value in summary["totals"].items():
            totals[key] = totals.get(key, 0) + int(value)
    merged: dict[str, Any] = {
        "run_id": None,
        "run_ids": [s["run_id"] for s in summaries if s.get("run_id") is not None],
        "portals": by_portal("portals"),
        "totals": totals,
        **{key: by_portal(key) for key in LISTS},
    }
    if any("cross_year_failures" in s for s in summaries):  # a harvest flow's summaries carry them
        # the cross-year breaks each part found among the reports it loaded (parts hold disjoint portals)
        merged["cross_year_failures"] = [b for s in summaries for b in s.get("cross_year_failures", [])]
    return merged


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


def summarize(outcomes: list[SiteOutcome], *, run_id: int | None = None) -> dict[str, Any]:
    """The run summary: per-portal counts, totals, reports with failing checks, and every error."""
    outcomes = sorted(outcomes, key=lambda o: o.portal)
    rows = [o.row() for o in outcomes]
    totals = {k: sum(int(r[k]) for r in rows) for k in COUNT_FIELDS}
    failing = [
        {
            "portal": o.portal,
            "title": r.title,
            "year": r.year,
            "url": r.url,
            "failed_rules": list(r.failed_rules),
            "failed": [dict(c) for c in r.failed],
        }
        for o in outcomes
        for r in o.reports
        if r.failed_rules
    ]
    errors = [
        {"portal": o.portal, "url": r.url, "reason": r.reason or ""}
        for o in outcomes
        for r in o.reports
        if r.status == "failed"
    ] + [
        {"portal": o.portal, "url": f["url"], "reason": f"{f['stage']}: {f['error']}: {f['reason']}"}
        for o in outcomes
        for f in o.failures
    ]
    reports = [
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
