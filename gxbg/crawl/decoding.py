"""Content-Encoding decoding with the size cap enforced inside every layer (decompression bombs).

httpx decodes a whole network chunk through every ``Content-Encoding`` layer before the caller
sees a byte, so ``Content-Encoding: gzip, gzip`` of 3.5 KB on the wire became gigabytes in one
call before the 50 MB cap could apply.  :class:`BoundedDecoder` takes the raw (still encoded)
bytes and runs each layer with ``zlib``'s ``max_length``: no layer ever produces more than
:data:`STEP` bytes per call, and decoding stops as soon as the decoded total passes the cap.
Memory stays at the cap plus a few steps, whatever the ratio or the number of layers.

Encodings follow httpx: ``identity``, ``gzip``/``x-gzip``, ``deflate`` (zlib-wrapped or raw);
unknown tokens are ignored (httpx passes such bodies through as they are).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from gxbg.errors import DecodeError, TooLargeError

__all__ = ["STEP", "BoundedDecoder", "DecodeError", "TooLargeError"]

#: Most bytes one layer yields per call.
STEP = 256 * 1024
#: At most this many encoding layers are decoded; more is no real server's answer.
MAX_LAYERS = 4


class _Layer:
    """One zlib layer that never yields more than :data:`STEP` bytes per step."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._deflate_sniffed = name != "deflate"
        wbits = zlib.MAX_WBITS | 16 if name in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._obj = zlib.decompressobj(wbits)
        self._first = b""

    def feed(self, data: bytes) -> Iterator[bytes]:
        if not self._deflate_sniffed:  # deflate: zlib-wrapped, or raw as some servers send it
            self._first += data
            if len(self._first) < 2:
                return
            data, self._first, self._deflate_sniffed = self._first, b"", True
            try:
                zlib.decompressobj(zlib.MAX_WBITS).decompress(data[:2])
            except zlib.error:
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
        pending = data
        while pending:
            if self._obj.eof:  # trailing bytes after the stream end are ignored, as httpx does
                return
            try:
                out = self._obj.decompress(pending, STEP)
            except zlib.error as exc:
                raise DecodeError(f"{self.name}: {exc}") from exc
            pending = self._obj.unconsumed_tail
            if out:
                yield out

    def flush(self) -> Iterator[bytes]:
        if self._first:  # a one-byte deflate body: let zlib judge it
            self._deflate_sniffed = True
            yield from self.feed(self._first)
        while not self._obj.eof:
            try:
                out = self._obj.decompress(self._obj.unconsumed_tail, STEP)
            except zlib.error as exc:
                raise DecodeError(f"{self.name}: {exc}") from exc
            if not out:
                break
            yield out


class BoundedDecoder:
    """Decode raw body bytes through every ``Content-Encoding`` layer, never past ``max_bytes``.

    >>> import gzip
    >>> bomb = gzip.compress(gzip.compress(bytes(50_000_000)))
    >>> len(bomb) < 100_000
    True
    >>> decoder = BoundedDecoder("gzip, gzip", max_bytes=1_000_000)
    >>> try:
    ...     _ = decoder.feed(bomb)
    ... except TooLargeError:
    ...     print("stopped at", decoder.size <= 1_000_000 + STEP)
    stopped at True
    >>> BoundedDecoder("gzip", max_bytes=100).feed(gzip.compress(b"hello")) + b"!"
    b'hello!'
    """

    def __init__(self, content_encoding: str | None, *, max_bytes: int) -> None:
        names = [t.strip().lower() for t in (content_encoding or "").split(",")]
        known = [n for n in names if n in ("gzip", "x-gzip", "deflate")]
        if len(known) > MAX_LAYERS:
            raise DecodeError(f"{len(known)} content-encoding layers (at most {MAX_LAYERS} are decoded)")
        # Content-Encoding lists the codings in the order they were applied: decode in reverse.
        self._layers = [_Layer(n) for n in reversed(known)]
        self.max_bytes = max_bytes
        self.size = 0

    @property
    def encoded(self) -> bool:
        return bool(self._layers)

    def _through(self, index: int, chunks: Iterator[bytes]) -> Iterator[bytes]:
        if index == len(self._layers):
            yield from chunks
            return
        layer = self._layers[index]
        for chunk in chunks:
            yield from self._through(index + 1, layer.feed(chunk))

    def _count(self, chunks: Iterator[bytes]) -> bytes:
        out: list[bytes] = []
        for chunk in chunks:
            self.size += len(chunk)
            if self.size > self.max_bytes:
                raise TooLargeError(f"decoded body exceeds the {self.max_bytes}-byte cap (stopped decoding)")
            out.append(chunk)
        return b"".join(out)

    def feed(self, raw: bytes) -> bytes:
        """The decoded bytes ``raw`` yields now; raises :class:`TooLargeError` or :class:`DecodeError`."""
        return self._count(self._through(0, iter((raw,))))

    def flush(self) -> bytes:
        """What is left once the raw body has ended."""
        out: list[bytes] = []
        for index, layer in enumerate(self._layers):
            out.append(self._count(self._through(index + 1, layer.flush())))
        return b"".join(out)
