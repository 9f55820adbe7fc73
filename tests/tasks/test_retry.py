"""Only transient IO errors are retried; parse errors never are."""

from __future__ import annotations

import httpx
import pytest

from gxbg.errors import ParseError
from tasks.retry import is_transient


def _status_error(code: int) -> httpx.HTTPStatusError:
    request = httpx.Request("GET", "http://127.0.0.1/x")
    return httpx.HTTPStatusError(
        "bad status", request=request, response=httpx.Response(code, request=request)
    )


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        pytest.param(httpx.ReadTimeout("slow"), True, id="read-timeout"),
        pytest.param(httpx.ConnectError("refused"), True, id="connect-error"),
        pytest.param(httpx.RemoteProtocolError("reset"), True, id="reset"),
        pytest.param(ConnectionResetError(), True, id="os-reset"),
        pytest.param(_status_error(429), True, id="429"),
        pytest.param(_status_error(503), True, id="503"),
        pytest.param(_status_error(408), True, id="408"),
        pytest.param(_status_error(404), False, id="404"),
        pytest.param(_status_error(403), False, id="403"),
        pytest.param(ParseError("no table 三"), False, id="parse-error"),
        pytest.param(ValueError("bug"), False, id="value-error"),
    ],
)
def test_is_transient(exc: BaseException, expected: bool) -> None:
    assert is_transient(exc) is expected


def test_every_task_that_retries_retries_only_transient_io() -> None:
    import importlib
    import pkgutil

    from prefect import Task

    import tasks
    from tasks.retry import retry_on_transient

    found = {}
    for info in pkgutil.iter_modules(tasks.__path__):
        module = importlib.import_module(f"tasks.{info.name}")
        found.update({t.name: t for t in vars(module).values() if isinstance(t, Task)})
    retrying = {name for name, t in found.items() if t.retries}
    assert {"cross-year-breaks", "publish-publication-status"} <= retrying
    for name in retrying:
        assert found[name].retry_condition_fn is retry_on_transient, name
