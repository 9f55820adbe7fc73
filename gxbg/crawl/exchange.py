"""One HTTP exchange with a size cap, mapped to an outcome instead of an exception.

:func:`send_once` streams a single request through an ``httpx.AsyncClient`` (redirects are
*not* followed here), enforces the body cap while streaming, detects truncated bodies, and
turns every transport problem into an :class:`~gxbg.kinds.ErrorKind` with a reason.
Politeness, retries, scope and redirects are the caller's (:mod:`gxbg.crawl.fetch`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx

from gxbg.kinds import TRANSIENT_KINDS, ErrorKind

#: Response headers kept in a FetchResult (lower-case).
KEPT_HEADERS = (
    "content-type",
    "content-disposition",
    "content-length",
    "content-encoding",
    "etag",
    "last-modified",
    "location",
    "retry-after",
    "server",
    "date",
    "set-cookie",
)

#: Transport errors worth another attempt (one definition, shared: :data:`gxbg.kinds.TRANSIENT_KINDS`).
TRANSIENT = TRANSIENT_KINDS

_TRUNCATION_MARKERS = ("incomplete", "complete message body", "expected")


@dataclass(frozen=True, slots=True)
class Exchange:
    """What one request produced: a response (maybe partial) or an error."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: ErrorKind | None = None
    reason: str | None = None


def kept_headers(headers: httpx.Headers) -> dict[str, str]:
    """The headers that matter for provenance and decisions, lower-case names."""
    return {name: headers[name] for name in KEPT_HEADERS if name in headers}


def _transport_error(exc: Exception) -> tuple[ErrorKind, str]:
    detail = str(exc).strip()
    text = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return ErrorKind.TIMEOUT, f"{text} (no data within the timeout)" if not detail else text
    if isinstance(exc, httpx.ReadError | httpx.WriteError) and not detail:
        return ErrorKind.CONNECTION, f"{text} (connection reset or closed mid-exchange)"
    if isinstance(exc, httpx.RemoteProtocolError) and any(m in str(exc) for m in _TRUNCATION_MARKERS):
        return ErrorKind.TRUNCATED, f"body cut short: {text}"
    if isinstance(exc, httpx.DecodingError):
        return ErrorKind.DECODE, f"content-encoding could not be decoded: {text}"
    return ErrorKind.CONNECTION, text


async def send_once(
    client: httpx.AsyncClient,
    request: httpx.Request,
    *,
    max_bytes: int,
    deadline: float,
) -> Exchange:
    """Send ``request`` once and read at most ``max_bytes`` of (decoded) body."""
    status: int | None = None
    headers: dict[str, str] = {}
    try:
        async with asyncio.timeout(deadline):
            response = await client.send(request, stream=True)
            try:
                status, headers = response.status_code, kept_headers(response.headers)
                return await _read_body(response, status, headers, max_bytes)
            finally:
                await response.aclose()
    except (httpx.HTTPError, TimeoutError, OSError) as exc:
        kind, reason = _transport_error(exc)
        if isinstance(exc, TimeoutError) and not isinstance(exc, httpx.TimeoutException):
            reason = f"attempt exceeded its {deadline:g}s deadline"
        return Exchange(status=status, headers=headers, error=kind, reason=reason)


async def _read_body(
    response: httpx.Response, status: int, headers: dict[str, str], max_bytes: int
) -> Exchange:
    declared = _content_length(headers)
    encoded = headers.get("content-encoding", "identity").lower() not in {"", "identity"}
    if declared is not None and declared > max_bytes and not encoded:
        return Exchange(status, headers, error=ErrorKind.TOO_LARGE,
                        reason=f"Content-Length {declared} exceeds the {max_bytes}-byte cap")  # fmt: skip
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            return Exchange(status, headers, error=ErrorKind.TOO_LARGE,
                            reason=f"body exceeds the {max_bytes}-byte cap (stopped reading)")  # fmt: skip
        chunks.append(chunk)
    body = b"".join(chunks)
    has_body = status not in (204, 304) and response.request.method != "HEAD"
    if declared is not None and not encoded and has_body and size != declared:
        return Exchange(status, headers, body, ErrorKind.TRUNCATED,
                        f"Content-Length {declared} but {size} bytes received")  # fmt: skip
    return Exchange(status, headers, body)


def _content_length(headers: dict[str, str]) -> int | None:
    value = headers.get("content-length", "").split(",", 1)[0].strip()
    return int(value) if value.isdigit() else None
