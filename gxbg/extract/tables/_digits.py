"""Digits whose separators were lost, cut into a row's cells: each cut a printed number (no leading
zero), within bounds (``MAX_DIGITS`` per row, ``MAX_CANDIDATES`` readings, a step budget).  The form's
arithmetic that chooses among the cuts is :mod:`gxbg.extract.tables.decode`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import combinations

from gxbg.extract import vocab
from gxbg.extract.text import MAX_COUNT_DIGITS, Line, compact

__all__ = [
    "MAX_CANDIDATES",
    "MAX_DIGITS",
    "drop_extra",
    "glued_appeals",
    "glued_rows",
    "is_count",
    "is_glued_run",
    "only_reading",
    "pieces",
    "split_glued",
    "split_row",
]

#: Longest digit run decoded as one 表三 row (7 cells of up to 5 digits and a 6-digit 总计 fit).
MAX_DIGITS = 40
#: Most readings kept per row; a row with more is left unread (its digits say too little).
MAX_CANDIDATES = 256
#: Steps of the per-row search before it gives up (bounds the time on long digit runs).
_MAX_STEPS = 5_000  # the 8 cases need at most 1,000 a row

_MARK_CHARS = frozenset("".join(vocab.NA_MARKS) + "／")
_MARK_CLASS = re.escape("".join(sorted(_MARK_CHARS)))
_PIECES = re.compile(rf"\d+|[{_MARK_CLASS}]+")
#: Digits of a line that is 表四 glued wherever it stands (one per cell: 15)
_GLUED_APPEALS = 15
_GROUP_PREFIX = re.compile(vocab.REQUEST_GROUP_PREFIX)
_PAGE_NUMBER = re.compile(vocab.PAGE_NUMBER)


def label_and_run(text: str) -> tuple[str, str] | None:
    """A label, then (after at most one space) one run of digits and marks (``—00———0``) with a digit, to
    the end of ``text``: ``(label, run)``; ``None`` when ``text`` does not end so, or its label ends in a
    digit, a comma, a space or a mark.  Read from the right in linear time (the regex it replaces,
    ``^(.*?[^\\d,\\s…]) ?([\\d…]*\\d[\\d…]*)$``, backtracked: 3 s on one 23 KB line of the fuzz run).

    >>> label_and_run("本年新收政府信息公开申请数量 300153006143119")
    ('本年新收政府信息公开申请数量', '300153006143119')
    >>> label_and_run("其他—00———0")
    ('其他', '—00———0')
    >>> label_and_run("总计12,3") is None, label_and_run("———") is None, label_and_run("12") is None
    (True, True, True)
    """
    start = len(text)
    while start and (text[start - 1].isdecimal() or text[start - 1] in _MARK_CHARS):
        start -= 1
    run = text[start:]
    if not any(c.isdecimal() for c in run):
        return None
    end = start - 1 if start and text[start - 1] == " " else start
    last = text[end - 1] if end else ","
    if last.isdecimal() or last == "," or last.isspace() or last in _MARK_CHARS:
        return None
    return text[:end], run


def glued_rows(
    lines: tuple[Line, ...], label_keys: Callable[[str], tuple[str, ...]], wanted: Iterable[str]
) -> dict[str, tuple[str, int]]:
    """Rows of ``wanted`` printed as a label with its digits (and marks: ``—00———0``) run together:
    ``{key: (digits, line)}``; ``pieces`` splits them into runs of digits and runs of marks."""
    wanted = set(wanted)
    out: dict[str, tuple[str, int]] = {}
    for number, text in lines:
        # the digits must run together as printed: spaces between them are separators, never removed
        m = label_and_run(" ".join(text.replace("|", " ").split()))
        if m is None:
            continue
        label = compact(m[0])
        # a flattened row carries its group cells first (三、本年度办理结果（三）不予公开1.属于国家秘密)
        while (g := _GROUP_PREFIX.match(label)) is not None and g.end() < len(label):
            label = label[g.end() :]
        key = next((k for k in label_keys(label) if k in wanted), None)
        if key is not None and key not in out:
            out[key] = (m[1], number)
    return out


def split_row(digits: str, parts: int = 7) -> list[tuple[str, ...]] | None:
    """Every way to cut ``digits`` into ``parts`` printed numbers whose last is the sum of the others
    (no number but ``0`` starts with ``0``); ``None`` when the search is out of bounds.

    >>> split_row("300153006143119")
    [('3001', '53', '0', '0', '61', '4', '3119')]
    >>> split_row("0000000")
    [('0', '0', '0', '0', '0', '0', '0')]
    >>> split_row("1010002")
    [('1', '0', '1', '0', '0', '0', '2')]
    """
    n = len(digits)
    if n < parts or n > MAX_DIGITS:
        return None
    found: list[tuple[str, ...]] = []
    steps = 0

    def cut(pos: int, end: int, left: int, remaining: int, acc: list[str], longest: int) -> bool:
        nonlocal steps
        steps += 1
        if steps > _MAX_STEPS or len(found) > MAX_CANDIDATES:
            return False
        if left == 0:
            if pos == end and remaining == 0:
                found.append(tuple(acc))
            return True
        room = end - pos - (left - 1)  # leave a digit for each part still to cut
        for size in range(1, min(room, longest) + 1):
            text = digits[pos : pos + size]
            if size > 1 and text[0] == "0":
                break
            value = int(text)
            if value > remaining:
                break
            acc.append(text)
            ok = cut(pos + size, end, left - 1, remaining - value, acc, longest)
            acc.pop()
            if not ok:
                return False
        return True

    for size in range(1, n - parts + 2):  # the last part (the sum) is a suffix
        total = digits[n - size :]
        if size > 1 and total[0] == "0":
            continue
        found_before = len(found)
        if not cut(0, n - size, parts - 1, int(total), [], size):
            return None
        for i in range(found_before, len(found)):
            found[i] = (*found[i], total)
    return found


def is_count(text: str) -> bool:
    """``text`` may be one printed count: ASCII digits, no longer than the extractor reads a count
    (:data:`gxbg.extract.text.MAX_COUNT_DIGITS`; ``int`` refuses past 4,300 digits)."""
    return text.isascii() and text.isdigit() and len(text) <= MAX_COUNT_DIGITS


def drop_extra(texts: tuple[str, ...]) -> list[tuple[str, ...]] | None:
    """The 7-cell readings of a run of 8 or 9 printed counts (a stray page number at its end, a Word
    phantom column) that add up (T3-ROW): the run with one or two of its values left out, distinct
    readings only; ``None`` for any other run.

    >>> drop_extra(("105", "0", "0", "0", "0", "0", "105", "4"))
    [('105', '0', '0', '0', '0', '0', '105')]
    >>> sorted(drop_extra(("64", "0", "0", "0", "2", "0", "4", "70")))[:2]
    [('64', '0', '0', '0', '2', '4', '70'), ('64', '0', '0', '2', '0', '4', '70')]
    """
    width = len(vocab.REQUEST_COLUMNS)
    if not width < len(texts) <= width + 2 or not all(is_count(t) for t in texts):
        return None
    found: list[tuple[str, ...]] = []
    for left_out in combinations(range(len(texts)), len(texts) - width):
        kept = tuple(t for i, t in enumerate(texts) if i not in left_out)
        if sum(map(int, kept[:-1])) == int(kept[-1]) and kept not in found:
            found.append(kept)
    return found


def split_glued(texts: tuple[str, ...]) -> list[tuple[str, ...]] | None:
    """The 7-cell readings of a run of 3-6 printed counts some of which ran together: each printed
    value split into one or more cells (every printed separator kept), the row adding up (T3-ROW).

    >>> split_glued(("3001", "53", "0", "0", "61", "43119"))
    [('3001', '53', '0', '0', '61', '4', '3119')]
    """
    if not all(t.isascii() and t.isdigit() for t in texts):
        return None
    found = split_row("".join(texts))
    if found is None:
        return None
    cuts: set[int] = set()
    at = 0
    for t in texts[:-1]:
        at += len(t)
        cuts.add(at)
    out: list[tuple[str, ...]] = []
    for reading in found:
        ends, at = set(), 0
        for part in reading[:-1]:
            at += len(part)
            ends.add(at)
        if cuts <= ends:
            out.append(reading)
    return out


_COUNT = re.compile(r"0|[1-9][0-9]*")


def only_reading(digits: str) -> tuple[str, ...] | None:
    """The 7 cells of a glued row when its digits cut into at most 7 numbers (no leading zero) in
    exactly one way — with vanished blanks counted: a way of fewer numbers is another reading — and that
    way has 7 numbers.  The row is then read as printed, whether or not it adds up (a printed 总计 that
    does not: T3-ROW says FAIL, which is right).  ``0000000`` is seven zeros (``00`` is no number) and
    ``0000001`` six zeros and a 1 (``01`` is none either); ``0120012`` is not read (``0 12 0 0 12`` with
    two blanks vanished, ``0 1 2 0 0 1 2``).  A mark glued among the digits (``／``, ``—``; ``——`` one
    cell or two) is a cell printing no number: ``00／／／00`` is read (``00`` cuts one way only), ``0——0000``
    is not (``——`` one cell, a blank vanished, or two).

    >>> only_reading("0000000"), only_reading("0000001"), only_reading("0120012")
    (('0', '0', '0', '0', '0', '0', '0'), ('0', '0', '0', '0', '0', '0', '1'), None)
    >>> only_reading("00／／／00"), only_reading("0——0000")
    (('0', '0', '／', '／', '／', '0', '0'), None)
    """
    n = len(vocab.REQUEST_COLUMNS)
    if not n <= len(digits) <= 6 * n or not is_glued_run(digits):
        return None
    ways: list[tuple[str, ...]] = []

    def walk(pos: int, acc: tuple[str, ...]) -> None:
        if len(ways) > 1:
            return
        if pos == len(digits):
            ways.append(acc)
            return
        if len(acc) == n:
            return
        if digits[pos] in _MARK_CHARS:  # a mark: one cell of one or two marks (``—``, ``——``)
            for end in (pos + 1, pos + 2):
                if end <= len(digits) and compact(digits[pos:end]) in vocab.NA_MARKS:
                    walk(end, (*acc, digits[pos:end]))
            return
        for end in range(pos + 1, len(digits) + 1):
            if digits[end - 1] in _MARK_CHARS:
                break
            if _COUNT.fullmatch(digits, pos, end):
                walk(end, (*acc, digits[pos:end]))
            elif digits[pos] == "0":
                break

    walk(0, ())
    return ways[0] if len(ways) == 1 and len(ways[0]) == n else None


def is_glued_run(text: str) -> bool:
    """``text`` is one run of ASCII digits and marks (``／`` ``—`` …, each a cell printing no number),
    with at least one digit and nothing else: no space, no other character; a page number (``-5-``) is
    none.

    >>> is_glued_run("401289／2132"), is_glued_run("—00———0"), is_glued_run("———"), is_glued_run("-5-")
    (True, True, False, False)
    """
    return (
        any(c.isdigit() for c in text)
        and all((c.isascii() and c.isdigit()) or c in _MARK_CHARS for c in text)
        and _PAGE_NUMBER.match(text) is None
    )


def glued_appeals(lines: tuple[Line, ...]) -> tuple[str, int] | None:
    """The one line of 表四 printed as a run of digits (no separators; marks such as ``／`` among them,
    each a cell printing no number), with its line number: a line of 15 characters or more, or of fewer
    right under a header line ending in its last column 总计 (blank cells print nothing, so a glued 表四
    may print fewer characters than it has cells).

    >>> glued_appeals(((1, "行政复议…尚未审结总计"), (2, "71448456202000")))
    ('71448456202000', 2)
    >>> glued_appeals(((1, "行政复议…尚未审结总计"), (2, "401289／2132052641051766964300113130")))
    ('401289／2132052641051766964300113130', 2)
    >>> glued_appeals(((1, "第5页"), (2, "71448456202000"))) is None
    True
    """
    found: list[tuple[str, int]] = []
    above = ""
    for number, text in lines:
        c = text.replace("|", "").strip()
        if is_glued_run(c) and (len(c) >= _GLUED_APPEALS or compact(above).endswith("总计")):
            found.append((c, number))
        if c:
            above = c
    return found[0] if len(found) == 1 else None


def pieces(glued: str) -> tuple[str, ...]:
    """A glued row's runs of digits and runs of marks, in order (the separators the marks keep).

    >>> pieces("—00———0"), pieces("300153006143119")
    (('—', '00', '———', '0'), ('300153006143119',))
    """
    return tuple(_PIECES.findall(glued))
