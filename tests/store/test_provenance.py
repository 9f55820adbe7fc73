"""Harvest runs, fetched-document provenance, conditional-GET validators and failures."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from gxbg.store.db import Store
from gxbg.store.errors import StoreError
from tests.store.factory import build_report, source_for

URL = "http://127.0.0.1:8000/xxgk/ndbg/2023.html"


def _rows(store: Store, sql: str) -> list[dict[str, object]]:
    with store.engine.connect() as conn:
        return [dict(row) for row in conn.execute(sa.text(sql)).mappings()]


def _fetch(**overrides: object) -> dict[str, object]:
    fetch: dict[str, object] = {
        "url": URL,
        "final_url": URL,
        "status": 200,
        "fetched_at": "2026-11-20T08:00:00Z",
        "headers": {
            "content-type": "text/html; charset=gbk",
            "etag": '"v1"',
            "last-modified": "Mon, 01 Jan 2024 00:00:00 GMT",
        },
        "body": b"<html>ignored</html>",
        "sha256": "a" * 64,
        "text": "ignored",
        "encoding": "gb18030",
        "redirects": [],
        "error": None,
        "reason": None,
        "not_modified": False,
    }
    fetch.update(overrides)
    return fetch


def test_runs_record_params_status_and_summary(store: Store) -> None:
    run_id = store.start_run("harvest", {"portals": ["demo"], "years": [2023]})
    store.finish_run(run_id, {"reports": 3, "failures": 1}, "partial")
    (run,) = _rows(store, "SELECT * FROM harvest_runs")
    assert run["kind"] == "harvest"
    assert run["status"] == "partial"
    assert run["finished_at"] is not None
    with pytest.raises(StoreError, match="no harvest run"):
        store.finish_run(run_id + 99, {}, "completed")
    with pytest.raises(StoreError, match="run status"):
        store.finish_run(run_id, {}, "done")


def test_documents_keep_first_and_latest_fetch_without_duplicating(store: Store) -> None:
    run_id = store.start_run("harvest", {})
    store.record_document(run_id, portal="demo", fetch=_fetch())
    store.record_document(
        run_id, portal="demo", fetch=_fetch(fetched_at="2026-11-27T08:00:00Z", headers={"etag": '"v2"'})
    )
    store.record_document(
        run_id, portal="demo", fetch=_fetch(fetched_at="2026-11-01T08:00:00Z", headers={"etag": '"v0"'})
    )
    (doc,) = _rows(store, "SELECT * FROM documents")
    assert doc["sha256"] == "a" * 64
    assert doc["etag"] == '"v2"'  # the newest fetch wins
    assert doc["content_type"] == "text/html; charset=gbk"  # not erased by a fetch without it
    assert store.validators(URL) == ('"v2"', "Mon, 01 Jan 2024 00:00:00 GMT")
    with store.engine.connect() as conn:
        first, last = conn.execute(sa.text("SELECT fetched_at, last_fetched_at FROM documents")).one()
    assert str(first).startswith("2026-11-01")
    assert str(last).startswith("2026-11-27")


def test_new_body_is_a_new_document_and_errors_have_their_own_row(store: Store) -> None:
    store.record_document(None, portal="demo", fetch=_fetch())
    store.record_document(
        None, portal="demo", fetch=_fetch(sha256="b" * 64, fetched_at="2026-11-21T00:00:00Z", headers={})
    )
    for day in (22, 23):
        store.record_document(
            None,
            portal="demo",
            fetch=_fetch(
                sha256=None,
                status=503,
                error="http_5xx",
                reason="503 Service Unavailable",
                fetched_at=f"2026-11-{day}T00:00:00Z",
            ),
        )
    docs = _rows(store, "SELECT sha256, status, error_kind FROM documents ORDER BY id")
    assert docs == [
        {"sha256": "a" * 64, "status": 200, "error_kind": None},
        {"sha256": "b" * 64, "status": 200, "error_kind": None},
        {"sha256": None, "status": 503, "error_kind": "http_5xx"},
    ]
    # Validators come from the newest fetch that had a body and a validator.
    assert store.validators(URL) == ('"v1"', "Mon, 01 Jan 2024 00:00:00 GMT")
    assert store.validators("http://127.0.0.1:8000/never") == (None, None)


def test_failures_are_retried_until_a_success_resolves_them(store: Store) -> None:
    run1 = store.start_run("harvest", {})
    store.record_failure(
        run1, portal="demo", url=URL, stage="fetch", error="timeout", reason="read timeout after 30s"
    )
    store.record_failure(
        run1, portal="other", url=URL + "?b", stage="fetch", error="blocked", reason="WAF challenge"
    )
    run2 = store.start_run("harvest", {})
    store.record_failure(run2, portal="demo", url=URL, stage="fetch", error="http_5xx", reason="502")
    failures = store.open_failures("demo")
    assert len(failures) == 1
    assert failures[0]["url"] == URL
    assert failures[0]["attempts"] == 2
    assert failures[0]["error"] == "http_5xx"
    assert failures[0]["run_id"] == run2
    assert len(store.open_failures()) == 2
    # A successful load of that URL resolves it.
    report = build_report()
    store.load_report(run2, portal="demo", source=source_for(report, url=URL), report=report)
    assert [f["url"] for f in store.open_failures()] == [URL + "?b"]
    store.resolve_failure(URL + "?b")
    assert store.open_failures() == []
    # Failing again later opens a fresh failure; the history is kept.
    store.record_failure(run2, portal="demo", url=URL, stage="parse", error="parse", reason="表三 not found")
    assert [f["attempts"] for f in store.open_failures()] == [1]
    assert len(_rows(store, "SELECT id FROM failures")) == 3


def test_load_report_links_version_to_its_document_and_run(store: Store) -> None:
    run_id = store.start_run("harvest", {})
    report = build_report()
    source = source_for(report, url=URL)
    store.record_document(run_id, portal="demo", fetch=_fetch(sha256=source["sha256"]))
    outcome = store.load_report(run_id, portal="demo", source=source, report=report)
    (version,) = _rows(
        store,
        "SELECT v.run_id, d.sha256, d.etag, p.name AS portal FROM report_versions v"
        " JOIN documents d ON d.id = v.document_id JOIN portals p ON p.id = v.portal_id",
    )
    assert version == {"run_id": run_id, "sha256": source["sha256"], "etag": '"v1"', "portal": "demo"}
    assert outcome.created


def test_timestamps_are_utc_aware_on_both_engines(store: Store) -> None:
    fixed = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    clocked = Store(store.url, clock=lambda: fixed)
    try:
        run_id = clocked.start_run("harvest", {})
        clocked.record_failure(run_id, portal="demo", url=URL, stage="fetch", error="timeout", reason="slow")
        (failure,) = clocked.open_failures()
    finally:
        clocked.close()
    assert failure["first_seen"] == "2026-11-22T02:00:00+00:00"
