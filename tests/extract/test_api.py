"""The public surface: gxbg.__all__, PARSER_VERSION, the error tree and the JSON contract's keys."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import gxbg
from gxbg.errors import GxbgError, NumberError, ParseError, SectionNotFound, TableNotFound, TableShapeError
from gxbg.extract.model import READ_METHODS
from tests.report_json import report_json

CASE = Path(__file__).resolve().parents[1] / "cases" / "ha-longting-2019" / "clean.txt"


def test_all_is_pinned() -> None:
    assert sorted(gxbg.__all__) == [
        "AnnualReport",
        "CheckResult",
        "GxbgError",
        "NumberError",
        "PARSER_VERSION",
        "ParseError",
        "SectionNotFound",
        "TableNotFound",
        "TableShapeError",
        "__version__",
        "parse_html",
        "parse_report",
        "report_to_dict",
        "validate",
    ]
    for name in gxbg.__all__:
        assert hasattr(gxbg, name)


def test_all_is_what_import_gxbg_exposes() -> None:
    """The httpx way: every public name of ``import gxbg`` is in ``__all__`` and nothing else is.

    Submodules (``gxbg.extract``, ``gxbg.errors`` …) are reached by their paths, not re-exported."""
    import __future__

    import types

    public = {
        name
        for name, value in vars(gxbg).items()
        if (not name.startswith("_") or name == "__version__")
        and not isinstance(value, types.ModuleType | __future__._Feature)
    }
    assert public == set(gxbg.__all__)


def test_parser_version_is_a_string() -> None:
    assert isinstance(gxbg.PARSER_VERSION, str)
    assert gxbg.PARSER_VERSION


@pytest.mark.parametrize(
    "cls", [GxbgError, ParseError, SectionNotFound, TableNotFound, TableShapeError, NumberError]
)
def test_errors_pickle_with_their_location(cls: type[GxbgError]) -> None:
    err = cls("expected 表三", section="requests", line=12)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is cls
    assert (back.message, back.section, back.line) == ("expected 表三", "requests", 12)
    assert "line 12" in str(back)


def test_parse_errors_are_value_errors() -> None:
    assert issubclass(SectionNotFound, ValueError)
    with pytest.raises(SectionNotFound, match="expected a report"):
        gxbg.parse_report("hello world")


def test_contract_keys() -> None:
    d = report_json(gxbg.parse_report(CASE.read_text(encoding="utf-8")))
    assert {"format", "agency", "year", "title", "published", "sections", "tables", "checks", "cells"} <= set(
        d
    )
    assert set(d["sections"]) == {"overview", "proactive", "requests", "appeals", "problems", "other"}
    assert set(d["tables"]) == {"proactive", "requests", "appeals"}
    req = d["tables"]["requests"]
    assert req["columns"] == [
        "natural_person",
        "business",
        "research",
        "nonprofit",
        "legal_service",
        "other_org",
        "total",
    ]
    assert all(len(v) == 7 for v in req["rows"].values())
    assert set(d["tables"]["appeals"]) == {"review", "litigation_direct", "litigation_after_review"}
    for check in d["checks"]:
        assert {"rule", "status", "expr", "left", "right", "cells", "scope", "severity", "delta"} <= set(
            check
        )
        assert check["status"] in {"PASS", "FAIL", "UNCERTAIN", "NOT_ASSESSABLE"}
    for cell in d["cells"]:
        assert set(cell) == {"table", "row", "col", "value", "raw", "meaning", "unit", "line", "method"}
        assert cell["meaning"] in {"number", "zero", "blank", "na", "text"}
        assert cell["method"] in READ_METHODS
    amount = d["tables"]["proactive"]["procurement"]["amount"]
    assert amount == {"value": "0", "unit": "万元"}
    json.dumps(d)  # JSON-able, no Decimal or enum left


def test_same_input_same_output() -> None:
    text = CASE.read_text(encoding="utf-8")
    assert report_json(gxbg.parse_report(text)) == report_json(gxbg.parse_report(text))
