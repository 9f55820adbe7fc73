"""Benchmark: clean_page and html_to_text throughput on the cleaner fixtures (pages/s).

Runs in-process on tests/fixtures/clean/*.html, no network.  Prints one line per measure: wall-clock
and CPU-time rates (the CPU figure is the steadier one on a shared machine).
"""

from __future__ import annotations

import time
from pathlib import Path

from gxbg.clean import clean_page
from gxbg.extract.htmlgrid import html_to_text

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "clean"
ROUNDS = 20


def _rate(label: str, pages: list[tuple[str, str]], fn: object) -> None:
    assert callable(fn)
    fn(*pages[0])  # warm up (imports, regex compilation)
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(ROUNDS):
        for page in pages:
            fn(*page)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    count = ROUNDS * len(pages)
    size = sum(len(html) for html, _ in pages) * ROUNDS / 1e6
    print(
        f"{label:<34} {count / elapsed:7.1f} pages/s wall  {count / cpu:7.1f} pages/s cpu"
        f"  {size / cpu:5.2f} M chars/s cpu  ({count} pages, avg {size * 1e6 / count / 1e3:.1f} k chars)"
    )


def main() -> None:
    pages = [
        (p.read_text(encoding="utf-8"), f"http://www.demo-xian.gov.cn/{p.name}")
        for p in sorted(FIXTURES.glob("*.html"))
    ]
    reports = [page for page in pages if len(page[0]) > 10_000]
    _rate("clean_page, all fixtures", pages, lambda html, url: clean_page(html, url=url))
    _rate("clean_page, report pages only", reports, lambda html, url: clean_page(html, url=url))
    _rate("html_to_text, report pages only", reports, lambda html, url: html_to_text(html))
    fallback = [page for page in pages if "freeform-unknown" in page[1]]
    _rate("clean_page, scoring fallback page", fallback, lambda html, url: clean_page(html, url=url))


if __name__ == "__main__":
    main()
