"""The oracle of undetermined cells: every cell it excuses comes with a witness that really is one.

A witness is checked here without the oracle's own machinery: the changed table is rendered by the
corpus layout itself (``plain`` or ``glued``) and must give the very same document, it must differ from the
truth in the excused cell, and it must keep every rule of the form that the truth keeps in the rows it
changes (unless the truth breaks one of them, where the arithmetic decides nothing).
"""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal

import pytest

from gxbg.evaluate.corpus import CASES
from gxbg.evaluate.determined import (
    Run,
    amount,
    fillings,
    rules_of,
    runs_of,
    undetermined,
    varied,
    witnesses,
)
from gxbg.evaluate.layouts import LAYOUTS
from gxbg.evaluate.score import DocScore, score_report
from gxbg.evaluate.truth import APPEAL_COLS, APPEAL_GROUPS, REQUEST_COLS, load_cases, truth_of, vary
from gxbg.sim.cases import ReportSpec

SPECS = load_cases(CASES)


def _variants(per_case: int) -> list[ReportSpec]:
    return [
        vary(spec, random.Random(f"20261207:{spec.case_id}:{i}"), i)
        for spec in SPECS
        for i in range(per_case)
    ]


def _apply(spec: ReportSpec, change: dict[str, str | None]) -> ReportSpec:
    requests = {k: list(v) for k, v in spec.requests.items()}
    appeals = list(spec.appeals)
    proactive = {k: list(v) for k, v in spec.proactive.items()}
    for cell, value in change.items():
        table, row, col = cell.split(":")
        if table == "requests":
            requests[row][REQUEST_COLS.index(col)] = value
        elif table == "appeals":
            appeals[APPEAL_GROUPS.index(row) * 5 + APPEAL_COLS.index(col)] = value
        else:
            proactive[row][int(col)] = value
    return dataclasses.replace(
        spec,
        requests={k: tuple(v) for k, v in requests.items()},
        appeals=tuple(appeals),
        proactive={k: tuple(v) for k, v in proactive.items()},
    )


def _values(spec: ReportSpec) -> dict[str, str | None]:
    return {c: v for run in runs_of(spec) for c, v in zip(run.cells, run.values, strict=True)}


def _sum(rule_terms: tuple[tuple[str, int], ...], table: dict[str, str | None]) -> Decimal:
    return sum((k * (amount(table[c]) or Decimal(0)) for c, k in rule_terms), Decimal(0))


@pytest.mark.parametrize("layout", ["plain", "glued"])
def test_every_witness_prints_the_same_document_and_keeps_the_rules(layout: str) -> None:
    loss = "spaced" if layout == "plain" else "glued"
    render = LAYOUTS[layout]
    checked = 0
    for spec in _variants(4):
        text, _ = render(spec, random.Random(0))
        truth = _values(spec)
        rules = [r for r in rules_of(spec) if all(c in truth for c, _ in r.terms)]
        for cell, change in witnesses(spec, loss).items():
            other = _apply(spec, change)
            assert render(other, random.Random(0))[0] == text, f"{spec.case_id} {cell}: not the same text"
            assert amount(change[cell]) != amount(truth[cell]), f"{spec.case_id} {cell}: the same value"
            changed = set(change)
            touching = [r for r in rules if any(c in changed for c, _ in r.terms)]
            if all(_sum(r.terms, truth) == 0 for r in touching):  # the truth keeps them: so must the witness
                mine = _values(other)
                assert all(_sum(r.terms, mine) == 0 for r in touching), (
                    f"{spec.case_id} {cell}: breaks a rule"
                )
            counts = [change[c] for c in changed if not c.startswith("proactive")]
            assert not any(v and v[0] in "+-" and v[1:2].isdigit() for v in counts), "a signed count"
            checked += 1
    assert checked > 50  # the corpus has plenty of undetermined cells in both layouts


def test_a_dropped_blank_among_zeros_leaves_only_those_zeros_undetermined() -> None:
    # the printed row 0 0 0 2 0 2: one of the first four cells is blank, which one the text does not say
    run = Run(tuple("abcdefg"), ("0", None, "0", "0", "2", "0", "2"), ((0, 7),))
    readings = set(fillings(run, "spaced"))
    assert run.values in readings
    # with the row sum alone, the 2 may also sit one column to the left (the blank after it)
    assert ("0", "0", "0", "2", None, "0", "2") in readings
    assert all(r[6] == "2" for r in readings)


def test_a_glued_row_with_one_segmentation_is_determined_even_if_it_does_not_add_up() -> None:
    run = Run(tuple("abcdefg"), ("0", "0", "0", "0", "0", "0", "1"), ((0, 7),))
    # no reading of the digits, sums or not, puts another number (or a blank) in any cell
    assert list(varied(run, "glued")) == []


def test_glued_zeros_and_a_sum_can_hide_blanks() -> None:
    # 表四 all zeros but one group (ha-longting 2019): 000002000200000 also reads
    # _ _ _ 0 0 | 0 0 0 2000 2000 | _ _ _ 0 0, which keeps every group sum
    spec = next(s for s in SPECS if s.case_id == "ha-longting-2019")
    spec = dataclasses.replace(spec, appeals=("0",) * 5 + ("2", "0", "0", "0", "2") + ("0",) * 5)
    found = witnesses(spec, "glued")
    assert "appeals:litigation_direct:upheld" in found
    assert found["appeals:litigation_direct:total"]["appeals:litigation_direct:total"] not in (None, "2")


def test_a_unique_glued_appeals_group_is_determined_beside_an_ambiguous_one() -> None:
    # 1 0 0 1288 1289 | 30 1 5 105 141 | 3001 30 448 5 3484: review's addends also read 1001 288 _ _ (or
    # with the blanks elsewhere), but review's total and both litigation groups have one reading only
    spec = next(s for s in SPECS if s.case_id == "tj-ningyuan-2020")
    values = ("1", "0", "0", "1288", "1289", "30", "1", "5", "105", "141", "3001", "30", "448", "5", "3484")
    cells = set(undetermined(dataclasses.replace(spec, appeals=values), "glued"))
    assert {"appeals:review:upheld", "appeals:review:corrected"} <= cells
    appeals = {c for c in cells if c.startswith("appeals:")}
    assert not {c for c in appeals if not c.startswith("appeals:review:") or c.endswith(":total")}


def test_three_rows_that_move_together_are_a_witness() -> None:
    # received, one outcome row and 总计 carry the same two columns "3" "30"; glued, each reads "330":
    # 33 0 in all three rows keeps T3-ROW, T3-BAL and T3-SUM alike, so none of the six cells is determined
    spec = next(s for s in SPECS if s.case_id == "js-hongze-2023")
    found = None
    for v in _variants(12):
        if v.case_id == "js-hongze-2023~2":
            found = set(undetermined(v, "glued"))
    assert found is not None
    rows = {c.split(":")[1] for c in found if c.startswith("requests")}
    assert {"received", "withheld.endangers_security_stability", "total"} <= rows
    assert spec.requests  # the case itself prints those cells apart: nothing to excuse there


def test_a_layout_that_keeps_every_place_leaves_nothing_undetermined() -> None:
    for spec in SPECS:  # the cases as printed: with every cell printed, nothing is lost in either layout
        if all(v is not None for vals in spec.requests.values() for v in vals) and all(spec.appeals):
            assert not [c for c in undetermined(spec, "spaced") if not c.startswith("proactive")]


def test_the_scorer_counts_an_empty_undetermined_cell_apart_and_a_wrong_one_as_wrong() -> None:
    spec = SPECS[0]
    truth = truth_of(spec)
    key = next(iter(truth["requests"]))
    cells = [
        {"table": "requests", "row": k, "col": col, "value": int(v) if v and v.isdigit() else None, "raw": v}
        for k, values in truth["requests"].items()
        for col, v in zip(REQUEST_COLS, values, strict=True)
    ] + [
        {"table": "appeals", "row": g, "col": c, "value": int(v) if v and v.isdigit() else None, "raw": v}
        for i, v in enumerate(truth["appeals"])
        for g, c in [(APPEAL_GROUPS[i // 5], APPEAL_COLS[i % 5])]
    ]
    first = next(c for c in cells if c["row"] == key and c["value"] is not None)
    truth["undetermined"] = [f"requests:{key}:{first['col']}"]

    def score(value: int | None) -> DocScore:
        doc = DocScore("d", "c")
        first["value"] = value
        score_report(doc, truth, cells)
        return doc

    empty, right, wrong = score(None), score(int(first["raw"])), score(int(first["raw"]) + 1)
    assert (empty.requests.undetermined, empty.requests.missing) == (1, 0)
    assert empty.requests.percent() == 100.0
    assert (right.requests.undetermined, right.requests.exact) == (0, empty.requests.exact + 1)
    assert wrong.requests.wrong == 1


def test_a_doubled_dash_is_one_glued_cell_of_two_characters() -> None:
    # cq-nanbin-2024 (glued, v7) prints a row — 0 0 — — — 0 as —00———0, which also reads
    # _ — 0 0 — —— 0: business holds a marker there, not the true 0 (a bound that let each glued cell
    # print no more characters than its row's 总计 has digits missed every reading with a —— in it)
    values = ("—", "0", "0", "—", "—", "—", "0")
    run = Run(REQUEST_COLS, values, ((0, 7),))
    assert (None, "—", "0", "0", "—", "——", "0") in set(fillings(run, "glued"))
    spec = next(s for s in SPECS if s.case_id == "cq-nanbin-2024")
    assert set(spec.requests["withheld.internal_affairs"]) == {"0"}  # so the marks keep every column rule
    requests = {**spec.requests, "withheld.internal_affairs": values}
    cells = set(undetermined(dataclasses.replace(spec, requests=requests), "glued"))
    assert {f"requests:withheld.internal_affairs:{c}" for c in ("business", "research")} <= cells
