"""Narrative fallback: trafilatura's main-content text when no report container was found.

Pinned configuration (style.md §10): ``favor_recall=True`` keeps the short headings next to tables
(prefect-and-crawling.md §8); tables come out flattened, so this is only a fallback for prose.
"""

from __future__ import annotations


def extract_narrative(html: str) -> str:
    """Main-content text of ``html`` by trafilatura, or "" when it finds none."""
    import trafilatura  # heavy import, only paid on the fallback path

    text = trafilatura.extract(
        html,
        favor_recall=True,
        include_tables=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        deduplicate=False,
        output_format="txt",
    )
    return text or ""
