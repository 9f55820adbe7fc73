"""The reparse flow re-parses archived pages with no network and repairs stale rows in place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from gxbg import PARSER_VERSION
from gxbg.archive import RawArchive
from gxbg.crawl.fetch import FetchPolicy
from gxbg.pipeline.local import harvest_locally
from gxbg.sim import serve
from gxbg.store.db import Store

pytestmark = [pytest.mark.prefect]


def _load_demo(db_url: str, archive_dir: Path) -> None:
    """Harvest the demo portals without Prefect, then stop the server: the network is gone after this."""
    store, archive = Store(db_url), RawArchive(archive_dir)
    store.migrate()
    run_id = store.start_run("test", {})
    with serve(profile="demo") as sim:
        portals = [{"name": seed.name, "seed_url": seed.url} for seed in sim.seeds]
        policy = FetchPolicy(allow_private=True, delay=0.0, jitter=0.0)
        harvest_locally(portals, archive=archive, sink=store, run_id=run_id, policy=policy)
    store.close()


def _cells(db_url: str) -> list[tuple[Any, ...]]:
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT version_id, table_key, row_key, col_key, value, raw, meaning"
                " FROM cells ORDER BY 1, 2, 3, 4"
            )
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def _execute(db_url: str, *statements: str) -> None:
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(sa.text(statement))
    engine.dispose()


def test_reparse_repairs_stale_versions_from_the_archive_without_network(
    prefect_harness: None, tmp_path: Path
) -> None:
    from flows.reparse import reparse

    db_url, archive_dir = f"sqlite:///{tmp_path / 'gxbg.sqlite'}", tmp_path / "raw"
    _load_demo(db_url, archive_dir)
    good = _cells(db_url)
    # An older extractor got some numbers wrong and recorded its own version.
    _execute(
        db_url,
        "UPDATE report_versions SET parser_version = '0.0.0-old'",
        "UPDATE cells SET value = 999 WHERE table_key = 'requests' AND row_key = 'received'",
    )
    assert _cells(db_url) != good

    summary = reparse(db_url=db_url, archive_dir=str(archive_dir))
    assert summary["reparsed"] == 8
    assert summary["errors"] == []
    assert summary["failed_checks"] >= 1  # the Yinchuan report still fails: it is in the data
    assert _cells(db_url) == good
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        versions = (
            conn.execute(sa.text("SELECT DISTINCT parser_version FROM report_versions")).scalars().all()
        )
    engine.dispose()
    assert versions == [PARSER_VERSION]

    assert reparse(db_url=db_url, archive_dir=str(archive_dir))["reparsed"] == 0  # nothing stale now
    assert reparse(db_url=db_url, archive_dir=str(archive_dir), force=True)["reparsed"] == 8
    assert _cells(db_url) == good


def test_reparse_keeps_old_rows_when_the_archive_lost_a_body(prefect_harness: None, tmp_path: Path) -> None:
    from flows.reparse import reparse

    db_url, archive_dir = f"sqlite:///{tmp_path / 'gxbg.sqlite'}", tmp_path / "raw"
    _load_demo(db_url, archive_dir)
    before = _cells(db_url)
    victim = Store(db_url).stale_versions("", limit=1)[0]  # "" matches no parser version: any version
    RawArchive(archive_dir).path_for(victim["document_sha256"]).unlink()

    summary = reparse(db_url=db_url, archive_dir=str(archive_dir), force=True)
    assert summary["reparsed"] == 7
    assert [e["version_id"] for e in summary["errors"]] == [victim["version_id"]]
    assert "no archived body" in summary["errors"][0]["reason"]
    assert _cells(db_url) == before  # the version that could not be re-parsed keeps its rows
