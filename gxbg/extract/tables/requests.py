"""``parse_requests(lines)``: 表三 收到和处理政府信息公开申请情况 → ``RequestTable``.

Rows are found by label pattern plus the run of 7 (or 8) value cells that follows the label (grid
layouts, including gxbg.extract.htmlgrid output where spanned group labels repeat).  PDF text can print a
row's numbers *before* its wrapped label; there the n-th run is the n-th row, accepted only when the
number of runs equals the number of rows and every label sharing a line with numbers agrees with the
order.  Otherwise only label-anchored rows are read and the others stay missing.  A run of the wrong
width is never split by guesswork: its cells are kept as ``TEXT`` with no value.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from itertools import chain

from gxbg.extract import vocab
from gxbg.extract.layouts import detect_layout, tokenize
from gxbg.extract.model import CellRow, Layout, Meaning, RequestTable, TableKey
from gxbg.extract.tables import decode, form
from gxbg.extract.tables._order import by_order
from gxbg.extract.tables._runs import Run, find_runs, header_label_cols
from gxbg.extract.text import MAX_COUNT_DIGITS, Line, compact, is_value_text, join_lines, parse_cell

__all__ = ["parse_requests", "row_keys", "row_label_keys"]

_TABLE = TableKey.REQUESTS
_MISSING_ROW: tuple[None, ...] = (None,) * len(vocab.REQUEST_COLUMNS)
_TEXT = Meaning.TEXT
_COUNTED = (Meaning.NUMBER, Meaning.ZERO)
_NONE = (Meaning.BLANK, Meaning.NA)
_match_start = re.Match.start

_HEAD = tuple((k, re.compile(p)) for k, p in vocab.REQUEST_ROWS_HEAD)
_SINGLE = (vocab.REQUEST_ROW_OTHER_SINGLE[0], re.compile(vocab.REQUEST_ROW_OTHER_SINGLE[1]))
_SPLIT = tuple((k, re.compile(p)) for k, p in vocab.REQUEST_ROWS_OTHER_SPLIT)
_TAIL = tuple((k, re.compile(p)) for k, p in vocab.REQUEST_ROWS_TAIL)
_GROUP = re.compile(vocab.REQUEST_GROUPS)
_SUBTOTAL = re.compile(vocab.SUBTOTAL_HEADER)
# one pass to tell "no label here" (most tokens) before the ordered per-row search
_ANY_LABEL = re.compile(
    "|".join(
        f"(?:{p})"
        for _, p in (
            *vocab.REQUEST_ROWS_HEAD,
            vocab.REQUEST_ROW_OTHER_SINGLE,
            *vocab.REQUEST_ROWS_OTHER_SPLIT,
            *vocab.REQUEST_ROWS_TAIL,
        )
    )
)


def row_keys(*, split_other: bool) -> tuple[str, ...]:
    """The leaf row keys in printed order: 23 (one 其他处理 row) or 25 (three).

    >>> len(row_keys(split_other=False)), len(row_keys(split_other=True))
    (23, 25)
    """
    other = tuple(k for k, _ in _SPLIT) if split_other else (_SINGLE[0],)
    return (*(k for k, _ in _HEAD), *other, *(k for k, _ in _TAIL))


_ALL = (*_HEAD, _SINGLE, *_SPLIT, *_TAIL)  # every row pattern; each subset below keeps this order
_SPLIT_FIRST_TWO = frozenset(k for k, _ in _SPLIT[:2])
_KEYS_SPLIT = frozenset(k for k, _ in (*_HEAD, *_SPLIT, *_TAIL))
_KEYS_SINGLE = frozenset(k for k, _ in (*_HEAD, _SINGLE, *_TAIL))


@lru_cache(maxsize=4096)  # pure; the same labels recur in every report
def _matching_keys(text: str) -> tuple[str, ...]:
    """The row keys whose label pattern ``text`` matches, in pattern order (``()`` for values)."""
    c = compact(text)
    if not c or len(c) > 80 or (c[0].isdigit() and is_value_text(c)) or not _ANY_LABEL.search(c):
        return ()
    return tuple(key for key, pattern in _ALL if pattern.search(c))


def row_label_keys(text: str) -> tuple[str, ...]:
    """The 表三 row keys a cell text names as its label (``()`` for values and other text).

    >>> row_label_keys("1.属于国家秘密"), row_label_keys("12")
    (('withheld.state_secret',), ())
    """
    return _matching_keys(text)


# What a token is, one code per token text: bit 1 a value, bit 2 a blank, bit 4 a row label (a
# label can also read as a value).  One cached lookup per token gives every per-token fact the table
# needs; the codes of a region are one ``bytes``, so run finding and the label search work on it in C.
_VALUE, _BLANK, _LABEL = 1, 2, 4
_IS_LABEL = re.compile(b"[\x04-\x07]")
# the value flags ``find_runs`` takes: blanks count as values in grid layouts only
_FLAGS_GRID = bytes(1 if code & (_VALUE | _BLANK) else 0 for code in range(256))
_FLAGS_PLAIN = bytes(1 if code & _VALUE else 0 for code in range(256))


@lru_cache(maxsize=8192)  # pure; cell texts recur in every report
def _token_code(text: str) -> int:
    if not text:
        return _BLANK
    return (_LABEL if _matching_keys(text) else 0) | (_VALUE if is_value_text(text) else 0)


def parse_requests(lines: tuple[Line, ...], *, source: str | None = None) -> RequestTable | None:
    """表三 from the lines of section 三, or ``None`` when no row of it is printed.  ``source``:
    ``join_lines(lines)`` when already known (``SectionSpan.source``)."""
    layout = detect_layout(lines)
    tokens = tokenize(lines, layout)
    codes = bytes([_token_code(t[0]) for t in tokens])
    # the matching keys of the few label tokens, by token index (ascending)
    matches = {i: _matching_keys(tokens[i][0]) for i in map(_match_start, _IS_LABEL.finditer(codes))}
    split = not _SPLIT_FIRST_TWO.isdisjoint(chain.from_iterable(matches.values()))
    keys = _KEYS_SPLIT if split else _KEYS_SINGLE
    # the first matching key of this table's kind, by token index
    labels = {
        i: key
        for i, m in matches.items()
        if (key := m[0] if m[0] in keys else next((k for k in m if k in keys), None)) is not None
    }
    if not labels:
        return None
    rows = row_keys(split_other=split)
    first_label = next(iter(labels))
    header = "".join([compact(t[0]) for t in tokens[:first_label]])
    width = 8 if _SUBTOTAL.search(header) else 7
    flags = codes.translate(_FLAGS_PLAIN if layout is Layout.PLAIN else _FLAGS_GRID)
    label_cols = header_label_cols(lines, width) if layout is Layout.PIPE_ROW else 0
    runs = [r for r in find_runs(tokens, layout, width, flags, label_cols=label_cols) if len(r.tokens) >= 2]

    def anchor(run: Run) -> str | None:
        if run.before < 0:
            return None
        prev = tokens[run.before]
        if layout is not Layout.PIPE_CELL and prev[2] != run.tokens[0][2]:
            return None
        return labels.get(run.before)

    anchors = [anchor(r) for r in runs]
    anchored: dict[str, Run] = {}
    for run, key in zip(runs, anchors, strict=True):
        if key is not None and key not in anchored:
            anchored[key] = run
    method = "anchored"
    chosen: dict[str, Run] = anchored
    consistent = len(runs) == len(rows) and all(a is None or a == rows[i] for i, a in enumerate(anchors))
    if len(anchored) < len(rows) and consistent:
        chosen = dict(zip(rows, runs, strict=True))
        method = "sequential"
    sub_index = _subtotal_index(header) if width == 8 else None
    grid = [_row_cells(key, chosen.get(key), width, sub_index) for key in rows]
    row_methods: tuple[str, ...] = ()
    aligned: set[int] = set()
    sep = _GRID_SEPARATORS.get(layout)
    if sep is not None and width == 7:
        # a grid whose header names the columns: each cell is read under its header, and a run that
        # disagrees (a phantom column, a blank trimmed as residue, a blank between two tabs that the
        # words of a plain line lose) gives way to it
        for key, (texts, line) in form.grid_cells(lines, _label_keys(keys), rows, sep=sep).items():
            i = rows.index(key)
            row = grid[i]
            if _unread(row) or tuple([c[3] for c in row]) != texts:  # type: ignore[index]
                grid[i] = _cells_of(key, texts, line)
                aligned.add(i)
    # rows the runs did not read (missing, or a run of the wrong width): read by the form's structure
    unread = [i for i, row in enumerate(grid) if _unread(row)]
    notes: tuple[tuple[str, str], ...] = ()
    ordered: dict[str, Run] = {}
    if unread and method == "anchored":  # label-less rows between rows read by label: the form's order
        printed = set(labels.values())
        for key, run in by_order(rows, runs, anchors, chosen, {rows[i] for i in unread}, printed).items():
            i = rows.index(key)
            grid[i] = _row_cells(key, run, width, sub_index)
            unread.remove(i)
            ordered[key] = run
    if unread:
        row_methods, notes = _complete(
            lines, layout, rows, grid, unread, keys, "row" if method == "anchored" else "sequence"
        )
    if aligned:
        base = row_methods or tuple(
            "" if _unread(r) else "row" if method == "anchored" else "sequence" for r in grid
        )
        row_methods = tuple("grid" if i in aligned else m for i, m in enumerate(base))
    if ordered:
        chosen = {**chosen, **ordered}
        row_methods = tuple(
            "order" if key in ordered else m or ("" if key not in chosen else "row")
            for key, m in zip(rows, row_methods or ("",) * len(rows), strict=True)
        )
    if not chosen and not any(row_methods) and not notes:
        return None  # labels in prose (同意部分公开1件) but no row's numbers: no 表三 (a pre-2019 text)
    extra: tuple[CellRow, ...] = ()
    if sub_index is not None:  # the 8th column is read only where its position is known
        extra = tuple(
            cell
            for key in rows
            for cell in [_subtotal_cell(key, chosen.get(key), sub_index)]
            if cell is not None
        )
    return RequestTable(
        rows=rows,
        columns=vocab.REQUEST_COLUMNS,
        grid_rows=tuple(grid),
        extra_rows=extra,
        layout=layout,
        method=method,
        row_methods=row_methods,
        row_notes=notes,
        source=join_lines(lines) if source is None else source,
    )


def _unread(row: tuple[CellRow | None, ...]) -> bool:
    """A row not read: missing, or a run of the wrong width (every cell TEXT with the whole run)."""
    first = row[0]
    return first is None or (
        first[4] is _TEXT and " " in first[3] and all(c is not None and c[3] == first[3] for c in row)
    )


def _complete(
    lines: tuple[Line, ...],
    layout: Layout,
    rows: tuple[str, ...],
    grid: list[tuple[CellRow | None, ...]],
    unread: list[int],
    keys: frozenset[str],
    method: str,
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Read the ``unread`` rows of ``grid`` by the form's structure (tables.form, tables.decode), in place:
    by header-aligned grid columns, then glued digits decoded by the arithmetic.  Returns how each row
    was read ("" where not) and the notes of rows left unread."""
    methods = ["" if i in unread else method for i in range(len(rows))]

    label_keys = _label_keys(keys)
    wanted = {rows[i] for i in unread}
    sep = _GRID_SEPARATORS.get(layout)
    if sep is not None:
        for key, (texts, line) in form.grid_cells(lines, label_keys, wanted, sep=sep).items():
            i = rows.index(key)
            grid[i] = _cells_of(key, texts, line)
            methods[i] = "grid"
            wanted.discard(key)
    notes: dict[str, str] = {}
    if wanted:
        glued = decode.glued_rows(lines, label_keys, wanted)
        # runs of 8-9 counts where 7 belong (a page number, a phantom column), or of 2-6 where blank
        # cells vanished or neighbours ran together (``3001 53 0 0 61 43119``): the arithmetic may tell
        wide = {
            key: (texts, first[7] or 0)
            for key in wanted - set(glued)
            if (first := grid[rows.index(key)][0]) is not None
            and (2 <= len(texts := tuple(first[3].split(" "))) < 7 or 7 < len(texts) <= 9)
            and _printed_on(texts, first[7], lines)
        }
        if glued or wide:
            known = {key: _counts(row) for key, row, m in zip(rows, grid, methods, strict=True) if m}
            accepted, notes = decode.decode_requests(
                rows, known, {k: d for k, (d, _) in glued.items()}, {k: t for k, (t, _) in wide.items()}
            )
            for key, (texts, line) in wide.items():
                if key in accepted:
                    i = rows.index(key)
                    grid[i] = _cells_of(key, accepted[key], line, " ".join(texts))
                    methods[i] = "decoded"
            for key, (digits, line) in glued.items():
                i = rows.index(key)
                if key in accepted:
                    grid[i] = _cells_of(key, accepted[key], line, digits)
                    methods[i] = "decoded"
                else:  # unread: the digits as printed, no value (the checks say UNCERTAIN)
                    grid[i] = tuple(
                        [(_TABLE, key, c, digits, _TEXT, None, None, line) for c in vocab.REQUEST_COLUMNS]
                    )
    return tuple(methods), tuple(notes.items())


_WHOLE_NUMBER = re.compile(r"[0-9]+")
#: What separates the cells of a grid row, by layout: ``|``, or a tab in text whose lines are not piped
#: (rows copied out of a spreadsheet or a Word table: tabs between cells, spanned cells repeated), read
#: by ``form.grid_cells`` only where a row lines up with its header
_GRID_SEPARATORS = {Layout.PIPE_ROW: "|", Layout.PLAIN: "\t", Layout.TABBED: "\t"}


def _printed_on(texts: tuple[str, ...], line: int | None, lines: tuple[Line, ...]) -> bool:
    """Every value of a run is a whole count (at most MAX_COUNT_DIGITS digits) printed on the one line its
    decoded cells will name: a run gathered over several lines (one cell per line) is not decoded, since
    its cells could not name their own lines (found by the fuzzer), nor is a count too long to be one.

    >>> _printed_on(("64", "0", "70"), 3, ((3, "行政许可 | 64 | 0 | 70 |"),))
    True
    >>> _printed_on(("1", "0", "1"), 3, ((3, "1 |"), (4, "0 |"), (5, "1 |")))
    False
    """
    if any(len(t) > MAX_COUNT_DIGITS for t in texts):
        return False
    text = next((t for n, t in lines if n == line), "")
    printed = Counter(_WHOLE_NUMBER.findall(text))
    counts = Counter(t for t in texts if t not in vocab.NA_MARKS)
    return all(printed[t] >= n for t, n in counts.items())


def _counts(row: tuple[CellRow | None, ...]) -> tuple[int | None, ...]:
    """A read row's counts for the decoder's arithmetic: a blank or a mark (``/``) counts 0, as in a
    decoded reading; ``None`` where a cell prints other text."""
    return tuple(
        [
            (c[5] if isinstance(c[5], int) and c[4] in _COUNTED else 0 if c[4] in _NONE else None)
            if c is not None
            else None
            for c in row
        ]
    )


@lru_cache(maxsize=4)
def _label_keys(keys: frozenset[str]) -> Callable[[str], tuple[str, ...]]:
    """The row keys of this table's kind that a cell text names (``keys``: the table's row keys)."""

    def label_keys(text: str) -> tuple[str, ...]:
        return tuple(k for k in _matching_keys(text) if k in keys)

    return label_keys


def _cells_of(key: str, texts: tuple[str | None, ...], line: int, printed: str = "") -> tuple[CellRow, ...]:
    """A row's cells from their texts; a ``None`` text (a cell the decoder left undecided) is the
    row as ``printed``, without a value."""
    read = parse_cell
    return tuple(
        [
            (_TABLE, key, col, printed, _TEXT, None, None, line)
            if t is None
            else (_TABLE, key, col, t, (r := read(t))[0], r[1], None, line)
            for col, t in zip(vocab.REQUEST_COLUMNS, texts, strict=True)
        ]
    )


def _subtotal_index(header: str) -> int | None:
    """Position of 法人或其他组织小计 among 8 columns, read from the header order, else ``None``."""
    sub = header.find(vocab.SUBTOTAL_HEADER)
    business = header.find(vocab.HEADER_BUSINESS)
    other = header.rfind(vocab.HEADER_OTHER_ORG)
    if sub < 0 or business < 0:
        return None
    if sub < business:
        return 1
    if sub > other:
        return 6
    return None


def _row_cells(key: str, run: Run | None, width: int, sub_index: int | None) -> tuple[CellRow | None, ...]:
    columns = vocab.REQUEST_COLUMNS
    if run is None:
        return _MISSING_ROW
    toks = run.tokens
    if width == 8 and len(toks) == 8 and sub_index is not None:
        toks = toks[:sub_index] + toks[sub_index + 1 :]
    if len(toks) != len(columns):
        raw = " ".join([t[0] for t in run.tokens])
        line = run.tokens[0][1]
        return tuple([(_TABLE, key, c, raw, _TEXT, None, None, line) for c in columns])
    read = parse_cell
    # a token indexed, not unpacked: ~25 rows of 7 cells per report (speed)
    return tuple(
        [
            (_TABLE, key, col, t[0], (r := read(t[0]))[0], r[1], None, t[1])
            for col, t in zip(columns, toks, strict=True)
        ]
    )


def _subtotal_cell(key: str, run: Run | None, sub_index: int | None) -> CellRow | None:
    if run is None or sub_index is None or len(run.tokens) != 8:
        return None
    text, line, _ = run.tokens[sub_index]
    meaning, value, _unit = parse_cell(text)
    return (_TABLE, key, vocab.SUBTOTAL_COLUMN, text, meaning, value, None, line)
