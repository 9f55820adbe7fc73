"""The simulator's data ships inside the package: a copy of what it needs from ``tests/``, kept identical,
and enough on its own — a wheel built from the sources generates the committed site files and serves the
demo's reports with no ``tests/`` directory anywhere near it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from gxbg.sim import attachments
from gxbg.sim.cases import CASES, read_cases

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "cases"


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_case_texts_are_the_golden_cases_byte_for_byte() -> None:
    shipped = _files(CASES)
    golden = {name: (GOLDEN / name).read_bytes() for name in shipped}  # a file missing there raises
    assert shipped == golden  # after editing a golden case: copy it to gxbg/sim/data/cases
    cases = {d.name for d in GOLDEN.iterdir() if d.is_dir()}
    assert {name.split("/")[0] for name in shipped} == cases  # every case, and only its input texts
    assert {Path(name).name for name in shipped} == {"clean.txt", "truth.json"}


def test_the_attachment_fixtures_are_the_test_fixtures_byte_for_byte() -> None:
    shipped = _files(attachments.FIXTURES)
    assert set(shipped) == {*attachments.CASE_FILES.values(), "scanned.pdf"}
    for name, data in shipped.items():  # after `make_fixtures.py`: copy them to gxbg/sim/data/attachments
        assert data == (REPO / "tests" / "fixtures" / "attachments" / name).read_bytes(), name


def test_the_specs_read_from_the_package_are_those_of_the_golden_cases() -> None:
    assert read_cases() == read_cases(GOLDEN)


_FROM_THE_WHEEL = textwrap.dedent(
    """
    import json, pathlib, sys, urllib.request
    import gxbg
    from gxbg.sim import serve
    from gxbg.sim.generate import SITES, build

    assert pathlib.Path(gxbg.__file__).is_relative_to(sys.argv[1]), gxbg.__file__
    built = build()
    on_disk = {str(p.relative_to(SITES)): p.read_bytes() for p in SITES.rglob("*")
               if p.is_file() and p.name not in ("manifest.json", "dynamic.json")}
    assert built.files == on_disk, sorted(set(built.files) ^ set(on_disk))
    with serve(profile="demo") as sim:
        for seed in sim.seeds:
            urllib.request.urlopen(seed.url, timeout=10).read()
    print(len(built.files), len(sim.seeds))
    """
)


@pytest.mark.timeout(240)
def test_a_wheel_generates_and_serves_the_sites_without_tests(tmp_path: Path) -> None:
    source = tmp_path / "src"  # the sources a wheel is built from, without tests/
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("gxbg", "tasks", "flows", "cli"):
        shutil.copytree(REPO / name, source / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    build = "from setuptools import build_meta; print(build_meta.build_wheel(r'%s'))" % (tmp_path / "dist")
    done = subprocess.run(
        [sys.executable, "-c", build], cwd=source, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("gxbg-*.whl")
    installed = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(installed)
    assert not (installed / "tests").exists()
    env = {**os.environ, "PYTHONPATH": str(installed)}
    run = subprocess.run(
        [sys.executable, "-c", _FROM_THE_WHEEL, str(installed)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=200, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    files, seeds = map(int, run.stdout.split())
    sites = REPO / "gxbg" / "sim" / "sites"
    assert files == sum(1 for p in sites.rglob("*") if p.is_file()) - 2  # all but manifest.json, dynamic.json
    assert seeds == 3
