"""gxbg: government information-disclosure annual reports (政府信息公开工作年度报告) as checked numbers.

Stages are packages: ``extract`` (text → report → checks; pure, standard library only), ``crawl``,
``clean``, ``store``, ``pipeline`` (one site's work after the crawl) and ``sim`` (simulated portals).
``errors``, ``kinds`` and ``archive`` are shared by the stages.  This module is the public API.
"""

from __future__ import annotations

from gxbg.errors import GxbgError, NumberError, ParseError, SectionNotFound, TableNotFound, TableShapeError
from gxbg.extract.model import AnnualReport, CheckResult
from gxbg.extract.report import parse_report
from gxbg.extract.serialize import report_to_dict
from gxbg.extract.validate import validate

__version__ = "0.1.0"
#: Bumped whenever ``report_to_dict`` output changes for some input (CHANGELOG records why).
PARSER_VERSION = "1.7.0"

__all__ = [
    "PARSER_VERSION",
    "AnnualReport",
    "CheckResult",
    "GxbgError",
    "NumberError",
    "ParseError",
    "SectionNotFound",
    "TableNotFound",
    "TableShapeError",
    "__version__",
    "parse_html",
    "parse_report",
    "report_to_dict",
    "validate",
]


def parse_html(html: str, *, url: str = "") -> AnnualReport:
    """Parse a report page's HTML the way the harvest does: the page cleaner (``gxbg.clean.clean_page``:
    chrome, site metadata and scripts dropped, gkmlpt/SPA bodies found, tables as span-expanded grids)
    and then ``parse_report`` on its text.  ``url`` resolves the page's links (attachments).

    Raises ``SectionNotFound`` when the page holds no report body (an attachment-only or image-only
    page, a script shell), naming what it found instead.
    """
    from gxbg.clean import clean_page  # imported here: the cleaner (lxml, trafilatura) is optional for text

    page = clean_page(html, url=url or "http://localhost/")
    if not page.text:
        found = (
            f"links to files only ({', '.join(page.attachments[:3])})"
            if page.attachments
            else "images only (图片版)"
            if page.images
            else "no report body (a script shell or an empty page)"
        )
        raise SectionNotFound(f"expected a report page; found {found}", line=1)
    return parse_report(page.text)
