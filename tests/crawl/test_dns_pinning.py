"""DNS pinning: the Fetcher connects to the address the SSRF guard checked, never to a second
resolution of the name (no DNS-rebinding window).

Two loopback servers: ``public`` plays the host at the public address the guard approves (the
pretend network :class:`LoopbackNet` routes that address to it), ``internal`` is what a rebinding
name points at afterwards (127.0.0.1).  Nothing ever leaves the machine.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpcore
import pytest

from gxbg.crawl.fetch import Fetcher
from gxbg.crawl.pinning import AddressPins, PinnedBackend, pin_key
from gxbg.kinds import ErrorKind, FetchResult
from tests.crawl._fetchkit import LoopbackNet, policy

PUBLIC = "93.184.216.34"
GUARDED = policy(allow_private=False, obey_robots=False, retries=0)


class Server:
    """A loopback server logging (method, path, Host) of each request; ``/hop`` redirects to ``?to=``."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.log.append(("GET", self.path, self.headers.get("Host", "")))
                if self.path.startswith("/hop?to="):
                    self.send_response(302)
                    self.send_header("Location", self.path.split("=", 1)[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = ("<html><body>" + "<p>公开内容。</p>" * 40 + "</body></html>").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]


@contextmanager
def servers() -> Iterator[tuple[Server, Server]]:
    pair = (Server(), Server())
    threads = [
        threading.Thread(target=s.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        for s in pair
    ]
    for t in threads:
        t.start()
    try:
        yield pair
    finally:
        for s in pair:
            s.httpd.shutdown()
            s.httpd.server_close()


class Rebinding:
    """Answers the public address once, then 127.0.0.1 (a DNS-rebinding name)."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def __call__(self, host: str) -> list[str]:
        self.calls.append(host)
        return [PUBLIC] if len(self.calls) == 1 else ["127.0.0.1"]


def _fetch(url: str, **kw: Any) -> FetchResult:
    async def main() -> FetchResult:
        async with Fetcher(kw.pop("pol", GUARDED), **kw) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(main())


def test_rebinding_name_never_reaches_the_loopback_server() -> None:
    with servers() as (public, internal):
        # Both "hosts" listen on the internal server's port: the name is the same, only the address differs.
        net = LoopbackNet(routes={PUBLIC: public.port})
        resolver = Rebinding()
        result = _fetch(f"http://localhost:{internal.port}/secret", resolver=resolver, network_backend=net)
    assert result.ok, result.reason
    assert internal.log == []  # a second resolution of "localhost" would have landed here
    assert public.log == [("GET", "/secret", f"localhost:{internal.port}")]  # the name is kept in Host
    assert net.attempts == [(PUBLIC, internal.port)]
    assert resolver.calls == ["localhost"]  # resolved once, by the guard


def test_without_a_route_the_pinned_address_fails_closed() -> None:
    with servers() as (_, internal):
        net = LoopbackNet()  # the public address is unreachable here
        result = _fetch(f"http://localhost:{internal.port}/secret", resolver=Rebinding(), network_backend=net)
    assert result.error is ErrorKind.CONNECTION
    assert internal.log == []
    assert net.attempts == [(PUBLIC, internal.port)]


def test_redirect_hops_are_checked_and_pinned_each() -> None:
    with servers() as (public, internal):
        net = LoopbackNet(routes={PUBLIC: public.port})
        hop = f"http://localhost:{internal.port}/hop?to=http://localhost:{internal.port}/admin"
        result = _fetch(hop, resolver=Rebinding(), network_backend=net)
    assert result.error is ErrorKind.OUT_OF_SCOPE  # the second check sees 127.0.0.1 and refuses
    assert "SSRF guard" in (result.reason or "")
    assert [p for _, p, _ in public.log] == ["/hop?to=http://localhost:" + str(internal.port) + "/admin"]
    assert internal.log == []


def test_allow_private_still_reaches_loopback_by_name_and_address() -> None:
    with servers() as (_, internal):
        pol = policy(allow_private=True, obey_robots=False, retries=0)
        by_name = _fetch(f"http://localhost:{internal.port}/a", pol=pol)
        by_address = _fetch(f"http://127.0.0.1:{internal.port}/b", pol=pol)
    assert by_name.ok
    assert by_address.ok
    assert [p for _, p, _ in internal.log] == ["/a", "/b"]


def test_unpinned_name_is_not_connected_under_the_guard() -> None:
    net = LoopbackNet()
    backend = PinnedBackend(AddressPins(strict=True), net)
    with pytest.raises(httpcore.ConnectError, match="no checked address"):
        asyncio.run(backend.connect_tcp("portal.example", 80))
    assert net.attempts == []


def test_pins_try_each_checked_address_in_turn() -> None:
    with servers() as (public, _):
        net = LoopbackNet(routes={"93.184.216.35": public.port})
        pins = AddressPins(strict=True)
        pins.pin("Portal.Example.", [PUBLIC, "93.184.216.35"])

        async def connect() -> None:
            stream = await PinnedBackend(pins, net).connect_tcp("portal.example", 80)
            await stream.aclose()

        asyncio.run(connect())
    assert net.attempts == [(PUBLIC, 80), ("93.184.216.35", 80)]
    assert pin_key("Portal.Example.") == "portal.example"
