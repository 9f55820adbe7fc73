"""``split_sections(lines)``: find the six section headings and cut the text between them.

Owns heading recognition (report-format.md §3): an ordinal 一 … 六 at line start, a separator
(``、`` ``.`` ``．`` or spaces) and the heading's keywords.  Headings must appear in order; an intro
paragraph naming all six sections does not match because headings are matched at line start only.
Table rows such as ``四、结转下年度继续办理`` do not match because the keywords differ.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from gxbg.extract import vocab
from gxbg.extract.model import Section, SectionText
from gxbg.extract.text import Line, join_lines, normalize

__all__ = ["SectionSpan", "split_sections", "split_sections_pre2019"]

_ORDER = tuple(Section)
# markdown from PDF converters marks headings (``## 三、…``, ``**四、…**``): the marks are skipped
_HEADING = re.compile(
    r"^\s*(?:#{1,6}|\*{1,2})?\s*([" + "".join(vocab.SECTION_ORDINALS) + r"])\s*[、.,:]\s*(.*)$"
)
# the lines _HEADING can match, found in the joined text at once (``\s`` kept off line breaks): an
# ordinal and its separator are searched for, one pattern per ordinal (a pattern starting with a
# literal is scanned fast, one starting with a class or ``^`` is not), then only blanks may stand
# between the line start and the ordinal
_CANDIDATES = tuple(re.compile(o + r"[^\S\n]*[、.,:]") for o in vocab.SECTION_ORDINALS)
_SPACE_RUNS = re.compile(" {2,}")
# what may stand between a line start and a heading's ordinal: blanks and markdown heading marks
_MARKS = " \t#*"
_KEYWORDS = {key: re.compile(vocab.SECTION_HEADINGS[key.value]) for key in _ORDER}
_MAX_HEADING = 40
_PRE_HEADING = re.compile(r"^\s*([" + vocab.PRE2019_ORDINALS + r"]{1,2})\s*[、.,:]\s*(.{1,40})$")
_PRE_KEYWORDS = tuple((_ORDER.index(Section(k)), re.compile(p)) for k, p in vocab.SECTION_HEADINGS_PRE2019)


@dataclass(frozen=True, slots=True)
class SectionSpan:
    """A section and the prepared lines of its body (heading excluded), with their text joined by
    line breaks (``join_lines(lines)``, which the tables and the format detection read) and whether
    that text is NFKC (checked once per report, not per reader)."""

    section: SectionText
    lines: tuple[Line, ...]
    source: str
    nfkc: bool


def _heading_key(text: str, after: int) -> Section | None:
    m = _HEADING.match(text)
    if m is None or "|" in text:
        return None
    index = vocab.SECTION_ORDINALS.index(m.group(1))
    if index <= after:
        return None
    rest = m.group(2).replace(" ", "")
    km = _KEYWORDS[_ORDER[index]].search(rest)
    if km is None or km.start() > 8:
        return None
    return _ORDER[index]


def split_sections(lines: tuple[Line, ...], *, nfkc: bool = False) -> tuple[SectionSpan, ...]:
    """The sections found, in order, each with its body lines.  ``nfkc``: the lines are known to be
    NFKC (``prepare_lines_nfkc``); otherwise they are checked, once.

    >>> from gxbg.extract.text import prepare_lines
    >>> text = "前言\\n一、总体情况\\n正文\\n四、结转下年度继续办理 |\\n五、存在问题及改进情况\\n无"
    >>> spans = split_sections(prepare_lines(text))
    >>> [(s.section.key.value, s.section.text) for s in spans]
    [('overview', '正文\\n四、结转下年度继续办理 |'), ('problems', '无')]
    """
    starts: list[tuple[int, Section, int]] = []
    last = -1
    joined = join_lines(lines)
    index, offset = 0, 0
    for at in sorted([m.start() for pattern in _CANDIDATES for m in pattern.finditer(joined)]):
        start = joined.rfind("\n", 0, at) + 1
        if start != at and joined[start:at].strip(_MARKS):
            continue
        index += joined.count("\n", offset, at)
        offset = at
        key = _heading_key(lines[index][1], last)
        if key is not None:
            starts.append((index, key, start))
            last = _ORDER.index(key)
    if not starts:
        return ()
    # each body's text is a slice of the joined text (speed: a report's lines are joined once)
    nfkc = nfkc or unicodedata.is_normalized("NFKC", joined)
    bounds = [start for _, _, start in starts[1:]]
    sources: list[str | None] = []
    for (_, _, start), stop in zip(starts, [*(b - 1 for b in bounds), len(joined)], strict=True):
        body_start = joined.find("\n", start) + 1
        sources.append(joined[body_start:stop] if body_start else "")
    return _spans(lines, [(i, key) for i, key, _ in starts], sources, nfkc)


def split_sections_pre2019(lines: tuple[Line, ...]) -> tuple[SectionSpan, ...]:
    """The sections of a free-form pre-2019 report, whose parts are numbered freely.

    A heading is a short line ``一、`` … ``十、`` whose ordinal is above the previous heading's and whose
    words name a section after the previous one (vocab.SECTION_HEADINGS_PRE2019); a part that names
    none (收费及减免) stays in the section before it.

    >>> from gxbg.extract.text import prepare_lines
    >>> text = "一、概述\\n正文\\n二、依申请公开情况\\n四、收费及减免情况\\n五、因申请提起行政复议的情况\\n无"
    >>> [(s.section.key.value, s.section.text) for s in split_sections_pre2019(prepare_lines(text))]
    [('overview', '正文'), ('requests', '四、收费及减免情况'), ('appeals', '无')]
    """
    starts: list[tuple[int, Section]] = []
    last_key, last_ordinal = -1, 0
    for index, (_, text) in enumerate(lines):
        if "|" in text or (m := _PRE_HEADING.match(text)) is None:
            continue
        ordinal = _ordinal_value(m.group(1))
        if ordinal <= last_ordinal:
            continue
        rest = m.group(2).replace(" ", "")
        key = next((k for k, pattern in _PRE_KEYWORDS if k > last_key and pattern.search(rest)), None)
        if key is not None:
            starts.append((index, _ORDER[key]))
            last_key, last_ordinal = key, ordinal
    return _spans(lines, starts, [None] * len(starts), None)


def _ordinal_value(ordinal: str) -> int:
    """一 … 十 (and 十一 … 十九) as a number, 0 when not a numeral of that form.

    >>> [_ordinal_value(o) for o in ("一", "七", "十", "十二", "二十", "三三")]
    [1, 7, 10, 12, 0, 0]
    """
    digits = vocab.PRE2019_ORDINALS
    if len(ordinal) == 1:
        return digits.index(ordinal) + 1
    if ordinal[0] == "十" and ordinal[1] != "十":
        return 10 + digits.index(ordinal[1]) + 1
    return 0


def _spans(
    lines: tuple[Line, ...], starts: list[tuple[int, Section]], sources: list[str | None], nfkc: bool | None
) -> tuple[SectionSpan, ...]:
    """Each heading's section, its body the lines up to the next heading.  ``sources``: each body's
    joined text when known; ``nfkc``: whether every line is NFKC, when known."""
    spans: list[SectionSpan] = []
    for n, (i, key) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        body = lines[i + 1 : end]
        number, text = lines[i]
        heading = normalize(text)
        source = sources[n]
        body_nfkc = nfkc
        if len(heading) > _MAX_HEADING:  # heading and first paragraph on one line
            body = ((number, heading[_MAX_HEADING // 2 :]), *body)
            heading = heading[: _MAX_HEADING // 2]
            source, body_nfkc = None, None
        if source is None:
            source = join_lines(body)
        if body_nfkc is None:
            body_nfkc = unicodedata.is_normalized("NFKC", source)
        section = SectionText(key=key, heading=heading, text=_body_text(body, source, body_nfkc), line=number)
        spans.append(SectionSpan(section, body, source, body_nfkc))
    return tuple(spans)


def _body_text(body: tuple[Line, ...], joined: str | None = None, nfkc: bool | None = None) -> str:
    """The lines, each normalised, joined by line breaks, blank lines at both ends dropped.

    ``body`` holds prepared lines (``prepare_lines``): no space character but single spaces, tabs and
    line breaks (tests/extract/test_fast_paths.py pins that), and NFKC unless a removed bookmark marker
    joined a base letter to a combining mark; so normalising a line only collapses tab runs and
    strips it, unless the NFKC quick check says otherwise.  ``joined`` (``join_lines(body)``) and
    ``nfkc`` (whether it is NFKC) are given when already known.

    >>> from gxbg.extract.text import prepare_lines
    >>> _body_text(prepare_lines("\\n a \\t b \\n \\n\\tc\\n\\n"))
    'a b\\n\\nc'
    """
    if joined is None:
        joined = join_lines(body)
    if nfkc is None:
        nfkc = unicodedata.is_normalized("NFKC", joined)
    if not nfkc:  # see above: line by line
        return "\n".join([normalize(text) for _, text in body]).strip("\n")
    # per line: whitespace runs to one space, then the line stripped: after collapsing, one space at
    # most sits at either side of a line break.  Tabs become spaces first: a pattern starting with a
    # literal space is scanned far faster than a class (DOCX text has tabs on every table line)
    if "\t" in joined:
        joined = joined.replace("\t", " ")
    if "  " in joined:
        joined = _SPACE_RUNS.sub(" ", joined)
    return joined.replace(" \n", "\n").replace("\n ", "\n").strip(" ").strip("\n")
