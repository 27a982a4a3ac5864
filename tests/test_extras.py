"""perfxl with no extra installed: the core works, every other command names its extra.

A fresh virtual environment without pip holds only the standard library; perfxl runs
there from this source tree (PYTHONPATH), as after ``pip install perfxl`` without
extras.  The JSON commands must work; the others must say which extra to install and
exit 2, before doing any work.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import EXAMPLE_JSON, ROOT

EXAMPLE_XLSM = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.xlsm"


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bare-venv")
    venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(folder)
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    probe = subprocess.run([str(python), "-c", "import openpyxl"], capture_output=True, text=True)
    if probe.returncode == 0:  # pragma: no cover - a system site-packages leaked in
        pytest.skip("the fresh virtual environment can import openpyxl")
    return python


def bare(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([str(python), "-m", "perfxl", *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_the_core_needs_no_extra(bare_python, tmp_path):
    out = bare(bare_python, "check", str(EXAMPLE_JSON), cwd=tmp_path)
    assert out.returncode == 1 and "RATE_MISMATCH" in out.stdout, out.stderr
    assert bare(bare_python, "score", str(EXAMPLE_JSON), "--json", cwd=tmp_path).returncode == 0
    assert bare(bare_python, "export", str(EXAMPLE_JSON), "-o", str(tmp_path / "d.json"), cwd=tmp_path).returncode == 0


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (("report", str(EXAMPLE_JSON), "-o", "r.docx"), "report"),
        (("check", str(EXAMPLE_XLSM)), "workbook"),
        (("new", "-o", "x.xlsm"), "workbook"),
        (("fill", str(EXAMPLE_JSON), "-o", "x.xlsm"), "workbook"),
        (("batch", str(EXAMPLE_JSON), "-o", "s.csv"), "batch"),
    ],
    ids=["report", "read-workbook", "new", "fill", "batch"],
)
def test_a_missing_extra_is_named_with_its_pip_command(bare_python, tmp_path, args, extra):
    out = bare(bare_python, *args, cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert f'pip install "perfxl[{extra}]"' in out.stderr and "Traceback" not in out.stderr
    assert out.stdout == "" and list(tmp_path.iterdir()) == []  # nothing done, nothing written


def test_this_interpreter_has_every_extra():
    """The README's commands install perfxl[all,test]: the test suite runs with every extra."""
    for module in ("openpyxl", "xlsxwriter", "pyopenvba", "xlwings", "docx", "docxtpl", "pandas"):
        __import__(module)
    assert sys.version_info >= (3, 11)


def test_reading_a_workbook_through_calamine_imports_neither_openpyxl_nor_numpy():
    """The workbook extra is looked up, not imported (issue 11: a batch worker paid ~0.4 s on
    its first file for openpyxl and the numpy it imports when pandas is installed)."""
    pytest.importorskip("python_calamine")
    script = ("import sys; from perfxl.app.assessing import assess_input;"
              f"assess_input({str(EXAMPLE_XLSM)!r});"
              "print(' '.join(m for m in ('openpyxl', 'numpy', 'pandas') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
