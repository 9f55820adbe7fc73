"""The README's first command, as a newcomer runs it: `gxbg demo` twice, then the `gxbg status` it suggests.

Runs the installed console script in a subprocess (real Prefect temporary server, real loopback portals),
so what is checked here is what a newcomer sees: the per-portal table, the failing checks of the real
reports, a quiet stderr, and a second run that loads nothing new.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GXBG = Path(sys.executable).parent / "gxbg"

pytestmark = pytest.mark.slow


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    return subprocess.run(
        [str(GXBG), *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def _totals(stdout: str) -> dict[str, int]:
    """The harvest table's TOTAL row by column name."""
    header = next(line for line in stdout.splitlines() if "┃ portal" in line and "loaded" in line)
    names = [cell.strip() for cell in header.strip("┃").split("┃")]
    total = next(line for line in stdout.splitlines() if line.startswith("│ TOTAL"))
    cells = [cell.strip() for cell in total.strip("│").split("│")]
    return {name: int(cell) for name, cell in zip(names[1:], cells[1:], strict=True)}


def _base(stderr: str) -> str:
    found = re.search(r"http://127\.0\.0\.1:\d+", stderr)
    assert found is not None, stderr
    return found.group()


def test_demo_harvests_the_bundled_portals_then_finds_nothing_new(tmp_path: Path) -> None:
    first = _run("demo", "--data-dir", str(tmp_path / "data"))
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stdout + first.stderr
    # stderr carries the progress lines only: no Prefect log noise, no warnings
    assert first.stderr.strip().splitlines() == [f"gxbg demo: 3 simulated portals on {_base(first.stderr)}"]
    totals = _totals(first.stdout)
    assert (totals["found"], totals["parsed"], totals["loaded"], totals["errors"]) == (8, 8, 8, 0)
    # the real reports' own faults, with both sides
    assert "T3-BAL[natural_person]  received + carried_in = total + carried_out:  1 ≠ 0" in first.stdout
    assert "TXT-REVIEW[review]  narrative 行政复议9起 = appeals:review:total:  9 ≠ 0" in first.stdout
    assert (tmp_path / "data" / "gxbg.sqlite").is_file()

    second = _run("demo", "--data-dir", str(tmp_path / "data"))
    assert second.returncode == 0, second.stderr
    totals = _totals(second.stdout)
    assert (totals["loaded"], totals["unchanged"], totals["errors"]) == (0, 8, 0)

    hint = re.search(r"Who published late or not at all: (\S+) (status .*)$", second.stdout, re.M)
    assert hint is not None, second.stdout
    assert hint.group(1) == str(GXBG)  # the program as invoked: the line can be pasted as is
    status = _run(*shlex.split(hint.group(2)))
    assert status.returncode == 0, status.stderr
    assert "3 portals from registry/demo.csv" in status.stdout
    assert "淮安市人民政府" in status.stdout  # hanweb's own 2024 report
    assert re.search(r"│ TOTAL\s+│ 3 ", status.stdout), status.stdout
