"""The repository's shape: the layers exist and the library imports without Prefect."""

from __future__ import annotations

import subprocess
import sys


def test_gxbg_imports_without_prefect() -> None:
    code = "import sys, gxbg, gxbg.kinds, gxbg.archive; assert 'prefect' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
