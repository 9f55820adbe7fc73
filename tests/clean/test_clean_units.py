"""clean_page edge cases and its parts: fallbacks, metadata apart, robustness, the selector subset."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from gxbg.clean import clean_page
from gxbg.clean.container import find_container
from gxbg.clean.select import PageIndex
from gxbg.kinds import ItemKind

URL = "http://www.demo-xian.gov.cn/a/b.html"
PROSE = "本机关全年主动公开政府信息一千余条，依申请公开工作规范有序，未发生行政复议和行政诉讼。" * 3


def test_empty_and_blank_pages_are_shells() -> None:
    for html in ("", "   ", "<html></html>", '<?xml version="1.0" encoding="utf-8"?>'):
        page = clean_page(html, url=URL)
        assert (page.kind, page.text, page.attachments) == (ItemKind.SHELL, "", ())


def test_xml_declaration_and_control_characters_are_tolerated() -> None:
    html = (
        '<?xml version="1.0" encoding="gb2312"?>'
        f'<html><body><div id="zoom"><p>{PROSE}\x00</p></div></body></html>'
    )
    page = clean_page(html, url=URL)
    assert page.kind is ItemKind.REPORT_HTML
    assert PROSE in page.text


def test_style_inside_the_container_never_leaks() -> None:
    html = (
        '<div class="TRS_Editor"><style>.TRS_Editor P{margin-top:0;font-family:宋体;}</style>'
        f"<p>.TRS_Editor TD{{font-size:12pt;}}{PROSE}</p><!-- 注释 --></div>"
    )
    text = clean_page(html, url=URL).text
    assert text == PROSE


def test_metadata_table_inside_the_body_is_dropped_and_report_table_kept() -> None:
    html = (
        '<div id="zoom"><table><tr><td>索引号</td><td>x/2024-1</td>'
        "<td>发布机构</td><td>某局</td></tr></table>"
        f"<p>{PROSE}</p>"
        "<table><tr><td>信息内容</td><td>本年处理决定数量</td></tr>"
        "<tr><td>第二十条第（五）项 行政许可</td><td>12</td></tr>"
        "<tr><td>名称</td><td>文号</td></tr></table></div>"
    )
    page = clean_page(html, url=URL)
    assert "索引号" not in page.text
    assert "第二十条第（五）项 行政许可 | 12 |" in page.text.splitlines()
    assert "名称 | 文号 |" in page.text.splitlines()
    assert page.publisher == "某局"


def test_scorer_picks_the_innermost_report_block() -> None:
    body = "".join(f"<p>{h}</p><p>{PROSE}</p>" for h in ("一、总体情况", "二、主动公开政府信息情况"))
    html = (
        "<html><body><div class='wrap'><div class='nav'>首页 当前位置 网站地图</div>"
        f"<div class='c1'><div class='c2'><p>示例县2023年政府信息公开工作年度报告</p>{body}</div></div></div>"
        "</body></html>"
    )
    found = find_container(PageIndex.of(lxml_html.document_fromstring(html)))
    assert found is not None
    assert found.get("class") == "c2"


def test_trafilatura_reads_the_narrative_when_nothing_else_matches() -> None:
    paragraphs = "".join(f"<p>{PROSE}第{k}段。</p>" for k in range(4))
    html = (
        "<html><head><title>某局工作情况</title></head><body>"
        "<div class='menu'><a href='/'>网站首页</a> <a href='/x'>机构概况</a></div>"
        f"<div class='main'>{paragraphs}</div></body></html>"
    )
    page = clean_page(html, url=URL)
    assert page.kind is ItemKind.REPORT_HTML
    assert all(f"第{k}段" in page.text for k in range(4))
    assert "网站首页" not in page.text


def test_attachment_links_resolve_against_base_href() -> None:
    html = (
        '<html><head><base href="http://cdn.example.gov.cn/x/"></head>'
        '<body><div class="TRS_Editor"><a href="P0.pdf">全文</a></div></body></html>'
    )
    page = clean_page(html, url=URL)
    assert (page.kind, page.attachments) == (ItemKind.ATTACHMENT, ("http://cdn.example.gov.cn/x/P0.pdf",))


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(
        st.text(max_size=200),
        st.lists(
            st.sampled_from(
                [
                    "<div id='zoom'>",
                    "</div>",
                    "<table>",
                    "<td rowspan=9>",
                    "<p>",
                    "a",
                    "第二十条",
                    "<!--",
                    "<",
                ]
            ),
            max_size=40,
        ).map("".join),
    )
)
def test_arbitrary_input_never_raises(html: str) -> None:
    page = clean_page(html, url=URL)
    assert isinstance(page.kind, ItemKind)


@pytest.mark.parametrize(
    ("selector", "classes"),
    [
        pytest.param("div.a", ["a"], id="tag-class"),
        pytest.param(".a", ["a", "a b"], id="class"),
        pytest.param("#i", ["a b"], id="id"),
        pytest.param("section > article", ["c"], id="child"),
    ],
)
def test_selector_subset(selector: str, classes: list[str]) -> None:
    doc = lxml_html.document_fromstring(
        "<div class='a'></div><p class='a b' id='i'></p><section><article class='c'></article></section>"
        "<div><article class='d'></article></div>"
    )
    assert [el.get("class") for el in PageIndex.of(doc).select(selector)] == classes


def test_unsupported_selector_is_refused() -> None:
    doc = lxml_html.document_fromstring("<p></p>")
    with pytest.raises(ValueError, match="unsupported selector"):
        PageIndex.of(doc).select("div p[x]")
