"""Everything a command checks and settles before Prefect starts: seeds, the registry selection, the
database (and opening an existing one for reading), the environment, the temporary Prefect server
(started with Ctrl-C kept away from it), and Ctrl-C itself.

A usage or configuration error ends the command here, in one line, with exit code 2 and nothing
started; ``gxbg harvest --db mysql://…`` answers in a fraction of a second, not after ~30 s of
waiting for a Prefect server and pages of tracebacks.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from gxbg.pipeline.process import Portal

console = Console(stderr=True)

USAGE = 2


def usage_error(what: str, message: str) -> typer.Exit:
    """Print ``what: message`` in one red line; the caller raises the returned ``Exit(2)``."""
    console.print(f"[red]{what}[/]: {message}", highlight=False, soft_wrap=True, markup=True)
    return typer.Exit(USAGE)


def check_seeds(seeds: list[str]) -> None:
    """Refuse the first unusable seed (exit 2)."""
    from gxbg.crawl.urls import seed_problem

    for url in seeds:
        problem = seed_problem(url)
        if problem is not None:
            raise usage_error("bad --seed", problem)


def check_db(db_url: str, *, create: bool, source: str = "--db") -> str:
    """Parse, connect and check the database (exit 2 in one line otherwise, naming where the URL came
    from: ``--db``, ``GXBG_DB_URL`` or ``--data-dir``); return the URL."""
    from gxbg.errors import DatabaseUnusableError
    from gxbg.store.preflight import check_database

    try:
        check_database(db_url, create=create)
    except DatabaseUnusableError as exc:
        raise usage_error(f"bad {source}", str(exc)) from None
    return db_url


def db_source(db: str | None) -> str:
    """Where the database URL of a command comes from, for its error line."""
    if db:
        return "--db"
    return "GXBG_DB_URL" if os.environ.get("GXBG_DB_URL") else "database (GXBG_DATA_DIR, default ./data)"


def prefect_environment(verbose: bool) -> None:
    """Settle Prefect's environment before it is imported (never set PREFECT_API_URL to "").

    Against a lasting server (``PREFECT_API_URL`` set) the flow and task logs go to the API at INFO, so
    the run page shows them, while the terminal stays quiet (its handler at CRITICAL; ``--verbose``
    shows everything); with the temporary server nobody reads them, so only warnings are sent.
    """
    if os.environ.get("PREFECT_API_URL") == "":
        del os.environ["PREFECT_API_URL"]
    os.environ.setdefault("DO_NOT_TRACK", "1")  # no usage data leaves the machine from our processes
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # the temporary server shares our stderr; its shutdown right after an interrupted run logs
    # tracebacks of events it had no time to record (nothing is lost: our database has the run)
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING" if verbose else "CRITICAL")
    # The first start of the temporary server migrates its database: 20 s is too short on a busy
    # 2-core machine (measured: 30 s cold).
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    if verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
        return
    # the terminal shows our own summary and one-line errors only: Prefect's console handler (every
    # record reaches it through the root logger) takes nothing below CRITICAL — no tracebacks of an
    # expected failure, no retry chatter
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    # a lasting server keeps the run's INFO records: its UI shows them on the run page
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if os.environ.get("PREFECT_API_URL") else "WARNING")


def start_temporary_server() -> None:
    """Start Prefect's temporary server now, and return at once: it boots while the command imports the
    flow (no-op with a lasting ``PREFECT_API_URL``).  Call only once every usage check has passed: a
    usage error starts nothing.  The server never sees a Ctrl-C in the terminal (cli/ephemeral.py), so
    gxbg can still record the cancelled run through it before it stops it."""
    from cli.ephemeral import TemporaryServer

    TemporaryServer.spawn()


def await_temporary_server() -> None:
    """Block until the temporary server answers (no-op without one)."""
    from cli.ephemeral import TemporaryServer

    if TemporaryServer.current is not None:
        TemporaryServer.current.wait_ready()


@contextlib.contextmanager
def interruptible(request_stop: Callable[[], None], stop_requested: Callable[[], bool]) -> Iterator[None]:
    """Within the block, the first Ctrl-C calls ``request_stop`` (the work winds down and returns what
    it has); a second one raises ``KeyboardInterrupt`` at once."""
    if threading.current_thread() is not threading.main_thread() or (
        signal.getsignal(signal.SIGINT) is signal.SIG_IGN  # started with Ctrl-C ignored (nohup, `&`)
    ):
        yield
        return

    def handler(signum: int, frame: object) -> None:
        if stop_requested():
            raise KeyboardInterrupt
        request_stop()
        console.print("[yellow]interrupting[/]: stopping the crawls (Ctrl-C again to quit at once)")

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def exit_at_once(code: int) -> None:
    """End the process now with ``code``, after stopping our temporary Prefect server: skips Prefect's
    exit-time draining of events and logs into a server that is going away (~5 s on a busy machine),
    so an interrupted run ends within seconds.  Our database writes are committed already.  With a
    lasting server (``PREFECT_API_URL``) the normal exit keeps them, and this returns."""
    from tasks.settings import lasting_api_url

    if lasting_api_url():
        return
    import sys

    from cli.ephemeral import TemporaryServer

    if TemporaryServer.current is not None:
        TemporaryServer.current.stop()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def quiet_prefect(verbose: bool) -> None:
    """Settle Prefect's environment before it is imported; stop a temporary server a killed gxbg left."""
    prefect_environment(verbose)
    from cli.ephemeral import mark_and_reap

    mark_and_reap()  # a temporary Prefect server a killed gxbg left running is stopped now


def registry_portals(
    registry: Path, province: list[str] | None, level: list[str] | None, *, base: str | None = None
) -> list[Portal]:
    """The registry's portals selected by --province/--level; a bad file or
    selection is a usage error naming the line, before anything else happens."""
    from gxbg.errors import RegistryError
    from gxbg.pipeline.registry import load_registry, select

    try:
        return select(load_registry(registry, base=base), provinces=province, levels=level)
    except (OSError, RegistryError) as exc:
        hint = " (give --base-url URL)" if base is None and "{base}" in str(exc) else ""
        raise typer.BadParameter(f"{exc}{hint}", param_hint="--registry/--province/--level") from None


def fail(what: str, message: str) -> typer.Exit:
    """Print one red line to stderr; the caller raises the returned ``Exit(1)``."""
    console.print(f"[red]{what}[/]: {message}", highlight=False, soft_wrap=True)
    return typer.Exit(1)


def existing_store(db_url: str, source: str = "--db") -> Any:
    """Open an existing gxbg database for reading (creating nothing), or end the command with one line
    (exit 2)."""
    from gxbg.store.db import Store

    check_db(db_url, create=False, source=source)
    return Store(db_url)
