"""Benchmark: fetch throughput (pages/s) of gxbg's Fetcher against a loopback server, plus peak RSS.

Politeness off (no delay, 8 requests in flight per host), robots.txt still obeyed (one request).
The server (:mod:`gxbg.sim.faults`, stdlib ``http.server``) runs in a child process so it does not
share this process's GIL; on a 2-core machine it is usually the bottleneck, so read the figure as
"the crawl code is at least this fast".  Loopback only.

:func:`crawl_pages_per_s` is the plain-async half; the "through Prefect" half can call the same
function from inside a flow/task and print the ratio (``make bench`` runs this file).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import resource
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

from gxbg.crawl.fetch import Fetcher, FetchPolicy
from gxbg.sim.faults import serve_faults

#: Politeness off: what the benchmark measures is the crawl code, not the delay.
BENCH_POLICY = FetchPolicy(per_host_concurrency=8, delay=0.0, jitter=0.0, allow_private=True, timeout=10.0)


@dataclass(frozen=True, slots=True)
class CrawlFigures:
    pages: int  # pages that landed (ok)
    failed: int
    seconds: float

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


async def crawl(urls: list[str], policy: FetchPolicy = BENCH_POLICY) -> CrawlFigures:
    """Fetch every URL with one Fetcher (all scheduled at once; the per-host cap limits them)."""
    start = time.perf_counter()
    async with Fetcher(policy) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(url) for url in urls))
    elapsed = time.perf_counter() - start
    ok = sum(1 for r in results if r.ok)
    return CrawlFigures(pages=ok, failed=len(results) - ok, seconds=elapsed)


def crawl_pages_per_s(urls: list[str], policy: FetchPolicy = BENCH_POLICY) -> CrawlFigures:
    """Synchronous entry point (what a Prefect task would call)."""
    return asyncio.run(crawl(urls, policy))


def _serve(conn: Connection) -> None:
    with serve_faults() as srv:
        conn.send(srv.base_url)
        conn.recv()  # block until the parent says stop


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400)
    args = parser.parse_args()
    parent, child = mp.Pipe()
    server = mp.get_context("spawn").Process(target=_serve, args=(child,), daemon=True)
    server.start()
    try:
        base_url = parent.recv()
        crawl_pages_per_s([f"{base_url}/fault/page/warm-{n}" for n in range(8)])  # imports, TLS ctx
        urls = [f"{base_url}/fault/page/p{n}" for n in range(args.pages)]
        figures = crawl_pages_per_s(urls)
    finally:
        parent.send("stop")
        server.join(timeout=5)
    print(
        f"fetch, no Prefect, politeness off (8/host)  {figures.pages_per_s:8.1f} pages/s  "
        f"({figures.pages} ok, {figures.failed} failed, {figures.seconds:.2f} s)"
    )
    print(f"peak RSS (crawler process)                   {peak_rss_mib():8.1f} MiB")


if __name__ == "__main__":
    main()
