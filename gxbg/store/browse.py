"""``gxbg browse``: the SQLite database in Datasette, configured by ``gxbg/store/data/datasette.json``
(descriptions in Chinese and English, facets, canned queries; docs/browse.md has the same queries
for PostgreSQL).  The metadata is written for a database named ``gxbg``; :func:`metadata` re-keys it
to the file's own name, which is what Datasette calls the database.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

METADATA_FILE = Path(__file__).with_name("data") / "datasette.json"


def metadata(database: str = "gxbg") -> dict[str, Any]:
    """The Datasette metadata for a database called ``database`` (the SQLite file's stem)."""
    data: dict[str, Any] = json.loads(METADATA_FILE.read_text(encoding="utf-8"))
    data["databases"] = {database: data["databases"]["gxbg"]}
    return data


def canned_queries() -> dict[str, dict[str, Any]]:
    """Name → {title, sql, …} of every canned query."""
    queries: dict[str, dict[str, Any]] = metadata()["databases"]["gxbg"]["queries"]
    return queries


def serve(path: Path, *, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Run ``datasette serve`` on the file until interrupted; its exit code."""
    with tempfile.TemporaryDirectory(prefix="gxbg-browse-") as tmp:
        meta = Path(tmp) / "metadata.json"
        meta.write_text(json.dumps(metadata(path.stem), ensure_ascii=False), encoding="utf-8")
        command = [
            sys.executable, "-m", "datasette", "serve", str(path), "--metadata", str(meta),
            "--host", host, "--port", str(port), "--setting", "default_page_size", "50",
        ]  # fmt: skip
        try:
            return subprocess.call(command)
        except KeyboardInterrupt:
            return 130
