"""Merging shard summaries into the summary one process would have produced."""

from __future__ import annotations

from typing import Any

import pytest

from gxbg.pipeline.summary import SummaryError, empty_summary, merge_summaries


def part(run_id: int, *portals: str, errors: int = 0) -> dict[str, Any]:
    rows = [{"portal": p, "found": 2, "loaded": 1, "errors": errors} for p in portals]
    return {
        "run_id": run_id,
        "portals": rows,
        "totals": {"found": 2 * len(rows), "loaded": len(rows), "errors": errors * len(rows)},
        "reports": [
            {"portal": p, "title": t, "year": y, "status": "loaded"}
            for p in portals
            for y, t in ((2023, "a"), (2024, "b"))
        ],
        "failing_reports": [{"portal": p, "title": "b", "failed_rules": ["T3-BAL"]} for p in portals],
        "errors": [
            {"portal": p, "url": f"http://{p}/x", "reason": "parse"} for p in portals for _ in range(errors)
        ],
    }


def test_merge_orders_by_portal_and_keeps_each_portals_order() -> None:
    merged = merge_summaries([part(7, "c", "a"), part(8, "b", errors=2)])
    assert [r["portal"] for r in merged["portals"]] == sorted(["c", "a", "b"])
    assert [(r["portal"], r["year"]) for r in merged["reports"]] == [
        ("a", 2023), ("a", 2024), ("b", 2023), ("b", 2024), ("c", 2023), ("c", 2024),
    ]  # fmt: skip
    assert [e["portal"] for e in merged["errors"]] == ["b", "b"]
    assert [f["portal"] for f in merged["failing_reports"]] == ["a", "b", "c"]


def test_merge_sums_totals_and_lists_run_ids() -> None:
    merged = merge_summaries([part(7, "a", "c"), part(8, "b", errors=3), empty_summary()])
    assert merged["totals"] == {"found": 6, "loaded": 3, "errors": 3}
    assert merged["run_id"] is None
    assert merged["run_ids"] == [7, 8]


def test_merging_one_summary_changes_only_the_run_ids() -> None:
    one = part(5, "b", "a", errors=1)
    for key in ("portals", "reports", "failing_reports", "errors"):
        one[key].sort(key=lambda r: r["portal"])
    merged = merge_summaries([one])
    assert {k: v for k, v in merged.items() if k not in ("run_id", "run_ids")} == {
        k: v for k, v in one.items() if k != "run_id"
    }


def test_merge_of_nothing_is_empty() -> None:
    assert merge_summaries([]) == {**empty_summary(), "run_ids": []}


def test_a_portal_in_two_summaries_is_refused() -> None:
    with pytest.raises(SummaryError, match="portal 'a' is in summaries 0 and 1"):
        merge_summaries([part(1, "a"), part(2, "a")])


def test_a_malformed_summary_is_refused() -> None:
    with pytest.raises(SummaryError, match="summary 1 has no 'errors'"):
        merge_summaries([part(1, "a"), {k: v for k, v in part(2, "b").items() if k != "errors"}])
