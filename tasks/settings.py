"""Endpoints and secrets, read once from the environment into a frozen ``Settings``.

Per-run knobs are flow parameters; this holds only what belongs to the machine:

=====================  ==========================================  =========================
variable               meaning                                     default
=====================  ==========================================  =========================
GXBG_DATA_DIR          where the database and raw archive live     ``./data``
GXBG_DB_URL            SQLAlchemy URL of the application database  ``sqlite:///<data>/gxbg.sqlite``
GXBG_ARCHIVE_DIR       content-addressed raw archive               ``<data>/raw``
GXBG_ALERT_WEBHOOK     URL that receives alert JSON (Slack-style)  unset: alerts only logged
GXBG_ERROR_THRESHOLD   errors in one harvest that trigger an alert ``10``
=====================  ==========================================  =========================
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    data_dir: Path
    db_url: str
    archive_dir: Path
    alert_webhook: str | None
    error_threshold: int

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("GXBG_DATA_DIR") or "data").resolve()
        return cls(
            data_dir=data_dir,
            db_url=env.get("GXBG_DB_URL") or f"sqlite:///{data_dir / 'gxbg.sqlite'}",
            archive_dir=Path(env.get("GXBG_ARCHIVE_DIR") or data_dir / "raw").resolve(),
            alert_webhook=env.get("GXBG_ALERT_WEBHOOK") or None,
            error_threshold=int(env.get("GXBG_ERROR_THRESHOLD") or 10),
        )


#: Portals per shard task of a harvest (flows.harvest); a run of at most this many is crawled ahead by the
#: command (tasks.ahead) while Prefect starts.
SHARD_SIZE = 5000

#: Set by the ``gxbg`` command to the URL of the temporary Prefect server it spawned itself (and put in
#: ``PREFECT_API_URL``, so that Prefect, imported while that server boots, talks to it): no lasting server.
TEMPORARY_API_ENV = "GXBG_TEMPORARY_PREFECT_API"


def lasting_api_url(environ: dict[str, str] | None = None) -> str | None:
    """``PREFECT_API_URL`` when it names a lasting server (one whose UI keeps the runs), else None.

    >>> lasting_api_url({"PREFECT_API_URL": "http://127.0.0.1:4200/api"})
    'http://127.0.0.1:4200/api'
    >>> lasting_api_url({"PREFECT_API_URL": "http://127.0.0.1:8123/api", TEMPORARY_API_ENV: "http://127.0.0.1:8123/api"})
    """
    env = os.environ if environ is None else environ
    url = env.get("PREFECT_API_URL") or None
    return None if url is not None and url == env.get(TEMPORARY_API_ENV) else url
