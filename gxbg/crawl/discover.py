"""Discovery: pure functions over fetched bodies (text + URL) that find report items and next pages.

No IO here: :mod:`gxbg.crawl.site` fetches, these functions read.  This module is the public face
of discovery; the work is split by concept:

- :mod:`gxbg.crawl.urls` — canonical URLs, site keys and the scope rule;
- :mod:`gxbg.crawl.columns` — the annual-report column (anchor text, ``<meta name="ColumnName">``)
  and detail-page titles;
- :mod:`gxbg.crawl.listings` — listing pages of every archetype into items and subcolumns;
- :mod:`gxbg.crawl.pagers` — next-page requests of every pager style;
- :mod:`gxbg.crawl.titles` — the title classifier (:func:`classify_title`);
- :mod:`gxbg.crawl.shells` — SPA detail shells and their JSON detail APIs.

Scope rule: a URL is in scope when its scheme is http(s) and its *site key* equals the seed's —
the registrable domain (last three labels under ``.gov.cn``, last two otherwise) for host names,
the exact address for IP hosts — with the port part of the key, or when its host is in the
explicit allowlist.  So ``127.0.0.1:8001`` is out of scope for a seed on ``127.0.0.1:8000``.
"""

from __future__ import annotations

from gxbg.crawl.columns import column_links, column_name, detail_title, is_column_page, nav_links
from gxbg.crawl.listings import Listing, ListItem, parse_listing
from gxbg.crawl.pagers import PageRequest
from gxbg.crawl.titles import TitleInfo, classify_title
from gxbg.crawl.urls import canonical, in_scope, site_key

__all__ = [
    "ListItem",
    "Listing",
    "PageRequest",
    "TitleInfo",
    "canonical",
    "classify_title",
    "column_links",
    "column_name",
    "detail_title",
    "in_scope",
    "is_column_page",
    "nav_links",
    "parse_listing",
    "site_key",
]
