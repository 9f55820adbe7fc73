"""SPA detail shells: recognise one, name its JSON detail request, and rebuild the report page.

Pure functions over fetched bodies (no IO); :func:`gxbg.crawl.site.crawl_site` fetches.  Some
platforms serve a detail page that is only a script shell (portals.md §4.E, §10.E: Epoint
"WebBuilder" ``showinfo.html?infoGuid={uuid}`` with ``var siteInfo = {siteGuid, projectName}`` and
an empty ``#info_spnContent``); the report arrives from a JSON API the script calls.  The
platforms and their API shapes are data (:data:`gxbg.crawl.vocab.SPA_SHELLS`).

:func:`shell_request` says what to POST for a shell; :func:`shell_document` turns the API's JSON
into a small synthetic HTML document (``<base href>`` = the shell URL, ``ArticleTitle`` /
``PubDate`` meta, ``<h1>`` title, the ``infocontent`` fragment in an ``.article-content`` box, the
attached files as links) that the cleaner and the pipeline read like any report page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from gxbg.crawl import vocab
from gxbg.crawl.pagers import PageRequest
from gxbg.crawl.vocab import ShellPattern
from gxbg.errors import ShellError

__all__ = ["ShellDocument", "ShellError", "ShellRequest", "shell_document", "shell_request"]

_ITEM_ID = re.compile(r"[\w-]{1,128}")


@dataclass(frozen=True, slots=True, kw_only=True)
class ShellRequest:
    """The API call that fills one shell."""

    pattern: ShellPattern
    item_id: str
    request: PageRequest  # POST, absolute URL, form fields


@dataclass(frozen=True, slots=True, kw_only=True)
class ShellDocument:
    """The report page rebuilt from the API's JSON."""

    title: str
    html: str  # UTF-8 synthetic document (declares its charset and its base URL)
    attachments: tuple[str, ...]  # absolute URLs of the attached report files
    file_only: bool  # the API says the report is the attached file (``infotype: "pdf"``)


def _item_id(url: str, param: str) -> str | None:
    query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    for key, value in query:
        if key.lower() == param.lower() and _ITEM_ID.fullmatch(value.strip()):
            return value.strip()
    return None


def shell_request(text: str, url: str) -> ShellRequest | None:
    """The detail API request for ``text`` fetched at ``url`` when it is a known SPA shell, else None.

    A page that already carries report tables is no shell (a server-rendered twin).

    >>> page = '<script>var siteInfo = {projectName: "/p"};</script><div id="info_spnContent"></div>'
    >>> r = shell_request(page, "http://a.gov.cn/xxgk/showinfo.html?infoGuid=3f2c-9a")
    >>> r.request.method, r.request.url
    ('POST', 'http://a.gov.cn/p/rest/frontAppNotNeedLoginAction/getGovInfoDetail')
    >>> r.request.data
    (('params', '{"infoid":"3f2c-9a"}'),)
    >>> shell_request(page, "http://a.gov.cn/xxgk/showinfo.html") is None
    True
    """
    if any(marker in text for marker in vocab.REPORT_TABLE_MARKERS):
        return None
    for pattern in vocab.SPA_SHELLS:
        if not all(marker in text for marker in pattern.markers):
            continue
        item_id = _item_id(url, pattern.id_param)
        base = re.search(pattern.base, text)
        if item_id is None or base is None:
            continue
        prefix = base.group(1).strip().rstrip("/")
        if prefix and not re.match(r"^(https?:)?/", prefix):
            prefix = "/" + prefix  # a project name is a path from the site root
        endpoint = urljoin(url, pattern.endpoint.format(base=prefix))
        form = json.dumps({pattern.id_key: item_id}, ensure_ascii=False, separators=(",", ":"))
        request = PageRequest(url=endpoint, method="POST", data=((pattern.form_field, form),))
        return ShellRequest(pattern=pattern, item_id=item_id, request=request)
    return None


def _dig(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _file_urls(files: Any, shell_url: str) -> list[tuple[str, str]]:
    """(absolute URL, shown name) of each attached file: plain URLs, or objects holding one."""
    out: list[tuple[str, str]] = []
    for entry in files if isinstance(files, list) else []:
        values = (
            [entry] if isinstance(entry, str) else list(entry.values()) if isinstance(entry, dict) else []
        )
        strings = [v.strip() for v in values if isinstance(v, str) and v.strip()]
        links = [v for v in strings if v.startswith(("/", "http://", "https://", "./", "../"))]
        if not links:
            continue
        names = [v for v in strings if v not in links]
        target = urljoin(shell_url, links[0])
        out.append((target, names[0] if names else target.rsplit("/", 1)[-1]))
    return out


def shell_document(text: str, *, shell: ShellRequest, shell_url: str) -> ShellDocument:
    """Rebuild the report page from the detail API's JSON ``text``; raises :class:`ShellError`.

    >>> req = shell_request('siteInfo projectName: "/p" info_spnContent', "http://a.cn/s.html?infoGuid=x")
    >>> doc = shell_document('{"custom":{"status":"true","data":{"title":"T","infocontent":"<p>b</p>",'
    ...     '"infotype":"html"}}}', shell=req, shell_url="http://a.cn/s.html?infoGuid=x")
    >>> doc.title, doc.file_only, '<div class="article-content">\\n<p>b</p>\\n</div>' in doc.html
    ('T', False, True)
    """
    pattern = shell.pattern
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ShellError(f"{pattern.name} detail API answered no JSON: {exc}") from None
    status = _dig(data, pattern.status_path)
    record = _dig(data, pattern.data_path)
    if str(status) not in pattern.status_ok or not isinstance(record, dict):
        raise ShellError(f"{pattern.name} detail API found no item {shell.item_id} (status {status!r})")
    title = str(record.get(pattern.title_key) or "").strip()
    content = str(record.get(pattern.content_key) or "")
    date = str(record.get(pattern.date_key) or "").strip()
    file_only = str(record.get(pattern.type_key) or "").strip().lower() in pattern.file_types
    files = _file_urls(record.get(pattern.files_key), shell_url)
    if not content.strip() and not files:
        raise ShellError(f"{pattern.name} detail API gave item {shell.item_id} neither a body nor a file")
    head = (
        f'<meta charset="utf-8">\n<base href="{escape(shell_url)}">\n'
        f'<meta name="ArticleTitle" content="{escape(title)}">\n'
        + (f'<meta name="PubDate" content="{escape(date)}">\n' if date else "")
        + f'<meta name="gxbg-source" content="{escape(shell.request.url)}">\n<title>{escape(title)}</title>'
    )
    links = "".join(f'<p><a href="{escape(u)}">{escape(name)}</a></p>\n' for u, name in files)
    body = f'<h1>{escape(title)}</h1>\n<div class="article-content">\n{content}\n</div>\n{links}'
    return ShellDocument(
        title=title,
        html=f"<!DOCTYPE html>\n<html><head>\n{head}\n</head><body>\n{body}</body></html>\n",
        attachments=tuple(u for u, _ in files),
        file_only=file_only,
    )
