"""Issue 11 in the cleaner: superscript runs and multi-paragraph cells of a DOCX never fuse digits, a
``<sup>`` in a page never does either, and a long run of digits does not stall the leak stripping."""

from __future__ import annotations

import io
import resource
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

import gxbg
from gxbg.clean import clean_page
from gxbg.clean.attachments import attachment_text
from gxbg.clean.lines import strip_leaks
from tests.extract.render import render

ATTACK = Path(__file__).resolve().parents[1] / "cases-attack"
CASES = Path(__file__).resolve().parents[1] / "cases"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("收到申请")
    para = document.add_paragraph()
    para.add_run("申请数量 3001")
    para.add_run("1").font.superscript = True
    para.add_run(" 件，H")
    para.add_run("2").font.subscript = True
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).text = "规章"
    cell = table.cell(0, 1)
    cell.paragraphs[0].add_run("1")
    cell.add_paragraph("")
    cell.add_paragraph("2").alignment = WD_ALIGN_PARAGRAPH.CENTER
    table.cell(0, 2).paragraphs[0].add_run("95")
    table.cell(0, 2).paragraphs[0].add_run("¹")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_superscript_runs_and_cell_paragraphs_never_fuse_digits() -> None:
    result = attachment_text(_docx_bytes(), content_type=DOCX_TYPE, url="http://x/a.docx")
    assert result.text.splitlines() == ["收到申请", "申请数量 3001¹ 件，H₂", "规章 | 1 2 | 95¹ |"]


def test_sup_in_a_page_is_a_mark_not_a_digit() -> None:
    page = (ATTACK / "r03_sup_footnote.html").read_text("utf-8")  # a simulator page, 3001<sup>1</sup>
    page = page.replace(">53</span></p>", ">1</span></p><p>2</p>", 1).replace("统计", "H<sub>2</sub>O统计", 1)
    text = clean_page(page, url="http://x/a.html").text
    assert "| 3001¹ |" in text
    assert "| 1 2 |" in text
    assert "H₂O" in text
    assert "30011" not in text


def _strip_long_line() -> None:  # in a child: 20 s of CPU at most
    resource.setrlimit(resource.RLIMIT_CPU, (20, 20))


def test_leak_stripping_of_a_long_digit_run_finishes() -> None:
    # a safety net, not a speed test: the old pattern took minutes on this line (quadratic)
    line = "统计" + "9" * 50_000 + "件 {a:1}"
    assert strip_leaks(line) == "统计" + "9" * 50_000 + "件"
    code = "from gxbg.clean.lines import strip_leaks; strip_leaks('9' * 200_000 + '{' + ':' * 100_000)"
    proc = subprocess.run([sys.executable, "-c", code], preexec_fn=_strip_long_line, check=False)
    assert proc.returncode == 0


def test_sup_on_the_trafilatura_fallback_path_is_a_mark_too() -> None:
    # a page with no report container (a golden case rendered bare): the cleaner falls back to
    # trafilatura, which flattens tables and would read <sup>12</sup>0 as 120 (found by the fuzzer)
    report = gxbg.parse_report((CASES / "nx-yinchuan-shizheng-2020" / "clean.txt").read_text("utf-8"))
    page = render(report, "html").replace("<td>0</td>", "<td><sup>１２</sup>0</td>", 1)
    assert "<sup>" in page
    text = clean_page(page, url="http://x/a.html").text
    assert "¹²0" in text
    assert "１２0" not in text


def test_stray_text_between_cells_is_never_joined_to_a_cell() -> None:
    # </td>１<td>0</td>: a browser shows the 1 before the table; the trafilatura fallback read 10
    report = gxbg.parse_report((CASES / "nx-yinchuan-shizheng-2020" / "clean.txt").read_text("utf-8"))
    page = render(report, "html").replace("<td>0</td>", "１<td>0</td>", 1)
    text = clean_page(page, url="http://x/a.html").text
    assert "１0" not in text
    assert "10 |" not in text


def test_a_control_character_inside_a_number_is_no_join() -> None:
    page = (ATTACK / "r03_sup_footnote.html").read_text("utf-8").replace(">53<", ">5\x0c3<", 1)
    text = clean_page(page, url="http://x/a.html").text
    assert "| 3001¹ | 5 3 |" in text  # the first 53 of the page, in 表三's first row


@pytest.mark.parametrize(
    ("tag", "printed"),
    [
        ("<o:p></o:p>", "3168.0656"),  # Word's paragraph mark: trafilatura dropped the tail after it
        ("<st1:chsdate>1</st1:chsdate>", "31681.0656"),  # a Word smart tag (namespaced, unknown)
        ("<custom-el></custom-el>", "3168.0656"),
        ("<time>1</time>", "31681.0656"),  # known to trafilatura, which dropped its text
        ("<span></span>", "3168.0656"),
    ],
)
def test_an_inline_tag_inside_a_number_never_cuts_it_on_the_fallback_path(tag: str, printed: str) -> None:
    # a page with no report container goes to trafilatura; an inline tag inside a number reads as a
    # browser shows it (its text joined to its neighbours), never cut at the tag
    report = gxbg.parse_report((CASES / "nx-yinchuan-shizheng-2020" / "clean.txt").read_text("utf-8"))
    page = render(report, "html")
    assert "<td>0</td>" in page
    page = page.replace("<td>0</td>", f"<td>3168{tag}.0656</td>", 1)
    text = clean_page(page, url="http://x/a.html").text
    assert f"| {printed} |" in text


def test_text_in_no_cell_goes_before_its_table_in_document_order() -> None:
    from lxml import html as lxml_html

    from gxbg.clean.page import _foster_stray_text

    doc = lxml_html.document_fromstring(
        "<div><table><tr>1<td>a</td>2<td>b</td></tr>3<tr><td>c<table><tr>4<td>d</td></tr></table></td></tr>"
        "</table></div>"
    )
    _foster_stray_text(doc)
    assert [p.text for p in doc.iter("p")] == ["1", "2", "3", "4"]
    assert [td.text for td in doc.iter("td")] == ["a", "b", "c", "d"]
    assert not any((td.tail or "").strip() for td in doc.iter("td", "tr"))
