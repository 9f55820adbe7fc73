"""Real local servers for the operations tests: ``prefect server start``, workers, a webhook receiver.

Every process is started in its own session and killed (the whole group) on exit; every wait is
bounded.  PREFECT_API_URL is only ever set in the environment handed to a subprocess.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from tests.pg import throwaway_database, unreachable_reason

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prefect_env(home: Path, api_url: str | None = None, **extra: str) -> dict[str, str]:
    """A subprocess environment for Prefect: its own PREFECT_HOME, no analytics, quiet logs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "GXBG_"))}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",  # nothing leaves loopback, not even Prefect's client usage data
        PREFECT_LOGGING_LEVEL="WARNING",
        PREFECT_SERVER_LOGGING_LEVEL="WARNING",
        PYTHONPATH=str(REPO),
    )
    if api_url:
        env["PREFECT_API_URL"] = api_url
    env.update(extra)
    return env


def stop(proc: subprocess.Popen[Any], *, grace: float = 10.0) -> None:
    """Terminate ``proc`` and its process group; kill it if it does not exit within ``grace`` seconds."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


def spawn(args: list[str], *, env: dict[str, str], log: Path, cwd: Path = REPO) -> subprocess.Popen[bytes]:
    out = log.open("ab")
    return subprocess.Popen(
        args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )


@dataclass
class PrefectServer:
    api_url: str
    home: Path
    log: Path
    process: subprocess.Popen[bytes]

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for a client subprocess of this server."""
        return prefect_env(self.home, self.api_url, **extra)

    def run(self, args: list[str], *, timeout: float = 120, **extra: str) -> subprocess.CompletedProcess[str]:
        """Run a client command against this server; raise with its output if it fails."""
        done = subprocess.run(
            args,
            env=self.env(**extra),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        response = httpx.request(method, self.api_url + path, timeout=30, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None


@contextlib.contextmanager
def prefect_server(tmp: Path, *, startup: float = 120, **extra: str) -> Iterator[PrefectServer]:
    """``prefect server start`` on a free loopback port, with its own PREFECT_HOME (SQLite unless
    ``PREFECT_SERVER_DATABASE_CONNECTION_URL`` is given in ``extra``)."""
    home = tmp / "prefect-home"
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    log = tmp / "server.log"
    # the UI's API address defaults to port 4200 whatever --port says
    env = prefect_env(home, **{"PREFECT_UI_API_URL": api_url, **extra})
    args = [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    proc = spawn(args, env=env, log=log)
    server = PrefectServer(api_url=api_url, home=home, log=log, process=proc)
    try:
        deadline = time.monotonic() + startup
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"prefect server exited {proc.returncode}:\n{log.read_text()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"prefect server not healthy after {startup} s:\n{log.read_text()[-3000:]}"
                )
            time.sleep(0.5)
        yield server
    finally:
        stop(proc)


@dataclass
class Receiver:
    """A loopback webhook receiver that keeps every JSON body POSTed to it."""

    url: str
    bodies: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_for(self, predicate: Any, *, timeout: float = 60) -> dict[str, Any]:
        """The first body matching ``predicate``; AssertionError after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for body in self.bodies:
                    if predicate(body):
                        return body
            time.sleep(0.25)
        with self.lock:
            raise AssertionError(f"no matching notification within {timeout} s; received {self.bodies}")


@contextlib.contextmanager
def webhook_receiver() -> Iterator[Receiver]:
    receiver = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            try:
                body = json.loads(raw)
            except ValueError:
                body = {"raw": raw.decode("utf-8", "replace")}
            with receiver.lock:
                receiver.bodies.append(body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{httpd.server_address[1]}/hook"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        httpd.shutdown()
        httpd.server_close()


def pg_unreachable() -> str | None:
    """Why the test PostgreSQL server cannot be used, or None when it can."""
    return unreachable_reason()


def throwaway_pg_database(prefix: str = "gxbg_ops") -> contextlib.AbstractContextManager[str]:
    """A new, randomly named database (its psycopg URL); dropped on exit, connections and all."""
    return throwaway_database(prefix)
