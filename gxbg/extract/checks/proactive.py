"""表二 rules (soft, report-format.md §10.3): P2-INT, P2-AMOUNT, and for 2019 P2-PUB."""

from __future__ import annotations

from gxbg.extract.checks._core import CheckRow, compare, is_number_row, state
from gxbg.extract.model import CellRow, FormatVersion, ProactiveDisclosure, Severity, Status

__all__ = ["check_proactive"]

_AMOUNTS = frozenset({"amount_10k_yuan", "amount"})
_SIGNED = frozenset({"items_change"})
_INT_EXPR = "counts are non-negative integers, items_change may be signed (left: cells that are not)"
_AMOUNT_EXPR = "amount >= 0 with a unit (元/万元)"


def _ref(cell: CellRow) -> str:
    return f"proactive:{cell[1]}:{cell[2]}"


def check_proactive(table: ProactiveDisclosure) -> list[CheckRow]:
    """Every 表二 rule of the table's format."""
    out = [_integers(table), *_amounts(table)]
    if table.format is FormatVersion.V2019:
        for row in ("rules", "normative_docs"):
            published = _get(table, row, "published")
            total = _get(table, row, "public_total")
            refs = (f"proactive:{row}:published", f"proactive:{row}:public_total")
            out.append(
                compare(
                    "P2-PUB",
                    row,
                    "published <= public_total",
                    [state(published)],
                    [state(total)],
                    refs,
                    Severity.SOFT,
                    relation="<=",
                )
            )
    return out


def _get(table: ProactiveDisclosure, row: str, col: str) -> CellRow | None:
    for cell in table.cell_rows:
        if cell[1] == row and cell[2] == col:
            return cell
    return None


def _integers(table: ProactiveDisclosure) -> CheckRow:
    bad: list[str] = []
    unreadable: list[str] = []
    for cell in table.cell_rows:
        col = cell[2]
        if col in _AMOUNTS:
            continue
        value = cell[5]
        if not is_number_row(cell):
            unreadable.append(_ref(cell))
        elif not isinstance(value, int) or (value < 0 and col not in _SIGNED):
            bad.append(_ref(cell))
    status = Status.FAIL if bad else Status.UNCERTAIN if unreadable else Status.PASS
    left = len(bad) + len(unreadable)
    return ("P2-INT", "proactive", _INT_EXPR, left, 0, status, Severity.SOFT, tuple(bad + unreadable), 0, "")


def _amounts(table: ProactiveDisclosure) -> list[CheckRow]:
    out: list[CheckRow] = []
    for cell in table.cell_rows:
        if cell[2] not in _AMOUNTS:
            continue
        value = cell[5]
        if not is_number_row(cell):
            status, note = Status.UNCERTAIN, "amount not printed as a number"
        elif value is not None and value < 0:
            status, note = Status.FAIL, "negative amount"
        elif cell[6] is None:
            status, note = Status.UNCERTAIN, "amount printed without a unit"
        else:
            status, note = Status.PASS, ""
        out.append(
            ("P2-AMOUNT", cell[1], _AMOUNT_EXPR, value, 0, status, Severity.SOFT, (_ref(cell),), 0, note)
        )
    return out
