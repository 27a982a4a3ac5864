"""The workbook computes without Python: a LibreOffice hard recalculation (issue 8, item 1).

LibreOffice runs headless with a fresh user profile whose ``registrymodifications.xcu``
sets ``/org.openoffice.Office.Calc/Formula/Load`` ``OOXMLRecalcMode`` = 0 (always
recalculate) and the macro security to "very high" (no macros), converts the workbook
to .xlsx, and the recalculated values are read back.  Every computed cell must show what
the builder cached (the core's value: ``cached.py`` computes it with the core's rules)
and the core's own numbers (``scoring``); the indicator rule scores, which need the
parser (PERF_SCORE), show ``NEEDS_PYTHON`` instead, and the rule total then says so
(``RULE_TOTAL_NEEDS_PYTHON``) instead of adding up fewer numbers.

Two workbooks: the example, and a blank workbook filled by ``perfxl fill`` with a
variant of the example that exercises the profile cell (strict: grades 80/70/60), a zero
全年预算数 (执行率 and its score "—") and a printed total of 75 (良 under strict).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from perfxl.workbook import layout as L
from perfxl.workbook.sheets.native import NEEDS_PYTHON, RULE_TOTAL_NEEDS_PYTHON

from ..tools import SOFFICE, soffice_convert
from .conftest import EXAMPLE_JSON

pytestmark = [pytest.mark.soffice, pytest.mark.slow,
              pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; CI installs libreoffice-calc")]

#: always recalculate OOXML files on load; macros never run
REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse">\
<value>3</value></prop></item>
</oor:items>
"""
ERRORS = ("#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NUM!", "Err:")


def recalculate(book: Path, out_dir: Path) -> Path:
    """*book* hard-recalculated by LibreOffice (macros off), saved as .xlsx in *out_dir*."""
    profile = out_dir / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(REGISTRY, encoding="utf-8")
    return soffice_convert(book, "xlsx", out_dir, profile)


def _filled_data(tmp: Path) -> Path:
    data = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    data["profile"] = "strict"
    data["overall"]["funds"][0]["full_year_budget"] = "0"
    data["overall"]["printed_total_score"] = "75"
    path = tmp / "variant.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> tuple[Path, Path]:
    """(the workbook ``perfxl fill`` wrote from the variant, its data file)."""
    tmp = tmp_path_factory.mktemp("filled")
    data = _filled_data(tmp)
    book = tmp / "variant.xlsm"
    result = subprocess.run([sys.executable, "-m", "perfxl", "fill", str(data), "-o", str(book)],
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    return book, data


def _values(path: Path) -> dict[tuple[str, str], object]:
    import openpyxl

    book = openpyxl.load_workbook(path, data_only=True)
    out = {(ws.title, c.coordinate): c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
    book.close()
    return out


def _computed_cells(layout: L.WorkbookLayout) -> list[tuple[str, str, str]]:
    """(sheet, cell, kind) of every formula cell; kind names what may differ without Python."""
    out = []
    for s in layout.sheets:
        out += [(s.name, c.cell, c.path) for c in s.computed]
        out += [(s.name, f"{rf.col}{r.first_row + i}", rf.attr if r.path == "indicators" else "")
                for r in s.regions for rf in r.formulas for i in range(r.capacity)]
        out += [(s.name, st.cell, "") for st in s.statics if isinstance(st.text, L.Expr)]
    return out


def _check_every_cell(built: Path, recalculated: Path, layout: L.WorkbookLayout) -> dict[tuple[str, str], object]:
    """Every computed cell after the recalculation = the builder's cached value (the core's),
    but for the indicator rule scores (``NEEDS_PYTHON``) and what depends on them."""
    cached, recalc = _values(built), _values(recalculated)
    needs_python = 0
    cells = _computed_cells(layout)
    totals = {s.name: (s.name, c.cell) for s in layout.sheets for c in s.computed if c.path == "rule_total"}
    for sheet, cell, kind in cells:
        want, got = cached[(sheet, cell)], recalc.get((sheet, cell))
        assert not (isinstance(got, str) and got.startswith(ERRORS)), (sheet, cell, got)
        if kind == "rule_score" and got == NEEDS_PYTHON:
            needs_python += 1
        elif kind == "rule_total" and got == RULE_TOTAL_NEEDS_PYTHON:
            assert isinstance(want, float)  # with Python it is a number
        elif kind == "rule_grade" and got == "—":  # the grade of a total that needs Python
            assert recalc[totals[sheet]] == RULE_TOTAL_NEEDS_PYTHON
        elif isinstance(want, float):
            assert got == pytest.approx(want, abs=1e-9), (sheet, cell)
        else:
            assert (got or "") == (want or ""), (sheet, cell)
    assert len(cells) > 60 and needs_python > 10
    return recalc


def _at(values: dict, layout: L.WorkbookLayout, path: str) -> object:
    loc = layout.locate(path)
    assert loc is not None, path
    return values[loc]


def _check_core(values: dict, layout: L.WorkbookLayout, scores) -> None:
    """The core's numbers where they need no parser: rates, the 执行率 score, self totals, grades."""
    for t in scores.tables:
        rate = _at(values, layout, f"{t.path}.funds[0].execution_rate")
        budget = _at(values, layout, f"{t.path}.funds[0].rule_score")
        if t.execution_rate is None:
            assert rate == "—" or rate is None
        else:
            assert rate == pytest.approx(float(t.execution_rate), abs=1e-12)
        assert (budget == "—") if t.budget_score is None else budget == pytest.approx(float(t.budget_score))
        assert _at(values, layout, f"{t.path}.self_total") == pytest.approx(float(t.self_total))
        assert _at(values, layout, f"{t.path}.weight_total") == pytest.approx(100)
        assert _at(values, layout, f"{t.path}.rule_total") == RULE_TOTAL_NEEDS_PYTHON
        for s in t.indicators:
            assert _at(values, layout, f"{t.path}.indicators[{s.index}].rule_score") == NEEDS_PYTHON


def test_the_example_computes_without_python(fresh_example, example_scores, tmp_path):
    from .conftest import load_example

    layout = L.layout_for(load_example())
    values = _check_every_cell(fresh_example, recalculate(fresh_example, tmp_path), layout)
    _check_core(values, layout, example_scores)
    assert _at(values, layout, "overall.funds[0].execution_rate") == pytest.approx(132.61 / 133.09)
    assert _at(values, layout, "overall.funds[0].rule_score") == pytest.approx(9.96)
    assert _at(values, layout, "projects[0].funds[0].rule_score") == pytest.approx(9.88)
    assert _at(values, layout, "overall.income_total") == pytest.approx(132.45)
    assert _at(values, layout, "overall.spending_total") == pytest.approx(132.55)
    assert _at(values, layout, "basic.staff_rate") == pytest.approx(0.75)
    assert _at(values, layout, "basic.three_public.change_rate") == pytest.approx((0.44 - 0.14) / 0.14)
    assert _at(values, layout, "basic.buildings.area_rate") == "—"  # 0 ÷ 0
    assert _at(values, layout, "overall.self_grade") == "优" == example_scores.tables[0].self_grade  # 91
    assert values[(L.OVERALL_SHEET, "A2")] == "2023年度部门整体支出绩效自评表"


def test_a_filled_blank_workbook_computes_without_python(filled, tmp_path):
    from perfxl.core.profile import load_profile
    from perfxl.core.scoring import score_evaluation
    from perfxl.core.serde import evaluation_from_dict

    book, data = filled
    evaluation = evaluation_from_dict(json.loads(data.read_text(encoding="utf-8")))
    layout = L.layout_for(evaluation)
    values = _check_every_cell(book, recalculate(book, tmp_path), layout)
    scores = score_evaluation(evaluation, load_profile("strict"))
    _check_core(values, layout, scores)
    assert scores.tables[0].execution_rate is None and scores.tables[0].budget_score is None
    assert _at(values, layout, "overall.funds[0].execution_rate") == "—"  # a zero 全年预算数
    # the printed total 75 under strict (优 80, 良 70): 良; the default's bands would say 中
    assert _at(values, layout, "overall.self_grade") == "良"
    assert _at(values, layout, "projects[0].self_grade") == scores.tables[1].self_grade
