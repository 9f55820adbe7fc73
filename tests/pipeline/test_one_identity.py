"""The same portals harvested again under other names (a seed given by URL, then by registry name)
store no second copy of any report: the second portal is only recorded as a listing."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from gxbg.archive import RawArchive
from gxbg.crawl.fetch import FetchPolicy
from gxbg.pipeline.local import harvest_locally
from gxbg.sim import serve
from gxbg.store.db import Store

FAST = FetchPolicy(allow_private=True, delay=0.0, jitter=0.0)


def _count(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


def test_a_second_seed_for_the_same_site_adds_no_copy(tmp_path: Path) -> None:
    store, archive = Store(f"sqlite:///{tmp_path / 'gxbg.sqlite'}"), RawArchive(tmp_path / "raw")
    store.migrate()
    with serve(profile="demo") as sim:
        first = [{"name": seed.name, "seed_url": seed.url} for seed in sim.seeds]
        again = [{"name": f"again-{seed.name}", "seed_url": seed.url} for seed in sim.seeds]
        harvest_locally(
            first, archive=archive, sink=store, run_id=store.start_run("harvest", {}), policy=FAST
        )
        counts = {
            t: _count(store, t) for t in ("agencies", "reports", "report_versions", "cells", "documents")
        }
        outcomes = harvest_locally(
            again, archive=archive, sink=store, run_id=store.start_run("harvest", {}), policy=FAST
        )
    assert counts["reports"] == 8
    assert sum(o.loaded for o in outcomes) == 0
    assert sum(o.unchanged for o in outcomes) == 8
    assert {t: _count(store, t) for t in counts} == counts
    assert _count(store, "report_listings") == 16  # each version listed by both names
    with store.engine.connect() as conn:
        per_report = conn.execute(
            sa.text(
                "SELECT agency, year, COUNT(*) FROM current_reports GROUP BY agency, year HAVING COUNT(*) > 1"
            )
        ).all()
    assert per_report == []
    store.close()
