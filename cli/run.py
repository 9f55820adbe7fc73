"""The commands that harvest: ``gxbg demo`` (the bundled simulated portals) and ``gxbg harvest`` (seeds
or a registry), both running the ``harvest`` flow in-process with a progress bar, then printing the
summary and the verdict (exit codes: README "Exit codes", gxbg/pipeline/verdict.py).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.console import Console

from cli.preflight import (
    await_temporary_server,
    check_db,
    check_seeds,
    db_source,
    exit_at_once,
    interruptible,
    quiet_prefect,
    registry_portals,
    start_temporary_server,
    usage_error,
)
from cli.render import print_summary
from cli.years import parse_years

if TYPE_CHECKING:
    from gxbg.pipeline.process import Portal
    from gxbg.pipeline.summary import RunSummary

# exit codes (README "Exit codes"; gxbg/pipeline/verdict.py): 0 ok, 1 some work failed, 2 usage, 130 Ctrl-C
SOME_FAILED, INTERRUPTED = 1, 130
DEMO_PORT = 48620  # the demo portals' fixed loopback port: a second run asks the same URLs (304s)

console = Console(stderr=True)
out = Console(width=None if sys.stdout.isatty() else 160)  # piped output keeps whole rows


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


def _run_harvest(portals: list[Portal], **kwargs: Any) -> RunSummary:
    """Run the harvest flow in-process and return its summary, also when every portal failed
    (``summary["failed"]``) or Ctrl-C stopped it (``summary["interrupted"]``); anything else ends the
    command with one clear line, no traceback, exit 1.

    The temporary Prefect server, started by the caller once its checks passed (SIGINT kept from it:
    cli/preflight.py), boots while the flow is imported and the portals are already being crawled
    (``start_crawl_ahead``: the flow's shard task takes that crawl over).  The first Ctrl-C cancels
    the crawls in flight (tasks/stop.py), the pages already loaded stay and the run is recorded as
    cancelled; a second Ctrl-C quits at once.
    """
    from cli.ephemeral import run_settings
    from gxbg.errors import HarvestFailedError
    from tasks import stop

    stop.reset()
    try:
        with _progress(len(portals)):
            from tasks.ahead import start_crawl_ahead  # no Prefect: the crawl starts before it is imported
            from tasks.settings import SHARD_SIZE

            if len(portals) <= SHARD_SIZE:  # one shard: its task takes over this crawl in progress
                start_crawl_ahead(portals, **kwargs)
            from flows.harvest import harvest  # imports Prefect while its server boots and the crawl runs

            await_temporary_server()
            with interruptible(stop.request_stop, stop.stop_requested), run_settings():
                state = harvest(portals=portals, return_state=True, **kwargs)
        if state.is_cancelled():
            summary = cast("RunSummary", state.result(raise_on_failure=False))
            return {**summary, "interrupted": True}
        if state.is_completed():
            return state.result()
        exc = state.result(raise_on_failure=False)
        if isinstance(exc, HarvestFailedError):
            return cast("RunSummary", {**exc.summary, "failed": True})
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
        from tasks.ahead import discard_crawl_ahead

        discard_crawl_ahead()  # a crawl no task took (the flow failed before its shard): stopped


def _finish(summary: RunSummary, *, db_url: str | None, max_errors: int) -> int:
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
    quiet_prefect(verbose)
    from gxbg.pipeline.process import Portal
    from gxbg.sim import serve

    data_dir = data_dir.resolve()
    db_url = check_db(f"sqlite:///{data_dir / 'gxbg.sqlite'}", create=True, source="--data-dir")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise usage_error("bad --data-dir", f"{data_dir}: {exc.strerror or exc}") from None
    start_temporary_server()  # it boots while the portals start and the flow is imported
    with _demo_portals(serve, port) as sim:
        portals = [Portal(name=s.name, seed_url=s.url) for s in sim.seeds]
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
    quiet_prefect(verbose)
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
        portals += registry_portals(registry, province, level, base=base_url)
    db_url = check_db(db or Settings.from_env().db_url, create=True, source=db_source(db))
    start_temporary_server()  # every check passed: it boots while the flow is imported
    summary = _run_harvest(portals, years=year_list, db_url=db_url, allow_private=allow_private)
    code = _finish(summary, db_url=db_url, max_errors=max_errors)
    if code:
        raise typer.Exit(code)


def _seed_portals(seeds: list[str]) -> list[Portal]:
    """One portal per seed, named by its host (host and path when two seeds share a host).

    >>> [p.name for p in _seed_portals(["http://a.gov.cn/x/", "http://a.gov.cn/y/", "http://b.gov.cn/"])]
    ['a.gov.cn/x/', 'a.gov.cn/y/', 'b.gov.cn']
    """
    from urllib.parse import urlsplit

    from gxbg.pipeline.process import Portal

    hosts = [urlsplit(url).netloc or url for url in seeds]
    return [
        Portal(name=host if hosts.count(host) == 1 else host + (urlsplit(url).path or "/"), seed_url=url)
        for url, host in zip(seeds, hosts, strict=True)
    ]


def register(app: typer.Typer) -> None:
    """Add ``demo`` and ``harvest`` to the ``gxbg`` app."""
    app.command()(demo)
    app.command()(harvest)
