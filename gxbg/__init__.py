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
PARSER_VERSION = "1.3.0"

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


def parse_html(html: str) -> AnnualReport:
    """Parse a report page's HTML: its tables are read as span-expanded grids (gxbg.extract.htmlgrid)."""
    from gxbg.extract.htmlgrid import html_to_text  # imported here: htmlgrid is optional for text-only users

    return parse_report(html_to_text(html))
