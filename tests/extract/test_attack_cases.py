"""The hostile-input reproductions of issue 11 (tests/cases-attack/): right numbers or empty cells marked
UNCERTAIN, documented errors only, no traceback — read through ``gxbg parse`` in a subprocess under
resource limits (a safety net against blow-ups and hangs; speed is measured by bench/, not here)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import gxbg
from gxbg.crawl.charset import decode_text
from tests.fuzz.oracle import violations

HERE = Path(__file__).resolve().parents[1]
ATTACK = HERE / "cases-attack"
EXPECTED: dict[str, dict[str, Any]] = json.loads((ATTACK / "expected.json").read_text("utf-8"))
FILES = sorted(EXPECTED)
GXBG = Path(sys.executable).with_name("gxbg")


def _limits() -> None:  # in the child: 1 GiB of address space, 60 s of CPU
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))


@pytest.fixture(scope="module")
def parsed() -> dict[str, dict[str, Any]]:
    proc = subprocess.run(
        [str(GXBG), "parse", *(str(ATTACK / name) for name in FILES)],
        capture_output=True,
        text=True,
        preexec_fn=_limits,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert len(lines) == len(FILES), proc.stderr[-2000:]
    return {name: json.loads(line) for name, line in zip(FILES, lines, strict=True)}


def _golden(case: str) -> dict[str, Any]:
    out: dict[str, Any] = json.loads((HERE / "cases" / case / "expected.json").read_text("utf-8"))
    return out


@pytest.mark.parametrize("name", FILES)
def test_attack_case(name: str, parsed: dict[str, dict[str, Any]]) -> None:
    want = EXPECTED[name]
    got = parsed[name]
    if "error" in want:
        assert got.get("error", "").startswith(want["error"] + ":"), got.get("error")
        return
    assert "error" not in got, got["error"]
    cells = {f"{c['table']}:{c['row']}:{c['col']}": c for c in got["cells"]}
    for ref, fields in want.get("cells", {}).items():
        assert {k: cells[ref][k] for k in fields} == fields, ref
    statuses = {f"{c['rule']}:{c.get('scope')}": c["status"] for c in got["checks"]}
    for ref in want.get("uncertain", ()):
        assert statuses.get(ref) == "UNCERTAIN", (ref, statuses.get(ref))
    rules = {c["rule"] for c in got["checks"]}
    assert rules.isdisjoint(want.get("no_rule", ())), rules & set(want["no_rule"])
    if "tables_as" in want:
        golden = _golden(want["tables_as"]["case"])
        for table in want["tables_as"]["tables"]:
            assert got["tables"][table] == golden["tables"][table], table


@pytest.mark.parametrize("name", [n for n in FILES if "error" not in EXPECTED[n]])
def test_attack_case_numbers_are_printed(name: str) -> None:
    path = ATTACK / name
    is_html = path.suffix == ".html"
    source = decode_text("text/html" if is_html else "text/plain", path.read_bytes()).text
    report = gxbg.parse_html(source) if is_html else gxbg.parse_report(source)
    assert violations(source, report, is_html=is_html) == []
