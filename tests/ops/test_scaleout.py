"""Scale-out, end to end: a Prefect server on PostgreSQL, the ``gxbg`` process work pool, the
deployments of ``deployments/prefect.yaml`` and two workers run a sharded harvest of two simulated
portal sets (one per loopback address, hence one per shard) into PostgreSQL; the result must equal
a single-process run into SQLite.  The one-worker and two-worker wall times are printed."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from gxbg.pipeline.registry import load_registry, shard
from gxbg.sim import serve
from gxbg.store.db import Store
from tests.ops.servers import (
    BIN,
    REPO,
    PrefectServer,
    pg_unreachable,
    prefect_server,
    spawn,
    stop,
    throwaway_pg_database,
)

pytestmark = [pytest.mark.prefect, pytest.mark.slow, pytest.mark.ops, pytest.mark.timeout(900)]

YEARS = [2019, 2020, 2023, 2024]
HOSTS = (
    "127.0.0.1",
    "127.0.0.2",
)  # sha256 shards of 2: 127.0.0.1 → 0, 127.0.0.2 → 1 (pinned in test_registry)


def write_registry(path: Path, bases: dict[str, str]) -> None:
    """The demo registry once per simulator, names prefixed by the simulator's label."""
    lines = (REPO / "registry" / "demo.csv").read_text(encoding="utf-8").splitlines()
    rows = [lines[0]]
    for label, base in bases.items():
        rows += [f"{label}-{line.replace('{base}', base)}" for line in lines[1:]]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def harvest(server: PrefectServer, out: Path, results: Path, **params: Any) -> dict[str, Any]:
    args = [sys.executable, str(REPO / "tests" / "ops" / "scaleout_run.py"), str(out)]
    args += [f"{k}={json.dumps(v)}" for k, v in params.items()]
    server.run(args, timeout=600, PREFECT_RESULTS_LOCAL_STORAGE_PATH=str(results))
    return dict(json.loads(out.read_text(encoding="utf-8")))


def comparable(summary: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in summary.items() if k not in ("run_id", "run_ids")}


def cells(db_url: str, out: Path) -> Counter[str]:
    store = Store(db_url)
    try:
        store.export("jsonl", out, "cells")
    finally:
        store.close()
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return Counter(
        json.dumps({k: v for k, v in r.items() if not k.endswith("_id")}, sort_keys=True) for r in rows
    )


def test_sharded_harvest_on_two_workers_equals_a_single_process_run(tmp_path: Path) -> None:
    reason = pg_unreachable()
    if reason:
        pytest.skip(reason)
    results = tmp_path / "results"  # shared result storage: parent reads the shards' summaries
    workers: list[subprocess.Popen[bytes]] = []
    with (
        serve(host=HOSTS[0], profile="demo") as sim_a,
        serve(host=HOSTS[1], profile="demo") as sim_b,
        throwaway_pg_database("gxbg_ops_prefect") as prefect_db,
        throwaway_pg_database() as data_two,
        throwaway_pg_database() as data_one,
        prefect_server(
            tmp_path,
            PREFECT_SERVER_DATABASE_CONNECTION_URL=prefect_db.replace("+psycopg", "+asyncpg"),
        ) as server,
    ):
        registry = tmp_path / "portals.csv"
        write_registry(registry, {"a": sim_a.base_url, "b": sim_b.base_url})
        portals = load_registry(registry)
        assert [len(shard(portals, 2, i)) for i in (0, 1)] == [3, 3]  # one simulator per shard

        try:
            server.run([str(BIN / "prefect"), "work-pool", "create", "gxbg", "--type", "process"])
            deploy = [
                str(BIN / "prefect"),
                "--no-prompt",
                "deploy",
                "--prefect-file",
                "deployments/prefect.yaml",
            ]
            server.run([*deploy, "--name", "shard", "--name", "harvest", "--name", "backfill"], timeout=300)
            deployments = server.api("POST", "/deployments/filter", json={})
            assert {d["name"] for d in deployments} >= {"shard", "harvest", "backfill"}
            schedules = next(d for d in deployments if d["name"] == "harvest")["schedules"]
            crons = sorted((s["slug"], s["schedule"]["cron"], s["schedule"]["timezone"]) for s in schedules)
            assert crons == [
                ("after-department-deadline", "0 2 15 2 *", "Asia/Shanghai"),
                ("after-local-government-deadline", "0 2 15 4 *", "Asia/Shanghai"),
                ("on-department-deadline", "0 20 31 1 *", "Asia/Shanghai"),
                ("on-local-government-deadline", "0 20 31 3 *", "Asia/Shanghai"),
            ]

            worker_env = server.env(
                PREFECT_WORKER_QUERY_SECONDS="1", PREFECT_RESULTS_LOCAL_STORAGE_PATH=str(results)
            )
            worker = [str(BIN / "prefect"), "worker", "start", "--pool", "gxbg", "--limit", "2"]
            for n in range(2):
                workers.append(spawn(worker, env=worker_env, log=tmp_path / f"worker-{n}.log"))

            common = {"registry": str(registry), "years": YEARS, "allow_private": True, "polite": False}
            single = harvest(
                server,
                tmp_path / "single.json",
                results,
                **common,
                shards=1,
                db_url=f"sqlite:///{tmp_path / 'single.sqlite'}",
                archive_dir=str(tmp_path / "raw-single"),
            )
            two = harvest(
                server,
                tmp_path / "two.json",
                results,
                **common,
                shards=2,
                poll_interval=1.0,
                db_url=data_two,
                archive_dir=str(tmp_path / "raw-two"),
            )
            stop(workers.pop())  # the same sharded harvest with one worker, for the timing comparison
            one = harvest(
                server,
                tmp_path / "one.json",
                results,
                **common,
                shards=2,
                poll_interval=1.0,
                db_url=data_one,
                archive_dir=str(tmp_path / "raw-one"),
            )
        finally:
            for process in workers:
                stop(process)

        assert single["summary"]["totals"]["loaded"] == 16  # 8 reports in each simulator
        assert comparable(two["summary"]) == comparable(single["summary"])
        assert comparable(one["summary"]) == comparable(single["summary"])
        assert len(two["summary"]["run_ids"]) == 2  # one application run per shard
        sqlite_cells = cells(f"sqlite:///{tmp_path / 'single.sqlite'}", tmp_path / "single-cells.jsonl")
        assert sqlite_cells
        assert cells(data_two, tmp_path / "two-cells.jsonl") == sqlite_cells
        assert cells(data_one, tmp_path / "one-cells.jsonl") == sqlite_cells

        runs = server.api("POST", "/flow_runs/filter", json={"flow_runs": {"name": {"like_": "shard-"}}})
        assert len([r for r in runs if r["state_type"] == "COMPLETED"]) == 4  # 2 shards x 2 sharded runs
        print(
            f"\nscale-out wall time, 2 shards of {len(portals)} portals: two workers {two['seconds']:.1f} s, "
            f"one worker {one['seconds']:.1f} s, single process {single['seconds']:.1f} s"
        )
        (tmp_path / "timing.txt").write_text(f"{two['seconds']} {one['seconds']} {single['seconds']}\n")
        time.sleep(0)  # keep the server up until here: the API assertions above need it
