"""Free-form pre-2019 reports (report-format.md §8): sections kept, headline figures low-confidence."""

from __future__ import annotations

from pathlib import Path

import pytest

import gxbg
from gxbg.extract.narrative import read_headline
from gxbg.extract.sections import split_sections_pre2019
from gxbg.extract.tables.requests import parse_requests
from gxbg.extract.text import prepare_lines
from tests.report_json import report_json

HERE = Path(__file__).resolve().parents[1]
FREEFORM = (HERE / "cases-pre2019" / "synthetic-freeform-2016" / "clean.txt").read_text(encoding="utf-8")


def _headline(text: str) -> dict[str, int]:
    return {f.key: f.value for f in read_headline(prepare_lines(text))}


def test_a_free_form_report_keeps_its_sections_and_headline_figures() -> None:
    d = report_json(gxbg.parse_report(FREEFORM))
    assert d["format"] == "pre2019"
    assert all(d["sections"].values())  # overview, proactive, requests, appeals, problems, other
    assert "收费及减免" in d["sections"]["requests"]  # a part naming no section stays in the one before
    assert d["tables"] == {"proactive": None, "requests": None, "appeals": None}
    values = {k: (v["value"], v["confidence"]) for k, v in d["headline"].items()}
    assert values == {
        "requests_received": (7, "low"),
        "proactive_published": (156, "low"),
        "review": (0, "low"),
        "litigation": (1, "low"),
    }
    assert d["headline"]["requests_received"]["raw"] == "受理政府信息公开申请7件"


def test_reports_with_tables_have_no_headline() -> None:
    report = gxbg.parse_report((HERE / "cases" / "cq-nanbin-2024" / "clean.txt").read_text(encoding="utf-8"))
    assert report.headline == ()
    assert report_json(report)["headline"] is None


def test_a_key_missing_from_the_text_is_null() -> None:
    text = "某局2015年政府信息公开工作年度报告\n全年主动公开政府信息80条，办理政府信息公开申请事项若干。"
    d = report_json(gxbg.parse_report(text))
    assert d["headline"]["proactive_published"]["value"] == 80
    assert d["headline"]["requests_received"] is None
    assert d["headline"]["review"] is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("共受理政府信息公开申请12件，比上年受理申请8件增加4件。", {}),  # two figures disagree: none
        ("受理申请12件。其中受理申请12件为网上申请。", {"requests_received": 12}),  # they agree
        ("未发生因政府信息公开申请提起行政复议、行政诉讼的情况。", {"review": 0, "litigation": 0}),
        ("没有收到行政复议申请，发生行政诉讼2起。", {"review": 0, "litigation": 2}),
        ("因政府信息公开申请行政复议3起、行政诉讼1起。", {"review": 3, "litigation": 1}),
        ("主动公开信息1200余条。", {}),  # 余: not an exact figure
    ],
)
def test_headline_figures(text: str, expected: dict[str, int]) -> None:
    assert _headline(text) == expected


def test_labels_in_prose_do_not_make_a_table_three() -> None:
    lines = prepare_lines("其中同意公开5件，同意部分公开1件，不予公开1件。")
    assert parse_requests(lines) is None


def test_pre2019_headings_need_rising_ordinals() -> None:
    text = "一、概述\n正文\n二、主动公开政府信息情况\n一、主动公开的范围\n三、依申请公开情况\n无"
    spans = split_sections_pre2019(prepare_lines(text))
    assert [s.section.key.value for s in spans] == ["overview", "proactive", "requests"]
    assert "一、主动公开的范围" in spans[1].section.text
