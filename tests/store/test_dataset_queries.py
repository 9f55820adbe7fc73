"""The PostgreSQL versions of the Datasette canned queries (docs/dataset.md) run on both engines."""

from __future__ import annotations

import re

import sqlalchemy as sa

from gxbg.store.db import Store
from tests.conftest import REPO
from tests.store.factory import build_report, source_for
from tests.store.test_crossyear_identity import Row, _years


def _queries() -> list[str]:
    text = (REPO / "docs" / "dataset.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", text, flags=re.S)
    return [q.strip() for block in blocks for q in block.split(";") if q.strip()]


def test_documented_dataset_queries_run(store: Store) -> None:
    for report in _years("淮安市洪泽区人民政府", range(2022, 2024), break_year=2023):
        if report["year"] == 2023:
            report["published"] = "2024-04-02"  # late for a county
        store.load_report(None, portal="hongze", source=source_for(report), report=report)
    other = build_report("淮安市人民政府", 2022, unbalanced=True)
    store.load_report(None, portal="huaian", source=source_for(other), report=other)
    store.refresh_identity(
        [
            Row("hongze", "淮安市洪泽区人民政府", "county", "320813"),
            Row("huaian", "淮安市人民政府", "city", "320800"),
        ]
    )
    queries = _queries()
    assert len(queries) == 4
    with store.engine.connect() as conn:
        late, failing, breaks, series = (conn.execute(sa.text(q)).mappings().all() for q in queries)
    assert {(r["agency"], r["status"]) for r in late} == {
        ("淮安市洪泽区人民政府", "late"),
        ("淮安市人民政府", "missing"),
    }
    assert any(r["rule"] == "T3-BAL" and r["agency"] == "淮安市人民政府" for r in failing)
    assert {(r["agency"], r["year"], r["scope"]) for r in breaks if r["rule"] == "XY-CARRY"} == {
        ("淮安市洪泽区人民政府", 2023, "natural_person"),
        ("淮安市洪泽区人民政府", 2023, "total"),
    }
    assert [r["year"] for r in series] == [2022, 2023]
