"""The example queries in docs/storage.md run on both engines against loaded reports."""

from __future__ import annotations

import re

import sqlalchemy as sa

from gxbg.store.db import Store
from tests.conftest import REPO
from tests.store.factory import build_report, source_for


def _queries() -> list[str]:
    text = (REPO / "docs" / "storage.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", text, flags=re.S)
    return [q.strip() for block in blocks for q in block.split(";") if q.strip()]


def test_documented_queries_run(store: Store) -> None:
    for year, seed in ((2022, 1), (2023, 2)):
        report = build_report("淮安市人民政府", year, fmt="2021", seed=seed, unbalanced=True, blank_cells=1)
        store.load_report(None, portal="huaian", source=source_for(report), report=report)
    queries = _queries()
    assert len(queries) >= 5
    with store.engine.connect() as conn:
        results = [conn.execute(sa.text(query)).all() for query in queries]
    assert results[0], "current_reports returned nothing"
    assert results[1], "the unbalanced report's T3-BAL FAIL was not found"
