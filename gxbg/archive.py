"""Content-addressed raw archive: every fetched body stored once, by sha256, gzip, atomically.

Layout ``<root>/sha256/ab/cd/<sha256>.gz`` (portals reference §10).  A write goes to a temp
file in the same directory and is renamed into place, so a crash never leaves a partial
object under its final name.  Reads verify the digest.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path

from gxbg.errors import ArchiveError

__all__ = ["ArchiveError", "RawArchive", "sha256_hex"]


def sha256_hex(body: bytes) -> str:
    """Hex sha256 of ``body``.

    >>> sha256_hex(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(body).hexdigest()


class RawArchive:
    """A directory of gzip'd bodies keyed by their sha256."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path_for(self, digest: str) -> Path:
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ArchiveError(f"not a sha256 hex digest: {digest!r}")
        return self.root / "sha256" / digest[:2] / digest[2:4] / f"{digest}.gz"

    def has(self, digest: str) -> bool:
        return self.path_for(digest).exists()

    def put(self, body: bytes) -> str:
        """Store ``body`` (idempotent) and return its sha256."""
        digest = sha256_hex(body)
        target = self.path_for(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
                gz.write(body)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, digest: str) -> bytes:
        """Return the body stored under ``digest``; raise :class:`ArchiveError` if absent or corrupt."""
        path = self.path_for(digest)
        try:
            body = gzip.decompress(path.read_bytes())
        except FileNotFoundError:
            raise ArchiveError(f"no archived body {digest} under {self.root}") from None
        except (OSError, EOFError) as exc:
            raise ArchiveError(f"archived body {digest} is unreadable: {exc}") from exc
        if sha256_hex(body) != digest:
            raise ArchiveError(f"archived body {digest} does not match its digest")
        return body
