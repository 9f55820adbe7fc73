"""Read 表三/表四 by the form's own structure where the layout readers of ``requests``/``appeals`` fail.

Three readers (two here, the decoder in ``decode``), each used only for the rows the run readers
left missing or unreadable (so a layout that already reads keeps its output), each accepting a
number only as printed, digit for digit:

* **grid** (``grid_cells``): a table written as grid lines (``a | b | c |``: gxbg.extract.htmlgrid,
  markdown) whose header rows name the columns (自然人 … 总计).  Each data row's values are read at the
  grid positions of their column headers, so a Word-made phantom column (a narrow grid column without a
  header, holding a stray ``0`` or nothing: ``64 0 0 0 2 0 4 70``) is skipped instead of turning
  the row into 8 values where 7 belong.  Rows copied out of a spreadsheet or a Word table (cells
  separated by tabs, spanned cells repeated) are grid lines too: an empty field between two tabs is a
  blank cell, read wherever a row has exactly the header's fields.  A row wider than the header (more
  label columns after a page break) is read as its last 7 fields where a row of the same table prints
  a label of its own in the field before them, else only when they add up.
* **decoded**: glued digits and over-wide runs read by the arithmetic, in
  :mod:`gxbg.extract.tables.decode`.
* **locating** (``locate_requests``, ``locate_appeals``): the lines of each table found by its row
  labels and header words when its section heading is missing or misprinted (the heading is a hint).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from gxbg.extract import vocab
from gxbg.extract.text import Line, compact, is_value_text

__all__ = ["appeal_grid", "grid_cells", "locate_appeals", "locate_requests"]


# the 表三 column header words (compacted), in column order
_COLUMN_WORDS = dict(zip(vocab.REQUEST_HEADER_WORDS, vocab.REQUEST_COLUMNS, strict=True))
_APPEAL_HEADER = re.compile(vocab.APPEAL_HEADER)
_APPEAL_WORDS = dict.fromkeys(vocab.APPEAL_HEADER_WORDS)
_HEADING_5 = re.compile(r"^[#*]*[五六][、.]")  # the sections after 四
_APPEAL_CELLS = len(vocab.APPEAL_GROUPS) * len(vocab.APPEAL_COLUMNS)


# ---------------------------------------------------------------- locating


def locate_requests(
    lines: tuple[Line, ...], label_keys: Callable[[str], tuple[str, ...]]
) -> tuple[Line, ...]:
    """The lines of 表三 found by its row labels (``label_keys``: the keys a cell text names), from a
    few lines above the first labelled line (the column header) to two lines past the last one;
    ``()`` when fewer than three lines carry a row label."""
    hits = [i for i, (_, text) in enumerate(lines) if any(label_keys(part) for part in _parts(text))]
    if len(hits) < 3:
        return ()
    return lines[max(0, hits[0] - 8) : hits[-1] + 3]


def locate_appeals(lines: tuple[Line, ...]) -> Iterator[tuple[Line, ...]]:
    """The candidate regions of 表四, found by its header words (结果维持 / 尚未审结 …) on a line that
    is no prose: from two lines above such a line to the first line of prose after it."""
    for i, (_, text) in enumerate(lines):
        c = compact(text)
        # a header line names two of the words and prints no number (prose quotes them with figures)
        if len(set(_APPEAL_HEADER.findall(c))) < 2 or any(ch.isdigit() for ch in c):
            continue
        end = i + 1
        while end < len(lines) and end - i < 16 and not _is_prose(lines[end][1]):
            if _HEADING_5.match(compact(lines[end][1])):
                break
            end += 1
        yield lines[max(0, i - 2) : end]


def _is_prose(text: str) -> bool:
    c = compact(text)
    return len(c) > 40 and "|" not in c and not c.isdigit()


def _parts(text: str) -> list[str]:
    return [p for p in text.split("|") if p.strip()] if "|" in text else text.split()


# ---------------------------------------------------------------- grid


def grid_cells(
    lines: tuple[Line, ...],
    label_keys: Callable[[str], tuple[str, ...]],
    wanted: Iterable[str],
    *,
    sep: str = "|",
) -> dict[str, tuple[tuple[str, ...], int]]:
    """Rows of ``wanted`` read from grid lines by their header columns: ``{key: (7 cell texts, line)}``.

    The header is the grid line(s) above the first data row naming the columns (two column words or more
    as whole cells: 自然人 and 总计 above, the five organisations below); a column's position is
    where its word stands in the lowest header line that prints something there.  A column whose word
    stands at several positions (a spanned header) is read where the data row prints a value, when
    exactly one distinct value is printed there.  A data row must be as wide as the header.

    ``sep``: ``|`` (grid lines) or a tab (rows copied out of a spreadsheet or a Word table, cells
    separated by tabs, spanned cells repeated: an empty field between two tabs is a blank cell).  Only
    lines holding ``sep`` are grid rows, and a row is read only where it lines up with the header.
    """
    wanted = set(wanted)
    rows = [(number, text) for number, text in lines if sep in text]
    if sep != "|" and not _any_inner(rows, sep):
        return {}
    # markdown opens every row with "|"; a row-per-line dump (pdfplumber ``extract_tables``: cells
    # joined by " | ") opens with "|" only a row whose first cell is empty: that cell is kept
    markdown = sep == "|" and all(text.lstrip().startswith("|") for _, text in rows)
    grid = [(number, _fields(text, markdown=markdown, sep=sep)) for number, text in rows]
    shown = _label_columns_shown(grid, label_keys)
    header: list[list[str]] = []
    positions: dict[str, list[int]] | None = None
    width = 0
    out: dict[str, tuple[tuple[str, ...], int]] = {}
    for index, (number, fields) in enumerate(grid):
        keys = [(j, label_keys(f)) for j, f in enumerate(fields) if f]
        labelled = [(j, k) for j, k in keys if k]
        if not labelled:
            if positions is None and sum(compact(f) in _COLUMN_WORDS for f in fields) >= 2:
                header.append(fields)
            continue
        if positions is None:
            positions, width = _header_positions(header)
            if positions is None:
                return {}
        j, found = labelled[-1]
        key = next((k for k in found if k in wanted), None)
        if key is None or key in out:
            continue
        if len(fields) == width:
            cells = _pick(fields, positions, after=j)
        else:
            cells = _pick_right(fields, positions, width, after=j, shown=index in shown)
        if cells is not None:
            out[key] = (cells, number)
    return out


def _label_columns_shown(
    grid: list[tuple[int, list[str]]], label_keys: Callable[[str], tuple[str, ...]]
) -> set[int]:
    """The indices of the grid rows whose fields before their last 7 are label columns, as a row of the
    same table shows: in a block of rows of one width on consecutive lines (a page break's number line
    or any other line between them ends the block), a row printing a row label of its own just before
    its last 7 fields, which are all values (``| （三）不予公开 | 1.属于国家秘密 | 0 | …``), shows that
    position to be a label column for every row of the block (pdfplumber's table of one page: every
    row has the same columns).

    >>> keys = lambda f: ("k",) if f.endswith("秘密") else ()
    >>> spanned, own = ["", "x", "", *"0000001"], ["", "", "1.秘密", *"0000000"]
    >>> sorted(_label_columns_shown([(1, ["a", "0"]), (2, spanned), (3, own)], keys))
    [1, 2]
    >>> _label_columns_shown([(2, spanned), (3, own[:-1])], keys)  # another width: another table
    set()
    >>> _label_columns_shown([(2, spanned), (4, own)], keys)  # a line between them: not the spanned row
    {1}
    """
    n = len(vocab.REQUEST_COLUMNS)
    shown: set[int] = set()
    start = 0
    while start < len(grid):
        width = len(grid[start][1])
        end = start + 1
        while end < len(grid) and len(grid[end][1]) == width and grid[end][0] == grid[end - 1][0] + 1:
            end += 1
        if width > n and any(
            label_keys(f[width - n - 1]) and all(is_value_text(v) for v in f[width - n :])
            for _, f in grid[start:end]
        ):
            shown.update(range(start, end))
        start = end
    return shown


def _any_inner(lines: Iterable[Line], sep: str) -> bool:
    """Whether a line holds ``sep`` after its first visible character: a header line, whose column
    words are fields of their own, does; tab-indented DOCX text (one cell per line) does not.

    >>> _any_inner([(1, "\\t自然人"), (2, "\\t")], "\\t"), _any_inner([(1, "\\t自然人\\t总计")], "\\t")
    (False, True)
    """
    return any(sep in text.lstrip() for _, text in lines)


def _fields(text: str, *, markdown: bool = True, sep: str = "|") -> list[str]:
    """The fields of a grid row, normalised.  Piped lines end in ``|`` (a blank after it is no field);
    tab-separated fields are all kept, an empty first or last one included (a blank cell there).

    >>> _fields("a | b |  | c |"), _fields("| a |  |"), _fields("\\t1\\t\\t2\\t", sep="\\t")
    (['a', 'b', '', 'c'], ['a', ''], ['', '1', '', '2', ''])
    """
    if sep != "|":
        return [" ".join(p.split()) for p in text.split(sep)]
    parts = text.split("|")
    if markdown and text.lstrip().startswith("|"):
        parts = parts[1:]
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return [" ".join(p.split()) for p in parts]


def _header_positions(header: list[list[str]]) -> tuple[dict[str, list[int]] | None, int]:
    """Column key → its grid positions, from the header lines (``None`` unless all 7 are placed)."""
    if not header:
        return None, 0
    width = max(len(h) for h in header)
    positions: dict[str, list[int]] = {}
    for j in range(width):
        word = next((compact(h[j]) for h in reversed(header) if j < len(h) and h[j].strip()), "")
        key = _COLUMN_WORDS.get(word)
        if key is not None:
            positions.setdefault(key, []).append(j)
    if len(positions) != len(vocab.REQUEST_COLUMNS):
        return None, width
    return positions, width


def _pick(fields: list[str], positions: dict[str, list[int]], *, after: int) -> tuple[str, ...] | None:
    cells: list[str] = []
    for col in vocab.REQUEST_COLUMNS:
        at = positions[col]
        if min(at) <= after:
            return None
        printed = {fields[j] for j in at if fields[j]}
        if len(printed) > 1:
            return None
        text = printed.pop() if printed else ""
        if text and not is_value_text(text):
            return None
        cells.append(text)
    return tuple(cells)


def _pick_right(
    fields: list[str], positions: dict[str, list[int]], width: int, *, after: int, shown: bool = False
) -> tuple[str, ...] | None:
    """The 7 cells of a row wider than the header (a table continued on the next page, where the
    label spans more label columns: ``三、本年度办理结果 | （一）予以公开 |  | 2 | …``), read as its last
    7 fields — only when the header prints the 7 columns once each, in the form's order, as its last
    7 positions; the fields before them are label cells (text or blank, no value); and either a row of
    the same table ``shown`` the field before the 7 to be a label column (``_label_columns_shown``:
    then the 7 are read as printed, a blank blank, whether they add up or not) or the 7 are all
    printed numbers that add up (总计 = the six applicants): otherwise a row whose extra field is a
    shifted value or a blank fails."""
    n = len(vocab.REQUEST_COLUMNS)
    if len(fields) <= width or after >= len(fields) - n:
        return None
    if any(positions[col] != [width - n + i] for i, col in enumerate(vocab.REQUEST_COLUMNS)):
        return None
    if any(f and is_value_text(f) for f in fields[: len(fields) - n]):
        return None
    cells = tuple(fields[len(fields) - n :])
    if shown:
        return cells if all(not c or is_value_text(c) for c in cells) and any(cells) else None
    if not all(c.isascii() and c.isdigit() for c in cells):
        return None
    values = [int(c) for c in cells]
    if sum(values[:-1]) != values[-1]:
        return None
    return cells


def appeal_grid(lines: tuple[Line, ...], *, sep: str = "|") -> list[tuple[str, int, int]] | None:
    """表四's 15 cells from grid lines, read under their column headers: the lowest header line names
    结果维持 … 总计 three times (a grid column between them without a header, Word's phantom, is
    skipped) — by itself, or with the header lines just above it as wide as it, a column's word the
    lowest one printed there (a word spanning two header rows prints in the upper one only: 行政复议's
    结果维持 … 总计 beside 未经复议直接起诉, above an empty field); the one data line as wide as that
    header gives the values (a blank cell blank).  ``None`` unless exactly so.  ``sep``: as in
    ``grid_cells`` (``|``, or a tab).
    """
    header: list[str] | None = None
    found: list[tuple[str, int, int]] | None = None
    words = tuple(_APPEAL_WORDS)
    # markdown opens every row with "|"; in grid lines that do not, a row opening with "|" opens
    # with an empty cell (a blank 结果维持), which is kept
    markdown = sep == "|" and all(text.lstrip().startswith("|") for _, text in lines if "|" in text)
    if sep != "|" and not _any_inner(lines, sep):
        return None
    above: list[list[str]] = []  # the header lines just above this one (no value printed)
    for number, text in lines:
        if sep not in text:
            above = []
            continue
        fields = [compact(f) for f in _fields(text, markdown=markdown, sep=sep)]
        words_at = fields
        if sum(f in _APPEAL_WORDS for f in fields) != _APPEAL_CELLS:
            words_at = _stacked([*above, fields])
        named = [j for j, f in enumerate(words_at) if f in _APPEAL_WORDS]
        if any(is_value_text(f) for f in fields):
            above = []
        elif not above or len(above[-1]) == len(fields):
            above.append(fields)
        else:
            above = [fields]
        if len(named) == _APPEAL_CELLS:
            if [words_at[j] for j in named] != list(words) * len(vocab.APPEAL_GROUPS):
                return None
            header, found = fields, None
            at = named
        elif (
            header is not None
            and len(fields) == len(header)
            and all(not fields[j] or is_value_text(fields[j]) for j in at)
            and any(fields[j] for j in at)
        ):  # a blank cell is a fact under its header: read as blank
            if found is not None:
                return None  # two data lines: which one?
            found = [(fields[j], number, 0) for j in at]
    return found


def _stacked(rows: list[list[str]]) -> list[str]:
    """The words of header lines read as one, each field the lowest one printed at its position among
    the lines as wide as the last one.

    >>> _stacked([["a", "b", ""], ["x", "", ""], ["", "", "z"]])
    ['x', 'b', 'z']
    >>> _stacked([["a", "b"], ["", "", "z"]])  # another width: another table's line
    ['', '', 'z']
    """
    width = len(rows[-1])
    same = [r for r in rows if len(r) == width]
    return [next((r[j] for r in reversed(same) if r[j]), "") for j in range(width)]


#: 表四's groups by the words of their row label in a small table of their own (``行政诉讼（复议后起诉）``).
_GROUP_WORDS = (("复议后起诉", 2), ("直接起诉", 1), ("行政复议", 0))


def appeal_blocks(lines: tuple[Line, ...]) -> list[tuple[str, int, int]] | None:
    """表四's 15 cells from three small markdown tables, one per group (PDF-to-markdown converters):
    each under a header naming 结果维持 … 总计 once, its one data line opening with the group's label
    (行政复议 / 行政诉讼（未经复议直接起诉） / 行政诉讼（复议后起诉）) and giving the group's 5 cells under
    their headers — a blank cell blank, so a group printed all blank is still a group.  ``None`` unless
    each group is printed so exactly once.
    """
    words = list(_APPEAL_WORDS)
    at: list[int] | None = None
    width = 0
    groups: dict[int, list[tuple[str, int, int]]] = {}
    for number, text in lines:
        if "|" not in text:
            continue
        fields = [compact(f) for f in _fields(text)]
        named = [j for j, f in enumerate(fields) if f in _APPEAL_WORDS]
        if [fields[j] for j in named] == words and named[0] > 0:
            at, width = named, len(fields)
            continue
        if at is None or len(fields) != width:
            continue
        group = next((g for word, g in _GROUP_WORDS if word in fields[0]), None)
        cells = [fields[j] for j in at]
        if group is None or not all(not c or is_value_text(c) for c in cells):
            continue
        if group in groups:
            return None  # a group printed twice: which one?
        groups[group] = [(c, number, 0) for c in cells]
    if sorted(groups) != list(range(len(vocab.APPEAL_GROUPS))):
        return None
    return [cell for g in sorted(groups) for cell in groups[g]]
