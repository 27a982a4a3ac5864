"""The sheets' formulas give the core's numbers.

The example workbook's formulas are evaluated by the ``formulas`` package (an Excel
engine in Python) with the PERF_* UDFs registered from ``perfxl.udfs``: this proves
that each formula is wired to the right cells.  The cached values written by the
builder (what a viewer without the UDFs shows) must agree too.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfxl.workbook import layout as L

formulas = pytest.importorskip("formulas")


def _plain(value):
    """What Excel would pass a UDF: None for an empty cell, Python numbers and text."""
    import numpy as np
    import schedula as sh

    if value is sh.EMPTY or (hasattr(formulas.tokens, "Token") and isinstance(value, formulas.tokens.Token) and str(value) == "empty"):
        return None
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (np.integer, np.floating)):
        return float(value)
    if isinstance(value, np.str_):
        return str(value)
    return value


def _as_excel_function(fn):
    # a named closure: the formulas package does not accept lambdas with defaults
    def call(*args):
        return fn(*[_plain(a) for a in args])

    call.__name__ = fn.__name__
    return call


@pytest.fixture(scope="module")
def solution(fresh_example):
    return _solve(fresh_example)


def _solve(path) -> dict:
    """{(sheet, cell): value} of every cell, computed by the formulas engine."""
    from formulas.functions import wrap_ufunc

    from perfxl import udfs

    functions = formulas.get_functions()
    for name in udfs.UDF_NAMES:
        functions[name] = wrap_ufunc(_as_excel_function(getattr(udfs, name)), input_parser=lambda *a: a,
                                     args_parser=lambda *a: a, check_error=lambda *a: None)
    model = formulas.ExcelModel().loads(str(path)).finish()
    solved = model.calculate()
    out = {}
    for key, value in solved.items():
        book_sheet, _, cell = key.rpartition("!")
        if "]" not in book_sheet:
            continue
        sheet = book_sheet.strip("'").split("]", 1)[1]
        if ":" in cell or not sheet:  # ranges and defined names: their cells are there too
            continue
        raw = value.value[0][0] if hasattr(value, "value") else value
        out[(sheet, cell.upper())] = _plain(raw)
    return out


def _at(solution, path):
    sheet, cell = L.LAYOUT.locate(path)
    return solution[(sheet, cell)]


def test_execution_rates_and_budget_scores(solution):
    assert _at(solution, "overall.funds[0].execution_rate") == pytest.approx(132.61 / 133.09, abs=1e-12)
    assert str(_at(solution, "overall.funds[0].execution_rate")).startswith("0.99639")
    assert str(_at(solution, "projects[0].funds[0].execution_rate")).startswith("0.98752")
    assert _at(solution, "overall.funds[0].rule_score") == pytest.approx(9.96)
    assert _at(solution, "projects[0].funds[0].rule_score") == pytest.approx(9.88)


def _same(sheet_value, core_value):
    if core_value is None:
        return isinstance(sheet_value, str) and sheet_value  # "—" or a short reason
    return sheet_value == pytest.approx(float(core_value))


def test_indicator_rule_scores_totals_and_grades(solution, example_scores):
    """Every rule score, total and grade in the sheet is scoring.py's (PERF_SCORE is given
    the 自评得分 too, so qualitative rows are filed in the same tier band)."""
    for scored in example_scores.tables:
        assert _same(_at(solution, f"{scored.path}.funds[0].rule_score"), scored.budget_score)
        for score in scored.indicators:
            sheet_value = _at(solution, f"{scored.path}.indicators[{score.index}].rule_score")
            assert _same(sheet_value, score.rule_score), score.path
        assert _at(solution, f"{scored.path}.rule_total") == pytest.approx(float(scored.rule_total))
        assert _at(solution, f"{scored.path}.rule_grade") == scored.grade
        assert _at(solution, f"{scored.path}.self_total") == pytest.approx(float(scored.self_total))
        assert _at(solution, f"{scored.path}.self_grade") == scored.self_grade
        assert _at(solution, f"{scored.path}.weight_total") == pytest.approx(100)
    # hand-worked totals (tests/test_golden_example.py): 82.96 良 and 77.88 中
    assert _at(solution, "overall.rule_total") == pytest.approx(82.96)
    assert _at(solution, "projects[0].rule_total") == pytest.approx(77.88)


def test_sums_and_control_rates(solution):
    assert _at(solution, "overall.income_total") == pytest.approx(132.45)
    assert _at(solution, "overall.spending_total") == pytest.approx(132.55)
    assert _at(solution, "basic.staff_rate") == pytest.approx(0.75)
    assert _at(solution, "basic.three_public.actual_sum") == pytest.approx(0.44)
    assert _at(solution, "basic.vehicles.budget_sum") == pytest.approx(0)
    assert _at(solution, "basic.project_total.actual_sum") == pytest.approx(42.73)
    assert _at(solution, "basic.three_public.change_rate") == pytest.approx((0.44 - 0.14) / 0.14)
    assert _at(solution, "basic.buildings.area_rate") == "—"  # 0 ÷ 0: never a silent 0
    sheet, cell = L.LAYOUT.locate("overall.level1_weights#0.indicator_sum")
    assert solution[(sheet, cell)] == pytest.approx(50)


def test_titles_follow_the_year(solution):
    overall = L.LAYOUT.sheet("overall")
    title = next(st for st in overall.statics if isinstance(st.text, L.Expr))
    assert solution[(overall.name, title.cell)] == "2023年度部门整体支出绩效自评表"


def test_cached_values_equal_the_engine(fresh_example, solution):
    """What the file shows without the UDFs (the builder's cached values) = the engine's values."""
    import openpyxl

    book = openpyxl.load_workbook(fresh_example, data_only=True, read_only=True)
    checked = 0
    for sheet in L.LAYOUT.sheets:
        cells = [c.cell for c in sheet.computed] + [f"{rf.col}{r.first_row + i}" for r in sheet.regions
                                                     for rf in r.formulas for i in range(r.capacity)]
        cells += [st.cell for st in sheet.statics if isinstance(st.text, L.Expr)]
        if not cells:
            continue
        grid = list(book[sheet.name].iter_rows(values_only=True))
        for cell in cells:
            col, row = L.split_cell(cell)
            cached = grid[row - 1][L.col_index(col)]
            engine = solution.get((sheet.name, cell), solution.get((sheet.name.upper(), cell)))  # the engine upper-cases xlwings.conf
            if isinstance(engine, float):
                assert cached == pytest.approx(engine), (sheet.name, cell)
            else:
                assert (cached or "") == (engine or ""), (sheet.name, cell)
            checked += 1
    book.close()
    assert checked > 60


def test_core_numbers_are_what_the_domain_says(example_scores):
    overall, project = example_scores.tables
    assert overall.execution_rate.quantize(Decimal("0.0001")) == Decimal("0.9964")
    assert project.execution_rate.quantize(Decimal("0.0001")) == Decimal("0.9875")
    assert overall.budget_score == Decimal("9.96")
    assert project.budget_score == Decimal("9.88")
