"""Pagers: the further pages of a listing, in every style discovery knows.

TRS ``createPageHTML``, Shanghai ``totalPage``, numbered ``index_N`` / ``home_N`` / ``page_N`` links,
iList ``cur_page``, next/last anchors with a ``共N页`` total, Hanweb jpage ``dataproxy.jsp`` POSTs and
the gkmlpt category API.  Pure functions: they name requests; :mod:`gxbg.crawl.site` sends them.

A pager's count is the site's word, and a hostile one says ``createPageHTML(999999)``: numbered
pages are a :class:`Series`, built one URL at a time as the crawl asks for them (the crawl stops
asking on evidence: :mod:`gxbg.crawl.site`), never a list of every page up front.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar, overload
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html

from gxbg.crawl import vocab
from gxbg.crawl.markup import node_text
from gxbg.crawl.titles import normalize_title
from gxbg.crawl.urls import absolute

__all__ = [
    "PAGER_NAME", "PageRequest", "Series", "chain", "gkmlpt_requests", "jpage_requests", "page_range",
    "pager_pages",
]  # fmt: skip

T = TypeVar("T")
U = TypeVar("U")


class Series(Sequence[T]):
    """A read-only sequence whose items are made when asked (``at(i)``), so a pager's claimed
    999,999 pages cost nothing until the crawl requests them.

    >>> pages = Series(999_999, lambda k: f"index_{k + 1}.html")
    >>> len(pages), pages[0], pages[-1], list(pages[1:3])
    (999999, 'index_1.html', 'index_999999.html', ['index_2.html', 'index_3.html'])
    """

    __slots__ = ("_at", "_len")

    def __init__(self, length: int, at: Callable[[int], T]) -> None:
        self._len, self._at = max(0, length), at

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        if isinstance(index, slice):
            picked = range(self._len)[index]
            return Series(len(picked), lambda i: self._at(picked[i]))
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError(index)
        return self._at(index)

    def __iter__(self) -> Iterator[T]:
        return (self._at(i) for i in range(self._len))

    def map(self, fn: Callable[[T], U]) -> Series[U]:
        return Series(self._len, lambda i: fn(self._at(i)))

    def __repr__(self) -> str:
        return f"Series({self._len} items)"


def chain(parts: Sequence[Sequence[T]]) -> Series[T]:
    """The parts one after another, lazily.

    >>> list(chain([["a"], Series(2, str), []]))
    ['a', '0', '1']
    """
    parts = [p for p in parts if len(p)]
    ends: list[int] = []
    for part in parts:
        ends.append((ends[-1] if ends else 0) + len(part))

    def at(i: int) -> T:
        k = bisect.bisect_right(ends, i)
        return parts[k][i - (ends[k - 1] if k else 0)]

    return Series(ends[-1] if ends else 0, at)


PAGER_NAME = re.compile(r"^(index|list|home|page)_(\d+)\.(s?html?)$")
_NEXT_OR_LAST = frozenset(vocab.NEXT_PAGE + vocab.LAST_PAGE)


@dataclass(frozen=True, slots=True, kw_only=True)
class PageRequest:
    """One request for a listing page (GET, or POST with form fields)."""

    url: str
    method: str = "GET"
    data: tuple[tuple[str, str], ...] = ()  # form fields for POST


def jpage_requests(text: str, url: str, have: int) -> Sequence[PageRequest]:
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
    last, step = int(total.group(1)), max(1, per * 3)
    starts = range(have + 1, last + 1, step)

    def request(i: int) -> PageRequest:
        start = starts[i]
        query = urlencode({"startrecord": start, "endrecord": min(start + step - 1, last), "perpage": per})
        return PageRequest(url=f"{endpoint}?{query}", method="POST", data=tuple(form))

    return Series(len(starts), request)


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


def pager_pages(text: str, doc: lxml.html.HtmlElement, url: str) -> Sequence[str]:
    """URLs of the listing's other pages named by its pager (any style above but the APIs)."""
    parts = urlsplit(url)
    directory = parts.path.rsplit("/", 1)[0] + "/"
    out: list[str] = []
    series: list[Sequence[str]] = []  # numbered pages, made one at a time when asked
    if m := re.search(
        r"createPage(?:HTML)?\(\s*(\w+)\s*,\s*(\w+)\s*,\s*['\"](\w+)['\"]\s*,\s*['\"](\w+)['\"]", text
    ):
        count = m.group(1)
        if not count.isdigit() and (v := re.search(rf"var\s+{count}\s*=\s*(\d+)", text)):
            count = v.group(1)
        if count.isdigit():
            template = f"{_braces(directory)}{_braces(m.group(3))}_{{}}.{_braces(m.group(4))}"
            series.append(_numbered(range(1, int(count)), url, template))
    if m := re.search(r"totalPage\s*:\s*(\d+)", text):  # Shanghai: index_2 … index_N (1-based)
        stem, _, ext = parts.path.rsplit("/", 1)[-1].partition(".")
        template = f"{_braces(stem.split('_')[0])}_{{}}.{_braces(ext or 'html')}"
        series.append(_numbered(range(2, int(m.group(1)) + 1), url, template))
    numbered: dict[tuple[str, str], set[int]] = {}
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip()
        tail = href.split("#", 1)[0].split("?", 1)[0].rsplit("/", 1)[-1]
        if not (PAGER_NAME.match(tail) or "cur_page" in href) and node_text(a) not in _NEXT_OR_LAST:
            continue  # cheap test first: a hostile listing may hold 100,000 item links
        target = absolute(href, url)
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
    later: list[Sequence[str]] = []
    for (template, kind), numbers in numbered.items():
        low, high = page_range(numbers, int(total.group(1)) if total else None, query=kind == "q")
        later.append(_numbered(range(low, high + 1), url, template))
    return chain([*series, out, *later])


def _braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _numbered(numbers: range, base: str, template: str) -> Series[str]:
    """``urljoin(base, template.format(k))`` for each k in ``numbers``, made when asked."""

    def at(i: int) -> str:
        return urljoin(base, template.format(numbers[i]))

    return Series(len(numbers), at)


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
