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


def _require_server() -> str:
    url = os.environ.get("PREFECT_API_URL") or ""
    if not url:
        os.environ.pop("PREFECT_API_URL", None)  # never leave it set to "" (events get dropped)
        console.print(
            "[red]PREFECT_API_URL is not set[/]: point it at your Prefect server, e.g. "
            "export PREFECT_API_URL=http://127.0.0.1:4200/api"
        )
        raise typer.Exit(2)
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
