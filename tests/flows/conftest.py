"""Flow tests: a package-scoped Prefect test server (stopped when tests/flows ends), portals, a receiver."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="package")
def prefect_harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture(scope="session")
def demo_sim() -> Iterator[Any]:
    from gxbg.sim import serve

    with serve(profile="demo") as sim:
        yield sim


@pytest.fixture
def demo_portals(demo_sim: Any) -> list[dict[str, Any]]:
    return [{"name": s.name, "seed_url": s.url} for s in demo_sim.seeds]


@pytest.fixture
def workdir(tmp_path: Path) -> dict[str, str]:
    return {"db_url": f"sqlite:///{tmp_path / 'gxbg.sqlite'}", "archive_dir": str(tmp_path / "raw")}


class Receiver:
    """A loopback webhook receiver that records every JSON body POSTed to it."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        received = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                received.append(json.loads(self.rfile.read(length) or b"{}"))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    rec = Receiver()
    monkeypatch.setenv("GXBG_ALERT_WEBHOOK", rec.url)
    yield rec
    rec.close()
