"""Validators for the simulator's static files and the conditional-GET decision (RFC 9110 §13).

Every static file gets a strong ``ETag`` (a sha256 prefix of the bytes served) and one fixed
``Last-Modified``: the site files are generated and committed, never edited in place, so one date
stands for all of them.  Pure functions only; :mod:`gxbg.sim.server` sends the headers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from email.utils import format_datetime, parsedate_to_datetime

#: The Last-Modified of every static site file.
LAST_MODIFIED_AT = dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
LAST_MODIFIED = format_datetime(LAST_MODIFIED_AT, usegmt=True)


def etag_for(data: bytes) -> str:
    """The strong entity tag of ``data``: a quoted 16-hex-digit sha256 prefix.

    >>> etag_for(b"")
    '"e3b0c44298fc1c14"'
    """
    return f'"{hashlib.sha256(data).hexdigest()[:16]}"'


def _modified_since(value: str) -> bool:
    """True when the file changed after the ``If-Modified-Since`` date (an unreadable date: True)."""
    try:
        since = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return True
    if since.tzinfo is None:  # RFC 850/asctime forms parse naive; HTTP dates are GMT
        since = since.replace(tzinfo=dt.UTC)
    return since < LAST_MODIFIED_AT


def is_not_modified(method: str, etag: str, if_none_match: str | None, if_modified_since: str | None) -> bool:
    """Whether a request with these preconditions gets ``304 Not Modified``.

    ``If-None-Match`` wins over ``If-Modified-Since`` (RFC 9110 §13.2.2) and compares weakly;
    only GET and HEAD are ever answered 304.

    >>> is_not_modified("GET", '"ab"', 'W/"ab", "cd"', None)
    True
    >>> is_not_modified("GET", '"ab"', '"cd"', LAST_MODIFIED)
    False
    >>> is_not_modified("GET", '"ab"', None, LAST_MODIFIED)
    True
    >>> is_not_modified("POST", '"ab"', '"ab"', None)
    False
    """
    if method not in ("GET", "HEAD"):
        return False
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or etag in tags
    if if_modified_since is not None:
        return not _modified_since(if_modified_since)
    return False
