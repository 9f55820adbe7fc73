"""Prefect's temporary server, left behind by a killed CLI: found and stopped on the next start.

Without ``PREFECT_API_URL`` Prefect runs flows against a temporary server it starts as a child
process (``uvicorn prefect.server.api.server:create_app``) and stops at exit.  A SIGKILLed ``gxbg``
never reaches its exit handlers, so that server lives on, orphaned.  Every gxbg command that may
start one marks its environment with :data:`MARK` = its own pid (the server inherits it); the next
start looks for temporary servers carrying the mark of a process that no longer exists and stops
them (SIGTERM, then SIGKILL).  Servers of a live gxbg, and every other process, are left alone.
Linux ``/proc`` only; elsewhere nothing is reaped.

:class:`TemporaryServer` starts that same server ourselves, *before* Prefect is imported: the server
process boots (imports, database, services: most of a short harvest's wall time) while the command
imports the flow and opens the portals, instead of after.  Its URL goes into ``PREFECT_API_URL`` (and
:data:`tasks.settings.TEMPORARY_API_ENV`, which says it is no lasting server), so Prefect talks to it as
to any server; at exit it is stopped like Prefect's own (SIGTERM, then SIGKILL after 5 s), after
Prefect has sent its last events.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tasks.settings import TEMPORARY_API_ENV

MARK = "GXBG_PREFECT_PARENT"
SERVER_APP = b"prefect.server.api.server:create_app"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def orphaned_servers(proc: Path = Path("/proc")) -> list[int]:
    """Pids of temporary Prefect servers started by a gxbg process that is gone."""
    found: list[int] = []
    for entry in proc.glob("[0-9]*"):
        try:
            if SERVER_APP not in (entry / "cmdline").read_bytes():
                continue
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:  # gone meanwhile, or not ours to read
            continue
        marks = [v.split(b"=", 1)[1] for v in environ if v.startswith(MARK.encode() + b"=")]
        if marks and marks[0].isdigit() and not _alive(int(marks[0])):
            found.append(int(entry.name))
    return found


def reap_orphans(proc: Path = Path("/proc"), *, grace: float = 5.0) -> list[int]:
    """Stop the orphaned temporary servers; return their pids."""
    pids = orphaned_servers(proc)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
    deadline = time.monotonic() + grace
    for pid in pids:
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    return pids


def mark_and_reap() -> list[int]:
    """Mark this process as the parent of any temporary server it starts; reap older orphans."""
    os.environ[MARK] = str(os.getpid())
    try:
        return reap_orphans()
    except OSError:
        return []


#: uvicorn's exit status when its port is taken: the server is started again on another port.
PORT_IN_USE = 3
PORTS = range(8000, 9000)  # Prefect's own choice for its temporary server


def _free_port() -> int:
    for _ in range(50):
        port = random.choice(PORTS)
        with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for Prefect's temporary server")


class TemporaryServer:
    """Prefect's temporary API server as a child process we start (see the module docstring)."""

    current: TemporaryServer | None = None  # the one this process started, until stopped

    def __init__(self) -> None:
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    @classmethod
    def spawn(cls) -> TemporaryServer | None:
        """Start the server and return at once (None with a lasting server in ``PREFECT_API_URL``)."""
        if cls.current is not None:
            return cls.current
        if os.environ.get("PREFECT_API_URL"):
            return None
        server = cls()
        server._launch()
        cls.current = server
        atexit.register(server.stop)  # registered before Prefect's own exit hooks: runs after them
        return server

    def _launch(self) -> None:
        self.port = _free_port()
        spec = importlib.util.find_spec("prefect")  # its location, without importing it
        assert spec is not None, "prefect is installed"
        assert spec.submodule_search_locations, "prefect is a package"
        app_dir = str(Path(next(iter(spec.submodule_search_locations))).parent)
        env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", TEMPORARY_API_ENV)}
        env.update(PREFECT_UI_ENABLED="0", PREFECT__SERVER_EPHEMERAL="1", PREFECT__SERVER_FINAL="1")
        # what prefect.server.api.server.SubprocessASGIServer runs
        command = [
            sys.executable, "-m", "uvicorn", "--app-dir", app_dir, "--factory", SERVER_APP.decode(),
            "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "error", "--lifespan", "on",
        ]  # fmt: skip
        # SIGINT blocked while spawning: the server inherits the blocked signal, so a Ctrl-C in the
        # terminal reaches gxbg only, which can still record the cancelled run through the server
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self.process = subprocess.Popen(command, env=env)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        os.environ["PREFECT_API_URL"] = os.environ[TEMPORARY_API_ENV] = self.api_url
        if "prefect.context" in sys.modules:  # imported meanwhile: it read the old port
            from prefect.context import refresh_global_settings_context

            refresh_global_settings_context()

    def wait_ready(self, timeout: float | None = None) -> None:
        """Block until the server answers ``/api/health`` (RuntimeError if it exits or times out)."""
        if timeout is None:
            timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS") or 180)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None, "launched"
            code = self.process.poll()
            if code == PORT_IN_USE:  # taken between our check and its bind: another port
                self._launch()
                continue
            if code is not None:
                raise RuntimeError(f"Prefect's temporary server exited with status {code} while starting")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=5) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"Prefect's temporary server did not start within {timeout:g} s")

    def stop(self) -> None:
        """Stop the server (SIGTERM, SIGKILL after 5 s); idempotent."""
        process, self.process = self.process, None
        if TemporaryServer.current is self:
            TemporaryServer.current = None
        if os.environ.get(TEMPORARY_API_ENV) == self.api_url:  # this process talks to no server now
            for name in ("PREFECT_API_URL", TEMPORARY_API_ENV):
                if os.environ.get(name) == self.api_url:
                    del os.environ[name]
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def run_settings() -> Iterator[None]:
    """Prefect settings for a flow run against a temporary server: no flow-run heartbeats.

    Heartbeats let a lasting server mark a run whose process died as crashed; a temporary server dies
    with its process, so there they only cost time: Prefect joins the heartbeat thread, which sleeps in
    1 s steps, when the run ends (0.2-0.8 s of a 2 s harvest of the 15 simulated portals).  With a lasting
    server (``PREFECT_API_URL``) nothing changes.
    """
    from tasks.settings import lasting_api_url

    if lasting_api_url():
        yield
        return
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
