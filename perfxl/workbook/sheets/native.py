"""Native Excel formulas: what the annex sheets compute without Python (issue 8, item 1).

Finance staff open the workbook in Excel with macros blocked, in WPS or in LibreOffice:
there the PERF_* UDFs do not exist (``#NAME?``).  So every rate, sum, 执行率 score,
total and grade is a native formula that Excel, WPS and LibreOffice all evaluate, with
the core's rules exactly:

* a rate (执行率 = 全年执行数 ÷ 全年预算数, 控制率, 变动率 =（本年 − 上年）÷ 上年) is "—"
  when a side is not a number or the denominator is 0 or negative
  (``core.rules.rates``: never a silent 0); an empty denominator leaves the cell empty;
* the 执行率 of a fund row and its score follow the profile named on 基本情况 (issue 9):
  the rules of every built-in profile are a table on the hidden xlwings.conf sheet
  (``ruletable.py``: denominator, method, rounding, steps, bands, grade bands, execution
  cap), and its 当前方案 row holds those of the profile the cell names (empty = default);
  the formulas read that row, so a new built-in profile is a new row, not new logic.
  The rate is 执行数 ÷ (全年预算数 or 年初预算数, + 年初结转 when the profile says so);
  the score ``ROUND(raw, 2 or 0)`` with raw = MIN(r,1)×W (capped), r×W (uncapped), the
  fraction of W of the highest band reached (bands) or W − step_points × full steps
  below 100% (steps), r = MAX(执行数,0) ÷ the denominator (``rules.budget_score``: a
  negative 执行数 counts as 0, a negative 分值 is a missing one; Excel's ROUND is half
  away from zero = the core's ROUND_HALF_UP on scores ≥ 0).  Binary floating point:
  bands and steps compare the rate rounded to 10 decimals and the score is rounded to 9
  decimals before its own rounding, so 90 ÷ 100 is two steps of 5% and 8.5 rounds to 9;
* the grade and the execution cap come from the same row.  A name that is not in the
  table (a department's own .toml, which only the command line reads) falls back to the
  UDFs (PERF_BUDGETSCORE, PERF_GRADE), i.e. ``NEEDS_PYTHON`` without Python; its
  执行率 says ``NEEDS_PYTHON`` (the denominator is the file's) and its rule total is the
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
from ...core.profile import Profile, available_profiles, load_profile
from ...core.rules.rates import score_rate
from ...core.values import plain
from ..constants import CONF_SHEET
from ..formula import EMPTY, Expr, Native, Rng
from .common import PROFILE
from .ruletable import RuleTable, native_ok

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


# --------------------------------------------------------------------------- the 执行率 and its score by the profile


def _named(template: str, args: dict[str, Expr], twin: Callable[..., Value]) -> Native:
    """A ``Native`` from a template with ``{name}`` placeholders (names of *args*)."""
    keys = list(args)
    for i, key in enumerate(keys):
        template = template.replace("{" + key + "}", "{" + str(i) + "}")
    return Native(template, tuple(args.values()), lambda *values: twin(**dict(zip(keys, values, strict=True))))


def _fund_args(table: RuleTable, actual: Expr, full: Expr, initial: Expr, carried: Expr) -> dict[str, Expr]:
    return {"a": actual, "full": full, "ini": initial, "c": carried, "p": table.profile, "idx": table["index"],
            "den": table["denominator"]}


#: the denominator's budget (年初预算数 or 全年预算数) is blank / a number; 年初结转 counts / is usable
_INITIAL = 'LEFT({den},7)="initial"'
_BASE_BLANK = f'IF({_INITIAL},{{ini}}="",{{full}}="")'
_BASE_NUMBER = f"IF({_INITIAL},ISNUMBER({{ini}}),ISNUMBER({{full}}))"
_CARRY = 'RIGHT({den},9)="carryover"'
_CARRY_OK = f'OR(NOT({_CARRY}),ISNUMBER({{c}}),{{c}}="")'
_DENOMINATOR = f"(IF({_INITIAL},{{ini}},{{full}})+IF(AND({_CARRY},ISNUMBER({{c}})),{{c}},0))"


def _blank(value: object) -> bool:
    return value is None or value == ""


def _carry_unreadable(profile: Profile, carried: object) -> bool:
    """A text in 年初结转 under a denominator with it: the rate is unknown (``scoring.score_table``)."""
    return profile.budget.denominator.endswith("_carryover") and not _blank(carried) and _num(carried) is None


def _udf(name: str, *args: object) -> Value:
    """The cached value of a UDF call (what Excel with Python shows)."""
    from ... import udfs

    result = getattr(udfs, name)(*(float(a) if isinstance(a, Decimal) else (a or None) for a in args))
    return Decimal(str(result)) if isinstance(result, float) else result


def execution_rate(actual: Expr, full: Expr, initial: Expr, carried: Expr, table: RuleTable) -> Native:
    """执行率（计算）of a fund row by the profile's denominator (``rules.score_rate``: 全年预算数,
    年初预算数, or either + 年初结转): empty when that budget is blank, "—" when a side is not a
    number or the denominator ≤ 0, ``NEEDS_PYTHON`` under a profile the table does not hold."""
    template = ('IF(' + _BASE_BLANK + ',"",IF({idx}="","' + NEEDS_PYTHON + '",IF(AND(ISNUMBER({a}),' + _BASE_NUMBER
                + ',' + _CARRY_OK + '),IF(' + _DENOMINATOR + '>0,{a}/' + _DENOMINATOR + ',"' + DASH + '"),"' + DASH + '")))')

    def twin(a: Value, full: Value, ini: Value, c: Value, p: Value, idx: Value, den: Value) -> Value:
        profile = table.named(p)
        base = ini if profile is not None and profile.budget.denominator.startswith("initial") else full
        if _blank(base):
            return ""
        if profile is None:
            return NEEDS_PYTHON
        if _carry_unreadable(profile, c):
            return DASH
        return _dash(score_rate(_num(a), _num(full), profile, _num(ini), _num(c)))

    return _named(template, _fund_args(table, actual, full, initial, carried), twin)


def _band_fraction(table: RuleTable) -> str:
    out = "0"
    for i in reversed(range(table.score_bands)):
        out = f"IF({{rr}}>={{band_at{i}}},{{band_fraction{i}}},{out})"
    return out


def budget_score(actual: Expr, full: Expr, weight: Expr, table: RuleTable, initial: Expr = EMPTY,
                 carried: Expr = EMPTY) -> Native:
    """执行率得分 by the profile's ``[execution_score]`` (``rules.budget_score``): the rate r =
    MAX(执行数,0) ÷ the denominator; capped MIN(r,1)×W, uncapped r×W, bands (the fraction of the
    highest band reached), steps (W − step_points × full steps below 100%, ≥ 0); rounded to two
    decimals or whole points.  "—" when a value is missing, the denominator ≤ 0 or W < 0.  Under a
    profile the table does not hold: PERF_BUDGETSCORE, else ``NEEDS_PYTHON``.

    Bands and steps compare the rate rounded to 10 decimals and round the number of steps to 9
    before INT, so that 90 ÷ 100 is 2 steps of 5% in binary floating point as in Decimal; the
    score is rounded to 9 decimals before its own rounding (8.4999999999 is 8.5)."""
    args = _fund_args(table, actual, full, initial, carried)
    keys = ["method", "rounding", "step_size", "step_points"]
    keys += [f"band_{k}{i}" for i in range(table.score_bands) for k in ("at", "fraction")]
    args |= {"w": weight, **{k: table[k] for k in keys}}
    rate_ = "MAX({a},0)/" + _DENOMINATOR
    raw = ('IF({method}="uncapped",' + rate_ + '*{w},IF({method}="bands",' + _band_fraction(table) + '*{w},'
           'IF({method}="steps",MAX({w}-INT(ROUND((1-MIN({rr},1))/{step_size},9))*{step_points},0),MIN(' + rate_
           + ',1)*{w})))')
    raw = raw.replace("{rr}", f"ROUND({rate_},10)")
    score = 'ROUND(ROUND(' + raw + ',9),IF({rounding}="whole",0,2))'
    template = ('IF({idx}="",IFERROR(PERF_BUDGETSCORE({a},{full},{w},{p},{ini}),"' + NEEDS_PYTHON + '"),'
                'IF(AND(ISNUMBER({a}),ISNUMBER({w}),' + _BASE_NUMBER + ',' + _CARRY_OK + '),IF(AND(' + _DENOMINATOR
                + '>0,{w}>=0),' + score + ',"' + DASH + '"),"' + DASH + '"))')

    def twin(a: Value, full: Value, ini: Value, c: Value, p: Value, w: Value, **_: Value) -> Value:
        profile = table.named(p)
        if profile is None:
            return _udf("PERF_BUDGETSCORE", a, full, w, p, ini)
        if _carry_unreadable(profile, c):
            return DASH
        return _dash(rules.budget_score(_num(a), _num(full), _num(w), profile, initial_budget=_num(ini),
                                        carried_over=_num(c)))

    return _named(template, args, twin)

def change_rate(actual: Expr, budget: Expr, prior_actual: Expr, prior_budget: Expr, table: RuleTable) -> Native:
    """三公经费 变动率 on the profile's ``[change_rate]`` columns (``checks.across.check_change_rate``):
    (本年 − 上年) ÷ 上年, 本年 the 决算数 or 预算数 (``basis``), 上年 the 上年决算数 or 上年预算数
    (``prior``); empty when that 上年 cell is blank, "—" as ``rate``; ``NEEDS_PYTHON`` under a profile
    the table does not hold."""
    this = 'IF({change_basis}="budget",{b},{a})'
    last = 'IF({change_prior}="budget",{pb},{pa})'
    template = ('IF(IF({change_prior}="budget",{pb}="",{pa}=""),"",IF({idx}="","' + NEEDS_PYTHON + '",'
                'IF(AND(ISNUMBER(' + this + '),ISNUMBER(' + last + ')),IF(' + last + '>0,(' + this + '-' + last + ')/'
                + last + ',"' + DASH + '"),"' + DASH + '")))')

    def twin(a: Value, b: Value, pa: Value, pb: Value, p: Value, **_: Value) -> Value:
        profile = table.named(p)
        last_value = pb if profile is not None and profile.change_rate_prior == "budget" else pa
        if _blank(last_value):
            return ""
        if profile is None:
            return NEEDS_PYTHON
        this_value = b if profile.change_rate_basis == "budget" else a
        return _dash(rules.change_rate(_num(this_value), _num(last_value)))

    args: dict[str, Expr] = {"a": actual, "b": budget, "pa": prior_actual, "pb": prior_budget, "p": table.profile,
                             "idx": table["index"], "change_basis": table["change_basis"],
                             "change_prior": table["change_prior"]}
    return _named(template, args, twin)


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


@cache
def workbook_rules() -> RuleTable:
    """The table of the built-in profiles the native formulas follow, on the hidden xlwings.conf sheet,
    its 当前方案 row following the 规则方案 cell of 基本情况 (``ruletable.py``)."""
    return RuleTable(CONF_SHEET, PROFILE, tuple((n, p) for n, p in builtin_profiles() if native_ok(p)))


# --------------------------------------------------------------------------- grades


def grade(total: Expr, table: RuleTable) -> Native:
    """等级 of *total* with the bands of the profile the table's 当前方案 row holds (``rules.grade``):
    "—" for a total that is not a number, "#超出范围: x" outside 0–100 (as PERF_GRADE); under a
    profile the table does not hold, PERF_GRADE, else ``NEEDS_PYTHON``."""
    template = ('IF({idx}="",IFERROR(PERF_GRADE({t},{p}),"' + NEEDS_PYTHON + '"),'
                'IF(ISNUMBER({t}),IF(OR({t}<0,{t}>100),"#超出范围: "&{t},'
                'IF({t}>={excellent},"优",IF({t}>={good},"良",IF({t}>={passing},"中","差")))),"' + DASH + '"))')

    def twin(t: Value, p: Value, **_: Value) -> Value:
        profile = table.named(p)
        if profile is None:
            return _udf("PERF_GRADE", t, p)
        if not isinstance(t, Decimal):
            return DASH
        if not 0 <= t <= 100:
            return f"#超出范围: {plain(t)}"
        return rules.grade(t, profile)

    args: dict[str, Expr] = {"t": total, "p": table.profile, "idx": table["index"]}
    return _named(template, args | {k: table[k] for k in ("excellent", "good", "passing")}, twin)


# --------------------------------------------------------------------------- the rule total


def _not_computed(value: Value) -> bool:
    """A rule score that is not PERF_SCORE's: ``NEEDS_PYTHON`` or an error text of xlwings."""
    return isinstance(value, str) and value not in ("", DASH) and not value.startswith("#")


def rule_total(budget_score_cell: Expr, scores: Rng, execution_rate: Expr, table: RuleTable) -> Native:
    """规则总分 = ROUND(SUM(执行率得分, 规则得分…),2), capped by the profile's execution cap
    (``rules.cap_total``: the lowest 总分上限 of the bands whose 执行率低于 the rate exceeds);
    ``RULE_TOTAL_NEEDS_PYTHON`` when a rule score was not computed (``NEEDS_PYTHON``, or a text
    xlwings shows when Python fails); uncapped under a profile the table does not hold."""
    total = "ROUND(SUM({b},{s}),2)"
    limits = ",".join(f"IF({{r}}<{{cap_below{i}}},{{cap_max{i}}},{total})" for i in range(table.cap_bands))
    capped = f'IF(AND({{cap}}="是",ISNUMBER({{r}})),MIN({total},{limits}),{total})'
    not_computed = 'SUMPRODUCT(ISTEXT({s})*({s}<>"")*({s}<>"' + DASH + '")*(LEFT({s},1)<>"#"))>0'
    template = f'IF({not_computed},"{RULE_TOTAL_NEEDS_PYTHON}",IF({{idx}}="",{total},{capped}))'

    def twin(b: Value, s: Sequence[Value], r: Value, p: Value, **_: Value) -> Value:
        if any(_not_computed(v) for v in s):
            return RULE_TOTAL_NEEDS_PYTHON
        summed = round_score(sum((v for v in (b, *s) if isinstance(v, Decimal)), Decimal(0)))
        profile = table.named(p)
        return summed if profile is None else rules.cap_total(summed, _num(r), profile)

    keys = ["cap"] + [f"cap_{k}{i}" for i in range(table.cap_bands) for k in ("below", "max")]
    args: dict[str, Expr] = {"b": budget_score_cell, "s": scores, "r": execution_rate, "p": table.profile,
                             "idx": table["index"]}
    return _named(template, args | {k: table[k] for k in keys}, twin)


__all__ = ["DASH", "EXCEL_ERRORS", "NEEDS_PYTHON", "RULE_TOTAL_NEEDS_PYTHON", "RuleTable", "budget_score",
           "builtin_profiles", "change_rate", "execution_rate", "fallback", "grade", "rate", "rule_total", "workbook_rules"]
