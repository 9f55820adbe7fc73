"""``read_metadata(lines, overview)``: title, publishing agency, report year and printed date.

The year comes from the title, then the statistics period (统计期限…YYYY年1月1日), then the year the
overview names most often (only when one year clearly leads) — never from a publication date alone.
The agency is the title's prefix before the year, else the author of 本报告由…编制.  The published
date is a date printed alone on one of the last two lines (the signature block).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from gxbg.extract import vocab
from gxbg.extract.text import Line, compact_apart, join_apart

# these lines are unique to their report: ``compact`` without its cache (which is for cell texts), and
# two numbers that only whitespace separates stay apart (``20\t17年`` is no year 2017)
_compact = compact_apart

__all__ = ["Metadata", "read_metadata"]


# ASCII: ``\d`` would read Arabic-Indic and other non-ASCII digits as a year (and ``int`` accepts them)
# and whole: a year is never the tail of a longer number (``21016年`` holds no year 1016), and it is a
# year of the 20th or 21st century (``0020年`` is none)
def _whole(source: str) -> str:
    return source.replace(r"(\d{4})", r"(?<![0-9])((?:19|20)\d{2})").replace(
        r"(20\d{2})", r"(?<![0-9])(20\d{2})"
    )


_TITLE = re.compile(_whole(vocab.TITLE), re.ASCII)
_PERIOD = re.compile(_whole(vocab.STAT_PERIOD), re.ASCII)
_AUTHOR = re.compile(vocab.AUTHOR)
_DATE = re.compile(vocab.DATE, re.ASCII)
_YEAR = re.compile(_whole(vocab.YEAR_IN_TEXT), re.ASCII)
_HEAD_LINES = 12
_MAX_PREFIX = 30


@dataclass(frozen=True, slots=True)
class Metadata:
    """What the report says about itself."""

    title: str | None
    agency: str | None
    year: int | None
    published: str | None


def read_metadata(lines: tuple[Line, ...], *, head_end: int, overview: str) -> Metadata:
    """Metadata from the lines before the first section heading (``head_end``) and the overview text."""
    head = [_compact(text) for _, text in lines[: min(head_end, _HEAD_LINES)] if text.strip()]
    title, title_year, agency = _title(head)
    joined = "".join(join_apart(head))
    year = title_year
    if year is None and (m := _PERIOD.search(joined)):
        year = int(m.group(1))
    if year is None:
        year = _leading_year(overview)
    if agency is None and (m := _AUTHOR.search(joined)):
        agency = m.group(1)
    return Metadata(title=title, agency=agency, year=year, published=_published(lines))


def _title(head: list[str]) -> tuple[str | None, int | None, str | None]:
    for i, line in enumerate(head):
        m = _TITLE.search(line)
        if m is None:
            continue
        title = line[: m.end()]
        if m.start() == 0 and i > 0 and _is_name(head[i - 1]):
            title = head[i - 1] + title
        year = int(m.group(1))
        prefix = title[: title.find(m.group(1))]
        return title, year, prefix or None
    return None, None, None


def _is_name(text: str) -> bool:
    return 0 < len(text) <= _MAX_PREFIX and not any(ch.isdigit() for ch in text) and text[-1] not in "。:,;"


def _leading_year(text: str) -> int | None:
    counts = Counter(_YEAR.findall(_compact(text))).most_common(2)
    if not counts or (len(counts) == 2 and counts[0][1] == counts[1][1]):
        return None
    return int(counts[0][0])


def _published(lines: tuple[Line, ...]) -> str | None:
    tail: list[str] = []
    for ln in reversed(lines):
        if ln[1].strip():
            tail.insert(0, _compact(ln[1]))
            if len(tail) == 2:
                break
    for text in reversed(tail):
        if m := _DATE.match(text):
            y, mo, d = (int(g) for g in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    return None
