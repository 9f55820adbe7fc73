"""A report as blocks — paragraphs and table grids — from the simulator's official HTML geometry.

:func:`blocks` renders a spec with :func:`gxbg.sim.render.report_body` and reads it back as a list of
paragraph strings and :class:`Grid` tables (cells with their spans), the one structure every corpus
layout is written from: text layouts, Word documents and PDFs alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import html as lxml_html

from gxbg.sim.cases import ReportSpec
from gxbg.sim.render import report_body

TABLE_KINDS = ("proactive", "requests", "appeals")


@dataclass(frozen=True, slots=True)
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    lines: tuple[str, ...]  # the cell's paragraphs (``商业<br>企业`` is two)

    @property
    def text(self) -> str:
        return "".join(self.lines)


@dataclass(frozen=True, slots=True)
class Grid:
    kind: str  # proactive | requests | appeals
    cells: tuple[GridCell, ...]
    height: int
    width: int

    def rows(self) -> list[list[GridCell]]:
        """The cells that start in each row, left to right (spans not repeated)."""
        out: list[list[GridCell]] = [[] for _ in range(self.height)]
        for cell in self.cells:
            out[cell.row].append(cell)
        return out

    def expanded(self) -> list[list[str]]:
        """Each row as ``width`` strings, a spanned cell repeated under its span (htmlgrid's view)."""
        out = [[""] * self.width for _ in range(self.height)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    out[r][c] = cell.text
        return out


Block = str | Grid


def _grid(kind: str, table: lxml_html.HtmlElement) -> Grid:
    taken: set[tuple[int, int]] = set()
    cells: list[GridCell] = []
    rows = table.findall(".//tr")
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for td in tr:
            while (r, c) in taken:
                c += 1
            rowspan, colspan = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            for br in td.iter("br"):
                br.tail = "\n" + (br.tail or "")
            parts = [p.strip() for p in td.text_content().replace("\xa0", " ").split("\n")]
            cells.append(GridCell(r, c, rowspan, colspan, tuple(p for p in parts if p)))
            c += colspan
            width = max(width, c)
    return Grid(kind, tuple(cells), len(rows), width)


def blocks(spec: ReportSpec) -> list[Block]:
    """The report as paragraphs and the three table grids, in reading order."""
    body = lxml_html.fragment_fromstring(report_body(spec), create_parent="div")
    out: list[Block] = []
    kinds = iter(TABLE_KINDS)
    for element in body:
        if element.tag == "p":
            text = element.text_content().strip()
            if text:
                out.append(text)
        elif element.tag == "table":
            out.append(_grid(next(kinds), element))
    return out


def value_rows(grid: Grid) -> list[tuple[list[str], list[str]]]:
    """(labels, values) of each data row: labels are the distinct label cells, values the number cells.

    表三: three header rows, then one row per key with 3 label columns and 7 values; 表四: the last row
    holds the 15 values; 表二: rows whose first cell is a row label (规章, 行政许可 …) and the rest values.
    """
    expanded = grid.expanded()
    out: list[tuple[list[str], list[str]]] = []
    if grid.kind == "requests":
        for row in expanded[3:]:
            labels: list[str] = []
            for text in row[:3]:
                if text and text not in labels:
                    labels.append(text)
            out.append((labels, row[3:]))
    elif grid.kind == "appeals":
        out.append(([], expanded[-1]))
    else:
        for starts in grid.rows():
            if len(starts) > 1 and starts[0].col == 0 and starts[0].text != "信息内容":
                out.append(([starts[0].text], [c.text for c in starts[1:]]))
    return out
