"""The table model of gxbg.extract.htmlgrid: text flows, cells, tables and their expanded grid.

A ``<table>`` is collected as rows of cells (each cell a flow of lines), then either placed on a grid with
rowspan/colspan expanded (a spanned cell repeats in every position it covers) and written as
``a | b | c |`` lines, or, for a layout table (cells holding whole blocks, or a grid too big to expand),
written as its cells' lines once each.  Standard library only, pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "MAX_COLUMNS",
    "MAX_GRID_CELLS",
    "MAX_GRID_CHARS",
    "Cell",
    "Flow",
    "Table",
    "collapse",
    "join_cell_lines",
]

#: No grid grows wider than this, whatever the spans say (a guard against hostile markup).
MAX_COLUMNS = 1000
#: A cell with several lines and at least this much text is page layout, not a table cell.
_LAYOUT_CELL_CHARS = 200
#: A table whose expanded grid would hold more positions, or more characters, than this is not read as
#: a grid (a report table has a few hundred cells): its cells are emitted once each, as layout.  One
#: cell ``rowspan=100000 colspan=1000000`` of 1,000 characters over 1,000 rows would otherwise be a
#: billion characters.
MAX_GRID_CELLS = 100_000
MAX_GRID_CHARS = 2_000_000

_SPACE = re.compile(r"[\s\u200b\ufeff]+")


def collapse(text: str) -> str:
    """Collapse every run of whitespace (``&nbsp;``, U+3000, zero-width space) to one space; strip.

    >>> collapse(" 标\u3000\u3000题\xa0 a\\n\\tb ")
    '标 题 a b'
    >>> collapse("\u200b\\xa0")
    ''
    """
    return _SPACE.sub(" ", text).strip()


def _render_row(cells: list[str]) -> str:
    """One grid row as a line: fields joined by `` | ``, ending in `` |``.

    >>> _render_row(["a", "", "b"])
    'a |  | b |'
    """
    return " | ".join(cells) + " |"


@dataclass(slots=True)
class Flow:
    """Text being collected for the document or for one table cell."""

    lines: list[str] = field(default_factory=list)
    inline: list[str] = field(default_factory=list)
    has_table: bool = False

    def add_text(self, text: str) -> None:
        self.inline.append(text)

    def break_line(self) -> None:
        if self.inline:
            line = collapse("".join(self.inline))
            self.inline.clear()
            if line:
                self.lines.append(line)

    def add_lines(self, lines: list[str]) -> None:
        self.break_line()
        self.lines.extend(lines)


@dataclass(slots=True)
class Cell:
    flow: Flow
    rowspan: int
    colspan: int

    def text(self) -> str:
        """The cell's lines joined with nothing, but for a space where a digit meets a digit: two
        numbers in two paragraphs of one cell are never read as one (``<p>0</p><p>0</p>`` → ``0 0``).

        >>> Cell(Flow(["本年新", "制作数量"]), 1, 1).text(), Cell(Flow(["1", "2|3"]), 1, 1).text()
        ('本年新制作数量', '1 2｜3')
        """
        return join_cell_lines(self.flow.lines).replace("|", "｜")

    def is_layout(self) -> bool:
        lines = self.flow.lines
        return self.flow.has_table or (len(lines) > 1 and sum(map(len, lines)) >= _LAYOUT_CELL_CHARS)


@dataclass(slots=True)
class Table:
    rows: list[list[Cell]] = field(default_factory=list)
    row_open: bool = False
    cell: Cell | None = None
    stray: Flow = field(default_factory=Flow)  # text between cells, shown before the table

    def open_row(self) -> None:
        self.close_cell()
        self.rows.append([])
        self.row_open = True

    def close_row(self) -> None:
        self.close_cell()
        self.row_open = False

    def open_cell(self, rowspan: int, colspan: int) -> Cell:
        self.close_cell()
        if not self.row_open:
            self.open_row()
        self.cell = Cell(Flow(), rowspan, max(colspan, 1))
        self.rows[-1].append(self.cell)
        return self.cell

    def close_cell(self) -> None:
        if self.cell is not None:
            self.cell.flow.break_line()
            self.cell = None

    def render(self) -> list[str]:
        self.close_row()
        self.stray.break_line()
        cells = [cell for row in self.rows for cell in row]
        if any(cell.is_layout() for cell in cells) or _too_big(self.rows):
            lines = list(self.stray.lines)
            for cell in cells:
                lines.extend(cell.flow.lines)
            return lines
        return self.stray.lines + [_render_row(row) for row in _build_grid(self.rows) if row]


def _too_big(rows: list[list[Cell]]) -> bool:
    """Whether the expanded grid could exceed ``MAX_GRID_CELLS`` positions or ``MAX_GRID_CHARS``
    characters (an upper bound from each cell's spans, cut at the table's last row and widest column).

    >>> c = lambda t, r=1, s=1: Cell(Flow([t]), r, s)
    >>> _too_big([[c("a", 2, 3)], [c("b")]]), _too_big([[c("x" * 1000, 0, 1000)]] + [[]] * 999)
    (False, True)
    """
    n_rows = len(rows)
    positions = chars = 0
    for r, row in enumerate(rows):
        for cell in row:
            height = n_rows - r if cell.rowspan == 0 else min(cell.rowspan, n_rows - r)
            covered = height * min(cell.colspan, MAX_COLUMNS)
            positions += covered
            chars += covered * sum(map(len, cell.flow.lines))
            if positions > MAX_GRID_CELLS or chars > MAX_GRID_CHARS:
                return True
    return False


def join_cell_lines(lines: list[str]) -> str:
    """A cell's lines (paragraphs) joined with nothing, but for a space where a digit meets a digit.

    >>> join_cell_lines(["本年新", "制作数量"]), join_cell_lines(["1", "2", "件"])
    ('本年新制作数量', '1 2件')
    """
    if len(lines) > 1:
        lines = [
            ln + " " if ln[-1:].isdigit() and i + 1 < len(lines) and lines[i + 1][:1].isdigit() else ln
            for i, ln in enumerate(lines)
        ]
    return "".join(lines)


def _build_grid(rows: list[list[Cell]]) -> list[list[str]]:
    """Place the cells on a grid, repeating a spanned cell's text in every position it covers.

    Holes inside a row become empty fields; positions after a row's last cell are left out.

    >>> c = lambda t, r=1, s=1: Cell(Flow([t] if t else []), r, s)
    >>> _build_grid([[c("a", 2), c("b", 1, 2)], [c("x"), c("")]])
    [['a', 'b', 'b'], ['a', 'x', '']]
    >>> _build_grid([[c("a", 0), c("b")], [c("c")], [c("d")]])
    [['a', 'b'], ['a', 'c'], ['a', 'd']]
    """
    n_rows = len(rows)
    grid: list[dict[int, str]] = [{} for _ in range(n_rows)]
    for r, row in enumerate(rows):
        col = 0
        for cell in row:
            while col in grid[r]:
                col += 1
            if col >= MAX_COLUMNS:
                break
            text = cell.text()
            last_row = n_rows if cell.rowspan == 0 else min(r + cell.rowspan, n_rows)
            last_col = min(col + cell.colspan, MAX_COLUMNS)
            for rr in range(r, last_row):
                positions = grid[rr]
                for cc in range(col, last_col):
                    positions.setdefault(cc, text)
            col = last_col
    return [
        [positions.get(c, "") for c in range(max(positions) + 1)] if positions else [] for positions in grid
    ]
