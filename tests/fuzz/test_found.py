"""Inputs the long fuzz run found after the branches met (seed 2026), kept as regression cases: each
parses with no number that is not printed on the line it names, and no undocumented error.

- ``decoded-run-over-lines.txt``: a one-cell-per-line 表三 row with an extra value was decoded by the
  arithmetic, and its cells named the first line of the run, where other digits stand.
- ``wide-run-20000-digits.txt``: a run of 8 values, one of 20,000 digits, reached ``int()`` in the
  decoder (``ValueError``: Python's int-string limit).
- ``word-op-tag-in-amount.html`` (the 20,000-input run, seed 77): a Word ``<o:p></o:p>`` inside an
  amount on a page with no report container cut ``3168.0656`` to 3168 in trafilatura's fallback."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import gxbg
from tests.fuzz.oracle import violations

FOUND = Path(__file__).resolve().parent / "found"


@pytest.mark.parametrize("name", sorted(p.name for p in FOUND.glob("*.txt")))
def test_a_found_input_reads_only_printed_numbers(name: str) -> None:
    text = (FOUND / name).read_text(encoding="utf-8")
    try:
        report = gxbg.parse_report(text)
    except gxbg.ParseError:
        return  # a documented error is an honest answer
    assert violations(text, report) == []


def test_a_word_tag_inside_an_amount_never_cuts_it() -> None:
    """A page with no report container goes to trafilatura, which dropped the tail of a tag it does not
    know: ``3168<o:p></o:p>.0656(万元)`` was read as 3168 (the 20,000-input run, seed 77)."""
    html = (FOUND / "word-op-tag-in-amount.html").read_text(encoding="utf-8")
    report = gxbg.parse_html(html)
    assert violations(html, report, is_html=True) == []
    assert report.proactive is not None
    amount = [row[5] for row in report.proactive.cell_rows if row[1:3] == ("procurement", "amount")]
    assert amount == [Decimal("3168.0656")]
