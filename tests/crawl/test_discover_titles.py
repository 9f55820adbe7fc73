"""classify_title: reports (with year and agency from the title) vs everything else."""

from __future__ import annotations

import pytest

from gxbg.crawl.discover import classify_title

REPORTS = [
    ("示例县人民政府2023年政府信息公开工作年度报告", 2023, "示例县人民政府"),
    ("示例县教育局2023年政府信息公开工作年度报告", 2023, "示例县教育局"),
    ("示例县人民政府2022年政府信息公开工作年度报告（图片版）", 2022, "示例县人民政府"),
    ("淮安市人民政府2024年政府信息公开工作年度报告（超链版）", 2024, "淮安市人民政府"),
    ("深圳市示例区2023年政府信息公开工作年度报告(修订版)", 2023, "深圳市示例区"),
    ("2019年度政府信息公开工作年度报告", 2019, None),
    ("示例县财政局2019年度政府信息公开工作报告", 2019, "示例县财政局"),
    ("示例县2023年政府信息公开年报", 2023, "示例县"),
    ("示例市 2021 年政府信息公开工作年度报告", 2021, "示例市"),
    ("洪泽区人民政府2023 年政府信息公开工作年度报告", 2023, "洪泽区人民政府"),
    ("关于示例县2018年政府信息公开工作年度报告", 2018, "示例县"),
    ("示例县住建局政府信息公开工作年度报告（2020年）", 2020, "示例县住建局"),
    (
        "石柱土家族自治县人民政府南宾街道办事处2024年政府信息公开工作年度报告",
        2024,
        "石柱土家族自治县人民政府南宾街道办事处",
    ),
    ("国家发展改革委2022年政府信息公开工作年度报告", 2022, "国家发展改革委"),
    ("示例镇2017年政府信息公开工作年度报告", 2017, "示例镇"),
    ("示例县人民政府办公室2020年度政府信息公开工作年度报告", 2020, "示例县人民政府办公室"),
    ("示例县人民政府2023年政府信息公开工作年度报…", 2023, "示例县人民政府"),
    ("示例区卫健委2021年政务公开工作年度报告", 2021, "示例区卫健委"),
]
OTHERS = [
    "关于印发2021年政务公开工作要点的通知",
    "2020年政府信息公开工作年度报告解读",
    "示例县召开政务公开工作推进会",
    "关于做好2020年政府信息公开工作年度报告编制工作的通知",
    "示例县政府信息公开指南",
    "示例县政府信息公开制度",
    "一图读懂示例县2023年政府信息公开工作年度报告（图解）",
    "示例县2023年国民经济和社会发展统计公报",
    "示例县2022年部门决算公开",
    "示例县人民政府关于2023年法治政府建设情况的报告",
    "政府信息公开年报",
    "2023年",
    "首页",
    "示例县2024年政务公开培训会议召开",
]


@pytest.mark.parametrize(("title", "year", "agency"), REPORTS, ids=[t for t, _, _ in REPORTS])
def test_report_titles(title: str, year: int, agency: str | None) -> None:
    info = classify_title(title)
    assert info.is_report
    assert info.year == year
    assert info.agency == agency


@pytest.mark.parametrize("title", OTHERS)
def test_non_report_titles(title: str) -> None:
    assert not classify_title(title).is_report


# Truncated anchor text without a title="" attribute (table lists): (title, is_report, uncertain, year).
TRUNCATED = [
    ("示例县人民政府2023年政府信息公开工作年度报…", True, False, 2023),
    ("示例县2023年政府信息公开年…", False, True, 2023),  # 年报 or 年度…: confirm on the detail page
    ("示例县2023年政府信息公开年报…", True, False, 2023),
    ("开封市龙亭区人民政府办公室2019年政府信息公开…", False, True, 2019),
    ("示例县2020年政府信息公开工作年度…", False, True, 2020),  # may be 工作年度考核结果
    ("示例区卫健委2021年政务公开工作年度报…", True, False, 2021),
    ("示例县2021年政府信息公开工作要…", False, False, None),  # 工作要点: leaves every report form
    ("示例县2021年政府信息公开专栏更新情…", False, False, None),
    ("示例县政府信息公开工作年度报…", False, False, None),  # no year: never a report by itself
    (
        "关于2023年政府信息公开工作年度报告编制工作的通…",
        False,
        False,
        None,
    ),  # 通 is not 通知, but 编制工作 is
]


@pytest.mark.parametrize(("title", "report", "uncertain", "year"), TRUNCATED, ids=[t for t, *_ in TRUNCATED])
def test_truncated_titles(title: str, report: bool, uncertain: bool, year: int | None) -> None:
    info = classify_title(title)
    assert (info.is_report, info.uncertain) == (report, uncertain)
    if report or uncertain:
        assert info.year == year


def test_full_titles_are_never_uncertain() -> None:
    assert not any(classify_title(t).uncertain for t, _, _ in REPORTS)
    assert not any(classify_title(t).uncertain for t in OTHERS)
