"""Layout invariance: every golden case with tables, re-rendered into every layout, parses to identical
numbers (free-form pre-2019 cases have no table to re-render)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import gxbg
from tests.extract.render import LAYOUTS, render
from tests.report_json import report_json

CASES = Path(__file__).resolve().parents[1] / "cases"
CASE_DIRS = sorted(
    p
    for p in CASES.iterdir()
    if (p / "clean.txt").is_file()
    and json.loads((p / "expected.json").read_text(encoding="utf-8"))["format"] != "pre2019"
)


def _numbers(d: dict[str, Any]) -> dict[str, Any]:
    table_checks = sorted(
        (c["rule"], c["scope"], c["status"]) for c in d["checks"] if c["rule"][:2] in ("T3", "T4", "P2")
    )
    tables = d["tables"] | {"requests": d["tables"]["requests"]["rows"]}
    return {"format": d["format"], "tables": tables, "checks": table_checks}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_layout_invariance(case: Path, layout: str) -> None:
    original = gxbg.parse_report((case / "clean.txt").read_text(encoding="utf-8"))
    text = render(original, layout)
    again = gxbg.parse_html(text) if layout == "html" else gxbg.parse_report(text)
    assert again.requests is not None
    assert again.requests.layout == ("pipe_row" if layout == "html" else layout)
    assert _numbers(report_json(again)) == _numbers(report_json(original))
