"""Read 表三/表四 rows whose separators were lost, by the form's arithmetic (used by ``requests`` and
``appeals`` for the rows their run readers and :mod:`gxbg.extract.tables.form`'s grid reader left unread).

The decoder (``glued_rows`` + ``decode_requests``; ``decode_appeals``): a row whose label and numbers
ran together (``本年新收政府信息公开申请数量300153006143119``, a flattened page).  The digits are split
every way into the row's cells (no cell with a leading zero), and only splits consistent with the
form's arithmetic are kept: each 表三 row adds up to its 总计 (T3-ROW), and across rows each column
balances (T3-BAL) and sums (T3-SUM) where every row involved is known; 表四's groups add up
(T4-SUM).  A row is read only when every surviving reading of the table gives it the same numbers;
otherwise its cells stay without a value (``TEXT``: the checks say UNCERTAIN) and a note lists the
candidates.  A rule is used only when every row it needs is read or being decoded, rule by rule (a
short 结转下年度 row leaves T3-BAL out, not T3-SUM); a row is decoded only when some rule it is in is
used (never on its own row sum alone), the rows in the rules used jointly.  The search is bounded: at
most ``MAX_DIGITS`` digits per row, ``MAX_CANDIDATES`` readings per row and ``_MAX_SEARCH`` steps over
the table's readings; beyond that rows stay unread.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

from gxbg.extract import vocab
from gxbg.extract.tables._digits import (
    MAX_CANDIDATES,
    MAX_DIGITS,
    drop_extra,
    glued_appeals,
    glued_rows,
    is_count,
    is_glued_run,
    only_reading,
    pieces,
    split_row,
)
from gxbg.extract.tables._readings import group_readings, readings

__all__ = [
    "MAX_CANDIDATES",
    "MAX_DIGITS",
    "decode_appeals",
    "decode_requests",
    "drop_extra_appeals",
    "glued_appeals",
    "glued_rows",
    "only_reading",
    "split_row",
]

#: Steps of the search for readings of the whole table (rows × their readings) before it gives up.
_MAX_SEARCH = 200_000
#: 表四's groups as the notes name them
_GROUP_NAMES = ("行政复议", "未经复议直接起诉", "复议后起诉")


def decode_requests(
    rows: tuple[str, ...],
    known: dict[str, tuple[int | None, ...]],
    glued: dict[str, str],
    wide: dict[str, tuple[str, ...]] | None = None,
) -> tuple[dict[str, tuple[str | None, ...]], dict[str, str]]:
    """Glued rows and over-wide runs read by the arithmetic: ``({key: 7 cell texts}, {key: note})``,
    a cell ``None`` where the surviving readings disagree.

    ``glued``: a row's digits run together (cut into 7 numbers); ``wide``: a row's run of 8-9 counts
    (``drop_extra``) or of 2-6 values where blank cells vanished or neighbours ran together
    (``readings``: both, a blank counting 0 to the arithmetic).
    ``known``: the rows already read (their values, ``None`` where a cell prints no number); a rule is
    used only when every row it needs is known or being decoded.  A cell is read when every reading of
    the table that passes all the rules gives it the same text; a row not read whole gets a note.  No
    reading is taken without the arithmetic, not even 7 digits for 7 cells (blank cells vanish from
    glued text, so ``0120012`` may be ``[blank] 0 12 0 0 [blank] 12``), unless the digits cut into the
    row's cells one way only, blanks or not (``only_reading``: ``0000001``): that row is read as printed,
    and used by the other rows' arithmetic only when it adds up.
    """
    options: dict[str, list[tuple[str, ...]]] = {}
    notes: dict[str, str] = {}
    forced: dict[str, tuple[str, ...]] = {}
    printed = {**glued}
    for key, texts in (wide or {}).items():
        printed[key] = " ".join(texts)
        found = drop_extra(texts) if len(texts) > len(vocab.REQUEST_COLUMNS) else readings(texts)
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
        found = readings(pieces(digits))
        if found is None or len(found) > MAX_CANDIDATES:
            notes[key] = f"glued digits {digits!r}: too many ways to read them (not decoded)"
        elif not found:
            notes[key] = f"glued digits {digits!r}: no reading adds up to its 总计 (not decoded)"
        else:
            options[key] = found
    if not options:
        return _widen(forced), notes
    # a forced row that does not add up breaks a rule of the form: the other rules it is in cannot tell
    # which printed number is wrong, so it stays out of the arithmetic (the rules it is needed for are
    # not checked: no reading rests on it)
    known = {**known, **{k: counts for k, v in forced.items() if _adds_up(counts := _vector(v))}}
    use_balance, use_sum = _usable_rules(rows, known, options)
    keys = [k for k in options if (use_balance and k in _BALANCE) or (use_sum and k not in _NOT_SUMMED)]
    for key in options:
        if key not in keys:
            # a reading would rest on its own row sum alone: a printed error elsewhere in the row (a 总计
            # that does not add up, as real reports print) could then pass for a separator lost
            rules = "T3-BAL/T3-SUM" if key == "total" else "T3-BAL" if key in _BALANCE else "T3-SUM"
            notes[key] = (
                f"{_what(key, glued, printed)}: {rules} cannot be checked (rows missing): not decoded; "
                "candidates: " + _candidates(options[key])
            )
    if not keys:
        return _widen(forced), notes
    seen = _search(rows, known, {k: options[k] for k in keys}, balance=use_balance, sums=use_sum)
    if seen is None:
        for key in keys:
            notes[key] = f"{_what(key, glued, printed)}: too many readings of the table to try (not decoded)"
        return _widen(forced), notes
    surviving = any(seen.values())
    accepted: dict[str, tuple[str | None, ...]] = dict(forced)
    for key in keys:
        if len(seen[key]) == 1:
            accepted[key] = next(iter(seen[key]))
            continue
        if len(seen[key]) > 1 and any(agreed := _agreed(seen[key])):
            accepted[key] = agreed  # the cells every surviving reading gives the same text
        if not surviving:
            notes[key] = (
                f"{_what(key, glued, printed)}: no reading of the table passes T3-BAL/T3-SUM; candidates: "
                + _candidates(options[key])
            )
        else:
            notes[key] = f"{_what(key, glued, printed)}: several readings pass every rule: " + _candidates(
                sorted(seen[key])
            )
    return accepted, notes


def _adds_up(counts: tuple[int, ...]) -> bool:
    return sum(counts[:-1]) == counts[-1]


def _widen(rows: dict[str, tuple[str, ...]]) -> dict[str, tuple[str | None, ...]]:
    out: dict[str, tuple[str | None, ...]] = dict(rows)
    return out


def _agreed(options: Iterable[tuple[str, ...]]) -> tuple[str | None, ...]:
    """Per cell, the text every reading gives it, else ``None``.

    >>> _agreed([("1", "", "2", "3"), ("1", "2", "", "3")])
    ('1', None, None, '3')
    """
    columns = list(zip(*options, strict=True))
    return tuple(c[0] if len(set(c)) == 1 else None for c in columns)


def _what(key: str, glued: dict[str, str], printed: dict[str, str]) -> str:
    return f"glued digits {glued[key]!r}" if key in glued else f"values {printed[key]!r} where 7 belong"


def _candidates(options: list[tuple[str, ...]]) -> str:
    """The readings as printed, a blank cell as ``_``."""
    shown = " / ".join(" ".join(c or "_" for c in o) for o in options[:8])
    return shown + (f" … ({len(options)} in all)" if len(options) > 8 else "")


#: T3-BAL's rows; T3-SUM's are 总计 and the outcome rows (every row but ``_NOT_SUMMED``)
_BALANCE = ("received", "carried_in", "total", "carried_out")
_NOT_SUMMED = frozenset({"received", "carried_in", "carried_out"})


def _usable_rules(
    rows: tuple[str, ...], known: dict[str, tuple[int | None, ...]], options: dict[str, list[tuple[str, ...]]]
) -> tuple[bool, bool]:
    """Whether T3-BAL and whether T3-SUM can be checked: every row of the rule either read with numbers
    or being decoded (a rule with a row missing says nothing of the others).

    >>> rows = ("received", "carried_in", "disclosed", "total", "carried_out")
    >>> full = {"received": (1, 1), "carried_in": (0, 0), "disclosed": (1, 1), "total": (1, 1)}
    >>> _usable_rules(rows, full, {"carried_out": [("0", "0")]})
    (True, True)
    >>> _usable_rules(rows, {**full, "carried_in": (None, 0)}, {"disclosed": [("1", "1")]})
    (False, True)
    """

    def usable(key: str) -> bool:
        return key in options or (key in known and None not in known[key])

    balance = all(usable(k) for k in _BALANCE if k in rows) and all(k in rows for k in _BALANCE)
    sums = all(usable(k) for k in rows if k not in _NOT_SUMMED) and "total" in rows
    return balance, sums


def _vector(cells: tuple[str | None, ...] | tuple[str, ...]) -> tuple[int, ...]:
    """A reading's counts, a blank or a mark counting 0."""
    return tuple([int(c) if c is not None and c.isdigit() else 0 for c in cells])


def _search(
    rows: tuple[str, ...],
    known: dict[str, tuple[int | None, ...]],
    options: dict[str, list[tuple[str, ...]]],
    *,
    balance: bool = True,
    sums: bool = True,
) -> dict[str, set[tuple[str, ...]]] | None:
    """Each decoded row's readings that belong to some reading of the whole table passing T3-BAL (if
    ``balance``) and T3-SUM (if ``sums``) in every column (every row of a rule used known or decoded:
    ``_usable_rules``; ``options`` holds only rows in a rule used); ``None`` when the search takes more
    than ``_MAX_SEARCH`` steps.

    The balance rows' readings are tried together (T3-BAL; ``carried_in`` follows from the other three);
    for each 总计 row so found, the outcome rows are solved jointly, as a sum over rows: the partial
    sums reachable after each outcome row (never above the 总计 row: counts are not negative) and the
    ones from which the 总计 row is still reachable; a reading of a row survives when it joins the two.
    """
    width = len(vocab.REQUEST_COLUMNS)
    outcomes = [r for r in rows if r not in _BALANCE]
    vec = {k: [_vector(o) for o in options[k]] for k in options}
    fixed = {k: v for k, v in known.items() if k not in options and None not in v}

    def choices(key: str) -> list[tuple[int, tuple[int, ...]]]:
        if key in options:
            return list(enumerate(vec[key]))
        return [(-1, fixed[key])]  # type: ignore[list-item]

    seen: dict[str, set[tuple[str, ...]]] = {k: set() for k in options}
    steps = 0
    base = [0] * width
    for k in outcomes if sums else ():
        if k not in options:
            base = [b + v for b, v in zip(base, fixed[k], strict=True)]  # type: ignore[operator]
    decoded = [k for k in outcomes if k in options] if sums else []
    by_total: dict[tuple[int, ...], list[dict[str, int]]] = {}
    carried_in: dict[tuple[int, ...], list[int]] = {}
    for i, v in choices("carried_in") if balance else ():
        carried_in.setdefault(v, []).append(i)
    for ti, t in choices("total"):
        if not balance:  # T3-BAL not checked: each 总计 reading stands alone
            by_total.setdefault(t, []).append({"total": ti})
            continue
        for oi, o in choices("carried_out"):
            for ri, r in choices("received"):
                steps += 1
                if steps > _MAX_SEARCH:
                    return None
                need = tuple([t[j] + o[j] - r[j] for j in range(width)])
                for ci in carried_in.get(need, ()):
                    by_total.setdefault(t, []).append(
                        {"total": ti, "carried_out": oi, "received": ri, "carried_in": ci}
                    )
    for total, combos in by_total.items():
        if not outcomes or not sums:  # no outcome row in the table, or T3-SUM not checked
            base = list(total)
        if any(b > t for b, t in zip(base, total, strict=True)):
            continue
        # forward: partial sums reachable after each decoded outcome row
        forward: list[set[tuple[int, ...]]] = [{tuple(base)}]
        for k in decoded:
            nxt: set[tuple[int, ...]] = set()
            for f in forward[-1]:
                for v in vec[k]:
                    steps += 1
                    s = tuple([a + b for a, b in zip(f, v, strict=True)])
                    if all(x <= y for x, y in zip(s, total, strict=True)):
                        nxt.add(s)
            if steps > _MAX_SEARCH:
                return None
            forward.append(nxt)
        if total not in forward[-1]:
            continue
        # backward: partial sums before each decoded outcome row from which the total is reachable
        goal: set[tuple[int, ...]] = {total}
        for i in range(len(decoded) - 1, -1, -1):
            k = decoded[i]
            before: set[tuple[int, ...]] = set()
            for v, text in zip(vec[k], options[k], strict=True):
                for g in goal:
                    steps += 1
                    f = tuple([a - b for a, b in zip(g, v, strict=True)])
                    if f in forward[i]:
                        before.add(f)
                        seen[k].add(text)
            if steps > _MAX_SEARCH:
                return None
            goal = before
        for combo in combos:
            for k, i in combo.items():
                if i >= 0:
                    seen[k].add(options[k][i])
    return seen


def decode_appeals(
    digits: str, texts: tuple[str, ...] | None = None
) -> tuple[tuple[tuple[str | None, ...] | None, ...], str]:
    """表四's three groups of five cells from one glued digit run, each group's four results adding up
    to its 总计 (T4-SUM): a cell is read when every reading of the whole run that adds up gives it the
    same text, a blank, a ``0`` and a mark apart (else ``None``; a group with no cell read is ``None``);
    the note lists a group's candidates when some cell of it is not read.  Marks glued among the digits
    (``5／0``: ``pieces``) are cells printing no number, 0 to the arithmetic (``——`` one cell or two).
    With ``texts`` (a run of fewer than 15 printed values, ``digits`` its text), the values are read
    with vanished blank cells as well as cut counts; glued digits are read so too (a blank cell prints
    nothing).  The readings are taken
    per group (``group_readings``): one group left open does not leave the others unread.

    >>> groups, note = decode_appeals("72641783735113481261211620")
    >>> groups[:2], groups[2]
    ((('72', '64', '178', '37', '351'), ('13', '4', '8', '1', '26')), (None, None, None, None, '20'))
    >>> note.split("add up: ")[1]
    '复议后起诉: 1 2 1 16 20 / 1 2 11 6 20 / 12 1 1 6 20'
    >>> groups, note = decode_appeals("1 2 0 0 3 2 2 4 0 0 0 4", tuple("1 2 0 0 3 2 2 4 0 0 0 4".split()))
    >>> groups
    (('1', '2', '0', '0', '3'), (None, None, None, None, '2'), ('4', '0', '0', '0', '4'))
    >>> note.split(": ")[-1].split(" / ")[0]
    '_ _ _ 2 2'
    >>> decode_appeals("10012881289301510514130013044853484")[0]
    ((None, None, None, None, '1289'), ('30', '1', '5', '105', '141'), ('3001', '30', '448', '5', '3484'))
    >>> decode_appeals("2／10350／05110／2")[0]
    (('2', '／', '1', '0', '3'), ('5', '0', '／', '0', '5'), ('1', '1', '0', '／', '2'))
    """
    none: tuple[None, None, None] = (None, None, None)
    size, n = len(vocab.APPEAL_COLUMNS), len(vocab.APPEAL_GROUPS)
    if texts is None:
        if not is_glued_run(digits) or len(digits) > n * MAX_DIGITS:
            return none, ""
        found = group_readings(pieces(digits), size, n)  # a run of marks: cells printing no number
        head = f"glued digits {digits!r} of 表四"
    else:
        found = group_readings(texts, size, n)
        head = f"{len(texts)} values {digits!r} of 表四 where 15 belong"
    if found is None:
        return none, f"{head}: too many ways to read them (not decoded)"
    if not all(found):
        return none, f"{head}: no reading adds up (T4-SUM; not decoded)"
    cells = [_agreed(g) for g in found]
    agreed = tuple(c if any(x is not None for x in c) else None for c in cells)
    open_groups = [f"{_GROUP_NAMES[i]}: " + _candidates(g) for i, g in enumerate(found) if len(g) > 1]
    if not open_groups:
        return agreed, ""
    return agreed, f"{head}: several readings add up: " + "; ".join(open_groups)


def drop_extra_appeals(texts: tuple[str, ...]) -> tuple[tuple[str, ...] | None, str]:
    """表四's 15 cells from a run of 16-17 printed counts (a stray page number or phantom column value):
    the one reading, leaving one or two values out, in which each group's results add up to its 总计.

    >>> drop_extra_appeals(tuple("72 64 178 37 351 0 13 4 8 1 26 12 1 1 6 20".split()))[0][5:]
    ('13', '4', '8', '1', '26', '12', '1', '1', '6', '20')
    """
    width = len(vocab.APPEAL_GROUPS) * len(vocab.APPEAL_COLUMNS)
    printed = f"{len(texts)} values {' '.join(texts)!r} of 表四 where 15 belong"
    if not width < len(texts) <= width + 2 or not all(is_count(t) for t in texts):
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
