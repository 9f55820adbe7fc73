"""Finding the annual-report column and a detail page's title: anchor text, ``ColumnName`` meta, headings.

Pure functions over fetched bodies; the crawl (:mod:`gxbg.crawl.site`) decides what to fetch.
"""

from __future__ import annotations

import html
import re

from gxbg.crawl import vocab
from gxbg.crawl.markup import node_text, parse_document
from gxbg.crawl.titles import classify_title, normalize_title
from gxbg.crawl.urls import absolute

__all__ = ["column_links", "column_name", "detail_title", "is_column_page", "nav_links"]


def column_name(text: str) -> str | None:
    """The page's ``<meta name="ColumnName">`` value, if any."""
    m = re.search(r'<meta\s+name=["\']?ColumnName["\']?\s+content=["\']([^"\']*)', text, re.I)
    return m.group(1) if m else None


def is_column_page(text: str) -> bool:
    """The page says it is the annual-report column (``<meta name="ColumnName">``)."""
    name = column_name(text)
    return bool(name) and any(w in normalize_title(name or "") for w in vocab.REPORT_COLUMN)


def _anchors(text: str, url: str) -> list[tuple[str, str]]:
    doc = parse_document(text)
    if doc is None:
        return []
    out = []
    for a in doc.iter("a"):
        target = absolute(a.get("href"), url)
        if target:
            out.append((target, normalize_title(a.get("title") or "") or node_text(a)))
    return out


def column_links(text: str, url: str) -> list[str]:
    """Links whose anchor text names the annual-report column (best match first); never report items."""
    scored: list[tuple[int, str]] = []
    for target, label in _anchors(text, url):
        if len(label) > 16 or classify_title(label).year is not None:
            continue  # a report item or a year subcolumn, not the column itself
        for rank, word in enumerate(vocab.REPORT_COLUMN):
            if word in label:
                scored.append((rank, target))
                break
    return [t for _, t in sorted(scored, key=lambda s: s[0])]


def nav_links(text: str, url: str) -> list[str]:
    """Links towards the disclosure tree (政府信息公开, 政务公开 …), in vocabulary order."""
    scored: list[tuple[int, str]] = []
    for target, label in _anchors(text, url):
        for rank, word in enumerate(vocab.DISCLOSURE_NAV):
            if label == word or (word in label and len(label) <= len(word) + 2):
                scored.append((rank, target))
                break
    return [t for _, t in sorted(scored, key=lambda s: s[0])]


def detail_title(text: str) -> str | None:
    """The full title a detail page states: ``ArticleTitle`` meta, else ``<h1>``/``<h2>``, else ``<title>``.

    >>> detail_title('<meta name="ArticleTitle" content="示例县2023年政府信息公开工作年度报告"><h1>x</h1>')
    '示例县2023年政府信息公开工作年度报告'
    >>> detail_title("<title>示例县2020年度考核结果_政府信息公开年报</title>")
    '示例县2020年度考核结果'
    """
    if m := re.search(r'<meta\s+name=["\']?ArticleTitle["\']?\s+content=["\']([^"\']+)', text, re.I):
        return normalize_title(html.unescape(m.group(1)))
    doc = parse_document(text)
    if doc is None:
        return None
    for tag in ("h1", "h2", "title"):
        for el in doc.iter(tag):
            title = node_text(el)
            if tag == "title":
                title = title.split("_")[0]
            if title:
                return title
    return None
