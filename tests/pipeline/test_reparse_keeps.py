"""A reparse keeps what it cannot re-derive from the archived body: listing dates and titles.

The demo harvest takes `published` from the listing page for most reports (their pages print no
date the cleaner reads); a forced reparse sees only the archived body and used to overwrite those
dates with null, turning on-time reports into `undated` (issue 12, item 1).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from cli.main import app
from gxbg.archive import RawArchive
from gxbg.crawl.fetch import FetchPolicy
from gxbg.pipeline.local import harvest_locally
from gxbg.pipeline.reparse import reparse_versions
from gxbg.pipeline.summary import summarize
from gxbg.sim import serve
from gxbg.store.db import Store

DEMO_REGISTRY = str(Path(__file__).resolve().parents[2] / "registry" / "demo.csv")
FAST = FetchPolicy(allow_private=True, delay=0.0, jitter=0.0)
runner = CliRunner()


def _status_outputs(db_url: str, years: list[int]) -> list[str]:
    outputs = []
    for year in years:
        for fmt in ("table", "jsonl"):
            args = [
                "status",
                "--registry",
                DEMO_REGISTRY,
                "--year",
                str(year),
                "--db",
                db_url,
                "--format",
                fmt,
            ]
            result = runner.invoke(app, args)
            assert result.exit_code == 0, result.output
            outputs.append(result.stdout)
    return outputs


def _provenance(store: Store) -> list[tuple[object, ...]]:
    with store.engine.connect() as conn:
        versions = conn.execute(
            sa.text("SELECT id, title, published, source_url, fetched_at FROM report_versions ORDER BY id")
        ).all()
        reports = conn.execute(sa.text("SELECT id, format, title, published FROM reports ORDER BY id")).all()
    return [tuple(row) for row in (*versions, *reports)]


@pytest.fixture
def demo_db(tmp_path: Path) -> tuple[Store, RawArchive]:
    store, archive = Store(f"sqlite:///{tmp_path / 'gxbg.sqlite'}"), RawArchive(tmp_path / "raw")
    store.migrate()
    with serve(profile="demo") as sim:
        portals = [{"name": seed.name, "seed_url": seed.url} for seed in sim.seeds]
        run_id = store.start_run("harvest", {"portals": [p["name"] for p in portals], "years": None})
        outcomes = harvest_locally(portals, archive=archive, sink=store, run_id=run_id, policy=FAST)
    store.finish_run(run_id, summarize(outcomes, run_id=run_id), "completed")
    return store, archive


def test_forced_reparse_of_the_demo_leaves_status_byte_identical(demo_db: tuple[Store, RawArchive]) -> None:
    store, archive = demo_db
    with store.engine.connect() as conn:
        years = sorted(conn.execute(sa.text("SELECT DISTINCT year FROM reports")).scalars())
        dated = conn.execute(
            sa.text("SELECT COUNT(*) FROM report_versions WHERE published IS NOT NULL")
        ).scalar()
    assert len(years) >= 3
    assert dated == 8
    before, provenance = _status_outputs(store.url, years), _provenance(store)

    items = store.stale_versions("", limit=1000)  # what `gxbg reparse --force` selects: every version
    outcome = reparse_versions(items, archive=archive, sink=store)
    assert (outcome.reparsed, outcome.errors) == (8, ())

    assert _provenance(store) == provenance
    assert _status_outputs(store.url, years) == before
    store.close()
