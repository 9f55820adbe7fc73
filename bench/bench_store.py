"""Storage throughput: report versions loaded per second into SQLite and PostgreSQL.

Each load is one ``Store.load_report`` transaction (document + report + version + sections +
~200 cells + ~20 checks).  Also measured: re-loading unchanged content (the next harvest's
common case) and 4 threads loading into SQLite at once.  PostgreSQL is the server at
``GXBG_TEST_PG`` (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres), in a
throwaway database created and dropped here; it is skipped with a message when unreachable.
Prints its figures; asserts nothing.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gxbg.store.db import Store  # noqa: E402
from tests.pg import throwaway_database, unreachable_reason  # noqa: E402
from tests.store.factory import build_report, source_for  # noqa: E402

REPORTS = int(os.environ.get("BENCH_STORE_REPORTS", "150"))
THREADS = 4

Item = tuple[dict[str, Any], dict[str, Any]]


def _workload(count: int, offset: int = 0) -> list[Item]:
    items = []
    for i in range(offset, offset + count):
        fmt = "2019" if i % 2 else "2021"
        report = build_report(f"基准单位{i:04d}", 2019 + i % 6, fmt=fmt, seed=i, blank_cells=i % 3)
        items.append((report, source_for(report)))
    return items


def _rate(store: Store, items: list[Item]) -> float:
    start = time.perf_counter()
    for report, source in items:
        store.load_report(None, portal="bench", source=source, report=report)
    return len(items) / (time.perf_counter() - start)


def _threaded_rate(store: Store, items: list[Item]) -> float:
    chunks = [items[i::THREADS] for i in range(THREADS)]
    start = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(lambda chunk: _rate(store, chunk), chunks))
    return len(items) / (time.perf_counter() - start)


def _measure(label: str, url: str) -> None:
    store = Store(url)
    store.migrate()
    items = _workload(REPORTS)
    cells = sum(len(report["cells"]) for report, _ in items) / len(items)
    new = _rate(store, items)
    unchanged = _rate(store, items)
    threaded = _threaded_rate(store, _workload(REPORTS, offset=REPORTS))
    store.close()
    print(
        f"{label:<10} new versions {new:7.1f} reports/s   unchanged {unchanged:7.1f} reports/s   "
        f"{THREADS} threads {threaded:7.1f} reports/s   ({REPORTS} reports, {cells:.0f} cells each)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="gxbg-bench-store-") as tmp:
        _measure("sqlite", f"sqlite:///{tmp}/bench.db")
    reason = unreachable_reason()
    if reason is not None:
        print(f"postgres   SKIPPED: {reason}")
        return
    with throwaway_database("gxbg_bench") as url:
        _measure("postgres", url)


if __name__ == "__main__":
    main()
