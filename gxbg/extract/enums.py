"""The extractor's closed enums (report-format.md §9-§12): formats, sections, tables, cell meanings,
check statuses and severities, table layouts.  Re-exported by :mod:`gxbg.extract.model`, where the
dataclasses that use them live.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["FormatVersion", "Layout", "Meaning", "Section", "Severity", "Status", "TableKey"]


class FormatVersion(StrEnum):
    """The national form a report follows (report-format.md §1)."""

    PRE2019 = "pre2019"
    V2019 = "2019"
    V2021 = "2021"


class Section(StrEnum):
    """The six report sections, in order."""

    OVERVIEW = "overview"
    PROACTIVE = "proactive"
    REQUESTS = "requests"
    APPEALS = "appeals"
    PROBLEMS = "problems"
    OTHER = "other"


class TableKey(StrEnum):
    """表二 / 表三 / 表四."""

    PROACTIVE = "proactive"
    REQUESTS = "requests"
    APPEALS = "appeals"


class Meaning(StrEnum):
    """What a printed cell is (report-format.md §9); a printed 0 and a blank are different facts."""

    NUMBER = "number"
    ZERO = "zero"
    BLANK = "blank"
    NA = "na"
    TEXT = "text"


class Status(StrEnum):
    """Outcome of one check (report-format.md §10.1)."""

    PASS = "PASS"
    FAIL = "FAIL"
    UNCERTAIN = "UNCERTAIN"
    NOT_ASSESSABLE = "NOT_ASSESSABLE"


class Severity(StrEnum):
    """``hard`` rules block acceptance on FAIL; ``soft`` rules warn."""

    HARD = "hard"
    SOFT = "soft"


class Layout(StrEnum):
    """How a table region is laid out in the text (report-format.md §11)."""

    PIPE_CELL = "pipe_cell"  # one cell per line ending in " |"
    PIPE_ROW = "pipe_row"  # a whole row per line, "a | b | c |" (also markdown and gxbg.extract.htmlgrid)
    TABBED = "tabbed"  # DOCX text: one tab-indented line per cell, blank lines between rows
    PLAIN = "plain"  # PDF text: cells separated by spaces, labels wrapped, values before labels
