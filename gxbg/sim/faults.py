# ruff: noqa: E501  (fixture bodies read better unwrapped)
"""Fault responses for the fetch fault matrix: the ways real portals misbehave, on loopback.

Stdlib only (``http.server``).  Two ways to use it:

* standalone, in tests and benchmarks: ``with serve_faults(robots="allow") as srv: srv.url("/fault/ok")``
  (``srv.state`` counts hits per path, logs every path and tracks the peak number of requests
  in flight, so tests assert on the server side);
* mounted in the portal simulator: call ``handle_fault(handler, state)`` first in a
  ``BaseHTTPRequestHandler`` method; it answers ``/fault/...`` paths and returns False otherwise.

Endpoints (``<key>`` isolates counters between tests; ``secs`` may be fractional):

====================================  ==============================================================
``/fault/ok``, ``/fault/page/<name>``  a normal UTF-8 report-like page (``?delay=secs`` before answering)
``/fault/burst/<n>/<key>``             500 the first ``n`` times, then the page
``/fault/status/<code>/<n>/<key>``     ``code`` (408, 503, ...) the first ``n`` times, then the page
``/fault/retry-after/<secs>/<key>``    429 with ``Retry-After: secs`` once, then the page
``/fault/retry-after-date/<secs>/<key>`` the same with an HTTP-date ``Retry-After``
``/fault/slow/<secs>``                 sleeps before the status line (trips a read timeout)
``/fault/slow-body/<secs>``            sends headers and half the body, then stalls
``/fault/reset``                       starts a response, then resets the connection (RST)
``/fault/truncated``                   ``Content-Length`` larger than the body, then closes
``/fault/charset/<variant>``           the four encodings of portals.md §8 (:data:`CHARSET_VARIANTS`)
``/fault/redirect-loop/<a|b>``         a 302 loop a → b → a
``/fault/redirect-chain/<n>``          ``n`` redirects, then the page
``/fault/redirect-self``               302 to itself with Set-Cookie; the page once the cookie is sent
``/fault/redirect-to?url=<u>``         302 to any URL (hostile redirects)
``/fault/large/<bytes>``               a body of that size with Content-Length
``/fault/large-stream/<bytes>``        the same without Content-Length (read until close)
``/fault/challenge/<name>``            the challenge pages of portals.md §10.H (:data:`CHALLENGES`)
``/fault/stub/<name>``                 ``illegal`` (200 非法请求 404！), ``index_9.html`` (362 bytes), ``empty``
``/fault/missing``                     404 with ``charset=iso-8859-1``
``/fault/moved``                       301 → ``/``
``/fault/gzip``                        a gzip body whatever ``Accept-Encoding`` says
``/fault/etag``                        ETag + Last-Modified; 304 on a matching conditional GET
``/fault/binary/<file>``               a PDF / DOCX / JPEG body by extension
``/fault/hostile``                     a page linking to 127.0.0.1, 10.x, 169.254.169.254, file:, javascript:
``/fault/echo``                        the method and form body, as a page (POST tests)
``/robots.txt``                        per-server mode (:data:`ROBOTS`)
====================================  ==============================================================

The bodies themselves (pages, charset variants, challenges, stubs, robots.txt modes, binaries) are data,
in :mod:`gxbg.sim.fault_bodies`.
"""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from gxbg.sim.fault_bodies import (
    BINARIES,
    CHALLENGES,
    CHARSET_TITLE,
    CHARSET_VARIANTS,
    GBK_ONLY,
    PAGE_TEXT,
    ROBOTS,
    STUBS,
    page_html,
)

__all__ = [
    "BINARIES", "CHALLENGES", "CHARSET_TITLE", "CHARSET_VARIANTS", "GBK_ONLY", "PAGE_TEXT", "PREFIX", "ROBOTS",
    "STUBS", "FaultServer", "FaultState", "handle_fault", "page_html", "serve_faults",
]  # fmt: skip

PREFIX = "/fault/"


@dataclass
class FaultState:
    """Server-side observations (thread-safe) and the robots.txt mode."""

    robots: str = "allow"
    lock: threading.Lock = field(default_factory=threading.Lock)
    hits: Counter[str] = field(default_factory=Counter)  # path (no query) -> requests
    log: list[str] = field(default_factory=list)  # every request line path, in order
    user_agents: set[str] = field(default_factory=set)
    in_flight: int = 0
    max_in_flight: int = 0

    def enter(self, path: str, user_agent: str = "") -> int:
        with self.lock:
            self.user_agents.add(user_agent)
            key = urlsplit(path).path
            self.hits[key] += 1
            self.log.append(path)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            return self.hits[key]

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def count(self, key: str, prefix: str = "") -> int:
        """Requests for exactly ``key`` (a path), or for every path starting with ``prefix``."""
        with self.lock:
            if prefix:
                return sum(n for p, n in self.hits.items() if p.startswith(prefix))
            return self.hits[key]


def _send(h: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
          headers: dict[str, str] | None = None, *, length: int | None = None) -> None:  # fmt: skip
    h.send_response(status)
    if ctype:
        h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body) if length is None else length))
    for name, value in (headers or {}).items():
        h.send_header(name, value)
    h.end_headers()
    if h.command != "HEAD":
        h.wfile.write(body)


def _page(h: BaseHTTPRequestHandler, title: str = "政府信息公开工作年度报告", extra: str = "") -> None:
    _send(h, 200, page_html(title, extra=extra).encode("utf-8"))


def _redirect(
    h: BaseHTTPRequestHandler, status: int, location: str, headers: dict[str, str] | None = None
) -> None:
    _send(h, status, b"", "", {"Location": location, **(headers or {})})


def _close_now(h: BaseHTTPRequestHandler, *, reset: bool) -> None:
    h.wfile.flush()
    if reset:  # SO_LINGER 0: close() sends RST instead of FIN
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.close_connection = True
    h.connection.close()


def handle_fault(h: BaseHTTPRequestHandler, state: FaultState) -> bool:
    """Answer ``h`` when its path is a fault endpoint or ``/robots.txt``; False otherwise."""
    parts = urlsplit(h.path)
    path = parts.path
    if path != "/robots.txt" and not path.startswith(PREFIX):
        return False
    n = state.enter(h.path, h.headers.get("User-Agent", ""))
    try:
        form = _read_form(h)
        if path == "/robots.txt":
            _robots(h, state.robots)
        else:
            _dispatch(h, path[len(PREFIX) :].split("/"), parse_qs(parts.query), n, form)
    except (BrokenPipeError, ConnectionResetError):
        h.close_connection = True
    finally:
        state.leave()
    return True


def _read_form(h: BaseHTTPRequestHandler) -> dict[str, list[str]]:
    length = int(h.headers.get("Content-Length") or 0)
    return parse_qs(h.rfile.read(length).decode("utf-8", "replace")) if length else {}


def _robots(h: BaseHTTPRequestHandler, mode: str) -> None:
    rule = ROBOTS[mode]
    if isinstance(rule, int):
        _send(h, rule, b"<html><body>error</body></html>")
    else:
        _send(h, 200, rule.encode(), "text/plain")


def _dispatch(h: BaseHTTPRequestHandler, seg: list[str], query: dict[str, list[str]], n: int,
              form: dict[str, list[str]]) -> None:  # fmt: skip
    name, args = seg[0], seg[1:]
    if name in ("ok", "page", "private"):
        if "delay" in query:
            time.sleep(float(query["delay"][0]))
        _page(h, f"page {'/'.join(args) or name}")
    elif name in ("burst", "status"):
        code = 500 if name == "burst" else int(args.pop(0))
        if n <= int(args[0]):
            _send(h, code, f"<html><body>error {code} #{n}</body></html>".encode())
        else:
            _page(h)
    elif name in ("retry-after", "retry-after-date"):
        secs = float(args[0])
        value = str(int(secs)) if name == "retry-after" else formatdate(time.time() + secs, usegmt=True)
        if n == 1:
            _send(h, 429, b"<html><body>Too Many Requests</body></html>", headers={"Retry-After": value})
        else:
            _page(h)
    elif name == "slow":
        time.sleep(float(args[0]))
        _page(h)
    elif name == "slow-body":
        body = page_html("slow body").encode()
        _send(h, 200, body[: len(body) // 2], length=len(body))
        h.wfile.flush()
        time.sleep(float(args[0]))
        _close_now(h, reset=False)
    elif name == "reset":
        h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Len")
        _close_now(h, reset=True)
    elif name == "truncated":
        body = page_html("truncated").encode()
        _send(h, 200, body[: len(body) // 3], length=len(body), headers={"Connection": "close"})
        _close_now(h, reset=False)
    elif name == "charset":
        ctype, meta, codec = CHARSET_VARIANTS[args[0]]
        _send(h, 200, page_html(CHARSET_TITLE, meta=meta).encode(codec), ctype)
    elif name == "redirect-loop":
        _redirect(h, 302, f"{PREFIX}redirect-loop/{'b' if args[0] == 'a' else 'a'}")
    elif name == "redirect-chain":
        left = int(args[0])
        if left > 0:
            _redirect(h, 302, f"{PREFIX}redirect-chain/{left - 1}")
        else:
            _page(h, "end of chain")
    elif name == "redirect-self":
        if "gxbg_gate=1" in (h.headers.get("Cookie") or ""):
            _page(h, "behind the cookie gate")
        else:
            _redirect(h, 302, h.path, {"Set-Cookie": "gxbg_gate=1; path=/"})
    elif name == "redirect-to":
        _redirect(h, 302, query["url"][0])
    elif name in ("large", "large-stream"):
        size = int(args[0])
        chunk = b"<p>" + b"x" * 1020 + b"</p>"
        if name == "large":
            _send(h, 200, (chunk * (size // len(chunk) + 1))[:size])
            return
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        for _ in range(size // len(chunk) + 1):
            h.wfile.write(chunk)
        _close_now(h, reset=False)
    elif name == "challenge":
        status, headers, markup = CHALLENGES[args[0]]
        _send(h, status, markup.encode(), "text/html", headers)
    elif name == "stub":
        _send(h, 200, STUBS[args[0]], "text/html")
    elif name == "missing":
        _send(h, 404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html; charset=iso-8859-1")
    elif name == "moved":
        _redirect(h, 301, "/")
    elif name == "gzip":
        _send(h, 200, gzip.compress(page_html("gzip body").encode()), headers={"Content-Encoding": "gzip"})
    elif name == "etag":
        etag, modified = '"v1"', "Mon, 06 Jan 2025 08:00:00 GMT"
        if h.headers.get("If-None-Match") == etag or h.headers.get("If-Modified-Since") == modified:
            _send(h, 304, b"", "", {"ETag": etag, "Last-Modified": modified}, length=0)
        else:
            _send(h, 200, page_html("etag page").encode(), headers={"ETag": etag, "Last-Modified": modified})
    elif name == "binary":
        ctype, body = BINARIES[args[0][args[0].rfind(".") :]]
        _send(h, 200, body, ctype)
    elif name == "hostile":
        links = ["http://127.0.0.1/admin", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/",
                 "http://[::1]/", "http://0.0.0.0/", "file:///etc/passwd", "javascript:alert(1)"]  # fmt: skip
        _page(h, "hostile links", "".join(f'<a href="{u}">年度报告 {i}</a>' for i, u in enumerate(links)))
    elif name == "echo":
        fields = ", ".join(f"{k}={v[0]}" for k, v in sorted(form.items()))
        _page(h, f"{h.command} {fields}")
    else:
        _send(h, 404, b"<html><body>no such fault</body></html>")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _FaultHTTPServer

    def log_message(self, format: str, *args: object) -> None:
        return

    def _any(self) -> None:
        if not handle_fault(self, self.server.state):
            if urlsplit(self.path).path == "/":
                self.server.state.enter(self.path)
                self.server.state.leave()
                _page(self, "home")
            else:
                _send(self, 404, b"<html><body>not found</body></html>")

    def do_GET(self) -> None:
        self._any()

    def do_POST(self) -> None:
        self._any()

    def do_HEAD(self) -> None:
        self._any()


class _FaultHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, addr: tuple[str, int], state: FaultState) -> None:
        super().__init__(addr, _Handler)
        self.state = state

    def handle_error(self, request: object, client_address: object) -> None:
        return  # clients that hang up early (size caps, timeouts) are part of the matrix


@dataclass(frozen=True, slots=True)
class FaultServer:
    """A running standalone fault server."""

    base_url: str
    state: FaultState

    def url(self, path: str) -> str:
        return self.base_url + path


@contextmanager
def serve_faults(host: str = "127.0.0.1", port: int = 0, *, robots: str = "allow") -> Iterator[FaultServer]:
    """Run the fault endpoints on loopback in a background thread for the ``with`` block."""
    if host not in ("127.0.0.1", "::1", "localhost"):
        raise ValueError(f"the fault server binds to loopback only, not {host!r}")
    if robots not in ROBOTS:
        raise ValueError(f"unknown robots mode {robots!r}; one of {sorted(ROBOTS)}")
    server = _FaultHTTPServer((host, port), FaultState(robots=robots))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield FaultServer(f"http://{host}:{server.server_address[1]}", server.state)
    finally:
        server.shutdown()
        server.server_close()
