"""``parse_proactive(lines, fmt)``: 表二 主动公开政府信息情况 → ``ProactiveDisclosure``.

Each format has its own schema (vocab.PROACTIVE_2019 / PROACTIVE_2021): 2019 columns are never
coerced into 2021 ones.  A block starts at ``第二十条第（X）项``; in it each row label is followed by
its values, read in order (Shanghai's misaligned colspans make grid positions unreliable, value order
is not).  Money keeps its unit: printed in the cell, else from the header (``单位:万元``), else the
column's own (``amount_10k_yuan``), else none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from gxbg.extract import vocab
from gxbg.extract.layouts import Token, detect_layout, tokenize
from gxbg.extract.model import CellRow, FormatVersion, Layout, Meaning, ProactiveDisclosure, TableKey
from gxbg.extract.text import CellReading, Line, compact, is_value_text, join_lines, parse_cell

__all__ = ["locate_proactive", "parse_proactive", "shape_format"]

_BLOCK = re.compile(vocab.PROACTIVE_BLOCK)
_UNREAD = CellReading(Meaning.TEXT, None)
_HEADER_UNIT = re.compile(vocab.HEADER_UNIT)
_Schema = dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]]
_SCHEMAS: dict[FormatVersion, _Schema] = {
    FormatVersion.V2019: vocab.PROACTIVE_2019,
    FormatVersion.V2021: vocab.PROACTIVE_2021,
}
_PATTERNS = {
    fmt: {block: tuple((k, re.compile(p)) for k, p in rows) for block, (rows, _) in schema.items()}
    for fmt, schema in _SCHEMAS.items()
}


def parse_proactive(
    lines: tuple[Line, ...], fmt: FormatVersion, *, source: str | None = None, glued: bool = False
) -> ProactiveDisclosure | None:
    """表二 from the lines of section 二, or ``None`` when no block of the format's schema is printed.
    ``source``: ``join_lines(lines)`` when already known (``SectionSpan.source``).  ``glued``: read rows
    whose label and numbers run together (``规章000``, ``_glued_cells``) when nothing else is read —
    only when the text shows the format (a version's words, or the rows' shape: ``shape_format``),
    since no column is named."""
    if fmt not in _SCHEMAS:
        return None
    layout = detect_layout(lines)
    # a block line holds 项 (prepared lines are NFKC: compacting only removes spaces): a cheap pre-test
    starts = [
        (i, m.group(1))
        for i, (_, text) in enumerate(lines)
        if "项" in text and (m := _BLOCK.search(compact(text)))
    ]
    cells: list[CellRow] = []
    for n, (i, ordinal) in enumerate(starts):
        if ordinal not in _SCHEMAS[fmt]:
            continue
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        block = lines[i:end]
        cells.extend(_block_cells(tokenize(block, layout), layout, fmt, (ordinal,)))
    if not starts and layout is not Layout.PLAIN:
        cells = _unmarked_cells(tokenize(lines, layout), layout, fmt)
    if not cells and glued:
        cells = _glued_cells(lines, fmt)
    if not cells:
        return None
    return ProactiveDisclosure(
        format=fmt, cell_rows=tuple(cells), source=join_lines(lines) if source is None else source
    )


def shape_format(lines: tuple[Line, ...]) -> FormatVersion | None:
    """The format whose 表二 the rows of a table without ``第二十条第（X）项`` lines fit, when exactly one
    does (2021 prints one cell for 行政许可 / 行政处罚 / 行政强制 / 行政事业性收费, 2019 three or two;
    ``_unmarked_cells``) or, when no table fits, whose glued rows do (``_glued_fits``); ``None``
    otherwise.  Evidence of the format when no header word is printed."""
    if any("项" in text and _BLOCK.search(compact(text)) for _, text in lines):
        return None
    layout = detect_layout(lines)
    tokens = tokenize(lines, layout)
    fits = [fmt for fmt in _SCHEMAS if _unmarked_cells(tokens, layout, fmt)]
    if not fits:
        return _glued_fits(lines)
    return fits[0] if len(fits) == 1 else None


def locate_proactive(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """The lines of 表二 outside its section (its heading misprinted or numbered as a sub-heading,
    ``（二）主动公开政府信息情况``): from the first ``第二十条第（X）项`` line through the last, then the
    last block's lines up to the first line of prose or of 表三 (``申请``), at most 12; ``()`` when no
    line carries a block."""
    hits = [i for i, (_, text) in enumerate(lines) if "项" in text and _BLOCK.search(compact(text))]
    if not hits:
        return ()
    end = hits[-1] + 1
    while end < len(lines) and end - hits[-1] <= 12:
        c = compact(lines[end][1])
        if "申请" in c or (len(c) > 40 and "|" not in c):
            break
        end += 1
    return lines[hits[0] : end]


def _unmarked_cells(tokens: list[Token], layout: Layout, fmt: FormatVersion) -> list[CellRow]:
    """表二 printed without its ``第二十条第（X）项`` lines (markdown from converters: one small table per
    row under generic headers ``信息内容 | 数据1 | 数据2 | 数据3``): each row is known by its own label,
    which names its block and so its columns.  Read only in a grid (a row is a line), when the labels
    of two blocks or more are cells of their own, and every labelled row has exactly as many cells as
    its block has columns in the format: the rows' shape corroborates the format, whose columns are
    not named here (a 2021 table under a guessed 2019 format has one cell where 2019 has three: not
    read).  No header unit: the header before the first row is another block's."""
    if layout not in (Layout.PIPE_ROW, Layout.TABBED):
        return []
    ordinals = tuple(_SCHEMAS[fmt])
    keys = [_key_of(fmt, ordinals, t[0]) for t in tokens]
    labelled = [(i, k) for i, k in enumerate(keys) if k is not None]
    if len({ordinal for _, (ordinal, _) in labelled}) < 2:
        return []
    for i, (ordinal, _) in labelled:
        width = 0
        for j in range(i + 1, len(tokens)):
            if keys[j] is not None or tokens[j][2] != tokens[i][2]:
                break
            width += 1
        if width != len(_SCHEMAS[fmt][ordinal][1]):
            return []
    return _block_cells(tokens, layout, fmt, ordinals, unmarked=True)


_GLUED_ROW = re.compile(r"(\D+?)([0-9.+\-]{1,40})")
_AMOUNT = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
#: a glued cell by its column's kind: no leading zero; a sign only in 本年增/减; a decimal only in money
_GLUED_KIND = {
    "count": re.compile(r"0|[1-9][0-9]*"),
    "signed": re.compile(r"[+-]?(?:0|[1-9][0-9]*)"),
    "amount": _AMOUNT,
}


def _glued_rows(lines: tuple[Line, ...], fmt: FormatVersion) -> list[tuple[str, str, str, int]]:
    """(block, row, run, line) of each line printed as a row label of ``fmt`` and its run of numbers."""
    ordinals = tuple(_SCHEMAS[fmt])
    rows: list[tuple[str, str, str, int]] = []
    for number, text in lines:
        m = _GLUED_ROW.fullmatch(compact(text))
        found = _key_of(fmt, ordinals, m.group(1)) if m else None
        if m is None or found is None:
            continue
        rows.append((*found, m.group(2), number))
    return rows


def _cell_row(key: str, col: str, kind: str, text: str, reading: CellReading, line: int | None) -> CellRow:
    """One 表二 cell as printed on ``line``; only an amount carries a unit."""
    unit = reading.unit if kind == "amount" else None
    return (TableKey.PROACTIVE, key, col, text, reading.meaning, reading.value, unit, line)


def _glued_cells(lines: tuple[Line, ...], fmt: FormatVersion) -> list[CellRow]:
    """Rows printed as their label and their numbers run together (``规章000``, ``行政许可264``): a
    cell is read when every way its row's run cuts into the block's columns gives it the same number
    (blank cells vanish from glued text: ``264`` in a 3-column row may be ``2 64``, ``26 4``, ``2 6 4``
    or one number with two blanks — nothing read; ``000`` is ``0 0 0``; ``11-411`` under 上一年项目数量 ·
    本年增/减 · 处理决定数量 is ``11 -4 11``, ``11 -41 1``, ``11 -411 _`` or ``11 - 411`` (a dash
    printed for nothing): 上一年项目数量 11 is read, the rest not).  A cell has its column's kind
    (``_GLUED_KIND``); a run with more than ``_GLUED_WAYS`` cuts is not read at all.  Read only when
    the labels of two blocks or more are found so.  No rule of the form links a row's cells (本年制发 /
    本年废止 / 现行有效 are tied only across years), so the widths alone decide."""
    rows = _glued_rows(lines, fmt)
    if len({ordinal for ordinal, _, _, _ in rows}) < 2:
        return []
    out: list[CellRow] = []
    seen: set[str] = set()
    for ordinal, key, digits, number in rows:
        _, columns = _SCHEMAS[fmt][ordinal]
        if key in seen:
            continue
        seen.add(key)
        ways = _glued_readings(digits, tuple(kind for _, kind in columns), limit=_GLUED_WAYS)
        if not ways or len(ways) > _GLUED_WAYS:
            continue
        cuts = [{way[i] for way in ways} for i in range(len(columns))]
        if not any(len(texts) == 1 and None not in texts and not texts & vocab.NA_MARKS for texts in cuts):
            continue  # no number the same in every cut: the row is not read
        for (col, kind), texts in zip(columns, cuts, strict=True):
            if len(texts) > 1:  # cut otherwise by another reading: not read
                out.append(_cell_row(key, col, kind, digits, _UNREAD, number))
                continue
            text = texts.pop() or ""  # a blank in every cut prints nothing
            unit = vocab.COLUMN_UNITS.get(col) if kind == "amount" else None
            out.append(_cell_row(key, col, kind, text, parse_cell(text, kind=kind, unit=unit), number))
    return out


def _glued_fits(lines: tuple[Line, ...]) -> FormatVersion | None:
    """The format under which every glued 表二 row (``_glued_rows`` of any format) is a row of the
    format and its run cuts into the row's columns in some way, when exactly one format fits
    (``行政事业性收费7730.28``: a decimal is no 2019 count; ``其他对外管理服务事项000``: no 2021 row).
    Two blocks or more must be printed so.  When both fit (blank cells vanish, so a 2021 row of one
    count also cuts into 2019's three columns), a row label only the 2021 form prints
    (``行政规范性文件308``; ``vocab.PROACTIVE_LABELS_2021``) tells 2021: 2019's own rows
    (其他对外管理服务事项, 政府集中采购) are then not printed either, or 2021 would not fit."""
    found = {fmt: _glued_rows(lines, fmt) for fmt in _SCHEMAS}
    printed = {number for rows in found.values() for *_, number in rows}
    fits = []
    for fmt, rows in found.items():
        if len({r[0] for r in rows}) < 2 or {r[3] for r in rows} != printed:
            continue
        kinds = {o: tuple(kind for _, kind in cols) for o, (_, cols) in _SCHEMAS[fmt].items()}
        if all(_glued_readings(digits, kinds[ordinal]) for ordinal, _, digits, _ in rows):
            fits.append(fmt)
    if len(fits) > 1:
        labels = {m.group(1) for _, text in lines if (m := _GLUED_ROW.fullmatch(compact(text)))}
        if not labels.isdisjoint(vocab.PROACTIVE_LABELS_2021):
            return FormatVersion.V2021
    return fits[0] if len(fits) == 1 else None


#: The most cuts of one glued 表二 run weighed cell by cell; a run with more is not read.
_GLUED_WAYS = 64


def _glued_readings(digits: str, kinds: tuple[str, ...], *, limit: int = 1) -> list[tuple[str | None, ...]]:
    """Every way of cutting ``digits`` into the columns of ``kinds`` in order, a column either a
    cell of its kind, a ``-`` printed for nothing, or a vanished blank (``None``); at most
    ``limit + 1`` are kept (more than ``limit`` means: too many)."""
    out: list[tuple[str | None, ...]] = []

    def walk(pos: int, col: int, acc: tuple[str | None, ...]) -> None:
        if len(out) > limit:
            return
        if col == len(kinds):
            if pos == len(digits):
                out.append(acc)
            return
        walk(pos, col + 1, (*acc, None))
        if digits.startswith("-", pos):  # a dash alone: a cell with nothing to count
            walk(pos + 1, col + 1, (*acc, "-"))
        pattern = _GLUED_KIND[kinds[col]]
        for end in range(pos + 1, len(digits) + 1):
            if pattern.fullmatch(digits, pos, end):
                walk(end, col + 1, (*acc, digits[pos:end]))

    walk(0, 0, ())
    return out


def _key_of(fmt: FormatVersion, ordinals: tuple[str, ...], text: str) -> tuple[str, str] | None:
    """(block, row) whose label ``text`` is, among the blocks ``ordinals``, or ``None``."""
    for ordinal in ordinals:
        key = _ROW_KEY[fmt][ordinal](text)
        if key is not None:
            return ordinal, key
    return None


def _block_cells(
    tokens: list[Token],
    layout: Layout,
    fmt: FormatVersion,
    ordinals: tuple[str, ...],
    *,
    unmarked: bool = False,
) -> list[CellRow]:
    keys = [_key_of(fmt, ordinals, t[0]) for t in tokens]
    first = next((i for i, k in enumerate(keys) if k), len(tokens))
    header = "".join([compact(t[0]) for t in tokens[:first]])
    hm = _HEADER_UNIT.search(header)
    header_unit = hm.group(1) if hm and not unmarked else None
    out: list[CellRow] = []
    seen: set[str] = set()
    for i, found in enumerate(keys):
        if found is None or found[1] in seen:
            continue
        ordinal, key = found
        _, columns = _SCHEMAS[fmt][ordinal]
        seen.add(key)
        values: list[Token] = []
        for j in range(i + 1, len(tokens)):
            tok = tokens[j]
            same_row = layout is Layout.PIPE_CELL or tok[2] == tokens[i][2]
            if not same_row or keys[j] is not None or len(values) == len(columns) or len(tok[0]) > 30:
                break
            values.append(tok)
        # pipe_cell text (one cell per line; grid layouts repeat a spanned value instead): one number
        # more than the row has columns, before the next label — which one is extra is a guess, so
        # none of the row's cells is read (a cell that lost its " |": "1" then "2 |")
        nxt = i + 1 + len(values)
        overfull = (
            layout is Layout.PIPE_CELL
            and len(values) == len(columns)
            and nxt < len(tokens)
            and keys[nxt] is None
            and tokens[nxt][0][:1].isdigit()
            and is_value_text(tokens[nxt][0])
        )
        for (col, kind), (text, line, _) in zip(columns, values, strict=False):
            unit = vocab.COLUMN_UNITS.get(col, header_unit) if kind == "amount" else None
            reading = parse_cell(text, kind=kind, unit=unit) if not overfull else _UNREAD
            out.append(_cell_row(key, col, kind, text, reading, line))
    return out


def _row_key_reader(patterns: tuple[tuple[str, re.Pattern[str]], ...]) -> Callable[[str], str | None]:
    """The reader of one block's row labels: one cached function of the text per (format, block),
    so that a lookup per token hashes the text alone, not a (text, format, block) key (speed)."""

    def row_key(text: str) -> str | None:
        """The row whose label ``text`` is, or ``None``."""
        c = compact(text)
        for key, pattern in patterns:
            if pattern.search(c):
                return key
        return None

    return lru_cache(maxsize=4096)(row_key)  # pure; labels and values recur in every report


_ROW_KEY = {
    fmt: {block: _row_key_reader(p) for block, p in blocks.items()} for fmt, blocks in _PATTERNS.items()
}
