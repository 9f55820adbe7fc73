"""Cross-year checks (report-format.md §10.3, soft): one agency's report of year N against N−1.

Pure and deterministic: both sides are the report JSON (``report_to_dict``; only ``year``, ``format``
and ``cells`` are read), so storage never re-parses.

* ``XY-CARRY`` per 表三 column: ``carried_in(N) = carried_out(N−1)``.  表三's columns and these two rows
  are the same on the 2019 and 2021 forms, so the check runs across the form change too.
* ``XY-VALID`` (2021 form, ``rules`` and ``normative_docs``):
  ``in_force(N) = in_force(N−1) + issued(N) − repealed(N)``.
* ``XY-ITEMS`` (2019 form, every row with 上一年项目数量):
  ``prior_items(N) = prior_items(N−1) + items_change(N−1)``.

Status as for the in-report checks: PASS/FAIL when every input is a printed number, UNCERTAIN when an
input is blank, ``/`` or text (a blank is not a zero), NOT_ASSESSABLE when a table or row is missing,
the years are not consecutive, or the forms differ (2020 → 2021 changed 表二's columns: 2019's
``public_total`` and ``prior_items`` have no 2021 counterpart, so those are never compared).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from gxbg.extract.vocab import PROACTIVE_2019, REQUEST_COLUMNS

RULES: Final[tuple[str, ...]] = ("XY-CARRY", "XY-VALID", "XY-ITEMS")
FORMS: Final[frozenset[str]] = frozenset({"2019", "2021"})
_VALID_ROWS: Final[tuple[str, ...]] = ("rules", "normative_docs")
_ITEMS_ROWS: Final[tuple[str, ...]] = tuple(
    key
    for rows, cols in PROACTIVE_2019.values()
    if any(col == "prior_items" for col, _ in cols)
    for key, _ in rows
)
_CERTAIN: Final[frozenset[str]] = frozenset({"number", "zero"})


@dataclass(frozen=True, slots=True)
class CrossYearResult:
    """One cross-year check: ``left`` from year N, ``right`` from N−1 (and N), with both sides' cells."""

    rule: str
    scope: str
    status: str  # PASS | FAIL | UNCERTAIN | NOT_ASSESSABLE
    expr: str
    left: Decimal | None
    right: Decimal | None
    delta: Decimal | None
    cells: tuple[str, ...]  # year N's cell references ("table:row:col")
    prev_cells: tuple[str, ...]  # year N−1's
    note: str = ""


def _ref(table: str, row: str, col: str) -> str:
    return f"{table}:{row}:{col}"


class _Cells:
    """One report's cells: reference → (value, meaning)."""

    def __init__(self, report: Mapping[str, Any]) -> None:
        self.cells: dict[str, tuple[Decimal | None, str]] = {}
        self.tables: set[str] = set()
        for cell in report.get("cells") or ():
            ref = _ref(str(cell["table"]), str(cell["row"]), str(cell["col"]))
            self.cells[ref] = (_decimal(cell.get("value")), str(cell.get("meaning")))
            self.tables.add(str(cell["table"]))

    def get(self, ref: str) -> tuple[Decimal | None, str] | None:
        return self.cells.get(ref)


def _decimal(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Mapping):  # amounts: {"value": "7730.28", "unit": "万元"}
        value = value.get("value")
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _judge(
    rule: str,
    scope: str,
    expr: str,
    left: Sequence[tuple[str, _Cells, int]],
    right: Sequence[tuple[str, _Cells, int]],
    *,
    cur_refs: Sequence[str],
    prev_refs: Sequence[str],
) -> CrossYearResult:
    """``Σ sign·left cells = Σ sign·right cells``; the status from the cells' meanings."""

    def side(terms: Sequence[tuple[str, _Cells, int]]) -> tuple[Decimal | None, str | None]:
        total = Decimal(0)
        for ref, cells, sign in terms:
            found = cells.get(ref)
            if found is None:
                return None, "missing"
            value, meaning = found
            if meaning not in _CERTAIN or value is None:
                return None, "uncertain"
            total += sign * value
        return total, None

    lv, lproblem = side(left)
    rv, rproblem = side(right)
    delta = None if lv is None or rv is None else lv - rv

    def make(status: str, note: str = "") -> CrossYearResult:
        return CrossYearResult(
            rule, scope, status, expr, lv, rv, delta, tuple(cur_refs), tuple(prev_refs), note
        )

    if "missing" in (lproblem, rproblem):
        return make("NOT_ASSESSABLE", "a cell is missing")
    if "uncertain" in (lproblem, rproblem):
        return make("UNCERTAIN", "a cell is blank, '/' or text")
    return make("PASS" if lv == rv else "FAIL")


@dataclass(frozen=True, slots=True)
class _Balance:
    """A 表二 rule across years on one form, per row: ``Σ left terms = Σ right terms``, each term
    ``(year, column, sign)`` with year ``"N"`` or ``"N-1"``."""

    rule: str
    form: str  # both years must be on this form (2020 → 2021 changed 表二's columns)
    rows: tuple[str, ...]
    expr: str
    left: tuple[tuple[str, str, int], ...]
    right: tuple[tuple[str, str, int], ...]


_BALANCES: Final[tuple[_Balance, ...]] = (
    _Balance(
        "XY-VALID",
        "2021",
        _VALID_ROWS,
        "in_force(N) = in_force(N-1) + issued(N) - repealed(N)",
        left=(("N", "in_force", 1),),
        right=(("N-1", "in_force", 1), ("N", "issued", 1), ("N", "repealed", -1)),
    ),
    _Balance(
        "XY-ITEMS",
        "2019",
        _ITEMS_ROWS,
        "prior_items(N) = prior_items(N-1) + items_change(N-1)",
        left=(("N", "prior_items", 1),),
        right=(("N-1", "prior_items", 1), ("N-1", "items_change", 1)),
    ),
)


def _balance(
    balance: _Balance, prev: _Cells, cur: _Cells, *, prev_form: str, consecutive: bool
) -> list[CrossYearResult]:
    """One :class:`_Balance` rule on every one of its rows (the current report is on its form)."""
    out: list[CrossYearResult] = []
    for row in balance.rows:
        note = (
            "the years are not consecutive"
            if not consecutive
            else f"form change {prev_form} → {balance.form}: unlike 表二 columns"
            if prev_form != balance.form
            else ""
        )
        if note:
            out.append(
                CrossYearResult(
                    balance.rule, row, "NOT_ASSESSABLE", balance.expr, None, None, None, (), (), note
                )
            )
            continue

        def terms(spec: tuple[tuple[str, str, int], ...], row: str = row) -> list[tuple[str, _Cells, int]]:
            return [
                (_ref("proactive", row, col), cur if year == "N" else prev, sign) for year, col, sign in spec
            ]

        refs = [(year, _ref("proactive", row, col)) for year, col, _ in (*balance.left, *balance.right)]
        out.append(
            _judge(
                balance.rule,
                row,
                balance.expr,
                terms(balance.left),
                terms(balance.right),
                cur_refs=[ref for year, ref in refs if year == "N"],
                prev_refs=[ref for year, ref in refs if year == "N-1"],
            )
        )
    return out


def cross_year(prev: Mapping[str, Any], cur: Mapping[str, Any]) -> tuple[CrossYearResult, ...]:
    """Every cross-year check of ``cur`` (year N) against ``prev`` (year N−1), in a fixed order."""
    p, c = _Cells(prev), _Cells(cur)
    pf, cf = str(prev.get("format")), str(cur.get("format"))
    consecutive = isinstance(prev.get("year"), int) and cur.get("year") == prev["year"] + 1
    out: list[CrossYearResult] = []

    def not_assessable(rule: str, scope: str, expr: str, note: str) -> None:
        out.append(CrossYearResult(rule, scope, "NOT_ASSESSABLE", expr, None, None, None, (), (), note))

    # XY-CARRY
    for col in REQUEST_COLUMNS:
        expr = "carried_in(N) = carried_out(N-1)"
        cur_ref, prev_ref = _ref("requests", "carried_in", col), _ref("requests", "carried_out", col)
        if not consecutive:
            not_assessable("XY-CARRY", col, expr, "the years are not consecutive")
        elif pf not in FORMS or cf not in FORMS:
            not_assessable("XY-CARRY", col, expr, f"no 表三 on the {pf} → {cf} forms")
        else:
            out.append(
                _judge(
                    "XY-CARRY",
                    col,
                    expr,
                    [(cur_ref, c, 1)],
                    [(prev_ref, p, 1)],
                    cur_refs=[cur_ref],
                    prev_refs=[prev_ref],
                )
            )
    for balance in _BALANCES:
        if cf == balance.form:
            out += _balance(balance, p, c, prev_form=pf, consecutive=consecutive)
    return tuple(out)
