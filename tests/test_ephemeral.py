"""A killed harvest's leftovers are cleaned up on the next start: Prefect's temporary server and the
unfinished run row.  Real processes and signals; the reaper is pointed at a /proc-shaped tree that
lists only this test's own child, so nothing else on the machine is ever signalled."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cli.ephemeral import MARK, SERVER_APP, orphaned_servers, reap_orphans


def _dead_pid() -> int:
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    return done.pid


def _fake_server(parent: int) -> subprocess.Popen[bytes]:
    """A process that looks like Prefect's temporary server started by gxbg process ``parent``."""
    code = "import time; time.sleep(60)"
    env = {**os.environ, MARK: str(parent)}
    return subprocess.Popen([sys.executable, "-c", code, SERVER_APP.decode()], env=env)


def _proc_tree(tmp_path: Path, *procs: subprocess.Popen[bytes]) -> Path:
    for proc in procs:
        entry = tmp_path / str(proc.pid)
        entry.mkdir()
        for name in ("cmdline", "environ"):
            (entry / name).write_bytes(Path(f"/proc/{proc.pid}/{name}").read_bytes())
    return tmp_path


def test_an_orphaned_temporary_server_is_stopped_and_a_live_ones_is_not(tmp_path: Path) -> None:
    orphan = _fake_server(parent=_dead_pid())
    owned = _fake_server(parent=os.getpid())  # its gxbg (this test) is alive
    try:
        found = orphaned_servers()  # the real /proc, read only
        assert orphan.pid in found
        assert owned.pid not in found
        reaped = reap_orphans(_proc_tree(tmp_path, orphan, owned), grace=0.5)
        assert reaped == [orphan.pid]
        assert orphan.wait(timeout=10) == -signal.SIGTERM
        assert owned.poll() is None
    finally:
        for proc in (orphan, owned):
            proc.kill()
            proc.wait()


def test_an_abandoned_run_row_is_closed_as_failed(tmp_path: Path) -> None:
    from gxbg.store.db import Store
    from tasks.runs import pid_alive

    store = Store(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    store.migrate()
    dead, host = _dead_pid(), "this-host"
    killed = store.start_run("harvest", {"owner": {"host": host, "pid": dead}})
    live = store.start_run("harvest", {"owner": {"host": host, "pid": os.getpid()}})
    elsewhere = store.start_run("harvest", {"owner": {"host": "other-host", "pid": dead}})
    legacy = store.start_run("harvest", {})
    assert store.close_abandoned_runs(host=host, alive=pid_alive) == [killed]
    with store.engine.connect() as conn:
        rows = dict(conn.exec_driver_sql("SELECT id, status FROM harvest_runs").all())
        summary = conn.exec_driver_sql(f"SELECT summary FROM harvest_runs WHERE id = {killed}").scalar_one()
    assert rows == {killed: "failed", live: "running", elsewhere: "running", legacy: "running"}
    assert f"process {dead}" in summary


def test_no_temporary_server_is_spawned_with_a_lasting_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from cli.ephemeral import TemporaryServer

    monkeypatch.setattr(TemporaryServer, "current", None)
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert TemporaryServer.spawn() is None
    assert TemporaryServer.current is None


def test_a_stopped_temporary_server_ends_and_leaves_no_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's process is ended, and neither PREFECT_API_URL nor the marker keep pointing at it
    (a later command in the same process starts its own)."""
    from cli.ephemeral import TemporaryServer
    from tasks.settings import TEMPORARY_API_ENV, lasting_api_url

    server = TemporaryServer()
    server.port = 8999
    server.process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    monkeypatch.setattr(TemporaryServer, "current", server)
    monkeypatch.setenv("PREFECT_API_URL", server.api_url)
    monkeypatch.setenv(TEMPORARY_API_ENV, server.api_url)
    process = server.process
    assert lasting_api_url() is None  # a temporary server: no run links, exit at once on Ctrl-C
    server.stop()
    assert process.poll() == -signal.SIGTERM
    assert "PREFECT_API_URL" not in os.environ
    assert TEMPORARY_API_ENV not in os.environ
    assert TemporaryServer.current is None
    server.stop()  # idempotent


def test_a_flow_run_against_a_temporary_server_sends_no_heartbeats(monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect.settings import get_current_settings

    from cli.ephemeral import run_settings
    from tasks.settings import TEMPORARY_API_ENV

    default = get_current_settings().flows.heartbeat_frequency
    assert default is not None
    url = "http://127.0.0.1:9/api"
    monkeypatch.setenv("PREFECT_API_URL", url)
    monkeypatch.setenv(TEMPORARY_API_ENV, url)  # the one gxbg started: no lasting server
    with run_settings():
        assert get_current_settings().flows.heartbeat_frequency is None
    assert get_current_settings().flows.heartbeat_frequency == default
    monkeypatch.delenv(TEMPORARY_API_ENV)  # a lasting server: its UI marks crashed runs by heartbeat
    with run_settings():
        assert get_current_settings().flows.heartbeat_frequency == default
