"""Two identical loads give identical databases; a changed report gives exactly one new version."""

from __future__ import annotations

from typing import Any

from gxbg.store.db import Store
from tests.store.dump import consistency_problems, dump
from tests.store.factory import build_report, source_for


def _batch(changed: bool = False) -> list[dict[str, Any]]:
    reports = [
        build_report("天津市河北区宁园街道办事处", 2020, fmt="2019", seed=1),
        build_report("开封市龙亭区人民政府办公室", 2019, fmt="2019", seed=2, blank_cells=3),
        build_report("银川市市政管理局", 2020, fmt="2019", seed=3, unbalanced=True),
        build_report("重庆市石柱县南宾街道办事处", 2024, fmt="2021", seed=4),
        build_report("淮安市人民政府", 2024, fmt="2021", seed=5),
        build_report("洪泽区人民政府", 2023, fmt="2021", seed=6 + (100 if changed else 0)),
    ]
    return reports


def _harvest(store: Store, reports: list[dict[str, Any]]) -> None:
    run_id = store.start_run("harvest", {"portals": ["demo"]})
    store.record_failure(
        run_id,
        portal="demo",
        url="http://127.0.0.1:8000/broken",
        stage="fetch",
        error="timeout",
        reason="slow",
    )
    for report in reports:
        store.load_report(run_id, portal="demo", source=source_for(report), report=report)
    store.finish_run(run_id, {"loaded": len(reports)}, "completed")


def test_two_identical_harvests_give_identical_databases(store: Store) -> None:
    _harvest(store, _batch())
    once = dump(store)
    _harvest(store, _batch())
    twice = dump(store)
    assert twice == once
    assert len(once["failures"]) == 1
    assert len(once["report_versions"]) == 6
    assert consistency_problems(store) == []


def test_a_changed_report_gives_exactly_one_new_version(store: Store) -> None:
    _harvest(store, _batch())
    before = dump(store)
    _harvest(store, _batch(changed=True))
    after = dump(store)
    assert len(after["reports"]) == len(before["reports"]) == 6
    assert len(after["report_versions"]) == len(before["report_versions"]) + 1
    changed = build_report("洪泽区人民政府", 2023, fmt="2021", seed=106)
    assert len(after["cells"]) - len(before["cells"]) == len(changed["cells"])
    assert len(after["check_results"]) - len(before["check_results"]) == len(changed["checks"])
    assert len(after["documents"]) == len(before["documents"]) + 1
    # Every earlier version is still there, unchanged except that exactly one lost is_current.
    old_versions = {row[0]: row for row in before["report_versions"]}
    flipped = [
        vid
        for vid, row in ((r[0], r) for r in after["report_versions"])
        if vid in old_versions and row != old_versions[vid]
    ]
    assert len(flipped) == 1
    assert consistency_problems(store) == []
