"""The one exception tree of gxbg.  Parsing fails loudly; validation never raises.

::

    GxbgError                  .transient tells the retry policy (tasks/retry.py) whether to try again
    ├── ParseError(GxbgError, ValueError)
    │   ├── SectionNotFound    the text has none of the report's section headings
    │   ├── TableNotFound      a table that the report's own markers promise is absent
    │   ├── TableShapeError    a table is present but cannot be laid out at all
    │   └── NumberError        a printed number cannot be read (never raised for a cell: cells keep text)
    ├── ArchiveError           an archived body is missing, unreadable or does not match its digest
    ├── StoreError(ValueError) a report or fetch record cannot be stored as given
    │   └── DatabaseUnusableError  a database URL cannot be used (one line, for the user)
    ├── HarvestFailedError     every portal of a harvest failed (carries the run's summary)
    ├── RegistryError(ValueError)  a registry file or a selection of portals is invalid
    ├── SummaryError(ValueError)   run summaries that cannot be merged
    ├── ShellError(ValueError)     a script shell's detail API answered no usable report
    ├── DecodeError            a body is not valid for its declared Content-Encoding
    └── TooLargeError          a decoded body passed the size cap (decoding stopped there)

Every error here is terminal (``transient = False``): retrying the same call gives the same answer.
Transient IO errors are httpx's and the OS's own, which the retry policy recognises by type.

Every constructor takes ``(message, *, section=None, line=None)`` so that instances pickle (Prefect
persists exceptions, and an ``__init__`` needing extra positional arguments fails to unpickle).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

__all__ = [
    "ArchiveError",
    "DatabaseUnusableError",
    "DecodeError",
    "GxbgError",
    "HarvestFailedError",
    "NumberError",
    "ParseError",
    "RegistryError",
    "SectionNotFound",
    "ShellError",
    "StoreError",
    "SummaryError",
    "TableNotFound",
    "TableShapeError",
    "TooLargeError",
]


class GxbgError(Exception):
    """Base class of every error raised by gxbg."""

    #: True when the same call may succeed later (the retry policy reads it); every error here is terminal.
    transient: ClassVar[bool] = False

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


class ArchiveError(GxbgError):
    """A stored object is missing, unreadable or does not match its digest."""


class StoreError(GxbgError, ValueError):
    """A report or fetch record cannot be stored as given (a missing key, a malformed number or date)."""


class RegistryError(GxbgError, ValueError):
    """A registry file or a selection is invalid; the message says where (file, line, column)."""

    def __init__(self, message: str, *, line: int | None = None, column: str | None = None) -> None:
        super().__init__(message, line=line)
        self.column = column

    def __reduce__(self) -> tuple[object, ...]:  # keep line/column across pickling (Prefect persists errors)
        return (_rebuild_registry_error, (self.message, self.line, self.column))

    def __str__(self) -> str:
        return self.message


def _rebuild_registry_error(message: str, line: int | None, column: str | None) -> RegistryError:
    return RegistryError(message, line=line, column=column)


class SummaryError(GxbgError, ValueError):
    """Summaries that cannot be merged (a portal in more than one, or a malformed summary)."""


class ShellError(GxbgError, ValueError):
    """The detail API's answer holds no usable report (bad JSON, a "not found" status, no body)."""


class DecodeError(GxbgError):
    """The body is not valid for its declared Content-Encoding."""


class TooLargeError(GxbgError):
    """The decoded body passed the cap (decoding stopped there)."""


class DatabaseUnusableError(StoreError):
    """The database URL cannot be used; the message is one line, for the user."""


class HarvestFailedError(GxbgError):
    """Every portal of a harvest failed; ``summary`` is the run's summary (printed by the CLI)."""

    def __init__(self, message: str, summary: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.summary: Mapping[str, Any] = summary or {}

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.message, self.summary))
