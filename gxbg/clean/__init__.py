"""Cleaning: from a fetched report page's HTML to the clean text the extractor reads.

May use bs4, lxml and trafilatura; never imports Prefect.  See docs/architecture.md §2.
"""

from __future__ import annotations

from gxbg.clean.page import CleanPage, clean_page

__all__ = ["CleanPage", "clean_page"]
