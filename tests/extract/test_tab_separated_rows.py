"""表三 and 表四 as rows copied out of a spreadsheet or a Word table: one row per line, cells separated by
tabs, spanned cells repeated (the accuracy corpus's ``tsv`` class).  Every cell's position is printed, so
an empty field between two tabs is a blank cell — not a number, not a 0 — and a row is read by position
wherever it lines up with the header; a row that does not line up is never read by position."""

from __future__ import annotations

import dataclasses
import random

import gxbg
from gxbg.evaluate.corpus import CASES
from gxbg.evaluate.layouts import tsv
from gxbg.evaluate.truth import load_cases
from gxbg.extract.checks.requests import check_request_table
from gxbg.extract.model import Meaning, Status
from gxbg.extract.tables.appeals import parse_appeals
from gxbg.extract.tables.requests import parse_requests, row_keys
from gxbg.extract.text import prepare_lines
from tests.extract.render import GROUPS, RESULTS, ROW_LABELS, T3_HEADER

_NOTE, _APPLICANTS, _NATURAL, _ORG, _TOTAL = T3_HEADER[:5]
_ORGS = T3_HEADER[5:10]
_ROWS = row_keys(split_other=True)
_ZEROS = ("0",) * 7


def _labels(key: str) -> list[str]:
    """The three label cells of a 表三 row, spans repeated."""
    label = ROW_LABELS[key]
    if key in ("received", "carried_in", "carried_out"):
        return [label] * 3
    group = key.split(".")[0]
    if "." in key:
        return [RESULTS, GROUPS[group], label]
    return [RESULTS, label, label]


def _requests_tsv(values: dict[str, tuple[str, ...]], extra: dict[str, str] | None = None) -> str:
    """表三 as tab-separated rows: the 3 header lines (10 fields each), then one line per row;
    ``extra`` replaces a row's line as printed."""
    lines = [
        "\t".join([_NOTE] * 3 + [_APPLICANTS] * 7),
        "\t".join([_NOTE] * 3 + [_NATURAL] + [_ORG] * 5 + [_TOTAL]),
        "\t".join([_NOTE] * 3 + [_NATURAL, *_ORGS, _TOTAL]),
    ]
    for key in _ROWS:
        if extra and key in extra:
            lines.append(extra[key])
        else:
            lines.append("\t".join(_labels(key) + list(values.get(key, _ZEROS))))
    return "\n".join(lines) + "\n"


def _row(text: str, key: str) -> list[tuple[Meaning, object]]:
    table = parse_requests(prepare_lines(text))
    assert table is not None
    cells = [table.get(key, col) for col in table.columns]
    return [(c.meaning, c.value) if c is not None else (Meaning.TEXT, None) for c in cells]


_Z, _N, _B = Meaning.ZERO, Meaning.NUMBER, Meaning.BLANK


def test_an_empty_field_between_two_tabs_is_a_blank_cell() -> None:
    # the row of the brief: 0, blank, 0, 0, 2, 0, 2 — a plain reading of its words finds 6 values
    values = {
        "received": ("2", "0", "0", "0", "0", "0", "2"),
        "disclosed": ("0", "", "0", "0", "2", "0", "2"),
        "withheld.state_secret": ("", "0", "0", "0", "0", "0", ""),  # blanks first and last
        "total": ("0", "", "0", "0", "2", "0", "2"),
    }
    text = _requests_tsv(values)
    assert "\t（一）予以公开\t0\t\t0\t0\t2\t0\t2\n" in text.replace("(", "（").replace(")", "）")
    assert _row(text, "disclosed") == [(_Z, 0), (_B, None), (_Z, 0), (_Z, 0), (_N, 2), (_Z, 0), (_N, 2)]
    assert _row(text, "withheld.state_secret") == [(_B, None), *[(_Z, 0)] * 5, (_B, None)]
    table = parse_requests(prepare_lines(text))
    assert table is not None
    status = {(c[0], c[1]): c[5] for c in check_request_table(table)}
    assert status[("T3-ROW", "disclosed")] is Status.UNCERTAIN  # a blank is no 0
    assert status[("T3-ROW", "received")] is Status.PASS


def test_a_tab_row_that_does_not_line_up_with_the_header_is_not_read_by_position() -> None:
    # 11 fields where the header has 10 (a tab that is spacing, or a cell too many): which field is
    # extra is not printed, so no position is trusted and no number is guessed
    labels = "\t".join(_labels("disclosed"))
    shifted = labels + "\t0\t\t\t0\t0\t2\t0\t2"
    text = _requests_tsv({}, {"disclosed": shifted})
    assert all(value is None for _, value in _row(text, "disclosed"))
    # the rows that line up are still read
    assert _row(text, "partly_disclosed") == [(_Z, 0)] * 7


_APPEAL_WORDS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
_APPEALS_HEADER = [
    "\t".join(["行政复议"] * 5 + ["行政诉讼"] * 10),
    "\t".join([*_APPEAL_WORDS, *["未经复议直接起诉"] * 5, *["复议后起诉"] * 5]),
    "\t".join(_APPEAL_WORDS * 3),
]


def test_appeals_row_with_blank_fields_first_and_last_is_read_by_position() -> None:
    data = "\t7\t1\t448\t456\t2\t\t\t0\t2\t\t0\t0\t0\t"
    table = parse_appeals(prepare_lines("\n".join([*_APPEALS_HEADER, data])))
    assert table is not None
    assert table.method == "grid"
    got = [c.raw if c is not None else None for group in table.grid for c in group]
    assert got == ["", "7", "1", "448", "456", "2", "", "", "0", "2", "", "0", "0", "0", ""]
    first = table.get("review", "upheld")
    assert first is not None
    assert (first.meaning, first.value) == (Meaning.BLANK, None)


def test_an_appeals_tab_row_wider_than_its_header_is_not_read_by_position() -> None:
    data = "10\t1\t\t0\t\t\t64\t12\t12\t1\t89\t110\t30\t1\t2\t138"  # 16 fields under 15 columns
    table = parse_appeals(prepare_lines("\n".join([*_APPEALS_HEADER, data])))
    assert table is not None
    assert table.method != "grid"
    # the words alone (13 values, the blanks lost) add up no way either: nothing is read
    assert all(c is not None and c.value is None for group in table.grid for c in group)


def test_a_whole_tab_separated_report_reads_its_blank_cells_as_blank() -> None:
    # js-hongze-2023 (2021 form, one （六） row) written as the ``tsv`` layout writes it, with the row of
    # the brief and a 表四 opening and closing with blank cells: parse_report reads every printed cell
    spec = next(s for s in load_cases(CASES) if s.case_id == "js-hongze-2023")
    requests = dict(spec.requests)
    requests["disclosed"] = ("0", None, "0", "0", "2", "0", "2")
    appeals = (None, "7", "1", "448", "456", "2", None, None, "0", "2", None, "0", "0", "0", None)
    spec = dataclasses.replace(spec, requests=requests, appeals=appeals)
    text, _ = tsv(spec, random.Random(0))
    assert "\t0\t\t0\t0\t2\t0\t2\n" in text
    report = gxbg.parse_report(text)
    assert report.requests is not None
    assert report.appeals is not None
    row = [report.requests.get("disclosed", col) for col in report.requests.columns]
    assert [c.raw if c is not None else None for c in row] == ["0", "", "0", "0", "2", "0", "2"]
    got = [c.raw if c is not None else None for group in report.appeals.grid for c in group]
    assert got == [v or "" for v in appeals]
    status = {(c.rule, c.scope): c.status for c in gxbg.validate(report)}
    assert status[("T3-ROW", "disclosed")] is Status.UNCERTAIN
    assert status[("T4-SUM", "litigation_direct")] is Status.UNCERTAIN
