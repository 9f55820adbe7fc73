"""The pure cross-year checks (gxbg.extract.crossyear): each rule, each status, the form change."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from gxbg.extract.crossyear import cross_year
from gxbg.extract.vocab import REQUEST_COLUMNS
from tests.store.factory import build_report


def _set(report: dict[str, Any], table: str, row: str, col: str, value: int | None, meaning: str) -> None:
    for cell in report["cells"]:
        if (cell["table"], cell["row"], cell["col"]) == (table, row, col):
            cell["value"], cell["meaning"] = value, meaning
            cell["raw"] = "" if value is None else str(value)
            return
    raise KeyError((table, row, col))


def _get(report: dict[str, Any], table: str, row: str, col: str) -> Any:
    for cell in report["cells"]:
        if (cell["table"], cell["row"], cell["col"]) == (table, row, col):
            return cell["value"]
    raise KeyError((table, row, col))


def _chained(prev: dict[str, Any], cur: dict[str, Any]) -> dict[str, Any]:
    """``cur`` with its 上年结转 copied from ``prev``'s 结转下年度 (and, on the 2021 form, its 现行有效件数
    rolled forward; on the 2019 form its 上一年项目数量 following 本年增/减)."""
    cur = copy.deepcopy(cur)
    for col in REQUEST_COLUMNS:
        value = _get(prev, "requests", "carried_out", col)
        _set(cur, "requests", "carried_in", col, value, "zero" if value == 0 else "number")
    if cur["format"] == prev["format"] == "2021":
        for row in ("rules", "normative_docs"):
            value = (
                _get(prev, "proactive", row, "in_force")
                + _get(cur, "proactive", row, "issued")
                - _get(cur, "proactive", row, "repealed")
            )
            _set(cur, "proactive", row, "in_force", value, "zero" if value == 0 else "number")
    if cur["format"] == prev["format"] == "2019":
        for row in ("licensing", "other_admin_services", "penalties", "coercion", "fees"):
            value = _get(prev, "proactive", row, "prior_items") + _get(prev, "proactive", row, "items_change")
            _set(cur, "proactive", row, "prior_items", value, "zero" if value == 0 else "number")
    return cur


def _status(results: Any) -> dict[tuple[str, str], str]:
    return {(r.rule, r.scope): r.status for r in results}


def test_consecutive_2021_reports_that_carry_over_pass_every_rule() -> None:
    prev = build_report("甲", 2022, seed=1)
    cur = _chained(prev, build_report("甲", 2023, seed=2))
    results = cross_year(prev, cur)
    assert [r.rule for r in results] == ["XY-CARRY"] * 7 + ["XY-VALID"] * 2
    assert {r.status for r in results} == {"PASS"}
    carry = results[0]
    assert carry.cells == ("requests:carried_in:natural_person",)
    assert carry.prev_cells == ("requests:carried_out:natural_person",)
    valid = results[7]
    assert valid.cells == (
        "proactive:rules:in_force",
        "proactive:rules:issued",
        "proactive:rules:repealed",
    )
    assert valid.prev_cells == ("proactive:rules:in_force",)


def test_a_carry_over_break_fails_its_column_with_both_sides() -> None:
    prev = build_report("甲", 2022, seed=1)
    cur = _chained(prev, build_report("甲", 2023, seed=2))
    before = _get(prev, "requests", "carried_out", "business")
    _set(cur, "requests", "carried_in", "business", before + 3, "number")
    status = _status(cross_year(prev, cur))
    assert status[("XY-CARRY", "business")] == "FAIL"
    assert [k for k, v in status.items() if v != "PASS"] == [("XY-CARRY", "business")]
    [result] = [r for r in cross_year(prev, cur) if r.scope == "business"]
    assert (result.left, result.right, result.delta) == (Decimal(before + 3), Decimal(before), Decimal(3))


def test_a_blank_is_not_a_zero_the_check_is_uncertain() -> None:
    prev = build_report("甲", 2022, seed=1)
    cur = _chained(prev, build_report("甲", 2023, seed=2))
    _set(prev, "requests", "carried_out", "research", None, "blank")
    _set(cur, "proactive", "rules", "repealed", None, "na")
    status = _status(cross_year(prev, cur))
    assert status[("XY-CARRY", "research")] == "UNCERTAIN"
    assert status[("XY-VALID", "rules")] == "UNCERTAIN"
    assert status[("XY-CARRY", "natural_person")] == "PASS"


def test_the_2020_to_2021_form_change_is_not_assessable_for_table_two_but_carry_over_runs() -> None:
    prev = build_report("甲", 2020, fmt="2019", seed=1)
    cur = _chained(prev, build_report("甲", 2021, seed=2))
    results = cross_year(prev, cur)
    status = _status(results)
    assert status[("XY-VALID", "rules")] == status[("XY-VALID", "normative_docs")] == "NOT_ASSESSABLE"
    assert {status[("XY-CARRY", c)] for c in REQUEST_COLUMNS} == {"PASS"}  # 表三 is the same on both forms
    assert not [r for r in results if r.rule == "XY-ITEMS"]
    assert all(r.left is None and r.right is None for r in results if r.rule == "XY-VALID")


def test_2019_form_items_roll_forward_and_a_wrong_one_fails() -> None:
    prev = build_report("甲", 2019, fmt="2019", seed=1)
    cur = _chained(prev, build_report("甲", 2020, fmt="2019", seed=2))
    status = _status(cross_year(prev, cur))
    items = {k: v for k, v in status.items() if k[0] == "XY-ITEMS"}
    assert set(items) == {
        ("XY-ITEMS", r) for r in ("licensing", "other_admin_services", "penalties", "coercion", "fees")
    }
    assert set(items.values()) == {"PASS"}
    _set(cur, "proactive", "penalties", "prior_items", 999, "number")
    assert _status(cross_year(prev, cur))[("XY-ITEMS", "penalties")] == "FAIL"


def test_years_that_are_not_consecutive_or_a_missing_table_are_not_assessable() -> None:
    prev = build_report("甲", 2021, seed=1)
    cur = _chained(prev, build_report("甲", 2023, seed=2))
    assert {r.status for r in cross_year(prev, cur)} == {"NOT_ASSESSABLE"}
    no_table = build_report("甲", 2022, seed=3, tables=("proactive", "appeals"))
    status = _status(cross_year(prev, no_table))
    assert {status[("XY-CARRY", c)] for c in REQUEST_COLUMNS} == {"NOT_ASSESSABLE"}
    pre = {**build_report("甲", 2022, seed=3), "format": "pre2019"}
    assert {r.status for r in cross_year(pre, cur | {"year": 2023})} == {"NOT_ASSESSABLE"}
