"""Run ``yearly_harvest`` against the Prefect server in PREFECT_API_URL and write its summary as JSON.

Used by ``test_scaleout.py`` (and ``scripts/``) as a subprocess, so that PREFECT_API_URL is set
only in that process:  scaleout_run.py OUT.json key=value ... (values are JSON).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from flows.scheduled import yearly_harvest

if __name__ == "__main__":
    out = Path(sys.argv[1])
    params = {key: json.loads(value) for key, value in (arg.split("=", 1) for arg in sys.argv[2:])}
    started = time.monotonic()
    state = yearly_harvest(**params, return_state=True)
    seconds = time.monotonic() - started
    summary = state.result(raise_on_failure=False)
    if isinstance(summary, BaseException):
        raise SystemExit(f"yearly_harvest {state.name}: {state.message}")
    out.write_text(json.dumps({"seconds": seconds, "summary": summary}, ensure_ascii=False), encoding="utf-8")
