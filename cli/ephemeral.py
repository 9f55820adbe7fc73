"""Prefect's temporary server, left behind by a killed CLI: found and stopped on the next start.

Without ``PREFECT_API_URL`` Prefect runs flows against a temporary server it starts as a child
process (``uvicorn prefect.server.api.server:create_app``) and stops at exit.  A SIGKILLed ``gxbg``
never reaches its exit handlers, so that server lives on, orphaned.  Every gxbg command that may
start one marks its environment with :data:`MARK` = its own pid (the server inherits it); the next
start looks for temporary servers carrying the mark of a process that no longer exists and stops
them (SIGTERM, then SIGKILL).  Servers of a live gxbg, and every other process, are left alone.
Linux ``/proc`` only; elsewhere nothing is reaped.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

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
