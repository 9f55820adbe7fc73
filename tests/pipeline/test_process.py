"""A page that fails is recorded with its reason, retried on the next run, and resolved when it works.

A small loopback portal whose one report page changes behaviour between runs: a WAF challenge, then
an unparsable body, then the real report.  The crawl and the pipeline run for real (no Prefect).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from gxbg.archive import RawArchive
from gxbg.crawl.fetch import FetchPolicy
from gxbg.pipeline.local import harvest_locally
from gxbg.pipeline.process import SiteOutcome
from gxbg.store.db import Store

REPORT_HTML = (
    Path(__file__).resolve().parents[2]
    / "gxbg/sim/sites/bj/zwgk/zfxxgk/zfxxgknb/gknb2024/jdxz/202501/t20250116_2011.html"
).read_bytes()
TITLE = "石柱土家族自治县人民政府南宾街道办事处2024年政府信息公开工作年度报告"
LISTING = f"""<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>
<ul class="list"><li><a href="./202501/t20250116_2011.html" title="{TITLE}">{TITLE}</a>
<span>2025-01-16</span></li></ul></body></html>""".encode()
CHALLENGE = (
    b'<!DOCTYPE html><html><head><meta id="k3Zq9tLw" content="abcdefghijklmnopqrstuvwxyz" r="m"></head>'
    b"<body><script r=\"m\">$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=41275;</script></body></html>"
)
GARBLED = (
    f"<html><head><meta charset='utf-8'><title>{TITLE}</title></head><body><div id='zoom'>"
    + "<p>本页面正在维护，报告内容暂不可用。请稍后再来查看相关信息，谢谢您的理解与支持。</p>" * 3
    + "</div></body></html>"
).encode()


class FlakyPortal:
    """Serves the listing and, for the report page, whatever ``mode`` says: challenge, garbled, ok."""

    def __init__(self) -> None:
        self.mode = "challenge"
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/robots.txt":
                    self._send(404, b"")
                elif self.path.endswith("/ndbg/index.html"):
                    self._send(200, LISTING)
                elif portal.mode == "challenge":
                    self._send(412, CHALLENGE)
                else:
                    self._send(200, GARBLED if portal.mode == "garbled" else REPORT_HTML)

            def _send(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.seed = f"http://127.0.0.1:{self.server.server_address[1]}/ndbg/index.html"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def portal() -> Iterator[FlakyPortal]:
    flaky = FlakyPortal()
    yield flaky
    flaky.server.shutdown()
    flaky.server.server_close()


def _harvest(seed: str, store: Store, archive: RawArchive) -> SiteOutcome:
    policy = FetchPolicy(allow_private=True, delay=0.0, jitter=0.0, retries=0)
    [outcome] = harvest_locally(
        [{"name": "flaky", "seed_url": seed}],
        archive=archive,
        sink=store,
        run_id=store.start_run("t", {}),
        policy=policy,
    )
    return outcome


def test_failed_pages_are_recorded_retried_and_resolved(portal: FlakyPortal, tmp_path: Path) -> None:
    store, archive = Store(f"sqlite:///{tmp_path / 'gxbg.sqlite'}"), RawArchive(tmp_path / "raw")
    store.migrate()
    report_url = portal.seed.replace("index.html", "202501/t20250116_2011.html")

    blocked = _harvest(portal.seed, store, archive)  # run 1: a WAF challenge, never parsed
    assert (blocked.loaded, blocked.errors) == (0, 1)
    [failure] = store.open_failures("flaky")
    assert (failure["url"], failure["stage"], failure["error"]) == (report_url, "fetch", "blocked")
    assert failure["reason"]

    portal.mode = "garbled"  # run 2: the page comes back but holds no report: a parse failure
    garbled = _harvest(portal.seed, store, archive)
    assert (garbled.loaded, garbled.errors) == (0, 1)
    [failure] = store.open_failures("flaky")
    assert (failure["url"], failure["stage"]) == (report_url, "parse")
    assert "expected" in failure["reason"].lower() or "not found" in failure["reason"].lower()

    portal.mode = "ok"  # run 3: the real report: loaded, and the failure is resolved
    fixed = _harvest(portal.seed, store, archive)
    assert (fixed.loaded, fixed.errors) == (1, 0)
    assert fixed.reports[0].title == TITLE
    assert store.open_failures("flaky") == []


def test_every_archetype_of_the_full_simulator_through_the_pipeline(tmp_path: Path) -> None:
    """Inline reports load, and so do attachment reports whose file parses (the CJK PDF behind a TRS
    ``P0….pdf``, a Hanweb ``downfile.jsp`` 302 and an Epoint ``pdflist``; the DOCX), with their case's
    表三/表四; image-only pages and unparsable files (a .doc, a scan) are skipped with a reason; the only
    errors are the simulator's deliberate ones (a 404 root, a root moved to `/`, a stub page)."""
    import json

    from gxbg.crawl.titles import normalize_title
    from gxbg.sim import serve

    store, archive = Store(f"sqlite:///{tmp_path / 'gxbg.sqlite'}"), RawArchive(tmp_path / "raw")
    store.migrate()
    run_id = store.start_run("test", {})
    cases = Path(__file__).resolve().parents[1] / "cases"
    attachments: dict[tuple[str, str], str] = {}  # (portal, report url) → case of a parsed file
    with serve(profile="full") as sim:
        portals = [{"name": seed.name, "seed_url": seed.url} for seed in sim.seeds]
        policy = FetchPolicy(allow_private=True, delay=0.0, jitter=0.0)
        outcomes = harvest_locally(portals, archive=archive, sink=store, run_id=run_id, policy=policy)
        for seed, outcome in zip(sim.seeds, outcomes, strict=True):
            loads = sorted(normalize_title(e.title) for e in seed.expected if e.loads)
            other = [e for e in seed.expected if not e.loads]
            assert sorted(r.title for r in outcome.reports if r.status == "loaded") == loads, seed.name
            skipped = [r for r in outcome.reports if r.status == "skipped"]
            assert sorted(r.title for r in skipped) == sorted(normalize_title(e.title) for e in other)
            assert all(r.reason for r in skipped)
            for expected in other:
                (report,) = [r for r in skipped if r.title == normalize_title(expected.title)]
                if expected.kind == "attachment":  # the file was downloaded and read, not the page
                    assert (report.reason or "").startswith("attachment: "), report.reason
            assert not [r for r in outcome.reports if r.status == "failed"], seed.name
            for expected in seed.expected:
                if expected.kind == "attachment" and expected.parses:
                    (report,) = [r for r in outcome.reports if r.title == expected.title]
                    attachments[(seed.name, report.url)] = str(expected.case_id)
    store.export("jsonl", tmp_path / "reports.jsonl", "reports")
    stored = {
        (r["portal"], r["source_url"]): r
        for r in map(json.loads, (tmp_path / "reports.jsonl").read_text("utf-8").splitlines())
    }
    for key, case_id in attachments.items():  # the numbers read from the downloaded file
        golden = json.loads((cases / case_id / "expected.json").read_text("utf-8"))
        record = stored[key]
        assert record["final_url"] != record["source_url"], key  # the detail page stays the identity
        for part in ("columns", "rows"):  # 表三's numbers (how the text was laid out may differ)
            assert record["tables"]["requests"][part] == golden["tables"]["requests"][part], key
        assert record["tables"]["appeals"] == golden["tables"]["appeals"], key  # 表四
    assert sorted(attachments.values()) == ["js-hongze-2024", *["js-huaian-2024"] * 3]
    failed = {(f["portal"], f["error"]) for f in store.open_failures()}
    assert failed == {("beijing-gone", "http_4xx"), ("beijing-moved", "http_4xx"), ("trs-pages", "stub")}


def test_a_report_loaded_from_a_pdf_is_reparsed_from_the_archive(tmp_path: Path) -> None:
    from gxbg.kinds import FetchedReport, FetchResult, FoundItem, ItemKind
    from gxbg.pipeline.process import process_report
    from gxbg.pipeline.reparse import reparse_versions

    store, archive = Store(f"sqlite:///{tmp_path / 'gxbg.sqlite'}"), RawArchive(tmp_path / "raw")
    store.migrate()
    pdf = (Path(__file__).resolve().parents[1] / "fixtures/attachments/huaian-2024.pdf").read_bytes()
    url = "http://127.0.0.1:9/ndbg/P020250120000001.pdf"
    fetched = FetchedReport(
        item=FoundItem(url=url, title="淮安市人民政府2024年政府信息公开工作年度报告", year=2024, agency=None),
        kind=ItemKind.ATTACHMENT,
        fetch=FetchResult(
            url=url,
            final_url=url,
            status=200,
            fetched_at="2025-01-20T00:00:00Z",
            headers={"content-type": "application/pdf"},
        ),
        sha256=archive.put(pdf),
    )
    outcome = process_report(
        fetched, portal="pdf", archive=archive, sink=store, run_id=store.start_run("t", {})
    )
    assert (outcome.status, outcome.format, outcome.year) == ("loaded", "2021", 2024)

    stale = store.stale_versions("", limit=10)  # "" matches no parser version: every version
    assert len(stale) == 1
    result = reparse_versions(stale, archive=archive, sink=store)
    assert (result.reparsed, result.errors) == (1, ())
