"""Dataset throughput: loads with and without the after-load cross-year checks, a full cross-year run,
an identity refresh, and the panel export (CSV, Parquet, xlsx), on SQLite.

``BENCH_DATASET_AGENCIES`` agencies × 6 years (2019–2024) of factory reports (default 60 → 360 reports).
Prints its figures; asserts nothing.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gxbg.store import crossyear  # noqa: E402
from gxbg.store.db import Store  # noqa: E402
from gxbg.store.engine import read_connection  # noqa: E402
from gxbg.store.panel import export_panel  # noqa: E402
from tests.store.factory import build_report, source_for  # noqa: E402

AGENCIES = int(os.environ.get("BENCH_DATASET_AGENCIES", "60"))
YEARS = range(2019, 2025)


@dataclass(frozen=True)
class Row:
    name: str
    agency: str
    level: str
    region_code: str


def _items() -> list[tuple[dict, dict]]:
    items = []
    for a in range(AGENCIES):
        for year in YEARS:
            report = build_report(f"基准单位{a:04d}", year, fmt="2019" if year < 2021 else "2021", seed=a)
            items.append((report, source_for(report)))
    return items


def _load(tmp: Path, name: str, items: list[tuple[dict, dict]]) -> tuple[Store, float]:
    store = Store(f"sqlite:///{tmp / name}")
    store.migrate()
    start = time.process_time()
    for report, source in items:
        store.load_report(None, portal="bench", source=source, report=report)
    return store, time.process_time() - start


def main() -> None:
    items = _items()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        original = crossyear.rerun_report
        crossyear.rerun_report = lambda conn, report_id: 0  # type: ignore[assignment]
        plain, without = _load(tmp, "plain.sqlite", items)
        crossyear.rerun_report = original  # type: ignore[assignment]
        plain.close()
        store, with_xy = _load(tmp, "xy.sqlite", items)
        n = len(items)
        print(f"{n} reports ({AGENCIES} agencies x {len(YEARS)} years), SQLite, CPU time")
        print(f"  load without cross-year checks: {n / without:7.1f} reports/s")
        print(
            f"  load with cross-year checks:    {n / with_xy:7.1f} reports/s ({with_xy / without - 1:+.0%})"
        )
        start = time.process_time()
        rows = store.run_cross_year()
        print(f"  full cross-year run: {rows} results in {time.process_time() - start:.2f} s")
        registry = [Row("bench", "基准单位0000", "county", "320813")]
        start = time.process_time()
        store.refresh_identity(registry)
        print(f"  identity refresh (+ full cross-year run): {time.process_time() - start:.2f} s")
        for fmt in ("csv", "parquet", "xlsx"):
            start = time.process_time()
            with read_connection(store.engine) as conn:
                count = export_panel(conn, fmt=fmt, out=tmp / f"panel.{fmt}")
            spent = time.process_time() - start
            print(f"  panel {fmt:7}: {count} rows in {spent:.2f} s ({count / spent:7.1f} rows/s)")
        store.close()


if __name__ == "__main__":
    main()
