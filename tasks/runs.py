"""Harvest-run bookkeeping in the application database."""

from __future__ import annotations

import os
import socket
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from gxbg.pipeline.process import PageFailure, Portal, SiteOutcome
from gxbg.pipeline.summary import RunSummary, summarize
from gxbg.store.preflight import check_database
from tasks.alerts import alert_if_errors
from tasks.db import store_for
from tasks.events import error_threshold
from tasks.settings import Settings


@task(name="start-run", cache_policy=NO_CACHE)
def start_run_task(db_url: str, kind: str, params: dict[str, Any]) -> int:
    """Record that a harvest started (migrating the database first); return its run id.  The run
    names its process (``params["owner"]``); runs of this host whose process is gone (a SIGKILLed
    harvest) are closed as failed first."""
    store, host = store_for(db_url), socket.gethostname()
    store.close_abandoned_runs(host=host, alive=pid_alive)
    return store.start_run(kind, {**params, "owner": {"host": host, "pid": os.getpid()}})


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@task(name="finish-run", cache_policy=NO_CACHE)
def finish_run_task(db_url: str, run_id: int, summary: RunSummary, status: str) -> None:
    """Record the harvest's summary and final status."""
    store_for(db_url).finish_run(run_id, summary, status)


@task(name="summarize", cache_policy=NO_CACHE)
def summarize_task(outcomes: list[SiteOutcome], run_id: int) -> RunSummary:
    """Fold the per-site outcomes into the run summary."""
    return summarize(outcomes, run_id=run_id)


@task(name="check-error-threshold", cache_policy=NO_CACHE)
def alert_on_errors_task(summary: RunSummary, threshold: int | None = None) -> bool:
    """Alert when the run's errors pass the threshold in force (the same one the harvest event carries:
    parameter, else the Variable `gxbg alerts install --threshold` set, else GXBG_ERROR_THRESHOLD)."""
    limit = error_threshold(threshold)
    return alert_if_errors(summary, threshold=limit, webhook=Settings.from_env().alert_webhook)


def site_error(portal: Portal, exc: BaseException) -> SiteOutcome:
    """The outcome of a portal whose crawl or processing task failed outright."""
    failure: PageFailure = {
        "url": portal.seed_url,
        "stage": "task",
        "error": type(exc).__name__,
        "reason": str(exc)[:500],
    }
    return SiteOutcome(portal=portal.name, errors=1, failures=(failure,))


@task(name="check-database", cache_policy=NO_CACHE)
def check_database_task(db_url: str | None) -> str:
    """Parse, connect and check the schema version of the database (``None``: the configured one) before
    any work; a problem fails the run at once with one line (``DatabaseUnusableError``)."""
    url = db_url or Settings.from_env().db_url
    check_database(url, create=True)
    return url
