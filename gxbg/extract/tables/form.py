"""Read 表三/表四 by the form's own structure where the layout readers of ``requests``/``appeals`` fail.

Three readers, each used only for the rows the run readers left missing or unreadable (so a layout
that already reads keeps its output), each accepting a number only as printed, digit for digit:

* **grid** (``grid_cells``): a table written as grid lines (``a | b | c |``: gxbg.extract.htmlgrid,
  markdown) whose header rows name the columns (自然人 … 总计).  Each data row's values are read at the
  grid positions of their column headers, so a Word-made phantom column (a narrow grid column without a
  header, holding a stray ``0`` or nothing: ``64 0 0 0 2 0 4 70``) is skipped instead of turning
  the row into 8 values where 7 belong.
* **decoded** (``glued_rows`` + ``decode_requests``; ``decode_appeals``): a row whose label and numbers
  ran together (``本年新收政府信息公开申请数量300153006143119``, a flattened page).  The digits are split
  every way into the row's cells (no cell with a leading zero), and only splits consistent with the
  form's arithmetic are kept: each 表三 row adds up to its 总计 (T3-ROW), and across rows each column
  balances (T3-BAL) and sums (T3-SUM) where every row involved is known; 表四's groups add up
  (T4-SUM).  A row is read only when every surviving reading of the table gives it the same numbers;
  otherwise its cells stay without a value (``TEXT``: the checks say UNCERTAIN) and a note lists the
  candidates.  Nothing is decoded unless every row of the table is read or being decoded (so that
  T3-BAL and T3-SUM can both be checked).  The search is bounded: at most ``MAX_DIGITS`` digits per
  row, ``MAX_CANDIDATES`` readings per row and ``_MAX_SEARCH`` steps over the table's readings; beyond
  that rows stay unread.
* **locating** (``locate_requests``, ``locate_appeals``): the lines of each table found by its row
  labels and header words when its section heading is missing or misprinted (the heading is a hint).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import combinations

from gxbg.extract import vocab
from gxbg.extract.text import Line, compact, is_value_text

__all__ = [
    "MAX_CANDIDATES",
    "MAX_DIGITS",
    "appeal_grid",
    "decode_appeals",
    "decode_requests",
    "drop_extra_appeals",
    "glued_rows",
    "grid_cells",
    "locate_appeals",
    "locate_requests",
    "only_reading",
    "split_glued",
    "split_row",
]

#: Longest digit run decoded as one 表三 row (7 cells of up to 5 digits and a 6-digit 总计 fit).
MAX_DIGITS = 40
#: Most readings kept per row; a row with more is left unread (its digits say too little).
MAX_CANDIDATES = 64
#: Steps of the per-row search before it gives up (bounds the time on long digit runs).
_MAX_STEPS = 5_000  # the 8 cases need at most 1,000 a row
#: Steps of the search for readings of the whole table (rows × their readings) before it gives up.
_MAX_SEARCH = 200_000

# the 表三 column header words (compacted), in column order
_COLUMN_WORDS = dict(zip(vocab.REQUEST_HEADER_WORDS, vocab.REQUEST_COLUMNS, strict=True))
_GLUED = re.compile(r"^(.*?[^\d,\s]) ?(\d{7,})$")  # a label, then one run of 7+ digits
_DIGITS_ONLY = re.compile(r"^\d{15,}$")
_GROUP_PREFIX = re.compile(vocab.REQUEST_GROUP_PREFIX)
_APPEAL_HEADER = re.compile(vocab.APPEAL_HEADER)
_APPEAL_WORDS = dict.fromkeys(vocab.APPEAL_HEADER_WORDS)
_HEADING_5 = re.compile(r"^[#*]*[五六][、.]")  # the sections after 四

Reading = tuple[int, ...]


# ---------------------------------------------------------------- locating


def locate_requests(
    lines: tuple[Line, ...], label_keys: Callable[[str], tuple[str, ...]]
) -> tuple[Line, ...]:
    """The lines of 表三 found by its row labels (``label_keys``: the keys a cell text names), from a
    few lines above the first labelled line (the column header) to two lines past the last one;
    ``()`` when fewer than three lines carry a row label."""
    hits = [i for i, (_, text) in enumerate(lines) if any(label_keys(part) for part in _parts(text))]
    if len(hits) < 3:
        return ()
    return lines[max(0, hits[0] - 8) : hits[-1] + 3]


def locate_appeals(lines: tuple[Line, ...]) -> Iterator[tuple[Line, ...]]:
    """The candidate regions of 表四, found by its header words (结果维持 / 尚未审结 …) on a line that
    is no prose: from two lines above such a line to the first line of prose after it."""
    for i, (_, text) in enumerate(lines):
        c = compact(text)
        # a header line names two of the words and prints no number (prose quotes them with figures)
        if len(set(_APPEAL_HEADER.findall(c))) < 2 or any(ch.isdigit() for ch in c):
            continue
        end = i + 1
        while end < len(lines) and end - i < 16 and not _is_prose(lines[end][1]):
            if _HEADING_5.match(compact(lines[end][1])):
                break
            end += 1
        yield lines[max(0, i - 2) : end]


def _is_prose(text: str) -> bool:
    c = compact(text)
    return len(c) > 40 and "|" not in c and not c.isdigit()


def _parts(text: str) -> list[str]:
    return [p for p in text.split("|") if p.strip()] if "|" in text else text.split()


# ---------------------------------------------------------------- grid


def grid_cells(
    lines: tuple[Line, ...], label_keys: Callable[[str], tuple[str, ...]], wanted: Iterable[str]
) -> dict[str, tuple[tuple[str, ...], int]]:
    """Rows of ``wanted`` read from grid lines by their header columns: ``{key: (7 cell texts, line)}``.

    The header is the grid line(s) above the first data row naming the columns (two column words or more
    as whole cells: 自然人 and 总计 above, the five organisations below); a column's position is
    where its word stands in the lowest header line that prints something there.  A column whose word
    stands at several positions (a spanned header) is read where the data row prints a value, when
    exactly one distinct value is printed there.  A data row must be as wide as the header.
    """
    wanted = set(wanted)
    rows = [(number, text) for number, text in lines if "|" in text]
    # markdown opens every row with "|"; a row-per-line dump (pdfplumber ``extract_tables``: cells
    # joined by " | ") opens with "|" only a row whose first cell is empty: that cell is kept
    markdown = all(text.lstrip().startswith("|") for _, text in rows)
    grid = [(number, _fields(text, markdown=markdown)) for number, text in rows]
    header: list[list[str]] = []
    positions: dict[str, list[int]] | None = None
    width = 0
    out: dict[str, tuple[tuple[str, ...], int]] = {}
    for number, fields in grid:
        keys = [(j, label_keys(f)) for j, f in enumerate(fields) if f]
        labelled = [(j, k) for j, k in keys if k]
        if not labelled:
            if positions is None and sum(compact(f) in _COLUMN_WORDS for f in fields) >= 2:
                header.append(fields)
            continue
        if positions is None:
            positions, width = _header_positions(header)
            if positions is None:
                return {}
        j, found = labelled[-1]
        key = next((k for k in found if k in wanted), None)
        if key is None or key in out:
            continue
        if len(fields) == width:
            cells = _pick(fields, positions, after=j)
        else:
            cells = _pick_right(fields, positions, width, after=j)
        if cells is not None:
            out[key] = (cells, number)
    return out


def _fields(text: str, *, markdown: bool = True) -> list[str]:
    parts = text.split("|")
    if markdown and text.lstrip().startswith("|"):
        parts = parts[1:]
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return [" ".join(p.split()) for p in parts]


def _header_positions(header: list[list[str]]) -> tuple[dict[str, list[int]] | None, int]:
    """Column key → its grid positions, from the header lines (``None`` unless all 7 are placed)."""
    if not header:
        return None, 0
    width = max(len(h) for h in header)
    positions: dict[str, list[int]] = {}
    for j in range(width):
        word = next((compact(h[j]) for h in reversed(header) if j < len(h) and h[j].strip()), "")
        key = _COLUMN_WORDS.get(word)
        if key is not None:
            positions.setdefault(key, []).append(j)
    if len(positions) != len(vocab.REQUEST_COLUMNS):
        return None, width
    return positions, width


def _pick(fields: list[str], positions: dict[str, list[int]], *, after: int) -> tuple[str, ...] | None:
    cells: list[str] = []
    for col in vocab.REQUEST_COLUMNS:
        at = positions[col]
        if min(at) <= after:
            return None
        printed = {fields[j] for j in at if fields[j]}
        if len(printed) > 1:
            return None
        text = printed.pop() if printed else ""
        if text and not is_value_text(text):
            return None
        cells.append(text)
    return tuple(cells)


def _pick_right(
    fields: list[str], positions: dict[str, list[int]], width: int, *, after: int
) -> tuple[str, ...] | None:
    """The 7 cells of a row wider than the header (a table continued on the next page, where the
    label spans more label columns: ``三、本年度办理结果 | （一）予以公开 |  | 2 | …``), read as its last
    7 fields — only when the header prints the 7 columns once each, in the form's order, as its last
    7 positions; the fields before them are label cells (text or blank, no value); and the 7 are all
    printed numbers that add up (总计 = the six applicants): a row whose extra field is a shifted
    value or a blank fails."""
    n = len(vocab.REQUEST_COLUMNS)
    if len(fields) <= width or after >= len(fields) - n:
        return None
    if any(positions[col] != [width - n + i] for i, col in enumerate(vocab.REQUEST_COLUMNS)):
        return None
    if any(f and is_value_text(f) for f in fields[: len(fields) - n]):
        return None
    cells = tuple(fields[len(fields) - n :])
    if not all(c.isascii() and c.isdigit() for c in cells):
        return None
    values = [int(c) for c in cells]
    if sum(values[:-1]) != values[-1]:
        return None
    return cells


# ---------------------------------------------------------------- glued digits


def glued_rows(
    lines: tuple[Line, ...], label_keys: Callable[[str], tuple[str, ...]], wanted: Iterable[str]
) -> dict[str, tuple[str, int]]:
    """Rows of ``wanted`` printed as a label with its digits run together: ``{key: (digits, line)}``."""
    wanted = set(wanted)
    out: dict[str, tuple[str, int]] = {}
    for number, text in lines:
        # the digits must run together as printed: spaces between them are separators, never removed
        m = _GLUED.match(" ".join(text.replace("|", " ").split()))
        if m is None:
            continue
        label = compact(m.group(1))
        # a flattened row carries its group cells first (三、本年度办理结果（三）不予公开1.属于国家秘密)
        while (g := _GROUP_PREFIX.match(label)) is not None and g.end() < len(label):
            label = label[g.end() :]
        key = next((k for k in label_keys(label) if k in wanted), None)
        if key is not None and key not in out:
            out[key] = (m.group(2), number)
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
    if not width < len(texts) <= width + 2 or not all(t.isascii() and t.isdigit() for t in texts):
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
        exactly one way — with vanished blanks counted: a way of fewer numbers is another reading — and
        that way has 7 numbers that add up (总计 = the six applicants).  ``0000000`` is seven zeros (``00``
        is no number); ``0120012`` is not read (``0 12 0 0 12`` with two blanks vanished, ``0 1 2 0 0 1 2``).
    In practice only a row of seven zeros cuts one way and adds up (a count after six zeros does not add
    up), and it needs no other rule: no separator is assumed lost.

        >>> only_reading("0000000"), only_reading("0000033"), only_reading("0120012")
        (('0', '0', '0', '0', '0', '0', '0'), None, None)
    """
    n = len(vocab.REQUEST_COLUMNS)
    if not n <= len(digits) <= 6 * n or not (digits.isascii() and digits.isdigit()):
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
        for end in range(pos + 1, len(digits) + 1):
            if _COUNT.fullmatch(digits, pos, end):
                walk(end, (*acc, digits[pos:end]))
            elif digits[pos] == "0":
                break

    walk(0, ())
    if len(ways) != 1 or len(ways[0]) != n:
        return None
    values = [int(c) for c in ways[0]]
    return ways[0] if sum(values[:-1]) == values[-1] else None


def decode_requests(
    rows: tuple[str, ...],
    known: dict[str, tuple[int | None, ...]],
    glued: dict[str, str],
    wide: dict[str, tuple[str, ...]] | None = None,
) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Glued rows and over-wide runs read by the arithmetic: ``({key: 7 cell texts}, {key: note})``.

    ``glued``: a row's digits run together; ``wide``: a row's run of 8-9 counts (``drop_extra``) or
    of 3-6 counts some of which ran together (``split_glued``).
    ``known``: the rows already read (their values, ``None`` where a cell prints no number); a rule is
    used only when every row it needs is known or being decoded.  A row is read when every reading of
    the table that passes all the rules gives it the same cells; a row left unread gets a note.  No
    reading is taken without the arithmetic, not even 7 digits for 7 cells: blank cells vanish from
    glued text, so ``0120012`` may be ``[blank] 0 12 0 0 [blank] 12``.
    """
    options: dict[str, list[tuple[str, ...]]] = {}
    notes: dict[str, str] = {}
    forced: dict[str, tuple[str, ...]] = {}
    printed = {**glued}
    for key, texts in (wide or {}).items():
        printed[key] = " ".join(texts)
        found = drop_extra(texts) if len(texts) > len(vocab.REQUEST_COLUMNS) else split_glued(texts)
        if found:
            options[key] = found
        else:
            notes[key] = (
                f"{len(texts)} values {printed[key]!r} where 7 belong: no reading adds up (not decoded)"
            )
    for key, digits in glued.items():
        only = only_reading(digits)
        if only is not None:  # no other way to cut the digits, blanks vanished or not: no guess
            forced[key] = only
            continue
        found = split_row(digits)
        if found is None or len(found) > MAX_CANDIDATES:
            notes[key] = f"glued digits {digits!r}: too many ways to read them (not decoded)"
        elif not found:
            notes[key] = f"glued digits {digits!r}: no reading adds up to its 总计 (not decoded)"
        else:
            options[key] = found
    if not options:
        return forced, notes
    known = {**known, **{k: tuple(map(int, v)) for k, v in forced.items()}}
    keys = list(options)
    if not _cross_rules_usable(rows, known, options):
        # a reading would rest on its own row sum alone: a printed error elsewhere in the row (a 总计
        # that does not add up, as real reports print) could then pass for a separator lost
        for key in keys:
            notes[key] = (
                f"{_what(key, glued, printed)}: T3-BAL/T3-SUM cannot be checked (rows missing): not decoded; "
                "candidates: " + _candidates(options[key])
            )
        return forced, notes
    seen = _search(rows, known, options)
    if seen is None:
        for key in keys:
            notes[key] = f"{_what(key, glued, printed)}: too many readings of the table to try (not decoded)"
        return forced, notes
    surviving = any(seen.values())
    accepted: dict[str, tuple[str, ...]] = dict(forced)
    for key in keys:
        if len(seen[key]) == 1:
            accepted[key] = next(iter(seen[key]))
        elif not surviving:
            notes[key] = (
                f"{_what(key, glued, printed)}: no reading of the table passes T3-BAL/T3-SUM; candidates: "
                + _candidates(options[key])
            )
        else:
            notes[key] = f"{_what(key, glued, printed)}: several readings pass every rule: " + _candidates(
                sorted(seen[key])
            )
    return accepted, notes


def _what(key: str, glued: dict[str, str], printed: dict[str, str]) -> str:
    return f"glued digits {glued[key]!r}" if key in glued else f"values {printed[key]!r} where 7 belong"


def _candidates(options: list[tuple[str, ...]]) -> str:
    shown = " / ".join(" ".join(o) for o in options[:8])
    return shown + (f" … ({len(options)} in all)" if len(options) > 8 else "")


_BALANCE = ("received", "carried_in", "total", "carried_out")


def _cross_rules_usable(
    rows: tuple[str, ...], known: dict[str, tuple[int | None, ...]], options: dict[str, list[tuple[str, ...]]]
) -> bool:
    """Whether T3-BAL and T3-SUM can both be checked: every row either read with numbers or decoded."""
    return all(k in options or (k in known and None not in known[k]) for k in rows)


class _TooManyError(Exception):
    """The search for readings of the table ran out of steps."""


def _search(
    rows: tuple[str, ...], known: dict[str, tuple[int | None, ...]], options: dict[str, list[tuple[str, ...]]]
) -> dict[str, set[tuple[str, ...]]] | None:
    """Each decoded row's readings that belong to some reading of the whole table passing T3-BAL and
    T3-SUM (per column, each where every row it needs is known or decoded); ``None`` when the search
    takes more than ``_MAX_SEARCH`` steps.  Depth first, balance rows first, then the outcome rows
    with their running sums kept at or under the 总计 row's (counts are never negative)."""
    balance = ("received", "carried_in", "total", "carried_out")
    outcomes = [r for r in rows if r not in balance]

    def usable(keys: Iterable[str]) -> bool:
        return all(k in options or (k in known and None not in known[k]) for k in keys)

    check_balance = usable(balance)
    check_sum = bool(outcomes) and usable(["total", *outcomes])
    order = [k for k in balance if k in options] + [k for k in options if k not in balance]
    last_balance = sum(k in balance for k in order) - 1  # balance is checked once its rows are chosen
    ints = {k: [tuple(map(int, c)) for c in options[k]] for k in order}
    width = len(vocab.REQUEST_COLUMNS)
    fixed = {k: v for k, v in known.items() if None not in v}
    base = [0] * width
    if check_sum:
        for k in outcomes:
            if k not in options:
                base = [b + v for b, v in zip(base, fixed[k], strict=True)]  # type: ignore[operator]
    seen: dict[str, set[tuple[str, ...]]] = {k: set() for k in order}
    chosen: dict[str, tuple[int, ...]] = {}
    picked: dict[str, tuple[str, ...]] = {}
    steps = 0

    def value(key: str) -> tuple[int, ...]:
        return chosen[key] if key in chosen else fixed[key]  # type: ignore[return-value]

    def balanced() -> bool:
        r, c, t, o = (value(k) for k in balance)
        return all(r[j] + c[j] == t[j] + o[j] for j in range(width))

    def walk(i: int, partial: list[int]) -> None:
        nonlocal steps
        steps += 1
        if steps > _MAX_SEARCH:
            raise _TooManyError
        if i == len(order):
            if check_sum and partial != list(value("total")):
                return
            for k in order:
                seen[k].add(picked[k])
            return
        key = order[i]
        outcome = check_sum and key in outcomes
        for text, vals in zip(options[key], ints[key], strict=True):
            chosen[key], picked[key] = vals, text
            nxt = partial
            if outcome:
                nxt = [p + v for p, v in zip(partial, vals, strict=True)]
                if any(p > t for p, t in zip(nxt, value("total"), strict=True)):
                    continue
            if check_balance and i == last_balance and not balanced():
                continue
            walk(i + 1, nxt)
        chosen.pop(key, None)
        picked.pop(key, None)

    try:
        walk(0, base)
    except _TooManyError:
        return None
    return seen


def decode_appeals(digits: str) -> tuple[tuple[tuple[str, ...] | None, ...], str]:
    """表四's three groups of five cells from one glued digit run, each group's four results adding up
    to its 总计 (T4-SUM): a group is read when every split that adds up gives it the same cells, else
    ``None``; the note lists the candidates when some group is not read.

    >>> groups, note = decode_appeals("72641783735113481261211620")
    >>> groups[:2], groups[2]
    ((('72', '64', '178', '37', '351'), ('13', '4', '8', '1', '26')), None)
    >>> [c.split()[10:] for c in note.split("add up: ")[1].split(" / ")]
    [['1', '2', '1', '16', '20'], ['1', '2', '11', '6', '20'], ['12', '1', '1', '6', '20']]
    """
    none: tuple[None, None, None] = (None, None, None)
    if not _DIGITS_ONLY.match(digits) or len(digits) > 3 * MAX_DIGITS:
        return none, ""
    readings: list[tuple[tuple[str, ...], ...]] = []

    def groups(pos: int, left: int, acc: tuple[tuple[str, ...], ...]) -> bool:
        if len(readings) > MAX_CANDIDATES:
            return False
        if left == 0:
            if pos == len(digits):
                readings.append(acc)
            return True
        # a group takes at least 5 digits; the groups after it at least 5 each
        for end in range(pos + 5, len(digits) - 5 * (left - 1) + 1):
            found = split_row(digits[pos:end], parts=5)
            if found is None:
                return False
            for group in found:
                if not groups(end, left - 1, (*acc, group)):
                    return False
        return True

    head = f"glued digits {digits!r} of 表四"
    if not groups(0, 3, ()) or len(readings) > MAX_CANDIDATES:
        return none, f"{head}: too many ways to read them (not decoded)"
    if not readings:
        return none, f"{head}: no reading adds up (T4-SUM; not decoded)"
    agreed = tuple(g.pop() if len(g := {r[i] for r in readings}) == 1 else None for i in range(3))
    if len(readings) == 1:
        return agreed, ""
    flat = [tuple(x for group in r for x in group) for r in readings]
    return agreed, f"{head}: several readings add up: " + _candidates(flat)


def appeal_grid(lines: tuple[Line, ...]) -> list[tuple[str, int, int]] | None:
    """表四's 15 cells from grid lines, read under their column headers: the lowest header line names
    结果维持 … 总计 three times (a grid column between them without a header, Word's phantom, is
    skipped); the one data line as wide as that header gives the values.  ``None`` unless exactly so.
    """
    header: list[str] | None = None
    found: list[tuple[str, int, int]] | None = None
    words = tuple(_APPEAL_WORDS)
    for number, text in lines:
        if "|" not in text:
            continue
        fields = [compact(f) for f in _fields(text)]
        named = [j for j, f in enumerate(fields) if f in _APPEAL_WORDS]
        if len(named) == len(vocab.APPEAL_GROUPS) * len(words):
            if [fields[j] for j in named] != list(words) * len(vocab.APPEAL_GROUPS):
                return None
            header, found = fields, None
            at = named
        elif header is not None and len(fields) == len(header) and all(is_value_text(fields[j]) for j in at):
            if found is not None:
                return None  # two data lines: which one?
            found = [(fields[j], number, 0) for j in at]
    return found


def drop_extra_appeals(texts: tuple[str, ...]) -> tuple[tuple[str, ...] | None, str]:
    """表四's 15 cells from a run of 16-17 printed counts (a stray page number or phantom column value):
    the one reading, leaving one or two values out, in which each group's results add up to its 总计.

    >>> drop_extra_appeals(tuple("72 64 178 37 351 0 13 4 8 1 26 12 1 1 6 20".split()))[0][5:]
    ('13', '4', '8', '1', '26', '12', '1', '1', '6', '20')
    """
    width = len(vocab.APPEAL_GROUPS) * len(vocab.APPEAL_COLUMNS)
    printed = f"{len(texts)} values {' '.join(texts)!r} of 表四 where 15 belong"
    if not width < len(texts) <= width + 2 or not all(t.isascii() and t.isdigit() for t in texts):
        return None, f"{printed}: not all counts (not decoded)"
    found: set[tuple[str, ...]] = set()
    for left_out in combinations(range(len(texts)), len(texts) - width):
        kept = tuple(t for i, t in enumerate(texts) if i not in left_out)
        values = list(map(int, kept))
        if all(sum(values[g : g + 4]) == values[g + 4] for g in range(0, width, 5)):
            found.add(kept)
    if len(found) == 1:
        return found.pop(), ""
    if not found:
        return None, f"{printed}: no 15 of them add up (T4-SUM; not decoded)"
    return None, f"{printed}: several readings add up: " + _candidates(sorted(found))


def glued_appeals(lines: tuple[Line, ...]) -> tuple[str, int] | None:
    """The one line of 表四 printed as a run of 15+ digits (no separators), with its line number."""
    found = [(c, number) for number, text in lines if _DIGITS_ONLY.match(c := text.replace("|", "").strip())]
    return found[0] if len(found) == 1 else None
