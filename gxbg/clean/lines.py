"""Line-level cleanup of converted body text: page chrome and leaked CSS/Office residue.

Works on the lines :func:`gxbg.extract.htmlgrid.html_to_text` produced.  Table lines (ending in `` |``) are
never touched: a report cell is a fact, whatever it says.
"""

from __future__ import annotations

import re

from gxbg.clean import selectors

_CHROME = re.compile("|".join(f"(?:{p})" for p in selectors.CHROME_PATTERNS))
# The CSS-rule pattern (selectors.LEAK_PATTERNS[0]: selector characters, a brace, a colon, the closing
# brace) is found from its braces in linear time (``_css_spans``); the regex retried it at every
# position of a long run of selector characters (a line with 5,000 digits: ~10 s).
_LEAK_REST = re.compile("|".join(f"(?:{p})" for p in selectors.LEAK_PATTERNS[1:]), re.S)
_SELECTOR_CHARS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.#*,:>-＿．"
    + "".join(map(chr, (*range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B), *range(0xFF10, 0xFF1A))))
)
_OPEN, _CLOSE = "{｛", "}｝"
_ATTACHMENT_WORDS = re.compile(selectors.ATTACHMENT_WORDS)
_SPACE = re.compile(r"\s+")


def is_table_line(line: str) -> bool:
    """A grid row from htmlgrid.

    >>> is_table_line("a | b |"), is_table_line("a")
    (True, False)
    """
    return line.endswith(" |")


def is_chrome(line: str) -> bool:
    """A short line of page furniture (字号 大中小, 打印本页, 分享到…).

    >>> is_chrome("【字号：大 中 小】 【打印本页】"), is_chrome("一、总体情况")
    (True, False)
    """
    return len(line) <= selectors.CHROME_MAX_CHARS and _CHROME.search(line) is not None


def strip_leaks(line: str) -> str:
    """Remove CSS rules and Office residue that leaked into text.

    >>> strip_leaks(".TRS_Editor P{margin-top:0;font-family:宋体;}正文")
    '正文'
    >>> strip_leaks("．TRS＿Editor Ｐ｛margin-top：0；｝")
    ''
    >>> strip_leaks("统计期限为2023年1月1日至12月31日。")
    '统计期限为2023年1月1日至12月31日。'
    """
    return _SPACE.sub(" ", _LEAK_REST.sub("", _drop_css(line))).strip()


def _css_spans(line: str) -> list[tuple[int, int]]:
    """Where ``selectors.LEAK_PATTERNS[0]`` matches (``re.finditer``'s spans), in linear time: for each
    opening brace, the next brace character must close it with a colon between; the match starts where
    the run of selector characters (and spaces) before the brace starts.

    >>> _css_spans("x.P{a:0;}y {b}z｛c：1｝")
    [(0, 9), (14, 20)]
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    n = len(line)
    while True:
        b = min((i for i in (line.find("{", pos), line.find("｛", pos)) if i >= 0), default=-1)
        if b < 0:
            return spans
        j = b + 1
        while j < n and line[j] not in _OPEN and line[j] not in _CLOSE:
            j += 1
        if j < n and line[j] in _CLOSE and (":" in line[b + 1 : j] or "：" in line[b + 1 : j]):
            start = b
            while start > pos and (line[start - 1] in _SELECTOR_CHARS or line[start - 1].isspace()):
                start -= 1
            spans.append((start, j + 1))
            pos = j + 1
        else:
            pos = b + 1


def _drop_css(line: str) -> str:
    out: list[str] = []
    last = 0
    for start, end in _css_spans(line):
        out.append(line[last:start])
        last = end
    out.append(line[last:])
    return "".join(out)


def clean_lines(text: str) -> list[str]:
    """Body lines without chrome and leaks; table lines kept verbatim."""
    kept: list[str] = []
    for line in text.splitlines():
        if is_table_line(line):
            kept.append(line)
            continue
        line = strip_leaks(line)
        if line and not is_chrome(line):
            kept.append(line)
    return kept


def narrative_chars(lines: list[str], *, title: str | None, link_texts: list[str]) -> int:
    """How much report prose there is: non-table text other than the title and attachment links.

    >>> narrative_chars(["某报告", "附件：某报告.pdf", "a | b |"], title="某报告", link_texts=["某报告.pdf"])
    0
    """
    prose = "".join(line for line in lines if not is_table_line(line) and line != title)
    for link in sorted(link_texts, key=len, reverse=True):
        if link:
            prose = prose.replace(link, "")
    return len(_SPACE.sub("", _ATTACHMENT_WORDS.sub("", prose)))
