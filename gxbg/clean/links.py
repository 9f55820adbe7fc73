"""Attachment and image links of a report page, as absolute URLs.

Owns recognising a link to a report file (pdf/doc/docx/wps…, Hanweb ``downfile.jsp``, gkmlpt
``/attachment/``, iList ``<file href>``) and resolving it against the page URL.  Never fetches.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qs, urljoin, urlsplit

from lxml import html as lxml_html

from gxbg.clean import selectors


def is_attachment(href: str) -> bool:
    """A link to a report file or a download gateway.

    >>> [is_attachment(h) for h in ("./P020240129512345678901.pdf", "/a/b.WPS?x=1", "x.html",
    ...  "/module/download/downfile.jsp?classid=0&filename=4e59.pdf", "show.jsp?filename=a.docx")]
    [True, True, False, True, True]
    """
    parts = urlsplit(href.strip())
    path = parts.path.lower()
    if path.endswith(selectors.ATTACHMENT_EXTENSIONS) or any(
        g in path for g in selectors.ATTACHMENT_GATEWAYS
    ):
        return True
    names = parse_qs(parts.query).get("filename", [])
    return any(name.lower().endswith(selectors.ATTACHMENT_EXTENSIONS) for name in names)


def _absolute(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("javascript:", "mailto:", "data:", "#")):
        return None
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def _unique(urls: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(url for url in urls if url))


def base_url(doc: lxml_html.HtmlElement, url: str) -> str:
    """The page URL, or the document's ``<base href>`` resolved against it."""
    for el in doc.iter("base"):
        href = str(el.get("href") or "").strip()
        if href:
            return urljoin(url, href)
    return url


def attachments(scopes: Iterable[lxml_html.HtmlElement], base: str) -> tuple[tuple[str, ...], list[str]]:
    """Absolute attachment URLs found under ``scopes``, and the texts of those links."""
    urls: list[str | None] = []
    texts: list[str] = []
    for scope in scopes:
        for el in scope.xpath(".//a[@href] | .//file[@href] | self::a[@href] | self::file[@href]"):
            href = el.get("href") or ""
            if is_attachment(href):
                urls.append(_absolute(base, href))
                texts.append(" ".join(el.text_content().split()))
    return _unique(urls), texts


def _is_icon(img: lxml_html.HtmlElement) -> bool:
    for name in ("width", "height"):
        value = (img.get(name) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) <= selectors.ICON_MAX_PX:
            return True
    return False


def images(scope: lxml_html.HtmlElement, base: str) -> tuple[str, ...]:
    """Absolute URLs of the content images under ``scope`` (icons and data: URIs left out)."""
    return _unique(
        _absolute(base, img.get("src") or img.get("data-src") or "")
        for img in scope.iter("img")
        if not _is_icon(img)
    )
