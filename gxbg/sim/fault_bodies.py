# ruff: noqa: E501  (fixture bodies read better unwrapped)
"""The bodies the fault server answers with (data): a report-like page, the charset variants of
portals.md §8, the WAF challenge pages of §10.H, stubs, robots.txt modes and binary files.

:mod:`gxbg.sim.faults` serves them; tests compare what the fetcher made of them with these.
"""

from __future__ import annotations

#: A GBK-only character (not in GB2312) that a strict gb2312 decoder rejects.
GBK_ONLY = "镕"

PAGE_TEXT = (
    "某某县人民政府2023年政府信息公开工作年度报告。本报告依据《中华人民共和国政府信息公开条例》编制，"
    "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
    "存在的主要问题及改进情况、其他需要报告的事项。"
)


def page_html(title: str, *, charset: str = "utf-8", meta: str | None = None, extra: str = "") -> str:
    """A report-like HTML page (well above stub size) with an optional ``<meta>`` charset line."""
    head = meta if meta is not None else f'<meta charset="{charset}">'
    paragraphs = "".join(f"<p>{i}. {PAGE_TEXT}</p>" for i in range(1, 6))
    return f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head><body><h1>{title}</h1>{paragraphs}{extra}</body></html>"


#: The four encodings of portals.md §8, plus an undeclared GBK page: (content-type, meta, codec).
CHARSET_VARIANTS: dict[str, tuple[str, str, str]] = {
    "utf8-header": ("text/html; charset=utf-8", "", "utf-8"),
    "gbk-http-equiv": (
        "text/html",
        '<meta http-equiv="Content-Type" content="text/html; charset=GBK">',
        "gbk",
    ),
    "gb2312-meta": ("text/html", '<meta charset="gb2312">', "gbk"),
    "utf8-misleading-meta": (
        "text/html",
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
        "utf-8",
    ),
    "gbk-undeclared": ("text/html", "", "gbk"),
    "latin1-header-utf8-body": ("text/html; charset=iso-8859-1", "", "utf-8"),
    "latin1-header-gbk-body": ("text/html; charset=iso-8859-1", "", "gbk"),
}
#: The title every charset variant carries (contains a GBK-only character).
CHARSET_TITLE = f"朱{GBK_ONLY}基同志纪念馆2022年政府信息公开工作年度报告"

CHALLENGES: dict[str, tuple[int, dict[str, str], str]] = {
    "rs412": (
        412,
        {"Set-Cookie": "Qx7dKp2bLmO=60a1b2; path=/; HttpOnly"},
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        '<meta id="k3Zq9tLw" content="' + "q" * 130 + '" r="m"></head><body>'
        '<script type="text/javascript" r="m">$_ts=window[\'$_ts\'];if(!$_ts)$_ts={};$_ts.nsd=41275;$_ts.cd="'
        + "z"
        * 300
        + '";</script>'
        '<script type="text/javascript" charset="utf-8" src="/ZqmT3n/Kc7aPq.f3e1a9c.js" r="m"></script></body></html>',
    ),
    "rs202": (
        202,
        {"Set-Cookie": "924omrTVcFchP=0a9; path=/; HttpOnly"},
        '<html><head><meta id="aB9xQ" content="' + "w" * 130 + '" r="m"></head><body>'
        "<script r=\"m\">$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=1;</script></body></html>",
    ),
    "jsl521": (
        521,
        {"Set-Cookie": "__jsluid_h=0a1b2c3d; path=/; HttpOnly"},
        "<script>document.cookie=('_')+('_jsl_clearance')+('=')+('1700000000.1|0|abc')+(';max-age=3600;path=/');"
        "location.href=location.pathname+location.search</script>",
    ),
    "acw200": (
        200,
        {},
        "<html><script>var arg1='3C5F0A9B1D';</script><script>function setCookie(){document.cookie='acw_sc__v2='+x;}</script></html>",
    ),
    "soft200": (
        200,
        {},
        "<html><head><title>安全验证</title></head><body><p>访问异常，请稍候再试。</p>"
        "<noscript>Please enable JavaScript</noscript></body></html>",
    ),
    "denied403": (
        403,
        {},
        "<html><head><title>访问被拒绝</title></head><body><h1>您的访问被拒绝</h1><p>访问异常</p></body></html>",
    ),
}

STUBS: dict[str, bytes] = {
    "illegal": "非法请求 404！".encode(),
    # the 362-byte stub a TRS pager's last index_N page can be
    "index_9.html": (
        b"<html><head><meta charset='utf-8'><title></title></head><body>"
        + b"<div class='list'><ul></ul></div>"
        + b" " * 240
        + b"</body></html>\n"
    ),
    "empty": b"",
}

#: robots.txt modes: None means "answer 404"; an int means "answer with that status".
ROBOTS: dict[str, str | int] = {
    "allow": "User-agent: *\nDisallow: /fault/private/\n",
    "disallow-all": "User-agent: *\nDisallow: /\n",
    "gxbg-disallowed": "User-agent: gxbg\nDisallow: /fault/\n\nUser-agent: *\nDisallow:\n",
    "crawl-delay": "User-agent: *\nCrawl-delay: 0.2\nDisallow: /fault/private/\n",
    "404": 404,
    "500": 500,
}

BINARIES: dict[str, tuple[str, bytes]] = {
    ".pdf": ("application/pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04" + bytes(200),
    ),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff\xe0" + bytes(300)),
}
