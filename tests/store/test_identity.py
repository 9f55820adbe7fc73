"""One report, one identity: a version is its content at its canonical URL, whatever portal led to it;
the portals that listed it are provenance (``report_listings``).  Migration 0003 merges the copies an
older database holds."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from gxbg.store.db import Store
from gxbg.store.engine import write_transaction
from gxbg.store.migrate import current_revision, head_revision, upgrade
from gxbg.store.schema import (
    AGENCIES,
    CELLS,
    CHECK_RESULTS,
    DOCUMENTS,
    PORTALS,
    REPORT_VERSIONS,
    REPORTS,
    SECTIONS,
)
from tests.store.dump import consistency_problems
from tests.store.factory import build_report, source_for

URL = "http://127.0.0.1:8000/district/xxgk/ndbg/2023.html"


def _rows(store: Store, sql: str) -> list[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(sa.text(sql)).all()]


def test_the_same_page_from_a_second_portal_adds_no_copy(store: Store) -> None:
    report = build_report("淮安市洪泽区人民政府", 2023, seed=3)
    source = {
        **source_for(report, url=URL),
        "listed_title": "洪泽区2023年年报",
        "listed_published": "2024-01-26",
    }
    first = store.load_report(None, portal="district", source=source, report=report)
    later = {**source, "fetched_at": "2026-11-21T08:00:00Z", "listed_published": None}
    again = store.load_report(None, portal="city", source=later, report=report)

    assert first.created
    assert not again.created
    assert (again.report_id, again.version_id) == (first.report_id, first.version_id)
    assert _rows(store, "SELECT COUNT(*) FROM reports") == [(1,)]
    assert _rows(store, "SELECT COUNT(*) FROM report_versions") == [(1,)]
    assert _rows(store, "SELECT COUNT(*) FROM agencies") == [(1,)]
    listings = _rows(
        store,
        "SELECT p.name, l.listed_title, l.listed_published FROM report_listings l "
        "JOIN portals p ON p.id = l.portal_id ORDER BY l.id",
    )
    assert [(name, title) for name, title, _ in listings] == [
        ("district", "洪泽区2023年年报"),
        ("city", "洪泽区2023年年报"),
    ]
    assert str(listings[0][2]) == "2024-01-26"
    assert listings[1][2] is None
    n_cells = len(report["cells"])
    assert _rows(store, "SELECT COUNT(*) FROM current_cells") == [(n_cells,)]
    assert _rows(store, "SELECT DISTINCT portal, source_url FROM current_cells") == [("district", URL)]
    assert consistency_problems(store) == []


def test_new_content_at_the_same_url_from_another_portal_is_a_new_version_of_the_same_report(
    store: Store,
) -> None:
    report = build_report("淮安市洪泽区人民政府", 2023, seed=3)
    store.load_report(None, portal="district", source=source_for(report, url=URL), report=report)
    corrected = build_report("淮安市洪泽区人民政府", 2023, seed=4)
    source = {**source_for(corrected, url=URL), "fetched_at": "2026-11-22T08:00:00Z"}
    outcome = store.load_report(None, portal="city", source=source, report=corrected)
    assert outcome.created
    assert _rows(store, "SELECT COUNT(*) FROM reports") == [(1,)]
    assert _rows(store, "SELECT report_id, is_current FROM report_versions ORDER BY id") == [
        (outcome.report_id, False),
        (outcome.report_id, True),
    ]
    # the same agency name at another URL on another portal stays its own report
    other = build_report("淮安市洪泽区人民政府", 2023, seed=5)
    store.load_report(None, portal="elsewhere", source=source_for(other, url=URL + "?copy"), report=other)
    assert _rows(store, "SELECT COUNT(*) FROM reports") == [(2,)]
    assert consistency_problems(store) == []


def test_status_finds_the_report_on_every_portal_that_listed_it(store: Store) -> None:
    from gxbg.pipeline.process import Portal

    report = build_report("淮安市洪泽区人民政府", 2023, seed=3)
    store.load_report(None, portal="district", source=source_for(report, url=URL), report=report)
    store.load_report(None, portal="city", source=source_for(report, url=URL), report=report)
    expected = [
        Portal(name=name, seed_url="http://127.0.0.1:8000/", agency="淮安市洪泽区人民政府", level="county")
        for name in ("district", "city", "unrelated")
    ]
    rows = store.publication_status(2023, expected)
    assert [len(row.reports) for row in rows] == [1, 1, 0]


def test_the_document_row_is_written_once_per_load(store: Store) -> None:
    """``record_document`` writes the fetched page's row with its response; the load finds it instead
    of upserting a second, emptier copy (for a report file, the page URL would have been a second row)."""
    report = build_report(seed=2)
    source = source_for(report, url=URL)
    file_url = URL.replace(".html", ".pdf")
    fetch = {"url": file_url, "final_url": file_url, "status": 200, "fetched_at": source["fetched_at"]}
    store.record_document(None, portal="district", fetch={**fetch, "sha256": source["sha256"]})
    store.load_report(None, portal="district", source={**source, "document_url": file_url}, report=report)
    assert _rows(store, "SELECT url, status FROM documents") == [(file_url, 200)]
    assert _rows(store, "SELECT d.url FROM report_versions v JOIN documents d ON d.id = v.document_id") == [
        (file_url,)
    ]


# ------------------------------------------------------------------------------------ migration 0003

T0 = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)


def _insert(conn: sa.Connection, table: sa.Table, **values: Any) -> int:
    return int(conn.execute(sa.insert(table).values(**values).returning(table.c.id)).scalar_one())


def _version(
    conn: sa.Connection, report_id: int, portal_id: int, doc: int, sha: str, url: str, **kw: Any
) -> int:
    values: dict[str, Any] = {
        "report_id": report_id,
        "content_sha256": sha,
        "document_id": doc,
        "portal_id": portal_id,
        "run_id": None,
        "source_url": url,
        "final_url": url,
        "fetched_at": T0,
        "format": "2021",
        "title": "洪泽区2023年年报",
        "published": dt.date(2024, 1, 26),
        "parser_version": "1.2.1",
        "is_current": True,
        "n_sections": 1,
        "n_cells": 1,
        "n_checks": 1,
        "report_json": {"agency": "x", "cells": [{"table": "requests", "row": "received", "col": "total"}]},
    }
    values.update(kw)
    version_id = _insert(conn, REPORT_VERSIONS, **values)
    _insert(conn, SECTIONS, version_id=version_id, section_key="overview", text="概述")
    _insert(
        conn, CELLS, version_id=version_id, table_key="requests", row_key="received", col_key="total",
        value=7, raw="7", meaning="number", unit=None,
    )  # fmt: skip
    _insert(conn, CHECK_RESULTS, version_id=version_id, seq=0, rule="T3-BAL", scope="total", status="PASS")
    return version_id


def test_migration_0003_merges_the_copies_of_a_0002_database(empty_url: str) -> None:
    store = Store(empty_url)
    try:
        upgrade(store.engine, "0002")
        with write_transaction(store.engine) as conn:
            portals = [_insert(conn, PORTALS, name=name) for name in ("district", "city", "seed-again")]
            agencies = [_insert(conn, AGENCIES, portal_id=p, name="淮安市洪泽区人民政府") for p in portals]
            reports = [
                _insert(conn, REPORTS, agency_id=a, year=2023, format="2021", title="t", published=None)
                for a in agencies
            ]
            other = _insert(conn, REPORTS, agency_id=agencies[0], year=2022, format="2021")
            doc = _insert(conn, DOCUMENTS, url=URL, sha256="d" * 64, fetched_at=T0, last_fetched_at=T0)
            kept = _version(conn, reports[0], portals[0], doc, "a" * 64, URL)
            copy = _version(conn, reports[1], portals[1], doc, "a" * 64, URL)
            conn.execute(
                sa.update(CHECK_RESULTS)
                .where(CHECK_RESULTS.c.version_id == copy)
                .values(human_status="dismissed")
            )
            # the third portal saw the page later, after it changed: an old and a new content
            old = _version(conn, reports[2], portals[2], doc, "a" * 64, URL, is_current=False)
            newer = _version(
                conn, reports[2], portals[2], doc, "b" * 64, URL, fetched_at=T0 + dt.timedelta(days=3)
            )
            lone = _version(conn, other, portals[0], doc, "c" * 64, URL.replace("2023", "2022"))
        assert current_revision(store.engine) == "0002"

        store.migrate()

        assert current_revision(store.engine) == head_revision()
        assert _rows(
            store, "SELECT id, report_id, content_sha256, is_current FROM report_versions ORDER BY id"
        ) == [
            (kept, reports[0], "a" * 64, False),
            (newer, reports[0], "b" * 64, True),
            (lone, other, "c" * 64, True),
        ]
        assert not {copy, old} & {row[0] for row in _rows(store, "SELECT version_id FROM cells")}
        assert _rows(store, "SELECT id FROM reports ORDER BY id") == [(reports[0],), (other,)]
        assert _rows(store, "SELECT id FROM agencies") == [(agencies[0],)]
        assert _rows(
            store, "SELECT version_id, portal_id FROM report_listings ORDER BY version_id, portal_id"
        ) == [
            (kept, portals[0]),
            (kept, portals[1]),
            (kept, portals[2]),
            (newer, portals[2]),
            (lone, portals[0]),
        ]
        assert _rows(store, f"SELECT human_status FROM check_results WHERE version_id = {kept}") == [
            ("dismissed",)
        ]
        assert _rows(store, "SELECT agency, year, portal, source_url FROM current_cells ORDER BY year") == [
            ("淮安市洪泽区人民政府", 2022, "district", URL.replace("2023", "2022")),
            ("淮安市洪泽区人民政府", 2023, "district", URL),
        ]
        assert consistency_problems(store) == []
        # and a harvest after the migration finds the merged report by its URL
        report = build_report("淮安市洪泽区人民政府", 2023, seed=9)
        outcome = store.load_report(None, portal="city", source=source_for(report, url=URL), report=report)
        assert outcome.report_id == reports[0]
    finally:
        store.close()
