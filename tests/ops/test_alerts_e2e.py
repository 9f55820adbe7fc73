"""Alerts as code, end to end: a real ``prefect server start``, ``gxbg alerts install`` and a webhook
receiver on loopback; a failing flow run and an over-threshold harvest must each reach the receiver."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from tests.ops.alert_probe import PROBE_MESSAGE
from tests.ops.servers import REPO, prefect_server, webhook_receiver

pytestmark = [pytest.mark.prefect, pytest.mark.slow, pytest.mark.ops, pytest.mark.timeout(300)]

ALERTS_CLI = [sys.executable, "-c", "from cli.alerts import alerts_app; alerts_app(prog_name='gxbg alerts')"]
# the same install twice in one process (one Prefect import): the second must replace, not duplicate
INSTALL_TWICE = (
    "import sys; from cli.alerts import alerts_app; args = sys.argv[1:]\n"
    "for _ in range(2): alerts_app(args, prog_name='gxbg alerts', standalone_mode=False)"
)


def text(body: dict[str, Any]) -> str:
    return str(body.get("text", ""))


def test_install_refuses_without_a_server(tmp_path: Any) -> None:
    import subprocess

    from tests.ops.servers import prefect_env

    done = subprocess.run(
        [*ALERTS_CLI, "install", "--webhook", "http://127.0.0.1:9/hook"],
        env=prefect_env(tmp_path),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "PREFECT_API_URL is not set" in done.stderr


def test_failed_flow_runs_and_harvest_errors_reach_the_webhook(tmp_path: Any) -> None:
    with webhook_receiver() as receiver, prefect_server(tmp_path) as server:
        server.run(
            [sys.executable, "-c", INSTALL_TWICE, "install", "--webhook", receiver.url, "--threshold", "3"]
        )
        automations = server.api("POST", "/automations/filter", json={})
        assert sorted(a["name"] for a in automations) == ["gxbg-flow-run-failed", "gxbg-harvest-errors"]
        blocks = server.api("POST", "/block_documents/filter", json={"include_secrets": False})
        assert [b["name"] for b in blocks if b["name"] == "gxbg-alerts"] == ["gxbg-alerts"]
        variable = server.api("GET", "/variables/name/gxbg_error_threshold")
        assert variable["value"] == 3

        server.run([sys.executable, str(REPO / "tests" / "ops" / "alert_probe.py")])

        failed = receiver.wait_for(lambda b: text(b).startswith("gxbg flow run failed"), timeout=60)
        assert "gxbg-alert-probe" in text(failed)
        assert "Failed" in text(failed)
        assert PROBE_MESSAGE in text(failed)
        assert failed["gxbg"]["source"] == "prefect-automation"
        over = receiver.wait_for(lambda b: text(b).startswith("gxbg harvest errors"), timeout=60)
        assert "5 errors (threshold 3)" in text(over)
        assert "gxbg-harvest-probe" in text(over)
        assert not [b for b in receiver.bodies if "2 errors" in text(b)]  # under the threshold: silent
        assert len([b for b in receiver.bodies if text(b).startswith("gxbg flow run failed")]) == 1
