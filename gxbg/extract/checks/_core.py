"""``compare()``: the status model shared by every rule (report-format.md §10.1).

NOT_ASSESSABLE when an input cell is missing, UNCERTAIN when one is blank, ``/``, text or otherwise not
a number, else PASS or FAIL by the tolerance (0 for counts).  Never raises.

Speed: rules run on compact data.  A cell enters a rule as its *state* (``state()``): its number, or
``UNCERTAIN_INPUT`` when it prints no number, or ``None`` when the report lacks the cell; a rule's
result is a ``CheckRow`` tuple (``CheckResult``'s fields in order) that ``gxbg.extract.validate`` turns into a
``CheckResult`` and ``report_to_dict`` into JSON directly.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from gxbg.extract.model import CellRow, Meaning, Severity, Status, Value

__all__ = [
    "UNCERTAIN_INPUT",
    "CheckRow",
    "State",
    "compare",
    "empty_cells_check",
    "is_number_row",
    "not_assessable",
    "state",
]


class _Uncertain:
    """The state of a cell that prints no number (blank, ``/``, text)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNCERTAIN_INPUT"


UNCERTAIN_INPUT: Final = _Uncertain()
#: A check input: the cell's number, ``UNCERTAIN_INPUT``, or ``None`` (the report lacks the cell).
State = int | Decimal | _Uncertain | None
#: ``CheckResult``'s fields in order:
#: (rule, scope, expr, left, right, status, severity, cells, tolerance, note).
CheckRow = tuple[str, str, str, Value, Value, Status, Severity, tuple[str, ...], int, str]

_NUMBER = Meaning.NUMBER
_ZERO = Meaning.ZERO
_PASS = Status.PASS
_FAIL = Status.FAIL


def is_number_row(cell: CellRow) -> bool:
    """Whether a cell holds a printed number."""
    meaning = cell[4]
    return cell[5] is not None and (meaning is _NUMBER or meaning is _ZERO)


def state(cell: CellRow | None) -> State:
    """The cell as a rule input (see the module docstring)."""
    if cell is None:
        return None
    value = cell[5]
    meaning = cell[4]
    if value is not None and (meaning is _NUMBER or meaning is _ZERO):
        return value
    return UNCERTAIN_INPUT


def compare(
    rule: str,
    scope: str,
    expr: str,
    left: list[State],
    right: list[State],
    cells: tuple[str, ...],
    severity: Severity,
    *,
    relation: str = "=",
    tolerance: int = 0,
    left_const: int | None = None,
    note: str = "",
) -> CheckRow:
    """Compare ``sum(left)`` (or ``left_const``) with ``sum(right)`` by ``relation`` (``=`` or ``<=``).

    ``cells`` are the references of ``left`` then ``right``.

    >>> compare("R", "s", "a = b", [1, 2], [3], ("a", "b", "c"), Severity.HARD)[3:6]
    (3, 3, <Status.PASS: 'PASS'>)
    >>> compare("R", "s", "a = b", [1, UNCERTAIN_INPUT], [None], ("a", "b", "c"), Severity.HARD)[5]
    <Status.NOT_ASSESSABLE: 'NOT_ASSESSABLE'>
    """
    inputs = left + right
    if None in inputs:
        return (rule, scope, expr, left_const, None, Status.NOT_ASSESSABLE, severity, cells, tolerance, note)
    if UNCERTAIN_INPUT in inputs:
        return (rule, scope, expr, left_const, None, Status.UNCERTAIN, severity, cells, tolerance, note)
    left_sum: int | Decimal = left_const if left_const is not None else sum(left)  # type: ignore[arg-type]
    right_sum: int | Decimal = sum(right)  # type: ignore[arg-type]
    diff = left_sum - right_sum  # int, or Decimal when an amount takes part: exact either way
    ok = -tolerance <= diff <= tolerance if relation == "=" else diff <= tolerance
    return (rule, scope, expr, left_sum, right_sum, _PASS if ok else _FAIL, severity, cells, tolerance, note)


def empty_cells_check(rule: str, scope: str, refs: list[str], limit: int) -> CheckRow:
    """A soft count of cells printed without a number: PASS at 0, UNCERTAIN up to ``limit``, FAIL above.

    >>> empty_cells_check("T4-EMPTY", "appeals", ["a", "b"], 5)[3:6]
    (2, 5, <Status.UNCERTAIN: 'UNCERTAIN'>)
    """
    n = len(refs)
    status = Status.PASS if n == 0 else Status.UNCERTAIN if n <= limit else _FAIL
    expr = f"cells printed without a number (blank, /, text) <= {limit} (left: how many; FAIL above)"
    return (rule, scope, expr, n, limit, status, Severity.SOFT, tuple(refs), 0, "")


def not_assessable(rule: str, scope: str, expr: str, severity: Severity, note: str) -> CheckRow:
    """A rule that cannot be applied (table missing, or the format has no such table)."""
    return (rule, scope, expr, None, None, Status.NOT_ASSESSABLE, severity, (), 0, note)
