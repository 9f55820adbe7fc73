"""Rich rendering of a harvest summary and of the publication status, for the terminal and machines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

RULE_LEGEND = (
    ("T3", "T3-*: table 三 (applications) arithmetic"),
    ("T4", "T4-*: table 四 (review and litigation) totals"),
    ("T2", "T2-*: table 二 (proactive disclosure) rules"),
    ("TXT", "TXT-*: a figure quoted in the text differs from the table"),
)

COLUMNS = ("pages", "found", "fetched", "parsed", "loaded", "unchanged", "skipped", "failed_checks", "errors")


def print_summary(console: Console, summary: Mapping[str, Any], *, db_url: str | None) -> None:
    """Per-portal counts, the reports with failing checks, the errors, and where the data is."""
    table = Table(title=f"Harvest run {summary.get('run_id')}", title_justify="left")
    table.add_column("portal")
    for col in COLUMNS:
        table.add_column(col.replace("_", " "), justify="right")
    for row in summary["portals"]:
        table.add_row(str(row["portal"]), *(str(row[c]) for c in COLUMNS))
    table.add_section()
    table.add_row("TOTAL", *(str(summary["totals"][c]) for c in COLUMNS), style="bold")
    console.print(table)

    if summary.get("reports"):
        reports = Table(title="Reports", title_justify="left")
        for col in ("portal", "year", "format", "status", "title", "checks"):
            reports.add_column(col)
        for r in summary["reports"]:
            checks = ", ".join(r["failed_rules"]) if r["failed_rules"] else "all pass"
            if r.get("uncertain"):
                checks += f" ({r['uncertain']} uncertain)"
            reports.add_row(
                r["portal"], str(r["year"] or "?"), r["format"] or "-", r["status"], r["title"], checks
            )
        console.print(reports)

    failing = summary["failing_reports"]
    console.print(f"\n[bold]{len(failing)} report(s) with failing checks[/]")
    seen: set[str] = set()
    for r in failing:
        console.print(f"  [red]✗[/] {r['title']} ({r['portal']})  {r['url']}", highlight=False)
        for c in r.get("failed", []):
            scope = f"[{c['scope']}]" if c.get("scope") else ""
            line = f"      {c['rule']}{scope}  {c['expr']}:  {c['left']} ≠ {c['right']}"
            console.print(line, markup=False, highlight=False)
            seen.add(str(c["rule"]).split("-")[0])
    legend = [text for prefix, text in RULE_LEGEND if prefix in seen]
    if legend:
        console.print("  " + "; ".join(legend), style="dim")
    errors = summary["errors"]
    if errors:
        console.print(f"\n[bold]{len(errors)} page(s) failed[/] (recorded; retried on the next harvest)")
        for e in errors[:20]:
            console.print(f"  [yellow]![/] {e['portal']}: {e['url']} — {e['reason']}")
        if len(errors) > 20:
            console.print(f"  … and {len(errors) - 20} more")
        if any("SSRF guard" in e["reason"] for e in errors):
            console.print(
                "  (private and loopback addresses are refused; pass --allow-private for a local mirror)"
            )
    if db_url:
        console.print(f"\nData: {db_url}   (export: gxbg export --db '{db_url}' --format csv)")


STATUS_STYLE = {
    "late": "red",
    "on_time": "green",
    "on_time_by_date": "yellow",
    "undated": "yellow",
    "not_due": "dim",
    "not_found": "red",
    "not_harvested": "dim",
}


def status_csv(rows: list[Any]) -> str:
    """``gxbg status --format csv``: a header and one line per portal (``status_record``)."""
    from gxbg.store.status_render import STATUS_COLUMNS, status_record

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=STATUS_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(status_record(row) for row in rows)
    return buffer.getvalue()


def status_jsonl(rows: list[Any]) -> str:
    """``gxbg status --format jsonl``: one JSON object per portal (every report, every open failure)."""
    return "".join(json.dumps(row.to_dict(), ensure_ascii=False) + "\n" for row in rows)


def print_status(console: Console, rows: list[Any], *, year: int, registry: str) -> None:
    """The status table, the deadline rules used, and the count per status."""
    from gxbg.store.deadlines import STATUS_MEANING, STATUSES
    from gxbg.store.status_render import status_counts, status_rules, status_table_row

    console.print(f"[bold]Publication status of the {year} reports[/] ({len(rows)} portals from {registry})")
    for rule, deadline in status_rules(rows).items():
        console.print(f"  deadline {deadline}: {rule}", highlight=False)
    table = Table(title_justify="left")
    for col in ("portal", "level", "status", "deadline", "report agency", "printed", "first seen", "checks"):
        table.add_column(col)
    table.add_column("open failures", justify="right")
    table.add_column("note")
    for row in rows:
        cells = status_table_row(row)  # the artifact's row: the same values, the same "—" and note
        checks = ""
        if row.primary is not None:
            checks = f"{cells['fail_count']} fail" if cells["fail_count"] else "pass"
            if cells["uncertain_count"]:
                checks += f", {cells['uncertain_count']} uncertain"
        table.add_row(
            row.portal,
            cells["level"],
            f"[{STATUS_STYLE[row.status]}]{row.status}[/]",
            cells["deadline"],
            cells["report_agency"],
            cells["published"],
            cells["first_seen"],
            checks,
            str(cells["open_failures"] or ""),
            cells["note"],
        )
    console.print(table)
    counts = status_counts(rows)
    summary = Table(title="Count per status", title_justify="left")
    for col in ("status", "portals", "meaning"):
        summary.add_column(col)
    for name in STATUSES:
        summary.add_row(f"[{STATUS_STYLE[name]}]{name}[/]", str(counts[name]), STATUS_MEANING[name])
    summary.add_section()
    summary.add_row("TOTAL", str(len(rows)), "", style="bold")
    console.print(summary)
    console.print(
        "First seen = the earliest first fetch of the report, as an Asia/Shanghai date; "
        "deadlines are unverified (docs/storage.md).",
        style="dim",
    )
    if rows and all(row.status == "not_harvested" for row in rows):
        console.print(f"No finished harvest covered these portals for {year}: run `gxbg harvest` first.")
