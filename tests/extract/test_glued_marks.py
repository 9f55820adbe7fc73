"""A glued 表四 whose run holds marks (extractor 1.7.0).

A text dump runs 表四's cells together and prints nothing for a blank cell; a cell printed as a mark
(``／``, ``/``, ``—``, ``-``, ``——``) stays in the run: ``401289／2132052641051766964300113130``
(js-hongze-2023, glued).  Such a line was not taken for 表四 at all (the table was not found).  It is
now read as the digit-only runs are: a mark is a cell stating no number (0 to T4-SUM), and a cell is
read only when every reading that keeps each group's T4-SUM gives it the same text (a mark, a blank
and a ``0`` apart); when nothing is read, the table is still there, its 15 cells without a value.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import gxbg
from gxbg.extract.model import Meaning
from gxbg.extract.tables._digits import glued_appeals, is_glued_run, pieces
from gxbg.extract.tables._readings import readings
from gxbg.extract.tables.appeals import parse_appeals
from gxbg.extract.tables.decode import decode_appeals

#: 表四's header as a glued dump prints it: its cells run together on one line, ending in 总计
_HEADER = (
    (1, "四、政府信息公开行政复议、行政诉讼情况"),
    (2, "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
     "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"),
)  # fmt: skip
#: js-hongze-2023's 表四 as its glued dump prints it (40 1289 ／ 2 1320 | 5 2 64 105 176 | 69 64 3001 1 3130):
#: 复议's results do not add up to its 总计 in print, so no reading of the run keeps every T4-SUM
_HONGZE = "401289／2132052641051766964300113130"


def _cells(run: str) -> list[list[tuple[str, Meaning, int | None]]]:
    """表四's cells read from ``run`` under the glued header: (text, meaning, value) per cell."""
    table = parse_appeals((*_HEADER, (len(_HEADER) + 1, run)))
    assert table is not None, "表四 not found"
    return [[(c.raw, c.meaning, c.value) for c in group] for group in table.grid]


def test_a_glued_appeals_run_with_marks_is_read_around_them() -> None:
    # 2 ／ 1 0 3 | 5 0 ／ 0 5 | 1 1 0 ／ 2: the marks keep their places, so each group cuts one way
    grid = _cells("2／10350／05110／2")
    assert [[text for text, _, _ in group] for group in grid] == [
        ["2", "／", "1", "0", "3"],
        ["5", "0", "／", "0", "5"],
        ["1", "1", "0", "／", "2"],
    ]
    # a mark states no number: no value, not a 0
    marks = [(meaning, value) for group in grid for text, meaning, value in group if text == "／"]
    assert len(marks) == 3
    assert all(value is None and meaning is not Meaning.TEXT for meaning, value in marks)
    assert grid[0][2] == ("1", Meaning.NUMBER, 1)


def test_a_doubled_dash_may_be_one_cell_or_two_and_is_not_guessed() -> None:
    # 未经复议直接起诉 prints 5——05: 5 — — 0 5, 5 —— _ 0 5, 5 —— 0 _ 5 and _ 5 —— 0 5 all add up, so
    # only its 总计 is read; the groups on either side are decided
    groups, note = decode_appeals("2—1035——05110／2")
    assert groups == (("2", "—", "1", "0", "3"), (None, None, None, None, "5"), ("1", "1", "0", "／", "2"))
    assert "5 — — 0 5" in note
    assert "5 —— _ 0 5" in note
    # (a ``——`` cell spans two characters: a search that let every cell span at most as many
    # characters as the group's 总计 has digits missed the last reading, and read the first 5)
    assert "_ 5 —— 0 5" in note


def test_a_glued_appeals_run_with_a_mark_that_does_not_add_up_is_found_unread() -> None:
    table = parse_appeals((*_HEADER, (3, _HONGZE)))
    assert table is not None
    assert table.method == "decoded"
    assert "no reading adds up" in table.note
    cells = [c for group in table.grid for c in group]
    assert len(cells) == 15
    assert all(c.meaning is Meaning.TEXT and c.value is None and c.line == 3 for c in cells)


def test_a_report_with_that_run_has_its_appeals_checks_uncertain() -> None:
    text = (Path(__file__).resolve().parents[1] / "cases" / "js-hongze-2023" / "clean.txt").read_text(
        encoding="utf-8"
    )
    start, end = text.index("四、政府信息公开行政复议"), text.index("五、存在的主要问题")
    section = "\n".join(line for _, line in _HEADER) + "\n" + _HONGZE + "\n"
    report = gxbg.parse_report(text[:start] + section + text[end:])
    assert report.appeals is not None  # found
    data = gxbg.report_to_dict(report, gxbg.validate(report))
    appeals = [c for c in data["cells"] if c["table"] == "appeals"]
    assert len(appeals) == 15
    assert all(c["value"] is None for c in appeals)
    sums = [k["status"] for k in data["checks"] if k["rule"] == "T4-SUM"]
    assert sums == ["UNCERTAIN"] * 3


def test_what_is_no_glued_appeals_run() -> None:
    assert is_glued_run(_HONGZE)
    assert is_glued_run("—00———0")
    assert not is_glued_run("———————————————")  # a rule, no digit
    assert not is_glued_run("- 12 -")
    assert not is_glued_run("-12-")
    assert not is_glued_run("40 1289 ／ 2")  # separators printed: not glued
    # under the header a short run is 表四; elsewhere only a line of 15 characters or more
    assert glued_appeals(((1, "（见附表）"), (2, "5／0／5"))) is None
    assert glued_appeals((*_HEADER, (3, "5／0／5"))) == ("5／0／5", 3)


def test_a_glued_appeals_run_with_marks_out_of_bounds_reads_nothing() -> None:
    groups, note = decode_appeals("1" * 40 + "／" + "1" * 40)
    assert groups == (None, None, None)
    assert "too many ways" in note


_MARKS = ("／", "/", "—", "-", "——")


@st.composite
def _appeals(draw: st.DrawFn) -> list[str]:
    """15 printed cells of 表四 adding up in each group, some blank or a mark (each counts 0)."""
    cell = st.one_of(st.just(""), st.sampled_from(_MARKS), st.integers(0, 40).map(str))
    cells: list[str] = []
    for _ in range(3):
        results = draw(st.lists(cell, min_size=4, max_size=4))
        total = sum(int(c) for c in results if c.isdigit())
        cells += [*results, draw(st.sampled_from([str(total)] + (["", *_MARKS] if total == 0 else [])))]
    return cells


@settings(max_examples=300, deadline=None)
@given(_appeals())
def test_a_glued_appeals_cell_with_marks_is_read_as_printed_or_not_at_all(cells: list[str]) -> None:
    run = "".join(cells)
    if not is_glued_run(run):
        return
    groups, _ = decode_appeals(run)
    for g, group in enumerate(groups):
        for c, text in enumerate(group or ()):
            if text is not None:
                assert text == cells[g * 5 + c], (run, groups)


def test_a_doubled_dash_cell_is_searched_in_a_glued_request_row() -> None:
    # cq-nanbin-2024 (glued, v7) prints （三）5. as —00———0: _ — 0 0 — —— 0 adds up as well as
    # — 0 0 — — — 0, so neither natural_person nor business is read (a search that let each cell span
    # no more characters than the 总计 has digits missed the ``——`` readings and read — 0 there)
    found = readings(pieces("—00———0"))
    assert found is not None
    assert ("", "—", "0", "0", "—", "——", "0") in found
    assert ("—", "0", "0", "—", "—", "—", "0") in found
    assert {r[0] for r in found} >= {"", "—"}
