"""The short, fixed-seed form of the extractor fuzzer (the long form: ``make fuzz``) and the oracle's own
tests: it must catch a number that was never printed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import gxbg
from gxbg.extract.model import Meaning, NarrativeFigure, ProactiveDisclosure, Section, TableKey
from tests.fuzz.harness import run
from tests.fuzz.oracle import printed_numbers, violations

CASE = Path(__file__).resolve().parents[1] / "cases" / "js-hongze-2024" / "clean.txt"


def test_fixed_seed_fuzz_finds_no_unexpected_error_no_hang_no_unprinted_number() -> None:
    figures = run(300, seed=20261207)
    print("\n" + figures.summary())
    assert figures.inputs == 300
    assert figures.cells > 10_000  # the oracle judged real parses
    assert dict(figures.unexpected) == {}, figures.examples
    assert figures.hangs == 0, figures.examples
    assert figures.violations == 0, figures.examples


def test_printed_numbers_keep_numbers_whole() -> None:
    assert printed_numbers("申请 17 17 件 95¹ 3001<sup>1</sup> ٣ １２") == {"17", "95", "3001", "1", "12"}


def test_oracle_catches_a_quote_and_a_cell_never_printed() -> None:
    text = CASE.read_text("utf-8")
    report = gxbg.parse_report(text)
    assert violations(text, report) == []
    line = next(i for i, ln in enumerate(text.split("\n"), 1) if "申请 17 件" in ln)
    fused = NarrativeFigure(key="received", value=1717, raw="申请1717件", section=Section.OVERVIEW, line=line)
    assert violations(text, dataclasses.replace(report, narrative=(fused,)))[0].startswith("figure ")
    assert report.proactive is not None
    row = report.proactive.cell_rows[0]
    moved = (TableKey.PROACTIVE, row[1], row[2], "951", Meaning.NUMBER, 951, None, row[7])
    bad = ProactiveDisclosure(format=report.proactive.format, cell_rows=(moved,))
    found = violations(text, dataclasses.replace(report, proactive=bad, narrative=()))
    assert len(found) == 1
    assert "951 is not a whole number printed on that line" in found[0]
    wrong_value = (TableKey.PROACTIVE, row[1], row[2], row[3], Meaning.NUMBER, 7, None, row[7])
    bad = ProactiveDisclosure(format=report.proactive.format, cell_rows=(wrong_value,))
    assert "value differs from raw" in violations(text, dataclasses.replace(report, proactive=bad))[0]
