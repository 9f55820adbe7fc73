"""Text vs table (TXT-*): figures quoted in sections 一/三/四 against the table cells they summarise."""

from __future__ import annotations

from gxbg.extract import vocab
from gxbg.extract.checks._core import CheckRow, State, compare, state
from gxbg.extract.model import AnnualReport, Severity

__all__ = ["check_narrative"]


def _state(report: AnnualReport, table: str, row: str, col: str) -> State:
    if table == "requests":
        t = report.requests
        if t is None or row not in t.rows or col not in t.columns:
            return None
        return state(t.grid_rows[t.rows.index(row)][t.columns.index(col)])
    a = report.appeals
    if a is None or row not in a.groups or col not in a.columns:
        return None
    return state(a.grid_rows[a.groups.index(row)][a.columns.index(col)])


def check_narrative(report: AnnualReport) -> list[CheckRow]:
    """One TXT check per narrative figure: the quoted number = the table's cell(s)."""
    out: list[CheckRow] = []
    for fig in report.narrative:
        targets = vocab.NARRATIVE_TARGETS[fig.key]
        out.append(
            compare(
                "TXT-" + fig.key.upper().replace("_", "-"),
                fig.key,
                f"narrative {fig.raw} = " + " + ".join(":".join(t) for t in targets),
                [],
                [_state(report, *t) for t in targets],
                tuple(":".join(t) for t in targets),
                Severity.SOFT,
                left_const=fig.value,
                note=f"{fig.section} line {fig.line}",
            )
        )
    return out
