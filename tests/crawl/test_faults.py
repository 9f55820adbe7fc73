"""The fault server itself: loopback only, counters, robots modes, mountable handler."""

from __future__ import annotations

import http.client

import pytest

from gxbg.sim.faults import ROBOTS, FaultState, handle_fault, serve_faults


def get(base_url: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    host, port = base_url.removeprefix("http://").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def test_refuses_non_loopback_bind() -> None:
    with pytest.raises(ValueError, match="loopback"), serve_faults(host="0.0.0.0"):
        pass


def test_burst_counts_per_key() -> None:
    with serve_faults() as srv:
        statuses = [get(srv.base_url, "/fault/burst/2/k")[0] for _ in range(3)]
        assert statuses == [500, 500, 200]
        assert get(srv.base_url, "/fault/burst/2/other")[0] == 500  # a fresh key starts over
        assert srv.state.count("/fault/burst/2/k") == 3


def test_retry_after_header_forms() -> None:
    with serve_faults() as srv:
        status, headers, _ = get(srv.base_url, "/fault/retry-after/7/a")
        assert status == 429
        assert headers["retry-after"] == "7"
        status, headers, _ = get(srv.base_url, "/fault/retry-after-date/7/b")
        assert status == 429
        assert headers["retry-after"].endswith("GMT")


@pytest.mark.parametrize("mode", sorted(ROBOTS))
def test_robots_modes(mode: str) -> None:
    with serve_faults(robots=mode) as srv:
        status, _, body = get(srv.base_url, "/robots.txt")
        rule = ROBOTS[mode]
        assert status == (rule if isinstance(rule, int) else 200)
        if isinstance(rule, str):
            assert body.decode() == rule


def test_etag_and_gzip_shapes() -> None:
    with serve_faults() as srv:
        status, headers, _ = get(srv.base_url, "/fault/etag")
        assert status == 200
        assert get(srv.base_url, "/fault/etag", {"If-None-Match": headers["etag"]})[0] == 304
        _, headers, body = get(srv.base_url, "/fault/gzip")  # no Accept-Encoding sent
        assert headers["content-encoding"] == "gzip"
        assert body[:2] == b"\x1f\x8b"


def test_handle_fault_ignores_other_paths() -> None:
    class Fake:
        path = "/zwgk/index.html"

    assert handle_fault(Fake(), FaultState()) is False  # type: ignore[arg-type]
