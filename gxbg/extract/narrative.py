"""``read_narrative(spans)``: figures the narrative quotes (收到申请31件, 行政复议9起 …), and
``read_headline(lines)``: the headline figures of a free-form pre-2019 report (report-format.md §8).

Reads sections 一, 三 and 四 outside their tables (lines with ``|``, tab-indented cells and lines
ending in a run of numbers are table text).  Wrapped PDF lines are joined before matching.  Each
figure keeps its line so a text-vs-table check can point at it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator

from gxbg.extract import vocab
from gxbg.extract.model import HeadlineFigure, NarrativeFigure, Section
from gxbg.extract.sections import SectionSpan
from gxbg.extract.text import NUMBER_GAP, Line, compact

__all__ = ["read_headline", "read_narrative"]


def _required_literal(source: str) -> str:
    """The longest run of Chinese characters every match of the pattern ``source`` contains ("" if none
    is sure): characters outside groups, not made optional by ``?``, ``*`` or ``{0``; a pattern with a
    top-level ``|`` has none.  Lets a pattern be skipped, with the same result, on a text lacking the run
    (a pattern that starts with a group or a class is scanned character by character).

    >>> _required_literal(r"(\\d+)件(?:结转|顺延)(?:至|到)下年度"), _required_literal(r"上年度?结转(\\d+)件")
    ('下年度', '上年')
    >>> _required_literal(r"(?:答复|办结)(\\d+)"), _required_literal(r"甲乙|丙")
    ('', '')
    >>> _required_literal(r"甲[乙丙]丁")
    '甲'
    """
    runs: list[str] = []
    current = ""
    depth = 0
    i = 0
    while i < len(source):
        ch = source[i]
        nxt = source[i + 1 : i + 2]
        if ch == "\\":  # an escape (\d, \s …) is never a Chinese character
            runs.append(current)
            current = ""
            i += 2
            continue
        if ch == "[":  # a class: one character of several, none of them sure
            runs.append(current)
            current = ""
            i = source.index("]", i + 2) + 1
            continue
        if ch in "()":
            depth += 1 if ch == "(" else -1
            runs.append(current)
            current = ""
        elif depth == 0 and ch == "|":
            return ""
        elif depth == 0 and not ch.isascii() and nxt not in ("?", "*", "{"):
            current += ch
        else:
            runs.append(current)
            current = ""
        i += 1
    runs.append(current)
    return max(runs, key=len)


def _leading_literals(source: str) -> tuple[str, ...]:
    """The alternatives of the group every match of the pattern ``source`` starts with, when that group
    holds plain Chinese literals only and is not quantified (``()`` otherwise).  Every match starts at an
    occurrence of one of them, which ``str.find`` locates far faster than the regex engine tries each
    position (a pattern starting with a group is scanned character by character).

    >>> _leading_literals(r"(?:答复|办结)(\\d+)件"), _leading_literals(r"(?:共计?|共)收到")
    (('答复', '办结'), ())
    >>> _leading_literals(r"(?:答复|办结)?(\\d+)件"), _leading_literals(r"(\\d+)件")
    ((), ())
    """
    if not source.startswith("(?:"):
        return ()
    end = source.find(")")
    alternatives = source[3:end].split("|")
    # an optional group, or an alternative holding a metacharacter (any ASCII character): not plain
    if source[end + 1 : end + 2] in ("?", "*", "{") or any(
        not a or any(ch.isascii() for ch in a) for a in alternatives
    ):
        return ()
    # an occurrence of 新收到 is one of 新收: look for the shorter only
    return tuple(a for a in alternatives if not any(b != a and a.startswith(b) for b in alternatives))


def _finditer(pattern: re.Pattern[str], starts: tuple[str, ...], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, trying only the positions where one of ``starts`` occurs when every
    match starts there (``_leading_literals``).  The same matches: finditer takes the leftmost match,
    then the leftmost from its end; these patterns match at a position regardless of the text before it
    (no anchor or lookbehind) and never match empty."""
    if not starts:
        yield from pattern.finditer(text)
        return
    found: set[int] = set()
    for literal in starts:
        at = text.find(literal)
        while at >= 0:
            found.add(at)
            at = text.find(literal, at + 1)
    end = 0
    for at in sorted(found):
        if at < end:
            continue
        m = pattern.match(text, at)
        if m is not None:
            yield m
            end = m.end()


#: A quoted figure: a whole number (no digit before or after it, nor a digit and a point or comma: not
#: the 234 of 1,234 nor the 5 of 3.5) of ASCII digits, at most 18 of them.
#: Bounded, so a 20,000-digit run is scanned in linear time (``\d+`` retried at each of its digits made
#: it quadratic), and a run that long, or an Arabic-Indic digit (``\d`` matches it), is never a figure.
_FIGURE = r"(?<![0-9])(?<![0-9][.,])([0-9]{1,18})(?![0-9])(?![.,][0-9])"


def _bounded(source: str) -> re.Pattern[str]:
    """The pattern ``source`` with each figure group ``(\\d+)`` read as ``_FIGURE``.

    >>> _bounded(r"申请(\\d+)件").search("申请 1717 件 申请17件 申请١٧件".replace(" ", "")).group(1)
    '1717'
    >>> [_bounded(r"(\\d+)件").search(t) for t in ("1,234件", "3.5件")]
    [None, None]
    """
    return re.compile(source.replace(r"(\d+)", _FIGURE))


_PATTERNS = tuple(
    (key, _bounded(p), _required_literal(p), _leading_literals(p))
    for key, ps in vocab.NARRATIVE.items()
    for p in ps
)
_DIGIT = re.compile(r"[0-9]")
_SECTIONS = (Section.OVERVIEW, Section.REQUESTS, Section.APPEALS)
# (key, pattern, zero): a ``zero`` pattern states that none occurred; the others quote the figure
_HEADLINE = tuple(
    (key, _bounded(p), zero, _required_literal(p))
    for key in vocab.HEADLINE
    for zero, patterns in ((False, vocab.HEADLINE[key]), (True, vocab.HEADLINE_NONE.get(key, ())))
    for p in patterns
)


def _is_table_row(content: str) -> bool:
    """Whether a line ends in at least three numbers, each after whitespace (table text in prose): what
    ``re.search(r"(?:\\s\\d[\\d,]*){3,}\\s*$", content)`` says, in linear time (that search was
    quadratic on a long line of numbers that ends in something else).

    >>> [_is_table_row(t) for t in ("规章 0 0 0", "1 2 3", " 1 2 3 ", "1 2 3 4", "a 1 2x 3", "a 1,0 2 3")]
    [True, False, True, True, False, True]
    """
    parts = content.rsplit(None, 3)
    if len(parts) < 3:
        return False
    if len(parts) == 3 and not content[:1].isspace():
        return False  # the first of the three has no whitespace before it
    return all(map(_NUMBER_WORD, parts[-3:]))


_NUMBER_WORD = re.compile(r"\d[\d,]*").fullmatch
_GAP_TEST = re.compile(r"[0-9]\s+[0-9]")
_DIGIT_GAPS = re.compile(r"(?<=[0-9])\s+(?=[0-9])")


def _gap(m: re.Match[str]) -> str:
    """A gap between two digits: NUMBER_GAP, then the gap's line breaks (line numbers stay)."""
    return NUMBER_GAP + "\n" * m.group().count("\n")


def _prose(lines: tuple[Line, ...], nfkc: bool = False) -> tuple[str, list[int], list[int]]:
    """The compacted text of the (prepared) lines that are not table text, with each kept line's offset
    in it and its line number (both ascending).  ``nfkc``: the lines are known to be NFKC."""
    kept: list[str] = []
    numbers: list[int] = []
    for number, content in lines:
        if "|" in content or content.startswith("\t"):
            continue
        last = content.rstrip()[-1:]  # a table row ends in a digit or a comma (cheap pre-test)
        if (last.isdigit() or last == ",") and _is_table_row(content):
            continue
        kept.append(content)
        numbers.append(number)
    # Whitespace between two digits, within a line or across line breaks (blank lines too), becomes
    # NUMBER_GAP at the end of the earlier line, so that ``申请 17 17 件`` or ``申请1`` / ``7件`` never
    # quotes 1717 or 17; one scan of the joined text (most reports have such gaps: ``2024 年``).
    joined = "\n".join(kept)
    if _GAP_TEST.search(joined) is not None:
        kept = _DIGIT_GAPS.sub(_gap, joined).split("\n")
    # ``compact`` each line; prepared lines are NFKC but for a rare bookmark case (sections._body_text),
    # and a text of lines joined by line breaks is NFKC exactly when each line is
    if nfkc or unicodedata.is_normalized("NFKC", joined):
        parts = ["".join(content.split()) for content in kept]
    else:
        parts = [compact.__wrapped__(content) for content in kept]
    offsets: list[int] = []
    offset = 0
    for flat in parts:
        offsets.append(offset)
        offset += len(flat)
    return "".join(parts), offsets, numbers


def read_headline(lines: tuple[Line, ...]) -> tuple[HeadlineFigure, ...]:
    """申请总数, 主动公开数 and 复议/诉讼数 quoted in free-form prose (a pre-2019 report).

    A key is read only when every figure the text gives for it agrees (a report comparing with last
    year's figure, or quoting two scopes, gives none): a wrong number is worse than a missing one.

    >>> from gxbg.extract.text import prepare_lines
    >>> text = "全年主动公开政府信息156条。\\n共受理政府信息公开申请12件。\\n"
    >>> text += "未发生行政复议，发生行政诉讼1起。"
    >>> [(f.key, f.value, f.line) for f in read_headline(prepare_lines(text))]
    [('requests_received', 12, 2), ('proactive_published', 156, 1), ('review', 0, 3), ('litigation', 1, 3)]
    >>> read_headline(prepare_lines("受理申请12件，上年受理申请8件。"))
    ()
    """
    text, offsets, numbers = _prose(lines)
    found: dict[str, list[HeadlineFigure]] = {}
    for key, pattern, zero, needed in _HEADLINE:
        if needed not in text:  # no match can lack it: skip the scan
            continue
        for m in pattern.finditer(text):
            at = bisect_right(offsets, m.start(1) if not zero else m.start())
            line = numbers[at - 1] if at else 1
            value = 0 if zero else int(m.group(1))
            found.setdefault(key, []).append(HeadlineFigure(key=key, value=value, raw=m.group(0), line=line))
    out: list[HeadlineFigure] = []
    for key in vocab.HEADLINE:
        figures = found.get(key, [])
        if figures and len({f.value for f in figures}) == 1:
            out.append(min(figures, key=lambda f: f.line))
    return tuple(out)


def read_narrative(spans: tuple[SectionSpan, ...]) -> tuple[NarrativeFigure, ...]:
    """Every narrative figure, in text order, one per (key, value, line)."""
    out: list[NarrativeFigure] = []
    seen: set[tuple[str, int, int]] = set()
    for span in spans:
        if span.section.key not in _SECTIONS:
            continue
        text, offsets, numbers = _prose(span.lines, span.nfkc)
        if not _DIGIT.search(text):  # every figure pattern needs a digit
            continue
        found: list[tuple[int, NarrativeFigure]] = []
        for key, pattern, needed, starts in _PATTERNS:
            if needed not in text:  # no match can lack it: skip the scan
                continue
            for m in _finditer(pattern, starts, text):
                # the last line starting at or before the figure (line numbers ascend with offsets)
                at = bisect_right(offsets, m.start(1))
                line = numbers[at - 1] if at else span.section.line
                ident = (key, int(m.group(1)), line)
                if ident in seen:
                    continue
                seen.add(ident)
                figure = NarrativeFigure(
                    key=key, value=int(m.group(1)), raw=m.group(0), section=span.section.key, line=line
                )
                found.append((m.start(), figure))
        out.extend(f for _, f in sorted(found, key=lambda p: p[0]))
    return tuple(out)
