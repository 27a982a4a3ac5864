"""Next year's evaluation from last year's: what a department carries, moves and clears.

``next_year(last)`` is pure: it returns a new ``Evaluation`` for ``last.year + 1`` and
never changes *last*.  The rule behind every field: what describes the department or
what it set out to do (texts, duties, indicators and their targets and weights, goals)
is **carried**, because a department's next self-evaluation starts from the same
targets and is edited, not retyped; what last year spent is **moved** into the column
the form keeps for it (附件一's {上年}年决算数); every figure, rate, score and text that
reports on the year being evaluated is **cleared**, because next year's values are not
known yet and a stale one would pass unnoticed (a blank is reported as not yet filled).

Field by field (``Evaluation`` → …):

=============================================  =======  ==========================================
field                                          what     why
=============================================  =======  ==========================================
department, profile, duties                    carried  the same department and rules
year                                           +1       the year being evaluated
staffing.basis / internal_units /              carried  the 三定 texts change only by a new document
establishment_kind, authorized, vehicles_quota
staffing.as_of, actual, in_service, retired,   cleared  counts at the end of the new year
survivors, vehicles_actual
expenditure.*                                  cleared  this year's budget figures
basic.staff_authorized                         carried  编制数, as staffing.authorized
basic.staff_actual, printed_staff_rate         cleared  the new year's count and its printed rate
basic.<every CostRow>.label                    carried  the form's rows (项目支出 items, 专项 rows)
basic.<every CostRow>.actual → prior_actual    moved    last year's 决算数 is next year's 上年决算数;
                                                        a text ("——") or blank moves as blank
basic.<every CostRow>.budget → prior_budget    moved    on a form with a 上年预算数 column (some row has
                                                        one filled): last year's 预算数 is next year's
                                                        上年预算数; otherwise the column stays blank
basic.<every CostRow>.budget / actual          cleared  this year's 预算数 / 决算数
basic.buildings.*                              cleared  the projects completed in the new year
basic.frugality                                carried  厉行节约 measures are standing practice
signature.filler / phone / head (each table)   carried  the same people fill and sign
signature.date (each table)                    cleared  the new filing date
overall.unit_name, projects[].name /           carried  the same unit and projects
competent_department / implementing_unit
funds[].label, funds[].weight                  carried  the form's rows and 分值
funds[].initial_budget / full_year_budget /    cleared  this year's money, rates and scores
actual / printed_rate / self_score /
carried_over
general_budget … project_expenditure           cleared  this year's money (附件二 按性质分)
goal_expected                                  carried  the goal is set again, usually alike
goal_actual                                    cleared  a result
level1_weights, printed_total_weight           carried  weights are carried with the indicators
printed_total_score, printed_grade             cleared  results
indicators[].level1 / level2 / name /          carried  indicators and targets are carried
target / weight
indicators[].actual / self_score /             cleared  results of the year
deviation / tier
indicators[].direction / unit / nature /       carried  how the indicator is measured and scored
core / standard / initial_target               (年初指标值: the year's target as set, years moved)
indicators[].adjusted_target /                 cleared  an adjustment during the year; a result
score_coefficient
narrative.overall_completion / achievements /  cleared  results of the year
problems / measures / other
narrative.disclosure                           carried  how results are published is practice
narrative.dropped_suggestions                  cleared  suggestions are made anew each year
=============================================  =======  ==========================================

Carried warnings (decision, issue 10).  Next year's workbook made from the 2023 example
passes ``perfxl check`` with the "not yet filled" findings (MISSING_FIELD, VALUE_MISSING,
SCORE_MISSING, FUND_SCORE_BLANK, TABLE_UNFILLED, TIER_REQUIRED) and five
NOT_APPLICABLE_WEIGHTED warnings: indicators whose 年度指标值 is "无" and that keep a
分值.  Those are not made by ``next_year``: the target and the weight are the plan, which
is carried on purpose, and the 2023 data has the same five warnings at the same paths.
They stay, because the plan is exactly what the department sets again for the new year,
and a weight on an indicator that does not apply will cost the same points next year
(domain.md: its weight should move to an indicator that applies).  Clearing the "无"
target would turn a real warning into a false "not filled" one and lose the
department's choice; dropping the weight would change the 分值 total and make a new
error.  So the done-when "only 'not yet filled' findings" is read as: next year adds
no finding of its own; every other finding is last year's, carried with the plan
(``tests/test_nextyear_carried.py``).  The "无" actual values are results and are
cleared like every other (a "无" target with an actual is NA_TARGET_WITH_ACTUAL).

Years in carried texts: "2023年" in an indicator's name or target and in the goals
becomes "2024年" (the 时效指标 "2023年度" names the evaluated year).  Other texts keep
their years: the 三定 document, a special fund's label ("2022年省级…专项资金") and the
duties cite past facts.
"""

from __future__ import annotations

import copy
import dataclasses

from .model import (
    BasicData,
    BuildingControl,
    CostRow,
    Evaluation,
    Expenditure,
    FundRow,
    Indicator,
    Narrative,
    PerformanceTable,
    Signature,
    Staffing,
)
from .money import Amount

__all__ = ["moved_amount", "next_year"]


def moved_amount(value: Amount) -> Amount:
    """Last year's 决算数 as next year's 上年决算数: a number moves, anything else (blank, "——",
    a typo) becomes blank, since a text there says nothing about a figure."""
    return None if value is None or isinstance(value, str) else value


def _moved(row: CostRow, prior_budget: bool = False) -> CostRow:
    return CostRow(row.label, prior_actual=moved_amount(row.actual),
                   prior_budget=moved_amount(row.budget) if prior_budget else None)


def _signature(old: Signature) -> Signature:
    return Signature(filler=old.filler, phone=old.phone, head=old.head)


def _staffing(old: Staffing) -> Staffing:
    return Staffing(basis=old.basis, internal_units=list(old.internal_units),
                    establishment_kind=old.establishment_kind, authorized=old.authorized,
                    vehicles_quota=old.vehicles_quota)


def _basic(old: BasicData) -> BasicData:
    new = BasicData(staff_authorized=old.staff_authorized, frugality=old.frugality,
                    buildings=BuildingControl(), signature=_signature(old.signature))
    rows = [getattr(old, f.name) for f in dataclasses.fields(BasicData)]
    with_prior_budget = any(r.prior_budget is not None for v in rows for r in (v if isinstance(v, list) else [v])
                            if isinstance(r, CostRow))
    for f in dataclasses.fields(BasicData):
        value = getattr(old, f.name)
        if isinstance(value, CostRow):
            setattr(new, f.name, _moved(value, with_prior_budget))
        elif isinstance(value, list) and all(isinstance(v, CostRow) for v in value):
            setattr(new, f.name, [_moved(v, with_prior_budget) for v in value])
    return new


def _years(text: str, year: int) -> str:
    return text.replace(f"{year}年", f"{year + 1}年") if year else text


def _indicator(old: Indicator, year: int) -> Indicator:
    return Indicator(level1=old.level1, level2=old.level2, name=_years(old.name, year),
                     target=_years(old.target, year), weight=old.weight, direction=old.direction, unit=old.unit,
                     nature=old.nature, initial_target=_years(old.initial_target, year), core=old.core,
                     standard=old.standard)


def _table(old: PerformanceTable, new: PerformanceTable, year: int) -> None:
    """The shared part of 附件二/附件三 into *new* (whose own fields are set by the caller)."""
    new.funds = [FundRow(f.label, weight=f.weight) for f in old.funds]
    new.goal_expected = _years(old.goal_expected, year)
    new.level1_weights = dict(old.level1_weights)
    new.indicators = [_indicator(i, year) for i in old.indicators]
    new.printed_total_weight = old.printed_total_weight
    new.signature = _signature(old.signature)


def next_year(last: Evaluation) -> Evaluation:
    """The evaluation of ``last.year + 1`` started from *last* (see the module's table)."""
    last = copy.deepcopy(last)  # nothing of the new record shares a list with the old one
    year = last.year
    overall = type(last.overall)(unit_name=last.overall.unit_name)
    _table(last.overall, overall, year)
    projects = []
    for old in last.projects:
        project = type(old)(name=old.name, competent_department=old.competent_department,
                            implementing_unit=old.implementing_unit)
        _table(old, project, year)
        projects.append(project)
    return Evaluation(
        department=last.department,
        year=year + 1 if year else 0,
        profile=last.profile,
        duties=list(last.duties),
        staffing=_staffing(last.staffing),
        expenditure=Expenditure(),
        basic=_basic(last.basic),
        overall=overall,
        projects=projects,
        narrative=Narrative(disclosure=last.narrative.disclosure),
    )
