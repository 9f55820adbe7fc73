"""Listing pages: items, further pages and subcolumns of one listing body (HTML, XML, JSONP or JSON).

li/a/title lists, table lists, eportal ``[date]`` items, Hanweb data islands and dataproxy
XML/JSONP records, gkmlpt shells and JSON; the pagers are :mod:`gxbg.crawl.pagers`.  Pure
functions over fetched bodies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import lxml.html

from gxbg.crawl.markup import in_chrome, node_text, parse_document
from gxbg.crawl.pagers import PAGER_NAME, PageRequest, Series, gkmlpt_requests, jpage_requests, pager_pages
from gxbg.crawl.titles import normalize_title
from gxbg.crawl.urls import absolute, canonical

__all__ = ["ListItem", "Listing", "parse_listing"]

#: Items read from one listing page; a real column page lists tens to a few hundred.  A hostile page
#: with 100,000 links is read this far and marked ``truncated`` (the crawl records it).
MAX_ITEMS = 2_000
#: Characters of an HTML listing parsed (the items come first; the tree of a 13 MB page is ~150 MB).
MAX_CHARS = 2_000_000

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")
_DIRLIKE = re.compile(r"(/|/(index|list)\.s?html?)$")


@dataclass(frozen=True, slots=True, kw_only=True)
class ListItem:
    url: str  # canonical, absolute
    title: str  # the full title (``title=""`` beats truncated anchor text)
    published: str | None = None  # yyyy-mm-dd


@dataclass(frozen=True, slots=True, kw_only=True)
class Listing:
    items: tuple[ListItem, ...] = ()
    pages: Sequence[PageRequest] = ()  # further pages of the same list (lazy: a pager may claim 999,999)
    subcolumns: tuple[str, ...] = ()  # year / unit subcolumns to recurse into
    truncated: bool = False  # more than MAX_ITEMS items: only the first MAX_ITEMS were read


def _date_near(el: lxml.html.HtmlElement) -> str | None:
    """The date in the anchor, its parent, or (table lists) the anchor's row."""
    parent = el.getparent()
    nodes = [el, parent]
    if parent is not None and parent.tag == "td":
        nodes.append(parent.getparent())
    for node in nodes:
        if node is None:
            continue
        if m := _DATE.search(re.sub(r"\s+", "", node.text_content() or "")):
            return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return None


def _items_from_html(doc: lxml.html.HtmlElement, url: str) -> tuple[list[ListItem], list[str]]:
    """Article-like anchors (in li/td/record fragments, outside chrome) and subcolumn links."""
    items: list[ListItem] = []
    subs: list[str] = []
    here = urlsplit(url).path.rsplit("/", 1)[0] + "/"
    for a in doc.iter("a"):
        target = absolute(a.get("href"), url)
        if target is None or in_chrome(a):
            continue
        anchor, attr = node_text(a), normalize_title(a.get("title") or "")
        title = attr if len(attr) >= len(re.sub(r"(…|\.{2,})$", "", anchor)) else anchor
        path = urlsplit(target).path
        parent = a.getparent()
        if _DIRLIKE.search(path) and not PAGER_NAME.match(path.rsplit("/", 1)[-1]):
            if path.startswith(here) and path != urlsplit(url).path and path.rstrip("/") != here.rstrip("/"):
                subs.append(target)
                continue
            if urlsplit(target).netloc != urlsplit(url).netloc:
                subs.append(target)  # a subcolumn on another host: the scope check decides
                continue
        if parent is None or parent.tag not in ("li", "td", "span", "div", "p", "dd", "file") or not title:
            continue
        if len(items) >= MAX_ITEMS:
            items.append(ListItem(url=target, title=title))  # one past the cap: marks it truncated
            break
        items.append(ListItem(url=target, title=title, published=_date_near(a)))
    return items, subs


def _records(xml_text: str) -> list[str]:
    return re.findall(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", xml_text, re.S)


def _datastore_listing(xml_text: str, url: str) -> Listing:
    items: list[ListItem] = []
    for record in _records(xml_text):
        doc = parse_document(f"<html><body><ul>{record}</ul></body></html>")
        if doc is not None:
            items.extend(_items_from_html(doc, url)[0])
    return Listing(items=tuple(items))


def _gkmlpt_listing(data: dict[str, object], url: str) -> Listing:
    articles = data.get("articles") or []
    assert isinstance(articles, list)
    items = []
    for art in articles:
        target = absolute(str(art.get("url") or ""), url)
        if target:
            items.append(
                ListItem(
                    url=canonical(target),
                    title=normalize_title(str(art.get("title", ""))),
                    published=str(art.get("created_at") or "")[:10] or None,
                )
            )
    pages: Sequence[PageRequest] = ()
    classify = data.get("classify")
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if isinstance(classify, dict) and int(query.get("page", "1")) <= 1 and articles:
        count = int(classify.get("post_count") or 0)
        numbers = range(2, -(-count // len(articles)) + 1)
        pages = Series(
            len(numbers),
            lambda i: PageRequest(
                url=urlunsplit(parts._replace(query=urlencode({**query, "page": numbers[i]})))
            ),
        )
    return Listing(items=tuple(items), pages=pages)


def parse_listing(text: str, url: str) -> Listing:
    """Items, further pages and subcolumns of one listing body (HTML, XML, JSONP or JSON)."""
    stripped = text.lstrip()
    if stripped.startswith("raw(") or stripped.startswith('{"result"'):  # Hanweb JSONP
        inner = (
            stripped[stripped.index("(") + 1 : stripped.rindex(")")]
            if stripped.startswith("raw(")
            else stripped
        )
        try:
            return _datastore_listing(str(json.loads(inner).get("result", "")), url)
        except ValueError:
            return Listing()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except ValueError:
            return Listing()
        return _gkmlpt_listing(data, url) if isinstance(data, dict) else Listing()
    if re.match(r"(<\?xml[^>]*>\s*)?<datastore>", stripped):
        return _datastore_listing(stripped, url)
    cut = len(text) > MAX_CHARS
    if cut:  # a real column page is a few hundred KB; past this only a prefix is parsed
        text = text[:MAX_CHARS]
    doc = parse_document(text)
    if doc is None:
        return Listing()
    island = re.search(r'<script[^>]*type=["\']text/xml["\'][^>]*>(.*?)</script>', text, re.S | re.I)
    if island:
        listing = _datastore_listing(island.group(1), url)
        pages = jpage_requests(text, url, len(_records(island.group(1))))
        return Listing(items=listing.items, pages=pages)
    if "window._CONFIG" in text and "TREE" in text and "DETAIL" not in text:
        return Listing(pages=tuple(gkmlpt_requests(text, url)))  # one per category node: bounded by the page
    items, subs = _items_from_html(doc, url)
    urls = pager_pages(text, doc, url)
    pages = Series(len(urls), lambda i: PageRequest(url=urls[i]))
    truncated = cut or len(items) > MAX_ITEMS
    return Listing(items=tuple(items[:MAX_ITEMS]), pages=pages, subcolumns=tuple(subs), truncated=truncated)
