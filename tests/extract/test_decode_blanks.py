"""The decoder with vanished blank cells and whole-table readings (issue 10, extractor 1.5.0).

Each input is written from a case of the accuracy corpus that was left empty before (``gxbg eval``:
``glued``, ``plain``, ``pipe_row``); the figures are the cases' own.  A reading is taken only when every
reading consistent with the form's rules gives the same cells; a blank counts 0 to the arithmetic and
stays blank (never read as 0), and a cell whose position is not decided stays without a value.
"""

from __future__ import annotations

from gxbg.extract.model import Meaning
from gxbg.extract.tables._digits import glued_rows, pieces
from gxbg.extract.tables._readings import readings
from gxbg.extract.tables.appeals import parse_appeals
from gxbg.extract.tables.decode import decode_appeals, decode_requests
from gxbg.extract.tables.requests import row_keys, row_label_keys

_HEADER = (
    (1, "行政复议 行政诉讼"),
    (2, "结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉"),
    (3, "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计"),
)


def test_readings_place_vanished_blanks_and_keep_printed_separators() -> None:
    # four values where seven cells belong: three blanks, anywhere but inside a printed value
    found = readings(("2", "0", "0", "2"))
    assert found is not None
    assert len(found) == 20
    assert all(r[-1] == "2" and sum(c != "" for c in r) == 4 for r in found)
    # without blanks these digits cut no way: 12+0+0+0+0+0 is not 1
    assert readings(("12", "0", "0", "0", "0", "0", "1"), blanks=False) == []
    # a mark is one cell, counting 0, printed as it is
    assert readings(("5", "/", "0", "0", "0", "0", "5")) == [("5", "/", "0", "0", "0", "0", "5")]


def test_a_long_glued_row_is_read_with_the_whole_table() -> None:
    """cq-nanbin-2024 v2: 26 glued digits took more steps than the per-row budget allowed, and then
    every other row of the table went unread for want of T3-BAL/T3-SUM."""
    rows = row_keys(split_other=True)
    zero = (0,) * 7
    glued = {
        "received": "42450301730013031130010841",
        "total": "42450301730013031130010841",
        "disclosed": "0020002",
        "unavailable.not_held": "30448300203001126493",
        "not_processed.abusive_repetition": "1221230013012884345",
        "other_handling.overdue_correction": "0010001",
    }
    known = {k: zero for k in rows if k not in glued}
    accepted, notes = decode_requests(rows, known, glued)
    assert notes == {}
    assert accepted["received"] == ("42", "450", "3017", "3001", "3031", "1300", "10841")
    assert accepted["unavailable.not_held"] == ("30", "448", "3002", "0", "3001", "12", "6493")
    assert accepted["not_processed.abusive_repetition"] == ("12", "2", "12", "3001", "30", "1288", "4345")
    # the column sums fix where 2 and 1 stand: the cells are those the other rows leave
    assert accepted["disclosed"] == ("0", "0", "2", "0", "0", "0", "2")


def test_a_short_row_is_placed_by_the_column_sums_or_left_unread() -> None:
    """A plain-text row printing 3 values where 7 belong (four zero cells printed blank)."""
    rows = ("received", "carried_in", "disclosed", "partly_disclosed", "total", "carried_out")
    known = {
        "received": (5, 3, 1, 0, 0, 0, 9),
        "carried_in": (0, 0, 0, 0, 0, 0, 0),
        "partly_disclosed": (3, 3, 0, 0, 0, 0, 6),
        "total": (5, 3, 1, 0, 0, 0, 9),
        "carried_out": (0, 0, 0, 0, 0, 0, 0),
    }
    # T3-SUM leaves 2 for 自然人 and 1 for 科研机构: one placement of "2 1 3" adds up in every column
    accepted, notes = decode_requests(rows, known, {}, {"disclosed": ("2", "1", "3")})
    assert accepted == {"disclosed": ("2", "", "1", "", "", "", "3")}
    assert notes == {}
    # a 0 between 2 and 1 can stand in one column only ...
    accepted, notes = decode_requests(rows, known, {}, {"disclosed": ("2", "0", "1", "3")})
    assert accepted == {"disclosed": ("2", "0", "1", "", "", "", "3")}
    # ... but a 0 after the 1 in any of three (a printed 0 and a blank are the same to the arithmetic):
    # the cells every reading agrees on are read, the three others stay without a value
    accepted, notes = decode_requests(rows, known, {}, {"disclosed": ("2", "1", "0", "3")})
    assert accepted == {"disclosed": ("2", "", "1", None, None, None, "3")}
    assert "several readings" in notes["disclosed"]


def test_a_short_appeals_run_reads_the_groups_every_reading_agrees_on() -> None:
    printed = "1 2 0 0 3 2 2 4 0 0 0 4"
    groups, note = decode_appeals(printed, tuple(printed.split(" ")))
    assert groups[0] == ("1", "2", "0", "0", "3")
    # three blanks among 结果维持 … 尚未审结: which ones is not decided; the 总计 is the same in every reading
    assert groups[1] == (None, None, None, None, "2")
    assert groups[2] == ("4", "0", "0", "0", "4")
    assert "_ _ _ 2 2" in note  # the candidates, a blank shown as _


def test_a_short_appeals_line_in_plain_text() -> None:
    table = parse_appeals((*_HEADER, (4, "1 2 0 0 3 2 2 4 0 0 0 4")))
    assert table is not None
    assert table.method == "decoded"
    review, direct, after = table.grid
    assert [c.value for c in review] == [1, 2, 0, 0, 3]
    assert all(c.value is None and c.meaning is Meaning.TEXT for c in direct[:4])
    assert direct[4].value == 2
    assert [c.value for c in after] == [4, 0, 0, 0, 4]
    assert all(c.line == 4 for g in table.grid for c in g)


def test_appeals_grid_row_opening_with_a_blank_cell() -> None:
    """ha-longting-2019 v11 (pipe_row): the row's first cell, 结果维持 of 行政复议, is blank; the line
    opens with "|" where the header lines do not, so that "|" opens an empty cell, not a markdown row."""
    words = " | ".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3) + " |"
    lines = (
        (1, "行政复议 | 行政复议 | 行政复议 | 行政复议 | 行政复议 | " + "行政诉讼 | " * 10),
        (2, words),
        (3, " | 7 | 1 | 448 | 456 | 2 |  |  | 0 | 2 |  | 0 | 0 | 0 |  |"),
    )
    table = parse_appeals(lines)
    assert table is not None
    assert table.method == "grid"
    got = [(c.raw, c.meaning) for g in table.grid for c in g]
    assert got[0] == ("", Meaning.BLANK)
    assert [c.value for c in table.grid[0]] == [None, 7, 1, 448, 456]
    assert [c.raw for c in table.grid[1]] == ["2", "", "", "0", "2"]


def test_a_glued_row_with_marks_is_read_whole() -> None:
    """cq-nanbin-2024 v7: ``5.属于三类内部事务信息—00———0`` (zero cells printed ``—``): the marks
    are part of the row, never a label's end that leaves only the last digits as the row."""
    line = (1, "三、本年度办理结果（三）不予公开5.属于三类内部事务信息—00———0")
    rows = glued_rows((line,), row_label_keys, {"withheld.internal_affairs"})
    assert rows == {"withheld.internal_affairs": ("—00———0", 1)}
    assert pieces("—00———0") == ("—", "00", "———", "0")
    found = readings(pieces("—00———0"))
    assert found is not None
    assert ("—", "0", "0", "—", "—", "—", "0") in found
    # "——" is a mark of its own: the three dashes may be two cells and a vanished blank
    assert ("—", "0", "0", "——", "", "—", "0") in found
    rows = glued_rows(((1, "一、本年新收政府信息公开申请数量12/0000012"),), row_label_keys, {"received"})
    assert rows == {"received": ("12/0000012", 1)}
