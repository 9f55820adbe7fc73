"""Golden cases: every tests/cases/*/clean.txt (and tests/cases-pre2019/*/clean.txt, free-form reports
without tables) parses to its reviewed expected.json.

``pytest --update-golden`` rewrites expected.json; read the diff before committing.  The three PDF-text
cases also carry truth.json (hand-checked against the source PDF): their 表三 and 表四 must match it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import gxbg
from tests.report_json import report_json

CASES = Path(__file__).resolve().parents[1] / "cases"
# free-form pre-2019 cases (no tables) live apart: everything that iterates tests/cases expects tables
PRE2019_CASES = Path(__file__).resolve().parents[1] / "cases-pre2019"
CASE_DIRS = sorted(p for d in (CASES, PRE2019_CASES) for p in d.iterdir() if (p / "clean.txt").is_file())

# truth.json keys → glossary keys (report-format.md §5, §6)
TRUTH_ROWS = {
    "new_received": "received",
    "carried_over": "carried_in",
    "granted": "disclosed",
    "partial": "partly_disclosed",
    "denied_1_state_secret": "withheld.state_secret",
    "denied_2_law_prohibited": "withheld.prohibited_by_law",
    "denied_3_three_security": "withheld.endangers_security_stability",
    "denied_4_third_party": "withheld.third_party_rights",
    "denied_5_internal_affairs": "withheld.internal_affairs",
    "denied_6_process_info": "withheld.deliberative_process",
    "denied_7_enforcement_file": "withheld.enforcement_files",
    "denied_8_admin_query": "withheld.query_matters",
    "unable_1_not_held": "unavailable.not_held",
    "unable_2_need_creation": "unavailable.requires_creation",
    "unable_3_unclear": "unavailable.still_unclear",
    "notproc_1_petition": "not_processed.petition_or_complaint",
    "notproc_2_repeat": "not_processed.duplicate",
    "notproc_3_publication": "not_processed.published_material",
    "notproc_4_massive": "not_processed.abusive_repetition",
    "notproc_5_confirm": "not_processed.reconfirmation",
    "other": "other_handling",
    "other_1_no_correction": "other_handling.overdue_correction",
    "other_2_no_fee": "other_handling.overdue_fee",
    "other_3_other": "other_handling.other",
    "total": "total",
    "carried_forward": "carried_out",
}
TRUTH_COLS = {
    "maintained": "upheld",
    "corrected": "corrected",
    "other": "other",
    "pending": "pending",
    "total": "total",
}


def _parse(case: Path) -> dict[str, Any]:
    return report_json(gxbg.parse_report((case / "clean.txt").read_text(encoding="utf-8")))


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_golden(case: Path, request: pytest.FixtureRequest) -> None:
    got = _parse(case)
    expected_file = case / "expected.json"
    if request.config.getoption("--update-golden"):
        expected_file.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert json.loads(json.dumps(got)) == expected


ERROR_CASES = Path(__file__).resolve().parents[1] / "cases-errors"
ERROR_DIRS = sorted(p for p in ERROR_CASES.iterdir() if (p / "clean.txt").is_file())


@pytest.mark.parametrize("case", ERROR_DIRS, ids=[p.name for p in ERROR_DIRS])
def test_golden_error(case: Path, request: pytest.FixtureRequest) -> None:
    """Not a report: a ParseError whose message says what was expected."""
    with pytest.raises(gxbg.ParseError) as caught:
        gxbg.parse_report((case / "clean.txt").read_text(encoding="utf-8"))
    got = {"error": type(caught.value).__name__, "message": str(caught.value)}
    expected_file = case / "expected.json"
    if request.config.getoption("--update-golden"):
        expected_file.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(expected_file.read_text(encoding="utf-8"))


TRUTH_DIRS = [p for p in CASE_DIRS if (p / "truth.json").is_file()]


@pytest.mark.parametrize("case", TRUTH_DIRS, ids=[p.name for p in TRUTH_DIRS])
def test_matches_truth(case: Path) -> None:
    truth = json.loads((case / "truth.json").read_text(encoding="utf-8"))
    got = _parse(case)
    rows = {TRUTH_ROWS[k]: v for k, v in truth["table3"].items() if v is not None}
    assert got["tables"]["requests"]["rows"] == rows
    appeals = {g: {TRUTH_COLS[c]: v for c, v in cols.items()} for g, cols in truth["table4"].items()}
    assert got["tables"]["appeals"] == appeals
    assert got["year"] == truth["report_year"]
    assert got["format"] == truth["template"]


def test_truth_inconsistencies_are_t4_failures() -> None:
    """js-hongze-2023 prints 总计 0 under non-zero parts in two 表四 groups: exactly those two FAIL."""
    got = _parse(CASES / "js-hongze-2023")
    fails = {(c["rule"], c["scope"]) for c in got["checks"] if c["status"] == "FAIL"}
    t4 = {f for f in fails if f[0] == "T4-SUM"}
    assert t4 == {("T4-SUM", "review"), ("T4-SUM", "litigation_after_review")}


def test_yinchuan_table3_faults() -> None:
    """Seed 004: （七）总计 is [0,0,0,0,0,0,1] while 一 is [1,0,…,1]."""
    got = _parse(CASES / "nx-yinchuan-shizheng-2020")
    fails = {(c["rule"], c["scope"]) for c in got["checks"] if c["status"] == "FAIL"}
    assert fails == {("T3-BAL", "natural_person"), ("T3-SUM", "natural_person"), ("T3-ROW", "total")}
    bal = next(c for c in got["checks"] if (c["rule"], c["scope"]) == ("T3-BAL", "natural_person"))
    assert (bal["left"], bal["right"], bal["delta"]) == (1, 0, 1)
    assert "requests:total:natural_person" in bal["cells"]


def test_longting_narrative_contradicts_table4() -> None:
    """Seed 001: 复议9起 / 诉讼5起 (district-wide) against 0 / 2 in 表四; 收到申请31件 agrees."""
    got = _parse(CASES / "ha-longting-2019")
    by_rule = {c["rule"]: c for c in got["checks"] if c["rule"].startswith("TXT-")}
    review, litigation = by_rule["TXT-REVIEW"], by_rule["TXT-LITIGATION"]
    assert (review["status"], review["left"], review["right"]) == ("FAIL", 9, 0)
    assert review["cells"] == ["appeals:review:total"]
    assert (litigation["status"], litigation["left"], litigation["right"]) == ("FAIL", 5, 2)
    assert litigation["cells"] == ["appeals:litigation_direct:total", "appeals:litigation_after_review:total"]
    assert by_rule["TXT-RECEIVED"]["status"] == "PASS"
    table_rules = [c for c in got["checks"] if c["rule"][:2] in ("T3", "T4")]
    assert all(c["status"] == "PASS" for c in table_rules)
