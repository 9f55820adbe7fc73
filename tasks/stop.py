"""Stopping a harvest early, in-process: the CLI sets :data:`STOP` on Ctrl-C; the shard task hands
:func:`stop_requested` and :func:`mark_interrupted` to ``harvest_portals``, which cancels the crawls in
flight within a fraction of a second, and the flow records the run as cancelled with what it already
loaded and the portals left out.

Deployment runs are cancelled by Prefect itself (the worker stops the process); this is for runs the
``gxbg`` command drives in its own process.
"""

from __future__ import annotations

import threading

STOP = threading.Event()
_INTERRUPTED: set[str] = set()  # portals whose crawl was cancelled or never started, this process
_LOCK = threading.Lock()


def stop_requested() -> bool:
    return STOP.is_set()


def request_stop() -> None:
    STOP.set()


def reset() -> None:
    """Before a run: no stop requested, no portal interrupted."""
    STOP.clear()
    with _LOCK:
        _INTERRUPTED.clear()


def mark_interrupted(portal: str) -> None:
    with _LOCK:
        _INTERRUPTED.add(portal)


def interrupted_portals() -> list[str]:
    with _LOCK:
        return sorted(_INTERRUPTED)
