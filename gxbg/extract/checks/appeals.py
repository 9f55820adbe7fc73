"""表四 rules: T4-SUM per group (upheld + corrected + other + pending = total), T4-INT and T4-EMPTY (soft)."""

from __future__ import annotations

from gxbg.extract import vocab
from gxbg.extract.checks._core import CheckRow, compare, empty_cells_check, is_number_row, state
from gxbg.extract.model import AppealTable, Severity, Status

__all__ = ["check_appeal_empty_cells", "check_appeal_integers", "check_appeal_sums"]

_PARTS = ("upheld", "corrected", "other", "pending")
_SUM_EXPR = "upheld + corrected + other + pending = total"
_INT_EXPR = "every cell is a non-negative integer (left: cells that are not)"


def check_appeal_sums(table: AppealTable) -> list[CheckRow]:
    """T4-SUM for review, litigation_direct and litigation_after_review."""
    out: list[CheckRow] = []
    for group, row in zip(table.groups, table.grid_rows, strict=True):
        cells = dict(zip(table.columns, row, strict=True))
        left = [state(cells.get(c)) for c in _PARTS]
        refs = (*(f"appeals:{group}:{c}" for c in _PARTS), f"appeals:{group}:total")
        check = compare("T4-SUM", group, _SUM_EXPR, left, [state(cells.get("total"))], refs, Severity.HARD)
        if table.note and check[5] is Status.UNCERTAIN:  # glued digits not decoded: the candidates
            check = (*check[:9], table.note)
        out.append(check)
    return out


def check_appeal_integers(table: AppealTable) -> CheckRow:
    """T4-INT: the 15 cells are non-negative integers; lists the cells that are not."""
    bad: list[str] = []
    unreadable: list[str] = []
    for row in table.grid_rows:
        for cell in row:
            if not is_number_row(cell):
                unreadable.append(f"appeals:{cell[1]}:{cell[2]}")
            elif not isinstance(cell[5], int) or cell[5] < 0:
                bad.append(f"appeals:{cell[1]}:{cell[2]}")
    status = Status.FAIL if bad else Status.UNCERTAIN if unreadable else Status.PASS
    cells = tuple(bad + unreadable)
    return (
        "T4-INT",
        "appeals",
        _INT_EXPR,
        len(bad) + len(unreadable),
        0,
        status,
        Severity.HARD,
        cells,
        0,
        "",
    )


def check_appeal_empty_cells(table: AppealTable) -> CheckRow:
    """T4-EMPTY (soft): cells printed without a number (blank, ``/``, text, or a run of the wrong width)."""
    refs = [
        f"appeals:{cell[1]}:{cell[2]}" for row in table.grid_rows for cell in row if not is_number_row(cell)
    ]
    return empty_cells_check("T4-EMPTY", "appeals", refs, vocab.EMPTY_CELLS_LIMIT["appeals"])
