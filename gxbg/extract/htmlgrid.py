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

Every step is linear in the size of the page (hostile markup: issue 11).  The table model (cells, spans,
the grid) is :mod:`gxbg.extract.htmltable`.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from gxbg.extract.htmltable import Flow, Table, join_cell_lines

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


class _GridParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Flow()
        self.flows: list[Flow] = [self.root]  # the innermost is where text goes
        self.tables: list[Table] = []
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
            self.tables.append(Table())
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
