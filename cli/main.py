"""The ``gxbg`` command: demo, harvest, parse, export.

Prefect is configured (quiet logging, no analytics) before it is first imported, and only by the
commands that run flows, so ``gxbg parse`` starts in a fraction of a second.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, cast

import typer
from rich.console import Console

from cli import dataset
from cli.alerts import alerts_app
from cli.evaluate import eval_command
from cli.preflight import (
    await_temporary_server,
    check_db,
    check_seeds,
    db_source,
    exit_at_once,
    interruptible,
    prefect_environment,
    start_temporary_server,
    usage_error,
)
from cli.render import print_summary
from cli.years import parse_years

# exit codes (README "Exit codes"; gxbg/pipeline/verdict.py): 0 ok, 1 some work failed, 2 usage, 130 Ctrl-C
SOME_FAILED, USAGE, INTERRUPTED = 1, 2, 130
DEMO_PORT = 48620  # the demo portals' fixed loopback port: a second run asks the same URLs (304s)

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


def _quiet_prefect(verbose: bool) -> None:
    """Settle Prefect's environment before it is imported (cli/preflight.py)."""
    prefect_environment(verbose)
    from cli.ephemeral import mark_and_reap

    mark_and_reap()  # a temporary Prefect server a killed gxbg left running is stopped now


@contextlib.contextmanager
def _progress(total_portals: int) -> Iterator[None]:
    """A rich progress bar fed by the in-process events the tasks emit."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from tasks import progress as events

    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    job = bar.add_task("starting Prefect …", total=2 * total_portals)

    def listener(event: str, data: dict[str, Any]) -> None:
        if event == "crawled":
            text = f"crawled {data['portal']}: {data['reports']} reports"
        else:
            text = f"loaded {data['portal']}"
        bar.update(job, advance=1, description=text)

    unsubscribe = events.subscribe(listener)
    try:
        with bar:
            yield
    finally:
        unsubscribe()


def _run_harvest(portals: list[dict[str, Any]], **kwargs: Any) -> dict[str, Any]:
    """Run the harvest flow in-process and return its summary, also when every portal failed
    (``summary["failed"]``) or Ctrl-C stopped it (``summary["interrupted"]``); anything else ends the
    command with one clear line, no traceback, exit 1.

    The temporary Prefect server, started by the caller once its checks passed (SIGINT kept from it:
    cli/preflight.py), boots while the flow is imported and the portals are already being crawled
    (``start_crawl_ahead``: the flow's shard task takes that crawl over).  The first Ctrl-C cancels
    the crawls in flight (tasks/stop.py), the pages already loaded stay and the run is recorded as
    cancelled; a second Ctrl-C quits at once.
    """
    from gxbg.errors import HarvestFailedError
    from tasks import stop

    stop.reset()
    try:
        with _progress(len(portals)):
            from flows.harvest import SHARD_SIZE, harvest  # imports Prefect while its server boots
            from tasks.harvest_shard import start_crawl_ahead

            if len(portals) <= SHARD_SIZE:  # one shard: its task takes over this crawl in progress
                start_crawl_ahead(portals, **kwargs)
            await_temporary_server()
            with interruptible(stop.request_stop, stop.stop_requested):
                state = harvest(portals=portals, return_state=True, **kwargs)
        if state.is_cancelled():
            summary = cast(dict[str, Any], state.result(raise_on_failure=False))
            return {**summary, "interrupted": True}
        if state.is_completed():
            return state.result()
        exc = state.result(raise_on_failure=False)
        if isinstance(exc, HarvestFailedError):
            return {**exc.summary, "failed": True}
        raise exc if isinstance(exc, BaseException) else RuntimeError(f"{state.name}: {state.message}")
    except KeyboardInterrupt:
        console.print("[yellow]interrupted[/]: reports already loaded are kept; rerun to continue")
        raise typer.Exit(INTERRUPTED) from None
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [""])[0][:300]
        console.print(f"[red]harvest failed[/]: {type(exc).__name__}: {first}", highlight=False)
        console.print(
            "Run again with --verbose for Prefect's logs; failed pages are retried on the next run."
        )
        raise typer.Exit(SOME_FAILED) from None
    finally:
        from tasks.harvest_shard import discard_crawl_ahead

        discard_crawl_ahead()  # a crawl no task took (the flow failed before its shard): stopped


def _finish(summary: dict[str, Any], *, db_url: str | None, max_errors: int) -> int:
    """Print the summary and the verdict line; return the exit code (gxbg/pipeline/verdict.py)."""
    from gxbg.pipeline.verdict import describe, exit_code

    print_summary(out, summary, db_url=db_url)
    if summary.get("interrupted"):
        left = summary.get("interrupted_portals", [])
        console.print(
            f"[yellow]interrupted[/] (Ctrl-C): run cancelled; {len(summary['portals']) - len(left)} of "
            f"{len(summary['portals'])} portals finished, what they loaded is kept; rerun to continue"
        )
        exit_at_once(INTERRUPTED)
        return INTERRUPTED
    code = exit_code(summary, max_errors=max_errors)
    if code != 0:
        console.print(
            f"[red]harvest incomplete[/]: {describe(summary)} (exit {code}; --max-errors N tolerates N)"
        )
    return code


@app.command()
def demo(
    data_dir: Annotated[Path, typer.Option(help="Where the SQLite database and raw archive go.")] = Path(
        "data"
    ),
    port: Annotated[
        int,
        typer.Option(
            min=0,
            max=65535,
            help=f"Loopback port of the simulated portals; a fixed one (default {DEMO_PORT}) keeps their "
            "URLs stable, so a second run gets 304 Not Modified. 0: any free port.",
        ),
    ] = DEMO_PORT,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's run logs.")] = False,
) -> None:
    """Harvest the bundled simulated portals (loopback only) into SQLite and print the summary."""
    _quiet_prefect(verbose)
    from gxbg.sim import serve

    data_dir = data_dir.resolve()
    db_url = check_db(f"sqlite:///{data_dir / 'gxbg.sqlite'}", create=True, source="--data-dir")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise usage_error("bad --data-dir", f"{data_dir}: {exc.strerror or exc}") from None
    start_temporary_server()  # it boots while the portals start and the flow is imported
    with _demo_portals(serve, port) as sim:
        portals = [{"name": s.name, "seed_url": s.url} for s in sim.seeds]
        console.print(f"[bold]gxbg demo[/]: {len(portals)} simulated portals on {sim.base_url}")
        summary = _run_harvest(
            portals, db_url=db_url, archive_dir=str(data_dir / "raw"), allow_private=True, polite=False
        )
        not_modified = sum(1 for r in list(sim.requests) if r.status == 304)
    code = _finish(summary, db_url=db_url, max_errors=0)
    if not_modified:
        out.print(
            f"{not_modified} page(s) answered 304 Not Modified: unchanged since the last run, not downloaded"
        )
    # the program as it was invoked (``.venv/bin/gxbg`` under make demo), so the line can be pasted as is
    prog = sys.argv[0] if Path(sys.argv[0]).name == "gxbg" else "gxbg"
    out.print(
        "Who published late or not at all: "
        f"{prog} status --year 2024 --db '{db_url}' --registry registry/demo.csv",
        soft_wrap=True,  # a command to copy: never wrapped
        markup=False,
        highlight=False,
    )
    if code:
        raise typer.Exit(code)


@contextlib.contextmanager
def _demo_portals(serve: Any, port: int) -> Iterator[Any]:
    """The simulator on ``port``; when that port is taken, on a free one, saying what that costs."""
    try:
        context = serve(port=port, profile="demo")
        sim = context.__enter__()
    except OSError as exc:
        if port == 0:
            raise
        console.print(
            f"[yellow]port {port} is in use[/] ({exc.strerror or exc}): the portals get another port, so "
            "their URLs differ from the last run's and every page is fetched again (--port to choose)",
            highlight=False,
        )
        context = serve(port=0, profile="demo")
        sim = context.__enter__()
    try:
        yield sim
    finally:
        context.__exit__(None, None, None)


@app.command()
def harvest(
    seed: Annotated[
        list[str] | None, typer.Option("--seed", help="Portal homepage or report-column URL (repeatable).")
    ] = None,
    registry: Annotated[
        Path | None, typer.Option(help="Harvest portals from a registry CSV (e.g. registry/portals.csv).")
    ] = None,
    province: Annotated[
        list[str] | None, typer.Option(help="With --registry: only this province (name or code; repeatable).")
    ] = None,
    level: Annotated[
        list[str] | None, typer.Option(help="With --registry: only this level, e.g. county (repeatable).")
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="With --registry: fills its {base} placeholder (registry/demo.csv: the simulator's URL, "
            "e.g. http://127.0.0.1:8000 from `python -m gxbg.sim`).",
        ),
    ] = None,
    years: Annotated[str | None, typer.Option(help="Report years: 2023, 2019-2024 or 2019,2021.")] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="SQLAlchemy URL; default GXBG_DB_URL, else sqlite under ./data."),
    ] = None,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Allow loopback/private addresses (tests, local mirrors).")
    ] = False,
    max_errors: Annotated[
        int,
        typer.Option(
            "--max-errors", min=0, help="Exit 0 with up to this many failed pages (default 0: any fails)."
        ),
    ] = 0,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's run logs.")] = False,
) -> None:
    """Harvest portals given by --seed or from a --registry (crawled at once, politely; one Prefect task).

    Exit codes: 0 all done (or at most --max-errors failed pages), 1 some work failed, 2 usage or
    configuration error, 130 interrupted (Ctrl-C; what was loaded is kept)."""
    _quiet_prefect(verbose)
    from tasks.settings import Settings

    try:
        year_list = parse_years(years) if years else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--years") from None
    if not seed and registry is None:
        raise typer.BadParameter("give --seed URL (repeatable) or --registry FILE", param_hint="--seed")
    check_seeds(seed or [])
    portals = _seed_portals(seed or [])
    if registry is not None:
        portals += [p.to_dict() for p in _registry_portals(registry, province, level, base=base_url)]
    db_url = check_db(db or Settings.from_env().db_url, create=True, source=db_source(db))
    start_temporary_server()  # every check passed: it boots while the flow is imported
    summary = _run_harvest(portals, years=year_list, db_url=db_url, allow_private=allow_private)
    code = _finish(summary, db_url=db_url, max_errors=max_errors)
    if code:
        raise typer.Exit(code)


def _seed_portals(seeds: list[str]) -> list[dict[str, Any]]:
    """One portal per seed, named by its host (host and path when two seeds share a host).

    >>> [p["name"] for p in _seed_portals(["http://a.gov.cn/x/", "http://a.gov.cn/y/", "http://b.gov.cn/"])]
    ['a.gov.cn/x/', 'a.gov.cn/y/', 'b.gov.cn']
    """
    from urllib.parse import urlsplit

    hosts = [urlsplit(url).netloc or url for url in seeds]
    return [
        {
            "name": host if hosts.count(host) == 1 else host + (urlsplit(url).path or "/"),
            "seed_url": url,
        }
        for url, host in zip(seeds, hosts, strict=True)
    ]


def _registry_portals(
    registry: Path, province: list[str] | None, level: list[str] | None, *, base: str | None = None
) -> list[Any]:
    """The registry's portals selected by --province/--level (``gxbg.pipeline.Portal``); a bad file or
    selection is a usage error naming the line, before anything else happens."""
    from gxbg.errors import RegistryError
    from gxbg.pipeline.registry import load_registry, select

    try:
        return select(load_registry(registry, base=base), provinces=province, levels=level)
    except (OSError, RegistryError) as exc:
        hint = " (give --base-url URL)" if base is None and "{base}" in str(exc) else ""
        raise typer.BadParameter(f"{exc}{hint}", param_hint="--registry/--province/--level") from None


def _fail(what: str, message: str) -> typer.Exit:
    """Print one red line to stderr; the caller raises the returned ``Exit(1)``."""
    console.print(f"[red]{what}[/]: {message}", highlight=False, soft_wrap=True)
    return typer.Exit(1)


def _existing_store(db_url: str, source: str = "--db") -> Any:
    """Open an existing gxbg database for reading (creating nothing), or end the command with one line
    (exit 2: cli/preflight.py)."""
    from gxbg.store.db import Store

    check_db(db_url, create=False, source=source)
    return Store(db_url)


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
    portals = _registry_portals(registry, province, level, base="http://base.invalid")
    store = _existing_store(db or Settings.from_env().db_url, db_source(db))
    try:
        rows = store.publication_status(year, portals)
        breaks = dataset.cross_year_breaks(store, year, {p.name for p in portals})
    except StoreError as exc:
        raise _fail("unknown year", str(exc)) from None
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
    _quiet_prefect(verbose)
    from tasks.settings import Settings

    # nothing to re-parse without a database: say so
    db_url = check_db(db or Settings.from_env().db_url, create=False, source=db_source(db))
    start_temporary_server()
    try:
        from flows.reparse import reparse as reparse_flow

        await_temporary_server()
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
    from gxbg import ParseError, parse_html, parse_report, report_to_dict
    from gxbg.crawl.charset import decode_text

    failed = 0
    for path in files:
        try:
            is_html = path.suffix.lower() in (".html", ".htm", ".shtml")
            # BOM, then a <meta>/XML declaration, then UTF-8, then detection (gb18030 for GBK files)
            text = decode_text("text/html" if is_html else "text/plain", path.read_bytes()).text
            report = parse_html(text, url=path.resolve().as_uri()) if is_html else parse_report(text)
            line = {"file": str(path), **report_to_dict(report)}
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
    store = _existing_store(db)
    target = output or Path("/dev/stdout")
    count = store.export(cast(Any, fmt), target, cast(Any, what), current_only=current_only, excel=excel)
    console.print(f"exported {count} {what} as {fmt}" + (f" to {output}" if output else ""))


app.command(name="eval")(eval_command)  # cli/evaluate.py: extractor accuracy on the generated corpus


def main() -> None:  # pragma: no cover - console entry point
    app()
