"""Runs of value tokens: the "trailing run of N numeric cells" that carries a table row's numbers.

A run is a maximal sequence of value tokens (counts, ``0``, ``/``, ``—`` and, in grid layouts, blank
cells) that stays inside one row (in ``pipe_cell`` text the whole region is one row) and is broken by
any other text.  Runs made only of blanks are span residue and are dropped; blanks beyond the expected
width at the end of a run are trimmed (``| ||`` residue after a row's last cell).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from operator import itemgetter
from typing import NamedTuple

from gxbg.extract.layouts import Token
from gxbg.extract.model import Layout
from gxbg.extract.text import Line, is_value_text

__all__ = ["Run", "find_runs", "header_label_cols"]

_new_run = tuple.__new__
_MD_RULE = re.compile(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*")  # markdown's |---|---|
_row = itemgetter(2)  # a token's row


class Run(NamedTuple):
    """Consecutive value tokens and the index of the token just before them (-1 at the start)."""

    tokens: tuple[Token, ...]
    before: int


def find_runs(
    tokens: list[Token], layout: Layout, width: int, flags: bytes | None = None, *, label_cols: int = 0
) -> list[Run]:
    """The runs of ``tokens``, blank-only runs dropped and blank tails beyond ``width`` trimmed.

    ``flags``: one byte per token, 1 where it counts as a value (a caller that classifies its tokens
    anyway passes them); by default from ``is_value_text``.  Rows ascend in reading order (``tokenize``).
    ``label_cols``: the label columns of a markdown table, from its header (0: not known); a row of
    exactly ``label_cols + width`` cells, all values or blanks, opening with ``label_cols`` blanks, has
    its values in the rest, a blank first value cell included (``|  |  | 2 | 0 | …``).
    """
    if flags is None:
        blanks_count = layout is not Layout.PLAIN
        # is_value_text("") is False: blank tokens count as values in grid layouts only
        flags = bytes([is_value_text(tok[0]) if tok[0] else blanks_count for tok in tokens])
    any_row = layout is Layout.PIPE_CELL
    pipe_row = layout is Layout.PIPE_ROW
    runs: list[Run] = []
    n = len(tokens)
    # Speed: ``bytes.find`` jumps from run to run, so the Python loop turns once per run (a table region
    # has hundreds of tokens and a few dozen runs), not once per token.
    find = flags.find
    i = find(1)
    while i >= 0:
        j = find(0, i + 1)
        if j < 0:
            j = n
        if not any_row and tokens[j - 1][2] != tokens[i][2]:
            # the values run on into the next row: the run ends with its first row (rows ascend, so
            # the first token of a later row is found by bisection)
            j = bisect_right(tokens, tokens[i][2], i + 1, j, key=_row)
        if pipe_row and not tokens[i][0] and (i == 0 or tokens[i - 1][2] != tokens[i][2]):
            # blanks opening a grid row are its empty label cells (a row printed without its label),
            # never values: the row's values start at its first printed one — unless the row has
            # exactly the header's cells, whose label columns say where its values start
            if (
                label_cols
                and j - i == label_cols + width
                and (j == n or tokens[j][2] != tokens[i][2])
                and not any(tok[0] for tok in tokens[i : i + label_cols])
            ):
                k = i + label_cols  # the header's label cells: a blank after them is a value
            else:
                k = i
                while k < j and not tokens[k][0]:
                    k += 1
            if k == j:
                i = find(1, j)
                continue
            i = k
        run = tuple(tokens[i:j])
        # a run of blanks only is span residue (most runs start or end with a value: no scan)
        if run[0][0] or run[-1][0] or any(tok[0] for tok in run):
            runs.append(_new_run(Run, (run, i - 1)))
        i = find(1, j)
    return _trim(runs, width)


def _trim(runs: list[Run], width: int) -> list[Run]:
    """Drop span residue: blank cells after a row's last value.

    When some run is longer than ``width`` only by trailing blanks, the text carries residue
    (``… | 1 | ||``), so trailing blanks are residue in every run of the table; otherwise a trailing
    blank is a blank cell (gxbg.extract.htmlgrid writes exactly the grid) and only the excess is dropped.
    """

    def strip(tokens: tuple[Token, ...], limit: int) -> tuple[Token, ...]:
        end = len(tokens)
        while end > limit and not tokens[end - 1][0]:
            end -= 1
        return tokens if end == len(tokens) else tokens[:end]

    limit = width
    for r in runs:  # a loop, not a generator: cheaper for a few dozen runs
        if len(r.tokens) > width and len(strip(r.tokens, width)) == width:
            limit = 0
            break
    return [r if len(r.tokens) <= limit else _new_run(Run, (strip(r.tokens, limit), r.before)) for r in runs]


def header_label_cols(lines: tuple[Line, ...], width: int) -> int:
    """The label columns of the markdown tables in ``lines``: the cells of each header row (the row
    above a ``|---|`` rule) beyond ``width``, when every header row has the same count, 1 to 3
    (``| 类别 | 数据1 | … | 总计 |``: 1); 0 when no header tells or the headers disagree."""
    counts = {
        len(lines[k][1].strip().strip("|").split("|")) - width
        for k in range(len(lines) - 1)
        if "|" in lines[k][1] and _MD_RULE.fullmatch(lines[k + 1][1].strip())
    }
    return counts.pop() if len(counts) == 1 and counts <= {1, 2, 3} else 0
