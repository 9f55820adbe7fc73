"""The speed paths of the core agree with the plain rules they replace (issue 3: no output change).

Each fast path is checked against a straightforward reference on random text made of the characters
that matter (every kind of space, bookmarks, page numbers, fullwidth forms, circled numerals, pipes).
"""

from __future__ import annotations

import unicodedata
from dataclasses import fields
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gxbg
from gxbg.extract import narrative, vocab
from gxbg.extract.checks import requests as checks_requests
from gxbg.extract.layouts import detect_layout, tokenize
from gxbg.extract.layouts.tokens import _MULTI_FIELD, _fields
from gxbg.extract.model import Cell, Layout, Meaning, Status, TableKey, new_cell
from gxbg.extract.narrative import _required_literal
from gxbg.extract.sections import _body_text, split_sections
from gxbg.extract.tables import requests as tables_requests
from gxbg.extract.tables._runs import find_runs
from gxbg.extract.text import (
    _CIRCLED,
    _CIRCLED_RE,
    _prepare_line_by_line,
    compact,
    has_odd_space,
    join_lines,
    normalize,
    prepare_lines,
    prepare_lines_nfkc,
)
from tests.extract.render import LAYOUTS, render

PIECES = st.sampled_from(
    [" ", "  ", "\t", "\n", "\r", "\r\n", "\u3000", "\xa0", "\x0b", "\x85", "\u2028", "\u2003", "\u200b",
     "[bookmark: _Toc1]", "[bookmark: a\nb]", "- 4 -", "第 3 页", "第3页 共9页", "①", "⑳", "（一）",
     "\uff11\uff12", "…", "e\u0301", "\u0301", "ﬁ", "Ⅳ", "|", " | ", "||", "|---|", "0", "/", "无",
     "申请", "a",
     "一、总体情况"]
)  # fmt: skip
TEXTS = st.lists(PIECES, max_size=40).map("".join)
CASES = Path(__file__).resolve().parents[1] / "cases"


def _nfkc_reference(text: str) -> str:
    text = _CIRCLED_RE.sub(lambda m: _CIRCLED[m.group()], text)
    return unicodedata.normalize("NFKC", text.replace("\r\n", "\n").replace("\r", "\n"))


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_prepare_lines_equals_the_line_by_line_rules(text: str) -> None:
    assert prepare_lines(text) == _prepare_line_by_line(_nfkc_reference(text))


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_lines_prepare_lines_nfkc_calls_nfkc_are_nfkc(text: str) -> None:
    lines, nfkc = prepare_lines_nfkc(text)
    assert lines == prepare_lines(text)
    if nfkc:
        assert all(unicodedata.is_normalized("NFKC", content) for _, content in lines)


HEADINGS = st.sampled_from(
    ["\n一、总体情况\n", "\n二、主动公开政府信息情况\n", "\n三、收到和处理政府信息公开申请情况 ",
     "\n四、政府信息公开行政复议、行政诉讼情况\n", "\n五、存在的主要问题及改进情况",
     "六、其他需要报告的事项\n",
     "\n 三、依申请公开情况" + "很长的标题" * 8 + "\n"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, HEADINGS), max_size=40).map("".join))
def test_section_spans_carry_their_joined_text_and_nfkc(text: str) -> None:
    for nfkc_known in (False, True):
        lines, nfkc = prepare_lines_nfkc(text)
        for span in split_sections(lines, nfkc=nfkc and nfkc_known):
            assert span.source == join_lines(span.lines)
            assert span.nfkc == unicodedata.is_normalized("NFKC", span.source)
            assert span.section.text == _body_text(span.lines)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_section_body_text_equals_normalising_each_line(text: str) -> None:
    body = prepare_lines(text)
    assert _body_text(body) == "\n".join(normalize(text) for _, text in body).strip("\n")


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join).map(lambda t: t.replace("\n", " ")))
def test_multi_field_pattern_counts_two_non_blank_fields(line: str) -> None:
    assert (_MULTI_FIELD.match(line) is not None) == (sum(1 for f in _fields(line) if f) >= 2)


def test_new_cell_is_the_dataclass_constructor() -> None:
    args = (TableKey.PROACTIVE, "fees", "amount_10k_yuan", "3.5万元", Meaning.NUMBER, 35, "万元", 12)
    made = new_cell(*args)
    expected = Cell(
        table=TableKey.PROACTIVE,
        row="fees",
        col="amount_10k_yuan",
        raw="3.5万元",
        meaning=Meaning.NUMBER,
        value=35,
        unit="万元",
        line=12,
    )
    assert made == expected
    assert [getattr(made, f.name) for f in fields(Cell)] == list(args)
    assert hash(made) == hash(expected)


def test_tables_build_their_cells_from_the_compact_rows_once() -> None:
    report = gxbg.parse_report((CASES / "cq-nanbin-2024" / "clean.txt").read_text(encoding="utf-8"))
    t = report.requests
    assert t is not None
    assert report.proactive is not None
    assert report.appeals is not None
    assert t.grid is t.grid  # built once, then kept
    for row_key, cells, rows in zip(t.rows, t.grid, t.grid_rows, strict=True):
        for cell, row in zip(cells, rows, strict=True):
            assert (cell is None) == (row is None)
            if cell is not None and row is not None:
                assert cell.row == row_key
                assert [getattr(cell, f.name) for f in fields(Cell)] == list(row)
    assert [[new_cell(*r) for r in row] for row in report.appeals.grid_rows] == [
        list(row) for row in report.appeals.grid
    ]
    assert list(report.proactive.cells) == [new_cell(*r) for r in report.proactive.cell_rows]


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if (p / "clean.txt").is_file()))
def test_validate_and_report_to_dict_report_the_same_checks(case: str) -> None:
    report = gxbg.parse_report((CASES / case / "clean.txt").read_text(encoding="utf-8"))
    results = gxbg.extract.validate(report)
    assert all(isinstance(r, gxbg.CheckResult) for r in results)
    dicts = gxbg.report_to_dict(report, results)["checks"]

    def plain(v: object) -> object:
        return format(v, "f") if isinstance(v, Decimal) else v

    got = [
        (r.rule, r.scope, str(r.status), plain(r.left), plain(r.right), list(r.cells), r.note)
        for r in results
    ]
    assert got == [
        (d["rule"], d["scope"], d["status"], d["left"], d["right"], d["cells"], d["note"]) for d in dicts
    ]


NARRATIVE_PATTERNS = sorted(
    {
        p
        for ps in (*vocab.NARRATIVE.values(), *vocab.HEADLINE.values(), *vocab.HEADLINE_NONE.values())
        for p in ps
    }
)


@pytest.mark.parametrize("pattern", NARRATIVE_PATTERNS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_match_of_a_figure_pattern_holds_its_required_literal(
    pattern: str, data: st.DataObject
) -> None:
    """read_narrative/read_headline skip a pattern on a text without its literal: no match may lack it."""
    match = data.draw(st.from_regex(pattern, fullmatch=True))
    assert _required_literal(pattern) in match


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_prepared_lines_hold_no_space_but_single_spaces_and_tabs(text: str) -> None:
    """What sections._body_text relies on: the only space characters of prepared lines are single plain
    spaces and tabs."""
    joined = "\n".join(text for _, text in prepare_lines(text))
    assert not has_odd_space(joined)
    assert "  " not in joined


def test_a_bookmark_between_a_letter_and_its_accent_is_normalised_in_sections_and_narrative() -> None:
    """Removing ``[bookmark: …]`` can leave a non-NFKC line (e + U+0301): the slow paths still apply."""
    text = "一、总体情况\ne[bookmark: x]\u0301 收到申请3件\n三、收到和处理政府信息公开申请情况\n无"
    body = prepare_lines(text)[1:2]
    assert not unicodedata.is_normalized("NFKC", body[0][1])
    assert _body_text(body) == normalize(body[0][1]) == "\u00e9 收到申请3件"
    (figure,) = gxbg.parse_report(text).narrative
    assert (figure.key, figure.value, figure.line) == ("received", 3, 2)


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if (p / "clean.txt").is_file()))
def test_the_all_counts_table_checks_equal_the_general_ones(case: str) -> None:
    table = gxbg.parse_report((CASES / case / "clean.txt").read_text(encoding="utf-8")).requests
    assert table is not None
    states = checks_requests._states(table)
    flat = [value for row in table.rows for value in states[row]]
    assert set(map(type, flat)) == {int}  # every golden 表三 prints all its cells
    fast = checks_requests._all_counts(table, states, flat)
    assert fast == checks_requests._general(table, states, flat)
    assert {c[5] for c in fast} >= {Status.PASS}


def _narrative_texts() -> list[str]:
    """Every golden case's prose, compacted as read_narrative reads it, and the same with rotated digits."""
    texts = [
        "".join(compact(line) for line in (p / "clean.txt").read_text(encoding="utf-8").splitlines())
        for p in sorted(CASES.iterdir())
        if (p / "clean.txt").is_file()
    ]
    return texts + [t.translate(str.maketrans("0123456789", "1234567890")) for t in texts]


NARRATIVE_TEXTS = _narrative_texts()
LITERAL_PIECES = st.sampled_from(
    sorted(
        {lit for _, _, _, starts in narrative._PATTERNS for lit in starts}
        | {"件", "起", "条", "共", "1", "23", "，"}
    )
)


@pytest.mark.parametrize("index", range(len(narrative._PATTERNS)))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_narrative_scan_from_leading_literals_equals_finditer(index: int, data: st.DataObject) -> None:
    """read_narrative tries a pattern only where one of its leading literals occurs: the same matches,
    on the golden prose and on texts mixing the pattern's own matches with its literals (overlaps)."""
    _, pattern, _, starts = narrative._PATTERNS[index]
    pieces = st.one_of(LITERAL_PIECES, st.from_regex(pattern.pattern, fullmatch=True))
    drawn = "".join(data.draw(st.lists(pieces, max_size=12)))
    for text in (*NARRATIVE_TEXTS, drawn):
        fast = [(m.span(), m.groups()) for m in narrative._finditer(pattern, starts, text)]
        assert fast == [(m.span(), m.groups()) for m in pattern.finditer(text)]


def test_some_narrative_patterns_take_the_leading_literal_path() -> None:
    assert sum(1 for *_, starts in narrative._PATTERNS if starts) >= 2


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if (p / "clean.txt").is_file()))
@pytest.mark.parametrize("layout", [lay for lay in LAYOUTS if lay != "html"])
def test_requests_run_flags_from_token_codes_equal_the_default_flags(case: str, layout: str) -> None:
    """parse_requests hands find_runs value flags derived from its cached token codes: the same runs."""
    report = gxbg.parse_report((CASES / case / "clean.txt").read_text(encoding="utf-8"))
    text = render(report, layout)
    lines = next(s.lines for s in split_sections(prepare_lines(text)) if s.section.key.value == "requests")
    kind = detect_layout(lines)
    tokens = tokenize(lines, kind)
    codes = bytes([tables_requests._token_code(t[0]) for t in tokens])
    flags = codes.translate(
        tables_requests._FLAGS_PLAIN if kind is Layout.PLAIN else tables_requests._FLAGS_GRID
    )
    for width in (7, 8):
        assert find_runs(tokens, kind, width, flags) == find_runs(tokens, kind, width)
