"""Re-parsing a stored version in place: same version, new rows, human decisions kept."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from gxbg.store.db import Store
from gxbg.store.errors import StoreError
from tests.store.dump import consistency_problems
from tests.store.factory import build_report, source_for


def test_reparse_replaces_rows_of_the_same_version(store: Store) -> None:
    report = build_report(seed=1)
    source = {**source_for(report), "parser_version": "1.0.0"}
    outcome = store.load_report(None, portal="p", source=source, report=report)
    with store.engine.begin() as conn:  # a reviewer dismisses one FAIL-free check
        conn.execute(sa.text("UPDATE check_results SET human_status = 'confirmed' WHERE seq = 0"))
    assert [v["version_id"] for v in store.stale_versions("1.1.0")] == [outcome.version_id]
    assert store.stale_versions("1.0.0") == []

    reparsed = build_report(seed=1, blank_cells=2)  # the new parser reads two cells as blank
    reparsed["agency"] = None  # and lost the agency: the report keeps its key
    store.reparse_version(outcome.version_id, report=reparsed, parser_version="1.1.0")

    with store.engine.connect() as conn:
        versions = conn.execute(sa.text("SELECT id, parser_version, n_cells FROM report_versions")).all()
        blanks = conn.execute(sa.text("SELECT COUNT(*) FROM cells WHERE meaning = 'blank'")).scalar_one()
        kept = conn.execute(
            sa.text("SELECT rule, scope, human_status FROM check_results WHERE seq = 0")
        ).one()
    assert versions == [(outcome.version_id, "1.1.0", len(reparsed["cells"]))]
    assert blanks == 2
    assert kept == ("T3-BAL", "natural_person", "confirmed")
    assert store.stale_versions("1.1.0") == []
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT agency FROM current_reports")).scalar_one() == report["agency"]
    assert consistency_problems(store) == []


def test_reparse_of_a_missing_version_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="no report version"):
        store.reparse_version(999, report=build_report(), parser_version="1.1.0")


def test_reparse_keeps_the_listing_date_and_title_the_body_cannot_give_back(store: Store) -> None:
    report = {**build_report(seed=1), "title": None, "published": None}  # the text prints neither
    source = {
        **source_for(report),
        "title": "从列表页看到的标题",
        "published": "2021-01-28",
        "listed_title": "从列表页看到的标题",
        "listed_published": "2021-01-28",
        "parser_version": "1.0.0",
    }
    outcome = store.load_report(None, portal="p", source=source, report=report)

    def stored() -> list[tuple[object, ...]]:
        with store.engine.connect() as conn:
            return [
                (str(row[0]), row[1])
                for row in conn.execute(
                    sa.text(
                        "SELECT published, title FROM report_versions UNION ALL "
                        "SELECT published, title FROM reports"
                    )
                )
            ]

    assert stored() == [("2021-01-28", "从列表页看到的标题")] * 2
    store.reparse_version(outcome.version_id, report=report, parser_version="1.1.0")
    assert stored() == [("2021-01-28", "从列表页看到的标题")] * 2  # kept from the listing
    store.reparse_version(
        outcome.version_id, report=report, parser_version="1.2.0", page_published="2021-01-27"
    )
    assert stored() == [("2021-01-27", "从列表页看到的标题")] * 2  # the page's own date comes first
    printed = {**report, "published": "2021-01-26", "title": "印在报告上的标题"}
    store.reparse_version(
        outcome.version_id, report=printed, parser_version="1.3.0", page_published="2021-01-27"
    )
    assert stored() == [("2021-01-26", "印在报告上的标题")] * 2  # and what the report prints before both
