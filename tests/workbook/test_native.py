"""The native formulas (sheets/native.py) equal their Python twins and the core's rules on
the edge cases: zero, negative, blank and text denominators, the 执行率 score's cap and
rounding, the grade bands of each built-in profile and the strict profile's execution cap.

A small workbook holds one row per case: the inputs, then each formula; the ``formulas``
engine (an Excel engine in Python) computes them, and each result must equal the twin
(what the builder caches) and the core's rule.  The twins are called with the values as
the builder holds them (Decimal, text, None).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfxl.core import rules
from perfxl.core.profile import load_profile
from perfxl.workbook.formula import Expr, Lit, Native, Ref, Rng
from perfxl.workbook.sheets import native

formulas = pytest.importorskip("formulas")

D = Decimal
#: (numerator, denominator) of the rate cases; None is an empty cell
RATE_CASES = [(D("132.61"), D("133.09")), (D(5), D(0)), (D(5), D(-2)), (D(-3), D(4)), (None, D(4)), ("——", D(4)),
              (D(4), "——"), (D("0.44"), D("0.14"))]
#: (actual, budget, weight) of the 执行率 score cases
SCORE_CASES = [(D("132.61"), D("133.09"), D(10)), (D(150), D(100), D(10)), (D(-5), D(100), D(10)),
               (D(50), D(100), D(-1)), (D(50), D(0), D(10)), (D("42.73"), D("43.27"), D(10)), (D(1), D(3), D(10)),
               (None, D(3), D(10)), (D("99.5"), D(100), D("7.5"))]
GRADE_CASES = [D(95), D(90), D("89.99"), D(80), D("79.5"), D(70), D(60), D("59.99"), D(0), D(100), D(101), D(-1), None,
               "部分指标需Python计算"]


def _table(profile_cell: str = "Z2", profiles=None) -> native.RuleTable:
    """The built-in profiles' table on the test sheet (from AB1), following *profile_cell*."""
    return native.RuleTable("S", Ref(profile_cell), profiles or native.workbook_rules().profiles, col="AB", row=1)


def _write(path, rows: list[list[object]], exprs: list[Expr], table: native.RuleTable | None = None) -> list[str]:
    """Inputs in A.. of each row, *exprs* (one per row, over that row) in column H, and *table* (the
    profiles' rules the formulas look up, the built-in ones by default); the cells of *exprs*."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    ws.write("Z1", "strict")
    ws.write("Z2", "default")
    put_cells(ws, (table or _table()).cells())
    cells = []
    for r, (values, expr) in enumerate(zip(rows, exprs, strict=True), start=1):
        for c, value in enumerate(values):
            if isinstance(value, Decimal):
                ws.write_number(r - 1, c, float(value))
            elif isinstance(value, str):
                ws.write_string(r - 1, c, value)
        ws.write_formula(f"H{r}", "=" + expr.formula("S"))
        cells.append(f"H{r}")
    wb.close()
    return cells


def _solve(path, cells: list[str]) -> list[object]:
    import numpy as np

    solved = formulas.ExcelModel().loads(str(path)).finish().calculate()
    out = []
    for cell in cells:
        key = next(k for k in solved if k.upper().endswith(f"S'!{cell}") or k.upper().endswith(f"S!{cell}"))
        value = solved[key].value[0][0]
        out.append(float(value) if isinstance(value, (int, float, np.number)) and not isinstance(value, bool) else str(value))
    return out


def _same(engine: object, twin: object) -> bool:
    if isinstance(twin, Decimal):
        return isinstance(engine, float) and engine == pytest.approx(float(twin), abs=1e-9)
    return engine == ("" if twin is None else twin)


def _twin(expr: Native, values: list[object]) -> object:
    return expr.twin(*values)


def _twin_at(expr: Native, cells: dict[str, object]) -> object:
    """The twin of *expr* given the cells' values (as the builder holds them), as ``cached.Values`` calls it."""
    def value(arg: Expr) -> object:
        if isinstance(arg, Rng):
            return [cells.get(c) for c in arg.cells()]
        if isinstance(arg, Ref):
            return cells.get(arg.cell)
        if isinstance(arg, Native):
            return _twin_at(arg, cells)
        if isinstance(arg, Lit):
            return arg.value
        raise TypeError(arg)
    return expr.twin(*(value(a) for a in expr.args))


@pytest.mark.parametrize("rule", sorted(native.RATE_RULES))
def test_rates(rule, tmp_path):
    exprs = [native.rate(rule, Ref(f"A{r}"), Ref(f"B{r}")) for r in range(1, len(RATE_CASES) + 1)]
    got = _solve(tmp_path / "r.xlsx", _write(tmp_path / "r.xlsx", [list(c) for c in RATE_CASES], exprs))
    fn = native.RATE_RULES[rule][0]
    for case, expr, engine in zip(RATE_CASES, exprs, got, strict=True):
        twin = _twin(expr, list(case))
        assert _same(engine, twin), (rule, case, engine, twin)
        core = fn(*(v if isinstance(v, Decimal) else None for v in case))
        assert twin == ("—" if core is None else core)


def test_budget_scores(tmp_path):
    exprs = [native.budget_score(Ref(f"A{r}"), Ref(f"B{r}"), Ref(f"C{r}"), _table()) for r in range(1, len(SCORE_CASES) + 1)]
    got = _solve(tmp_path / "s.xlsx", _write(tmp_path / "s.xlsx", [list(c) for c in SCORE_CASES], exprs))
    for r, (case, expr, engine) in enumerate(zip(SCORE_CASES, exprs, got, strict=True), start=1):
        twin = _twin_at(expr, {f"{c}{r}": v for c, v in zip("ABC", case, strict=True)} | {"Z2": "default"})
        assert _same(engine, twin), (case, engine, twin)
        core = rules.budget_score(*(v if isinstance(v, Decimal) else None for v in case))
        assert twin == ("—" if core is None else core)
    assert got[0] == pytest.approx(9.96) and got[1] == pytest.approx(10) and got[2] == pytest.approx(0)
    assert got[6] == pytest.approx(3.33) and got[8] == pytest.approx(7.46)  # 0.995 × 7.5 = 7.4625


@pytest.mark.parametrize("profile_cell", ["Z1", "Z2", "Y9"])  # strict, default, an empty cell (the default)
def test_grades(profile_cell, tmp_path):
    exprs = [native.grade(Ref(f"A{r}"), _table(profile_cell)) for r in range(1, len(GRADE_CASES) + 1)]
    got = _solve(tmp_path / "g.xlsx", _write(tmp_path / "g.xlsx", [[c] for c in GRADE_CASES], exprs, _table(profile_cell)))
    name = {"Z1": "strict", "Z2": "default", "Y9": None}[profile_cell]
    profile = load_profile(name or "default")
    for r, (case, expr, engine) in enumerate(zip(GRADE_CASES, exprs, got, strict=True), start=1):
        twin = _twin_at(expr, {f"A{r}": case, profile_cell: name})
        assert engine == twin, (case, engine, twin)
        if isinstance(case, Decimal) and 0 <= case <= 100:
            assert twin == rules.grade(case, profile)
    assert got[3] == ("优" if name == "strict" else "良")  # 80


@pytest.mark.parametrize("rate", [D("0.45"), D("0.65"), D("0.75"), D("0.85"), D("0.7"), None])
@pytest.mark.parametrize("profile_cell", ["Z1", "Z2"])
def test_rule_total_and_the_execution_cap(rate, profile_cell, tmp_path):
    """规则总分 = ROUND(SUM(…),2), capped by 执行率 under strict (``rules.cap_total``)."""
    scores = [D(10), D("40.5"), D("30.25"), D(9)]  # 89.75
    row = [*scores, rate]
    expr = native.rule_total(Ref("A1"), Rng("B1", "D1"), Ref("E1"), _table(profile_cell))
    path = tmp_path / "t.xlsx"
    (engine,) = _solve(path, _write(path, [row], [expr], _table(profile_cell)))
    name = {"Z1": "strict", "Z2": "default"}[profile_cell]
    twin = _twin_at(expr, dict(zip(["A1", "B1", "C1", "D1", "E1", profile_cell], [*row, name], strict=True)))
    assert _same(engine, twin), (engine, twin)
    assert twin == rules.cap_total(D("89.75"), rate, load_profile(name))


def test_the_rule_total_says_when_a_score_needs_python(tmp_path):
    expr = native.rule_total(Ref("A1"), Rng("B1", "D1"), Ref("E1"), _table())
    path = tmp_path / "n.xlsx"
    (engine,) = _solve(path, _write(path, [[D(10), D(40), native.NEEDS_PYTHON, D(9)]], [expr]))
    cells = {"A1": D(10), "B1": D(40), "C1": native.NEEDS_PYTHON, "D1": D(9), "Z2": ""}
    assert engine == native.RULE_TOTAL_NEEDS_PYTHON == _twin_at(expr, cells)


def test_the_rule_total_says_when_python_failed_in_excel(tmp_path):
    """A text xlwings shows when Python fails is not a score: the total says so; PERF_SCORE's
    own replies ("—", "#需选择档次") count as no points, as in the core."""
    expr = native.rule_total(Ref("A1"), Rng("B1", "D1"), Ref("E1"), _table())
    path = tmp_path / "x.xlsx"
    rows = [[D(10), D(40), "Could not activate Python COM server", D(9)], [D(10), D(40), "#需选择档次", "—"]]
    exprs = [expr, native.rule_total(Ref("A2"), Rng("B2", "D2"), Ref("E2"), _table())]
    failed, replies = _solve(path, _write(path, rows, exprs))
    cells = {f"{c}{r}": v for r, row in enumerate(rows, start=1) for c, v in zip("ABCD", row, strict=True)}
    assert failed == native.RULE_TOTAL_NEEDS_PYTHON == _twin_at(expr, cells | {"Z2": "default"})
    assert replies == pytest.approx(50) and _twin_at(exprs[1], cells | {"Z2": ""}) == D(50)


def test_the_fallback_shows_needs_python_for_an_excel_error(tmp_path):
    expr = native.fallback(Native("1/{0}", (Ref("A1"),), lambda v: v))
    path = tmp_path / "f.xlsx"
    (engine,) = _solve(path, _write(path, [[D(0)]], [expr]))
    assert engine == native.NEEDS_PYTHON == expr.twin("#DIV/0!")
    assert expr.twin(D(3)) == D(3) and expr.twin("—") == "—"


def put_cells(ws, cells) -> None:
    """Write (cell, value) pairs on the sheet "S": a ``Native`` as its formula, an amount as a number."""
    for cell, value in cells:
        if isinstance(value, Native):
            ws.write_formula(cell, "=" + value.formula("S"))
        elif isinstance(value, Decimal):
            ws.write_number(cell, float(value))
        elif value is not None:
            ws.write_string(cell, value)
