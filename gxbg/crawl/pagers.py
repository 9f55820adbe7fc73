"""Pagers: the further pages of a listing, in every style discovery knows.

TRS ``createPageHTML``, Shanghai ``totalPage``, numbered ``index_N`` / ``home_N`` / ``page_N`` links,
iList ``cur_page``, next/last anchors with a ``共N页`` total, Hanweb jpage ``dataproxy.jsp`` POSTs and
the gkmlpt category API.  Pure functions: they name requests; :mod:`gxbg.crawl.site` sends them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html

from gxbg.crawl import vocab
from gxbg.crawl.markup import node_text
from gxbg.crawl.titles import normalize_title
from gxbg.crawl.urls import absolute

__all__ = ["PAGER_NAME", "PageRequest", "gkmlpt_requests", "jpage_requests", "page_range", "pager_pages"]

PAGER_NAME = re.compile(r"^(index|list|home|page)_(\d+)\.(s?html?)$")


@dataclass(frozen=True, slots=True, kw_only=True)
class PageRequest:
    """One request for a listing page (GET, or POST with form fields)."""

    url: str
    method: str = "GET"
    data: tuple[tuple[str, str], ...] = ()  # form fields for POST


def jpage_requests(text: str, url: str, have: int) -> list[PageRequest]:
    """The dataproxy.jsp POSTs for records after the ``have`` ones in the data island."""
    total = re.search(r"totalRecord\s*:\s*(\d+)", text)
    proxy = re.search(r"proxyUrl\s*:\s*['\"]([^'\"]+)", text)
    if not total or not proxy:
        return []
    per = int(m.group(1)) if (m := re.search(r"perPage\s*:\s*(\d+)", text)) else 15
    params = re.search(r"ajaxParam\s*:\s*\{([^}]*)\}", text)
    form: list[tuple[str, str]] = []
    for key, value in re.findall(
        r"(\w+)\s*:\s*('[^']*'|\"[^\"]*\"|[^,\s]+)", params.group(1) if params else ""
    ):
        form.append((key, value.strip("'\"")))
    endpoint = urljoin(url, proxy.group(1))
    out = []
    for start in range(have + 1, int(total.group(1)) + 1, per * 3):
        end = min(start + per * 3 - 1, int(total.group(1)))
        query = urlencode({"startrecord": start, "endrecord": end, "perpage": per})
        out.append(PageRequest(url=f"{endpoint}?{query}", method="POST", data=tuple(form)))
    return out


def gkmlpt_requests(text: str, url: str) -> list[PageRequest]:
    """The API requests for the report categories of a gkmlpt shell's ``window._CONFIG.TREE``."""
    sid = re.search(r"SID\s*:\s*['\"]?(\w+)", text)
    tree = re.search(r"TREE\s*:\s*(\[.*?\])\s*,\s*\w+\s*:", text, re.S)
    if not sid or not tree:
        return []
    try:
        nodes = json.loads(tree.group(1))
    except ValueError:
        return []
    out: list[PageRequest] = []
    stack = list(nodes)
    while stack:
        node = stack.pop(0)
        stack.extend(node.get("children") or [])
        if any(w in normalize_title(str(node.get("name", ""))) for w in vocab.REPORT_CATEGORY):
            base = urljoin(url, f"api/all/{node['id']}")
            out.append(PageRequest(url=f"{base}?page=1&sid={sid.group(1)}"))
    return out


def pager_pages(text: str, doc: lxml.html.HtmlElement, url: str) -> list[str]:
    """URLs of the listing's other pages named by its pager (any style above but the APIs)."""
    parts = urlsplit(url)
    directory = parts.path.rsplit("/", 1)[0] + "/"
    out: list[str] = []
    if m := re.search(
        r"createPage(?:HTML)?\(\s*(\w+)\s*,\s*(\w+)\s*,\s*['\"](\w+)['\"]\s*,\s*['\"](\w+)['\"]", text
    ):
        count = m.group(1)
        if not count.isdigit() and (v := re.search(rf"var\s+{count}\s*=\s*(\d+)", text)):
            count = v.group(1)
        if count.isdigit():
            out += [urljoin(url, f"{directory}{m.group(3)}_{k}.{m.group(4)}") for k in range(1, int(count))]
    if m := re.search(r"totalPage\s*:\s*(\d+)", text):  # Shanghai: index_2 … index_N (1-based)
        stem, _, ext = parts.path.rsplit("/", 1)[-1].partition(".")
        out += [
            urljoin(url, f"{stem.split('_')[0]}_{k}.{ext or 'html'}") for k in range(2, int(m.group(1)) + 1)
        ]
    numbered: dict[tuple[str, str], set[int]] = {}
    for a in doc.iter("a"):
        target = absolute(a.get("href"), url)
        if target is None:
            continue
        label = node_text(a)
        tpath = urlsplit(target)
        name = tpath.path.rsplit("/", 1)[-1]
        if pm := PAGER_NAME.match(name):
            stem = tpath.path.rsplit("/", 1)[0] + f"/{pm.group(1)}_{{}}.{pm.group(3)}"
            template = urlunsplit(tpath._replace(path=stem, query="", fragment=""))
            numbered.setdefault((template, ""), set()).add(int(pm.group(2)))
        q = dict(parse_qsl(tpath.query))
        if "cur_page" in q and q["cur_page"].isdigit():
            template = urlunsplit(
                tpath._replace(query=urlencode({**q, "cur_page": "{}"}).replace("%7B%7D", "{}"))
            )
            numbered.setdefault((template, "q"), set()).add(int(q["cur_page"]))
        if label in vocab.NEXT_PAGE + vocab.LAST_PAGE:
            out.append(target)
    total = re.search(r"共\s*(\d+)\s*页", re.sub(r"<[^>]+>", "", text))
    for (template, kind), numbers in numbered.items():
        low, high = page_range(numbers, int(total.group(1)) if total else None, query=kind == "q")
        for k in range(low, high + 1):
            out.append(urljoin(url, template.format(k)))
    return out


def page_range(numbers: set[int], total: int | None, *, query: bool) -> tuple[int, int]:
    """Page numbers to request for a numbered pager, from the links seen and a ``共N页`` total.

    Query pagers (``cur_page``) are 1-based.  Path pagers whose links include ``_0`` or ``_1``
    name page k as ``_{k-1}`` (TRS ``index_1``, gov.cn ``home_0``: the last is ``N-1``); those
    starting at ``_2`` name page k as ``_k`` (Kunming, Shanghai: the last is ``N``).

    >>> page_range({2}, 3, query=True), page_range({1}, 2, query=False), page_range({0}, 2, query=False)
    ((1, 3), (1, 1), (1, 1))
    >>> page_range({2, 3}, 3, query=False), page_range({1, 2}, 7, query=False)
    ((2, 3), (1, 6))
    >>> page_range({4}, None, query=False)
    (2, 4)
    """
    high = max(numbers)
    if query:
        return 1, max(high, total or 0)
    if min(numbers) <= 1:
        return 1, max(high, (total or 0) - 1)
    return 2, max(high, total or 0)
