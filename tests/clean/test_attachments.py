"""PDF and DOCX report attachments: their text, the reasons they have none, and the pipeline's use of them.

Fixtures are written by ``tests/fixtures/attachments/make_fixtures.py`` (see its docstring): a CJK PDF
typeset from the js-huaian-2024 golden text, and a Word document of js-hongze-2024 with merged cells.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxbg import parse_report
from gxbg.archive import RawArchive
from gxbg.clean.attachments import REASON_ENCRYPTED, REASON_SCANNED, REASON_UNSUPPORTED, attachment_text
from gxbg.crawl.fetch import FetchPolicy
from gxbg.extract.htmlgrid import html_to_text
from gxbg.pipeline.local import harvest_locally
from gxbg.store.db import Store
from tests.report_json import report_json

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "attachments"
CASES = ROOT / "cases"
HUAIAN_PDF = (FIXTURES / "huaian-2024.pdf").read_bytes()
HONGZE_DOCX = (FIXTURES / "hongze-2024.docx").read_bytes()
SCANNED_PDF = (FIXTURES / "scanned.pdf").read_bytes()
ENCRYPTED_PDF = (FIXTURES / "encrypted.pdf").read_bytes()
OLE2_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8  # a .doc/.wps compound file header
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _expected(case: str) -> dict[str, Any]:
    return dict(json.loads((CASES / case / "expected.json").read_text(encoding="utf-8")))


def _numbers(report: dict[str, Any]) -> dict[str, Any]:
    """What must survive the attachment: year, format, and every value of 表二, 表三 and 表四."""
    tables = report["tables"]
    requests = tables["requests"]
    return {
        "year": report["year"],
        "format": report["format"],
        "proactive": tables["proactive"],
        "requests": {"columns": requests["columns"], "rows": requests["rows"]},
        "appeals": tables["appeals"],
    }


# ------------------------------------------------------------------------------------------- PDF


def test_pdf_text_is_pdfplumber_page_text_joined_by_newline() -> None:
    """The golden js-* texts are pdfplumber page text; the same text typeset again comes back as is."""
    result = attachment_text(HUAIAN_PDF, content_type=PDF_TYPE, url="http://x/a")
    assert (result.kind, result.pages, result.reason, result.corrupt) == ("pdf", 6, None, False)
    assert result.text == (CASES / "js-huaian-2024" / "clean.txt").read_text(encoding="utf-8")


def test_cjk_pdf_parses_to_the_golden_case_numbers() -> None:
    result = attachment_text(HUAIAN_PDF, content_type=None, url="http://x/report.pdf")
    report = report_json(parse_report(result.text))
    assert _numbers(report) == _numbers(_expected("js-huaian-2024"))
    assert report["tables"]["requests"]["rows"]["received"] == [3001, 53, 0, 0, 61, 4, 3119]


def test_scanned_pdf_has_no_text_and_says_why() -> None:
    result = attachment_text(SCANNED_PDF, content_type=PDF_TYPE, url="http://x/scan.pdf")
    assert (result.text, result.kind, result.pages) == ("", "pdf", 1)
    assert (result.reason, result.corrupt) == (REASON_SCANNED, False)


def test_pdf_locked_by_a_user_password_is_not_read() -> None:
    result = attachment_text(ENCRYPTED_PDF, content_type=PDF_TYPE, url="http://x/a.pdf")
    assert (result.text, result.kind, result.reason, result.corrupt) == ("", "pdf", REASON_ENCRYPTED, False)


def test_pdf_with_only_an_owner_password_is_read() -> None:
    """Portals often lock printing or copying with an owner password; the text opens without one."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=pdfencrypt.StandardEncryption("", ownerPassword="o", canCopy=0))
    pdf.drawString(72, 720, "Annual report 2024: 17 requests")
    pdf.showPage()
    pdf.save()
    result = attachment_text(buffer.getvalue(), content_type=PDF_TYPE, url="http://x/a.pdf")
    assert (result.text, result.reason) == ("Annual report 2024: 17 requests", None)


@pytest.mark.parametrize("cut", [0.5, 0.98], ids=["half", "tail-lost"])
def test_truncated_pdf_is_corrupt_with_a_reason(cut: float) -> None:
    body = HUAIAN_PDF[: int(len(HUAIAN_PDF) * cut)]
    result = attachment_text(body, content_type=PDF_TYPE, url="http://x/a.pdf")
    assert (result.text, result.kind, result.corrupt) == ("", "pdf", True)
    assert "PDF" in (result.reason or "")


def test_page_cap_and_time_limit_refuse_instead_of_reading() -> None:
    capped = attachment_text(HUAIAN_PDF, content_type=PDF_TYPE, url="u", max_pages=5)
    assert (capped.text, capped.pages, capped.corrupt) == ("", 6, False)
    assert capped.reason == "too many pages for an annual report (6 > 5)"
    late = attachment_text(HUAIAN_PDF, content_type=PDF_TYPE, url="u", time_limit=-1)
    assert late.text == ""
    assert "(0 of 6 pages read)" in (late.reason or "")


# ------------------------------------------------------------------------------------------ DOCX


def test_docx_with_merged_cells_parses_to_the_golden_case_numbers() -> None:
    result = attachment_text(HONGZE_DOCX, content_type=DOCX_TYPE, url="http://x/a")
    assert (result.kind, result.reason, result.corrupt) == ("docx", None, False)
    report = report_json(parse_report(result.text))
    assert _numbers(report) == _numbers(_expected("js-hongze-2024"))
    assert report["tables"]["requests"]["rows"]["received"] == [95, 0, 0, 0, 0, 0, 95]


def _word_table() -> bytes:
    document = docx.Document()
    document.add_paragraph("  年度报告\t2024  ")
    table = document.add_table(rows=3, cols=4)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "三、办理结果"  # rowspan 2
    table.cell(0, 1).merge(table.cell(0, 3)).text = "申请人情况"  # colspan 3
    table.cell(1, 1).text = "商业"
    table.cell(1, 1).add_paragraph("企业")  # two paragraphs in one cell join with nothing
    table.cell(1, 2).text = "a|b"
    table.cell(2, 0).text = "合计"
    table.cell(2, 1).text = "3"
    table.cell(2, 3).text = "0"  # (2, 2) stays blank: a blank is a fact
    document.add_paragraph("结尾")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_tables_read_as_htmlgrid_reads_the_same_html_table() -> None:
    html = (
        "<p>年度报告 2024</p><table>"
        '<tr><td rowspan="2">三、办理结果</td><td colspan="3">申请人情况</td></tr>'
        "<tr><td>商业<br>企业</td><td>a|b</td><td></td></tr>"
        "<tr><td>合计</td><td>3</td><td></td><td>0</td></tr></table><p>结尾</p>"
    )
    result = attachment_text(_word_table(), content_type=None, url="http://x/report.docx")
    assert result.text == html_to_text(html)
    assert result.text.splitlines()[1:3] == [
        "三、办理结果 | 申请人情况 | 申请人情况 | 申请人情况 |",
        "三、办理结果 | 商业企业 | a｜b |  |",
    ]


def test_docx_table_holding_a_table_is_layout() -> None:
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "正文"
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "总计"
    inner.cell(0, 1).text = "7"
    buffer = io.BytesIO()
    document.save(buffer)
    result = attachment_text(buffer.getvalue(), content_type=DOCX_TYPE, url="u")
    assert result.text.splitlines() == ["正文", "总计 | 7 |"]


def test_truncated_docx_is_corrupt() -> None:
    result = attachment_text(HONGZE_DOCX[:2000], content_type=DOCX_TYPE, url="http://x/a.docx")
    assert (result.text, result.kind, result.corrupt) == ("", "docx", True)
    assert "DOCX" in (result.reason or "")


# ------------------------------------------------------------------------------ other formats


@pytest.mark.parametrize(
    ("body", "content_type", "url"),
    [
        (OLE2_DOC, "application/msword", "http://x/a.doc"),
        (OLE2_DOC, None, "http://x/a.wps"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png", "http://x/scan.png"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 64, None, "http://x/scan"),
    ],
    ids=["doc", "wps", "png", "jpeg"],
)
def test_other_formats_are_unsupported_not_corrupt(body: bytes, content_type: str | None, url: str) -> None:
    result = attachment_text(body, content_type=content_type, url=url)
    assert (result.text, result.kind, result.corrupt) == ("", None, False)
    assert (result.reason or "").startswith(REASON_UNSUPPORTED)


def test_zip_that_is_not_word_is_unsupported() -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    result = attachment_text(buffer.getvalue(), content_type=None, url="http://x/a.xlsx")
    assert (result.kind, result.corrupt) == (None, False)
    assert (result.reason or "").startswith(REASON_UNSUPPORTED)


def test_body_that_is_not_what_the_server_claims_is_corrupt() -> None:
    """An HTML error page served as application/pdf is a bad download, worth fetching again."""
    result = attachment_text(b"<html>502</html>", content_type=PDF_TYPE, url="http://x/a.pdf")
    assert (result.kind, result.corrupt) == ("pdf", True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]),
    body=st.binary(max_size=2048),
    content_type=st.sampled_from([None, PDF_TYPE, DOCX_TYPE, "application/octet-stream"]),
)
def test_random_bytes_never_raise(prefix: bytes, body: bytes, content_type: str | None) -> None:
    result = attachment_text(prefix + body, content_type=content_type, url="http://x/a.pdf")
    assert result.text == "" or result.kind in ("pdf", "docx")
    assert result.text or result.reason


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    source=st.sampled_from([HUAIAN_PDF, HONGZE_DOCX]),
    edits=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.binary(min_size=1, max_size=8)), max_size=4
    ),
)
def test_damaged_real_files_never_raise(source: bytes, edits: list[tuple[float, bytes]]) -> None:
    body = bytearray(source)
    for where, junk in edits:
        at = int(where * len(body))
        body[at : at + len(junk)] = junk
    result = attachment_text(bytes(body), content_type=None, url="http://x/a")
    assert result.text or result.reason


# --------------------------------------------------------------------------------- the pipeline


def _ascii_pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


TITLE = "淮安市人民政府2024年政府信息公开工作年度报告"
FILES = {
    "/ndbg/2020/notice.pdf": (PDF_TYPE, _ascii_pdf("This report is being revised.")),
    "/ndbg/2024/report.pdf": (PDF_TYPE, HUAIAN_PDF),
    "/ndbg/2023/scan.pdf": (PDF_TYPE, SCANNED_PDF),
    "/ndbg/2022/cut.pdf": (PDF_TYPE, HUAIAN_PDF[: len(HUAIAN_PDF) // 2]),
    "/ndbg/2021/report.doc": ("application/msword", OLE2_DOC),
}
LISTING = (
    '<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body><ul class="list">'
    + "".join(
        f'<li><a href=".{path[5:]}" title="{title}">{title}</a><span>{year}-01-20</span></li>'
        for path, (title, year) in zip(
            FILES,
            [*((TITLE.replace("2024", str(y)), y + 1) for y in (2020, 2024, 2023, 2022, 2021))],
            strict=True,
        )
    )
    + "</ul></body></html>"
).encode()


@pytest.fixture
def portal() -> Iterator[str]:
    """A loopback portal whose listing links straight to attachment files; yields the seed URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/ndbg/index.html":
                self._send(200, "text/html; charset=utf-8", LISTING)
            elif self.path in FILES:
                self._send(200, *FILES[self.path])
            else:
                self._send(404, "text/plain", b"")

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/ndbg/index.html"
    server.shutdown()
    server.server_close()


def test_harvest_loads_a_pdf_report_and_sorts_the_rest(portal: str, tmp_path: Path) -> None:
    store, archive = Store(f"sqlite:///{tmp_path / 'gxbg.sqlite'}"), RawArchive(tmp_path / "raw")
    store.migrate()
    policy = FetchPolicy(allow_private=True, delay=0.0, jitter=0.0, retries=0)
    [outcome] = harvest_locally(
        [{"name": "pdfs", "seed_url": portal}],
        archive=archive,
        sink=store,
        run_id=store.start_run("t", {}),
        policy=policy,
    )
    by_year = {r.year: r for r in outcome.reports}
    assert (by_year[2024].status, by_year[2024].format) == ("loaded", "2021")
    assert (by_year[2023].status, by_year[2023].reason) == ("skipped", f"attachment: {REASON_SCANNED}")
    assert by_year[2021].status == "skipped"
    assert REASON_UNSUPPORTED in (by_year[2021].reason or "")
    assert (by_year[2022].status, by_year[2020].status) == ("failed", "failed")
    failures = {f["url"].rsplit("/ndbg/", 1)[1]: f["stage"] for f in store.open_failures("pdfs")}
    assert failures == {"2022/cut.pdf": "clean", "2020/notice.pdf": "parse"}

    out = tmp_path / "reports.jsonl"
    assert store.export("jsonl", out, "reports") == 1
    [loaded] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert _numbers(loaded) == _numbers(_expected("js-huaian-2024"))


def test_docx_that_inflates_past_the_cap_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    import gxbg.clean.attachments as attachments

    monkeypatch.setattr(attachments, "MAX_DOCX_XML_BYTES", 1000)  # the fixture's text XML is larger
    result = attachment_text(HONGZE_DOCX, content_type=DOCX_TYPE, url="http://x/a.docx")
    assert (result.text, result.kind, result.corrupt) == ("", "docx", False)
    assert (result.reason or "").startswith("document too large")
