"""Issue 11, part 1 and 2, focused: normalisation never creates or merges digits, and hostile text is
read in bounded work.  Each test holds the input that broke the promise."""

from __future__ import annotations

import resource
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

import gxbg
from gxbg.extract.htmlgrid import html_to_text
from gxbg.extract.layouts import tokenize
from gxbg.extract.model import Layout, Meaning
from gxbg.extract.text import COMPAT_DIGIT_RANGES, is_value_text, normalize, parse_cell, prepare_lines

CASES = Path(__file__).resolve().parents[1] / "cases"
HONGZE = (CASES / "js-hongze-2024" / "clean.txt").read_text("utf-8")


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("95¹", "count"),  # a footnote mark: NFKC made it 951
        ("9¹5", "count"),
        ("⒈5", "amount"),
        ("𝟏𝟐", "count"),  # mathematical digits
        ("٣", "count"),  # Arabic-Indic: \d and int() read it
        ("1२", "count"),
        ("1 2", "count"),  # two cells joined by a space
        ("3168.06\t56", "amount"),  # a DOCX tab inside a number
        ("230\x0c.64565万元", "amount"),
        ("9" * 5000, "count"),  # ValueError from Python's int-string limit
        ("9" * 19, "count"),
    ],
)
def test_cells_that_are_no_printed_number_are_text(raw: str, kind: str) -> None:
    reading = parse_cell(raw, kind=kind)
    assert (reading.meaning, reading.value) == (Meaning.TEXT, None)


def test_compat_digit_ranges_are_every_character_nfkc_turns_into_digits() -> None:
    computed = {
        ch
        for ch in map(chr, range(0xA0, 0x110000))
        if not 0xFF10 <= ord(ch) <= 0xFF19  # fullwidth digits: digits
        and not 0x2460 <= ord(ch) <= 0x2487  # ①-⑳ ⑴-⒇: list numbering, written (n)
        and (n := unicodedata.normalize("NFKC", ch)) != ch
        and any("0" <= c <= "9" for c in n)
    }
    assert {chr(c) for lo, hi in COMPAT_DIGIT_RANGES for c in range(lo, hi + 1)} == computed


def test_fullwidth_digits_and_long_counts_within_bounds_still_read() -> None:
    assert parse_cell("１２").value == 12
    assert parse_cell("9" * 18).value == int("9" * 18)
    assert parse_cell("1,204").value == 1204


def test_normalisation_keeps_compatibility_digits_as_printed() -> None:
    assert normalize("95¹ ⒈ ㉑ ₂") == "95¹ ⒈ ㉑ ₂"
    assert [t for _, t in prepare_lines("申请数量 95¹ 0\n①申请")] == ["申请数量 95¹ 0", "(1)申请"]
    assert is_value_text("95¹")  # holds a value's place in a row, read as text


def test_a_footnote_mark_empties_one_cell_not_the_row() -> None:
    text = HONGZE.replace("申请数量 95 0 0 0 0 0 95", "申请数量 95¹ 0 0 0 0 0 95")
    report = gxbg.parse_report(text)
    assert report.requests is not None
    cells = report.requests.grid[report.requests.rows.index("received")]
    assert [c.value for c in cells if c is not None] == [None, 0, 0, 0, 0, 0, 95]
    checks = {(c.rule, c.scope): c.status.value for c in gxbg.validate(report)}
    assert checks[("T3-BAL", "natural_person")] == "UNCERTAIN"


def _quotes(text: str) -> list[tuple[str, int]]:
    return [(f.key, f.value) for f in gxbg.parse_report(text).narrative]


def test_prose_never_quotes_two_numbers_as_one() -> None:
    assert ("received", 17) in _quotes(HONGZE)
    spaced = HONGZE.replace("信息公开申请 17 件", "信息公开申请 17 17 件")
    assert all(v != 1717 for _, v in _quotes(spaced))
    wrapped = HONGZE.replace("信息公开申请 17 件", "信息公开申请 1\n7 件")
    assert all(v not in (17, 7) for k, v in _quotes(wrapped) if k == "received")
    blank = HONGZE.replace("信息公开申请 17 件", "信息公开申请 1\n\n7 件")  # a blank line between
    assert all(v not in (17, 7) for k, v in _quotes(blank) if k == "received")
    comma = HONGZE.replace("信息公开申请 17 件", "信息公开申请 1,017 件")  # never the 017 of 1,017
    assert all(v not in (17, 1017) for k, v in _quotes(comma) if k == "received")
    tabbed = HONGZE.replace("信息公开申请 17 件", "信息公开申请 1\t7 件")
    assert all(v != 17 for k, v in _quotes(tabbed) if k == "received")


def test_a_year_is_a_whole_number() -> None:
    title = "某局2017年政府信息公开工作年度报告"
    assert gxbg.parse_report(HONGZE.replace("2024", "2017", 1)).year == 2017
    for broken in (
        title.replace("2017", "20\t17"),
        title.replace("2017", "22017"),
        title.replace("2017", "٢٠١٧"),
        title.replace("2017", "0020"),  # no year of ours
    ):
        report = gxbg.parse_report(HONGZE.replace(HONGZE.split("\n", 1)[0], broken, 1))
        assert report.year in (None, 2024), broken  # 2024: read from the statistics period, printed


def test_pipe_cell_value_that_lost_its_bar_is_its_own_cell() -> None:
    tokens = tokenize(prepare_lines("规章 |\n0 |\n1\n2 |\n本年新\n制作数量 |"), Layout.PIPE_CELL)
    assert [(t, line) for t, line, _ in tokens] == [
        ("规章", 1),
        ("0", 2),
        ("1", 3),
        ("2", 4),
        ("本年新制作数量", 6),
    ]


def test_pipe_cell_number_wrapped_at_its_point_is_not_joined() -> None:
    tokens = tokenize(prepare_lines("政府集中采购 |\n7 |\n3168.\n0656(万元) |"), Layout.PIPE_CELL)
    assert [t for t, _, _ in tokens] == ["政府集中采购", "7", "3168.", "0656(万元)"]
    tokens = tokenize(prepare_lines("7 |\n3168.0656\n(万元) |\n本年\n新收 |"), Layout.PIPE_CELL)
    assert [(t, line) for t, line, _ in tokens] == [("7", 1), ("3168.0656(万元)", 2), ("本年新收", 5)]


def test_tabbed_cell_continued_by_a_number_is_not_fused() -> None:
    tokens = tokenize(prepare_lines("\t1\n2\n\n\t\n7\n\n\t3168.\n0656"), Layout.TABBED)
    assert [(t, line) for t, line, _ in tokens] == [("1 2", 1), ("7", 5), ("3168. 0656", 7)]
    assert parse_cell("3168. 0656", kind="amount").value is None
    tokens = tokenize(prepare_lines("\t采购总金额\n(万元)\n\n\t总额\n3168.0656"), Layout.TABBED)
    assert [(t, line) for t, line, _ in tokens] == [("采购总金额(万元)", 1), ("总额3168.0656", 5)]


def test_html_sup_sub_are_marks_and_paragraphs_in_a_cell_stay_apart() -> None:
    html = "<table><tr><td>a</td><td><span>3001</span><sup>1</sup></td><td><p>1</p><p>2</p></td></tr></table>"
    assert html_to_text(html) == "a | 3001¹ | 1 2 |"
    assert html_to_text("<p>H<sub>2</sub>O 第<sup>３</sup></p>") == "H₂O 第³"


def test_span_bomb_is_read_as_layout_within_the_caps() -> None:
    cell = "<td rowspan=100000 colspan=1000000>" + "申" * 1000 + "</td>"
    html = "<table><tr>" + cell + "</tr>" + "<tr></tr>" * 999 + "</table>"
    text = html_to_text(html)
    assert text == "申" * 1000
    ok = "<table><tr><td rowspan=3 colspan=2>x</td><td>1</td></tr><tr><td>2</td></tr><tr><td>3</td></tr>"
    assert html_to_text(ok) == "x | x | 1 |\nx | x | 2 |\nx | x | 3 |"


def long_glued_run(digits: int) -> str:
    """The 100,000-input run's find (``5.要求行政机关`` + 19,986 nines + words) with ``digits`` nines."""
    text = (CASES.parent / "fuzz" / "found" / "long-digit-run-after-a-label.txt").read_text("utf-8")
    run = "5.要求行政机关" + "9" * 19986 + "确认"
    assert run in text
    return text.replace(run, "5.要求行政机关" + "9" * digits + "确认", 1)


def _cpu_limit() -> None:  # in the child: a safety net against quadratic scans, not a speed test
    resource.setrlimit(resource.RLIMIT_CPU, (30, 30))
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.parametrize(
    "expr",
    [
        # a 64 KB line of zeros in the overview (20 s at 32 KB before), a 20,000-digit run in prose
        "gxbg.parse_report(HONGZE.replace('\\n', '\\n' + '0 ' * 32000 + '共\\n', 12))",
        "gxbg.parse_report(HONGZE.replace('申请 17 件', '申请 ' + '9' * 40000 + ' 件'))",
        # 40,000 unclosed comments, tags, end tags with junk; a tag with 200,000 attributes
        "gxbg.parse_html('<p>2023年政府信息公开工作年度报告</p>' + '<!--' * 40000)",
        "html_to_text('<a ' * 60000 + 'x')",
        "html_to_text('</a ' * 60000 + '>' + '</a/' * 60000 + '>')",
        "html_to_text('<table><tr><td' + ' a=\"b\"' * 200000 + '>1</td></tr></table>')",
        # a 表三 label, a 200,000-digit run and a word: the glued-row scan backtracked over the run
        # (quadratic: 2.6 s at 20,000 digits, the 100,000-input run's find, so ~260 s here)
        "gxbg.parse_report(long_glued_run(200_000))",
    ],
)
def test_hostile_input_finishes(expr: str) -> None:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import gxbg\n"
        "from gxbg.extract.htmlgrid import html_to_text\n"
        "from tests.extract.test_hostile_digits import HONGZE, long_glued_run\n"
        f"try:\n    {expr}\nexcept gxbg.ParseError:\n    pass\n"
    )
    root = str(Path(__file__).resolve().parents[2])
    proc = subprocess.run(
        [sys.executable, "-c", code, root], preexec_fn=_cpu_limit, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr[-1500:]
