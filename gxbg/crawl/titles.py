"""Classify a listing title: is it an annual report, of which year and which agency?

By title only (portals.md §2: "the title is the only reliable key"); the year comes from the
title, never from the publication date (a 2023 report is published in 2024).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from gxbg.crawl import vocab

_CORE = re.compile("(?:" + "|".join(vocab.REPORT_TITLE_CORE) + r")$")
_SUFFIX = re.compile(r"[(\[【]([^()\[\]【】]*)[)\]】]$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?度?")
_TRUNCATED = re.compile(r"(…+|\.{2,})$")


@dataclass(frozen=True, slots=True, kw_only=True)
class TitleInfo:
    is_report: bool
    year: int | None
    agency: str | None
    #: a truncated title that may or may not be a report (``…政府信息公开工作年度…``): not a
    #: report on its own word; the crawler confirms it from the detail page's full title
    uncertain: bool = False


def normalize_title(title: str) -> str:
    """NFKC, no whitespace.

    >>> normalize_title(" 示例县 2023 年（图片版）")
    '示例县2023年(图片版)'
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", title))


def classify_title(title: str) -> TitleInfo:
    """Annual report (with report year and publishing agency) or not, from the title alone.

    >>> classify_title("示例县教育局2023年度政府信息公开工作年度报告（图片版）")
    TitleInfo(is_report=True, year=2023, agency='示例县教育局', uncertain=False)
    >>> classify_title("2023年政府信息公开工作年度报告解读").is_report
    False
    >>> classify_title("示例县2020年政府信息公开工作年度…")
    TitleInfo(is_report=False, year=2020, agency='示例县', uncertain=True)
    """
    text = normalize_title(title)
    year_in_suffix: int | None = None
    while m := _SUFFIX.search(text):
        inner = m.group(1)
        if any(s.lower() in inner.lower() for s in vocab.REPORT_SUFFIXES) or _YEAR.fullmatch(inner):
            if ym := _YEAR.fullmatch(inner):
                year_in_suffix = int(ym.group(1))
            text = text[: m.start()]
        else:
            break
    truncated = bool(_TRUNCATED.search(text))
    text = _TRUNCATED.sub("", text).rstrip("。.,，:：")
    if any(word in text for word in vocab.NOT_REPORT):
        return TitleInfo(is_report=False, year=None, agency=None)
    core = _CORE.search(text)
    uncertain = False
    if core is None:
        cut = _truncated_core(text) if truncated else None
        if cut is None:
            return TitleInfo(is_report=False, year=None, agency=None)
        start, uncertain = cut
        head = text[:start]
    else:
        head = text[: core.start()]
    years = list(_YEAR.finditer(head))
    if years:
        last = years[-1]
        year: int | None = int(last.group(1))
        agency = head[: last.start()]
    else:
        year, agency = year_in_suffix, head
    name = re.sub(r"^关于", "", agency).strip("-_:·、 ") or None
    # a bare column name (政府信息公开年报) names no year and no unit: not an item
    named = year is not None or name is not None
    if uncertain:
        return TitleInfo(is_report=False, year=year, agency=name, uncertain=named and year is not None)
    return TitleInfo(is_report=named, year=year, agency=name)


def _truncated_core(text: str) -> tuple[int, bool] | None:
    """Where a cut-off report core starts in ``text``, and whether the cut leaves it ambiguous.

    The tail from 政府信息公开 / 政务公开 / 信息公开 must be the beginning of a full core form
    (:data:`vocab.REPORT_TITLE_FORMS`); it is certain once it reaches 年度报 or 年报, uncertain
    before that (工作年度… may go on as 工作年度考核), and no report at all when it leaves every
    form (工作要… is 工作要点).  A title without a year is never a report here.
    """
    if not _YEAR.search(text):
        return None
    for lead in ("政府信息公开", "政务公开", "信息公开"):
        start = text.rfind(lead)
        if start < 0:
            continue
        tail = text[start:]
        if not any(form.startswith(tail) for form in vocab.REPORT_TITLE_FORMS):
            return None
        return start, not ("年度报" in tail or "年报" in tail)
    return None
