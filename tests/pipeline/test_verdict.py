"""What a harvest summary means: failed portals, causes in words, exit codes."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from gxbg.errors import HarvestFailedError
from gxbg.pipeline.verdict import (
    all_failed,
    cause,
    describe,
    exit_code,
    failed_portals,
    failure_counts,
)


def _summary(*rows: dict[str, Any], errors: list[str] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    portals = [{"portal": "p", "loaded": 0, "unchanged": 0, "errors": 0, **row} for row in rows]
    return {
        "portals": portals,
        "totals": {"errors": sum(p["errors"] for p in portals)},
        "errors": [{"portal": "x", "url": "u", "reason": reason} for reason in errors],
    }


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("discover: connection: connection refused: ConnectError: All attempts failed", "connection refused"),
        ("discover: connection: ConnectError: [Errno -2] Name or service not known", "DNS lookup failed"),
        ("fetch: connection: ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] verify failed", "TLS error"),
        ("fetch: timeout: ReadTimeout: timed out", "timeout"),
        ("fetch: robots: disallowed by robots.txt for this user agent", "disallowed by robots.txt"),
        ("fetch: blocked: WAF challenge page (JS cookie)", "blocked by a challenge page"),
        ("discover: stub: no annual-report column found from the seed", "no annual-report column found"),
        ("discover: out_of_scope: 'ftp://x/': only http and https are crawled", "not an http(s) URL"),
        ("fetch: http_5xx: HTTP 503", "HTTP 503"),
        ("discover: out_of_scope: http://…@h…: credentials in a seed URL", "credentials in the seed URL"),
        ("fetch: out_of_scope: SSRF guard: 10.0.0.1 is a private address", "private address refused"),
    ],
)  # fmt: skip
def test_causes_in_words(reason: str, words: str) -> None:
    assert cause(reason) == words


def test_a_portal_fails_only_when_it_loaded_nothing_and_had_errors() -> None:
    summary = _summary(
        {"portal": "dead", "errors": 1},
        {"portal": "partly", "errors": 2, "loaded": 3},
        {"portal": "quiet"},  # no report this year, no error: not a failure
        {"portal": "same", "errors": 1, "unchanged": 2},
    )
    assert failed_portals(summary) == ["dead"]
    assert not all_failed(summary)
    assert exit_code(summary) == 1  # 4 failed pages > --max-errors 0
    assert exit_code(summary, max_errors=4) == 0
    assert exit_code(summary, max_errors=3) == 1


def test_every_portal_failed_is_exit_1_whatever_max_errors() -> None:
    summary = _summary({"portal": "a", "errors": 1}, {"portal": "b", "errors": 1})
    assert all_failed(summary)
    assert exit_code(summary, max_errors=100) == 1
    assert exit_code(_summary({"portal": "a", "loaded": 1})) == 0
    assert not all_failed(_summary())  # no portals: nothing failed


def test_describe_names_portals_and_counts_causes() -> None:
    summary = _summary(
        {"portal": "a", "errors": 2},
        {"portal": "b", "loaded": 1},
        errors=["fetch: http_4xx: HTTP 404", "discover: connection: connection refused: ConnectError: x"],
    )
    assert describe(summary) == "1 of 2 portals failed (a); 2 pages failed: 1 HTTP 404, 1 connection refused"
    assert failure_counts(_summary(errors=["fetch: http_4xx: HTTP 404"])) == "1 page failed: 1 HTTP 404"


def test_harvest_failed_carries_its_summary_through_pickling() -> None:
    error = HarvestFailedError("1 of 1 portal failed", _summary({"portal": "a", "errors": 1}))
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == "1 of 1 portal failed"
    assert again.summary == error.summary
