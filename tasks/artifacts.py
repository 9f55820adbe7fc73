"""Prefect artifacts for the run page: per-portal table, failing-check list, live progress."""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from prefect import task
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NO_CACHE

from gxbg.pipeline.summary import RunSummary


def start_progress(total: int, *, key: str = "harvest-progress") -> UUID:
    """A progress artifact at 0 %, updated in place by :func:`advance_progress`."""
    artifact = create_progress_artifact(0.0, key=key, description=f"portals processed (of {total})")
    return cast(UUID, artifact)


def advance_progress(artifact_id: UUID, done: int, total: int) -> None:
    update_progress_artifact(
        artifact_id, 100.0 * done / max(total, 1), description=f"{done} of {total} portals"
    )


def failing_markdown(summary: RunSummary) -> str:
    """Markdown list of reports with FAIL checks and of pages that errored."""
    lines = ["# Reports with failing checks", ""]
    lines += [
        f"- **{r['title']}** ({r['portal']}, {r['year']}): {', '.join(r['failed_rules'])} — <{r['url']}>"
        for r in summary["failing_reports"]
    ] or ["None."]
    breaks = summary.get("cross_year_failures") or []
    if breaks:  # soft checks across years (XY-CARRY, XY-VALID, XY-ITEMS), both sides
        lines += ["", "# Cross-year breaks", ""]
        lines += [
            f"- **{b['canonical_name'] or b['agency']}** {b['year'] - 1}→{b['year']} "
            f"{b['rule']}[{b['scope']}] {b['expr']}: {b['left']} vs {b['right']} "
            f"— <{b['prev_url']}> → <{b['url']}>"
            for b in breaks
        ]
    lines += ["", "# Pages that failed", ""]
    lines += [f"- {e['portal']}: <{e['url']}> — {e['reason']}" for e in summary["errors"]] or ["None."]
    return "\n".join(lines) + "\n"


@task(name="publish-summary", cache_policy=NO_CACHE)
def publish_summary_task(summary: RunSummary) -> None:
    """Publish the run's per-portal table and its failing-check list as artifacts."""
    rows: list[dict[str, Any]] = [dict(row) for row in summary["portals"]]
    rows.append({"portal": "TOTAL", **summary["totals"]})
    create_table_artifact(rows, key="harvest-summary", description="Per-portal counts of this harvest")
    create_markdown_artifact(
        failing_markdown(summary), key="validation-failures", description="Failing checks"
    )
