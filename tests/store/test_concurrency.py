"""Several threads loading at once never fail ("database is locked" on SQLite) and never race."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import sqlalchemy as sa

from gxbg.store.db import Store
from tests.store.dump import consistency_problems
from tests.store.factory import build_report, source_for

THREADS = 4


def _work(thread: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each thread: 4 reports of its own, 4 shared with every thread, one shared report in a
    thread-specific version (so versions of one report are created concurrently)."""
    own = [build_report(f"第{thread}街道办事处", 2020 + i, seed=i) for i in range(4)]
    shared = [build_report(f"共享单位{i}", 2021, seed=i) for i in range(4)]
    contested = [build_report("争用单位", 2022, seed=100 + thread)]
    return [(report, source_for(report)) for report in own + shared + contested]


def test_threads_loading_at_once_never_fail(store: Store) -> None:
    second = Store(store.url)  # a second Store on the same database shares the writer lock
    barrier = threading.Barrier(THREADS)

    def run(thread: int) -> list[bool]:
        target = store if thread % 2 else second
        barrier.wait()
        created = []
        for report, source in _work(thread):
            outcome = target.load_report(None, portal="demo", source=source, report=report)
            created.append(outcome.created)
            target.record_failure(
                None, portal="p", url=f"http://127.0.0.1/{thread}", stage="fetch", error="timeout", reason="x"
            )
        return created

    try:
        with ThreadPoolExecutor(THREADS) as pool:
            results = list(pool.map(run, range(THREADS)))  # re-raises any thread's exception
    finally:
        second.close()
    created = sum(flag for flags in results for flag in flags)
    # 4 own per thread + 4 shared (created once) + one contested version per thread.
    assert created == THREADS * 4 + 4 + THREADS
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM reports")).scalar_one() == THREADS * 4 + 4 + 1
        assert conn.execute(sa.text("SELECT COUNT(*) FROM report_versions")).scalar_one() == created
    assert consistency_problems(store) == []
    assert len(store.open_failures()) == THREADS


def test_the_same_pages_loaded_from_several_portals_at_once_are_stored_once(store: Store) -> None:
    """Portals crawled in parallel (shards, threads) that all list the same pages: one report and one
    version per page, a listing per portal — the URL lock (PostgreSQL) or the single writer (SQLite)
    serialises them."""
    pages = [build_report(f"第{i}街道办事处", 2023, seed=i) for i in range(8)]
    sources = [source_for(report) for report in pages]
    barrier = threading.Barrier(THREADS)

    def run(thread: int) -> int:
        barrier.wait()
        order = list(range(len(pages)))[thread % 2 :: 1 if thread < 2 else -1]
        order += [i for i in range(len(pages)) if i not in order]
        created = 0
        for i in order:  # as the pipeline does: the fetch is recorded (committed) before the load
            fetch = {
                "url": sources[i]["url"],
                "fetched_at": sources[i]["fetched_at"],
                "sha256": sources[i]["sha256"],
            }
            store.record_document(None, portal=f"portal-{thread}", fetch=fetch)
            load = store.load_report(None, portal=f"portal-{thread}", source=sources[i], report=pages[i])
            created += load.created
        return created

    with ThreadPoolExecutor(THREADS) as pool:
        created = sum(pool.map(run, range(THREADS)))
    assert created == len(pages)
    with store.engine.connect() as conn:
        counts = [
            conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
            for table in ("reports", "report_versions", "report_listings")
        ]
    assert counts == [len(pages), len(pages), len(pages) * THREADS]
    assert consistency_problems(store) == []
