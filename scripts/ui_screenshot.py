"""Screenshot of a finished harvest in the Prefect UI, as a person would check it (not a test).

Starts ``prefect server start`` on a free loopback port (temporary PREFECT_HOME, SQLite), runs the
demo harvest against it (``yearly_harvest`` over ``registry/demo.csv`` and the simulated portals),
opens the finished flow run's page in headless Chromium, clicks its Artifacts tab and saves the PNG:

    .venv/bin/python scripts/ui_screenshot.py [--out docs/img/harvest-run.png]

Also saves the parent yearly-harvest run's ``publication-status-2024`` table artifact
(``--status-out``, default docs/img/publication-status.png).

Needs /usr/bin/chromium (``apt-get install -y chromium`` on Debian; the script offers to run it
with ``--install``) and CJK fonts for the agency names (``fonts-noto-cjk``).  Loopback only.
"""

from __future__ import annotations

import argparse
import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.ops.servers import free_port, prefect_server, stop  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def chromium() -> str:
    found = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if not found:
        raise SystemExit("chromium not found: apt-get install -y chromium (or pass --install)")
    return found


def screenshot(
    url: str, out: Path, profile: Path, *, wait_ms: int, click_text: str = "Artifacts", wait_text: str = ""
) -> None:
    """Open ``url``, click the element whose whole text is ``click_text`` (the run page's Artifacts tab:
    the UI drops ``?tab=`` while the run loads) or, with ``wait_text``, wait until the page shows that
    text instead; save a PNG.

    Drives headless Chromium over the DevTools protocol (``websockets``, a Prefect dependency).
    """
    from websockets.sync.client import connect

    port = free_port()
    args = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--window-size=1400,1800",
        "--remote-debugging-address=127.0.0.1",
        f"--remote-debugging-port={port}",
        "about:blank",
    ]
    browser = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        target = _page_target(port)
        with connect(target, max_size=None, open_timeout=30) as ws:
            calls = iter(range(1, 1_000_000))

            def call(method: str, **params: object) -> dict[str, object]:
                number = next(calls)
                ws.send(json.dumps({"id": number, "method": method, "params": params}))
                while True:
                    message = json.loads(ws.recv(timeout=60))
                    if message.get("id") == number:
                        return dict(message.get("result") or {})

            call("Page.enable")
            call(
                "Emulation.setDeviceMetricsOverride",
                width=1400,
                height=1800,
                deviceScaleFactor=1,
                mobile=False,
            )
            call("Page.navigate", url=url)
            click = (
                "(() => { const hit = document.evaluate(\"//*[normalize-space(.)='"
                + click_text
                + "']\", document,"
                " null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;"
                " if (hit) { hit.click(); return true } return false })()"
            )
            if wait_text:  # nothing to click: wait until the page shows this text
                click = f"document.body.innerText.includes({json.dumps(wait_text)})"
            deadline = time.monotonic() + wait_ms / 1000
            clicked = False
            while time.monotonic() < deadline and not clicked:
                time.sleep(1)
                result = call("Runtime.evaluate", expression=click, returnByValue=True)
                clicked = bool(dict(result.get("result") or {}).get("value"))  # type: ignore[call-overload]
            if not clicked:
                page = call(
                    "Runtime.evaluate",
                    expression="document.body.innerText.slice(0, 2000)",
                    returnByValue=True,
                )
                raise SystemExit(
                    f"no {wait_text or click_text!r} on {url} after {wait_ms} ms; page text: {page}"
                )
            time.sleep(4)  # let the artifact cards render
            shot = call("Page.captureScreenshot", format="png")
            out.write_bytes(base64.b64decode(str(shot["data"])))
    finally:
        stop(browser)


def _page_target(port: int) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            pages = httpx.get(f"http://127.0.0.1:{port}/json", timeout=2).json()
            for page in pages:
                if page.get("type") == "page":
                    return str(page["webSocketDebuggerUrl"])
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("chromium's DevTools endpoint did not come up")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img" / "harvest-run.png")
    parser.add_argument(
        "--status-out",
        type=Path,
        default=REPO / "docs" / "img" / "publication-status.png",
        help="the yearly-harvest run's publication-status-2024 table artifact",
    )
    parser.add_argument(
        "--install",
        action="store_true",
        help="apt-get install -y chromium fonts-noto-cjk if chromium is missing",
    )
    parser.add_argument("--wait-ms", type=int, default=60000, help="how long to wait for the run page")
    options = parser.parse_args()
    if options.install and not Path(CHROMIUM).exists():
        subprocess.run(["apt-get", "install", "-y", "chromium", "fonts-noto-cjk"], check=True)
    chromium()
    from gxbg.sim import serve

    with tempfile.TemporaryDirectory(prefix="gxbg-ui-") as tmp_name:
        tmp = Path(tmp_name)
        with serve(profile="demo") as sim, prefect_server(tmp, PREFECT_SERVER_UI_ENABLED="true") as server:
            out_json = tmp / "run.json"
            params = {
                "registry": str(REPO / "registry" / "demo.csv"),
                "base_url": sim.base_url,
                "years": [2019, 2020, 2023, 2024],
                "allow_private": True,
                "polite": False,
                "db_url": f"sqlite:///{tmp / 'gxbg.sqlite'}",
                "archive_dir": str(tmp / "raw"),
            }
            args = [sys.executable, str(REPO / "tests" / "ops" / "scaleout_run.py"), str(out_json)]
            server.run(args + [f"{k}={json.dumps(v)}" for k, v in params.items()], timeout=600)
            summary = json.loads(out_json.read_text(encoding="utf-8"))["summary"]
            # the artifacts belong to the harvest flow run (a subflow of yearly-harvest)
            runs = server.api("POST", "/flow_runs/filter", json={"flows": {"name": {"any_": ["harvest"]}}})
            run = max(runs, key=lambda r: r["created"])
            ui = server.api_url.removesuffix("/api")
            url = f"{ui}/runs/flow-run/{run['id']}?tab=Artifacts"
            options.out.parent.mkdir(parents=True, exist_ok=True)
            time.sleep(1)
            screenshot(url, options.out, tmp / "chromium", wait_ms=options.wait_ms)
            # the publication status belongs to the parent yearly-harvest run, one table per year
            key = {"artifacts": {"key": {"any_": ["publication-status-2024"]}}}
            artifact = server.api("POST", "/artifacts/filter", json=key)[0]
            status_url = f"{ui}/artifacts/artifact/{artifact['id']}"
            screenshot(
                status_url,
                options.status_out,
                tmp / "chromium",
                wait_ms=options.wait_ms,
                wait_text="on_time_by_date",
            )
    print(f"{options.out}: flow run {run['name']} ({url}); totals {summary['totals']}")
    print(f"{options.status_out}: {status_url}")


if __name__ == "__main__":
    main()
