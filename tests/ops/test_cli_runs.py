"""`gxbg harvest` against a real `prefect server start`: the run page gets the run's INFO logs while the
terminal stays quiet, and a run whose every portal failed is Failed on the server and exits 1."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.ops.servers import BIN, REPO, PrefectServer, prefect_server

pytestmark = [pytest.mark.prefect, pytest.mark.slow, pytest.mark.ops, pytest.mark.timeout(600)]


def _harvest(server: PrefectServer, *args: str) -> subprocess.CompletedProcess[str]:
    env = server.env()
    env.pop("PREFECT_LOGGING_LEVEL")  # as a user runs it: gxbg chooses what reaches the API
    return subprocess.run(
        [str(BIN / "gxbg"), "harvest", "--allow-private", *args],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def _last_harvest_run(server: PrefectServer) -> dict[str, Any]:
    runs = server.api("POST", "/flow_runs/filter", json={"sort": "START_TIME_DESC", "limit": 1})
    return dict(runs[0])


def test_cli_runs_log_to_the_server_and_fail_honestly(tmp_path: Path) -> None:
    from gxbg.sim import serve

    db = f"sqlite:///{tmp_path / 'gxbg.sqlite'}"
    with prefect_server(tmp_path) as server, serve(profile="demo") as sim:
        done = _harvest(server, "--seed", sim.seed("beijing").url, "--db", db)
        assert done.returncode == 0, done.stderr
        assert done.stderr.strip() == ""  # the terminal: our summary on stdout, no log lines
        run = _last_harvest_run(server)
        assert run["state_type"] == "COMPLETED"
        logs = server.api("POST", "/logs/filter", json={"logs": {"flow_run_id": {"any_": [run["id"]]}}})
        info = [entry["message"] for entry in logs if entry["level"] == 20]
        portal = sim.base_url.removeprefix("http://")  # a --seed portal is named by its host
        assert any(m.startswith(f"{portal}: ") and " loaded, " in m for m in info), (
            logs
        )  # the shard task's line

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            closed = sock.getsockname()[1]
        failed = _harvest(server, "--seed", f"http://127.0.0.1:{closed}/", "--db", db)
        assert failed.returncode == 1
        assert "Traceback" not in failed.stdout + failed.stderr
        assert "1 of 1 portal failed" in " ".join(failed.stderr.split())
        run = _last_harvest_run(server)
        assert run["state_type"] == "FAILED"
        assert "connection refused" in run["state"]["message"]
