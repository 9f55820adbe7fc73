"""clean_page acceptance on the faithful fixtures (portals.md §11 items 12-17, plus gkmlpt and Hanweb).

Snippet checks in the trafilatura-evaldata style: what must appear, what must never appear.  Table
values are checked against the cases' hand-checked truth (tests/cases/*/truth.json), not against
numbers copied into this file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gxbg.clean import CleanPage, clean_page
from gxbg.kinds import ItemKind

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures" / "clean"
CASES = HERE.parent / "cases"
BASE = "http://www.demo-xian.gov.cn/zwgk/zfxxgknb/202401/"

REPORTS = [
    "trs-2021-nanbin.html",
    "shanghai-2019-ningyuan.html",
    "word-noise-huaian.html",
    "pre2019-govcn.html",
    "freeform-unknown-container.html",
    "gkmlpt-content.html",
    "hanweb-zoom-hongze.html",
    "openness-content.html",
]
ALL = sorted(p.name for p in FIXTURES.glob("*.html"))

#: Never in any page's text: chrome (portals.md §7), leaked CSS / Office residue, scripts, site metadata.
NEVER = [
    "字号",
    "打印",
    "关闭窗口",
    "分享到",
    "扫一扫",
    "当前位置",
    "网站地图",
    "ICP备",
    "margin-top",
    "margin－top",
    "font-family",
    "TRS_Editor",
    "TRS＿Editor",
    "｛",
    "{",
    "MicrosoftInternetExplorer4",
    "false false",
    "Normal 0",
    "document.write",
    "_CONFIG",
    "索引号",
    "索 引 号",
    "发布机构",
    "成文日期",
    "生成日期",
    "组配分类",
    "主题词",
    "文件编号",
    "内容概述",
]


def clean(name: str) -> CleanPage:
    return clean_page((FIXTURES / name).read_text(encoding="utf-8"), url=BASE + name)


@pytest.fixture(scope="module")
def pages() -> dict[str, CleanPage]:
    return {name: clean(name) for name in ALL}


@pytest.mark.parametrize("name", ALL)
def test_nothing_forbidden_reaches_text(pages: dict[str, CleanPage], name: str) -> None:
    text = pages[name].text
    leaked = [snippet for snippet in NEVER if snippet in text]
    assert leaked == []


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        *[pytest.param(name, ItemKind.REPORT_HTML, id=name) for name in REPORTS],
        pytest.param("attachment-pdf-trs.html", ItemKind.ATTACHMENT, id="pdf"),
        pytest.param("attachment-docx-hanweb.html", ItemKind.ATTACHMENT, id="docx"),
        pytest.param("attachment-wps-ilist.html", ItemKind.ATTACHMENT, id="wps"),
        pytest.param("image-only-trs.html", ItemKind.IMAGE_ONLY, id="image-only"),
        pytest.param("gkmlpt-index.html", ItemKind.SHELL, id="gkmlpt-index"),
        pytest.param("webbuilder-showinfo.html", ItemKind.SHELL, id="webbuilder"),
        pytest.param("cms-shell.html", ItemKind.SHELL, id="new-cms"),
    ],
)
def test_kind(pages: dict[str, CleanPage], name: str, kind: ItemKind) -> None:
    page = pages[name]
    assert page.kind is kind
    assert (page.text != "") is (kind is ItemKind.REPORT_HTML)


@pytest.mark.parametrize("name", REPORTS)
def test_report_text_starts_with_the_title(pages: dict[str, CleanPage], name: str) -> None:
    page = pages[name]
    assert page.title
    assert page.text.splitlines()[0] == page.title
    assert "年度报告" in page.title


# ---------------------------------------------------------------- every report table survives


def truth(case: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CASES / case / "truth.json").read_text(encoding="utf-8"))
    return data


def fields(line: str) -> list[str]:
    assert line.endswith(" |")
    return line[: -len(" |")].split(" | ")


def row_for(text: str, label: str) -> list[str]:
    """The grid line whose label fields (all but the last 7) end with ``label``."""
    rows = [fields(x) for x in text.splitlines() if x.endswith(" |")]
    hits = [row for row in rows if len(row) >= 8 and label in row[-8]]
    assert len(hits) == 1, f"{label!r}: {len(hits)} rows"
    return hits[0]


@pytest.mark.parametrize(
    ("name", "case"),
    [
        pytest.param("word-noise-huaian.html", "js-huaian-2024", id="word-noise"),
        pytest.param("hanweb-zoom-hongze.html", "js-hongze-2024", id="hanweb"),
        pytest.param("gkmlpt-content.html", "js-hongze-2023", id="gkmlpt-detail"),
    ],
)
def test_table_three_rows_keep_their_seven_numbers(pages: dict[str, CleanPage], name: str, case: str) -> None:
    facts = truth(case)
    text = pages[name].text
    rows = {key: values for key, values in facts["table3"].items() if values is not None}
    assert len(rows) in {23, 25}  # 2021 leaf rows: one or three （六）其他处理 rows
    for key, values in rows.items():
        label = facts["table3_row_labels"][key].replace("（单行，无细分时）", "").split(" ")[-1]
        assert row_for(text, label)[-7:] == [str(v) for v in values], key
    review = next(
        x for x in text.splitlines() if x.count(" | ") == 14 and x.split(" | ")[0].strip().isdigit()
    )
    assert fields(review) == [str(v) for v in facts["table4_values"]]


def test_table_two_values_survive_word_noise(pages: dict[str, CleanPage]) -> None:
    facts = truth("js-huaian-2024")["table2"]
    text = pages["word-noise-huaian.html"].text
    for rows in facts.values():
        for label, values in rows.items():
            line = next(x for x in text.splitlines() if x.startswith(f"{label} | "))
            cells = fields(line)[1:]
            for value in values.values():
                assert str(value) in cells, (label, value)


def test_trs_2021_table_three_has_all_rows(pages: dict[str, CleanPage]) -> None:
    text = pages["trs-2021-nanbin.html"].text
    lines = [x for x in text.splitlines() if x.endswith(" |") and x.count(" | ") == 9]
    assert len(lines) == 28  # 3 header rows + 25 data rows, each 10 grid columns
    assert fields(lines[3]) == ["一、本年新收政府信息公开申请数量"] * 3 + ["4", "0", "0", "0", "0", "0", "4"]
    assert row_for(text, "1.本机关不掌握相关政府信息")[:2] == ["三、本年度办理结果", "（四）无法提供"]


def test_shanghai_2019_blanks_stay_blank_and_colspans_stay_as_marked(pages: dict[str, CleanPage]) -> None:
    text = pages["shanghai-2019-ningyuan.html"].text
    lines = text.splitlines()
    assert "行政处罚 | 11 | 11 | -4 | 11 |" in lines
    assert "政府集中采购 | 18 | 94946 | 94946 | 94946 |" in lines
    assert row_for(text, "一、本年新收政府信息公开申请数量")[-7:] == [""] * 7
    assert row_for(text, "（六）其他处理")[-7:] == [""] * 7  # 2019: one row, no sub-rows
    assert len([x for x in lines if x.startswith("三、本年度办理结果 | ")]) == 20


def test_word_noise_digits_split_across_spans_rejoin(pages: dict[str, CleanPage]) -> None:
    text = pages["word-noise-huaian.html"].text
    assert "3001 | 53 | 0 | 0 | 61 | 4 | 3119 |" in text
    assert "统计期限自2024年1月1日起至2024年12月31日止" in text


# ---------------------------------------------------------------- metadata


@pytest.mark.parametrize(
    ("name", "title", "published", "publisher"),
    [
        pytest.param(
            "trs-2021-nanbin.html",
            "石柱土家族自治县人民政府南宾街道办事处2024年政府信息公开工作年度报告",
            "2025-01-20",
            "石柱土家族自治县人民政府南宾街道办事处",
            id="trs-head-meta",
        ),
        pytest.param(
            "gkmlpt-content.html",
            "淮安市洪泽区人民政府2023年政府信息公开工作年度报告",
            "2024-01-29",
            "淮安市洪泽区人民政府办公室",
            id="gkmlpt-8-field-table",
        ),
        pytest.param(
            "openness-content.html",
            "示例县2023年政府信息公开工作年度报告",
            "2024-01-31",
            "示例县人民政府办公室",
            id="openness-10-field-table",
        ),
        pytest.param(
            "hanweb-zoom-hongze.html",
            "淮安市洪泽区人民政府2024年政府信息公开工作年度报告",
            "2025-01-21",
            "淮安市洪泽区人民政府办公室",
            id="hanweb-xxgk-table",
        ),
        pytest.param(
            "attachment-wps-ilist.html",
            "示例县财政局2023年政府信息公开工作年度报告",
            "2024-01-22",
            "示例县财政局",
            id="ilist-attribute-spans",
        ),
        pytest.param(
            "shanghai-2019-ningyuan.html",
            "天津市河北区宁园街道办事处2020年政府信息公开工作年度报告",
            None,
            None,
            id="no-metadata",
        ),
    ],
)
def test_metadata(
    pages: dict[str, CleanPage], name: str, title: str, published: str | None, publisher: str | None
) -> None:
    page = pages[name]
    assert (page.title, page.published, page.publisher) == (title, published, publisher)


# ---------------------------------------------------------------- narrative, links


@pytest.mark.parametrize(
    ("name", "snippets"),
    [
        pytest.param(
            "pre2019-govcn.html",
            ["一、概述", "全年共收到政府信息公开申请87件", "七、其他需要报告的事项"],
            id="pre2019",
        ),
        pytest.param(
            "freeform-unknown-container.html",
            ["一、概述", "全年共收到政府信息公开申请87件", "维持具体行政行为2件"],
            id="unknown-container",
        ),
        pytest.param(
            "trs-2021-nanbin.html",
            ["一、总体情况", "六、其他需要报告的事项", "未收取政府信息公开信息处理费"],
            id="trs",
        ),
    ],
)
def test_narrative_survives(pages: dict[str, CleanPage], name: str, snippets: list[str]) -> None:
    text = pages[name].text
    assert [s for s in snippets if s not in text] == []


def test_unknown_container_leaves_out_navigation(pages: dict[str, CleanPage]) -> None:
    text = pages["freeform-unknown-container.html"].text
    assert [s for s in ("网站首页", "新闻中心", "公开指南", "版权所有", "联系我们") if s in text] == []


@pytest.mark.parametrize(
    ("name", "attachments"),
    [
        pytest.param("attachment-pdf-trs.html", (BASE + "P020240129512345678901.pdf",), id="trs-pdf"),
        pytest.param(
            "attachment-docx-hanweb.html",
            (
                "http://www.demo-xian.gov.cn/module/download/downfile.jsp?classid=0"
                "&filename=4e59a3178dec41fda94e6a596ebc228f.docx&showname=%E7%A4%BA%E4%BE%8B.docx",
            ),
            id="hanweb-downfile",
        ),
        pytest.param(
            "attachment-wps-ilist.html", (BASE + "upload/2024/01/22/90123.wps",), id="ilist-file-tag"
        ),
        pytest.param("trs-2021-nanbin.html", (BASE + "P020250120512345678901.pdf",), id="report-with-pdf"),
    ],
)
def test_attachments_are_absolute(
    pages: dict[str, CleanPage], name: str, attachments: tuple[str, ...]
) -> None:
    assert pages[name].attachments == attachments


def test_image_only_page_lists_its_images_not_icons(pages: dict[str, CleanPage]) -> None:
    assert pages["image-only-trs.html"].images == (
        BASE + "W020230130372016425261.jpg",
        BASE + "W020230130372018901234.jpg",
        "http://img.demo-xian.gov.cn/W020230130372019999999.png",
    )
    assert pages["attachment-pdf-trs.html"].images == ()  # the 16px pdf icon is not a page image


def test_gkmlpt_body_is_read_from_config_detail(pages: dict[str, CleanPage]) -> None:
    raw = (FIXTURES / "gkmlpt-content.html").read_text(encoding="utf-8")
    assert "<p>第二十条" not in raw  # markup only escaped (\u003C…) inside the script
    assert "第二十条第（一）项 | " in pages["gkmlpt-content.html"].text


@pytest.mark.parametrize(
    "wrap", ["<div class='TRS_Editor'>{}</div>", "{}"], ids=["container", "no-container"]
)
def test_an_invisible_character_between_digits_never_fuses_them(wrap: str) -> None:
    """Found by the fuzzer: with no known container the page went through trafilatura, which drops a
    zero-width space, and ``398\u200b5758`` became 3985758 — a number never printed."""
    body = (
        "<p>2024年政府信息公开工作年度报告</p><table><tr><td>行政处罚</td><td>398\u200b5758</td></tr></table>"
    )
    html = f"<html><body>{wrap.format(body)}<p>{'正文。' * 40}</p></body></html>"
    text = clean_page(html, url="http://localhost/").text
    assert "3985758" not in text
