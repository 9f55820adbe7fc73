"""Every reading of a row's printed values as cells that add up, when separators were lost both ways:
digits of neighbouring cells run together, and blank cells vanish (a search over cuts, within a step
budget and ``MAX_CANDIDATES`` readings).  Which reading the form's other rules keep is
:mod:`gxbg.extract.tables.decode`'s business.
"""

from __future__ import annotations

from collections.abc import Callable

from gxbg.extract import vocab
from gxbg.extract.tables._digits import _MARK_CHARS, _MAX_STEPS, MAX_CANDIDATES, MAX_DIGITS
from gxbg.extract.text import compact

__all__ = ["group_readings", "readings"]

#: Longest count a decoded cell may hold (a 表三/表四 count of a year: up to 7 digits).
_MAX_CELL_DIGITS = 7

_Group = Callable[[int, int], list[tuple[str, ...]]]


class _OutOfBoundsError(Exception):
    """A search for readings ran out of steps or readings."""


def readings(texts: tuple[str, ...], size: int = 7, *, blanks: bool = True) -> list[tuple[str, ...]] | None:
    """Every way to read the printed values ``texts`` (counts, or the marks ``/`` ``—`` …) as ``size``
    cells whose last is the sum of the others (T3-ROW), a blank or a mark counting 0; ``None`` when the
    search is out of bounds.

    Separators can be lost two ways, and both are read: digits of neighbouring cells run together (a
    printed count is cut into one or more cells, no cell but ``0`` starting with ``0``), and a blank
    cell vanishes (a ``""`` cell may stand anywhere, a printed separator never falls inside a cell);
    ``blanks=False`` reads the first only.

    >>> readings(("300153006143119",))
    [('3001', '53', '0', '0', '61', '4', '3119')]
    >>> readings(("0000000",))
    [('0', '0', '0', '0', '0', '0', '0')]
    >>> len(readings(("2", "0", "0", "2"))), sorted(readings(("2", "0", "0", "2")))[0]
    (20, ('', '', '', '2', '0', '0', '2'))
    >>> readings(("12", "0", "0", "0", "0", "0", "1"), blanks=False)
    []
    >>> readings(("5", "/", "0", "0", "0", "0", "5"))
    [('5', '/', '0', '0', '0', '0', '5')]
    """
    found = group_readings(texts, size, 1, blanks=blanks)
    return None if found is None else found[0]


def group_readings(
    texts: tuple[str, ...], size: int, groups: int, *, blanks: bool = True
) -> list[list[tuple[str, ...]]] | None:
    """Per group, every reading of it that is part of some reading of the printed values ``texts`` as
    ``groups`` x ``size`` cells in which each group's last cell is the sum of the others (T4-SUM; the
    separators lost as in ``readings``); ``None`` when the search is out of bounds.

    The whole run's readings are never listed (their count is the product of the groups'): the ends
    of the groups that some reading reaches are found forward, the ones from which the rest of the run
    can still be read backward, and a group's readings are those of the pieces between the two.  A
    cell on which every reading of its group agrees is thus one every reading of the run agrees on.

    >>> [len(g) for g in group_readings(("10012881289301510514130013044853484",), 5, 3)]
    [7, 1, 1]
    >>> group_readings(("10012881289301510514130013044853484",), 5, 3)[2]
    [('3001', '30', '448', '5', '3484')]
    >>> [len(g) for g in group_readings(("1", "2", "0", "0", "3", "2", "2", "4", "0", "0", "0", "4"), 5, 3)]
    [1, 4, 1]
    """
    search = _searcher(texts, size, groups, blanks)
    if search is None:
        return None
    group, n = search
    try:
        reach = [{0}]  # the ends of the first g groups some reading reaches
        for _ in range(groups - 1):
            reach.append({hi for lo in reach[-1] for hi in range(lo, n + 1) if group(lo, hi)})
        live = {n}  # the starts of group g from which the rest of the run is read
        out: list[list[tuple[str, ...]]] = [[] for _ in range(groups)]
        for g in range(groups - 1, -1, -1):
            starts: set[int] = set()
            seen: set[tuple[str, ...]] = set()
            for lo in sorted(reach[g]):
                for hi in sorted(live):
                    found = group(lo, hi) if hi >= lo else []
                    if found:
                        starts.add(lo)
                        seen.update(found)
            out[g] = sorted(seen)
            live = starts
    except _OutOfBoundsError:
        return None
    return out if all(out) else [[] for _ in range(groups)]


def _searcher(texts: tuple[str, ...], size: int, groups: int, blanks: bool) -> tuple[_Group, int] | None:
    """The reader of one group from the printed values ``texts``: ``group(lo, hi)``, the readings of
    their characters ``lo`` to ``hi`` as ``size`` cells adding up (raises ``_OutOfBoundsError`` past the
    step budget or ``MAX_CANDIDATES`` readings of a piece), with the characters' count; ``None`` when
    ``texts`` are not counts and marks or are too long to search."""
    marks: dict[int, str] = {}
    digits: list[str] = []
    cuts: set[int] = set()
    at = 0
    for t in texts:
        if t and all(ch in _MARK_CHARS for ch in t):  # marks: each one cell (``——`` one or two)
            for ch in t:
                marks[at] = ch
                digits.append("#")
                at += 1
        elif t.isascii() and t.isdigit():
            digits.append(t)
            at += len(t)
        else:
            return None
        cuts.add(at)
    s = "".join(digits)
    n = len(s)
    if n == 0 or n > MAX_DIGITS * groups:
        return None
    # prefix counts, so each test below is O(1): separators before i, marks in s[:i]
    cuts_before = [0] * (n + 2)
    marks_before = [0] * (n + 1)
    for i in range(1, n + 2):
        cuts_before[i] = cuts_before[i - 1] + ((i - 1) in cuts)
    for i in range(n):
        marks_before[i + 1] = marks_before[i] + (s[i] == "#")
    steps = 0
    cache: dict[tuple[int, int], list[tuple[str, ...]]] = {}

    def inner_cuts(lo: int, hi: int) -> int:
        """Printed separators strictly inside (lo, hi)."""
        return cuts_before[hi] - cuts_before[lo + 1] if hi > lo + 1 else 0

    def has_mark(lo: int, hi: int) -> bool:
        return marks_before[hi] > marks_before[lo]

    def cell_ok(lo: int, hi: int) -> bool:
        """s[lo:hi] may be one printed count: digits only, no separator inside, no leading zero."""
        if hi - lo > _MAX_CELL_DIGITS or has_mark(lo, hi) or inner_cuts(lo, hi):
            return False
        return hi - lo == 1 or s[lo] != "0"

    def mark(lo: int, hi: int) -> str | None:
        """The mark s[lo:hi] prints as one cell (``/``, ``—``, ``——`` …), else ``None``."""
        if hi - lo > 2 or any(s[i] != "#" for i in range(lo, hi)) or inner_cuts(lo, hi):
            return None
        text = "".join(marks[i] for i in range(lo, hi))
        return text if compact(text) in vocab.NA_MARKS else None

    def group(lo: int, hi: int) -> list[tuple[str, ...]]:
        """The readings of s[lo:hi] as one group of ``size`` cells adding up."""
        if (lo, hi) in cache:
            return cache[(lo, hi)]
        found: list[tuple[str, ...]] = []

        def cut(p: int, end: int, left: int, remaining: int, acc: list[str], longest: int) -> None:
            nonlocal steps
            steps += 1
            if steps > _MAX_STEPS * 20 or len(found) > MAX_CANDIDATES:
                raise _OutOfBoundsError
            if left == 0:
                if p == end and remaining == 0:
                    found.append(tuple(acc))
                return
            if p < end and inner_cuts(p, end) >= left:
                return
            # the cells left need at least: a cell per ``longest`` digits, one per two marks (``——``)
            marks_left = marks_before[end] - marks_before[p]
            if -(-marks_left // 2) - (-(end - p - marks_left) // longest) > left:
                return
            if remaining >= 10 ** (end - p):
                return  # the cells left sum to less than their digits read as one number
            if blanks:
                acc.append("")  # a blank cell
                cut(p, end, left - 1, remaining, acc, longest)
                acc.pop()
            if p == end:
                return
            if s[p] == "#":
                for q in (p + 1, p + 2):
                    if q <= end and (m := mark(p, q)) is not None:
                        acc.append(m)
                        cut(q, end, left - 1, remaining, acc, longest)
                        acc.pop()
                return
            value = 0
            for q in range(p + 1, min(end, p + longest) + 1):
                if not cell_ok(p, q):
                    break
                value = value * 10 + ord(s[q - 1]) - 48  # ASCII digits only (checked above)
                if value > remaining:
                    break
                acc.append(s[p:q])
                cut(q, end, left - 1, remaining - value, acc, longest)
                acc.pop()

        for t in range(hi, lo - 1, -1):  # the group's 总计 is s[t:hi] (blank when t == hi)
            if t == hi:
                if not blanks:
                    continue
                total, text = 0, ""
            elif s[t] == "#":
                m = mark(t, hi)
                if m is None:
                    if hi - t >= 2:
                        break
                    continue
                total, text = 0, m
            elif cell_ok(t, hi):
                total, text = int(s[t:hi]), s[t:hi]
            else:
                if inner_cuts(t, hi) or has_mark(t, hi) or hi - t > _MAX_CELL_DIGITS:
                    break
                continue
            before = len(found)
            cut(lo, t, size - 1, total, [], max(len(str(total)), 1))
            for i in range(before, len(found)):
                found[i] = (*found[i], text)
        cache[(lo, hi)] = found
        return found

    return group, n
