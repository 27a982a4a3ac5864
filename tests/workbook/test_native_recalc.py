"""The profile table computes in LibreOffice too (issue 9): a hard recalculation, macros off.

The example is built with a table that also holds a profile written here (as a shipped one
would be: ÷ 全年预算数 + 年初结转, steps of 5% at 1 point, whole points, strict's grades and
cap), its fund row given a 年初结转; after LibreOffice recalculates, every computed cell shows
what the builder cached and the fund rows show the core's numbers for that profile
(``scoring.score_evaluation``).  Its indicator scores need PERF_SCORE, which reads only the
shipped profiles, so they show "需Python" as every rule score does without Python.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from perfxl.core.profile import load_profile
from perfxl.workbook import layout as L
from perfxl.workbook.sheets import native

from .conftest import load_example
from .test_recalc import _at, _check_every_cell, recalculate

pytestmark = [pytest.mark.soffice, pytest.mark.slow]

PROFILE = """extends = "strict"
name = "t-carry-steps"

[execution_score]
denominator = "full_year_carryover"
method = "steps"
step_points = 1
rounding = "whole"
"""


def test_a_table_profile_computes_in_libreoffice(tmp_path, monkeypatch):
    from perfxl.core.scoring import score_evaluation
    from perfxl.workbook.builder import build_workbook

    from ..tools import SOFFICE

    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    (tmp_path / "t-carry-steps.toml").write_text(PROFILE, encoding="utf-8")
    profile = load_profile(tmp_path / "t-carry-steps.toml")
    shipped = native.workbook_rules()
    table = native.RuleTable(shipped.sheet, shipped.profile, (*shipped.profiles, ("t-carry-steps", profile)))
    monkeypatch.setattr(native, "workbook_rules", lambda: table)
    L._cached_layout.cache_clear()
    try:
        evaluation = load_example()
        fund = dataclasses.replace(evaluation.overall.funds[0], actual=Decimal(100), carried_over=Decimal(10))
        overall = dataclasses.replace(evaluation.overall, funds=[fund, *evaluation.overall.funds[1:]])
        evaluation = dataclasses.replace(evaluation, profile="t-carry-steps", overall=overall)
        layout = L.layout_for(evaluation)
        book = build_workbook(evaluation, tmp_path / "carry.xlsm")
    finally:
        L._cached_layout.cache_clear()
    values = _check_every_cell(book, recalculate(book, tmp_path), layout)
    overall_score, project_score = score_evaluation(evaluation, profile).tables
    # 100 ÷ (133.09 + 10) = 69.9%: 6 full steps of 5% below 100% → 10 − 6 = 4
    assert _at(values, layout, "overall.funds[0].execution_rate") == pytest.approx(100 / 143.09)
    assert _at(values, layout, "overall.funds[0].rule_score") == 4 == overall_score.budget_score
    # the project has no 年初结转: 42.73 ÷ 43.27 = 98.75%, no full step → 10 − 0 = 10 (whole points)
    assert _at(values, layout, "projects[0].funds[0].rule_score") == 10 == project_score.budget_score
    assert _at(values, layout, "overall.self_grade") == "优" == overall_score.self_grade  # 91 ≥ 80 (strict's bands)
    # the 当前方案 row found the profile's row (the last) and reads its parameters
    assert values[(L.CONF_SHEET, table["index"].cell)] == len(table.profiles)
    assert values[(L.CONF_SHEET, table["denominator"].cell)] == "full_year_carryover"
    assert values[(L.CONF_SHEET, table["method"].cell)] == "steps"
