"""Glued 表三 rows whose digits cut one way only (the ``glued`` class: ``四、结转下年度继续办理0000000``):
read without the table's other rules, since no separator is assumed lost; every other row still
needs the arithmetic.  Rows written from cq-nanbin-2024's glued dump."""

from __future__ import annotations

from gxbg.extract.tables.decode import decode_requests, only_reading
from gxbg.extract.tables.requests import row_keys


def test_only_reading_needs_one_cut_of_seven() -> None:
    assert only_reading("0000000") == ("0",) * 7
    # a count after six zeros cuts one way (0×6, 11): read as printed although 总计 11 is not the sum 0
    # (the row's check then fails, as the printed row does)
    assert only_reading("00000011") == ("0",) * 6 + ("11",)
    assert only_reading("0000022") is None  # 0 0 0 0 0 22 (a blank vanished) or 0 0 0 0 0 2 2
    assert only_reading("0120012") is None  # [blank] 0 12 0 0 [blank] 12, or seven one-digit cells
    assert only_reading("0000011") is None  # 0×5 11, or 0×5 1 1
    assert only_reading("000000") is None  # six digits: a blank vanished, which one is unknown
    assert only_reading("00000a0") is None


def test_a_row_that_cuts_one_way_is_read_when_the_others_cannot_be_checked() -> None:
    rows = row_keys(split_other=True)
    glued = {"carried_out": "0000000", "received": "52171074913041619"}
    accepted, notes = decode_requests(rows, {}, glued)
    assert accepted == {"carried_out": ("0",) * 7}
    assert "received" in notes  # still needs T3-BAL/T3-SUM, which cannot be checked here
