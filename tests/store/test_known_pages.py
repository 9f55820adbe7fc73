"""Store.known_pages: the per-portal validators and archive keys a re-harvest sends conditional GETs with."""

from __future__ import annotations

from gxbg.store.db import Store

BASE = "http://127.0.0.1:8000/xxgk/ndbg/"
LM = "Mon, 01 Jan 2024 00:00:00 GMT"


def _fetch(
    url: str, *, sha: str | None, at: str = "2026-11-20T08:00:00Z", **headers: str
) -> dict[str, object]:
    return {
        "url": url,
        "final_url": url,
        "status": 200 if sha else 404,
        "fetched_at": at,
        "headers": {k.replace("_", "-"): v for k, v in headers.items()},
        "sha256": sha,
        "error": None if sha else "http_4xx",
    }


def test_known_pages_lists_bodies_with_a_validator_for_one_portal(store: Store) -> None:
    run_id = store.start_run("harvest", {})
    record = store.record_document
    record(run_id, portal="demo", fetch=_fetch(BASE + "etag.html", sha="a" * 64, etag='"e1"'))
    record(run_id, portal="demo", fetch=_fetch(BASE + "lm.html", sha="b" * 64, last_modified=LM))
    record(
        run_id, portal="demo", fetch=_fetch(BASE + "both.html", sha="c" * 64, etag='"e3"', last_modified=LM)
    )
    record(run_id, portal="demo", fetch=_fetch(BASE + "plain.html", sha="d" * 64))  # no validator
    record(run_id, portal="demo", fetch=_fetch(BASE + "gone.html", sha=None, etag='"e5"'))  # no body
    record(run_id, portal="other", fetch=_fetch(BASE + "elsewhere.html", sha="f" * 64, etag='"e6"'))
    assert store.known_pages("demo") == {
        BASE + "etag.html": ('"e1"', None, "a" * 64),
        BASE + "lm.html": (None, LM, "b" * 64),
        BASE + "both.html": ('"e3"', LM, "c" * 64),
    }
    assert store.known_pages("other") == {BASE + "elsewhere.html": ('"e6"', None, "f" * 64)}
    assert store.known_pages("nobody") == {}


def test_known_pages_takes_the_newest_body_of_a_url(store: Store) -> None:
    url = BASE + "2023.html"
    store.record_document(
        None, portal="demo", fetch=_fetch(url, sha="1" * 64, at="2026-11-27T08:00:00Z", etag='"new"')
    )
    store.record_document(
        None, portal="demo", fetch=_fetch(url, sha="0" * 64, at="2026-11-20T08:00:00Z", etag='"old"')
    )
    assert store.known_pages("demo") == {url: ('"new"', None, "1" * 64)}
    assert store.validators(url) == ('"new"', None)  # the single-URL lookup agrees


def test_a_304_refetch_keeps_the_page_known_with_its_body(store: Store) -> None:
    """The pipeline records a 304 under the archived sha256: the page stays known, its validators move."""
    url = BASE + "2023.html"
    store.record_document(None, portal="demo", fetch=_fetch(url, sha="a" * 64, etag='"v1"', last_modified=LM))
    not_modified = {**_fetch(url, sha="a" * 64, at="2026-11-27T08:00:00Z", etag='"v2"'), "status": 304}
    store.record_document(None, portal="demo", fetch=not_modified)
    assert store.known_pages("demo") == {url: ('"v2"', LM, "a" * 64)}


def test_a_portal_keeps_the_validators_of_pages_it_listed_after_another_fetched_them(store: Store) -> None:
    """The same page on two portals: whichever fetched it last owns the documents row, and the other
    still sends a conditional GET for it (its report_listings row says it listed that page)."""
    from tests.store.factory import build_report, source_for

    report = build_report(seed=4)
    source = source_for(report, url=BASE + "shared.html")
    for portal, at in (("district", "2026-11-20T08:00:00Z"), ("city", "2026-11-21T08:00:00Z")):
        store.record_document(
            None, portal=portal, fetch=_fetch(BASE + "shared.html", sha=source["sha256"], at=at, etag='"s1"')
        )
        store.load_report(None, portal=portal, source={**source, "fetched_at": at}, report=report)
    expected = {BASE + "shared.html": ('"s1"', None, source["sha256"])}
    assert store.known_pages("city") == expected
    assert store.known_pages("district") == expected
    assert store.known_pages("nobody") == {}
