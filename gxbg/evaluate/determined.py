"""Which cells a document does not determine: the layouts that lose a cell's place, and a witness for each.

Two corpus layouts lose information on purpose, because real documents do: ``plain`` text (and the text
pdfplumber reads out of a PDF) drops a blank cell, so ``0 0 2 0 2`` in a row of seven no longer says
which two cells were blank; ``glued`` text drops the separators too, so ``2221`` in a row of three is
``2 2 21`` or ``22 2 1`` or ``2 22 1`` ….  The form's arithmetic (report-format.md §6: T3-ROW, T3-BAL,
T3-SUM, T4-SUM) decides many such rows, not all of them.  A cell the document does not determine must
stay empty: reading it is a guess, however often the guess would be right.

This module says which cells those are, from the truth and the layout alone — never from the extractor
under test.  A cell is *undetermined* when there is a **witness**: another table that the layout prints
as the very same text, that keeps every rule of the form the true table keeps, and that holds another
value (another number, or a number where the truth has none) in that cell.  Witnesses are looked for
among tables that differ from the truth in one printed run (a row of 表三 or 表二, the single value row
of 表四) or in two runs of 表三 whose changes cancel in every column rule.  Every undetermined cell thus
comes with a proof; a cell whose ambiguity needs a witness of three or more runs is still counted as
determined (so an extractor miss there shows as *missing*, never excused).  Searches are bounded;
hitting a bound only finds fewer witnesses, in the same safe direction.

The scorer (:mod:`gxbg.evaluate.score`) counts an undetermined cell left empty apart from the misses;
one read with the true number is exact, and one read with any other number is wrong, as everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from gxbg.evaluate.grid import Grid, blocks, value_rows
from gxbg.evaluate.truth import APPEAL_COLS, APPEAL_GROUPS, REQUEST_COLS
from gxbg.extract import vocab
from gxbg.sim.cases import ReportSpec

#: How a layout prints a run of cells: ``spaced`` drops blank cells and keeps the others as
#: space-separated tokens; ``glued`` drops blank cells and every separator.
Loss = Literal["spaced", "glued"]

_NOT_OUTCOMES = frozenset({"received", "carried_in", "total", "carried_out"})

#: Bounds of the witness search (per run): fillings kept, and search steps.
MAX_FILLINGS = 4000
MAX_STEPS = 2_000_000

#: What agencies print in a cell with nothing to count (truth.py's markers, and their look-alikes).
MARKERS = frozenset("/／—–-－")
_DASHES = frozenset("—–-－")
#: A printed cell that states a number: digits (thousands commas allowed), a decimal part, a unit.
_AMOUNT = re.compile(r"^([+-]?\d[\d,]*(?:\.\d+)?)\s*[(（]?(?:万元|元)?[)）]?$")
#: A number in glued text: a sign, digits (any prefix without a leading zero is a number of its own), and
#: a decimal part or a unit (万元) that make one cell with all the digits before them.
_GLUED_NUMBER = re.compile(r"(?P<sign>[+-])?(?P<int>\d{1,18})(?P<rest>(?:\.\d+)?\s*(?:[(（]?万?元[)）]?)?)?")

#: A cell of each column kind (vocab.PROACTIVE_2019/2021 name the kinds of 表二's columns).
_KINDS = {
    "count": re.compile(r"\d+"),
    "signed": re.compile(r"[+-]?\d+"),
    "amount": re.compile(r"\d+(?:\.\d+)?\s*(?:[(（]?万?元[)）]?)?"),
}

Value = str | None
Cell = str  # "table:row:col", e.g. "requests:withheld.state_secret:business"


@dataclass(frozen=True, slots=True)
class Run:
    """Cells printed as one unit, in order, and their true printed values."""

    cells: tuple[Cell, ...]
    values: tuple[Value, ...]
    groups: tuple[tuple[int, int], ...]  # [start, end) slices whose last cell is the sum of the others
    #: what each cell may print besides a marker (the form's column kinds): ``count`` (表三, 表四, most of
    #: 表二), ``signed`` (2019 表二's 本年增/减), ``amount`` (money, a decimal and a unit); () = all count
    kinds: tuple[str, ...] = ()

    def fits(self, i: int, value: Value) -> bool:
        """Whether cell ``i`` can print ``value`` (a blank and a marker fit every cell)."""
        if value is None or set(value) <= MARKERS:
            return True
        kind = self.kinds[i] if self.kinds else "count"
        return bool(_KINDS[kind].fullmatch(value))


@dataclass(frozen=True, slots=True)
class Rule:
    """A linear identity of the form: sum of coefficient x cell = 0 (a blank or a marker counts 0)."""

    terms: tuple[tuple[Cell, int], ...]


def amount(value: Value) -> Decimal | None:
    """The number a printed cell states; None for a blank or a marker."""
    m = _AMOUNT.match(value.strip()) if value is not None else None
    if m is None:
        return None
    try:
        return Decimal(m.group(1).replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def _zero(value: Value) -> Decimal:
    got = amount(value)
    return got if got is not None else Decimal(0)


def runs_of(spec: ReportSpec) -> list[Run]:
    """The printed runs of a spec's three tables, as the text layouts print them (grid.value_rows)."""
    out: list[Run] = []
    schema = vocab.PROACTIVE_2021 if spec.table_format == "2021" else vocab.PROACTIVE_2019
    columns = {key: tuple(kind for _, kind in cols) for rows, cols in schema.values() for key, _ in rows}
    for block in blocks(spec):
        if not isinstance(block, Grid):
            continue
        rows = value_rows(block)
        if block.kind == "requests":
            for key, _ in zip(spec.requests, rows, strict=True):
                cells = tuple(f"requests:{key}:{col}" for col in REQUEST_COLS)
                out.append(Run(cells, tuple(spec.requests[key]), ((0, 7),)))
        elif block.kind == "appeals":
            cells = tuple(f"appeals:{g}:{c}" for g in APPEAL_GROUPS for c in APPEAL_COLS)
            out.append(Run(cells, tuple(spec.appeals), ((0, 5), (5, 10), (10, 15))))
        else:
            for key, (_, values) in zip(spec.proactive, rows, strict=True):
                truth = spec.proactive[key]
                if [v or "" for v in truth] != values:  # pragma: no cover - grid and spec disagree
                    raise ValueError(f"{spec.case_id}: 表二 row {key} is printed {values}, not {truth}")
                cells = tuple(f"proactive:{key}:{i}" for i in range(len(truth)))
                kinds = columns.get(key, ())
                out.append(Run(cells, tuple(truth), (), kinds if len(kinds) == len(truth) else ()))
    return out


def rules_of(spec: ReportSpec) -> list[Rule]:
    """The form's identities over 表三 and 表四 cells (report-format.md §6)."""
    rows = list(spec.requests)
    out: list[Rule] = []
    for key in rows:  # T3-ROW: the 总计 column is the sum of the six applicant columns
        row = [(f"requests:{key}:{c}", 1) for c in REQUEST_COLS[:6]]
        out.append(Rule((*row, (f"requests:{key}:total", -1))))
    outcomes = [r for r in rows if r not in _NOT_OUTCOMES]
    for col in REQUEST_COLS:
        if {"received", "carried_in", "total", "carried_out"} <= set(rows):  # T3-BAL
            signs = (("received", 1), ("carried_in", 1), ("total", -1), ("carried_out", -1))
            out.append(Rule(tuple((f"requests:{r}:{col}", k) for r, k in signs)))
        if "total" in rows and outcomes:  # T3-SUM
            out.append(Rule(((f"requests:total:{col}", 1), *((f"requests:{r}:{col}", -1) for r in outcomes))))
    for g in APPEAL_GROUPS:  # T4-SUM
        out.append(Rule((*((f"appeals:{g}:{c}", 1) for c in APPEAL_COLS[:4]), (f"appeals:{g}:total", -1))))
    return out


def _holds(rule: Rule, table: dict[Cell, Value]) -> bool:
    return sum((k * _zero(table[cell]) for cell, k in rule.terms), Decimal(0)) == 0


# --- the fillings of one run: every way its printed text can be read back into its cells ---------------


def _pieces(text: str | Sequence[str], pos: int, loss: Loss) -> Iterator[tuple[str, int]]:
    """The printed cells that can start at ``pos``: the next token of spaced text; for glued text every
    number (and number with its unit) that starts there, or the marker there."""
    if pos >= len(text):
        return
    if loss == "spaced":
        yield text[pos], pos + 1
        return
    assert isinstance(text, str)
    m = _GLUED_NUMBER.match(text, pos)
    if m is None:
        if text[pos] in MARKERS:  # a marker is one cell of its own, a dash also doubled (——)
            yield text[pos], pos + 1
            if text[pos] in _DASHES and text[pos + 1 : pos + 2] == text[pos]:
                yield text[pos : pos + 2], pos + 2
        return
    sign, integer, rest = m.group("sign") or "", m.group("int"), m.group("rest") or ""
    for end in range(1, len(integer) + 1):  # every prefix that is a number of its own
        if end > 1 and integer[0] == "0":
            break
        yield sign + integer[:end], pos + len(sign) + end
    if rest and (integer == "0" or integer[0] != "0"):
        yield m.group(), m.end()
    if sign and text[pos] in MARKERS:
        yield text[pos], pos + 1


def _printed(run: Run, loss: Loss) -> str | list[str]:
    """What the layout prints of ``run``: its values' tokens (spaced) or their characters run together."""
    printed = [v for v in run.values if v is not None and v != ""]
    return printed if loss == "spaced" else "".join(printed)


def fillings(run: Run, loss: Loss) -> list[tuple[Value, ...]]:
    """Readings of ``run``'s printed text back into its cells (a blank cell prints nothing) in which every
    group of the run adds up (its last cell the sum of the others).  Bounded by :data:`MAX_FILLINGS`
    readings and :data:`MAX_STEPS` search steps."""
    return _summed(run, _printed(run, loss), loss)


def varied(run: Run, loss: Loss) -> Iterator[tuple[Value, ...]]:
    """For each cell that some reading of ``run``'s text (sums or not) fills otherwise than the truth, one
    such reading: exhaustive, from the positions each cell can start at and still end the text."""
    text = _printed(run, loss)
    n = len(run.cells)

    def options(i: int, pos: int) -> list[tuple[Value, int]]:
        return [(v, nxt) for v, nxt in [(None, pos), *_pieces(text, pos, loss)] if run.fits(i, v)]

    ahead: list[dict[int, tuple[int, Value]]] = [{0: (0, None)}]  # cell i starts at pos: (from, value)
    for i in range(n):
        step: dict[int, tuple[int, Value]] = {}
        for pos in ahead[-1]:
            for value, nxt in options(i, pos):
                step.setdefault(nxt, (pos, value))
        ahead.append(step)
    finish: list[dict[int, tuple[Value, int]]] = [{} for _ in range(n)] + [{len(text): (None, len(text))}]
    for i in range(n - 1, -1, -1):  # cell i at pos can still end the text: (value, next)
        for pos in ahead[i]:
            for value, nxt in options(i, pos):
                if nxt in finish[i + 1]:
                    finish[i].setdefault(pos, (value, nxt))
    for i in range(n):
        for pos in ahead[i]:
            if pos not in finish[i]:
                continue
            for value, nxt in options(i, pos):
                if nxt not in finish[i + 1] or not _differs(value, run.values[i]):
                    continue
                before: list[Value] = []
                back = pos
                for j in range(i, 0, -1):
                    back, v = ahead[j][back]
                    before.append(v)
                after: list[Value] = []
                at = nxt
                for j in range(i + 1, n):
                    v, at = finish[j][at]
                    after.append(v)
                yield (*reversed(before), value, *after)
                break
            else:
                continue
            break


def _summed(run: Run, text: str | Sequence[str], loss: Loss) -> list[tuple[Value, ...]]:
    """Readings in which every group adds up: per group, its 总计 first, then addends bounded by it.

    Counts here are whole numbers, never signed (表三 and 表四: T3-INT, T4-INT); a cell with a sign or a
    decimal part is no reading of theirs.
    """
    steps = 0
    # at each position: (printed cell, next position, count) for every cell that can start there
    starts: list[list[tuple[Value, int, int]]] = [
        [(v, nxt, int(v) if v.isdigit() else 0) for v, nxt in _pieces(text, pos, loss)
         if v.isdigit() or set(v) <= MARKERS]
        for pos in range(len(text) + 1)
    ]  # fmt: skip
    memo: dict[tuple[int, int], list[tuple[tuple[Value, ...], int]]] = {}
    marked = [0]  # markers in text[:i] (glued): a doubled dash (——) is one cell of two characters
    for ch in text if isinstance(text, str) else ():
        marked.append(marked[-1] + (ch in MARKERS))

    def group(g: int, pos: int) -> list[tuple[tuple[Value, ...], int]]:
        """Readings of group ``g`` from ``pos``: (values, end position)."""
        nonlocal steps
        k = run.groups[g][1] - run.groups[g][0] - 1
        out: list[tuple[tuple[Value, ...], int]] = []
        addends: list[Value] = []

        def split(p: int, t: int, left: int, total: Value, end: int) -> None:
            nonlocal steps
            steps += 1
            if steps > MAX_STEPS or len(out) >= MAX_FILLINGS:
                return
            cells = k - len(addends)
            if cells == 0:
                if p == t and left == 0:
                    out.append(((*addends, total), end))
                return
            if loss == "spaced":  # every token up to t is one of the addends left
                if t - p > cells or not all(starts[q] for q in range(p, t)):
                    return
                if left != sum(starts[q][0][2] for q in range(p, t)):
                    return
            # glued, what is left must be printable in what is left: no more than the rest of the text
            # read as one number, and no more characters than ``cells`` cells can print: numbers of at
            # most ``left`` each, and markers one or two (——) to a cell
            elif ((left >= 10 ** (t - p)) if t > p else left != 0) or (
                -(-(marks := marked[t] - marked[p]) // 2) - (-(t - p - marks) // len(str(left))) > cells
            ):
                return
            addends.append(None)
            split(p, t, left, total, end)
            addends.pop()
            for value, nxt, worth in starts[p]:
                if nxt <= t and 0 <= worth <= left:
                    addends.append(value)
                    split(nxt, t, left - worth, total, end)
                    addends.pop()

        last = g == len(run.groups) - 1  # the last group ends where the text does
        for t in range(pos, len(text) + 1):  # the 总计 starts at t (a blank one prints nothing there)
            for total, end, goal in [(None, t, 0), *starts[t]]:
                if goal >= 0 and (not last or end == len(text)):
                    split(pos, t, goal, total, end)
        return out

    def rest(g: int, pos: int) -> list[tuple[tuple[Value, ...], int]]:
        if g == len(run.groups):
            return [((), pos)]
        key = (g, pos)
        if key not in memo:
            memo[key] = [
                (values + tail, end) for values, mid in group(g, pos) for tail, end in rest(g + 1, mid)
            ][:MAX_FILLINGS]
        return memo[key]

    return [values for values, end in rest(0, 0) if end == len(text)]


# --- witnesses --------------------------------------------------------------------------------------------


def _differs(a: Value, b: Value) -> bool:
    return amount(a) != amount(b)


Witness = dict[Cell, Value]  # the cells a witness changes, with the values it holds there
Shift = tuple[tuple[int, Decimal], ...]  # how a reading moves the rules it reaches: (rule index, delta)


def undetermined(spec: ReportSpec, loss: Loss) -> list[Cell]:
    """The cells of ``spec``'s tables that a ``loss`` layout leaves undetermined (each with a witness)."""
    return sorted(witnesses(spec, loss))


def witnesses(spec: ReportSpec, loss: Loss) -> dict[Cell, Witness]:
    """For each undetermined cell, one witness: the changes that turn the truth into another table the
    layout prints the same, which keeps every rule the truth keeps and differs in that cell."""
    runs = runs_of(spec)
    table: dict[Cell, Value] = {c: v for run in runs for c, v in zip(run.cells, run.values, strict=True)}
    rules = [r for r in rules_of(spec) if all(c in table for c, _ in r.terms)]
    held = [_holds(r, table) for r in rules]
    out: dict[Cell, Witness] = {}
    # per run: the readings other than the truth that keep the run's own sums, each with how it moves the
    # rules that reach outside the run (a single-run witness moves none of them)
    moves: list[list[tuple[Witness, Shift]]] = []
    for run in runs:
        inside = set(run.cells)
        touching = [i for i, r in enumerate(rules) if any(c in inside for c, _ in r.terms)]
        found: list[tuple[Witness, Shift]] = []
        moves.append(found)
        if not touching or not all(held[i] for i in touching):
            # no rule of the form ties the run's cells (表二), or the true table breaks a rule this run is
            # in (no reader can tell which rule a faulty table breaks): the arithmetic decides nothing
            # here, and every reading of the text is a witness
            for reading in varied(run, loss):
                _record(out, run, reading, {})
            continue
        for reading in fillings(run, loss):
            change = dict(zip(run.cells, reading, strict=True))
            if not _changed(run, reading):
                continue
            shift = tuple((i, d) for i in touching if (d := _moved(rules[i], change, table)))
            if not shift:
                _record(out, run, reading, {})
            found.append((change, shift))
    _combined(runs, moves, out)
    return out


def _moved(rule: Rule, change: Witness, table: dict[Cell, Value]) -> Decimal:
    """How far ``change`` moves ``rule``'s sum."""
    return sum((k * (_zero(change[c]) - _zero(table[c])) for c, k in rule.terms if c in change), Decimal(0))


def _record(out: dict[Cell, Witness], run: Run, reading: Sequence[Value], more: Witness) -> None:
    change = {**more, **dict(zip(run.cells, reading, strict=True))}
    for cell in _changed(run, reading):
        out.setdefault(cell, change)


def _changed(run: Run, reading: Sequence[Value]) -> list[Cell]:
    """The cells where ``reading`` states another number than the truth (or a number where it has none)."""
    return [c for c, a, b in zip(run.cells, reading, run.values, strict=True) if _differs(a, b)]


def _add(a: Shift, b: Shift) -> Shift:
    total = dict(a)
    for i, d in b:
        total[i] = total.get(i, Decimal(0)) + d
    return tuple(sorted((i, d) for i, d in total.items() if d))


def _negated(a: Shift) -> Shift:
    return tuple((i, -d) for i, d in a)


def _combined(runs: list[Run], moves: list[list[tuple[Witness, Shift]]], out: dict[Cell, Witness]) -> None:
    """Witnesses that change two or three runs at once, their moves of every rule cancelling out.

    Three runs whose moves cancel are linked through shared rules, so two of them share one: the pairs
    searched are those, and the third is looked up by the move it must cancel.
    """
    by_shift: dict[Shift, list[tuple[int, Witness]]] = {}
    for k, found in enumerate(moves):
        for change, shift in found:
            if shift:
                by_shift.setdefault(shift, []).append((k, change))

    def settle(taken: set[int], change: Witness, shift: Shift) -> None:
        for k, other in by_shift.get(_negated(shift), ()):
            if k not in taken:
                witness = {**change, **other}
                for j in (*taken, k):
                    run = runs[j]
                    _record(out, run, [witness[c] for c in run.cells], witness)

    for i, found in enumerate(moves):
        reach_i = {r for _, shift in found for r, _ in shift}
        for change, shift in found:
            if shift:
                settle({i}, change, shift)  # two runs
        for j in range(i + 1, len(runs)):
            if not any(r in reach_i for _, shift in moves[j] for r, _ in shift):
                continue
            for change_i, shift_i in found:
                for change_j, shift_j in moves[j]:
                    both = _add(shift_i, shift_j)
                    if both and shift_i and shift_j:
                        settle({i, j}, {**change_i, **change_j}, both)  # three runs
