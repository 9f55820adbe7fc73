"""``gxbg alerts install|uninstall``: the server-side alerts (notification block + automations).

Mounted by ``cli/main.py`` with ``app.add_typer(alerts_app, name="alerts")``.  The commands talk to
the Prefect server in ``PREFECT_API_URL``; without one they refuse, since an ephemeral server would
forget the automations as soon as the command exits.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console

alerts_app = typer.Typer(
    help="Alerts as code: a webhook notification block and automations on the Prefect server.",
    no_args_is_help=True,
)
console = Console(stderr=True)


def _webhook(url: str) -> str:
    """The webhook URL, or exit 2 in one line: http(s), a host, no spaces."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        console.print(f"[red]bad --webhook[/]: {url!r}: {exc}", highlight=False)
        raise typer.Exit(2) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in url.strip():
        console.print(f"[red]bad --webhook[/]: {url!r} is not an http(s) URL", highlight=False)
        raise typer.Exit(2)
    return url.strip()


def _require_server() -> str:
    url = os.environ.get("PREFECT_API_URL") or ""
    if not url:
        os.environ.pop("PREFECT_API_URL", None)  # never leave it set to "" (events get dropped)
        console.print(
            "[red]PREFECT_API_URL is not set[/]: point it at your Prefect server, e.g. "
            "export PREFECT_API_URL=http://127.0.0.1:4200/api"
        )
        raise typer.Exit(2)
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    return url


@alerts_app.command()
def install(
    webhook: Annotated[
        str, typer.Option(help='URL that receives the JSON alerts ({"text": ...}, Slack-style).')
    ],
    threshold: Annotated[
        int, typer.Option(min=0, help="Alert when one harvest has more than this many errors.")
    ] = 10,
) -> None:
    """Create (or replace, by name) the notification block and the failure and error-count automations."""
    webhook = _webhook(webhook)
    url = _require_server()
    from tasks.ops_alerts import install_alerts

    installed = install_alerts(webhook, threshold=threshold)
    console.print(
        f"installed on {url}: block gxbg-alerts ({installed.block_id}), automations "
        f"{', '.join(installed.automations)}, error threshold {installed.threshold}"
    )


@alerts_app.command()
def uninstall() -> None:
    """Delete the automations, the notification block and the threshold variable."""
    url = _require_server()
    from tasks.ops_alerts import uninstall_alerts

    removed = uninstall_alerts()
    console.print(f"removed from {url}: {', '.join(removed) or 'no automations'}")


@alerts_app.command("test")
def send_test(
    webhook: Annotated[
        str | None,
        typer.Option(help="URL to send the test alert to; default GXBG_ALERT_WEBHOOK."),
    ] = None,
) -> None:
    """Send one test alert to the webhook (what a failed harvest would send), and say whether it arrived.

    Needs no Prefect server: it checks the webhook itself (exit 1 when it does not accept the alert)."""
    target = webhook or os.environ.get("GXBG_ALERT_WEBHOOK") or ""
    if not target:
        console.print("[red]no webhook[/]: give --webhook URL or set GXBG_ALERT_WEBHOOK")
        raise typer.Exit(2)
    target = _webhook(target)
    from tasks.alerts import post_alert

    text = (
        "gxbg test alert: this is what a failed harvest sends — e.g. "
        "'gxbg harvest run demo-run Failed: 1 of 3 portals failed (hanweb); "
        "2 pages failed: 2 connection refused'"
    )
    if not post_alert(target, text, {"event": "test", "source": "gxbg alerts test"}):
        console.print(
            f"[red]not delivered[/]: {target} did not accept the test alert (see the line above)",
            soft_wrap=True,
        )
        raise typer.Exit(1)
    console.print(f"delivered: {target} accepted the test alert")
