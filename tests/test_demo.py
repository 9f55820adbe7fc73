"""The README's first command, as a newcomer runs it: `gxbg demo` twice, then the `gxbg status` it suggests.

Runs the installed console script in a subprocess (real Prefect temporary server, real loopback portals),
so what is checked here is what a newcomer sees: the per-portal table, the failing checks of the real
reports, a quiet stderr, and a second run that loads nothing new.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GXBG = Path(sys.executable).parent / "gxbg"

pytestmark = pytest.mark.slow


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(GXBG), *args], cwd=REPO, env=_env(), capture_output=True, text=True, timeout=600, check=False
    )


def _free_port() -> int:
    """A port free right now (the demo's default, 48620, may be taken by another run on this machine)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


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
    port = str(_free_port())
    first = _run("demo", "--data-dir", str(tmp_path / "data"), "--port", port)
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

    assert "Not Modified" not in first.stdout

    second = _run("demo", "--data-dir", str(tmp_path / "data"), "--port", port)
    assert second.returncode == 0, second.stderr
    assert _base(second.stderr) == _base(first.stderr) == f"http://127.0.0.1:{port}"  # a stable origin
    totals = _totals(second.stdout)
    assert (totals["loaded"], totals["unchanged"], totals["errors"]) == (0, 8, 0)
    # the second run really asked conditionally: every report page answered 304, none was downloaded
    assert "8 page(s) answered 304 Not Modified" in second.stdout
    conn = sqlite3.connect(tmp_path / "data" / "gxbg.sqlite")
    try:
        statuses = dict(conn.execute("SELECT status, COUNT(*) FROM documents GROUP BY status").fetchall())
        urls = {row[0] for row in conn.execute("SELECT source_url FROM report_versions")}
    finally:
        conn.close()
    assert statuses == {304: 8}  # each report page's document row took the 304 (and kept its body)
    assert len(urls) == 8  # one version each: the stored URLs stay valid, on the same origin
    assert all(url.startswith(f"http://127.0.0.1:{port}/") for url in urls)

    hint = re.search(r"Who published late or not at all: (\S+) (status .*)$", second.stdout, re.M)
    assert hint is not None, second.stdout
    assert hint.group(1) == str(GXBG)  # the program as invoked: the line can be pasted as is
    status = _run(*shlex.split(hint.group(2)))
    assert status.returncode == 0, status.stderr
    assert "3 portals from registry/demo.csv" in status.stdout
    assert "淮安市人民政府" in status.stdout  # hanweb's own 2024 report
    assert re.search(r"│ TOTAL\s+│ 3 ", status.stdout), status.stdout


def test_a_harvest_whose_portal_failed_exits_1_and_names_the_cause(tmp_path: Path) -> None:
    closed = _free_port()  # nothing listens there
    db = f"sqlite:///{tmp_path / 'data' / 'gxbg.sqlite'}"
    done = _run("harvest", "--seed", f"http://127.0.0.1:{closed}/zfxxgknb/", "--allow-private", "--db", db)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "connection refused" in done.stdout  # the page's recorded reason
    assert "robots: disallowed" not in done.stdout
    assert "1 of 1 portal failed" in " ".join(done.stderr.split())
    assert (tmp_path / "data" / "gxbg.sqlite").is_file()  # ./data created on the way
    tolerated = _run(
        "harvest", "--seed", f"http://127.0.0.1:{closed}/zfxxgknb/", "--allow-private", "--db", db,
        "--max-errors", "5",
    )  # fmt: skip
    assert tolerated.returncode == 1  # every portal failed: --max-errors does not make that success


def test_ctrl_c_stops_a_harvest_with_130_and_records_it_cancelled(tmp_path: Path) -> None:
    """A polite harvest (1 s between requests) of the full simulator, interrupted once its run row
    exists: exit 130 within seconds, the partial summary printed, the run row cancelled."""
    from gxbg.sim import serve

    db_file = tmp_path / "gxbg.sqlite"
    with serve(profile="full") as sim:
        seeds = [arg for seed in sim.seeds for arg in ("--seed", seed.url)]
        proc = subprocess.Popen(
            [str(GXBG), "harvest", *seeds, "--allow-private", "--db", f"sqlite:///{db_file}"],
            cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True,  # its own process group, as a terminal's foreground job
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and proc.poll() is None and not _run_rows(db_file):
                time.sleep(0.5)
            assert proc.poll() is None, proc.communicate()
            time.sleep(2)  # the crawls are under way
            os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends: the whole group
            stdout, stderr = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stdout + stderr
    assert "interrupting" in stderr
    assert "run cancelled" in " ".join(stderr.split())
    assert "│ TOTAL" in stdout  # the partial summary
    assert _run_rows(db_file) == ["cancelled"]


def _run_rows(db_file: Path) -> list[str]:
    if not db_file.exists():
        return []
    conn = sqlite3.connect(db_file)
    try:
        return [row[0] for row in conn.execute("SELECT status FROM harvest_runs")]
    except sqlite3.OperationalError:  # not migrated yet
        return []
    finally:
        conn.close()
