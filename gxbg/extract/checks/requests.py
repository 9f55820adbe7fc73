"""表三 rules: T3-BAL (the form's 勾稽关系, per column), T3-ROW, T3-SUM, T3-INT, T3-OUT and T3-EMPTY (soft).

``check_request_table`` runs them all in the order ``validate`` reports them, reading the table's
cells once (as states, ``gxbg.extract.checks._core``); each ``_rule`` function runs one rule.
"""

from __future__ import annotations

from functools import lru_cache
from typing import cast

from gxbg.extract import vocab
from gxbg.extract.checks._core import UNCERTAIN_INPUT, CheckRow, State, compare, empty_cells_check
from gxbg.extract.model import Meaning, RequestTable, Severity, Status

__all__ = ["check_request_table"]

_PARTS = ("natural_person", "business", "research", "nonprofit", "legal_service", "other_org")
_NOT_OUTCOMES = frozenset({"received", "carried_in", "total", "carried_out"})
_ROW_EXPR = "total = " + " + ".join(_PARTS)
_SUM_EXPR = "total = disclosed + partly_disclosed + Σwithheld.* + Σunavailable.* + Σnot_processed.* + "
_BAL_EXPR = "received + carried_in = total + carried_out"
_OUT_EXPR = "carried_out <= received + carried_in"
_INT_EXPR = "every cell is a non-negative integer (left: cells that are not)"
_HARD = Severity.HARD
_INT_ONLY = {int}
_SOFT = Severity.SOFT

#: ``{row: [state per column]}`` of one table
_States = dict[str, list[State]]


def _ref(row: str, col: str) -> str:
    return f"requests:{row}:{col}"


@lru_cache(maxsize=8)  # a table has one of a few shapes (23 or 25 rows × the 7 columns)
def _refs(rows: tuple[str, ...], columns: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(_ref(row, col) for col in columns) for row in rows)


@lru_cache(maxsize=8)
def _plan(rows: tuple[str, ...], columns: tuple[str, ...]) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The cell references of each rule instance for one table shape (built once per shape)."""
    outcomes = [r for r in rows if r not in _NOT_OUTCOMES]
    balance = tuple(
        (_ref("received", c), _ref("carried_in", c), _ref("total", c), _ref("carried_out", c))
        for c in columns
    )
    row_totals = tuple((_ref(r, "total"), *(_ref(r, c) for c in _PARTS)) for r in rows)
    outcome = tuple((_ref("total", c), *(_ref(r, c) for r in outcomes)) for c in columns)
    carry = tuple((_ref("carried_out", c), _ref("received", c), _ref("carried_in", c)) for c in columns)
    return balance, row_totals, outcome, carry


def _states(table: RequestTable) -> _States:
    # ``state(cell)`` inlined: 175 cells per table
    number, zero, unc = Meaning.NUMBER, Meaning.ZERO, UNCERTAIN_INPUT
    return {
        row: [
            None
            if cell is None
            else cell[5]
            if cell[5] is not None and (cell[4] is number or cell[4] is zero)
            else unc
            for cell in cells
        ]
        for row, cells in zip(table.rows, table.grid_rows, strict=True)
    }


@lru_cache(maxsize=8)
def _flat_refs(rows: tuple[str, ...], columns: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(ref for row_refs in _refs(rows, columns) for ref in row_refs)


def _column(states: _States, row: str, columns: tuple[str, ...]) -> list[State]:
    """The row's states, or ``None`` for every column when the table has no such row."""
    found = states.get(row)
    return found if found is not None else [None] * len(columns)


def check_request_table(table: RequestTable) -> list[CheckRow]:
    """T3-BAL, T3-ROW, T3-SUM, T3-INT, T3-OUT and T3-EMPTY, in that order."""
    rows, columns = table.rows, table.columns
    st = _states(table)
    flat = [value for row in rows for value in st[row]]  # row-major, as ``_flat_refs``
    if columns == vocab.REQUEST_COLUMNS and set(map(type, flat)) == _INT_ONLY:
        # every cell printed as a count (the common case): the sums directly, as ``compare`` would
        return _all_counts(table, st, flat)
    out = _general(table, st, flat)
    if table.row_notes:  # rows the structural readers left unread say why on their T3-ROW check
        notes = dict(table.row_notes)
        out = [(*c[:9], notes[c[1]]) if c[0] == "T3-ROW" and c[1] in notes else c for c in out]
    return out


def _general(table: RequestTable, st: _States, flat: list[State]) -> list[CheckRow]:
    """``check_request_table`` for any table: each rule through ``compare``."""
    rows, columns = table.rows, table.columns
    balance, row_totals, outcome, carry = _plan(rows, columns)
    received = _column(st, "received", columns)
    carried_in = _column(st, "carried_in", columns)
    total = _column(st, "total", columns)
    carried_out = _column(st, "carried_out", columns)
    out: list[CheckRow] = [
        compare(
            "T3-BAL", col, _BAL_EXPR, [received[j], carried_in[j]], [total[j], carried_out[j]], refs, _HARD
        )
        for j, (col, refs) in enumerate(zip(columns, balance, strict=True))
    ]
    index = {col: j for j, col in enumerate(columns)}
    total_at = index.get("total")
    part_at = [index.get(c) for c in _PARTS]
    for row, refs in zip(rows, row_totals, strict=True):
        values = st[row]
        left = [None if total_at is None else values[total_at]]
        right = [None if j is None else values[j] for j in part_at]
        out.append(compare("T3-ROW", row, _ROW_EXPR, left, right, refs, _HARD))
    outcome_states = [st[r] for r in rows if r not in _NOT_OUTCOMES]
    expr = _SUM_EXPR + ("Σother_handling.*" if "other_handling" not in rows else "other_handling")
    for j, (col, refs) in enumerate(zip(columns, outcome, strict=True)):
        out.append(compare("T3-SUM", col, expr, [total[j]], [s[j] for s in outcome_states], refs, _HARD))
    out.append(_integers(table, flat))
    out += [
        compare(
            "T3-OUT",
            col,
            _OUT_EXPR,
            [carried_out[j]],
            [received[j], carried_in[j]],
            refs,
            _SOFT,
            relation="<=",
        )
        for j, (col, refs) in enumerate(zip(columns, carry, strict=True))
    ]
    out.append(_empty_cells(table, flat))
    return out


def _all_counts(table: RequestTable, st: _States, flat: list[State]) -> list[CheckRow]:
    """``check_request_table`` for a table whose cells are all ``int`` in the standard column order:
    each rule's sums and status exactly as ``compare`` gives them, without its general checks
    (tests/extract/test_fast_paths.py compares both on every golden case).
    """
    rows, columns = table.rows, table.columns
    balance, row_totals, outcome, carry = _plan(rows, columns)
    ok, bad = Status.PASS, Status.FAIL
    counts = cast(dict[str, list[int]], st)  # the caller checked: every state is an int
    rec, cin, tot, cout = counts["received"], counts["carried_in"], counts["total"], counts["carried_out"]
    out: list[CheckRow] = []
    for j, (col, refs) in enumerate(zip(columns, balance, strict=True)):
        left, right = rec[j] + cin[j], tot[j] + cout[j]
        out.append(("T3-BAL", col, _BAL_EXPR, left, right, ok if left == right else bad, _HARD, refs, 0, ""))
    for row, refs in zip(rows, row_totals, strict=True):
        values = counts[row]
        left, right = values[6], sum(values[:6])
        out.append(("T3-ROW", row, _ROW_EXPR, left, right, ok if left == right else bad, _HARD, refs, 0, ""))
    outcome_states = [counts[r] for r in rows if r not in _NOT_OUTCOMES]
    expr = _SUM_EXPR + ("Σother_handling.*" if "other_handling" not in rows else "other_handling")
    for j, (col, refs) in enumerate(zip(columns, outcome, strict=True)):
        left, right = tot[j], sum([s[j] for s in outcome_states])
        out.append(("T3-SUM", col, expr, left, right, ok if left == right else bad, _HARD, refs, 0, ""))
    out.append(_integers(table, flat))
    for j, (col, refs) in enumerate(zip(columns, carry, strict=True)):
        left, right = cout[j], rec[j] + cin[j]
        out.append(("T3-OUT", col, _OUT_EXPR, left, right, ok if left <= right else bad, _SOFT, refs, 0, ""))
    out.append(_empty_cells(table, flat))
    return out


def _empty_cells(table: RequestTable, flat: list[State]) -> CheckRow:
    """T3-EMPTY (soft): cells printed without a number (blank, ``/``, text); missing rows do not count."""
    refs: list[str] = []
    if UNCERTAIN_INPUT in flat:
        refs = [
            ref
            for ref, value in zip(_flat_refs(table.rows, table.columns), flat, strict=True)
            if value is UNCERTAIN_INPUT
        ]
    return empty_cells_check("T3-EMPTY", "requests", refs, vocab.EMPTY_CELLS_LIMIT["requests"])


def _integers(table: RequestTable, flat: list[State]) -> CheckRow:
    """T3-INT: every 表三 cell is a non-negative integer; lists the cells that are not."""
    bad_number: list[str] = []
    unreadable: list[str] = []
    # the common case tested in C: every cell an ``int`` (no None, no UNCERTAIN_INPUT), none negative
    if set(map(type, flat)) != _INT_ONLY or min(flat) < 0:  # type: ignore[type-var,operator]
        for ref, value in zip(_flat_refs(table.rows, table.columns), flat, strict=True):
            if value is None or value is UNCERTAIN_INPUT:
                unreadable.append(ref)
            elif not isinstance(value, int) or value < 0:
                bad_number.append(ref)
    status = Status.FAIL if bad_number else Status.UNCERTAIN if unreadable else Status.PASS
    left = len(bad_number) + len(unreadable)
    return ("T3-INT", "requests", _INT_EXPR, left, 0, status, _HARD, tuple(bad_number + unreadable), 0, "")
