"""Rows of 表三 printed without their label, placed by the form's row order (PDF-to-markdown output
whose labels float as loose lines before or after their values).  Used by ``requests``.
"""

from __future__ import annotations

from itertools import pairwise

from gxbg.extract import vocab
from gxbg.extract.tables._runs import Run
from gxbg.extract.text import parse_cell

__all__ = ["by_order"]


def by_order(
    rows: tuple[str, ...],
    runs: list[Run],
    anchors: list[str | None],
    chosen: dict[str, Run],
    unread: set[str],
    printed: set[str] | None = None,
) -> dict[str, Run]:
    """Runs printed without their label (PDF-to-markdown: the label floats as a loose line before or
    after), placed by the form's row order: between two runs read by label, ``k`` label-less runs of
    7 values and nothing else, where exactly the ``k`` rows between those two labels are unread and
    each of their labels is ``printed`` somewhere in the table (a loose line).  Before the first
    (after the last) row read by label, the same, when moreover each run adds up to its 总计.

    >>> r = [Run(((v, 1, n), ) * 7, -1) for n, v in enumerate("abc")]
    >>> sorted(by_order(("x", "y", "z"), r, ["x", None, "z"], {"x": r[0], "z": r[2]}, {"y"}))
    ['y']
    """
    placed: dict[str, Run] = {}
    at = [(i, rows.index(a)) for i, a in enumerate(anchors) if a is not None and chosen.get(a) is runs[i]]
    for (i1, k1), (i2, k2) in pairwise(at):
        between = runs[i1 + 1 : i2]
        gap = rows[k1 + 1 : k2]
        if (
            between
            and len(between) == len(gap)
            and all(len(r.tokens) == len(vocab.REQUEST_COLUMNS) for r in between)
            and all(anchors[j] is None for j in range(i1 + 1, i2))
            and all(key in unread and (printed is None or key in printed) for key in gap)
        ):
            placed.update(zip(gap, between, strict=True))
    if at and printed is not None:  # before the first and after the last row read by label
        (i1, k1), (i2, k2) = at[0], at[-1]
        for between, gap in ((runs[:i1], rows[:k1]), (runs[i2 + 1 :], rows[k2 + 1 :])):
            if (
                between
                and len(between) == len(gap)
                and all(len(r.tokens) == len(vocab.REQUEST_COLUMNS) and _adds_up(r) for r in between)
                and all(key in unread and key in printed for key in gap)
            ):
                placed.update(zip(gap, between, strict=True))
    return placed


def _adds_up(run: Run) -> bool:
    """The run's six parts add up to its 总计 (every cell a printed count)."""
    values = [parse_cell(t[0]).value for t in run.tokens]
    return all(isinstance(v, int) for v in values) and sum(values[:-1]) == values[-1]  # type: ignore[arg-type]
