"""Inputs the long fuzz run found after the branches met (seed 2026), kept as regression cases: each
parses with no number that is not printed on the line it names, and no undocumented error.

- ``decoded-run-over-lines.txt``: a one-cell-per-line 表三 row with an extra value was decoded by the
  arithmetic, and its cells named the first line of the run, where other digits stand.
- ``wide-run-20000-digits.txt``: a run of 8 values, one of 20,000 digits, reached ``int()`` in the
  decoder (``ValueError``: Python's int-string limit).
- ``word-op-tag-in-amount.html`` (the 20,000-input run, seed 77): a Word ``<o:p></o:p>`` inside an
  amount on a page with no report container cut ``3168.0656`` to 3168 in trafilatura's fallback.
- ``long-digit-run-after-a-label.txt`` (the 100,000-input run, seed 20261207): a 表三 label, 19,986 nines
  and words on one line took 2.6 s in the glued-row scan, whose regex backtracked over the run
  (``tests/extract/test_hostile_digits.py`` runs it with 200,000 digits).
- ``decoded-glued-total.txt`` (same run): ``56 6 0 0 0 062``, a 表三 row whose last separator is lost,
  decoded by the arithmetic as ``… 0 62``; the oracle now takes a decoded cell as printed when its digits
  stand inside one printed number on its line (it wanted a whole number and called it unprinted).
- ``extra-appeal-value-4392-digits.txt``, ``extra-appeal-value-19881-digits.txt`` (the 100,000-input run,
  seeds 7001 and 7002): a 表四 run of 16 values, one of thousands of digits, reached ``int()`` where the
  decoder leaves a stray value out (``ValueError``: Python's int-string limit); a count is at most
  ``gxbg.extract.text.MAX_COUNT_DIGITS`` long there too.
- ``broken-cell-tag-in-a-row.html``: an unknown ``<td²>`` element's text stood between two cells once
  the fallback unwrapped it, and was joined to the next cell."""

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


def test_a_broken_cell_tag_never_joins_two_cells() -> None:
    """``<td²>0</td><td>0</td>``: libxml2 reads an unknown element ``td²`` holding the next cells; unwrapped
    for the trafilatura fallback, its 0 stood between two cells and was joined to the next one (``00``).
    A browser shows text that is in no cell before the table; so does the cleaner (the 100,000-input run,
    seed 4242, on the first form of the fallback fix)."""
    html = (FOUND / "broken-cell-tag-in-a-row.html").read_text(encoding="utf-8")
    assert "<td²>0</td>" in html
    report = gxbg.parse_html(html)
    assert violations(html, report, is_html=True) == []
