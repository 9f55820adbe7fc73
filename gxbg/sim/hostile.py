# ruff: noqa: E501  (page templates read better unwrapped)
"""A hostile-site simulator: crawler traps served on loopback, each beside genuine reports.

Every trap portal is a report column (``/<trap>/index.html``) whose page 1 lists the same three
genuine annual reports (real pages from the simulator's sites, served under ``/<trap>/r/<n>.html``)
and then its trap.  A crawl that cannot be trapped loads the three reports from every portal, in a
bounded number of requests and failure rows, with bounded memory.

=================  ==========================================================================================
trap               what page 1 holds besides the genuine reports
=================  ==========================================================================================
``pager``          ``createPageHTML(999999, …)``: every ``index_N.html`` repeats page 1 (repeated content)
``news-pager``     ``共999999页`` with numbered links: every page N lists 20 new news items, none a report
``links``          100,000 report-titled links (``某某局第k分局2023年…年度报告``) to pages that answer 404
``bomb``           one more report whose page is ``Content-Encoding: gzip, gzip``: a few KB that inflate
                   to gigabytes of zeros
``redirect``       reports whose pages redirect to ``http://0177.0.0.1:<port>/…`` and ``http://2130706433:<port>/…``
``slow``           a report whose page sends its headers, then one byte every ``drip`` seconds (slowloris)
``poison``         a fourth report page whose 表三 holds a 5,000-digit count (Python's int() refuses it)
``deep``           no trap: a genuine 30-page column whose 2019 reports are on page 25 only (the evidence
                   that stops pagers must not stop a year-filtered crawl of a deep column)
``crawl-delay``    served by the second server, whose ``robots.txt`` says ``Crawl-delay: 3600``
=================  ==========================================================================================

Stdlib only; loopback only.  ``sim.requests`` logs ``(server, path)`` of every request, so tests and
``bench/bench_hostile.py`` count requests on the server side.
"""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

__all__ = ["DEEP_YEAR_PAGE", "GENUINE", "POISON_TITLE", "TRAPS", "HostileSim", "bomb_body", "serve_hostile"]

_SITES = Path(__file__).resolve().parent / "sites"

#: The genuine reports on page 1 of every trap portal: (title, site file).
GENUINE: tuple[tuple[str, str], ...] = (
    ("石柱土家族自治县人民政府南宾街道办事处2024年政府信息公开工作年度报告",
     "bj/zwgk/zfxxgk/zfxxgknb/gknb2024/jdxz/202501/t20250116_2011.html"),
    ("淮安市人民政府2024年政府信息公开工作年度报告", "hanweb/art/2025/1/21/art_1229214366_59046498.html"),
    ("银川市市政管理局2020年政府信息公开工作年度报告", "bj/zwgk/zfxxgk/zfxxgknb/gknb2020/202101/t20210129_1501.html"),
)  # fmt: skip

TRAPS = ("pager", "news-pager", "links", "bomb", "redirect", "slow", "poison", "deep", "crawl-delay")
DEEP_PAGES, DEEP_YEAR_PAGE = 30, 25
POISON_TITLE = "石柱土家族自治县人民政府南宾街道办事处2023年政府信息公开工作年度报告"


def bomb_body(inflated: int = 4 << 30) -> bytes:
    """``gzip(gzip(zeros))`` whose inner stream inflates to ``inflated`` bytes, built without
    compressing them: one 1 MiB all-zero deflate block ending in a full flush is byte-aligned and
    independent, so it is repeated; the inner trailer is not checked by anyone who stops in time.

    >>> len(bomb_body(64 << 20)) < 20_000
    True
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    inner = header + block * (inflated >> 20) + final + struct.pack("<II", 0, inflated & 0xFFFFFFFF)
    return gzip.compress(inner, compresslevel=9, mtime=0)


@cache
def _bomb(inflated: int) -> bytes:
    return bomb_body(inflated)


def _page(title: str, body: str) -> bytes:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        f'<body><div class="main"><h2>{title}</h2>{body}</div></body></html>'
    ).encode()


def _items(items: list[tuple[str, str]]) -> str:
    return (
        '<ul class="list">'
        + "".join(
            f'<li><a href="{href}" title="{title}">{title}</a><span>2025-01-16</span></li>'
            for href, title in items
        )
        + "</ul>"
    )


@cache
def _genuine_bodies() -> tuple[bytes, ...]:
    return tuple((_SITES / path).read_bytes() for _, path in GENUINE)


@cache
def _poison() -> bytes:
    """The first genuine report, retitled 2023, its first 表三 count replaced by 5,000 nines."""
    html = _genuine_bodies()[0].decode("utf-8").replace("2024年政府信息公开", "2023年政府信息公开")
    row = html.index("一、本年新收政府信息公开申请数量")
    cell = html.index('<p align="center">', row) + len('<p align="center">')
    end = html.index("</p>", cell)
    return (html[:cell] + "9" * 5000 + html[end:]).encode("utf-8")


@dataclass
class HostileSim:
    """The running simulator: seeds per trap, and every request seen."""

    base_url: str
    delay_url: str  # the Crawl-delay server
    links: int
    pager_count: int
    bomb_inflated: int
    drip: float
    requests: list[tuple[str, str]] = field(default_factory=list)  # (server, path)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def seed(self, trap: str) -> str:
        base = self.delay_url if trap == "crawl-delay" else self.base_url
        return f"{base}/{trap}/index.html"

    def count(self, trap: str, server: str | None = None) -> int:
        """Requests under ``/<trap>/`` (robots.txt not included)."""
        with self.lock:
            return sum(1 for s, p in self.requests if p.startswith(f"/{trap}/") and server in (None, s))


def _listing(sim: HostileSim, trap: str, page: int, port: int) -> bytes:
    genuine = [(f"/{trap}/r/{n}.html", title) for n, (title, _) in enumerate(GENUINE)]
    extra = ""
    items = list(genuine) if page <= 1 else []
    if trap == "pager":
        items = list(genuine)  # every page repeats page 1
        extra = f'<div class="page"><script>createPageHTML({sim.pager_count}, {max(page - 1, 0)}, "index", "html");</script></div>'
    elif trap == "news-pager":
        items += [
            (f"/news-pager/n/{page}_{k}.html", f"关于开展第{page}期政务公开业务培训的通知（{k}）")
            for k in range(20)
        ]
        extra = (f'<div class="page">共{sim.pager_count}页 <a href="index_{page + 1}.html">下一页</a>'
                 f'<a href="index_{sim.pager_count}.html">尾页</a></div>')  # fmt: skip
    elif trap == "links" and page <= 1:
        return _links_listing(sim.links)
    elif trap == "bomb":
        items.append(("/bomb/r/bomb.html", "某某县人民政府2023年政府信息公开工作年度报告"))
    elif trap == "redirect":
        items += [("/redirect/r/octal.html", "某某县人民政府2022年政府信息公开工作年度报告"),
                  ("/redirect/r/integer.html", "某某县人民政府2021年政府信息公开工作年度报告")]  # fmt: skip
    elif trap == "slow":
        items.append(("/slow/r/slow.html", "某某县人民政府2019年政府信息公开工作年度报告"))
    elif trap == "deep":
        year = 2019 if page == DEEP_YEAR_PAGE else 2024
        items = [
            (f"/deep/d/{page}_{k}.html", f"某某局第{page}{k}分局{year}年政府信息公开工作年度报告")
            for k in range(5)
        ]
        extra = f'<div class="page"><script>createPageHTML({DEEP_PAGES}, {page - 1}, "index", "html");</script></div>'
    elif trap == "poison":
        items.insert(0, ("/poison/r/poison.html", POISON_TITLE))  # first: the others come after it
    return _page("政府信息公开年报", _items(items) + extra)


@cache
def _links_listing(links: int) -> bytes:
    genuine = [(f"/links/r/{n}.html", title) for n, (title, _) in enumerate(GENUINE)]
    trap = [(f"/links/d/{k}.html", f"某某局第{k}分局2023年政府信息公开工作年度报告") for k in range(links)]
    return _page("政府信息公开年报", _items(genuine + trap))


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()  # headers and body are separate writes: no Nagle / delayed-ACK 40 ms stalls
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        sim, path = self.server.sim, self.path.split("?", 1)[0]
        with sim.lock:
            sim.requests.append((self.server.name, path))
        port = self.server.server_address[1]
        if path == "/robots.txt":
            if self.server.name == "delay":
                return self._send(200, b"User-agent: *\nCrawl-delay: 3600\n", {"Content-Type": "text/plain"})
            return self._send(404, b"")
        parts = path.strip("/").split("/")
        if len(parts) < 2 or parts[0] not in TRAPS:
            return self._send(404, _page("404", "<p>not found</p>"))
        trap, rest = parts[0], parts[1:]
        if rest[0] == "index.html" or rest[0].startswith("index_"):
            page = int(rest[0][6:].split(".")[0]) if rest[0].startswith("index_") else 1
            return self._send(200, _listing(sim, trap, page, port))
        if trap == "deep" and rest[0] == "d":
            return self._send(200, _genuine_bodies()[0])
        if rest[0] == "r" and len(rest) == 2:
            name = rest[1].split(".")[0]
            if name.isdigit() and int(name) < len(GENUINE):
                return self._send(200, _genuine_bodies()[int(name)])
            if name == "bomb":
                return self._send(200, _bomb(sim.bomb_inflated), {"Content-Encoding": "gzip, gzip"})
            if name in ("octal", "integer"):
                host = "0177.0.0.1" if name == "octal" else "2130706433"
                return self._send(302, b"", {"Location": f"http://{host}:{port}/{trap}/r/0.html"})
            if name == "slow":
                return self._drip()
            if name == "poison":
                return self._send(200, _poison())
        return self._send(404, _page("404", "<p>not found</p>"))

    def _drip(self) -> None:
        """Headers at once, then one byte every ``drip`` seconds until the client goes (or 120 s)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        deadline = time.monotonic() + 120
        try:
            while time.monotonic() < deadline and not self.server.closing.is_set():
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(self.server.sim.drip)
        except OSError:
            pass
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, name: str, sim: HostileSim | None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.name = name
        self.sim: HostileSim = sim  # type: ignore[assignment]  # set right after construction
        self.closing = threading.Event()


@contextmanager
def serve_hostile(
    *, links: int = 100_000, pager_count: int = 999_999, bomb_inflated: int = 4 << 30, drip: float = 0.5
) -> Iterator[HostileSim]:
    """Run the hostile portals on two loopback servers (the second one for Crawl-delay)."""
    main, delay = _Server("main", None), _Server("delay", None)
    sim = HostileSim(
        base_url=f"http://127.0.0.1:{main.server_address[1]}",
        delay_url=f"http://127.0.0.1:{delay.server_address[1]}",
        links=links, pager_count=pager_count, bomb_inflated=bomb_inflated, drip=drip,
    )  # fmt: skip
    main.sim = delay.sim = sim
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in (main, delay)]
    for thread in threads:
        thread.start()
    try:
        yield sim
    finally:
        for server in (main, delay):
            server.closing.set()
            server.shutdown()
            server.server_close()
