"""What an archived body holds: report text to parse, or why there is none.

An HTML page goes through the page cleaner (:func:`gxbg.clean.clean_page`), a PDF/DOCX attachment
through :func:`gxbg.clean.attachments.attachment_text`.  Shared by the harvest
(:mod:`gxbg.pipeline.process`) and the reparse (:mod:`gxbg.pipeline.reparse`); no IO of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from gxbg.clean import clean_page
from gxbg.clean.attachments import attachment_text
from gxbg.crawl.charset import decode_text, is_binary
from gxbg.kinds import ItemKind

__all__ = ["ReportText", "read_report_text"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportText:
    """What an archived body holds: report text to parse, or why there is none."""

    text: str = ""
    title: str | None = None
    published: str | None = None
    skip: str | None = None  # a fact about the page (attachment-only, image-only, a scan): not retried
    failure: tuple[str, str, str] | None = None  # (stage, error, reason): recorded, retried next harvest

    @property
    def problem(self) -> str | None:
        """Why there is no text to parse, if there is none."""
        return self.failure[2] if self.failure is not None else self.skip


def read_report_text(body: bytes, *, content_type: str | None, url: str) -> ReportText:
    """The report text of an archived body: an HTML page through the cleaner, a PDF/DOCX attachment
    through :func:`gxbg.clean.attachments.attachment_text`.  The crawl's kind is only a hint."""
    if is_binary(content_type, url, body):
        attachment = attachment_text(body, content_type=content_type, url=url)
        if attachment.corrupt:  # a truncated or damaged download: fetch it again next harvest
            return ReportText(failure=("clean", "attachment", attachment.reason or "unreadable attachment"))
        if not attachment.text:  # a scan, a password, a .doc: facts about the file, not failures
            return ReportText(skip=f"attachment: {attachment.reason}")
        return ReportText(text=attachment.text)
    page = clean_page(decode_text(content_type, body).text, url=url)
    if page.kind is ItemKind.SHELL:  # the body arrives by script: may be a template glitch, retry
        return ReportText(
            failure=("clean", "shell", "no report body in the page (a script shell or an empty page)")
        )
    if page.kind is not ItemKind.REPORT_HTML:
        links = ", ".join(page.attachments[:3])
        return ReportText(
            skip=f"attachment-only page ({links})" if page.attachments else "image-only page (图片版)"
        )
    return ReportText(text=page.text, title=page.title, published=page.published)
