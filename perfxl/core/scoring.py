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
* the per-row fields of provinces' forms (``model.Indicator``, issue 9): the target that
  scores is 调整后指标值 when given (``targets.scored_target = "adjusted"``, the
  default), else 年度指标值, else 年初指标值 (``IndicatorScore.target_field`` says which);
  a 计量单位 gives a bare target or actual its unit (``values.with_unit``: 元/万元/亿元
  convert; under "%"/百分比 a bare target is a percentage and a bare actual is read
  against it as v or v×100, Excel storing 92% as 0.92); 指标方向,
  or 指标性质 when 指标方向 is blank, overrides the direction (``rules.indicator.read_direction``;
  notes DIRECTION_CONFLICT / DIRECTION_UNREADABLE); the row's 评分标准 is parsed with
  ``standards.parse_standard`` and wins over the profile's ``[standards]``; an unreadable
  one is kept on the row, the profile's standard or the default rule applies, with
  STANDARD_UNREADABLE.  得分系数 and 核心指标 do not change the rule score: the checker
  compares 自评得分 with 分值 × 得分系数 (``checks/fields.py``), 核心指标 is shown only
  (no province's rule seen makes it score differently);
* ``targets.not_applicable = "rescale"``: indicators whose target is "无" are not
  assessed; the rule total and the self total are the applicable scores ÷ the
  applicable weight × 100, rounded to 2 decimals ("不适用…不考核该指标，用适用指标得分
  汇总后按百分制折算计分", a published filling note: common practice).  Their weight is
  ``TableScore.dropped_weight``.  With "finding" (the default) nothing is rescaled.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from . import rules
from .findings import Table
from .model import Evaluation, Indicator, PerformanceTable, ProjectTable
from .money import ZERO, amount_value, fmt_score, round_score
from .profile import Profile
from .rules.indicator import read_direction
from .rules.rates import budget_score as _budget_score
from .rules.rates import score_rate as _score_rate
from .rules.standards import Standard, apply_standard, parse_standard
from .values import ParsedValue, ValueKind, parse_value_cached, with_unit


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
      target_field: the field whose text scored: "target" (年度指标值),
        "adjusted_target" or "initial_target".
      direction_field: "direction" or "nature" when a column of the row gave the
        direction (or tried to: DIRECTION_UNREADABLE), else "".
      standard: the 评分标准 applied (the row's own, else the profile's), or ``None``.
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
    target_field: str = "target"
    direction_field: str = ""
    standard: Standard | None = None


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
    target_field = _scored_target(row, profile)
    target = parse_value_cached(getattr(row, target_field))  # the one reading of these cells (module docstring)
    actual = parse_value_cached(row.actual)
    if row.unit:
        target, actual = _in_unit(target, row.unit), with_unit(actual, row.unit)
    given, direction_field, notes = _given_direction(row)
    result = rules.score_indicator(
        target,
        actual,
        weight if weight is not None else ZERO,
        profile,
        tier=rules.parse_tier(row.tier),
        self_score=own,
        year=year,
        name=row.name,
        given=given,
    )
    if given is not None and target.op is not None and _conflicts(rules.direction_of(target, profile), given):
        notes.append(rules.Note.DIRECTION_CONFLICT)
    standard = parse_standard(row.standard) if row.standard.strip() else None
    if standard is None:
        if row.standard.strip():
            notes.append(rules.Note.STANDARD_UNREADABLE)
        standard = next((std for pattern, std in profile.standards if pattern in row.name), None)
    if standard is not None and weight is not None:
        result = apply_standard(standard, result, target, actual, weight) or result
    if notes:
        result = replace(result, notes=(*result.notes, *notes))
    rule = result.score if weight is not None else None
    if rule is not None and profile.score_rounding == "whole":
        rule = rule.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    difference = own - rule if own is not None and rule is not None else None
    return IndicatorScore(
        index=index, path=path, indicator=row, target=target, actual=actual, result=result, weight=weight,
        rule_score=rule, self_score=own, difference=difference, explanation=_explain(result, rule, own),
        target_field=target_field, direction_field=direction_field, standard=standard,
    )


def _in_unit(target: ParsedValue, unit: str) -> ParsedValue:
    """The target in its row's 计量单位 (``values.with_unit``); under a "%" / 百分比 column a
    bare target becomes a percentage, so that a bare actual is read against it as v or v×100
    (``rules/numeric.py``: Excel stores 92% as 0.92), while the actual stays bare."""
    if target.kind is ValueKind.NUMBER and not target.unit and parse_value_cached(f"1{unit.strip()}").base_unit == "%":
        return ParsedValue(target.raw, target.kind, target.op, target.number, "%", target.number, base_unit="%")
    return with_unit(target, unit)


def _scored_target(row: Indicator, profile: Profile) -> str:
    return scored_target_field(row, profile.scored_target)


def scored_target_field(row: Indicator, scored_target: str = "adjusted") -> str:
    """The field whose text scores: 调整后指标值 when given and the profile scores it
    (*scored_target*, the profile's ``targets.scored_target``), else 年度指标值, else 年初指标值
    (a form that prints 年初/调整后 and no 年度指标值)."""
    if scored_target == "adjusted" and _filled(row.adjusted_target):
        return "adjusted_target"
    if _filled(row.target) or not _filled(row.initial_target):
        return "target"
    return "initial_target"


def _filled(value: object) -> bool:
    """A target cell with something in it (the UDF passes Excel's number as it is)."""
    return value is not None and str(value).strip() != ""


def _given_direction(row: Indicator) -> tuple[rules.Direction | None, str, list[rules.Note]]:
    """The direction a column of *row* gives (指标方向, else 指标性质), the field it came from,
    and DIRECTION_UNREADABLE when that column cannot be read (the direction is then implied)."""
    for field in ("direction", "nature"):
        text = getattr(row, field)
        if not text.strip():
            continue
        given = read_direction(text)
        if given is rules.Direction.UNKNOWN:
            return None, field, [rules.Note.DIRECTION_UNREADABLE]
        if given is not None:
            return given, field, []
    return None, "", []


def _conflicts(implied: rules.Direction, given: rules.Direction) -> bool:
    """A given direction contradicting the target's operator: one of them 反向, the other not
    (正向 against "=" is no conflict: an equal indicator scores as positive)."""
    numeric = (rules.Direction.POSITIVE, rules.Direction.NEGATIVE, rules.Direction.EQUAL)
    return implied in numeric and given in numeric and implied != given and rules.Direction.NEGATIVE in (implied, given)


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
