"""The core must stay free of Excel, Word and table libraries (style.md point 1)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

FORBIDDEN = {"xlwings", "openpyxl", "pandas", "docx", "docxtpl", "xlsxwriter", "formulas", "pyopenvba",
             "python_calamine", "lxml", "numpy"}
#: the only parts of perfxl outside the core that the core may import (leaf modules, standard library only)
CORE_MAY_IMPORT = ("perfxl.core", "perfxl.errors")


def _imports(path: Path) -> list[str]:
    """Absolute names of the modules *path* imports (relative imports resolved from its package)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            names.append(".".join([*base, node.module] if node.module else base))
    return names


def test_core_modules_do_not_import_edge_libraries():
    offenders = []
    for path in sorted((ROOT / "perfxl" / "core").rglob("*.py")):  # subpackages too (rules/, checks/)
        for name in _imports(path):
            outside = name.startswith("perfxl") and not name.startswith(CORE_MAY_IMPORT)
            if name.split(".")[0] in FORBIDDEN or outside:
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
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
