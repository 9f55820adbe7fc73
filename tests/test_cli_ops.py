"""The `gxbg` command as operators meet it: exit codes, one-line errors found before any Prefect
server starts, read commands that create nothing, --version, parse lines that name their file, alerts
that can be tested and webhook URLs that are checked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import CASES
from tests.flows.conftest import Receiver

REPO = Path(__file__).resolve().parent.parent
GXBG = Path(sys.executable).parent / "gxbg"
runner = CliRunner()
SEED = "https://www.example.gov.cn/"


def _gxbg(*args: str, home: Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """The installed command in a subprocess with its own, fresh PREFECT_HOME (to see what it starts)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "GXBG_"))}
    env["PREFECT_HOME"] = str(home)
    return subprocess.run(
        [str(GXBG), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--seed", "not-a-url"], "bad --seed: 'not-a-url' is not a URL"),
        (["--seed", "ftp://www.example.gov.cn/"], "only http and https are crawled"),
        (["--seed", "https://u:pw@www.example.gov.cn/"], "credentials in a seed URL are refused"),
        (["--seed", SEED, "--db", "notaurl"], "bad --db: 'notaurl' is not a database URL"),
        (["--seed", SEED, "--db", "mysql://u@h/db"], "bad --db: unsupported database"),
        (["--seed", SEED, "--db", "data/x.sqlite"], "is not a database URL"),
    ],
)  # fmt: skip
def test_harvest_configuration_errors_are_one_line_before_prefect_starts(
    args: list[str], expected: str, tmp_path: Path
) -> None:
    home = tmp_path / "prefect-home"
    done = _gxbg("harvest", *args, home=home, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert expected in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "pw" not in done.stderr.replace("pw@", "")  # (credentials never echoed in full)
    # no Prefect server was started: it would have created its database in PREFECT_HOME
    assert not (home / "prefect.db").exists()
    assert not (tmp_path / "data").exists()


def test_harvest_a_missing_postgresql_database_is_one_line(tmp_path: Path) -> None:
    from tests.pg import PG_ADMIN_URL, unreachable_reason

    if (reason := unreachable_reason()) is not None:
        pytest.skip(reason)
    import sqlalchemy as sa

    url = sa.make_url(PG_ADMIN_URL).set(database="gxbg_absent_db").render_as_string(hide_password=False)
    done = _gxbg("harvest", "--seed", "https://www.example.gov.cn/", "--db", url, home=tmp_path / "h")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert 'database "gxbg_absent_db" does not exist' in done.stderr
    assert not (tmp_path / "h" / "prefect.db").exists()


@pytest.mark.parametrize(
    "command", [["export"], ["status", "--year", "2023", "--registry", "registry/demo.csv"]]
)
def test_read_commands_never_create_a_database(command: list[str], tmp_path: Path) -> None:
    missing = tmp_path / "nothing.sqlite"
    result = runner.invoke(app, [*command, "--db", f"sqlite:///{missing}"])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.output
    assert not missing.exists()
    result = runner.invoke(app, [*command, "--db", str(missing)])  # a plain path
    assert result.exit_code == 2
    assert "is not a database URL" in result.stderr
    assert not missing.exists()


def test_reparse_of_a_missing_database_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["reparse", "--db", f"sqlite:///{tmp_path / 'none.sqlite'}"])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert not (tmp_path / "none.sqlite").exists()


def test_version() -> None:
    from gxbg import PARSER_VERSION, __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"gxbg {__version__} (extractor {PARSER_VERSION})"


def test_every_option_has_a_help_text() -> None:
    import typer.main

    command = typer.main.get_command(app)
    missing = []
    for name, sub in [("gxbg", command), *command.commands.items()]:  # type: ignore[attr-defined]
        subs = [(name, sub)] + [(f"{name} {n}", s) for n, s in getattr(sub, "commands", {}).items()]
        for full, cmd in subs:
            missing += [f"{full} {p.name}" for p in cmd.params if not getattr(p, "help", None)]
    assert missing == []


def test_every_parse_line_names_its_file(tmp_path: Path) -> None:
    good = CASES / "cq-nanbin-2024" / "clean.txt"
    junk = tmp_path / "junk.txt"
    junk.write_text("不是年报\n", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(good), str(junk)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(good), str(junk)]
    assert lines[0]["year"] == 2024


def test_harvest_registry_with_a_placeholder_asks_for_base_url() -> None:
    result = runner.invoke(app, ["harvest", "--registry", "registry/demo.csv"])
    assert result.exit_code == 2
    assert "--base-url" in result.output


def test_alerts_test_delivers_to_the_webhook() -> None:
    receiver = Receiver()
    try:
        result = runner.invoke(app, ["alerts", "test", "--webhook", receiver.url])
    finally:
        receiver.close()
    assert result.exit_code == 0, result.output
    assert "delivered" in result.stderr
    (body,) = receiver.bodies
    assert body["text"].startswith("gxbg test alert")
    assert body["gxbg"]["event"] == "test"


def test_alerts_test_says_when_nothing_arrives(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = runner.invoke(app, ["alerts", "test", "--webhook", f"http://127.0.0.1:{port}/hook"])
    assert result.exit_code == 1
    assert "not delivered" in result.stderr


@pytest.mark.parametrize("command", ["install", "test"])
@pytest.mark.parametrize("webhook", ["not-a-url", "ftp://hooks.example.com/x", "http://"])
def test_webhook_urls_are_validated(command: str, webhook: str) -> None:
    result = runner.invoke(app, ["alerts", command, "--webhook", webhook])
    assert result.exit_code == 2
    assert "bad --webhook" in result.stderr


def test_the_demo_port_taken_falls_back_and_says_what_it_costs(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    from cli.run import _demo_portals
    from gxbg.sim import serve

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with _demo_portals(serve, port) as sim:
            assert sim.base_url.startswith("http://127.0.0.1:")
            assert not sim.base_url.endswith(f":{port}")
    err = " ".join(capsys.readouterr().err.split())
    assert f"port {port} is in use" in err
    assert "every page is fetched again" in err


def test_the_demo_port_free_is_used_as_is() -> None:
    import socket

    from cli.run import _demo_portals
    from gxbg.sim import serve

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with _demo_portals(serve, port) as sim:
        assert sim.base_url == f"http://127.0.0.1:{port}"
