"""One module per statistical table: 表二 ``proactive``, 表三 ``requests``, 表四 ``appeals``."""

from __future__ import annotations

from gxbg.extract.tables.appeals import parse_appeals
from gxbg.extract.tables.proactive import parse_proactive
from gxbg.extract.tables.requests import parse_requests

__all__ = ["parse_appeals", "parse_proactive", "parse_requests"]
