"""In-process progress events, so a front end in the same process can draw a progress bar.

Tasks call :func:`emit` when a portal's crawl or processing finishes; the CLI registers a listener.
With no listener (a worker process, the Prefect UI) this is a no-op: the UI has the progress artifact.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

Listener = Callable[[str, dict[str, Any]], None]

_listeners: list[Listener] = []
_lock = threading.Lock()


def subscribe(listener: Listener) -> Callable[[], None]:
    """Register ``listener(event, data)``; return a function that unregisters it."""
    with _lock:
        _listeners.append(listener)

    def unsubscribe() -> None:
        with _lock:
            if listener in _listeners:
                _listeners.remove(listener)

    return unsubscribe


def emit(event: str, **data: Any) -> None:
    """Tell every listener; a listener's exception never reaches the task."""
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        try:
            listener(event, data)
        except Exception:  # a broken progress bar must not fail a harvest
            continue
