"""The ``gxbg`` command: the app, and the commands that read what was harvested — status, reparse,
parse, export.  ``demo`` and ``harvest`` are in cli/run.py, the dataset commands in cli/dataset.py,
``alerts`` in cli/alerts.py, ``eval`` in cli/evaluate.py.

Prefect is configured (quiet logging, no analytics) before it is first imported, and only by the
commands that run flows, so ``gxbg parse`` starts in a fraction of a second.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, cast

import typer
from rich.console import Console

from cli import dataset, run
from cli.alerts import alerts_app
from cli.evaluate import eval_command
from cli.preflight import (
    await_temporary_server,
    check_db,
    db_source,
    existing_store,
    fail,
    quiet_prefect,
    registry_portals,
    start_temporary_server,
)
from cli.run import INTERRUPTED

app = typer.Typer(
    name="gxbg",
    help="Harvest, parse, check and load 政府信息公开工作年度报告 (information-disclosure annual reports)."
    "\n\nExit codes: 0 all done, 1 some work failed, 2 usage or configuration error, 130 interrupted.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(alerts_app, name="alerts")
dataset.register(app)  # agencies, check --cross-year, codebook, browse
run.register(app)  # demo, harvest (cli/run.py)


def _version(value: bool) -> None:
    if value:
        from gxbg import PARSER_VERSION, __version__

        sys.stdout.write(f"gxbg {__version__} (extractor {PARSER_VERSION})\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """The options before the command."""


console = Console(stderr=True)
out = Console(width=None if sys.stdout.isatty() else 160)  # piped output keeps whole rows


@app.command()
def status(
    year: Annotated[int, typer.Option("--year", help="Report year N (published in N+1).")],
    db: Annotated[
        str | None, typer.Option("--db", help="SQLAlchemy URL; default sqlite under ./data.")
    ] = None,
    registry: Annotated[Path, typer.Option(help="The expected portals: a registry CSV.")] = Path(
        "registry/portals.csv"
    ),
    province: Annotated[
        list[str] | None, typer.Option(help="Only this province (name or code; repeatable).")
    ] = None,
    level: Annotated[
        list[str] | None, typer.Option(help="Only this level, e.g. county (repeatable).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or jsonl.")] = "table",
) -> None:
    """Who published the year-N report late, or not at all: one row per registry portal."""
    from cli.render import print_status, status_csv, status_jsonl
    from gxbg.store.errors import StoreError
    from tasks.settings import Settings

    if fmt not in ("table", "csv", "jsonl"):
        raise typer.BadParameter("choose table, csv or jsonl", param_hint="--format")
    # the seed URLs do not matter here: fill the demo registry's {base} placeholder with anything
    portals = registry_portals(registry, province, level, base="http://base.invalid")
    store = existing_store(db or Settings.from_env().db_url, db_source(db))
    try:
        rows = store.publication_status(year, portals)
        breaks = dataset.cross_year_breaks(store, year, {p.name for p in portals})
    except StoreError as exc:
        raise fail("unknown year", str(exc)) from None
    finally:
        store.close()
    if fmt == "csv":
        sys.stdout.write(status_csv(rows))
    elif fmt == "jsonl":
        sys.stdout.write(status_jsonl(rows))
    else:
        print_status(out, rows, year=year, registry=str(registry))
        dataset.print_cross_year_breaks(breaks, year)


@app.command()
def reparse(
    db: Annotated[
        str | None, typer.Option("--db", help="SQLAlchemy URL; default sqlite under ./data.")
    ] = None,
    archive: Annotated[Path | None, typer.Option(help="Raw archive directory; default ./data/raw.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Re-parse every version, not only stale ones.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's run logs.")] = False,
) -> None:
    """Re-run the extractor on archived pages (no network) after it changed; replace stale rows."""
    quiet_prefect(verbose)
    from cli.ephemeral import run_settings
    from tasks.settings import Settings

    # nothing to re-parse without a database: say so
    db_url = check_db(db or Settings.from_env().db_url, create=False, source=db_source(db))
    start_temporary_server()
    try:
        from flows.reparse import reparse as reparse_flow

        await_temporary_server()
        with run_settings():
            summary = reparse_flow(db_url=db_url, archive_dir=str(archive) if archive else None, force=force)
    except KeyboardInterrupt:
        console.print("[yellow]interrupted[/]: versions already re-parsed are kept; rerun to continue")
        raise typer.Exit(INTERRUPTED) from None
    except Exception as exc:
        console.print(f"[red]reparse failed[/]: {type(exc).__name__}: {exc}")
        raise typer.Exit(1) from None
    out.print(f"re-parsed {summary['reparsed']} version(s); {summary['failed_checks']} with failing checks")
    for error in summary["errors"]:
        out.print(f"  ! version {error['version_id']} ({error['url']}): {error['reason']}", markup=False)
    if summary["errors"]:
        raise typer.Exit(1)


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help="Report text (.txt) or HTML (.html/.htm) files.")],
) -> None:
    """Print one JSON object per file (the report JSON contract); exit 1 if any file failed."""
    from gxbg import ParseError, parse_html, parse_report, report_to_dict, validate
    from gxbg.crawl.charset import decode_text

    failed = 0
    for path in files:
        try:
            is_html = path.suffix.lower() in (".html", ".htm", ".shtml")
            # BOM, then a <meta>/XML declaration, then UTF-8, then detection (gb18030 for GBK files)
            text = decode_text("text/html" if is_html else "text/plain", path.read_bytes()).text
            report = parse_html(text, url=path.resolve().as_uri()) if is_html else parse_report(text)
            checks = validate(report)
            line = {"file": str(path), **report_to_dict(report, checks)}
        except (OSError, ParseError) as exc:
            failed += 1
            line = {"file": str(path), "error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    if failed:
        console.print(f"[red]{failed} of {len(files)} files could not be parsed[/]")
        raise typer.Exit(1)


@app.command()
def export(
    db: Annotated[str, typer.Option("--db", help="SQLAlchemy URL of the database to export.")],
    fmt: Annotated[
        str, typer.Option("--format", help="jsonl, csv or parquet (panel: csv, parquet, xlsx).")
    ] = "jsonl",
    what: Annotated[
        str,
        typer.Option(
            help="reports (one row per report version; the report JSON in jsonl only), cells (long "
            "format), checks (check results), current (one row per report, headline figures), panel "
            "(agency × year) or cross-year (the cross-year checks, both sides)."
        ),
    ] = "reports",
    output: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Output file (a datapackage.json describing it is written beside it); "
            "default stdout (jsonl/csv).",
        ),
    ] = None,
    current_only: Annotated[
        bool, typer.Option("--current-only", help="Only each report's current version.")
    ] = False,
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV for Excel: UTF-8 with a byte order mark.")
    ] = False,
    registry: dataset.RegistryOption = None,
) -> None:
    """Export report versions, cells, checks, one row per report, the agency × year panel or the
    cross-year checks, with a Frictionless datapackage.json beside the file."""
    if what == "panel":
        count = dataset.export_panel(db, fmt, output, registry)
        console.print(f"exported {count} panel rows (agency × year) as {fmt} to {output}")
        return
    if what == "cross-year":
        count = dataset.export_cross_year(db, fmt, output)
        console.print(f"exported {count} cross-year checks as {fmt}" + (f" to {output}" if output else ""))
        return

    if fmt not in ("jsonl", "csv", "parquet"):
        raise typer.BadParameter("choose jsonl, csv or parquet", param_hint="--format")
    if what not in ("reports", "cells", "checks", "current"):
        raise typer.BadParameter("choose reports, cells, checks or current", param_hint="--what")
    if fmt == "parquet" and output is None:
        raise typer.BadParameter("parquet needs --out FILE", param_hint="--out")
    if excel and fmt != "csv":
        raise typer.BadParameter("--excel is for --format csv", param_hint="--excel")
    store = existing_store(db)
    target = output or Path("/dev/stdout")
    count = store.export(cast(Any, fmt), target, cast(Any, what), current_only=current_only, excel=excel)
    console.print(f"exported {count} {what} as {fmt}" + (f" to {output}" if output else ""))


app.command(name="eval")(eval_command)  # cli/evaluate.py: extractor accuracy on the generated corpus


def main() -> None:  # pragma: no cover - console entry point
    app()
