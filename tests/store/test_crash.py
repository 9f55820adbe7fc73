"""Crash safety: a loader process killed with SIGKILL at random points leaves a consistent
database (no version without its cells, checks and sections; one current version per report),
and a rerun completes.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from typing import Any

import pytest
import sqlalchemy as sa

from gxbg.store.db import Store
from tests.store.dump import consistency_problems
from tests.store.factory import build_report, source_for

KILLS = 20
AGENCIES = 15

Item = tuple[dict[str, Any], dict[str, Any]]


def _workload() -> list[Item]:
    """Small reports (table 四 only): 15 agencies × 2 years, each in two contents."""
    items = []
    for version in range(2):
        for i in range(AGENCIES):
            for year in (2020, 2021):
                fmt = "2019" if year == 2020 else "2021"
                report = build_report(f"单位{i:02d}", year, fmt=fmt, seed=version, tables=("appeals",))
                items.append((report, source_for(report, fetched_at=f"2026-11-{20 + version}T00:00:00Z")))
    return items


def _loader(url: str, items: list[Item], order_seed: int, ready: Any) -> None:
    """Child process: load the workload in a shuffled order, over and over, until killed."""
    store = Store(url)
    shuffled = list(items)
    random.Random(order_seed).shuffle(shuffled)
    run_id = store.start_run("crash-test", {"seed": order_seed})
    ready.set()
    while True:
        for report, source in shuffled:
            store.load_report(run_id, portal="crash", source=source, report=report)
            store.record_failure(
                run_id, portal="crash", url=source["url"] + "#x", stage="fetch", error="timeout", reason="t"
            )


def _versions(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT COUNT(*) FROM report_versions")).scalar_one())


def _wait_for_a_commit(store: Store, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while _versions(store) == 0:
        assert time.monotonic() < deadline, f"the loader committed nothing in {timeout} s"
        time.sleep(0.01)


@pytest.mark.slow
def test_sigkill_at_random_points_leaves_a_consistent_database(store: Store) -> None:
    context = multiprocessing.get_context("fork")  # children share the parent's imports: fast kills
    items = _workload()
    rng = random.Random(20261122)
    versions_after_kill = []
    for attempt in range(KILLS):
        ready = context.Event()
        child = context.Process(target=_loader, args=(store.url, items, attempt, ready), daemon=True)
        child.start()
        assert ready.wait(30), "loader did not start"
        if attempt >= KILLS // 2 and not any(versions_after_kill):
            # no kill so far landed after a commit (a loaded machine: the first load of a new process
            # took longer than the kill window): from here on, kill only once something is committed,
            # so the kills test a database with versions in it
            _wait_for_a_commit(store, timeout=30)
        time.sleep(rng.uniform(0.01, 0.3))
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)  # no cleanup, no client-side rollback
        child.join()
        assert child.exitcode == -signal.SIGKILL
        problems = consistency_problems(store)
        assert problems == [], f"after kill {attempt}: {problems}"
        versions_after_kill.append(_versions(store))
    assert versions_after_kill[-1] > 0, "the loader never committed: the kills tested nothing"
    # A rerun completes: everything loads, and the last-loaded content of every report is current.
    for report, source in items:
        store.load_report(None, portal="crash", source=source, report=report)
    assert consistency_problems(store) == []
    with store.engine.connect() as conn:
        versions = conn.execute(sa.text("SELECT COUNT(*) FROM report_versions")).scalar_one()
        reports = conn.execute(sa.text("SELECT COUNT(*) FROM reports")).scalar_one()
        current = set(
            conn.execute(sa.text("SELECT content_sha256 FROM report_versions WHERE is_current")).scalars()
        )
    assert reports == AGENCIES * 2
    assert versions == len(items)
    assert current == {source["sha256"] for _, source in items[len(items) // 2 :]}
