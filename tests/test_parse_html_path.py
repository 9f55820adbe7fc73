"""One HTML path: ``gxbg parse page.html`` reads a page exactly as the harvest does (issue 10, item 6).

The harvest reads an archived page with ``gxbg.pipeline.body.read_report_text`` (the page cleaner)
and parses that text; ``gxbg parse`` and ``gxbg.parse_html`` must give the same report JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import gxbg
from cli.main import app
from gxbg.pipeline.body import read_report_text
from tests.report_json import report_json

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "clean"
runner = CliRunner()


@pytest.mark.parametrize("name", ["gkmlpt-content.html", "hanweb-zoom-hongze.html", "openness-content.html"])
def test_cli_parse_of_a_page_equals_the_harvest_of_it(name: str) -> None:
    page = FIXTURES / name
    url = page.resolve().as_uri()
    harvested = read_report_text(page.read_bytes(), content_type="text/html", url=url)
    assert harvested.problem is None
    expected = report_json(gxbg.parse_report(harvested.text))
    assert expected["tables"]["requests"] is not None  # the page is a report with its tables

    result = runner.invoke(app, ["parse", str(page)])
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout)
    assert line.pop("file") == str(page)  # every gxbg parse line names its file
    assert line == json.loads(json.dumps(expected, ensure_ascii=False))
    html = page.read_bytes().decode("utf-8", errors="replace")
    assert json.loads(json.dumps(report_json(gxbg.parse_html(html, url=url)))) == json.loads(
        json.dumps(expected)
    )


def test_cli_parse_of_a_page_without_a_report_fails_in_one_line() -> None:
    result = runner.invoke(app, ["parse", str(FIXTURES / "gkmlpt-index.html")])
    assert result.exit_code == 1
    line = json.loads(result.stdout)
    assert line["error"].startswith("SectionNotFound: expected a report page")
    assert "Traceback" not in result.output
