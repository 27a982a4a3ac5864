"""Scores of 附件二 and each 附件三: 执行率 and its score, each indicator's rule score,
the totals and the grade, shown beside the department's own 自评得分.

The rules themselves live in the ``rules`` package (domain.md "Formulas and
scoring"); this module applies them to a table of the model and explains every
difference between the rule score and the self-score in words.

Parse once (issue 7).  An indicator's 年度指标值 / 实际完成值 text is read here, once per
assessment, with ``values.parse_value_cached``; the ``ParsedValue``s travel on
``IndicatorScore.target`` / ``IndicatorScore.actual`` to every later stage (the checker,
the suggestions, the report, the command line's output).  Those stages read the kind,
number, unit, date or text from there and never call ``parse_value`` on the row's text
again: one cell is judged in one place, so the checker cannot call a value empty or
unreadable that the rules scored, or the reverse.  The row as typed stays on
``IndicatorScore.indicator`` for quoting it back to the user (``ParsedValue.raw`` is
the same text).  Likewise 分值 and 自评得分 are read once into ``IndicatorScore.weight`` /
``IndicatorScore.self_score`` (``money.amount_value``; ``None`` when unreadable).

Profile choices applied here (issue 9):

* an indicator's rule score is rounded to whole points when the profile's
  ``targets.score_rounding`` is "whole" (tables that print whole points: a 2019 Hebei
  and a 2016 Beijing table of the corpus), ROUND_HALF_UP;
* 执行率 (``TableScore.execution_rate``) is the rate the profile scores: 全年执行数 ÷
  全年预算数, or ÷ 年初预算数 when ``[execution_score] denominator = "initial"``, or ÷ the
  budget plus 年初结转 (``FundRow.carried_over``) for ``*_carryover``;
* a profile's ``[standards]`` (评分标准 by indicator name, ``rules/standards.py``) rescore
  an unmet positive indicator or a missed deadline;
* the 执行率 score follows ``[execution_score]`` (``rules.rates.budget_score``, given the
  年初预算数 too for a profile whose denominator is 年初预算数);
* ``targets.not_applicable = "rescale"``: indicators whose target is "无" are not
  assessed; the rule total and the self total are the applicable scores ÷ the
  applicable weight × 100, rounded to 2 decimals ("不适用…不考核该指标，用适用指标得分
  汇总后按百分制折算计分", a published filling note: common practice).  Their weight is
  ``TableScore.dropped_weight``.  With "finding" (the default) nothing is rescaled.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from . import rules
from .findings import Table
from .model import Evaluation, Indicator, PerformanceTable, ProjectTable
from .money import ZERO, amount_value, fmt_score, round_score
from .profile import Profile
from .rules.rates import budget_score as _budget_score
from .rules.rates import score_rate as _score_rate
from .rules.standards import apply_standard
from .values import ParsedValue, parse_value_cached


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """One 三级指标 scored.

    Attributes:
      index: position in the table's indicator list.
      path: model path of the row, e.g. "overall.indicators[2]".
      indicator: the row as typed.
      target / actual: its 年度指标值 / 实际完成值, parsed (the one reading of those
        cells in an assessment: later stages use these, not ``parse_value``).
      result: what the rule computed (direction, ratio, notes).
      weight: 分值 as a number (``None`` when unreadable).
      rule_score: the rule's score.  self_score: the department's 自评得分.
      difference: self_score − rule_score, when both exist.
      explanation: why they differ (or how the rule score came about), in Chinese.
    """

    index: int
    path: str
    indicator: Indicator
    target: ParsedValue
    actual: ParsedValue
    result: rules.IndicatorResult
    weight: Decimal | None
    rule_score: Decimal | None
    self_score: Decimal | None
    difference: Decimal | None
    explanation: str


@dataclass(frozen=True, slots=True)
class TableScore:
    """附件二 or one 附件三, scored.

    Attributes:
      path: "overall" or "projects[i]".  table: its ``Table``.  title: what users call it.
      initial_budget / full_year_budget / actual: 年初预算数 / 全年预算数 / 全年执行数.
      execution_rate: 全年执行数 ÷ 全年预算数 (full precision).
      adjustment_rate: (全年预算数 − 年初预算数) ÷ 年初预算数.
      budget_weight / budget_score / budget_self_score: 执行率 分值 / 规则得分 / 自评得分.
      indicators: each 三级指标 scored.
      uncapped_total: 执行率得分 + all indicator rule scores.
      rule_total: the same after the profile's execution cap (if any).
      self_total: the sum of the department's own scores (``None`` if none given).
      grade / self_grade: 等级 of rule_total / of self_total.
      dropped_weight: the weight of "无" indicators dropped under ``not_applicable =
        "rescale"`` (the totals are then rescaled to 100); 0 otherwise.
    """

    path: str
    table: Table
    title: str
    initial_budget: Decimal | None
    full_year_budget: Decimal | None
    actual: Decimal | None
    execution_rate: Decimal | None
    adjustment_rate: Decimal | None
    budget_weight: Decimal | None
    budget_score: Decimal | None
    budget_self_score: Decimal | None
    indicators: tuple[IndicatorScore, ...]
    uncapped_total: Decimal
    rule_total: Decimal
    self_total: Decimal | None
    grade: str
    self_grade: str | None
    dropped_weight: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class EvaluationScore:
    overall: TableScore
    projects: tuple[TableScore, ...]

    @property
    def tables(self) -> tuple[TableScore, ...]:
        return (self.overall, *self.projects)


def table_title(path: str, table: PerformanceTable) -> str:
    if isinstance(table, ProjectTable):
        return f"附件3 项目自评表（{table.name or '未命名项目'}）"
    return str(Table.OVERALL)


def _explain(result: rules.IndicatorResult, rule: Decimal | None, own: Decimal | None) -> str:
    if rule is None:
        return result.explanation or "无法按规则计分"
    if own is None:
        return f"{result.explanation}；未填写自评得分"
    if own == rule:
        return f"{result.explanation}；自评得分与规则得分一致"
    side = "高于" if own > rule else "低于"
    return (
        f"{result.explanation}；自评得分 {fmt_score(own)} {side}规则得分 {fmt_score(rule)}，"
        f"相差 {fmt_score(abs(own - rule))} 分"
    )


def score_indicator_row(
    path: str, index: int, row: Indicator, profile: Profile, year: int | None = None
) -> IndicatorScore:
    """One 三级指标 scored; *year* is the evaluated year, in which a date target or
    actual written without a year ("12月底前") lies (``rules.score_indicator``)."""
    weight = amount_value(row.weight)
    own = amount_value(row.self_score)
    target = parse_value_cached(row.target)  # the one reading of these cells (module docstring)
    actual = parse_value_cached(row.actual)
    result = rules.score_indicator(
        target,
        actual,
        weight if weight is not None else ZERO,
        profile,
        tier=rules.parse_tier(row.tier),
        self_score=own,
        year=year,
        name=row.name,
    )
    standard = next((std for pattern, std in profile.standards if pattern in row.name), None)
    if standard is not None and weight is not None:
        result = apply_standard(standard, result, target, actual, weight) or result
    rule = result.score if weight is not None else None
    if rule is not None and profile.score_rounding == "whole":
        rule = rule.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    difference = own - rule if own is not None and rule is not None else None
    return IndicatorScore(
        index=index, path=path, indicator=row, target=target, actual=actual, result=result, weight=weight,
        rule_score=rule, self_score=own, difference=difference, explanation=_explain(result, rule, own),
    )


def score_table(path: str, table: PerformanceTable, profile: Profile, year: int | None = None) -> TableScore:
    fund = table.total_fund
    initial = amount_value(fund.initial_budget)
    budget = amount_value(fund.full_year_budget)
    actual = amount_value(fund.actual)
    weight = amount_value(fund.weight)
    carried = amount_value(fund.carried_over)
    # a text in 年初结转 leaves a denominator with it unknown (the checker reports the text)
    known = carried is not None or fund.carried_over is None or not profile.budget.denominator.endswith("_carryover")
    rate = _score_rate(actual, budget, profile, initial, carried) if known else None
    budget_score = (_budget_score(actual, budget, weight, profile, initial_budget=initial, carried_over=carried)
                    if weight is not None and known else None)
    budget_self = amount_value(fund.self_score)
    indicators = tuple(
        score_indicator_row(f"{path}.indicators[{i}]", i, row, profile, year)
        for i, row in enumerate(table.indicators)
    )
    dropped = ZERO
    if profile.not_applicable == "rescale":
        dropped = sum((s.weight or ZERO for s in indicators if s.result.direction is rules.Direction.NOT_APPLICABLE),
                      ZERO)
    kept = [s for s in indicators if not (dropped and s.result.direction is rules.Direction.NOT_APPLICABLE)]
    uncapped = round_score(_rescaled(sum((s.rule_score or ZERO for s in kept), budget_score or ZERO), weight, kept, dropped))
    total = rules.cap_total(uncapped, rate, profile)
    own_scores = [s.self_score for s in kept if s.self_score is not None]
    if budget_self is not None:
        own_scores.append(budget_self)
    self_total = _rescaled(sum(own_scores, ZERO), weight, kept, dropped) if own_scores else None
    return TableScore(
        path=path,
        table=Table.PROJECT if isinstance(table, ProjectTable) else Table.OVERALL,
        title=table_title(path, table),
        initial_budget=initial,
        full_year_budget=budget,
        actual=actual,
        execution_rate=rate,
        adjustment_rate=rules.adjustment_rate(budget, initial),
        budget_weight=weight,
        budget_score=budget_score,
        budget_self_score=budget_self,
        indicators=indicators,
        uncapped_total=uncapped,
        rule_total=total,
        self_total=self_total,
        grade=rules.grade(total, profile),
        self_grade=rules.grade(self_total, profile) if self_total is not None else None,
        dropped_weight=dropped,
    )


def _rescaled(points: Decimal, budget_weight: Decimal | None, kept: list[IndicatorScore], dropped: Decimal) -> Decimal:
    """*points* as they are (no indicator dropped), or ÷ the applicable weight × 100."""
    if not dropped:
        return points
    base = sum((s.weight or ZERO for s in kept), budget_weight or ZERO)
    return round_score(points / base * 100) if base > 0 else round_score(points)


def score_evaluation(evaluation: Evaluation, profile: Profile) -> EvaluationScore:
    year = evaluation.year or None  # 0: not known, dates without a year compare by month
    return EvaluationScore(
        overall=score_table("overall", evaluation.overall, profile, year),
        projects=tuple(
            score_table(f"projects[{i}]", p, profile, year) for i, p in enumerate(evaluation.projects)
        ),
    )
