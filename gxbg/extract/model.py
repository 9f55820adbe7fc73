"""The extractor's vocabulary: frozen dataclasses and closed enums (report-format.md §12, style.md §5);
the enums are defined in :mod:`gxbg.extract.enums` and re-exported here.

Owns the shapes every other module passes around.  No parsing and no Chinese here.  ``None`` means the
report does not print the value; ``0`` means it printed 0.  Counts are ``int``, money is ``Decimal``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal

from gxbg.extract.enums import FormatVersion, Layout, Meaning, Section, Severity, Status, TableKey

__all__ = [
    "READ_METHODS",
    "AnnualReport",
    "AppealTable",
    "Cell",
    "CellRow",
    "CheckResult",
    "FormatVersion",
    "HeadlineFigure",
    "Layout",
    "Meaning",
    "NarrativeFigure",
    "ProactiveDisclosure",
    "RequestTable",
    "Section",
    "SectionText",
    "Severity",
    "Status",
    "TableKey",
    "Value",
    "new_cell",
    "new_check_result",
]

#: A cell value: a count (``int``), an amount (``Decimal``) or absent (``None``).
Value = int | Decimal | None

#: How a table cell was read (the ``method`` of each cell in the report JSON), strictest first:
#: ``grid`` (aligned to its column by the table's own header row: HTML or markdown grids), ``row`` (its
#: row label and the run of values on the same row), ``position`` (表四: the one run of 15 values, in
#: the form's order), ``sequence`` (PDF text: the n-th run of values is the n-th row, every label on a
#: line with values agreeing), ``order`` (a row of values printed without its label, placed by the
#: form's row order between rows read by label), ``decoded`` (digits glued together, split by the
#: form's arithmetic: the only reading consistent with every rule).
READ_METHODS: tuple[str, ...] = ("grid", "row", "position", "sequence", "order", "decoded")


@dataclass(frozen=True, slots=True, kw_only=True)
class Cell:
    """One table cell as printed: ``raw`` text, its ``meaning`` and, for numbers, its ``value``."""

    table: TableKey
    row: str
    col: str
    raw: str
    meaning: Meaning
    value: Value
    unit: str | None = None
    line: int | None = None  # 1-based line of the input text where the cell was read

    @property
    def ref(self) -> str:
        """``table:row:col``, the reference used in check results."""
        return f"{self.table}:{self.row}:{self.col}"


#: A cell as the parsers produce it: ``Cell``'s fields in order, ``(table, row, col, raw, meaning, value,
#: unit, line)``.  Tables keep these compact rows and build ``Cell`` objects only when asked
#: (``report_to_dict`` and the checks read the rows directly: a report has ~200 cells).
CellRow = tuple[TableKey, str, str, str, Meaning, Value, str | None, int | None]

_s_table, _s_row, _s_col, _s_raw, _s_meaning, _s_value, _s_unit, _s_line = (
    Cell.__dict__[f.name].__set__ for f in fields(Cell)
)
_new_object = object.__new__


def new_cell(
    table: TableKey,
    row: str,
    col: str,
    raw: str,
    meaning: Meaning,
    value: Value,
    unit: str | None,
    line: int | None,
) -> Cell:
    """``Cell(table=…, …, line=…)`` with positional arguments, about twice as fast.

    A report has ~200 cells, and a frozen dataclass's ``__init__`` (keyword parsing plus one
    ``object.__setattr__`` call per field) is a large part of parsing it; this sets each slot once
    through its descriptor.  The result is an ordinary ``Cell`` (equal, hashable, frozen).
    """
    cell = _new_object(Cell)
    _s_table(cell, table)
    _s_row(cell, row)
    _s_col(cell, col)
    _s_raw(cell, raw)
    _s_meaning(cell, meaning)
    _s_value(cell, value)
    _s_unit(cell, unit)
    _s_line(cell, line)
    return cell


def _cells_of(rows: tuple[CellRow, ...]) -> tuple[Cell, ...]:
    return tuple([new_cell(*row) for row in rows])


@dataclass(frozen=True, slots=True, kw_only=True)
class ProactiveDisclosure:
    """表二 主动公开政府信息情况, with the schema of its own format (no coercion between formats).

    ``cell_rows`` are the cells as compact ``CellRow`` tuples; ``cells`` builds (once) the ``Cell``s.
    """

    format: FormatVersion
    cell_rows: tuple[CellRow, ...]
    source: str = field(repr=False, default="")
    _cells: tuple[Cell, ...] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def cells(self) -> tuple[Cell, ...]:
        """Every printed cell, in reading order."""
        if self._cells is None:
            object.__setattr__(self, "_cells", _cells_of(self.cell_rows))
        assert self._cells is not None
        return self._cells

    def get(self, row: str, col: str) -> Cell | None:
        """The cell at ``row``/``col``, or ``None`` when the report does not print it."""
        for cell in self.cells:
            if cell.row == row and cell.col == col:
                return cell
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestTable:
    """表三 收到和处理政府信息公开申请情况: ``grid[i][j]`` is row ``rows[i]``, column ``columns[j]``.

    A grid entry is ``None`` when the row was not found in the text.  ``method`` says how rows were
    matched to their numbers: ``anchored`` (label next to its numbers) or ``sequential`` (PDF text
    where numbers precede labels: the n-th run of numbers is the n-th row, cross-checked against
    every label that shares a line with its numbers).  ``grid_rows``/``extra_rows`` hold the cells as
    compact ``CellRow`` tuples; ``grid``/``extra`` build (once) the ``Cell``s.
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    grid_rows: tuple[tuple[CellRow | None, ...], ...]
    extra_rows: tuple[CellRow, ...] = ()  # the 8th column (organization_subtotal) when printed
    layout: Layout
    method: str
    #: how each row's cells were read (``READ_METHODS``), one per row of ``rows`` ("" where missing);
    #: empty: every printed row was read by ``method`` (``anchored`` → ``row``, ``sequential`` → ``sequence``)
    row_methods: tuple[str, ...] = ()
    #: ``(row, note)`` for rows left unread by the structural readers (glued digits with no unique
    #: reading: the candidates); the row's T3-ROW check carries the note
    row_notes: tuple[tuple[str, str], ...] = ()
    source: str = field(repr=False, default="")
    _grid: tuple[tuple[Cell | None, ...], ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def grid(self) -> tuple[tuple[Cell | None, ...], ...]:
        """The cells, one tuple per row of ``rows`` (``None`` where the row is missing)."""
        if self._grid is None:
            grid = tuple(tuple([None if r is None else new_cell(*r) for r in row]) for row in self.grid_rows)
            object.__setattr__(self, "_grid", grid)
        assert self._grid is not None
        return self._grid

    @property
    def extra(self) -> tuple[Cell, ...]:
        """The 8th column's cells (organization_subtotal) when printed."""
        return _cells_of(self.extra_rows)

    def get(self, row: str, col: str) -> Cell | None:
        """The cell at ``row``/``col`` (``None`` when the row is missing or the key unknown)."""
        if row not in self.rows or col not in self.columns:
            return None
        return self.grid[self.rows.index(row)][self.columns.index(col)]


@dataclass(frozen=True, slots=True, kw_only=True)
class AppealTable:
    """表四 行政复议、行政诉讼: 3 groups × 5 columns, read by position (``grid_rows``: compact cells)."""

    groups: tuple[str, ...]
    columns: tuple[str, ...]
    grid_rows: tuple[tuple[CellRow, ...], ...]
    layout: Layout
    #: how the 15 cells were read (``READ_METHODS``): ``position`` (one run of 15 values in order),
    #: ``grid`` (each group's five under their header), ``decoded`` (glued digits, by the arithmetic)
    method: str = "position"
    #: why cells were left unread by the decoder (the candidates); the T4-SUM checks of those groups carry it
    note: str = ""
    source: str = field(repr=False, default="")
    _grid: tuple[tuple[Cell, ...], ...] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def grid(self) -> tuple[tuple[Cell, ...], ...]:
        """The 15 cells, one tuple of 5 per group."""
        if self._grid is None:
            object.__setattr__(self, "_grid", tuple(_cells_of(row) for row in self.grid_rows))
        assert self._grid is not None
        return self._grid

    def get(self, group: str, col: str) -> Cell | None:
        """The cell at ``group``/``col``."""
        if group not in self.groups or col not in self.columns:
            return None
        return self.grid[self.groups.index(group)][self.columns.index(col)]


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionText:
    """One of the six sections: its printed heading, its text and the line the heading is on."""

    key: Section
    heading: str
    text: str
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class NarrativeFigure:
    """A figure quoted in the narrative (e.g. 收到申请31件), to be checked against the tables."""

    key: str  # received | carried_in | total | carried_out | review | litigation
    value: int
    raw: str
    section: Section
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class HeadlineFigure:
    """A headline figure of a free-form pre-2019 report (申请总数, 主动公开数, 复议/诉讼数).

    Read from prose with no table to check it against, so always low-confidence (report-format.md §8).
    ``key`` is ``requests_received``, ``proactive_published``, ``review`` or ``litigation``.
    """

    key: str
    value: int
    raw: str
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckResult:
    """One consistency check (report-format.md §10): both sides, the status and the cells involved."""

    rule: str
    scope: str
    expr: str
    left: Value
    right: Value
    status: Status
    severity: Severity
    cells: tuple[str, ...]
    tolerance: int = 0
    note: str = ""

    @property
    def delta(self) -> Value:
        """``left - right`` when both sides are known."""
        if self.left is None or self.right is None:
            return None
        return self.left - self.right


_c_rule, _c_scope, _c_expr, _c_left, _c_right, _c_status, _c_severity, _c_cells, _c_tolerance, _c_note = (
    CheckResult.__dict__[f.name].__set__ for f in fields(CheckResult)
)


def new_check_result(
    rule: str,
    scope: str,
    expr: str,
    left: Value,
    right: Value,
    status: Status,
    severity: Severity,
    cells: tuple[str, ...],
    tolerance: int,
    note: str,
) -> CheckResult:
    """``CheckResult(rule=…, …, note=…)`` with positional arguments, about three times as fast.

    ``validate`` builds ~60 results per report; like ``new_cell`` this sets each slot once through its
    descriptor instead of the frozen dataclass's keyword ``__init__``.  The result is an ordinary
    ``CheckResult`` (equal, hashable, frozen).
    """
    result = _new_object(CheckResult)
    _c_rule(result, rule)
    _c_scope(result, scope)
    _c_expr(result, expr)
    _c_left(result, left)
    _c_right(result, right)
    _c_status(result, status)
    _c_severity(result, severity)
    _c_cells(result, cells)
    _c_tolerance(result, tolerance)
    _c_note(result, note)
    return result


@dataclass(frozen=True, slots=True, kw_only=True)
class AnnualReport:
    """One 政府信息公开工作年度报告, as printed."""

    format: FormatVersion
    format_evidence: tuple[str, ...]
    needs_review: bool
    agency: str | None
    year: int | None
    title: str | None
    published: str | None  # ISO date printed in the report (signature date), when present
    sections: tuple[SectionText, ...]
    proactive: ProactiveDisclosure | None
    requests: RequestTable | None
    appeals: AppealTable | None
    narrative: tuple[NarrativeFigure, ...]
    #: pre2019 only: headline figures read from the prose, one per key at most (low-confidence)
    headline: tuple[HeadlineFigure, ...] = ()
    source: str = field(repr=False, default="")

    def section(self, key: Section) -> SectionText | None:
        """The section ``key``, or ``None`` when its heading was not found."""
        for sec in self.sections:
            if sec.key == key:
                return sec
        return None
