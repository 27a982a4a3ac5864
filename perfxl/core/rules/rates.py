"""Rates of the forms and the 执行率 score (附件二、附件三; domain.md, "Formulas and scoring").

执行率 = 全年执行数 ÷ 全年预算数, 控制率 = actual ÷ approved, 变动率 = (本年 − 上年) ÷ 上年,
预算调整率 = (全年预算数 − 年初预算数) ÷ 年初预算数; the 执行率 score is
min(执行率, 100%) × W and its warnings are the profile's ``execution`` section.
Every rate in every output (checker, workbook UDFs, report) is computed here.

Rates are exact ``Decimal`` quotients (``money.divide``): a missing value or a zero
denominator gives ``None``, never a silent 0 (domain.md, "zero denominator").

Decisions (domain.md is silent on them):

* a rate with a negative denominator (a negative budget or approved number) is not a
  rate: ``None`` like a zero one (the checker reports negative amounts);
* a quotient that does not fit a Decimal (1E+999999 ÷ 1E-999999) is ``None`` too;
* in ``budget_score`` a negative 全年执行数 counts as 0 and a negative weight is a
  missing weight (as in ``score_indicator``).

The 执行率 score is a profile choice (``[execution_score]``, issue 9; sources beside
each key in ``perfxl/profiles/national.toml``):

* denominator: 全年预算数 (``full_year``, 财预〔2020〕10号 自评表样) or 年初预算数
  (``initial``, a 2016 Beijing 项目支出绩效自评表), or either plus 年初结转
  (``full_year_carryover``, ``initial_carryover``: "budget plus 年初结转", seen in published
  tables; common practice), the 年初结转 being the fund row's own ``carried_over``
  column.  A blank 年初结转 counts as 0 (a table with nothing carried over leaves it
  blank); a text there makes the rate unknown (the checker reports the text);
* method: ``capped`` min(rate, 100%) × W ("最高不得超过分值上限"); ``uncapped`` rate × W
  (some systems); ``bands`` the fraction of W of the highest band the rate reaches;
  ``steps`` W minus ``step_points`` for every *full* ``step_size`` below 100% ("100%
  计满分，每低于 5% 扣 2 分": 96% loses nothing, 95% loses 2, 89.9% loses 4 — whole
  steps only, our reading of "每低于"), never below 0;
* rounding: two decimals or whole points, ROUND_HALF_UP.

The rate used for the score is the same one the printed 执行率 is checked against
(``score_rate``); 执行率 warnings and ``execution_rate`` stay on 全年预算数.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import TypeGuard

from ..money import ONE, ZERO, divide, round_score
from ..profile import Profile, load_profile
from .outcome import Note

__all__ = [
    "adjustment_rate",
    "budget_score",
    "change_rate",
    "check_execution",
    "control_rate",
    "execution_rate",
    "score_denominator",
    "score_rate",
]


def _finite(value: Decimal | None) -> TypeGuard[Decimal]:
    """True for a number that is neither missing nor NaN / ±Infinity."""
    return value is not None and (not isinstance(value, Decimal) or value.is_finite())


def _rate(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator ÷ denominator, or ``None`` (domain.md, "zero denominator": never a silent
    0) when a side is missing or not finite, the denominator is 0 or negative (a
    negative budget or approved number is not a base for a rate), or the quotient
    does not fit a Decimal."""
    if not _finite(numerator) or not _finite(denominator) or denominator <= 0:
        return None
    try:
        rate = divide(numerator, denominator)
    except ArithmeticError:  # decimal.Overflow: 1E+999999 ÷ 1E-999999
        return None
    return rate if rate is not None and rate.is_finite() else None


def execution_rate(actual: Decimal | None, full_year_budget: Decimal | None) -> Decimal | None:
    """执行率 = 全年执行数 ÷ 全年预算数 (the adjusted budget, not 年初预算数); domain.md.
    ``None`` when a value is missing or 全年预算数 ≤ 0."""
    return _rate(actual, full_year_budget)


def control_rate(actual: Decimal | None, approved: Decimal | None) -> Decimal | None:
    """控制率 (staff, 规模, 投资概算) = actual ÷ approved; domain.md.  ``None`` when a
    value is missing or the approved number ≤ 0."""
    return _rate(actual, approved)


def change_rate(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """变动率 (三公经费) = (本年 − 上年) ÷ 上年; domain.md.  Which column (预算数 or
    决算数) is the profile's ``change_rate_basis``: the caller picks the values.
    ``None`` when a value is missing or 上年 ≤ 0."""
    if not _finite(current) or not _finite(previous):
        return None
    return _rate(current - previous, previous)


def adjustment_rate(full_year_budget: Decimal | None, initial_budget: Decimal | None) -> Decimal | None:
    """预算调整率 = (全年预算数 − 年初预算数) ÷ 年初预算数; domain.md.  ``None`` when a
    value is missing or 年初预算数 ≤ 0."""
    if not _finite(full_year_budget) or not _finite(initial_budget):
        return None
    return _rate(full_year_budget - initial_budget, initial_budget)


def score_denominator(
    full_year_budget: Decimal | None,
    profile: Profile | None = None,
    initial_budget: Decimal | None = None,
    carried_over: Decimal | None = None,
) -> Decimal | None:
    """The profile's 执行率 denominator: 全年预算数, 年初预算数, or either + 年初结转 (blank
    年初结转 = 0).  ``None`` when the budget it needs is missing."""
    denominator = (profile or load_profile()).budget.denominator
    budget = initial_budget if denominator.startswith("initial") else full_year_budget
    if not denominator.endswith("_carryover") or not _finite(budget):
        return budget
    return budget + carried_over if _finite(carried_over) else budget if carried_over is None else None


def score_rate(
    actual: Decimal | None,
    full_year_budget: Decimal | None,
    profile: Profile | None = None,
    initial_budget: Decimal | None = None,
    carried_over: Decimal | None = None,
) -> Decimal | None:
    """The 执行率 the profile scores: 全年执行数 ÷ 全年预算数 (``full_year``), ÷ 年初预算数
    (``initial``), or ÷ either plus 年初结转 (``*_carryover``).  ``None`` when a value is
    missing or the denominator ≤ 0."""
    return _rate(actual, score_denominator(full_year_budget, profile, initial_budget, carried_over))


def budget_score(
    actual: Decimal | None,
    full_year_budget: Decimal | None,
    weight: Decimal | None,
    profile: Profile | None = None,
    *,
    initial_budget: Decimal | None = None,
    carried_over: Decimal | None = None,
) -> Decimal | None:
    """执行率 score by the profile's ``[execution_score]`` (module docstring); by default
    min(执行率, 100%) × W, 2 decimals (domain.md).  A negative 全年执行数 counts as 0.
    ``None`` when a value is missing, the denominator is 0 or negative, or the weight
    is negative (a negative 分值 is a missing one, as in ``score_indicator``).

    132.61 ÷ 133.09 × 10 = 9.96.  *initial_budget* (年初预算数) is needed only when the
    profile's denominator starts with ``initial``, *carried_over* (年初结转) for ``*_carryover``.
    """
    if not _finite(actual) or not _finite(weight) or weight < 0:
        return None
    profile = profile or load_profile()
    rules = profile.budget
    rate = score_rate(max(actual, ZERO), full_year_budget, profile, initial_budget, carried_over)
    if rate is None:
        return None
    rate = max(rate, ZERO)
    if rules.method == "uncapped":
        raw = rate * weight
    elif rules.method == "bands":
        fraction = next((b.fraction for b in rules.bands if rate >= b.at), ZERO)
        raw = fraction * weight
    elif rules.method == "steps":
        steps = ((ONE - min(rate, ONE)) / rules.step_size).to_integral_value(rounding=ROUND_FLOOR)
        raw = max(weight - steps * rules.step_points, ZERO)
    else:  # capped
        raw = min(rate, ONE) * weight
    if rules.rounding == "whole":
        return raw.quantize(ONE, rounding=ROUND_HALF_UP)
    return round_score(raw)


def check_execution(rate: Decimal | None, profile: Profile | None = None) -> tuple[Note, ...]:
    """执行率 warnings (domain.md, "执行率 score"): above ``warn_high`` (100%)
    超预算执行, below ``warn_low`` (90%, *profile*) 偏低.  ``None`` rate → no note (the
    caller reports the missing rate itself)."""
    if rate is None:
        return ()
    rules = (profile or load_profile()).execution
    if rate > rules.warn_high:
        return (Note.EXECUTION_OVER_BUDGET,)
    if rate < rules.warn_low:
        return (Note.EXECUTION_LOW,)
    return ()
