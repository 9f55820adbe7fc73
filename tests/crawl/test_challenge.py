"""Challenge, block and stub detection (portals.md §9, §10.H); nothing is ever solved."""

from __future__ import annotations

import pytest

from gxbg.crawl.challenge import RULES, classify_body, classify_stub
from gxbg.kinds import ErrorKind
from gxbg.sim.faults import CHALLENGES, STUBS, page_html


@pytest.mark.parametrize("name", sorted(CHALLENGES))
def test_every_challenge_page_is_blocked(name: str) -> None:
    status, _, body = CHALLENGES[name]
    verdict = classify_body(status, body.encode(), body)
    assert verdict is not None
    assert verdict.kind is ErrorKind.BLOCKED
    assert verdict.reason


def test_rules_are_data() -> None:
    assert {r.name for r in RULES} >= {"rivers_security_js", "jiasule_js", "aliyun_waf", "soft_challenge"}


@pytest.mark.parametrize("status", [412, 521])
def test_challenge_statuses_block_even_without_markers(status: int) -> None:
    verdict = classify_body(status, b"<html></html>", "<html></html>")
    assert verdict is not None
    assert verdict.kind is ErrorKind.BLOCKED


def test_plain_403_and_404_are_not_challenges() -> None:
    body = "<html><body>Forbidden</body></html>"
    assert classify_body(403, body.encode(), body) is None
    assert classify_body(404, body.encode(), body) is None


def test_normal_page_is_not_blocked() -> None:
    html = page_html("某某区2023年政府信息公开工作年度报告")
    assert classify_body(200, html.encode(), html) is None
    assert classify_stub(200, "text/html", html.encode(), html, max_bytes=512) is None


def test_weak_markers_on_a_large_real_page_do_not_block() -> None:
    # a real portal page may set a font-size cookie in its <head>; it is not a challenge
    html = page_html(
        "年度报告", extra="<script>document.cookie='fontsize=16';</script>" + "<p>正文</p>" * 3000
    )
    assert len(html.encode()) > 16_384
    assert classify_body(200, html.encode(), html) is None


def test_markers_beyond_the_first_3kb_are_ignored() -> None:
    html = page_html("年度报告") + "<!--" + "x" * 4000 + "acw_sc__v2 -->"
    assert classify_body(200, html.encode(), html) is None


def test_rivers_markers_only_count_on_412_or_202() -> None:
    html = "<html><head><meta content='x' r=\"m\"></head><body>" + "<p>正文内容</p>" * 50 + "</body></html>"
    assert classify_body(200, html.encode(), html) is None
    verdict = classify_body(412, html.encode(), html)
    assert verdict is not None
    assert verdict.rule == "rivers_security_js"


def test_session_gate_is_a_stub() -> None:
    body = STUBS["illegal"]
    verdict = classify_body(200, body, body.decode())
    assert verdict is not None
    assert verdict.kind is ErrorKind.STUB


@pytest.mark.parametrize("name", ["index_9.html", "empty"])
def test_tiny_html_is_a_stub(name: str) -> None:
    body = STUBS[name]
    verdict = classify_stub(200, "text/html", body, body.decode(), max_bytes=512)
    assert verdict is not None
    assert verdict.kind is ErrorKind.STUB


def test_stub_rule_spares_json_small_pages_with_text_and_can_be_disabled() -> None:
    assert classify_stub(200, "application/json", b"{}", "{}", max_bytes=512) is None
    short_page = "<p>" + "政府信息公开工作年度报告全文见附件" * 3 + "</p>"
    assert classify_stub(200, "text/html", short_page.encode(), short_page, max_bytes=512) is None
    stub = STUBS["index_9.html"]
    assert classify_stub(200, "text/html", stub, stub.decode(), max_bytes=0) is None
