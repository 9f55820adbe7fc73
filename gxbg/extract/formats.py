"""``detect_format(text, split_other=...)``: which national form a report follows, by content (§2).

Owns the marker lists' use: 2021 markers win, then 2019 markers; a statistical form without either
falls back on 表三's structure and is flagged for review; no form at all means ``pre2019``.
"""

from __future__ import annotations

from dataclasses import dataclass

from gxbg.extract import vocab
from gxbg.extract.model import FormatVersion

__all__ = ["FormatDecision", "detect_format"]


@dataclass(frozen=True, slots=True)
class FormatDecision:
    """The format, the markers that decided it, and whether a human should look."""

    format: FormatVersion
    evidence: tuple[str, ...]
    needs_review: bool


def detect_format(tables_text: str, *, split_other: bool | None) -> FormatDecision:
    """Decide the format from the text of sections 二 and 三.

    ``split_other`` is whether 表三 prints （六）其他处理 as three rows (``None``: no 表三).

    >>> detect_format("第二十条第(一)项 本年制发件数", split_other=True).format
    <FormatVersion.V2021: '2021'>
    >>> detect_format("本年新 制作数量", split_other=False).format
    <FormatVersion.V2019: '2019'>
    >>> detect_format("申请31件", split_other=None).format
    <FormatVersion.PRE2019: 'pre2019'>
    """
    # ``_STRIP.sub("", tables_text)``: str.split() drops exactly the characters ``\s`` matches
    flat = "".join(tables_text.replace("|", " ").split())
    m21 = tuple(m for m in vocab.MARKERS_2021 if m in flat)
    m19 = tuple(m for m in vocab.MARKERS_2019 if m in flat)
    form = tuple(m for m in vocab.MARKERS_FORM if m in flat)
    if m21:
        return FormatDecision(FormatVersion.V2021, m21 + m19, needs_review=bool(m19))
    if m19:
        return FormatDecision(FormatVersion.V2019, m19, needs_review=split_other is True)
    if form or split_other is not None:
        fmt = FormatVersion.V2021 if split_other else FormatVersion.V2019
        return FormatDecision(fmt, form, needs_review=True)
    return FormatDecision(FormatVersion.PRE2019, (), needs_review=False)
