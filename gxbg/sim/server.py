# ruff: noqa: E501  (templates and fixture data read better unwrapped)
"""The simulator's HTTP server: static site files plus the code-served endpoints, on loopback only.

Static files come from ``gxbg/sim/sites/`` (a directory path serves its ``index.html``; the query
string is ignored).  Dynamic endpoints, driven by ``sites/dynamic.json``: the Hanweb
``dataproxy.jsp`` POST pager (XML, or JSONP on the old ``/module/jpage/`` path), the gkmlpt JSON
API (page 0 == page 1), iList ``cur_page`` pages, Hanweb ``downfile.jsp`` (302 to ``/attach/``),
the Epoint WebBuilder ``getGovInfoDetail`` POST (JSON detail of an SPA shell),
301/404 roots and challenge responses.  In the ``full`` profile the fetch fault endpoints of
:mod:`gxbg.sim.faults` are mounted under their own ``/fault/`` prefix.  Static files carry a strong
``ETag`` and a fixed ``Last-Modified`` and answer a matching conditional GET with ``304``
(:mod:`gxbg.sim.conditional`).  Every request is recorded (method, path, host, headers, body, and
the response status once it is sent) so tests can assert on the server side.  Responses never declare a charset in HTTP: pages
carry it in ``<meta>`` as real legacy portals do.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from gxbg.sim import conditional
from gxbg.sim import faults as fault_endpoints

SITES = Path(__file__).resolve().parent / "sites"
_TYPES = {".html": "text/html", ".shtml": "text/html", ".htm": "text/html", ".jsp": "text/html",
          ".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          ".doc": "application/msword",
          ".jpg": "image/jpeg", ".json": "application/json", "": "text/html"}  # fmt: skip
CHALLENGE_412 = (
    '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    '<meta id="k3Zq9tLw" content="' + "x" * 120 + '" r="m"></head><body>'
    '<script type="text/javascript" r="m">$_ts=window[\'$_ts\'];if(!$_ts)$_ts={};$_ts.nsd=41275;$_ts.cd="qqqq";</script>'
    '<script type="text/javascript" charset="utf-8" src="/ZqmT3n/Kc7aPq.f3e1a9c.js" r="m"></script></body></html>'
)


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request as the server saw it."""

    server: str  # "main" | "other"
    method: str
    path: str  # path + query
    host: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    status: int | None = None  # the response status; None until sent (or for raw fault responses)


class SimServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        addr: tuple[str, int],
        label: str,
        log: list[RequestRecord],
        lock: threading.Lock,
        faults: fault_endpoints.FaultState | None = None,
    ) -> None:
        super().__init__(addr, Handler)
        self.faults = faults  # the mounted fault endpoints (full profile only)
        self.label = label
        self.log = log
        self.lock = lock
        self.other_origin = ""
        self.dynamic: dict[str, Any] = json.loads((SITES / "dynamic.json").read_text(encoding="utf-8"))


class Handler(BaseHTTPRequestHandler):
    server: SimServer
    protocol_version = "HTTP/1.1"

    _logged: tuple[int, RequestRecord] | None = None  # this request's place in the log, and its record

    def log_message(self, format: str, *args: object) -> None:
        return

    def setup(self) -> None:
        """No Nagle: headers and body go out as separate writes, and with Nagle on every keep-alive
        response after the first stalls ~40 ms for the client's delayed ACK (benchmarks measured it)."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _record(self, body: bytes) -> None:
        rec = RequestRecord(self.server.label, self.command, self.path, self.headers.get("Host", ""),
                            {k.lower(): v for k, v in self.headers.items()}, body)  # fmt: skip
        with self.server.lock:
            self._logged = (len(self.server.log), rec)
            self.server.log.append(rec)

    def send_response(self, code: int, message: str | None = None) -> None:
        """Send the status line and note the status on this request's log record."""
        if self._logged is not None:
            (index, rec), log = self._logged, self.server.log
            with self.server.lock:
                if index < len(log) and log[index] is rec:  # a test may have cleared the log meanwhile
                    log[index] = replace(rec, status=code)
            self._logged = None
        super().send_response(code, message)

    def _send(
        self, status: int, body: bytes, ctype: str = "text/html", extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def _fault(self) -> bool:
        """Hand ``/fault/…`` to the mounted fault endpoints (they read any request body themselves)."""
        state = self.server.faults
        if state is None or not self.path.startswith(fault_endpoints.PREFIX):
            return False
        self._record(b"")
        return fault_endpoints.handle_fault(self, state)

    def do_GET(self) -> None:
        if self._fault():
            return
        self._record(b"")
        self._dispatch({})

    def do_POST(self) -> None:
        if self._fault():
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self._record(body)
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        self._dispatch(form)

    def _dispatch(self, form: dict[str, str]) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
        dyn = self.server.dynamic
        if path in dyn["redirects"]:
            return self._send(301, b"", extra={"Location": dyn["redirects"][path]})
        if path in dyn["challenges"]:
            return self._send(
                412, CHALLENGE_412.encode(), extra={"Set-Cookie": "Qx7dKp2bLmO=60a1; path=/; HttpOnly"}
            )
        if path.endswith("/dataproxy.jsp"):
            return self._jpage(path, {**query, **form})
        if m := re.search(r"/gkmlpt/api/all/(\d+)$", path):
            return self._gkmlpt(m.group(1), query)
        if path.endswith("/iList.jsp"):
            key = f"{path}?cur_page={query.get('cur_page', '1')}"
            if key in dyn["ilist"]:
                return self._static(dyn["ilist"][key])
            return self._send(404, b"<html><body>404</body></html>")
        if path in dyn.get("epoint", {}):
            return self._epoint(path, form)
        if path.endswith("/downfile.jsp") and "filename" in query:
            prefix = path.split("/module/")[0]
            return self._send(302, b"", extra={"Location": f"{prefix}/attach/0/{query['filename']}"})
        if path == "/":
            return self._send(200, "<html><body><p>模拟门户</p></body></html>".encode())
        return self._static(path)

    def _static(self, path: str) -> None:
        rel = path.lstrip("/")
        target = (SITES / rel).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not str(target).startswith(str(SITES)) or not target.is_file() or target.name.endswith(".json"):
            return self._send(404, b"<html><body><h1>404 Not Found</h1></body></html>",
                              "text/html; charset=iso-8859-1")  # fmt: skip
        data = target.read_bytes()
        ctype = _TYPES.get(target.suffix, "application/octet-stream")
        if ctype.startswith("text/"):
            data = data.replace(b"__OTHER__", self.server.other_origin.encode())
        validators = {"ETag": conditional.etag_for(data), "Last-Modified": conditional.LAST_MODIFIED}
        if conditional.is_not_modified(self.command, validators["ETag"], self.headers.get("If-None-Match"),
                                       self.headers.get("If-Modified-Since")):  # fmt: skip
            self.send_response(304)
            for key, value in validators.items():
                self.send_header(key, value)
            self.end_headers()
            return
        self._send(200, data, ctype, validators)

    def _jpage(self, path: str, params: dict[str, str]) -> None:
        column = self.server.dynamic["jpage"].get(params.get("columnid", ""))
        if column is None:
            return self._send(200, b"<datastore><totalrecord>0</totalrecord></datastore>", "text/xml")
        records: list[str] = column["records"]
        per = int(params.get("perpage", "15") or 15)
        start = max(1, int(params.get("startrecord", "1") or 1))
        end = min(len(records), int(params.get("endrecord", str(start + per - 1)) or start))
        chunk = "".join(f"<record><![CDATA[{r}]]></record>" for r in records[start - 1 : end])
        pages = -(-len(records) // per)
        xml = (f'<?xml version="1.0" encoding="utf-8"?>\n<datastore><totalrecord>{len(records)}</totalrecord>'
               f"<totalpage>{pages}</totalpage>\n<recordset>{chunk}</recordset></datastore>")  # fmt: skip
        if column["jsonp"] or "/module/jpage/" in path:
            return self._send(
                200, f"raw({json.dumps({'result': xml}, ensure_ascii=False)})".encode(), "text/javascript"
            )
        self._send(200, xml.encode(), "text/xml")

    def _epoint(self, path: str, form: dict[str, str]) -> None:
        """Epoint ``getGovInfoDetail``: POST ``params={"infoid": …}`` → ``{"custom": {"status", "data"}}``."""
        if self.command != "POST":
            return self._send(405, b'{"error": "POST only"}', "application/json", {"Allow": "POST"})
        try:
            infoid = str(json.loads(form.get("params", "")).get("infoid", ""))
        except (ValueError, AttributeError):
            infoid = ""
        answer = self.server.dynamic["epoint"][path].get(
            infoid, {"custom": {"status": "false", "data": None}}
        )
        self._send(200, json.dumps(answer, ensure_ascii=False).encode(), "application/json;charset=utf-8")

    def _gkmlpt(self, cat: str, query: dict[str, str]) -> None:
        data = self.server.dynamic["gkmlpt"].get(cat)
        if data is None:
            return self._send(404, b'{"error": "no such category"}', "application/json")
        size = int(data["page_size"])
        page = max(1, int(query.get("page", "1") or 1))  # page 0 == page 1
        host = self.headers.get("Host", "")
        articles = [{**art, "url": art["url"].replace("__MAIN__", host)}
                    for art in data["articles"][(page - 1) * size : page * size]]  # fmt: skip
        body = {"classify": {"id": int(cat), "name": data["name"], "post_count": len(data["articles"])},
                "articles": articles}  # fmt: skip
        self._send(200, json.dumps(body, ensure_ascii=False).encode(), "application/json")
