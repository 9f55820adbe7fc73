"""Stopping a harvest early, in-process: the CLI sets :data:`STOP` on Ctrl-C; crawls in flight are
cancelled within a fraction of a second, crawls not yet started do not start, and the flow records the
run as cancelled with what it already loaded.

Deployment runs are cancelled by Prefect itself (the worker stops the process); this is for runs the
``gxbg`` command drives in its own process.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

STOP = threading.Event()
POLL_S = 0.1
_INTERRUPTED: set[str] = set()  # portals whose crawl was cancelled or never started, this process
_LOCK = threading.Lock()


class HarvestInterruptedError(Exception):
    """The harvest was asked to stop (Ctrl-C) before this portal's work finished."""


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


async def until_stopped(work: Coroutine[Any, Any, T]) -> T:
    """Run ``work`` until it ends or :data:`STOP` is set; then cancel it and raise
    :class:`HarvestInterruptedError`."""
    if STOP.is_set():
        work.close()
        raise HarvestInterruptedError("interrupted before it started")
    job = asyncio.ensure_future(work)
    while not job.done():
        await asyncio.wait({job}, timeout=POLL_S)
        if STOP.is_set() and not job.done():
            job.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await job
            raise HarvestInterruptedError("interrupted during the crawl")
    return job.result()
