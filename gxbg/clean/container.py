"""Find the element that holds the report body: known containers first, then scoring.

Owns the choice of container only; it does not clean it.  Selectors are data in
:mod:`gxbg.clean.selectors`; the scorer follows KIROGOVCOMPARE (``HtmlParseService.ts``): points for
the report title and the six section headings, minus points for navigation and chrome terms.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from gxbg.clean import selectors
from gxbg.clean.select import PageIndex

_TITLE = re.compile(selectors.REPORT_TITLE_PATTERN)
#: A candidate needs at least this score (the title plus one heading, or three headings).
MIN_SCORE = 15


def _has_content(el: lxml_html.HtmlElement) -> bool:
    if el.text_content().strip():
        return True
    return bool(el.xpath(".//img | .//a[@href] | .//file[@href]"))


def by_selector(index: PageIndex) -> lxml_html.HtmlElement | None:
    """The first known container (in selector order) with content; the largest when several match."""
    for selector in selectors.CONTAINERS:
        found = [el for el in index.select(selector) if _has_content(el)]
        if found:
            return max(found, key=lambda el: len(el.text_content()))
    return None


def score(text: str) -> int:
    """Report-likeness of a candidate's text.

    >>> score("示例县2023年政府信息公开工作年度报告 一、总体情况 二、主动公开政府信息情况")
    20
    >>> score("首页 当前位置 网站地图 一、总体情况")
    -4
    """
    points = 10 if _TITLE.search(text) else 0
    points += sum(5 for heading in selectors.SECTION_HEADINGS if heading in text)
    points -= sum(3 * text.count(term) for term in selectors.NAV_TERMS)
    return points


def by_score(index: PageIndex) -> lxml_html.HtmlElement | None:
    """The best-scoring candidate element; on a tie, the one with the least text (the innermost)."""
    best: tuple[int, int] | None = None
    chosen = None
    for el in index.select_all(selectors.CANDIDATES):
        text = el.text_content()
        if len(text) < 50:
            continue
        key = (score(text), -len(text))
        if key[0] >= MIN_SCORE and (best is None or key >= best):  # on a tie, the later (inner) one
            best, chosen = key, el
    return chosen


def find_container(index: PageIndex) -> lxml_html.HtmlElement | None:
    """The report body container, or None when neither the selectors nor the scorer find one."""
    found = by_selector(index)
    return found if found is not None else by_score(index)
