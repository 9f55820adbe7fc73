"""The Frictionless data package beside every export file: ``datapackage.json`` with one resource per
export file of its folder, each describing its columns (:mod:`gxbg.store.export_tables`)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from gxbg.store.export_tables import COLUMNS, DESCRIPTIONS, REPORT_JSON_KEYS

__all__ = ["DATAPACKAGE", "resource", "write_datapackage"]

DATAPACKAGE = "datapackage.json"


def resource(what: str, fmt: str, path: str, *, excel: bool = False) -> dict[str, Any]:
    """The Frictionless data resource describing one export file (``path`` relative to the package)."""
    fields: list[dict[str, Any]] = [
        {"name": c.name, "type": c.type, "description": c.description} for c in COLUMNS[what]
    ]
    if what == "reports" and fmt == "jsonl":
        fields += [{"name": n, "type": t, "description": d} for n, t, d in REPORT_JSON_KEYS]
    name = re.sub(r"[^a-z0-9._-]+", "-", Path(path).name.lower()).strip("-") or what
    described: dict[str, Any] = {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "description": DESCRIPTIONS[what],
        "format": fmt,
        "mediatype": {
            "csv": "text/csv",
            "jsonl": "application/jsonl",
            "parquet": "application/vnd.apache.parquet",
        }[fmt],
        "schema": {"fields": fields, "missingValues": [""]},
    }
    if fmt == "csv":
        described["encoding"] = "utf-8-sig" if excel else "utf-8"
        described["dialect"] = {"delimiter": ",", "header": True, "lineTerminator": "\r\n"}
    elif fmt == "jsonl":
        described["encoding"] = "utf-8"
    return described


def write_datapackage(directory: Path, described: dict[str, Any]) -> Path:
    """Add ``described`` to ``directory``/datapackage.json (replacing a resource of the same path) and
    return the package's path: one package per export folder, one resource per export file."""
    path = directory / DATAPACKAGE
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "gxbg-export",
        "title": "政府信息公开工作年度报告 — gxbg export",
        "description": "Figures of the annual reports on government information disclosure, read by gxbg "
        "(docs/storage.md, docs/report-json.md). A printed 0, a blank and '/' stay apart: see `meaning`.",
        "resources": [],
    }
    if path.exists():
        try:
            existing = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            existing = None
        if isinstance(existing, dict) and isinstance(existing.get("resources"), list):
            package = existing
    package["resources"] = [
        r for r in package["resources"] if not (isinstance(r, dict) and r.get("path") == described["path"])
    ] + [described]
    tmp = path.with_name(f".{DATAPACKAGE}.tmp")
    tmp.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
