"""Page metadata: title, publisher and publication date from head <meta> and site metadata blocks.

Owns telling site metadata tables (索引号/发布机构/成文日期…) apart from report tables and reading
them.  It never decides what the report text is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from lxml import html as lxml_html

from gxbg.clean import selectors
from gxbg.clean.select import PageIndex

_NOT_LABEL = re.compile(r"[\s\u3000\xa0:：]+")
_LABELLED = re.compile(r"^\s*([^:：]{1,12}?)\s*[:：]\s*(.+?)\s*$", re.S)
# whole numbers of ASCII digits (``\d`` reads Arabic-Indic digits; ``12024-1-5`` holds no year 2024)
_DATE = re.compile(r"(?<![0-9])([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})(?![0-9])")
_SPACE = re.compile(r"\s+")
_HEADINGS = ("h1", "#ti", ".Article_title", "title")
_TITLE_SUFFIX = re.compile(r"\s*(?:_|--|—|\||｜| - ).*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class PageMeta:
    """What the page says about itself, outside the report body."""

    title: str | None = None
    publisher: str | None = None
    published: str | None = None  # ISO yyyy-mm-dd


def label_of(text: str) -> str:
    """A cell's text as a metadata label: whitespace, ``&nbsp;`` and colons removed.

    >>> label_of("索\xa0引\xa0号：")
    '索引号'
    """
    return _NOT_LABEL.sub("", text)


def iso_date(text: str | None) -> str | None:
    """The first plausible date in ``text`` as ``yyyy-mm-dd``.

    >>> [iso_date(x) for x in ("2024-01-29 16:30", "2024年1月26日", "2024/13/01", None)]
    ['2024-01-29', '2024-01-26', None, None]
    >>> [iso_date(x) for x in ("12024-01-29", "2024-01-291", "٢٠٢٤-01-29")]
    [None, None, None]
    """
    if not text:
        return None
    for y, m, d in _DATE.findall(text):
        if 1990 <= int(y) <= 2100 and 1 <= int(m) <= 12 and 1 <= int(d) <= 31:
            return f"{y}-{int(m):02d}-{int(d):02d}"
    return None


def is_report_table(text: str) -> bool:
    """A table whose text names 第二十条 / 本年新收 / 行政复议 belongs to the report."""
    return any(keyword in text for keyword in selectors.REPORT_TABLE_KEYWORDS)


def _label_hits(table: lxml_html.HtmlElement) -> int:
    hits = 0
    for cell in table.iter("td", "th"):
        cell_text = cell.text_content()
        if len(cell_text) > 40:
            continue
        match = _LABELLED.match(cell_text)
        hits += label_of(match.group(1) if match else cell_text) in selectors.METADATA_ONLY_LABELS
        if hits >= 2:
            break
    return hits


def is_metadata_table(table: lxml_html.HtmlElement) -> bool:
    """A site metadata table: not a report table, and at least two cells are metadata labels."""
    return not is_report_table(table.text_content()) and _label_hits(table) >= 2


def _fields(texts: list[str]) -> dict[str, str]:
    """Label/value pairs from cell texts: ``[label, value]`` neighbours or ``label：value`` in one cell.

    >>> _fields(["标\u3000\u3000题：", "某报告", "发布日期：2024-01-29", "索引号", "x"])
    {'标题': '某报告', '发布日期': '2024-01-29', '索引号': 'x'}
    """
    found: dict[str, str] = {}
    for i, text in enumerate(texts):
        label = label_of(text)
        if label in selectors.METADATA_ONLY_LABELS or label == "来源":
            value = texts[i + 1] if i + 1 < len(texts) else ""
            if label_of(value) not in selectors.METADATA_ONLY_LABELS:
                found.setdefault(label, _SPACE.sub(" ", value).strip())
            continue
        match = _LABELLED.match(text)
        if match:
            found.setdefault(label_of(match.group(1)), _SPACE.sub(" ", match.group(2)).strip())
    return found


def _collect(index: PageIndex) -> dict[str, str]:
    found: dict[str, str] = {}
    for table in index.select("table"):
        # label cells, not the whole table: OpennessContent keeps the report inside its 内容概述 cell
        if _label_hits(table) >= 2:
            for key, value in _fields([c.text_content() for c in table.iter("td", "th")]).items():
                found.setdefault(key, value)
    for block in index.select_all((*selectors.METADATA_BLOCKS, *selectors.METADATA_LISTS)):
        texts = [el.text_content() for el in block if el.tag in {"span", "li", "dt", "dd", "div", "p"}]
        if 0 < len(texts) <= 40:
            for key, value in _fields(texts).items():
                found.setdefault(key, value)
    return found


def _meta(index: PageIndex, name: str) -> str | None:
    for el in index.select("meta"):
        if (el.get("name") or "").strip().lower() == name:
            value = _SPACE.sub(" ", el.get("content") or "").strip()
            if value:
                return value
    return None


def _first(found: dict[str, str], field: str) -> str | None:
    for label in selectors.METADATA_LABELS[field]:
        value = found.get(label)
        if value:
            return value
    return None


def _heading_title(index: PageIndex) -> str | None:
    for el in (el for selector in _HEADINGS for el in index.select(selector)):
        text = _SPACE.sub(" ", el.text_content()).strip()
        if el.tag == "title":
            text = _TITLE_SUFFIX.sub("", text)
        if text:
            return text
    return None


def gkmlpt_detail(raw: str, key: str) -> str | None:
    """A string field of gkmlpt's ``window._CONFIG.DETAIL`` object (``content`` is escaped HTML).

    >>> gkmlpt_detail('window._CONFIG = {SID: "1", DETAIL: {"content":"\\\\u003Cp\\\\u003Ex"}}', "content")
    '<p>x'
    """
    start = raw.find(selectors.GKMLPT_CONFIG)
    detail = raw.find("DETAIL", start) if start >= 0 else -1
    if detail < 0:
        return None
    match = re.compile(rf"[\"']?{key}[\"']?\s*:\s*\"").search(raw, detail)
    if match is None:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(raw, match.end() - 1)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def read_metadata(index: PageIndex, raw: str) -> PageMeta:
    """Title, publisher and publication date: head meta first, then metadata blocks, then headings."""
    found = _collect(index)
    title = _meta(index, selectors.META_TITLE) or _first(found, "title") or gkmlpt_detail(raw, "title")
    published = iso_date(_meta(index, selectors.META_PUBLISHED)) or iso_date(_first(found, "published"))
    return PageMeta(
        title=title or _heading_title(index),
        publisher=_meta(index, selectors.META_PUBLISHER) or _first(found, "publisher"),
        published=published,
    )
