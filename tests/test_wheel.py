"""An installed wheel builds a workbook (issue 7: the VBA sources once sat outside the package).

A wheel is built from a copy of the sources (so the checkout gets no ``build/``), installed with
its ``[all]`` extras (the core alone depends on nothing) into a fresh virtual environment (no ``--system-site-packages``;
dependencies come through the machine's pip configuration, its wheel cache or index),
and the commands run there from a directory outside the checkout: ``perfxl new``,
``perfxl example`` and ``perfxl report`` on the example data shipped in the package.
The blank workbook it builds is the committed template byte for byte, which shows that
every source of a build (macros, ribbon, layout, profiles) is package data.

Slow (about half a minute: the dependencies are installed once per session).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMMITTED_TEMPLATE = ROOT / "workbook" / "PerfEval.xlsm"

pytestmark = pytest.mark.slow


def _run(args: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PYTHONIOENCODING"] = "utf-8"
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, encoding="utf-8")
    assert done.returncode == 0, f"{' '.join(args)} → {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> Path:
    """The ``bin`` directory of a fresh venv with the perfxl wheel installed."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    shutil.copytree(ROOT / "perfxl", src / "perfxl", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    dist = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)], base)
    wheels = list(dist.glob("perfxl-*.whl"))
    assert len(wheels) == 1, wheels
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], base)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", f"{wheels[0]}[all]"], base, timeout=600)
    return bin_dir


def test_wheel_holds_the_package_data(installed):
    code = ("import importlib.resources as r, perfxl; p = r.files('perfxl'); "
            "print(*sorted(str(x.relative_to(p)) for x in map(__import__('pathlib').Path, "
            "[p / 'workbook/macros/PerfButtons.bas', p / 'workbook/macros/customUI14.xml', "
            "p / 'examples/hengshan-kexie-2023.json', p / 'examples/hengshan-kexie-2023.xlsm', "
            "p / 'report/templates/report.docx', p / 'profiles/default.toml', p / 'py.typed']) if x.is_file()), sep='\\n')")
    out = _run([str(installed / "python"), "-c", code], installed).stdout.split()
    assert len(out) == 7, out
    # the installed package is not the checkout, and knows it has no repository to rebuild
    where = _run([str(installed / "python"), "-c", "import perfxl, perfxl.workbook.__main__ as m; print(perfxl.__file__); print(m.REPO)"],
                 installed).stdout.split("\n")
    assert not Path(where[0]).is_relative_to(ROOT) and where[1] == "None"
    # ... and refuses to rewrite files inside site-packages
    refused = subprocess.run([str(installed / "python"), "-m", "perfxl.workbook"], capture_output=True, text=True,
                             encoding="utf-8", cwd=installed)
    assert refused.returncode == 2 and "perfxl new" in refused.stderr


def test_installed_commands_build_a_workbook_and_a_report(installed, tmp_path):
    perfxl = str(installed / "perfxl")
    _run([perfxl, "new", "-o", "x.xlsm"], tmp_path)
    assert (tmp_path / "x.xlsm").read_bytes() == COMMITTED_TEMPLATE.read_bytes()
    _run([perfxl, "example", "-o", "out"], tmp_path)
    for name in ("PerfEval.xlsm", "hengshan-kexie-2023.xlsm", "自评报告.docx"):
        assert (tmp_path / "out" / name).stat().st_size > 0, name
    example = _run([str(installed / "python"), "-c", "from perfxl.present import example_data_path; print(example_data_path())"],
                   tmp_path).stdout.strip()
    assert Path(example).is_file() and not Path(example).is_relative_to(ROOT)
    # the example has 错误: its report is a draft (issue 10: errors stop publication)
    _run([perfxl, "report", example, "-o", "r.docx", "--draft"], tmp_path)
    assert (tmp_path / "r.docx").stat().st_size > 0 and (tmp_path / "r-校验说明.docx").stat().st_size > 0
