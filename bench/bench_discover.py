"""Discovery throughput: listing pages parsed per second by the pure discovery functions.

Crawls every seed of the simulator's ``full`` profile once (loopback, politeness off) through a
recording fetcher, then times the pure functions on the captured bodies, in-process, with no IO:
``parse_listing`` on every listing body (HTML lists, data islands, dataproxy XML/JSONP, gkmlpt
shell and JSON), ``column_links`` + ``nav_links`` on the same, ``classify_title`` on every listing
title and ``detail_title`` on every report page.  Prints one line per function.

Run: ``.venv/bin/python bench/bench_discover.py [seconds-per-function]`` (default 1.5).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from gxbg.archive import RawArchive
from gxbg.crawl import discover
from gxbg.crawl.fetch import Fetcher
from gxbg.crawl.policy import FetchPolicy
from gxbg.crawl.site import crawl_site
from gxbg.kinds import FetchResult
from gxbg.sim import serve

POLICY = FetchPolicy(delay=0, jitter=0, allow_private=True, obey_robots=False, retries=0)


@dataclass
class RecordingFetcher:
    """Passes requests to a Fetcher and keeps (final URL, text) of every decoded body."""

    inner: Fetcher
    bodies: list[tuple[str, str]] = field(default_factory=list)

    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        data: dict[str, str] | None = None,
        validators: tuple[str | None, str | None] | None = None,
    ) -> FetchResult:
        result = await self.inner.fetch(url, method=method, data=data, validators=validators)
        if result.text is not None and result.ok:
            self.bodies.append((result.final_url or url, result.text))
        return result


def capture() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(listing bodies, report detail bodies) from one crawl of every full-profile seed."""
    with serve(profile="full") as sim, tempfile.TemporaryDirectory() as root:

        async def run() -> tuple[list[tuple[str, str]], set[str]]:
            async with Fetcher(POLICY) as fetcher:
                recorder = RecordingFetcher(fetcher)
                details: set[str] = set()
                for seed in sim.seeds:
                    crawl = await crawl_site(seed.url, fetcher=recorder, archive=RawArchive(root))
                    # the detail page (item.url) and, for attachment reports, the file it links to
                    details |= {u for r in crawl.reports for u in (r.item.url, r.fetch.final_url) if u}
                return recorder.bodies, details

        bodies, details = asyncio.run(run())
    listings = [(u, t) for u, t in bodies if u not in details]
    return listings, [(u, t) for u, t in bodies if u in details]


def rate(label: str, unit: str, items: int, work: Callable[[], object], budget: float) -> None:
    """Repeat ``work`` (one pass over ``items`` inputs) for about ``budget`` seconds; print items/s."""
    rounds, start = 0, time.perf_counter()
    while True:
        work()
        rounds += 1
        elapsed = time.perf_counter() - start
        if elapsed >= budget or rounds >= 10_000:
            break
    print(f"{label:<34} {rounds * items / elapsed:>10,.0f} {unit}/s  ({items} inputs x {rounds} rounds)")


def main(argv: list[str]) -> None:
    budget = float(argv[0]) if argv else 1.5
    listings, details = capture()
    titles = [i.title for u, t in listings for i in discover.parse_listing(t, u).items]
    size = sum(len(t) for _, t in listings) / max(1, len(listings))
    print(f"captured {len(listings)} listing bodies (mean {size:,.0f} chars), {len(details)} report pages, "
          f"{len(titles)} listing titles")  # fmt: skip
    rate(
        "parse_listing",
        "pages",
        len(listings),
        lambda: [discover.parse_listing(t, u) for u, t in listings],
        budget,
    )
    links = lambda: [(discover.column_links(t, u), discover.nav_links(t, u)) for u, t in listings]  # noqa: E731
    rate("column_links + nav_links", "pages", len(listings), links, budget)
    rate(
        "classify_title", "titles", len(titles), lambda: [discover.classify_title(t) for t in titles], budget
    )
    rate(
        "detail_title", "pages", len(details), lambda: [discover.detail_title(t) for _, t in details], budget
    )


if __name__ == "__main__":
    main(sys.argv[1:])
