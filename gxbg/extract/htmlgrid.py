"""HTML → report text: one line per block, each ``<table>`` row as one ``a | b | c |`` line.

Owns the conversion of (report-page) HTML into the clean-text contract the extractor reads
(``gxbg.extract.tables._grid`` reads the row lines).  Standard library only (:mod:`html.parser`), pure, no IO;
it never raises on malformed markup.  It does not find the report body or remove site chrome: that is
:mod:`gxbg.clean`'s job, which calls :func:`html_to_text` on the container it chose.

Rules:

* block elements (``p``, ``div``, ``h1``-``h6``, ``li``, ``br``, ``tr``…) end a line; inline elements
  join with nothing, so Word's ``<span>1</span><span>2</span>`` reads ``12``; whitespace (including
  ``&nbsp;`` and U+3000) collapses to one space;
* digits inside ``<sup>``/``<sub>`` become superscript/subscript characters (``3001<sup>1</sup>`` →
  ``3001¹``): a footnote mark, which the extractor never reads as a digit of a count;
* ``script``, ``style``, ``noscript``, ``template`` and comments (mso conditional comments too) are
  dropped; one left open runs to the end of the page, as in a browser; a ``<`` after the page's last
  ``>`` is text;
* a table becomes its grid with rowspan/colspan expanded (a spanned cell repeats in every position it
  covers); blanks stay empty fields, because a blank is a fact; text inside a cell joins with nothing
  across ``<br>``/``<p>`` (``本年新<br />制作数量`` → ``本年新制作数量``), but two numbers in two
  paragraphs stay a space apart (``1 2``, never ``12``); ``|`` in a cell becomes ``｜``;
* a table whose cells hold whole blocks (a nested table, or long multi-paragraph text), or whose
  expanded grid would exceed ``MAX_GRID_CELLS`` positions or ``MAX_GRID_CHARS`` characters (a span
  bomb), is a layout table: its cells are emitted once each as ordinary lines, and the tables inside
  keep their own grid lines.

Every step is linear in the size of the page (hostile markup: issue 11).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["SUB_DIGITS", "SUP_DIGITS", "html_to_text", "join_cell_lines"]

#: Elements whose content is never text.  (Not ``head``: its end tag is optional, and a missing one
#: must not swallow the page; ``<title>`` becomes a line like any block.)
_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "math"})
#: Elements that start and end a line.
_BLOCK_NAMES = (
    "address article aside blockquote body br caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li main menu nav ol p pre "
    "section summary title ul"
)
_BLOCKS = frozenset(_BLOCK_NAMES.split())
_CELLS = frozenset({"td", "th"})
#: HTML caps colspan at 1000; rowspan is cut at the table's last row anyway.
MAX_SPAN = 1000
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
#: Pre-pass (speed: html.parser spends most of its time on attributes we never read).
#: Comments, scripts and styles are found by their opener, then their closer is looked for once (linear
#: time: a non-greedy ``<!--.*?-->`` retried at each of 20,000 unclosed ``<!--`` was quadratic).
_HIDDEN_OPEN = re.compile(r"<!--|<(script|style)\b", re.I)
_HIDDEN_CLOSE = {"script": re.compile(r"</script\s*>", re.I), "style": re.compile(r"</style\s*>", re.I)}
_START_TAG = re.compile(r"<([a-zA-Z][^\s/>]*)((?:=\s*\"[^\"]*\"|=\s*'[^']*'|[^>])*+)>")
#: Second pre-pass (speed, Word pages): inline tags are no-ops to the parser (their texts join with
#: nothing either way), so they go, unless text right before one could be the start of a character
#: reference that the tag splits (``&am<span>p;`` must not become ``&amp;``).
#: (Not ``sup``/``sub``: their digits are footnote marks and indices, never digits of the number before
#: them — ``3001<sup>1</sup>`` is no 30011; the parser writes them as superscript/subscript characters.)
_INLINE = re.compile(
    r"(&[#0-9A-Za-z]*)?</?(?:span|font|o:p|b|i|u|s|em|strong|small|big|a|ins|del|strike|nobr)\s*/?>",
    re.I,
)
_SCRIPTS = frozenset({"sup", "sub"})
#: Digits inside ``<sup>``/``<sub>`` (ASCII and fullwidth) as the superscript/subscript characters the
#: text layer treats as marks, not digits (gxbg.extract.text).
SUP_DIGITS = _SUP_DIGITS = str.maketrans(
    {**{str(i): "⁰¹²³⁴⁵⁶⁷⁸⁹"[i] for i in range(10)}, **{chr(0xFF10 + i): "⁰¹²³⁴⁵⁶⁷⁸⁹"[i] for i in range(10)}}
)
SUB_DIGITS = _SUB_DIGITS = str.maketrans(
    {**{str(i): chr(0x2080 + i) for i in range(10)}, **{chr(0xFF10 + i): chr(0x2080 + i) for i in range(10)}}
)
#: An end tag with something after its name (only a name is read: the rest is junk).
_END_TAG_JUNK = re.compile(r"</([a-zA-Z][^\s/>]*)[\s/][^>]*>")
_SPAN_ATTR = re.compile(r"\b(rowspan|colspan)\s*=\s*[\"']?([^\"'\s>]*)", re.I)
_DIGITS = re.compile(r"[0-9]+")  # ASCII, as a browser reads a span


def _collapse(text: str) -> str:
    """Collapse every run of whitespace (``&nbsp;``, U+3000, zero-width space) to one space; strip.

    >>> _collapse(" 标\u3000\u3000题\xa0 a\\n\\tb ")
    '标 题 a b'
    >>> _collapse("\u200b\\xa0")
    ''
    """
    return _SPACE.sub(" ", text).strip()


def _slim_tag(match: re.Match[str]) -> str:
    tag, attrs = match.group(1), match.group(2)
    end = "/>" if attrs.endswith("/") else ">"
    if attrs and tag.lower() in _CELLS:
        return "<" + tag + "".join(f' {name}="{value}"' for name, value in _SPAN_ATTR.findall(attrs)) + end
    return "<" + tag + end


def _slim(html: str) -> str:
    """Drop comments, scripts and styles, every attribute except a cell's spans, and inline tags.

    >>> _slim('<p class="MsoNormal" style="a>b"><!--[if gte mso 9]>x<![endif]-->1<br/></p>')
    '<p>1<br/></p>'
    >>> _slim('<TD nowrap ROWSPAN="2" style="w"><span times="" new="" roman"\\'="">x</span>')
    '<TD ROWSPAN="2">x'
    >>> _slim("<script>document.write('<td>')</script><style>p{}</style>a<b")
    'a&lt;b'
    """
    html = _drop_hidden(html)
    # After the last ">" no tag can end: its "<"s are text.  Escaped, so that neither the start-tag
    # pattern nor html.parser scans to the end of the page once per "<" there (quadratic on 30,000
    # unclosed "<a ").
    cut = html.rfind(">") + 1
    tail = html[cut:].replace("<", "&lt;")
    head = _START_TAG.sub(_slim_tag, html[:cut])
    if "</" in head:  # end tags lose their junk (``</a </a …>``: html.parser is quadratic on it)
        head = _END_TAG_JUNK.sub(r"</\1>", head)
    return _INLINE.sub(_drop_inline, head) + tail


def _drop_hidden(html: str) -> str:
    """Remove comments, scripts and styles; one left open runs to the end of the page (as in a browser).

    >>> _drop_hidden("a<!--x-->b<SCRIPT src=1>c</script >d<style>e")
    'abd'
    >>> _drop_hidden("a<!--<!--<!--b"), _drop_hidden("a<script b")
    ('a', 'a')
    """
    out: list[str] = []
    pos = 0
    while (m := _HIDDEN_OPEN.search(html, pos)) is not None:
        out.append(html[pos : m.start()])
        name = m.group(1)
        if name is None:
            end = html.find("-->", m.end())
            pos = len(html) if end < 0 else end + 3
        else:
            opened = html.find(">", m.end())
            close = None if opened < 0 else _HIDDEN_CLOSE[name.lower()].search(html, opened + 1)
            pos = len(html) if close is None else close.end()
        if pos >= len(html):
            return "".join(out)
    out.append(html[pos:])
    return "".join(out)


def _drop_inline(match: re.Match[str]) -> str:
    """An inline tag (attributes already gone) is dropped unless a character reference may run into it.

    >>> _INLINE.sub(_drop_inline, "<p><span>1</span><o:p></o:p>&am<span>p;</span><B>x</B></p>")
    '<p>1&am<span>p;x</p>'
    """
    return match.group() if match.group(1) is not None else ""


def _parse_span(value: str | None) -> int:
    """Read a rowspan/colspan attribute: junk is 1, ``0`` stays 0 (rowspan to the end), capped.

    >>> [_parse_span(v) for v in (None, "", "3", " 2 ", "abc", "0", "-4", "2px", "99999", "9" * 5000, "٣")]
    [1, 1, 3, 2, 1, 0, 1, 2, 1000, 1000, 1]
    """
    if not value:
        return 1
    match = _DIGITS.match(value.strip())
    if match is None:
        return 1
    digits = match.group().lstrip("0") or "0"
    if len(digits) > 6:  # past any cap (and ``int`` refuses 4,300 digits)
        return MAX_SPAN
    return min(int(digits), MAX_SPAN)


def _render_row(cells: list[str]) -> str:
    """One grid row as a line: fields joined by `` | ``, ending in `` |``.

    >>> _render_row(["a", "", "b"])
    'a |  | b |'
    """
    return " | ".join(cells) + " |"


@dataclass(slots=True)
class _Flow:
    """Text being collected for the document or for one table cell."""

    lines: list[str] = field(default_factory=list)
    inline: list[str] = field(default_factory=list)
    has_table: bool = False

    def add_text(self, text: str) -> None:
        self.inline.append(text)

    def break_line(self) -> None:
        if self.inline:
            line = _collapse("".join(self.inline))
            self.inline.clear()
            if line:
                self.lines.append(line)

    def add_lines(self, lines: list[str]) -> None:
        self.break_line()
        self.lines.extend(lines)


@dataclass(slots=True)
class _Cell:
    flow: _Flow
    rowspan: int
    colspan: int

    def text(self) -> str:
        """The cell's lines joined with nothing, but for a space where a digit meets a digit: two
        numbers in two paragraphs of one cell are never read as one (``<p>0</p><p>0</p>`` → ``0 0``).

        >>> _Cell(_Flow(["本年新", "制作数量"]), 1, 1).text(), _Cell(_Flow(["1", "2|3"]), 1, 1).text()
        ('本年新制作数量', '1 2｜3')
        """
        return join_cell_lines(self.flow.lines).replace("|", "｜")

    def is_layout(self) -> bool:
        lines = self.flow.lines
        return self.flow.has_table or (len(lines) > 1 and sum(map(len, lines)) >= _LAYOUT_CELL_CHARS)


@dataclass(slots=True)
class _Table:
    rows: list[list[_Cell]] = field(default_factory=list)
    row_open: bool = False
    cell: _Cell | None = None
    stray: _Flow = field(default_factory=_Flow)  # text between cells, shown before the table

    def open_row(self) -> None:
        self.close_cell()
        self.rows.append([])
        self.row_open = True

    def close_row(self) -> None:
        self.close_cell()
        self.row_open = False

    def open_cell(self, rowspan: int, colspan: int) -> _Cell:
        self.close_cell()
        if not self.row_open:
            self.open_row()
        self.cell = _Cell(_Flow(), rowspan, max(colspan, 1))
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


def _too_big(rows: list[list[_Cell]]) -> bool:
    """Whether the expanded grid could exceed ``MAX_GRID_CELLS`` positions or ``MAX_GRID_CHARS``
    characters (an upper bound from each cell's spans, cut at the table's last row and widest column).

    >>> c = lambda t, r=1, s=1: _Cell(_Flow([t]), r, s)
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


def _build_grid(rows: list[list[_Cell]]) -> list[list[str]]:
    """Place the cells on a grid, repeating a spanned cell's text in every position it covers.

    Holes inside a row become empty fields; positions after a row's last cell are left out.

    >>> c = lambda t, r=1, s=1: _Cell(_Flow([t] if t else []), r, s)
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


class _GridParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Flow()
        self.flows: list[_Flow] = [self.root]  # the innermost is where text goes
        self.tables: list[_Table] = []
        self.skipping: list[str] = []
        self.scripts: list[str] = []  # open <sup>/<sub> elements, innermost last

    # -- text ----------------------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.scripts:
            data = data.translate(_SUP_DIGITS if self.scripts[-1] == "sup" else _SUB_DIGITS)
        table = self.tables[-1] if self.tables else None
        if table is not None and table.cell is None:
            table.stray.add_text(data)
        else:
            self.flows[-1].add_text(data)

    # -- tags ----------------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping.append(tag)
            return
        if self.skipping:
            return
        if tag in _SCRIPTS:
            self.scripts.append(tag)
        elif tag == "table":
            self.flows[-1].break_line()
            self.flows[-1].has_table = True
            self.tables.append(_Table())
        elif self.tables and tag == "tr":
            self._leave_cell()
            self.tables[-1].open_row()
        elif self.tables and tag in _CELLS:
            self._leave_cell()
            spans = dict(attrs)
            cell = self.tables[-1].open_cell(
                _parse_span(spans.get("rowspan")), _parse_span(spans.get("colspan"))
            )
            self.flows.append(cell.flow)
        elif tag in _BLOCKS or tag in _CELLS or tag == "tr":
            self.flows[-1].break_line()

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag in self.skipping:  # close the innermost open element of that name
                del self.skipping[len(self.skipping) - 1 - self.skipping[::-1].index(tag) :]
            return
        if tag in _SCRIPTS:
            if tag in self.scripts:  # close the innermost open element of that name
                del self.scripts[len(self.scripts) - 1 - self.scripts[::-1].index(tag) :]
        elif tag == "table":
            if self.tables:
                self._close_table()
        elif self.tables and tag == "tr":
            self._leave_cell()
            self.tables[-1].close_row()
        elif self.tables and tag in _CELLS:
            self._leave_cell()
        elif tag in _BLOCKS or tag in _CELLS or tag == "tr":
            self.flows[-1].break_line()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED or tag in _SCRIPTS:  # <script/>, <sup/>: nothing to skip or mark
            return
        self.handle_starttag(tag, attrs)
        if tag not in _CELLS and tag not in {"table", "tr"}:
            self.handle_endtag(tag)

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        """Skip ``<![…]>`` (``<![if !supportLists]>``, CDATA) without the base class's AssertionError."""
        rawdata = self.rawdata
        closer = "]]>" if rawdata.startswith("<![CDATA[", i) else "]>"
        j = rawdata.find(closer, i + 3)
        return -1 if j < 0 else j + len(closer)

    # -- structure -----------------------------------------------------------------------------------
    def _leave_cell(self) -> None:
        """Close the innermost table's open cell, if text is still flowing into it."""
        table = self.tables[-1]
        if table.cell is not None and self.flows[-1] is table.cell.flow:
            self.flows.pop()
        table.close_cell()

    def _close_table(self) -> None:
        self._leave_cell()
        lines = self.tables.pop().render()
        self.flows[-1].add_lines(lines)

    def finish(self) -> str:
        self.close()
        while self.tables:
            self._close_table()
        self.root.break_line()
        return "\n".join(self.root.lines)


def html_to_text(html: str) -> str:
    """Return the text of ``html``: one line per block, each table row as ``a | b | c |``."""
    parser = _GridParser()
    parser.feed(_slim(html))
    return parser.finish()
