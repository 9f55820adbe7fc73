"""DNS pinning for the SSRF guard: connections go only to the addresses the guard checked.

:func:`gxbg.crawl.scope.check_scope` resolves a host and refuses private addresses.  If httpx then
resolved the name again to connect, a DNS-rebinding name could answer a public address to the
check and 127.0.0.1 to the connection.  So the :class:`~gxbg.crawl.fetch.Fetcher` records the
checked addresses per host in :class:`AddressPins`, and its own transport (:class:`PinnedTransport`)
opens TCP connections through :class:`PinnedBackend`, which connects to those addresses and never
resolves a name itself.  The URL, the ``Host`` header, TLS SNI and certificate verification all
keep the host name (httpcore hands the origin's name to ``start_tls``); only the socket's peer is
pinned.

Fail closed: under the guard (``strict``) a host name with no checked address is not connected.
With ``allow_private`` (demo, tests) the guard resolves nothing, and names resolve as usual.
IP-literal hosts connect as written: the guard checked that very address.
"""

from __future__ import annotations

import functools
import ipaddress
import ssl
from collections import Counter
from collections.abc import Callable, Iterable

import httpcore
import httpx

__all__ = ["AddressPins", "OriginPools", "PinnedBackend", "PinnedTransport", "pin_key", "shared_ssl_context"]


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """One verifying TLS context (CA bundle loaded once) for every transport of the process.

    Building one costs 20-40 ms of CPU; a context is safe to share between connections and threads.
    """
    return httpx.create_ssl_context(trust_env=False)


def pin_key(host: str) -> str:
    """The key a host is pinned under: ASCII (IDNA) form, lower case, no trailing dot.

    >>> pin_key("WWW.Gov.CN."), pin_key("政府.中国")
    ('www.gov.cn', 'xn--mxtq1m.xn--fiqs8s')
    """
    return httpx.URL(f"http://{host.rstrip('.')}/").raw_host.decode("ascii").lower()


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


class AddressPins:
    """Per host, the addresses the SSRF guard approved last (any approved address is safe to use)."""

    def __init__(self, *, strict: bool) -> None:
        self.strict = strict  # True under the guard: an unpinned name is never connected
        self._pins: dict[str, tuple[str, ...]] = {}

    def pin(self, host: str, addresses: Iterable[str]) -> None:
        checked = tuple(dict.fromkeys(a.split("%", 1)[0] for a in addresses))
        if checked:
            self._pins[pin_key(host)] = checked

    def get(self, host: str) -> tuple[str, ...] | None:
        return self._pins.get(host.lower().rstrip("."))


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects a host name only to its pinned addresses."""

    def __init__(self, pins: AddressPins, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._pins = pins
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = (host,) if _is_ip(host) else self._pins.get(host)
        if addresses is None:
            if self._pins.strict:
                raise httpcore.ConnectError(f"SSRF guard: no checked address for {host}; not connecting")
            addresses = (host,)  # the guard is off (allow_private): resolve as usual
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("the fetcher never connects to unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's default transport (TLS verified, no proxies) over a :class:`PinnedBackend`."""

    def __init__(
        self,
        pins: AddressPins,
        *,
        limits: httpx.Limits,
        inner: httpcore.AsyncNetworkBackend | None = None,  # test seam: what opens the sockets
    ) -> None:
        super().__init__(verify=shared_ssl_context(), limits=limits, trust_env=False)
        backend = PinnedBackend(pins, inner)

        def pool() -> httpcore.AsyncConnectionPool:
            return httpcore.AsyncConnectionPool(
                ssl_context=shared_ssl_context(),
                max_connections=limits.max_connections,
                max_keepalive_connections=limits.max_keepalive_connections,
                keepalive_expiry=limits.keepalive_expiry,
                network_backend=backend,
            )

        self._pool = OriginPools(pool, max_idle=limits.max_keepalive_connections)  # type: ignore[assignment]


class OriginPools:
    """One httpcore connection pool per origin, behind the interface httpx's transport uses.

    httpcore's pool looks at every connection it holds on every request (and polls each idle socket),
    so one pool for a thousand hosts crawled at once costs O(hosts) per request; here a request looks at
    its own origin's connections only.  When more than ``max_idle`` origins have pools, the pools whose
    connections are all idle are closed (a finished portal's host), at most once per ``max_idle // 2``
    new origins.
    """

    def __init__(self, make: Callable[[], httpcore.AsyncConnectionPool], *, max_idle: int | None) -> None:
        self._make = make
        self._max = max_idle or 512
        self._pools: dict[tuple[bytes, bytes, int | None], httpcore.AsyncConnectionPool] = {}
        self._created_since_sweep = 0
        self._sending: Counter[tuple[bytes, bytes, int | None]] = Counter()  # requests not yet answered

    @property
    def pools(self) -> int:
        return len(self._pools)

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        key = (request.url.scheme, request.url.host, request.url.port)
        pool = self._pools.get(key)
        if pool is None:
            if len(self._pools) >= self._max and self._created_since_sweep >= self._max // 2:
                await self._sweep()
            pool = self._pools[key] = self._make()
            self._created_since_sweep += 1
        self._sending[key] += 1
        try:
            return await pool.handle_async_request(request)
        finally:
            self._sending[key] -= 1

    async def _sweep(self) -> None:
        self._created_since_sweep = 0
        for key, pool in list(self._pools.items()):
            if not self._sending[key] and all(connection.is_idle() for connection in pool.connections):
                del self._pools[key]
                await pool.aclose()

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            await pool.aclose()

    async def __aenter__(self) -> OriginPools:
        return self

    async def __aexit__(self, *args: object) -> None:
        await self.aclose()
