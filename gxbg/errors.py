"""The exception tree of the extractor core.  Parsing fails loudly; validation never raises.

::

    GxbgError
    └── ParseError(GxbgError, ValueError)
        ├── SectionNotFound    the text has none of the report's section headings
        ├── TableNotFound      a table that the report's own markers promise is absent
        ├── TableShapeError    a table is present but cannot be laid out at all
        └── NumberError        a printed number cannot be read (never raised for a cell: cells keep text)

Every constructor takes ``(message, *, section=None, line=None)`` so that instances pickle (Prefect
persists exceptions, and an ``__init__`` needing extra positional arguments fails to unpickle).
"""

from __future__ import annotations

__all__ = ["GxbgError", "NumberError", "ParseError", "SectionNotFound", "TableNotFound", "TableShapeError"]


class GxbgError(Exception):
    """Base class of every error raised by gxbg."""

    def __init__(self, message: str, *, section: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.section = section
        self.line = line

    def __reduce__(self) -> tuple[object, ...]:
        # keyword-only attributes survive pickling (Exception's default reduce passes args only)
        return (_rebuild, (type(self), self.message, self.section, self.line))

    def __str__(self) -> str:
        where = []
        if self.section is not None:
            where.append(f"section {self.section}")
        if self.line is not None:
            where.append(f"line {self.line}")
        return f"{self.message} ({', '.join(where)})" if where else self.message


def _rebuild(cls: type[GxbgError], message: str, section: str | None, line: int | None) -> GxbgError:
    return cls(message, section=section, line=line)


class ParseError(GxbgError, ValueError):
    """The input cannot be read as a report at all."""


class SectionNotFound(ParseError):  # noqa: N818 - the name style.md §6 fixes
    """No section heading (一、总体情况 … 六、其他需要报告的事项) was found."""


class TableNotFound(ParseError):  # noqa: N818 - the name style.md §6 fixes
    """A table the report promises is missing."""


class TableShapeError(ParseError):
    """A table is present but its rows cannot be laid out."""


class NumberError(ParseError):
    """A printed number cannot be read."""
