"""The native formulas compute by the profile named in the profile cell (issue 9): the 执行率
denominator (全年预算数, 年初预算数, either + 年初结转), the score method (capped, uncapped,
bands, steps), its rounding (two decimals, whole points), the grade bands and the execution cap,
all looked up in the table of profiles (``sheets/ruletable.py``) on the hidden xlwings.conf sheet.

Each case is evaluated by the ``formulas`` engine (an Excel engine in Python) and must equal the
builder's twin and the core (``scoring.score_table``); the hand-worked numbers are written beside
the cases.  The table of these tests holds the built-in profiles and six more (two of the corpus'
.toml files and four written here): the formulas are the workbook's, only the table's rows
differ, which is what adding a built-in profile would do.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from perfxl.core import model
from perfxl.core.profile import Profile, load_profile
from perfxl.core.scoring import score_table
from perfxl.workbook.formula import Native, Ref, Rng
from perfxl.workbook.sheets import native

from .test_native import _same, _solve, _twin_at, put_cells

formulas = pytest.importorskip("formulas")

D = Decimal
CORPUS = Path(__file__).resolve().parents[1] / "corpus"
#: profiles written for these tests: (name, the [execution_score] lines)
EXTRA = {
    "t-bands": 'method = "bands"\nbands = [{ at = 1.0, fraction = 1 }, { at = 0.9, fraction = 0.8 }, { at = 0.6, fraction = 0.5 }]',
    "t-steps": 'method = "steps"\nstep_size = 0.05\nstep_points = 2',
    "t-carry": 'denominator = "full_year_carryover"',
    "t-initial-carry": 'denominator = "initial_carryover"\nmethod = "uncapped"\nrounding = "whole"',
}
#: fund rows: (全年执行数, 全年预算数, 年初预算数, 年初结转, 分值); None is an empty cell
ROWS = [
    (D("132.61"), D("133.09"), D("120"), None, D(10)),  # 0: the sample's 执行率
    (D(90), D(100), D(120), D(10), D(10)),              # 1: 90%, 75%, 81.8%, 69.2%
    (D(95), D(100), D(100), None, D(10)),               # 2: 95%: one full step of 5%
    (D("89.9"), D(100), D(100), None, D(10)),           # 3: 89.9%: two steps
    (D(150), D(100), D(100), None, D(10)),              # 4: over budget
    (D(-5), D(100), D(100), None, D(10)),               # 5: a negative 执行数 counts as 0
    (D(50), D(0), D(100), None, D(10)),                 # 6: 全年预算数 0
    (D(50), D(100), None, None, D(10)),                 # 7: no 年初预算数
    (D(50), D(100), D(100), "——", D(10)),               # 8: a text in 年初结转
    (D(85), D(100), D(100), D(0), D(10)),               # 9: 8.5 points, half up to 9 in whole points
    (D(1), D(3), D(3), None, D(10)),                    # 10: 3.33
    (D(50), D(100), D(100), D(-100), D(10)),            # 11: budget + 年初结转 = 0
    (D(50), D(100), D(100), None, D(-1)),               # 12: a negative 分值
    (D(60), D(100), D(100), D(20), D(20)),              # 13: weight 20
]
#: (profile, row) → (执行率, 执行率得分) by hand
HAND = {
    ("default", 0): (D("132.61") / D("133.09"), D("9.96")),  # 0.99639… × 10
    ("national", 1): (D("0.9"), D("9")),
    ("strict", 4): (D("1.5"), D("10")),  # capped at the weight
    ("beijing-2016", 1): (D("0.75"), D("8")),  # 90 ÷ 120 = 75% → 7.5 → 8 (whole points, half up)
    ("beijing-2016", 7): (None, None),  # no 年初预算数: the cell stays empty, no score
    ("whole-points", 9): (D("0.85"), D("9")),  # 8.5 → 9
    ("whole-points", 10): (D(1) / D(3), D("3")),
    ("t-bands", 1): (D("0.9"), D("8")),  # 90% reaches the 0.9 band: 0.8 × 10
    ("t-bands", 3): (D("0.899"), D("5")),  # 89.9%: the 0.6 band
    ("t-bands", 4): (D("1.5"), D("10")),
    ("t-steps", 1): (D("0.9"), D("6")),  # 10 − 2 × 2
    ("t-steps", 2): (D("0.95"), D("8")),  # 10 − 2
    ("t-steps", 3): (D("0.899"), D("6")),  # 0.101 ÷ 0.05 = 2.02: two full steps
    ("t-steps", 13): (D("0.6"), D("4")),  # 40% below: 8 steps × 2 = 16 of 20
    ("t-carry", 1): (D(90) / D(110), D("8.18")),  # 90 ÷ (100 + 10) = 81.8% × 10
    ("t-carry", 8): ("—", "—"),  # a text in 年初结转
    ("t-carry", 11): ("—", "—"),  # 100 − 100 = 0
    ("t-carry", 13): (D("0.5"), D("10")),  # 60 ÷ 120 × 20
    ("t-initial-carry", 1): (D(90) / D(130), D("7")),  # 90 ÷ (120 + 10) = 69.2% × 10 = 6.92 → 7
    ("t-initial-carry", 4): (D("1.5"), D("15")),  # uncapped: 150% × 10
}
GRADES = [D(95), D(90), D("89.99"), D(80), D("79.5"), D(70), D(60), D("59.99"), D(0), D(101), None]


def _profiles(tmp: Path) -> tuple[tuple[str, Profile], ...]:
    extra = []
    for name, body in EXTRA.items():
        path = tmp / f"{name}.toml"
        path.write_text(f'extends = "national"\nname = "{name}"\n\n[execution_score]\n{body}\n', encoding="utf-8")
        extra.append((name, load_profile(path)))
    corpus = [(p.name, p) for p in (load_profile(CORPUS / f) for f in ("beijing-2016.toml", "whole-points.toml"))]
    return (*native.workbook_rules().profiles, *corpus, *extra)


@pytest.fixture(scope="module")
def profiles(tmp_path_factory) -> tuple[tuple[str, Profile], ...]:
    return _profiles(tmp_path_factory.mktemp("profiles"))


def _book(path: Path, name: str, table: native.RuleTable, exprs: list[Native], cells: dict[str, object]) -> list[object]:
    """*cells* and the table on sheet S, the profile *name* in Z1, *exprs* in column H onward of their rows."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    ws.write_string("Z1", name)
    put_cells(ws, (*cells.items(), *table.cells()))
    out = []
    for i, expr in enumerate(exprs):
        cell = f"{'HIJKL'[i % 5]}{i // 5 + 1}"
        ws.write_formula(cell, "=" + expr.formula("S"))
        out.append(cell)
    wb.close()
    return _solve(path, out)


def _core(profile: Profile, row: tuple) -> tuple[object, object]:
    """(执行率, 执行率得分) of the row by ``scoring.score_table`` ("—" for none)."""
    actual, full, initial, carried, weight = row
    fund = model.FundRow("年度资金总额", initial_budget=initial, full_year_budget=full, actual=actual, weight=weight,
                         carried_over=carried)
    scored = score_table("overall", model.OverallTable(funds=[fund]), profile)
    return ("—" if scored.execution_rate is None else scored.execution_rate,
            "—" if scored.budget_score is None else scored.budget_score)


def test_the_extra_profiles_differ_as_meant(profiles):
    by_name = dict(profiles)
    assert {n for n, _ in profiles} >= {"default", "hunan", "national", "strict"}
    assert by_name["beijing-2016"].budget.denominator == "initial" and by_name["beijing-2016"].budget.rounding == "whole"
    assert [by_name[n].budget.method for n in ("t-bands", "t-steps", "t-initial-carry")] == ["bands", "steps", "uncapped"]


@pytest.mark.parametrize("index", range(10))  # the built-in profiles and the six of this test
def test_rates_and_scores_of_fund_rows_by_profile(index, profiles, tmp_path):
    name, profile = profiles[index]
    table = native.RuleTable("S", Ref("Z1"), profiles, col="AB", row=1)
    cells: dict[str, object] = {}
    exprs: list[Native] = []
    for r, row in enumerate(ROWS, start=30):
        cells |= {f"{c}{r}": v for c, v in zip("ABCDE", row, strict=True)}
        a, full, ini, c, w = (Ref(f"{col}{r}") for col in "ABCDE")
        exprs += [native.execution_rate(a, full, ini, c, table), native.budget_score(a, full, w, table, ini, c)]
    got = _book(tmp_path / "f.xlsx", name, table, exprs, cells)
    checked = 0
    for i, row in enumerate(ROWS):
        rate_cell, score_cell = got[2 * i], got[2 * i + 1]
        twins = [_twin_at(e, cells | {"Z1": name}) for e in exprs[2 * i: 2 * i + 2]]
        for engine, twin in zip((rate_cell, score_cell), twins, strict=True):
            assert _same(engine, twin), (name, i, engine, twin)
        rate, score = _core(profile, row)
        base = row[2] if profile.budget.denominator.startswith("initial") else row[1]
        assert twins[0] == ("" if base is None else rate), (name, i)  # an empty denominator: an empty cell
        assert twins[1] == score, (name, i)
        if (name, i) in HAND:
            want_rate, want_score = HAND[(name, i)]
            assert rate_cell == ("" if want_rate is None else want_rate if isinstance(want_rate, str)
                                 else pytest.approx(float(want_rate), abs=1e-12)), (name, i)
            assert score_cell == ("—" if want_score is None else want_score if isinstance(want_score, str)
                                  else pytest.approx(float(want_score))), (name, i)
            checked += 1
    assert checked == sum(1 for n, _ in HAND if n == name)


@pytest.mark.parametrize("name", ["default", "hunan", "national", "strict", "t-bands"])
def test_grades_and_the_execution_cap_by_profile(name, profiles, tmp_path):
    """等级 by the profile's bands (national 90/80/60, strict 80/70/60); 规则总分 capped by 执行率
    under strict only (< 80% → 89, < 70% → 79, < 60% → 69, < 50% → 59)."""
    profile = dict(profiles)[name]
    table = native.RuleTable("S", Ref("Z1"), profiles, col="AB", row=1)
    cells: dict[str, object] = {f"A{r}": g for r, g in enumerate(GRADES, start=30)}
    exprs = [native.grade(Ref(f"A{r}"), table) for r in range(30, 30 + len(GRADES))]
    rates = [D("0.45"), D("0.55"), D("0.65"), D("0.7"), D("0.75"), D("0.8"), D("0.95"), None]
    for r, rate in enumerate(rates, start=50):
        cells |= {f"A{r}": D(10), f"B{r}": D("40.5"), f"C{r}": D("30.25"), f"D{r}": D(9), f"E{r}": rate}  # 89.75
        exprs.append(native.rule_total(Ref(f"A{r}"), Rng(f"B{r}", f"D{r}"), Ref(f"E{r}"), table))
    got = _book(tmp_path / "g.xlsx", name, table, exprs, cells)
    for i, (engine, expr) in enumerate(zip(got, exprs, strict=True)):
        twin = _twin_at(expr, cells | {"Z1": name})
        assert _same(engine, twin), (name, i, engine, twin)
    grades = got[:len(GRADES)]
    strict = name == "strict"
    assert grades[:8] == (["优", "优", "优", "优", "良", "良", "中", "差"] if strict else
                          ["优", "优", "良", "良", "中", "中", "中", "差"])
    assert grades[9:] == ["#超出范围: 101", "—"]
    totals = got[len(GRADES):]
    want = [59, 69, 79, 89, 89, 89.75, 89.75, 89.75] if strict else [89.75] * len(rates)
    assert totals == [pytest.approx(w) for w in want]
    from perfxl.core import rules
    assert [rules.cap_total(D("89.75"), r, profile) for r in rates] == [D(str(w)) for w in want]


def test_a_profile_not_in_the_table_needs_python(profiles, tmp_path):
    """A department's own .toml (not built in): the profile-dependent cells fall back to the UDFs,
    i.e. "需Python" without Python; the rule total is the uncapped sum."""
    table = native.RuleTable("S", Ref("Z1"), profiles, col="AB", row=1)
    a, full, ini, c, w = (Ref(f"{col}30") for col in "ABCDE")
    cells = {"A30": D(90), "B30": D(100), "C30": D(120), "E30": D(10), "A31": D(95),
             "A32": D(10), "B32": D(80), "C32": D(9), "D32": D("0.4")}
    exprs = [native.execution_rate(a, full, ini, c, table), native.budget_score(a, full, w, table, ini, c),
             native.grade(Ref("A31"), table), native.rule_total(Ref("A32"), Rng("B32", "C32"), Ref("D32"), table)]
    got = _book(tmp_path / "c.xlsx", "my-county.toml", table, exprs, cells)
    # the UDFs' cells: "需Python", or the UDF's reply where test_formulas.py registered the PERF_*
    # functions in the engine (they read only the shipped profiles, as in Excel with Python)
    replies = (native.NEEDS_PYTHON, "#方案错误")
    assert got[0] == native.NEEDS_PYTHON and got[1].startswith(replies) and got[2].startswith(replies)
    assert got[3] == pytest.approx(99)  # 10 + 80 + 9, uncapped
    twins = [_twin_at(e, cells | {"Z1": "my-county.toml"}) for e in exprs]
    assert twins[0] == native.NEEDS_PYTHON and twins[1].startswith("#方案错误") and twins[3] == D(99)


def test_the_workbook_table_is_the_built_in_profiles():
    """The table the workbook carries: one row per built-in profile, the 当前方案 row below it."""
    from perfxl.core.profile import available_profiles

    table = native.workbook_rules()
    assert [n for n, _ in table.profiles] == available_profiles()
    cells = dict(table.cells())
    assert cells["D1"] == "方案" and [cells[f"D{r}"] for r in range(2, 2 + len(table.profiles))] == available_profiles()
    assert cells[f"C{table.active_row}"] == "当前方案"
    strict_row = 2 + available_profiles().index("strict")
    header = {v: k for k, v in cells.items() if isinstance(v, str) and k.endswith("1")}
    assert cells[header["优"].replace("1", str(strict_row))] == D(80)
    assert cells[header["执行率限分"].replace("1", str(strict_row))] == "是"


# --------------------------------------------------------------------------- the example workbook under each profile


def _example(profile: str, **overall_fund: str):
    import dataclasses

    from .conftest import load_example

    evaluation = load_example()
    fund = dataclasses.replace(evaluation.overall.funds[0], **overall_fund)
    overall = dataclasses.replace(evaluation.overall, funds=[fund, *evaluation.overall.funds[1:]])
    return dataclasses.replace(evaluation, profile=profile, overall=overall)


def _check_example(evaluation, profile: Profile, tmp_path: Path, *, indicators: bool = True) -> dict:
    """The example built with *evaluation*'s profile, evaluated by the engine: the fund rows, totals
    and grades equal ``scoring.score_evaluation`` and the builder's cached values."""
    import openpyxl

    from perfxl.core.scoring import score_evaluation
    from perfxl.workbook import layout as L
    from perfxl.workbook.builder import build_workbook

    from .test_formulas import _solve as solve_book

    book = build_workbook(evaluation, tmp_path / "example.xlsm")
    layout = L.layout_for(evaluation)
    solution = solve_book(book)
    cached = openpyxl.load_workbook(book, data_only=True)

    def at(path: str) -> tuple[object, object]:
        sheet, cell = layout.locate(path)
        return solution[(sheet, cell)], cached[sheet][cell].value

    for t in score_evaluation(evaluation, profile).tables:
        pairs = {"funds[0].execution_rate": t.execution_rate, "funds[0].rule_score": t.budget_score,
                 "self_total": t.self_total, "self_grade": t.self_grade}
        if indicators:
            pairs |= {"rule_total": t.rule_total, "rule_grade": t.grade}
        for path, core in pairs.items():
            engine, cache = at(f"{t.path}.{path}")
            want = "—" if core is None else core
            if isinstance(want, Decimal):
                assert engine == pytest.approx(float(want), abs=1e-12) and cache == pytest.approx(float(want)), (t.path, path)
            else:
                assert engine == want == cache, (t.path, path, engine, cache)
    cached.close()
    return {path: at(path)[0] for path in ("overall.funds[0].execution_rate", "overall.funds[0].rule_score",
                                           "overall.rule_total", "overall.rule_grade", "overall.self_grade")}


@pytest.mark.parametrize("name", ["national", "hunan", "default"])
def test_the_example_under_national_and_hunan(name, tmp_path):
    got = _check_example(_example(name), load_profile(name), tmp_path)
    # the sample's numbers (tests/test_golden_example.py): 9.96, 82.96 良
    assert got["overall.funds[0].rule_score"] == pytest.approx(9.96) and got["overall.rule_total"] == pytest.approx(82.96)
    assert got["overall.rule_grade"] == "良"


def test_the_example_under_strict_with_a_low_execution_rate(tmp_path):
    """73.2 ÷ 133.09 = 55.0%: 执行率得分 5.5; strict caps the rule total at 69 (< 60%) and grades
    the printed 91 优 (≥ 80)."""
    got = _check_example(_example("strict", actual=D("73.2")), load_profile("strict"), tmp_path)
    assert got["overall.funds[0].execution_rate"] == pytest.approx(73.2 / 133.09)
    assert got["overall.funds[0].rule_score"] == pytest.approx(5.5)  # 0.55000… × 10 = 5.50
    assert got["overall.rule_total"] == pytest.approx(69)
    assert got["overall.rule_grade"] == "中" and got["overall.self_grade"] == "优"  # 69 ≥ 60; 91 ≥ 80


def test_a_new_built_in_profile_is_a_row_of_the_table(profiles, tmp_path, monkeypatch):
    """The workbook built with a table that also holds t-initial-carry (÷ 年初预算数 + 年初结转,
    uncapped, whole points), as if it were shipped: its fund rows follow it with no new formula.
    Its indicator scores need PERF_SCORE, which reads only the shipped profiles: not compared."""
    from perfxl.workbook import layout as L

    table = native.RuleTable(native.workbook_rules().sheet, native.workbook_rules().profile, profiles)
    monkeypatch.setattr(native, "workbook_rules", lambda: table)
    L._cached_layout.cache_clear()
    try:
        evaluation = _example("t-initial-carry", initial_budget=D("120"), carried_over=D("10"))
        got = _check_example(evaluation, dict(profiles)["t-initial-carry"], tmp_path, indicators=False)
    finally:
        L._cached_layout.cache_clear()
    assert got["overall.funds[0].execution_rate"] == pytest.approx(132.61 / 130)  # ÷ (120 + 10)
    assert got["overall.funds[0].rule_score"] == pytest.approx(10)  # 102.0% × 10 = 10.2 → 10 (whole points)


def test_the_change_rate_by_profile(tmp_path):
    """三公经费 变动率 on the profile's ``[change_rate]`` columns: 决算数 vs 上年决算数 (the shipped
    profiles), or 预算数 vs 上年预算数 (财预〔2013〕53号) in a table row written here."""
    path = tmp_path / "t-budget-change.toml"
    path.write_text('extends = "national"\nname = "t-budget-change"\n\n[change_rate]\nbasis = "budget"\n'
                    'prior = "budget"\n', encoding="utf-8")
    profiles = (*native.workbook_rules().profiles, ("t-budget-change", load_profile(path)))
    table = native.RuleTable("S", Ref("Z1"), profiles, col="AB", row=1)
    # (上年决算数, 预算数, 决算数, 上年预算数)
    rows = [(D("0.14"), D("1.2"), D("0.44"), D("1.5")), (D(0), D(1), D(1), D(0)), (None, D(1), D(1), None),
            ("——", D(1), D(1), D(2))]
    cells = {f"{c}{r}": v for r, row in enumerate(rows, start=30) for c, v in zip("ABCD", row, strict=True)}
    exprs = [native.change_rate(Ref(f"C{r}"), Ref(f"B{r}"), Ref(f"A{r}"), Ref(f"D{r}"), table) for r in range(30, 34)]
    for name, want in (("national", [(0.44 - 0.14) / 0.14, "—", "", "—"]),  # 上年 0: "—"; blank: empty
                       ("t-budget-change", [(1.2 - 1.5) / 1.5, "—", "", -0.5])):  # (1 − 2) ÷ 2
        got = _book(tmp_path / f"{name}.xlsx", name, table, exprs, cells)
        for engine, expr, wanted in zip(got, exprs, want, strict=True):
            assert _same(engine, _twin_at(expr, cells | {"Z1": name})), (name, engine)
            assert engine == (pytest.approx(wanted) if isinstance(wanted, float) else wanted), (name, engine)
