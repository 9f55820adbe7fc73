"""clean_page: a fetched report page's HTML → :class:`CleanPage` (docs/architecture.md §2).

Composition only: parse, read metadata, pick the body container (or gkmlpt's ``DETAIL.content``),
drop site metadata blocks, convert with :func:`gxbg.extract.htmlgrid.html_to_text`, strip chrome, classify.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from gxbg.clean import container as containers
from gxbg.clean import lines as body_lines
from gxbg.clean import links, metadata, selectors
from gxbg.clean.narrative import extract_narrative
from gxbg.clean.select import PageIndex
from gxbg.extract.htmlgrid import SUB_DIGITS, SUP_DIGITS, html_to_text
from gxbg.kinds import ItemKind

#: Prose (beyond the title and attachment links) that makes a body a report rather than a wrapper.
MIN_REPORT_CHARS = 100

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SHELL = re.compile("|".join(f"(?:{p})" for p in selectors.SHELL_MARKERS))
_SPACE = re.compile(r"\s+")
_NOISE = ("script", "style", "noscript", "template", etree.Comment, etree.ProcessingInstruction)
#: Elements that make the structure trafilatura reads (blocks, tables, line breaks).  Every other element
#: is inline to the text (``span``, ``font``, Word's ``o:p``, ``st1:chsdate``, ``time``, any unknown tag)
#: and is unwrapped before the fallback: trafilatura drops the tail of a tag it does not know
#: (``3168<o:p></o:p>.0656`` came out as ``3168``) and the text of some it does (``time``, ``label``).
_STRUCTURE = frozenset(
    {
        *("html", "head", "title", "meta", "link", "body", "br", "hr", "img"),
        *("div", "p", "pre", "blockquote", "center", "address", "form", "fieldset", "legend"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "dir", "menu"),
        *("table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "td", "th"),
        *("article", "aside", "footer", "header", "main", "nav", "section", "figure", "figcaption"),
        *("details", "summary"),
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class CleanPage:
    """A report page reduced to what the extractor and the store need."""

    title: str | None
    published: str | None  # ISO date from page metadata, when present
    text: str  # title line, narrative, tables as grid lines; "" when there is no report body
    kind: ItemKind
    attachments: tuple[str, ...] = ()  # absolute URLs
    images: tuple[str, ...] = ()  # absolute URLs
    publisher: str | None = None  # 发布机构 / ContentSource, when present


def _parse(html: str) -> lxml_html.HtmlElement | None:
    # a control character becomes a space, never nothing: "230.\x0c64565" is no 230.64565
    cleaned = _CONTROL.sub(" ", _XML_DECLARATION.sub("", html, count=1))
    if not cleaned.strip():
        return None
    try:
        return lxml_html.document_fromstring(cleaned)
    except (etree.ParserError, ValueError):
        return None


def _foster_stray_text(doc: lxml_html.HtmlElement) -> None:
    """Text inside a table but in none of its cells (after a ``</td>``, before a row's first cell, between
    rows) goes before its table in document order, as a browser shows it: the trafilatura fallback joined
    it to the next cell (``</td>1<td>0`` read 10)."""
    moves: list[tuple[lxml_html.HtmlElement, str]] = []
    for event, el in etree.iterwalk(doc, events=("start", "end"), tag=_TABLE_PARTS):
        owner = el if el.tag == "table" else next(el.iterancestors("table"), None)
        if owner is None:
            continue
        if event == "start" and el.tag in _ROW_PARTS and el.text and el.text.strip():
            moves.append((owner, el.text.strip()))
            el.text = None
        parent = el.getparent()
        in_rows = el is not owner and parent is not None and parent.tag in _ROW_PARTS
        if event == "end" and in_rows and el.tail and el.tail.strip():
            moves.append((owner, el.tail.strip()))
            el.tail = None
    for owner, text in moves:
        para = lxml_html.Element("p")
        para.text = text
        owner.addprevious(para)


#: The parts of a table whose own text (and whose children's tails) stand in no cell.
_ROW_PARTS = frozenset({"table", "tbody", "thead", "tfoot", "tr"})
_TABLE_PARTS = ("table", "tbody", "thead", "tfoot", "tr", "td", "th")


def _mark_scripts(doc: lxml_html.HtmlElement) -> None:
    """Digits in ``<sup>``/``<sub>`` become superscript/subscript marks before any text is read, as
    htmlgrid writes them: the trafilatura fallback too must never read ``3001<sup>1</sup>`` as 30011."""
    for el in doc.iter("sup", "sub"):
        table = SUP_DIGITS if el.tag == "sup" else SUB_DIGITS
        for node in el.iter():
            if node.text:
                node.text = node.text.translate(table)
            if node is not el and node.tail:
                node.tail = node.tail.translate(table)


def _drop_noise(root: lxml_html.HtmlElement) -> None:
    etree.strip_elements(root, *_NOISE, with_tail=False)


def _narrative_fallback(doc: lxml_html.HtmlElement) -> str:
    """trafilatura's text of a page with no report container, read from a copy whose inline elements are
    unwrapped (their text joins its neighbours with nothing between, as a browser shows it and as htmlgrid
    reads it), so no tag can cut a number or fuse two."""
    page = copy.deepcopy(doc)
    inline = {el.tag for el in page.iter() if isinstance(el.tag, str) and el.tag not in _STRUCTURE}
    if inline:
        etree.strip_tags(page, *inline)
        _foster_stray_text(page)  # an unwrapped element inside a row (``<td²>0``) leaves its text there
    return extract_narrative(lxml_html.tostring(page, encoding="unicode"))


def _drop_site_metadata(body: lxml_html.HtmlElement) -> None:
    """Remove metadata tables/blocks inside the body (never the body itself)."""
    doomed = [t for t in body.iter("table") if metadata.is_metadata_table(t)]
    doomed += PageIndex.of(body).select_all(selectors.METADATA_BLOCKS)
    for el in doomed:
        if el is not body and el.getparent() is not None:
            el.drop_tree()


def _body_from_detail(detail: str) -> lxml_html.HtmlElement | None:
    doc = _parse(f"<html><body><div>{detail}</div></body></html>")
    if doc is None:
        return None
    _drop_noise(doc)
    found = doc.find(".//body/div")
    return found


def _with_title(title: str | None, lines: list[str]) -> str:
    if not title:
        return "\n".join(lines)
    head = [line for line in lines[:3] if _SPACE.sub("", line) != _SPACE.sub("", title)]
    return "\n".join([title, *head, *lines[3:]])


#: An invisible character between two digits (zero-width space, joiners, word joiner, BOM) separates them as
#: htmlgrid's whitespace does: ``398\u200b5758`` is two numbers, never 3985758 (trafilatura drops them).
_INVISIBLE_BETWEEN_DIGITS = re.compile(r"(?<=[0-9])[\u200b\u200c\u200d\u2060\ufeff]+(?=[0-9])")


def clean_page(html: str, *, url: str) -> CleanPage:
    """Reduce a report page to its report text, metadata, kind and absolute links."""
    html = _INVISIBLE_BETWEEN_DIGITS.sub(" ", html)
    doc = _parse(html)
    if doc is None:
        return CleanPage(title=None, published=None, text="", kind=ItemKind.SHELL)
    _drop_noise(doc)
    _mark_scripts(doc)
    _foster_stray_text(doc)
    index = PageIndex.of(doc)
    meta = metadata.read_metadata(index, html)
    title = _SPACE.sub(" ", meta.title).strip() if meta.title else None
    base = links.base_url(doc, url)
    detail = metadata.gkmlpt_detail(html, "content")

    body = _body_from_detail(detail) if detail and detail.strip() else None
    if body is None:
        body = containers.find_container(index)
    scopes = index.select_all(selectors.ATTACHMENT_AREAS)
    if body is None:
        if _SHELL.search(html):
            lines: list[str] = []
        else:
            lines = body_lines.clean_lines(_narrative_fallback(doc))
        found_images: tuple[str, ...] = ()
        scopes.append(doc)
    else:
        _drop_site_metadata(body)
        lines = body_lines.clean_lines(html_to_text(lxml_html.tostring(body, encoding="unicode")))
        found_images = links.images(body, base)
        scopes.insert(0, body)
    found_attachments, link_texts = links.attachments(scopes, base)

    is_report = (
        any(body_lines.is_table_line(line) and metadata.is_report_table(line) for line in lines)
        or body_lines.narrative_chars(lines, title=title, link_texts=link_texts) >= MIN_REPORT_CHARS
    )
    if is_report:
        kind, text = ItemKind.REPORT_HTML, _with_title(title, lines)
    else:
        text = ""
        kind = (
            ItemKind.ATTACHMENT
            if found_attachments
            else ItemKind.IMAGE_ONLY
            if found_images
            else ItemKind.SHELL
        )
    return CleanPage(
        title=title,
        published=meta.published,
        text=text,
        kind=kind,
        attachments=found_attachments,
        images=found_images,
        publisher=meta.publisher,
    )
