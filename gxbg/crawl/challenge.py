"""Recognise anti-bot challenges, block pages and stubs, so they are never parsed as reports.

The shapes come from the portals reference §9 and §10.H: 瑞数 (Rivers Security) answers 412 or
202 with a small page carrying ``$_ts`` and ``r="m"`` scripts; 加速乐 (Jiasule) answers 521 with
a script setting ``__jsl_clearance``; Aliyun WAF and soft challenges answer 200 with
``acw_sc__v2`` or a short "please wait / verify" page; IP fencing answers 403 "访问被拒绝"; a
Zhejiang session gate answers 200 ``非法请求 404！``; pagers end in tiny stub pages.

The rules are data (:data:`RULES`); :func:`classify_body` only applies them.  Nothing here
tries to solve a challenge, and nothing ever should (Criminal Law Art. 285).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gxbg.crawl import vocab
from gxbg.kinds import ErrorKind

#: Only the start of a body is inspected (challenge pages put their markers up front).
HEAD_BYTES = 3072
#: Weak markers ("请稍候", "document.cookie", ...) also occur on real pages; they count only on
#: small bodies, which is what challenge pages are.
WEAK_MAX_BYTES = 16_384


@dataclass(frozen=True, slots=True)
class Rule:
    """A body marker: ``needles`` (any of) seen in the first 3 KB under one of ``statuses``."""

    name: str
    kind: ErrorKind
    statuses: frozenset[int] | None  # None: any status
    needles: tuple[str, ...]
    weak: bool = False  # only on bodies up to WEAK_MAX_BYTES


_OK = frozenset({200, 202, 203})

RULES: tuple[Rule, ...] = (
    Rule("rivers_security_js", ErrorKind.BLOCKED, frozenset({412, 202}), ("$_ts", 'r="m"', "r='m'")),
    Rule("jiasule_js", ErrorKind.BLOCKED, None, ("_jsl_clearance",)),
    Rule("aliyun_waf", ErrorKind.BLOCKED, None, ("acw_sc__v2",)),
    Rule("ip_denied", ErrorKind.BLOCKED, frozenset({403}), ("访问被拒绝", "拒绝访问", "Access Denied")),
    Rule(
        "soft_challenge",
        ErrorKind.BLOCKED,
        _OK | frozenset({403, 412, 521}),
        ("安全验证", "访问异常", "Please enable JavaScript", "请开启JavaScript", "document.cookie", "请稍候"),
        weak=True,
    ),
    Rule("session_gate", ErrorKind.STUB, _OK, ("非法请求",)),
)

#: Statuses that are challenges even when no marker is recognised.
CHALLENGE_STATUSES = {412: "HTTP 412 (JS challenge status)", 521: "HTTP 521 (JS challenge status)"}

_TAG_RE = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]*>", re.S | re.I)


def visible_text_length(html: str) -> int:
    """Characters left after dropping tags, scripts, styles and whitespace.

    >>> visible_text_length("<html><script>var a=1;</script><p> 年 报 </p></html>")
    2
    """
    return len("".join(_TAG_RE.sub(" ", html).split()))


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why a response is not a usable page."""

    kind: ErrorKind
    rule: str
    reason: str


def classify_body(status: int, body: bytes, text: str | None) -> Verdict | None:
    """Return a BLOCKED/STUB verdict when the response is a challenge or block page."""
    head = text[:HEAD_BYTES] if text is not None else body[:HEAD_BYTES].decode("utf-8", "replace")
    for rule in RULES:
        if rule.statuses is not None and status not in rule.statuses:
            continue
        if rule.weak and len(body) > WEAK_MAX_BYTES:
            continue
        hit = next((n for n in rule.needles if n in head), None)
        if hit is not None:
            return Verdict(rule.kind, rule.name, f"{rule.name}: HTTP {status} body contains {hit!r}")
    if status in CHALLENGE_STATUSES:
        return Verdict(ErrorKind.BLOCKED, "challenge_status", CHALLENGE_STATUSES[status])
    return None


def is_page_media(content_type: str | None) -> bool:
    """True when the response claims to be an HTML page (or says nothing).

    >>> [is_page_media(c) for c in ("text/html; charset=gbk", None, "application/json", "text/xml")]
    [True, True, False, False]
    """
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media in {"", "text/html", "application/xhtml+xml", "text/plain"}


def is_spa_shell(text: str) -> bool:
    """The page carries every marker of a known SPA shell (:data:`gxbg.crawl.vocab.SPA_SHELLS`):
    tiny and textless by design, its report comes from a JSON API, so it is no stub.

    >>> is_spa_shell('<script>var siteInfo = {projectName: "/p"};</script><div id="info_spnContent">')
    True
    """
    return any(all(marker in text for marker in shell.markers) for shell in vocab.SPA_SHELLS)


def classify_stub(
    status: int, content_type: str | None, body: bytes, text: str, *, max_bytes: int
) -> Verdict | None:
    """A STUB verdict for an empty or tiny HTML body where a page was expected (2xx only)."""
    if not 200 <= status < 300 or not is_page_media(content_type) or max_bytes <= 0:
        return None
    if not body.strip():
        return Verdict(ErrorKind.STUB, "empty_body", f"HTTP {status} with an empty body")
    if len(body) < max_bytes and visible_text_length(text) < 40 and not is_spa_shell(text):
        return Verdict(ErrorKind.STUB, "tiny_body", f"HTTP {status} stub: {len(body)} bytes, almost no text")
    return None
