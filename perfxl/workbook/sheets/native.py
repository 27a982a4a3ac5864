"""Native Excel formulas: what the annex sheets compute without Python (issue 8, item 1).

Finance staff open the workbook in Excel with macros blocked, in WPS or in LibreOffice:
there the PERF_* UDFs do not exist (``#NAME?``).  So every rate, sum, 执行率 score,
total and grade is a native formula that Excel, WPS and LibreOffice all evaluate, with
the core's rules exactly:

* a rate (执行率 = 全年执行数 ÷ 全年预算数, 控制率, 变动率 =（本年 − 上年）÷ 上年) is "—"
  when a side is not a number or the denominator is 0 or negative
  (``core.rules.rates``: never a silent 0); an empty denominator leaves the cell empty;
* the 执行率 score is ``ROUND(MIN(MAX(执行数,0) ÷ 预算数, 1) × 分值, 2)``
  (``rules.budget_score``: a negative 执行数 counts as 0, a negative 分值 is a missing
  one; Excel's ROUND is half away from zero = the core's ROUND_HALF_UP on scores ≥ 0);
* the grade and the execution cap come from the profile named on 基本情况: the
  formula holds the bands of every built-in profile (read from the TOML files when the
  sheet is laid out) and picks them by the profile cell (empty = default).  A name that
  is not built-in (a department's own .toml, which only the command line reads) is
  graded by the PERF_GRADE UDF, falling back to ``NEEDS_PYTHON``; its rule total is the
  uncapped sum (a custom cap needs the command line: ``perfxl score``).

What needs the parser stays a UDF: the indicator rule score (PERF_SCORE).  Its cell is
``IFERROR(PERF_SCORE(…),"需Python")``: without Python it shows that short text
(``NEEDS_PYTHON``) instead of ``#NAME?``.  The rule total never adds up around such a
cell: it shows ``RULE_TOTAL_NEEDS_PYTHON`` when any rule score is a text that is not
one of PERF_SCORE's own replies ("—", or a text starting with "#": "#需选择档次",
"#无法识别: …"), i.e. ``NEEDS_PYTHON`` or the text xlwings shows when Python fails in
Excel (a broken set-up); else the (capped) sum.  The test is
``SUMPRODUCT(ISTEXT(r)*(r<>"")*(r<>"—")*(LEFT(r,1)<>"#"))>0``, which Excel, WPS,
LibreOffice and the ``formulas`` engine all evaluate.  The self-score totals are plain
SUMs and always work.

Calculation at load: XlsxWriter writes ``fullCalcOnLoad="1"`` by default and has no
public switch for it but manual calculation (which would stop Excel recalculating after
each edit).  So ``builder.py`` sets its ``calc_on_load`` attribute to False and the
calcId of Excel 2019/365 (191029; an older calcId makes Excel recalculate the whole
workbook at load anyway).  Excel then shows the builder's cached values, which are the
core's (PERF_SCORE's too), and recalculates only what the user changes; a recalculation
before content is enabled would have turned every UDF cell into the fallback text.  A
full recalculation when content is enabled (``Application.CalculateFull`` in
``Workbook_Open``) belongs to the macros.

Every formula here is a ``formula.Native`` with its Python twin (the builder's cached
value, ``cached.py``); the twins call the core's rules, and the tests compare the
formulas' results (the ``formulas`` engine and a LibreOffice hard recalculation) with
the core.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cache

from ...core import rules
from ...core.money import round_score
from ...core.profile import DEFAULT_PROFILE, Profile, available_profiles, load_profile
from ...core.values import plain
from ..formula import Expr, Native, Rng

DASH = "—"
#: what a UDF cell shows when the PERF_* functions are not available (no Python, macros off, WPS)
NEEDS_PYTHON = "需Python"
#: what the rule total shows when an indicator's rule score needs Python
RULE_TOTAL_NEEDS_PYTHON = "部分指标需Python计算"
#: the values an Excel error takes in the builder's evaluation (``cached.Values``)
EXCEL_ERRORS = frozenset({"#VALUE!", "#NAME?", "#N/A", "#DIV/0!", "#REF!", "#NUM!", "#NULL!"})

Value = Decimal | str | None


def _num(value: object) -> Decimal | None:
    """A number as Excel's ISNUMBER sees it: only a number cell (a text "12" is not one)."""
    return value if isinstance(value, Decimal) else None


def _dash(value: Decimal | None) -> Value:
    return DASH if value is None else value


def _lit(number: Decimal) -> str:
    return plain(number)


# --------------------------------------------------------------------------- rates and the 执行率 score

#: a rule of ``core.rules.rates`` → (its function, the quotient in Excel)
RATE_RULES: dict[str, tuple[Callable[[Decimal | None, Decimal | None], Decimal | None], str]] = {
    "execution_rate": (rules.execution_rate, "{0}/{1}"),
    "control_rate": (rules.control_rate, "{0}/{1}"),
    "change_rate": (rules.change_rate, "({0}-{1})/{1}"),
}


def rate(rule: str, numerator: Expr, denominator: Expr) -> Native:
    """*rule* of two cells: the quotient, or "—" (a side not a number, a denominator ≤ 0)."""
    fn, quotient = RATE_RULES[rule]
    template = 'IF(AND(ISNUMBER({0}),ISNUMBER({1})),IF({1}>0,' + quotient + ',"' + DASH + '"),"' + DASH + '")'
    return Native(template, (numerator, denominator), lambda n, d: _dash(fn(_num(n), _num(d))))


def budget_score(actual: Expr, budget: Expr, weight: Expr) -> Native:
    """执行率得分 = ROUND(MIN(MAX(执行数,0)/预算数,1)*分值,2), or "—" (``rules.budget_score``)."""
    template = ('IF(AND(ISNUMBER({0}),ISNUMBER({1}),ISNUMBER({2})),IF(AND({1}>0,{2}>=0),'
                'ROUND(MIN(MAX({0},0)/{1},1)*{2},2),"' + DASH + '"),"' + DASH + '")')
    return Native(template, (actual, budget, weight),
                  lambda a, b, w: _dash(rules.budget_score(_num(a), _num(b), _num(w))))


# --------------------------------------------------------------------------- the UDF fallback


def fallback(call: Expr) -> Native:
    """``IFERROR(call,"需Python")``: the UDF's value, or the short text when it cannot run."""
    return Native('IFERROR({0},"' + NEEDS_PYTHON + '")', (call,),
                  lambda v: NEEDS_PYTHON if v in EXCEL_ERRORS else v)


# --------------------------------------------------------------------------- profiles


@cache
def builtin_profiles() -> tuple[tuple[str, Profile], ...]:
    """(name, profile) of every shipped profile, the default first."""
    return tuple((name, load_profile(name)) for name in available_profiles())


def _profile_named(value: object) -> Profile | None:
    """The built-in profile the profile cell names (empty: the default), as Excel's
    case-insensitive ``TRIM(cell)="name"`` matches it; None for any other name."""
    name = "" if value is None else str(value).strip()
    name = name or DEFAULT_PROFILE
    return next((p for n, p in builtin_profiles() if n.casefold() == name.casefold()), None)


def _by_profile(profile_arg: int, make: Callable[[Profile], str], other: str) -> str:
    """``IF(profile is built-in n1, make(p1), IF(…, other))``, the default also for an empty cell."""
    out = other
    for name, profile in reversed(builtin_profiles()):
        test = f'TRIM({{{profile_arg}}})="{name}"'
        if name == DEFAULT_PROFILE:
            test = f'OR(TRIM({{{profile_arg}}})="",{test})'
        out = f"IF({test},{make(profile)},{out})"
    return out


# --------------------------------------------------------------------------- grades


def _bands(profile: Profile) -> str:
    g = profile.grades
    return ('IF(ISNUMBER({0}),IF(OR({0}<0,{0}>100),"#超出范围: "&{0},'
            f'IF({{0}}>={_lit(g.excellent)},"优",IF({{0}}>={_lit(g.good)},"良",IF({{0}}>={_lit(g.passing)},"中","差")))),'
            f'"{DASH}")')


def _grade_twin(total: Value, profile_name: Value) -> Value:
    profile = _profile_named(profile_name)
    if profile is None:
        from ... import udfs

        arg = float(total) if isinstance(total, Decimal) else (total or None)
        return udfs.PERF_GRADE(arg, profile_name)
    if not isinstance(total, Decimal):
        return DASH
    if not 0 <= total <= 100:
        return f"#超出范围: {plain(total)}"
    return rules.grade(total, profile)


def grade(total: Expr, profile: Expr) -> Native:
    """等级 of *total* with the bands of the profile named in *profile* (``rules.grade``):
    "—" for a total that is not a number, "#超出范围: x" outside 0–100 (as PERF_GRADE)."""
    other = 'IFERROR(PERF_GRADE({0},{1}),"' + NEEDS_PYTHON + '")'
    return Native(_by_profile(1, _bands, other), (total, profile), _grade_twin)


# --------------------------------------------------------------------------- the rule total


def _capped(profile: Profile, total: str) -> str:
    """*total* capped by 执行率 ({2}) with *profile*'s bands (``rules.cap_total``)."""
    cap = profile.execution_cap
    if not cap.enabled or not cap.bands:
        return total
    bands = sorted(cap.bands, key=lambda b: b.below)
    out = total
    for i in reversed(range(len(bands))):  # rate < below_i: the lowest max_total of the bands from i on
        limit = min(b.max_total for b in bands[i:])
        out = f"IF({{2}}<{_lit(bands[i].below)},{_lit(limit)},{out})"
    return f"MIN({total},IF(ISNUMBER({{2}}),{out},{total}))"


def _not_computed(value: Value) -> bool:
    """A rule score that is not PERF_SCORE's: ``NEEDS_PYTHON`` or an error text of xlwings."""
    return isinstance(value, str) and value not in ("", DASH) and not value.startswith("#")


def _total_twin(budget: Value, scores: Sequence[Value], rate_value: Value, profile_name: Value) -> Value:
    if any(_not_computed(v) for v in scores):
        return RULE_TOTAL_NEEDS_PYTHON
    numbers = [v for v in (budget, *scores) if isinstance(v, Decimal)]
    total = round_score(sum(numbers, Decimal(0)))
    profile = _profile_named(profile_name)
    return total if profile is None else rules.cap_total(total, _num(rate_value), profile)


def rule_total(budget_score_cell: Expr, scores: Rng, execution_rate: Expr, profile: Expr) -> Native:
    """规则总分 = ROUND(SUM(执行率得分, 规则得分…),2), capped by the profile's execution cap
    (``scoring.score_table``); ``RULE_TOTAL_NEEDS_PYTHON`` when a rule score was not computed
    (``NEEDS_PYTHON``, or a text xlwings shows when Python fails)."""
    total = "ROUND(SUM({0},{1}),2)"
    body = _by_profile(3, lambda p: _capped(p, total), total)
    not_computed = 'SUMPRODUCT(ISTEXT({1})*({1}<>"")*({1}<>"' + DASH + '")*(LEFT({1},1)<>"#"))>0'
    template = "IF(" + not_computed + ',"' + RULE_TOTAL_NEEDS_PYTHON + '",' + body + ")"
    return Native(template, (budget_score_cell, scores, execution_rate, profile), _total_twin)


__all__ = ["DASH", "EXCEL_ERRORS", "NEEDS_PYTHON", "RULE_TOTAL_NEEDS_PYTHON", "budget_score", "builtin_profiles",
           "fallback", "grade", "rate", "rule_total"]
