"""Rich rendering of a harvest summary for the terminal."""

from __future__ import annotations

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


def print_summary(console: Console, summary: dict[str, Any], *, db_url: str | None) -> None:
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
