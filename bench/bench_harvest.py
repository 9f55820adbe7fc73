"""Benchmark: harvest throughput of the simulated portals, with and without Prefect.

Both paths run the same code per portal — ``crawl_site`` (discover, fetch, archive) then
``process_site`` (clean, parse, validate, load into SQLite) — with politeness off:

* **plain**: :func:`gxbg.pipeline.concurrent.harvest_portals` in this process, no Prefect — every
  portal crawled at once over one fetcher, each processed as its crawl ends;
* **prefect**: the ``harvest`` flow (one task for the shard of portals, running that same function)
  on a temporary Prefect server that is started and warmed up before the clock starts.

Prints pages/s (HTTP exchanges per second), reports/s, the Prefect/plain ratio and peak RSS.
Loopback only: the portals are ``gxbg.sim`` (profile ``full`` by default).

    python bench/bench_harvest.py [--profile demo|full] [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if os.environ.get("PREFECT_API_URL") == "":  # an empty URL silently drops events: unset it
    del os.environ["PREFECT_API_URL"]
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

from gxbg.archive import RawArchive
from gxbg.crawl.fetch import FetchPolicy
from gxbg.pipeline.concurrent import harvest_portals
from gxbg.pipeline.process import Portal
from gxbg.pipeline.summary import summarize
from gxbg.sim import serve
from gxbg.store.db import Store


def plain(portals: list[Portal], workdir: Path) -> dict[str, Any]:
    """The harvest without Prefect: the same crawl and processing code the flow's shard task runs."""
    store = Store(f"sqlite:///{workdir / 'plain.sqlite'}")
    store.migrate()
    archive = RawArchive(workdir / "raw-plain")
    run_id = store.start_run("bench", {})
    outcomes = list(
        harvest_portals(
            portals, archive=archive, sink=store, run_id=run_id,
            policy=FetchPolicy.for_run(allow_private=True, polite=False), known_pages=store.known_pages,
        )
    )  # fmt: skip
    return summarize(outcomes, run_id=run_id)


def through_prefect(portals: list[Portal], workdir: Path) -> dict[str, Any]:
    from cli.ephemeral import run_settings
    from flows.harvest import harvest

    with run_settings():  # as `gxbg harvest` runs it against its temporary server
        summary: dict[str, Any] = harvest(
            portals=portals,
            db_url=f"sqlite:///{workdir / 'prefect.sqlite'}",
            archive_dir=str(workdir / "raw-prefect"),
            allow_private=True,
            polite=False,
        )
    return summary


def warm_up_prefect() -> float:
    """Start the temporary server (and its database) before any timing."""
    from prefect import flow

    @flow(name="bench-warm-up")
    def noop() -> int:
        return 1

    start = time.perf_counter()
    noop()
    return time.perf_counter() - start


def timed(fn: Any, portals: list[dict[str, Any]], rounds: int) -> tuple[float, dict[str, Any]]:
    best, summary = float("inf"), {}
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            summary = fn(portals, Path(tmp))
            best = min(best, time.perf_counter() - start)
    return best, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="full", choices=("demo", "full"))
    parser.add_argument("--rounds", type=int, default=2, help="best of N runs per path")
    args = parser.parse_args(argv)

    with serve(profile=args.profile) as sim:
        portals = [Portal(name=s.name, seed_url=s.url) for s in sim.seeds]
        startup = warm_up_prefect()
        plain_s, plain_summary = timed(plain, portals, args.rounds)
        prefect_s, prefect_summary = timed(through_prefect, portals, args.rounds)

    pages, reports = plain_summary["totals"]["pages"], plain_summary["totals"]["fetched"]
    if (
        prefect_summary["totals"]["pages"] != pages
        or prefect_summary["totals"]["loaded"] != plain_summary["totals"]["loaded"]
    ):
        print(
            f"MISMATCH: plain {plain_summary['totals']} vs prefect {prefect_summary['totals']}",
            file=sys.stderr,
        )
        return 1
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"profile={args.profile} portals={len(portals)} pages={pages} reports={reports}", end=" ")
    print(f"(best of {args.rounds} rounds)")
    for name, secs in (("plain", plain_s), ("prefect", prefect_s)):
        print(f"{name:8}: {secs:6.2f} s  {pages / secs:7.1f} pages/s  {reports / secs:6.1f} reports/s")
    print(f"ratio prefect/plain throughput: {plain_s / prefect_s:.2f}", end="  ")
    print(f"(Prefect server start-up, not timed: {startup:.1f} s)")
    print(f"peak RSS: {rss_mib:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
