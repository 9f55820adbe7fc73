"""Which failures a task may retry: transient IO only, never a parse or data error."""

from __future__ import annotations

from typing import Any

import httpx
from prefect.tasks import exponential_backoff

from gxbg.crawl.policy import is_retry_status
from gxbg.errors import GxbgError


def is_transient(exc: BaseException) -> bool:
    """True for timeouts, resets and the statuses the fetcher retries (408/425/429/5xx, one table:
    :func:`gxbg.crawl.policy.is_retry_status`); a gxbg error is transient only when it says so.

    >>> is_transient(httpx.ReadTimeout("slow"))
    True
    >>> is_transient(ValueError("bad table"))
    False
    """
    if isinstance(exc, GxbgError):
        return exc.transient
    if isinstance(exc, httpx.HTTPStatusError):
        return is_retry_status(exc.response.status_code)
    return isinstance(exc, httpx.TransportError | TimeoutError | ConnectionError)


def retry_on_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect ``retry_condition_fn``: retry only when the raised exception is transient."""
    try:
        state.result()
    except Exception as exc:
        return is_transient(exc)
    return False


#: ``@task(**IO_RETRIES)``: the retry policy of a task whose IO may fail transiently — two more
#: attempts with exponential backoff and jitter, and only when the error is transient.
IO_RETRIES: dict[str, Any] = {
    "retries": 2,
    "retry_delay_seconds": exponential_backoff(backoff_factor=2),
    "retry_jitter_factor": 0.5,
    "retry_condition_fn": retry_on_transient,
}
