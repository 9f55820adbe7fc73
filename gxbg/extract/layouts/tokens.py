"""Cut the lines of one table region into cell ``Token``s, whatever the layout.

* ``pipe_cell`` (one cell per line ending in `` |``): the first non-empty field of a line is the
  cell; the other fields are span residue (``| ||||``).  A line without ``|`` continues the next cell
  (``本年新`` / ``制作数量 |``).  The region is one row: runs of numbers continue across lines.
* ``pipe_row`` (``a | b | c |``, markdown, gxbg.extract.htmlgrid): a line is a row; every field is a cell and
  empty fields between cells are blank cells (a blank is a fact).  Markdown rules (``|---|``) vanish.
* ``tabbed`` (DOCX): a line starting with a tab is a cell (a bare tab is a blank cell); a line
  without a tab continues the previous cell; a blank line ends a row.
* ``plain`` (PDF): a line is a row and every space-separated word is a cell.

Speed: a field is blank exactly when ``str.strip`` leaves nothing (``normalize`` removes only what
``\\s`` matches, and NFKC never turns visible text into spaces), so blank fields are never normalised.
"""

from __future__ import annotations

import re
from functools import lru_cache

from gxbg.extract.model import Layout
from gxbg.extract.text import Line, is_value_text, normalize

__all__ = ["Token", "detect_layout", "tokenize"]

_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
# two non-blank fields: visible text, the "|" ending its field, visible text after it (linear time)
_MULTI_FIELD = re.compile(r"[\s|]*[^\s|][^|]*\|[\s|]*[^\s|]")


#: One cell of text: ``(text, line, row)``, its normalised content, the input line and the row it belongs
#: to.  A plain tuple, unpacked or indexed where read: a table region has hundreds of tokens.
Token = tuple[str, int, int]
# cell texts ("0 ", "合计 ", labels) recur in every report: normalise each once
_normalize_cell = lru_cache(maxsize=8192)(normalize)


def detect_layout(lines: tuple[Line, ...]) -> Layout:
    """The layout of a region, by majority of its non-empty lines.

    >>> from gxbg.extract.text import prepare_lines
    >>> detect_layout(prepare_lines("a |\\n0 |\\n0 | ||"))
    <Layout.PIPE_CELL: 'pipe_cell'>
    >>> detect_layout(prepare_lines("a | 0 | 0 |\\nb | 1 | 2 |"))
    <Layout.PIPE_ROW: 'pipe_row'>
    >>> detect_layout(prepare_lines("\\ta\\n\\t0\\n\\nx"))
    <Layout.TABBED: 'tabbed'>
    >>> detect_layout(prepare_lines("规章 0 0 0"))
    <Layout.PLAIN: 'plain'>
    """
    kinds = [_line_kind(t) for _, t in lines]
    count = kinds.count
    filled = len(kinds) - count(_BLANK)
    if not filled:
        return Layout.PLAIN
    piped = count(_PIPED) + count(_PIPED_MULTI) + count(_TAB_PIPED) + count(_TAB_PIPED_MULTI)
    tabbed = count(_TAB) + count(_TAB_PIPED) + count(_TAB_PIPED_MULTI)
    if piped * 10 >= filled * 3 and piped >= tabbed:
        multi = count(_PIPED_MULTI) + count(_TAB_PIPED_MULTI)
        return Layout.PIPE_ROW if multi * 10 >= piped * 3 else Layout.PIPE_CELL
    if tabbed * 10 >= filled * 3:
        return Layout.TABBED
    return Layout.PLAIN


# what ``detect_layout`` counts of a line, one code per combination
_BLANK, _TEXT, _TAB, _PIPED, _PIPED_MULTI, _TAB_PIPED, _TAB_PIPED_MULTI = range(7)


@lru_cache(maxsize=8192)  # pure; table lines ("0 |", labels) recur in every report
def _line_kind(text: str) -> int:
    """Blank, filled, starting with a tab, holding ``|``, holding two non-blank fields (see the codes).

    >>> [_line_kind(t) for t in ("", " ", "a", "\\ta", "a |", "a | b |", "\\ta |", "\\ta | b")]
    [0, 0, 1, 2, 3, 4, 5, 6]
    """
    if not text or text.isspace():
        return _BLANK
    tab = text[0] == "\t"
    if "|" not in text:
        return _TAB if tab else _TEXT
    multi = _MULTI_FIELD.match(text) is not None
    if tab:
        return _TAB_PIPED_MULTI if multi else _TAB_PIPED
    return _PIPED_MULTI if multi else _PIPED


def _fields(text: str) -> list[str]:
    """The normalised fields of a piped line: a blank first field before a leading ``|`` and a
    blank last field after the closing ``|`` are not fields.

    >>> _fields(" | a |  | b  c | ")
    ['a', '', 'b c']
    """
    parts = text.split("|")
    if text.lstrip().startswith("|"):
        parts = parts[1:]
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return [_normalize_cell(p) if p.strip() else "" for p in parts]


# the fields of whole-row lines, which recur across reports (rows of zeros)
_row_fields = lru_cache(maxsize=8192)(lambda text: tuple(_fields(text)))


def tokenize(lines: tuple[Line, ...], layout: Layout) -> list[Token]:
    """The cell tokens of a region in reading order.

    >>> from gxbg.extract.text import prepare_lines
    >>> [text for text, _, _ in tokenize(prepare_lines("本年新\\n制作数量 |\\n0 | ||"), Layout.PIPE_CELL)]
    ['本年新制作数量', '0']
    >>> [(text, row) for text, _, row in tokenize(prepare_lines("a | 1 |  | 2 | |"), Layout.PIPE_ROW)]
    [('a', 0), ('1', 0), ('', 0), ('2', 0), ('', 0)]
    """
    if layout is Layout.PIPE_CELL:
        return _pipe_cell(lines)
    if layout is Layout.PIPE_ROW:
        return _pipe_row(lines)
    if layout is Layout.TABBED:
        return _tabbed(lines)
    return [(word, number, r) for r, (number, text) in enumerate(lines) for word in text.split()]


_NUMBER_CHARS = frozenset("0123456789.,")


def _pipe_cell(lines: tuple[Line, ...]) -> list[Token]:
    # A line without "|" continues the next cell (a wrapped label), but never so that two numbers join:
    # a value alone on such a line (a cell that lost its " |") is a cell of its own, on its own line,
    # and text ending in a digit (or . ,) is not joined to a cell starting with one ("1" then "2 |" is
    # no 12).  A joined cell names the line its digits are on ("3168.0656" / "(万元) |": the first).
    out: list[Token] = []
    pending: list[str] = []
    pending_line = 0
    cell_of = _pipe_cell_text
    for number, text in lines:
        if "|" not in text:
            if text.strip():
                piece = normalize(text)
                if is_value_text(piece):
                    if pending:
                        out.append(("".join(pending), pending_line, 0))
                        pending = []
                    out.append((piece, number, 0))
                    continue
                if not pending or _has_digit(piece):
                    pending_line = number
                pending.append(piece)
            continue
        first = cell_of(text)
        if pending:
            joined = "".join(pending)
            pending = []
            if joined[-1:] in _NUMBER_CHARS and first[:1] in _NUMBER_CHARS:  # "3168." / "0656 |"
                out.append((joined, pending_line, 0))
                out.append((first, number, 0))
            else:
                digits_before = _has_digit(joined) and not _has_digit(first)
                out.append((joined + first, pending_line if digits_before else number, 0))
        else:
            out.append((first, number, 0))
    if pending:
        out.append(("".join(pending), pending_line, 0))
    return out


_has_digit = re.compile("[0-9]").search


@lru_cache(maxsize=8192)  # pure; table lines recur in every report
def _pipe_cell_text(text: str) -> str:
    """The cell of a ``pipe_cell`` line holding ``|``: its first non-blank field, normalised.

    >>> _pipe_cell_text(" | 本年新收 | ||"), _pipe_cell_text("0 | ||"), _pipe_cell_text(" | |")
    ('本年新收', '0', '')
    """
    first, _, rest = text.partition("|")
    if not first.strip():  # blank fields are residue: the first non-blank one is the cell
        first = next((p for p in rest.split("|") if p.strip()), "")
    return _normalize_cell(first) if first else ""


def _pipe_row(lines: tuple[Line, ...]) -> list[Token]:
    out: list[Token] = []
    for r, (number, text) in enumerate(lines):
        if not text.strip() or ("-" in text and _MD_RULE.match(text)):
            continue
        if "|" not in text:
            out.append((normalize(text), number, r))
            continue
        out.extend([(f, number, r) for f in _row_fields(text)])
    return out


def _tabbed(lines: tuple[Line, ...]) -> list[Token]:
    out: list[Token] = []
    cell = _normalize_cell
    row = 0
    open_cell = False
    for number, text in lines:
        tab = text.startswith("\t")
        if not tab and not text.strip():
            row += 1
            open_cell = False
            continue
        if tab:
            for part in text[1:].split("\t"):
                out.append((cell(part) if part else "", number, row))
            open_cell = True
        elif open_cell and out and not out[-1][0]:  # a blank cell continued: the text is the cell's
            out[-1] = (normalize(text), number, out[-1][2])
        elif open_cell and out:
            last = out[-1]
            more = normalize(text)
            # a digit meeting a digit keeps a space: "1 2" reads as text, never as 12
            glue = " " if last[0][-1:] in _NUMBER_CHARS and more[:1] in _NUMBER_CHARS else ""
            line = number if _has_digit(more) and not _has_digit(last[0]) else last[1]  # where the digits are
            out[-1] = (last[0] + glue + more, line, last[2])
        else:
            out.append((normalize(text), number, row))
    return out
