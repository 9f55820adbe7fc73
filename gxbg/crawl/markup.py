"""HTML helpers shared by discovery: lenient parsing, normalised element text, page-chrome detection.

Pure functions; lxml only.  No knowledge of any portal's layout beyond the chrome markers.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from gxbg.crawl.titles import normalize_title

__all__ = ["in_chrome", "node_text", "parse_document"]

_CHROME = re.compile(r"nav|header|crumb|footer|page|pagination|menu|tools|share", re.I)
_LIST = re.compile(r"list", re.I)


def parse_document(text: str) -> lxml.html.HtmlElement | None:
    """The HTML document (an XML declaration tolerated), or None for an empty or unparsable body."""
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def node_text(el: lxml.html.HtmlElement) -> str:
    """The element's text, normalised as titles are."""
    return normalize_title(el.text_content() or "")


def in_chrome(el: lxml.html.HtmlElement) -> bool:
    """Inside page chrome (nav, header, pager …) — unless an item list (``xxgk_nav_list``) is nearer."""
    for anc in el.iterancestors():
        marker = f"{anc.get('class') or ''} {anc.get('id') or ''}"
        if anc.tag in ("header", "footer", "nav"):
            return True
        if _LIST.search(marker):
            return False
        if marker.strip() and _CHROME.search(marker):
            return True
    return False
