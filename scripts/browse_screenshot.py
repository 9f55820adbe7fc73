"""Screenshot of `gxbg browse` (Datasette) for the docs, as a person would look at it (not a test).

Harvests the demo portals and the simulated 2019–2024 portal (``gxbg.sim.panel``) into a temporary
SQLite database without Prefect, links the agencies (registry/demo.csv + registry/sim-panel.csv), serves
it with Datasette on a free loopback port and saves headless Chromium's PNG of a page:

    .venv/bin/python scripts/browse_screenshot.py [--path /gxbg/cross_year_breaks] [--out docs/img/browse.png]

Needs /usr/bin/chromium and CJK fonts (``apt-get install -y chromium fonts-noto-cjk``).  Loopback only.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from gxbg.archive import RawArchive  # noqa: E402
from gxbg.crawl.fetch import FetchPolicy  # noqa: E402
from gxbg.pipeline.local import harvest_locally  # noqa: E402
from gxbg.pipeline.registry import load_registry  # noqa: E402
from gxbg.sim import serve  # noqa: E402
from gxbg.sim.panel import serve_panel  # noqa: E402
from gxbg.store.browse import metadata  # noqa: E402
from gxbg.store.db import Store  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build(db: Path) -> None:
    store = Store(f"sqlite:///{db}")
    store.migrate()
    policy = FetchPolicy(allow_private=True, delay=0.0, jitter=0.0)
    with serve(profile="demo") as sim, serve_panel() as panel:
        portals = [{"name": s.name, "seed_url": s.url} for s in sim.seeds]
        portals.append({"name": "sim-panel", "seed_url": panel.seed_url})
        run = store.start_run("harvest", {"portals": [p["name"] for p in portals], "years": None})
        harvest_locally(portals, archive=RawArchive(db.parent / "raw"), sink=store, run_id=run, policy=policy)
    store.finish_run(run, {}, "completed")
    rows = [*load_registry(REPO / "registry/demo.csv", base="http://x.invalid")]
    rows += load_registry(REPO / "registry/sim-panel.csv", base="http://x.invalid")
    store.refresh_identity(rows)
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/gxbg/cross_year_breaks", help="page to capture")
    parser.add_argument("--out", type=Path, default=REPO / "docs/img/browse.png")
    parser.add_argument("--size", default="1400,900")
    options = parser.parse_args()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory(prefix="gxbg-shot-") as name:
        tmp = Path(name)
        db = tmp / "gxbg.sqlite"
        build(db)
        meta = tmp / "metadata.json"
        meta.write_text(json.dumps(metadata("gxbg"), ensure_ascii=False), encoding="utf-8")
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "datasette",
                "serve",
                str(db),
                "--metadata",
                str(meta),
                "--port",
                str(port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}{options.path}"
            for _ in range(120):
                try:
                    if httpx.get(url, timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.5)
            options.out.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--hide-scrollbars",
                    f"--user-data-dir={tmp / 'chromium'}",
                    f"--window-size={options.size}",
                    f"--screenshot={options.out}",
                    url,
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"saved {options.out}")


if __name__ == "__main__":
    main()
