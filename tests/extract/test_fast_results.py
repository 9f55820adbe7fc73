"""The fast constructors of the checks and serialisation side give what the plain code gives."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal
from pathlib import Path

import pytest

import gxbg
from gxbg.extract.model import CheckResult, Severity, Status, new_check_result
from gxbg.extract.validate import check_rows, validate

CASES = Path(__file__).resolve().parent.parent / "cases"


@pytest.mark.parametrize(
    "args",
    [
        ("T3-BAL", "requests:total", "a = b", 3, 4, Status.FAIL, Severity.HARD, ("x", "y"), 0, ""),
        ("S6-FEE", "proactive", "fee", Decimal("1.5"), None, Status.UNCERTAIN, Severity.SOFT, (), 1, "n"),
    ],
)
def test_new_check_result_is_the_dataclass_constructor(args: tuple[object, ...]) -> None:
    made = new_check_result(*args)  # type: ignore[arg-type]
    expected = CheckResult(**{f.name: a for f, a in zip(fields(CheckResult), args, strict=True)})  # type: ignore[arg-type]
    assert made == expected
    assert hash(made) == hash(expected)
    assert [getattr(made, f.name) for f in fields(CheckResult)] == list(args)
    assert made.delta == expected.delta
    with pytest.raises(AttributeError):
        made.rule = "other"  # type: ignore[misc]


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if (p / "clean.txt").is_file()))
def test_validate_is_check_rows_as_results(case: str) -> None:
    report = gxbg.parse_report((CASES / case / "clean.txt").read_text(encoding="utf-8"))
    rows = check_rows(report)
    results = validate(report)
    assert len(rows) == len(results) > 40
    for row, result in zip(rows, results, strict=True):
        assert result == CheckResult(**{f.name: v for f, v in zip(fields(CheckResult), row, strict=True)})  # type: ignore[arg-type]
        assert new_check_result(*row) == result
