"""``parse_appeals(lines)``: 表四 行政复议、行政诉讼 → ``AppealTable``, read by position.

The header is split or half lost in extracted text (``结 果 维 持``; ``结果`` without ``纠正``), so
the 15 numbers are read in order: 复议 ×5, 未经复议直接起诉 ×5, 复议后起诉 ×5.  Grid rows (``a | b |``)
and tab-separated rows (copied out of a spreadsheet or a Word table) are read under a header naming
the 15 columns (on one line, or stacked over the header lines), a data line of exactly its fields
giving the cells (an empty field a blank cell).  Otherwise one run of exactly 15 value cells is taken
(not a grid row's after its opening blanks: a blank first cell or a label column?); failing that,
runs of 3+ cells that add up to exactly 15 (a PDF row wrapped over lines); failing that, one run of
glued digits (15+, or fewer right under the header: blank cells print nothing; marks such as ``／``
among them, each a cell printing no number) split by T4-SUM (gxbg.extract.tables.decode: a cell is
read when every split that adds up gives it the same text).  Anything else leaves the 15 cells as
``TEXT`` without values.
"""

from __future__ import annotations

from gxbg.extract import vocab
from gxbg.extract.layouts import Token, detect_layout, tokenize
from gxbg.extract.model import AppealTable, CellRow, Layout, Meaning, TableKey
from gxbg.extract.tables import decode, form
from gxbg.extract.tables._runs import Run, find_runs
from gxbg.extract.text import Line, join_lines, parse_cell

__all__ = ["parse_appeals"]

_WIDTH = len(vocab.APPEAL_GROUPS) * len(vocab.APPEAL_COLUMNS)
_GROUP = len(vocab.APPEAL_COLUMNS)
_TAB_GRIDS = (Layout.PLAIN, Layout.TABBED)  # layouts whose readers split no tab-separated row


def _placeholder(run: Run) -> bool:
    """A run of ``-`` marks only (a converter's placeholder table)."""
    return all(t[0] in vocab.NA_MARKS for t in run.tokens)


def parse_appeals(lines: tuple[Line, ...], *, source: str | None = None) -> AppealTable | None:
    """表四 from the lines of section 四, or ``None`` when it prints no numbers at all.  ``source``:
    ``join_lines(lines)`` when already known (``SectionSpan.source``)."""
    layout = detect_layout(lines)
    tokens = tokenize(lines, layout)
    runs = find_runs(tokens, layout, _WIDTH)
    # a glued run with marks among its digits (401289／2132…) is no token: the table is still printed
    glued = decode.glued_appeals(lines)
    if not runs and glued is None:
        return None
    exact = [r for r in runs if len(r.tokens) == _WIDTH]
    toks: list[Token] | None = None
    method, note = "position", ""
    if layout in _TAB_GRIDS and (tabbed := form.appeal_grid(lines, sep="\t")) is not None:
        # tab-separated rows (copied out of a spreadsheet or a Word table) under a header naming the 15
        # columns: every cell's position is printed, a blank between two tabs included, which the
        # words of a plain line lose
        toks, method = tabbed, "grid"
    elif layout is Layout.PIPE_ROW and (under := form.appeal_grid(lines)) is not None:
        # grid rows under a header naming the 15 columns: each cell is read under its own header, so a
        # blank first cell (which opens a run's row as a label would) or a phantom grid column between
        # the groups (Word) never moves the values one column over, as a run of 15 would
        toks, method = under, "grid"
    else:
        long_runs = [r for r in runs if len(r.tokens) >= 3]
        kept = [r for r in long_runs if not _placeholder(r)]  # placeholder tables of "-" are no cells
        used = next(
            (
                u
                for u in (exact if len(exact) == 1 else [], long_runs, kept)
                if sum(len(r.tokens) for r in u) == _WIDTH
            ),
            [],
        )
        # a grid row opening with blank fields: its run starts at its first printed value (the blanks
        # taken for empty label cells), but 表四 has no label column, so a blank may be its first cell
        # and a phantom column the 15th value: read by position only under a header (appeal_grid)
        if used and not any(_after_blanks(r, tokens) for r in used):
            toks = [t for r in used for t in r.tokens]
    if toks is None and layout is Layout.PIPE_ROW and (blocks := form.appeal_blocks(lines)) is not None:
        toks, method = blocks, "grid"  # a small table per group (markdown): its cells under their headers
    if toks is None and (wide := [r for r in runs if _WIDTH < len(r.tokens) <= _WIDTH + 2]):
        texts = tuple(t[0] for t in wide[0].tokens)
        method = "decoded"
        if len(wide) == 1:
            kept_texts, note = decode.drop_extra_appeals(texts)
            if kept_texts is not None:  # each kept value names its own line (one cell per line)
                printed = iter(wide[0].tokens)
                own_lines: list[Token] = []
                for t in kept_texts:
                    own = next((tok for tok in printed if tok[0] == t), None)
                    if own is not None:
                        own_lines.append((t, own[1], 0))
                toks = own_lines if len(own_lines) == len(kept_texts) else None
    cells: list[CellRow] = []
    positions = [(g, c) for g in vocab.APPEAL_GROUPS for c in vocab.APPEAL_COLUMNS]
    if toks is None and glued is not None:
        # the 15 numbers run together (a flattened page): a group is read when only one split adds up
        digits, number = glued
        decoded, note = decode.decode_appeals(digits)
        method = "decoded"
        if any(decoded):
            cells = _decoded_cells(decoded, digits, number)
    if not cells and toks is None and (short := _short_run(runs)) is not None:
        # fewer than 15 values on one line: blank cells vanished (or neighbours ran together); a group
        # is read when every reading that adds up (T4-SUM, a blank counting 0) gives it the same cells
        texts, number = short
        decoded, note = decode.decode_appeals(" ".join(texts), texts)
        method = "decoded"
        if any(decoded):
            cells = _decoded_cells(decoded, " ".join(texts), number)
    if not cells and toks is None:  # not read: the values as printed, as text
        shown = [(t[0], t[1]) for r in runs for t in r.tokens] or ([glued] if glued is not None else [])
        raw, line = " ".join([value for value, _ in shown]), shown[0][1]  # (no run: the glued one)
        for g, c in positions:
            cells.append((TableKey.APPEALS, g, c, raw, Meaning.TEXT, None, None, line))
    elif not cells and toks is not None:
        for (g, c), (text, line, _) in zip(positions, toks, strict=True):
            meaning, value, _unit = parse_cell(text)
            cells.append((TableKey.APPEALS, g, c, text, meaning, value, None, line))
    n = len(vocab.APPEAL_COLUMNS)
    grid = tuple(tuple(cells[i * n : (i + 1) * n]) for i in range(len(vocab.APPEAL_GROUPS)))
    return AppealTable(
        groups=vocab.APPEAL_GROUPS,
        columns=vocab.APPEAL_COLUMNS,
        grid_rows=grid,
        layout=layout,
        method=method,
        note=note,
        source=join_lines(lines) if source is None else source,
    )


def _after_blanks(run: Run, tokens: list[Token]) -> bool:
    """Whether ``run`` starts after blank fields of its own grid row (``find_runs`` drops the blanks
    opening a row)."""
    return run.before >= 0 and not tokens[run.before][0] and tokens[run.before][2] == run.tokens[0][2]


def _short_run(runs: list[Run]) -> tuple[tuple[str, ...], int] | None:
    """The values of 表四 printed as fewer than 15 on one line (its runs of 3+ values, placeholder
    tables of ``-`` left out), with that line; ``None`` otherwise (a blank cell printed as an empty
    grid cell is a value here, so a grid row is never short)."""
    toks = [t for r in runs if len(r.tokens) >= 3 and not _placeholder(r) for t in r.tokens]
    if not _GROUP <= len(toks) < _WIDTH or len({t[1] for t in toks}) != 1 or any(not t[0] for t in toks):
        return None
    return tuple(t[0] for t in toks), toks[0][1]


def _decoded_cells(
    decoded: tuple[tuple[str | None, ...] | None, ...], printed: str, line: int
) -> list[CellRow]:
    """表四's cells from the decoder's groups; a cell not decided (``None``) is the run as ``printed``,
    without a value."""
    cells: list[CellRow] = []
    for g, group in zip(vocab.APPEAL_GROUPS, decoded, strict=True):
        for c, text in zip(vocab.APPEAL_COLUMNS, group or (None,) * _GROUP, strict=True):
            if text is None:
                cells.append((TableKey.APPEALS, g, c, printed, Meaning.TEXT, None, None, line))
            else:
                meaning, value, _unit = parse_cell(text)
                cells.append((TableKey.APPEALS, g, c, text, meaning, value, None, line))
    return cells
