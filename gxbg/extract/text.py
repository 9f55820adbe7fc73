"""The clean-text contract: ``normalize()``, ``compact()``, ``prepare_lines()`` and ``parse_cell()``.

Owns the normalisation every parser relies on (style.md §7) and the reading of one printed cell into
its meaning (report-format.md §9).  Never turns a blank into 0 or a 0 into a blank; never raises on
odd cell text (it becomes ``TEXT``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from gxbg.extract import vocab
from gxbg.extract.model import Meaning, Value

__all__ = [
    "COMPAT_DIGIT_RANGES",
    "CellReading",
    "Line",
    "compact",
    "compact_apart",
    "has_odd_space",
    "join_apart",
    "join_lines",
    "nfkc",
    "normalize",
    "parse_cell",
    "prepare_lines",
    "prepare_lines_nfkc",
]

_SPACES = re.compile(r"[^\S\t\n]+")
_SPACE_RUNS = re.compile(" {2,}")
# the runs _SPACES changes: a single plain space is already what it would become
_SPACES_TO_FIX = re.compile(r"[^\S\t\n]{2,}|[^\S \t\n]")
# ``[^\S \t\n]`` spelt out (every character ``str.isspace`` accepts): a plain class is searched faster
_ODD_SPACE = re.compile("[\x0b-\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_PAGE_NUMBER = re.compile(vocab.PAGE_NUMBER)
# the same lines found in the whole text at once: ``\s`` must not run across a line break
_PAGE_NUMBER_LINES = re.compile(vocab.PAGE_NUMBER.replace(r"\s", r"[^\S\n]"), re.M)
# where a page number line's text starts (a dash or 第, spaces, a digit), one pattern per first
# character: a pattern starting with a literal is scanned fast, one starting with a class or ``^`` is not
_PAGE_NUMBER_STARTS = tuple(re.compile(ch + r"[^\S\n]*\d") for ch in "-—–第")
_BOOKMARK = re.compile(vocab.BOOKMARK)
# ASCII digits only: an Arabic-Indic or other non-ASCII decimal digit is no digit of a count (``\d`` and
# ``int`` would read it), and NFKC has already made fullwidth digits ASCII
_COUNT = re.compile(r"^([+-]?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)$")
_AMOUNT = re.compile(r"^([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)\(?(" + "|".join(vocab.UNITS) + r")?\)?$")
#: The longest count read (digits): more is no count of a report, and ``int`` refuses past 4,300 digits.
MAX_COUNT_DIGITS = 18
#: The longest amount read (characters of its number).
MAX_AMOUNT_CHARS = 40
# two numbers a space apart inside one cell ("1 2", "3168.06\t56"), or a sign apart from its digits
# ("- 4"): never read as one number
_SPACED_DIGITS = re.compile(r"[0-9+-][^\S\n]+[0-9.,]|[.,][^\S\n]+[0-9]")
# Compatibility characters whose NFKC form holds a digit (superscripts ¹²³, subscripts, fractions, ⒈,
# ㉑, ㍘, 𝟏 …): a footnote mark or a symbol, never a digit of a count.  NFKC leaves them as printed, so
# ``95¹`` stays ``95¹`` (a text cell), not ``951``.  Not the fullwidth digits (digits), nor the circled
# and parenthesised numerals ①-⑳ ⑴-⒇ (list numbering, written ``(n)``).
# (Spelt out as ranges: computing them from unicodedata at import took ~25 ms; a test recomputes them.)
COMPAT_DIGIT_RANGES = (
    (0xB2, 0xB3), (0xB9, 0xB9), (0xBC, 0xBE), (0x2070, 0x2070), (0x2074, 0x2079), (0x2080, 0x2089),
    (0x2150, 0x215F), (0x2189, 0x2189), (0x2488, 0x249B), (0x24EA, 0x24EA), (0x3251, 0x325F),
    (0x32B1, 0x32CB), (0x3358, 0x3370), (0x3378, 0x3379), (0x339F, 0x33A6), (0x33A8, 0x33A8),
    (0x33AF, 0x33AF), (0x33E0, 0x33FE), (0x1D7CE, 0x1D7FF), (0x1F100, 0x1F10A), (0x1FBF0, 0x1FBF9),
)  # fmt: skip
_COMPAT_DIGITS = "".join(chr(c) for lo, hi in COMPAT_DIGIT_RANGES for c in range(lo, hi + 1))
_COMPAT_DIGIT_SET = frozenset(_COMPAT_DIGITS)
_COMPAT_DIGIT_RE = re.compile("([" + re.escape(_COMPAT_DIGITS) + "])")
# circled numerals carry list numbering (①…⑳); NFKC would turn them into bare digits
_CIRCLED = {chr(0x2460 + i): f"({i + 1})" for i in range(20)}
_CIRCLED_RE = re.compile("[" + "".join(_CIRCLED) + "]")
# Characters replaced before NFKC (speed): circled numerals by ``(n)``, and the fullwidth forms, U+3000
# and the ellipsis that Chinese text is full of by their NFKC form.  Replacing a character by its
# compatibility decomposition never changes the NFKC result, and once none is left a text is mostly
# NFKC already, which ``is_normalized`` tells far faster than ``normalize`` would.
_PRE_NFKC = {
    **_CIRCLED,
    **{ch: unicodedata.normalize("NFKC", ch) for ch in map(chr, (*range(0xFF01, 0xFF5F), 0x3000, 0x2026))},
}
_PRE_NFKC_RE = re.compile("[" + "".join(_PRE_NFKC) + "]")
# The odd space characters that NFKC keeps (it turns U+3000, U+00A0, U+2000-U+200A … into a plain
# space): in an NFKC text, a few substring tests find an odd space faster than a class pattern's scan.
_NFKC_ODD_SPACES = tuple(
    ch for ch in map(chr, range(0x3001)) if _ODD_SPACE.match(ch) and unicodedata.normalize("NFKC", ch) == ch
)


def nfkc(text: str) -> str:
    """NFKC, except that a compatibility character standing for a digit is kept as printed.

    >>> nfkc("１２件 95¹ ⒛ ٣")
    '12件 95¹ ⒛ ٣'
    """
    if _COMPAT_DIGIT_RE.search(text) is None:
        return unicodedata.normalize("NFKC", text)
    parts = _COMPAT_DIGIT_RE.split(text)  # the kept characters at the odd indices
    return "".join(p if i % 2 else unicodedata.normalize("NFKC", p) for i, p in enumerate(parts))


_nfkc = nfkc  # ``prepare_lines_nfkc`` has a local of that name


def normalize(text: str) -> str:
    """NFKC, then collapse whitespace runs to one space and strip; idempotent.

    >>> normalize("（一）予以公开：１２３\u3000 件 ")
    '(一)予以公开:123 件'
    >>> normalize("①申请")
    '(1)申请'
    """
    if not unicodedata.is_normalized("NFKC", text):  # fast path: prepared lines are NFKC already
        text = nfkc(_CIRCLED_RE.sub(lambda m: _CIRCLED[m.group()], text))
    # str.split() splits on exactly the characters ``\s`` matches (str.isspace), without a regex
    return " ".join(text.split())


@lru_cache(maxsize=8192)  # pure; table labels and cells repeat across reports
def compact(text: str) -> str:
    """``normalize`` with every space removed: the form label patterns match.

    >>> compact("结 果 维 持")
    '结果维持'
    """
    if not unicodedata.is_normalized("NFKC", text):
        text = nfkc(_CIRCLED_RE.sub(lambda m: _CIRCLED[m.group()], text))
    return "".join(text.split())


#: What stands between two numbers that only whitespace separated, once the whitespace is removed
#: (``compact_apart``): not a digit, not a space, so ``申请 17 17 件`` never reads 1717.
NUMBER_GAP = "\u2016"
_DIGIT_GAP = re.compile(r"(?<=[0-9])\s+(?=[0-9])")
_DIGIT_GAP_FIND = re.compile(r"[0-9]\s+[0-9]")


def compact_apart(text: str) -> str:
    """``compact`` (uncached), except that whitespace between two digits becomes ``NUMBER_GAP``: removing
    spaces never joins two printed numbers into one.

    >>> compact_apart("申请 17 17 件, 20\t17年, 1 2 3")
    '申请17\u201617件,20\u201617年,1\u20162\u20163'
    """
    if _DIGIT_GAP_FIND.search(text) is not None:  # (a pattern starting with a class scans fast)
        text = _DIGIT_GAP.sub(NUMBER_GAP, text)
    return compact.__wrapped__(text)


def join_apart(parts: list[str]) -> list[str]:
    """``parts`` (compacted lines, to be joined with nothing) with ``NUMBER_GAP`` appended to a part that
    ends in a digit when the next starts with one: a line break never joins two numbers either.

    >>> join_apart(["收到1", "7件", "a", "2", "", "3"])
    ['收到1\u2016', '7件', 'a', '2\u2016', '', '3']
    """
    out = list(parts)
    last = -1  # the last non-empty part: an empty one (a blank line) joins nothing either
    for i, part in enumerate(out):
        if not part:
            continue
        if last >= 0 and out[last][-1:] in _ASCII_DIGITS and part[:1] in _ASCII_DIGITS:
            out[last] += NUMBER_GAP
        last = i
    return out


_ASCII_DIGITS = frozenset("0123456789")


def has_odd_space(text: str) -> bool:
    """Whether ``text`` holds a space character other than a plain space, a tab or a line break.

    >>> has_odd_space("a b\\tc\\n"), has_odd_space("a\\u3000b")
    (False, True)
    """
    return _ODD_SPACE.search(text) is not None


#: One input line after preparation: ``(number, text)``, its 1-based number in the original text and its
#: content.  A plain tuple, unpacked where read: a report has hundreds of lines, and a tuple is built
#: several times faster than a named tuple (whose instances are a subclass) or a frozen dataclass.
Line = tuple[int, str]


_line_text = itemgetter(1)


def join_lines(lines: Iterable[Line]) -> str:
    """The lines' texts joined by line breaks (``"\\n".join(text for _, text in lines)``, without a
    Python-level generator: sections and tables join hundreds of lines per report).

    >>> join_lines(prepare_lines("a\\n b"))
    'a\\n b'
    """
    return "\n".join(map(_line_text, lines))


def prepare_lines(text: str) -> tuple[Line, ...]:
    """Split the document into lines: NFKC, spaces collapsed (tabs kept: they mark DOCX cells),
    ``[bookmark: …]`` markers removed, page-number lines (``- 4 -``) dropped.

    >>> [text for _, text in prepare_lines("a\\r\\n- 4 -\\n\\tb  c\\n")]
    ['a', '\\tb c', '']
    """
    return prepare_lines_nfkc(text)[0]


def prepare_lines_nfkc(text: str) -> tuple[tuple[Line, ...], bool]:
    """``prepare_lines``, and whether the lines are known to be NFKC without checking them: always,
    unless a removed bookmark marker joined a base letter to a combining mark (then ``False``:
    unknown).  Lets the parsers skip an NFKC check per section (speed).

    >>> prepare_lines_nfkc("a\\n[bookmark: x]b")
    (((1, 'a'), (2, 'b')), False)
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not unicodedata.is_normalized("NFKC", text):  # a normalised text has no circled numeral either
        # each character found is replaced everywhere at once, so the next search resumes where this one
        # matched (no replacement holds such a character): one scan, no list of every match (speed)
        m = _PRE_NFKC_RE.search(text)
        while m is not None:
            text = text.replace(m.group(), _PRE_NFKC[m.group()])
            m = _PRE_NFKC_RE.search(text, m.start())
        if not unicodedata.is_normalized("NFKC", text):
            text = _nfkc(text)
    # Whole-text passes, line for line the same as the line-by-line rules: no pattern crosses a line
    # break, and collapsing spaces cannot change whether a line is a page number (its pattern allows
    # any run of spaces).  Page numbers are read before markers are removed, as line by line.
    dropped = _page_number_lines(text)
    nfkc = "[bookmark:" not in text  # only removing a marker can join characters NFKC would compose
    if not nfkc:
        if any("\n" in m for m in _BOOKMARK.findall(text)):  # never removed line by line: keep it
            return _prepare_line_by_line(text), False
        text = _BOOKMARK.sub("", text)
    if any(map(text.__contains__, _NFKC_ODD_SPACES)):  # the text is NFKC here
        text = _SPACES_TO_FIX.sub(" ", text)
    elif "  " in text:  # plain spaces only (NFKC made U+3000 and U+00A0 plain): a literal pattern, fast
        text = _SPACE_RUNS.sub(" ", text)
    text = text.replace(" \n", "\n")  # spaces are collapsed: one at most ends a line
    if text.endswith(" "):
        text = text[:-1]
    raws = text.split("\n")
    lines = enumerate(raws, start=1)  # (number, text) tuples
    if not dropped:
        return tuple(lines), nfkc
    return tuple([ln for i, ln in enumerate(lines) if i not in dropped]), nfkc


def _page_number_lines(text: str) -> set[int]:
    """The 0-based indices of the page-number lines (``- 4 -``, ``第3页 共9页``) of a whole text.

    >>> sorted(_page_number_lines("a\\n - 4 -\\nx - 5 -\\n第 3 页\\n"))
    [1, 3]
    """
    found: set[int] = set()
    for pattern in _PAGE_NUMBER_STARTS:
        for m in pattern.finditer(text):
            at = m.start()
            start = text.rfind("\n", 0, at) + 1
            if (start == at or text[start:at].isspace()) and _PAGE_NUMBER_LINES.match(text, start):
                found.add(text.count("\n", 0, start))
    return found


def _prepare_line_by_line(text: str) -> tuple[Line, ...]:
    """``prepare_lines`` after NFKC, one line at a time (a ``[bookmark:`` marker spans lines).

    >>> _prepare_line_by_line("[bookmark: a\\nb] x  \\n- 2 -")
    ((1, '[bookmark: a'), (2, 'b] x'))
    """
    out: list[Line] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if _PAGE_NUMBER.match(raw):
            continue
        out.append((number, _SPACES.sub(" ", _BOOKMARK.sub("", raw)).rstrip(" ")))
    return tuple(out)


class CellReading(NamedTuple):
    """What one printed cell says (a named tuple: parsers unpack it for every cell)."""

    meaning: Meaning
    value: Value
    unit: str | None = None


_BLANK = CellReading(Meaning.BLANK, None)
_NA = CellReading(Meaning.NA, None)
_TEXT = CellReading(Meaning.TEXT, None)


@lru_cache(maxsize=8192)
def parse_cell(raw: str, *, kind: str = "count", unit: str | None = None) -> CellReading:
    """Read one printed cell.  ``kind`` is ``count``, ``signed`` or ``amount``; ``unit`` is the
    column's unit for amounts printed bare.

    >>> parse_cell("0")
    CellReading(meaning=<Meaning.ZERO: 'zero'>, value=0, unit=None)
    >>> parse_cell("1,204").value
    1204
    >>> parse_cell("").meaning, parse_cell("/").meaning, parse_cell("无").meaning
    (<Meaning.BLANK: 'blank'>, <Meaning.NA: 'na'>, <Meaning.TEXT: 'text'>)
    >>> parse_cell("3 5").meaning, parse_cell("- 0").meaning, parse_cell(" 35 ").value
    (<Meaning.TEXT: 'text'>, <Meaning.TEXT: 'text'>, 35)
    >>> parse_cell("+14", kind="signed").value
    14
    >>> r = parse_cell("3168.0656(万元)", kind="amount"); (str(r.value), r.unit)
    ('3168.0656', '万元')
    >>> str(parse_cell("94946", kind="amount").value), parse_cell("94946", kind="amount").unit
    ('94946', None)
    """
    s = compact(raw)
    if not s:
        return _BLANK
    if s in vocab.NA_MARKS:
        return _NA
    # two printed numbers, not one (a cell of ASCII without whitespace, most of them, cannot be)
    if (not raw.isascii() or len(raw.split()) > 1) and _SPACED_DIGITS.search(normalize(raw)) is not None:
        return _TEXT
    if kind == "amount":
        m = _AMOUNT.match(s)
        if m is None or len(m.group(1)) > MAX_AMOUNT_CHARS:
            return _TEXT
        try:
            amount = Decimal(m.group(1).replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
            return _TEXT
        meaning = Meaning.ZERO if amount == 0 else Meaning.NUMBER
        return CellReading(meaning, amount, m.group(2) or unit)
    m = _COUNT.match(s)
    if m is None:
        return _TEXT
    digits = m.group(2).replace(",", "")
    if len(digits) > MAX_COUNT_DIGITS:  # no count of a report; past 4,300 digits ``int`` would raise
        return _TEXT
    number = int(digits)
    if m.group(1) == "-":
        number = -number
    elif m.group(1) == "+" and kind != "signed":
        return _TEXT
    return CellReading(Meaning.ZERO if number == 0 else Meaning.NUMBER, number)


@lru_cache(maxsize=8192)
def is_value_text(raw: str) -> bool:
    """Whether a token can be a table value (a count, a 0, ``/``, ``—``): used to find runs.

    >>> [is_value_text(s) for s in ("12", "-", "无", "1.属于", "", "95¹", "¹")]
    [True, True, True, False, False, True, False]
    """
    s = compact(raw)
    if s[-1:] in _COMPAT_DIGIT_SET:  # a count with a footnote mark (95¹) holds a value's place (as text)
        s = s.rstrip(_COMPAT_DIGITS)
    return bool(s) and (s in vocab.NA_MARKS or s in vocab.TEXT_VALUES or _COUNT.match(s) is not None)
