from __future__ import annotations

from pathlib import Path

import pytest

from gxbg.archive import ArchiveError, RawArchive, sha256_hex


def test_put_is_idempotent_and_content_addressed(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path)
    first = archive.put(b"<html>report</html>")
    second = archive.put(b"<html>report</html>")
    assert first == second == sha256_hex(b"<html>report</html>")
    assert archive.get(first) == b"<html>report</html>"
    assert len(list(tmp_path.rglob("*.gz"))) == 1
    assert not list(tmp_path.rglob(".tmp-*"))


def test_get_refuses_missing_and_corrupt_objects(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path)
    digest = archive.put(b"abc")
    with pytest.raises(ArchiveError, match="no archived body"):
        archive.get("0" * 64)
    archive.path_for(digest).write_bytes(b"not gzip")
    with pytest.raises(ArchiveError, match="unreadable"):
        archive.get(digest)


def test_rejects_non_digest_keys(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="not a sha256"):
        RawArchive(tmp_path).path_for("../../etc/passwd")
