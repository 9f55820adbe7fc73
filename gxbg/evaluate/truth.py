"""Truth for the accuracy corpus: the golden cases as printed, and seeded variants that keep the arithmetic.

A :class:`~gxbg.sim.cases.ReportSpec` holds every table value *as printed* (``None`` when blank), read from
the packaged copy of ``tests/cases/*`` (``gxbg/sim/data/cases``) by the simulator's own reader — never by
the extractor under test. Variants (:func:`vary`) permute the six applicant columns of 表三 and add seeded
vectors to rows in pairs that keep every rule of the form (row sums to 总计, T3-BAL, T3-SUM, T4-SUM), so a
document's figures are new while the form still adds up exactly as much as the original did (a faulty table
stays faulty by the same amount); about one variant in three also prints some zero cells blank or as a dash
or slash, as some agencies do (0 to the arithmetic, but no number must be read there). :func:`truth_of`
turns a spec into the JSON truth a manifest stores.
"""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path
from typing import NotRequired, TypedDict

from gxbg.sim.cases import CASE_META, ReportSpec, read_case

#: 表四 cells by position: 15 values = 3 groups x 5 columns (the extractor's JSON keys).
APPEAL_GROUPS = ("review", "litigation_direct", "litigation_after_review")
APPEAL_COLS = ("upheld", "corrected", "other", "pending", "total")
REQUEST_COLS = ("natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total")
#: Outcome rows a variant may add a vector to (with 总计); the others are never touched that way.
_NOT_LEAVES = {"received", "carried_in", "total", "carried_out"}
#: Magnitudes a variant draws per cell: mostly small, some long runs of digits (glued text gets hard).
#: What some agencies print in a cell with nothing to count (never a number: read as no number).
_MARKERS = ("/", "—", "-", "／")
_STEPS = (0, 0, 0, 1, 1, 2, 3, 5, 7, 12, 30, 64, 105, 448, 1288, 3001)


class Truth(TypedDict):
    """The printed value of every table cell of one document (``None``: printed blank)."""

    requests: dict[str, list[str | None]]  # row key -> 7 values (REQUEST_COLS)
    appeals: list[str | None]  # 15 values, APPEAL_GROUPS x APPEAL_COLS
    proactive: dict[str, list[str | None]]  # row key -> values in column order
    #: cells the document's layout leaves undetermined ("table:row:col", gxbg.evaluate.determined)
    undetermined: NotRequired[list[str]]


def load_cases(cases_dir: Path) -> list[ReportSpec]:
    """Every golden case with tables under ``cases_dir`` (sorted by name)."""
    return [
        read_case(d)
        for d in sorted(cases_dir.iterdir())
        if d.name in CASE_META and (d / "clean.txt").is_file()
    ]


def truth_of(spec: ReportSpec) -> Truth:
    return {
        "requests": {key: list(values) for key, values in spec.requests.items()},
        "appeals": list(spec.appeals),
        "proactive": {key: list(values) for key, values in spec.proactive.items()},
    }


def _ints(values: tuple[str | None, ...]) -> list[int] | None:
    """The row as integers, or None when any cell is blank, a marker or not a plain count."""
    out: list[int] = []
    for v in values:
        if v is None or not v.isdigit():
            return None
        out.append(int(v))
    return out


def _draw(rng: random.Random, n: int) -> list[int]:
    return [rng.choice(_STEPS) for _ in range(n)]


def _add(values: tuple[str | None, ...], delta: list[int]) -> tuple[str | None, ...]:
    ints = _ints(values)
    assert ints is not None
    return tuple(str(a + b) for a, b in zip(ints, delta, strict=True))


def vary(spec: ReportSpec, rng: random.Random, index: int, *, blanks: bool = True) -> ReportSpec:
    """Variant ``index`` of ``spec`` (0: the case itself); deterministic for a seeded ``rng``.

    ``blanks=False``: never print a zero cell blank (the same figures otherwise: that step is the last).
    """
    if index == 0:
        return spec
    requests = dict(spec.requests)
    perm = list(range(6))
    rng.shuffle(perm)
    requests = {k: (*(v[p] for p in perm), v[6]) for k, v in requests.items()}
    numeric = {k for k, v in requests.items() if _ints(v) is not None}
    leaves = [k for k in requests if k not in _NOT_LEAVES and k in numeric]
    for _ in range(rng.randint(1, 3)):  # received + one outcome leaf + total: every rule still holds
        if not leaves or not {"received", "total"} <= numeric:
            break
        leaf = rng.choice(leaves)
        d = _draw(rng, 6)
        delta = [*d, sum(d)]
        for key in ("received", leaf, "total"):
            requests[key] = _add(requests[key], delta)
    if {"carried_in", "carried_out"} <= numeric and rng.random() < 0.5:
        d = _draw(rng, 6)
        for key in ("carried_in", "carried_out"):
            requests[key] = _add(requests[key], [*d, sum(d)])
    appeals = list(spec.appeals)
    for g in range(3):
        block = tuple(appeals[g * 5 : g * 5 + 5])
        if _ints(block) is None or rng.random() < 0.3:
            continue
        d = _draw(rng, 4)
        appeals[g * 5 : g * 5 + 5] = _add(block, [*d, sum(d)])
    if blanks and rng.random() < 0.3:  # some reports leave zero cells blank or print a dash or slash there
        mark = None if rng.random() < 0.6 else rng.choice(_MARKERS)
        for key in rng.sample(sorted(requests), k=rng.randint(1, 3)):
            requests[key] = tuple(mark if v == "0" and rng.random() < 0.5 else v for v in requests[key])
        if rng.random() < 0.5:
            appeals = [mark if v == "0" and rng.random() < 0.5 else v for v in appeals]
    return dataclasses.replace(
        spec, case_id=f"{spec.case_id}~{index}", requests=requests, appeals=tuple(appeals)
    )


_NUM = re.compile(r"(?<![\w.．、()（）-])\d+(?:\.\d+)?(?![\w.．、()（）%％])")
_FOOTER = re.compile(r"^\s*-\s*\d+\s*-\s*$")
_SPACE = re.compile(r"\s+")


def substitute(text: str, base: ReportSpec, variant: ReportSpec) -> str:
    """``text`` (a golden case as published) with the 表三/表四 numbers of ``base`` replaced, in reading
    order, by ``variant``'s — the real layout with other figures.  Raises ``ValueError`` when the numbers
    standing alone between the 三 and 五 headings are not exactly ``base``'s, in order."""
    lines = text.split("\n")
    squeezed = [_SPACE.sub("", line) for line in lines]
    start = next(i for i, line in enumerate(squeezed) if line.startswith("三、收到和处理"))
    end = next(i for i, line in enumerate(squeezed) if i > start and line.startswith("五、"))
    old = [v for row in base.requests.values() for v in row if v is not None] + [v for v in base.appeals if v]
    new = [v for row in variant.requests.values() for v in row if v is not None]
    new += [v for v in variant.appeals if v]
    if len(old) != len(new):
        raise ValueError(f"{variant.case_id}: the variant prints {len(new)} numbers, the case {len(old)}")
    found: list[str] = []
    replacements = iter(new)
    for i in range(start, end):
        if _FOOTER.match(lines[i]):
            continue
        found += [m.group() for m in _NUM.finditer(lines[i])]
        lines[i] = _NUM.sub(lambda m: next(replacements), lines[i])
    if found != old:
        raise ValueError(f"{base.case_id}: the numbers of 表三/表四 are not the case's, in order")
    return "\n".join(lines)
