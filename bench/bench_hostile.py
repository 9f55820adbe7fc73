"""Benchmark: the hostile sites (gxbg.sim.hostile) at full size — requests, failure rows, run time, peak RSS.

Each trap portal is crawled and processed into a fresh SQLite store by a fresh child interpreter
(so its peak RSS is its own), with politeness off but every other default of the fetcher: the 50 MB
body cap, ``max_pages=500``, three retries; the timeout is 2 s (default 30 s) so that the slowloris
line reads in seconds — its cost scales with the timeout.  The simulator runs in this process:
100,000 report-titled links, a 999,999-page pager, a gzip-of-gzip bomb inflating to 4 GiB, a
0.5 s drip, a Crawl-delay of 3600 s.  Loopback only.

    .venv/bin/python bench/bench_hostile.py [--links N] [--traps pager,links,...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time

from gxbg.sim.hostile import GENUINE, TRAPS, serve_hostile

CHILD = r"""
import asyncio, json, resource, sys, time
from pathlib import Path
from gxbg.archive import RawArchive
from gxbg.crawl.fetch import Fetcher, FetchPolicy
from gxbg.crawl.site import crawl_site
from gxbg.pipeline.process import process_site
from gxbg.store.db import Store

seed, work = sys.argv[1], Path(sys.argv[2])
policy = FetchPolicy(delay=0.0, jitter=0.0, allow_private=True, timeout=2.0)
store, archive = Store(f"sqlite:///{work / 'gxbg.sqlite'}"), RawArchive(work / "raw")
store.migrate()
started = time.monotonic()

async def crawl():
    async with Fetcher(policy) as fetcher:
        return await crawl_site(seed, fetcher=fetcher, archive=archive), fetcher

result, fetcher = asyncio.run(crawl())
run_id = store.start_run("bench", {})
outcome = process_site(result, portal="trap", archive=archive, sink=store, run_id=run_id)
print(json.dumps({
    "seconds": time.monotonic() - started,
    "sent": fetcher.requests_sent,
    "loaded": sorted(r.title for r in outcome.reports if r.status == "loaded"),
    "failure_rows": len(store.open_failures("trap")),
    "capped": fetcher.crawl_delay_capped,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=100_000)
    parser.add_argument("--traps", default=",".join(TRAPS))
    args = parser.parse_args()
    genuine = sorted(title for title, _ in GENUINE)
    head = f"{'trap':<12} {'requests':>8} {'failure rows':>12} {'genuine loaded':>14} {'run time':>9}"
    print(f"{head} {'peak RSS':>9}")
    with serve_hostile(links=args.links, drip=0.5) as sim:
        for trap in args.traps.split(","):
            before = len(sim.requests)
            with tempfile.TemporaryDirectory() as work:
                started = time.monotonic()
                done = subprocess.run(
                    [sys.executable, "-c", CHILD, sim.seed(trap), work],
                    capture_output=True, text=True, check=True, timeout=1800,
                )  # fmt: skip
                wall = time.monotonic() - started
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            served = len(sim.requests) - before
            loaded = sum(1 for t in figures["loaded"] if t in genuine)
            note = f"  (Crawl-delay capped: {figures['capped']})" if figures["capped"] else ""
            print(
                f"{trap:<12} {served:>8} {figures['failure_rows']:>12} {loaded:>11} / 3 "
                f"{figures['seconds']:>8.1f}s {figures['peak_mb']:>7.0f}MB{note}  (wall {wall:.1f}s)"
            )


if __name__ == "__main__":
    main()
