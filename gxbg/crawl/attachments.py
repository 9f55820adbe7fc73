"""What a report detail page delivers, and which of its linked files is the report to download.

Pure functions over fetched bodies (no IO); :func:`gxbg.crawl.site.crawl_site` fetches.  Many
portals publish the report only as a file linked from the detail page (portals.md §5): TRS
``insertfileTag`` links ``./P0….pdf``, Hanweb ``/module/download/downfile.jsp?…&showname=…`` (a
302 to ``/attach/0/….pdf``), iList ``<file href>``, Epoint ``pdflist`` (rebuilt into links by
:mod:`gxbg.crawl.shells`).  :func:`detail_kind` says whether the page carries the report inline or
only points to files; :func:`report_files` names the files worth downloading, the ones whose link
text names the report first; :func:`is_file_answer` tells a downloaded file from an HTML page
served in its place.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urljoin, urlsplit

from gxbg.crawl import vocab
from gxbg.crawl.urls import canonical
from gxbg.kinds import FetchResult, ItemKind

__all__ = ["MAX_FILES", "FileLink", "detail_kind", "is_file_answer", "report_files"]

#: Files tried per report item, best first: one is the report; more is a page of unrelated files.
MAX_FILES = 3

_LINK = re.compile(r"<(a|file)\b([^>]*)>(.*?)</\1\s*>", re.I | re.S)
_HREF = re.compile(r'\bhref\s*=\s*(["\'])(.*?)\1', re.I | re.S)
_TITLE = re.compile(r'\btitle\s*=\s*(["\'])(.*?)\1', re.I | re.S)
_BASE = re.compile(r'<base\b[^>]*\bhref\s*=\s*(["\'])(.*?)\1', re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_NAMES_REPORT = re.compile("|".join((*vocab.REPORT_TITLE_CORE, *vocab.REPORT_FILE_NAMES)))
_FILENAME = re.compile(r"""filename\*?\s*=\s*(?:[\w-]+'[\w-]*')?["']?([^"';]+)""", re.I)


@dataclass(frozen=True, slots=True, kw_only=True)
class FileLink:
    """A linked file that may be the report: its absolute URL and the name the page shows for it."""

    url: str
    name: str  # anchor text, else the ``title`` attribute, else a ``showname``/``filename`` parameter


def detail_kind(
    text: str | None, url: str, *, files: tuple[FileLink, ...] | None = None
) -> tuple[ItemKind, tuple[str, ...]]:
    """A simple check of what a detail page delivers (the cleaner decides precisely later).

    ``files`` is ``report_files(text, url)`` when the caller has it already (one link scan per page).

    >>> detail_kind('<p>全文见附件</p><a href="./P0201.pdf">报告.pdf</a>', "http://a.cn/x/t1.html")
    (<ItemKind.ATTACHMENT: 'attachment'>, ('http://a.cn/x/P0201.pdf',))
    >>> detail_kind('<a href="/getfile.do?id=9">年度报告.pdf</a>', "http://a.cn/x/t1.html")[1]
    ('http://a.cn/getfile.do?id=9',)
    >>> detail_kind(None, "http://a.cn/x/P0201.pdf")[0]
    <ItemKind.ATTACHMENT: 'attachment'>
    """
    path = urlsplit(url).path.lower()
    if text is None or path.endswith(vocab.ATTACHMENT_EXTENSIONS):
        return ItemKind.ATTACHMENT, (url,)
    links = re.findall(r'<(?:a|file)\b[^>]*\bhref=["\']([^"\']+)["\']', text, re.I)
    linked = [
        canonical(urljoin(url, html.unescape(h)))
        for h in links
        if urlsplit(h).path.lower().endswith(vocab.ATTACHMENT_EXTENSIONS) or "downfile.jsp" in h
    ]
    # download links without a file extension whose shown name is a report file's
    if files is None:
        files = report_files(text, url)
    attachments = tuple(dict.fromkeys([*linked, *(f.url for f in files)]))
    if any(marker in text for marker in vocab.REPORT_TABLE_MARKERS):
        return ItemKind.REPORT_HTML, attachments
    if attachments:
        return ItemKind.ATTACHMENT, attachments
    if re.search(r"<img\b", text, re.I):
        return ItemKind.IMAGE_ONLY, ()
    return ItemKind.SHELL, ()


def _has_extension(path: str) -> bool:
    last = path.rsplit("/", 1)[-1]
    return "." in last


def _shown_name(url: str) -> str:
    """The file name a download URL carries in its query (Hanweb ``showname`` before ``filename``)."""
    query = {key.lower(): value.strip() for key, value in parse_qsl(urlsplit(url).query)}
    return next((query[key] for key in vocab.FILE_NAME_PARAMS if query.get(key)), "")


def _is_report_file(url: str, name: str) -> bool:
    """A report file by its URL's extension, a download endpoint, or (URL without a file extension)
    a shown name that ends with one; spreadsheets, images and pages are never the report."""
    path = urlsplit(url).path.lower()
    if path.endswith(vocab.REPORT_FILE_EXTENSIONS):
        return True
    if path.endswith(vocab.DOWNLOAD_ENDPOINTS):
        return not name.lower().endswith(vocab.OTHER_FILE_EXTENSIONS)
    dynamic = path.endswith(vocab.DYNAMIC_PAGE_EXTENSIONS) or not _has_extension(path)
    return dynamic and name.lower().endswith(vocab.REPORT_FILE_EXTENSIONS)


def _rank(name: str) -> int | None:
    """0 when the name says it is the report, 1 when it says nothing, None when it names something
    else (a 解读, a notice): that file is never taken for the report."""
    if any(word in name for word in vocab.NOT_REPORT):
        return None
    return 0 if _NAMES_REPORT.search(name) else 1


def report_files(text: str, url: str) -> tuple[FileLink, ...]:
    """The linked files of a detail page that may be its report, best first, at most :data:`MAX_FILES`.

    ``url`` is the page's (final) URL; a ``<base href>`` in the page wins over it.  Files whose
    shown name names the report (年度报告, 年报) come first, in page order; files named as
    something else are left out.

    >>> page = ('<a href="./jd.pdf">2023年年度报告解读.pdf</a> <a href="./a1.pdf">附件1</a>'
    ...         '<a href="/module/download/downfile.jsp?filename=9.pdf&amp;showname=x年报.pdf">下载</a>'
    ...         '<a href="./t.xls">统计表.xls</a>')
    >>> [(f.url, f.name) for f in report_files(page, "http://a.cn/x/t1.html")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('http://a.cn/module/download/downfile.jsp?filename=9.pdf&showname=x%E5%B9%B4%E6%8A%A5.pdf',
      '下载 x年报.pdf'),
     ('http://a.cn/x/a1.pdf', '附件1')]
    """
    base_tag = _BASE.search(text)
    base = urljoin(url, html.unescape(base_tag.group(2)).strip()) if base_tag else url
    ranked: list[tuple[int, int, FileLink]] = []
    seen: set[str] = set()
    for position, match in enumerate(_LINK.finditer(text)):
        attrs, inner = match.group(2), match.group(3)
        href = _HREF.search(attrs)
        if href is None or not html.unescape(href.group(2)).strip():
            continue
        target = canonical(urljoin(base, html.unescape(href.group(2)).strip()))
        if urlsplit(target).scheme not in ("http", "https") or target in seen:
            continue
        title = _TITLE.search(attrs)
        shown = " ".join(
            part
            for part in (
                html.unescape(_TAG.sub("", inner)).strip(),
                html.unescape(title.group(2)).strip() if title else "",
                _shown_name(target),
            )
            if part
        )
        name = " ".join(dict.fromkeys(shown.split()))
        if not _is_report_file(target, name):
            continue
        rank = _rank(name)
        if rank is None:
            continue
        seen.add(target)
        ranked.append((rank, position, FileLink(url=target, name=name)))
    return tuple(link for _, _, link in sorted(ranked, key=lambda r: r[:2]))[:MAX_FILES]


def is_file_answer(result: FetchResult) -> bool:
    """Whether a download answered a file (not an HTML page in its place): the fetcher found it
    binary (content type, magic bytes, URL), or ``Content-Disposition`` names a report file."""
    if result.text is None:
        return True
    disposition = result.headers.get("content-disposition") or ""
    match = _FILENAME.search(disposition)
    return bool(match and match.group(1).strip().lower().endswith(vocab.REPORT_FILE_EXTENSIONS))
