"""The core must stay free of Excel, Word and table libraries (style.md point 1)."""

from __future__ import annotations

import ast
import subprocess
import sys

from .conftest import ROOT

FORBIDDEN = {"xlwings", "openpyxl", "pandas", "docx", "docxtpl", "xlsxwriter", "formulas", "pyopenvba"}


def test_core_modules_do_not_import_edge_libraries():
    offenders = []
    for path in sorted((ROOT / "perfxl" / "core").glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_importing_perfxl_loads_no_edge_library():
    code = f"import sys, perfxl; print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_the_application_layer_loads_no_edge_library():
    """perfxl.app imports its edge libraries only inside the operations that need them."""
    modules = "perfxl.app.assessing, perfxl.app.reports, perfxl.app.workbooks, perfxl.app.environment, perfxl.batch"
    code = (f"import sys, {modules}; "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
