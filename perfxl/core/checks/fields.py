"""The per-row fields of provinces' indicator tables (issue 9): 指标方向 / 指标性质, 评分标准 and
得分系数, checked where the form prints them (``model.Indicator``; a blank field is never
judged).  One check, ``INDICATOR_FIELDS``, on by default; a profile switches it off with
``[checks] off``.

======================  ========  ================================================================
code                    severity  when
======================  ========  ================================================================
DIRECTION_CONFLICT      警告      指标方向 (or 指标性质) and the target's operator disagree: 反向 with
                                  "≥90%", 正向 or 等于 with "≤5%"; the column wins (``scoring.py``)
DIRECTION_UNREADABLE    警告      指标方向 / 指标性质 is none of 正向、反向、等于、定性、定量, ≥ ≤ =
STANDARD_UNREADABLE     提示      the row's 评分标准 is none of the common forms (``rules/standards.py``)
COEFFICIENT_MISMATCH    错误      自评得分 ≠ 分值 × 得分系数 at the 自评得分's printed precision, or
                                  得分系数 outside 0–1
======================  ========  ================================================================

Decisions and why:

* DIRECTION_CONFLICT is a 警告, not an 错误: which of the two the department meant cannot be
  told from the table, and the score may or may not change; the clerk looks at the row.
* STANDARD_UNREADABLE is a 提示: the text is kept and the default rule (or the profile's
  standard for the indicator's name) scores the row, so nothing is lost; the clerk learns
  that the written standard was not applied and can check the score by hand.
* COEFFICIENT_MISMATCH is an 错误: the table states the score twice (系数 and 得分) and the
  two disagree, like a total against its parts.  "Printed precision": 分值 10 × 系数 0.955 =
  9.55 is consistent with 得分 "9.55" and with "10" (whole points), not with "9.5".
  The rule score is not derived from the coefficient: the coefficient is the department's
  own judgement, as the 自评得分 is (the rule score is compared with it by SCORE_DIFFERS).
* 得分系数 is a fraction (1 = 100%); a data file's text "95%" is read as 0.95, since 重庆's
  form prints the column as 得分系数(%).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from .. import rules
from ..findings import Finding
from ..model import Evaluation, Indicator, PerformanceTable
from ..money import ONE, ZERO, amount_value, fmt_score, to_decimal
from ..profile import Profile
from ..scoring import EvaluationScore, IndicatorScore, TableScore
from .base import Collector

_LABELS = {"direction": "指标方向", "nature": "指标性质"}


def check_indicator_fields(ev: Evaluation, scores: EvaluationScore, profile: Profile) -> Iterable[Finding]:
    c = Collector(profile)
    tables: list[tuple[PerformanceTable, TableScore]] = [(ev.overall, scores.overall),
                                                         *zip(ev.projects, scores.projects, strict=False)]
    for _table, score in tables:
        for s in score.indicators:
            _row(c, score, s)
    return c.findings


def _row(c: Collector, score: TableScore, s: IndicatorScore) -> None:
    row, path, t, title = s.indicator, s.path, score.table, score.title
    loc = f"{row.level2 or '指标'}“{row.name or f'第{s.index + 1}行指标'}”"
    notes = s.result.notes
    if s.direction_field:
        label = _LABELS[s.direction_field]
        text = getattr(row, s.direction_field)
        if rules.Note.DIRECTION_UNREADABLE in notes:
            c.add("DIRECTION_UNREADABLE", t, f"{path}.{s.direction_field}", f"{loc} {label}",
                  f"{loc}的{label}“{text}”无法识别（应为正向、反向、等于、定性或 ≥ ≤ =），已按年度指标值的符号或指标名称判断方向。",
                  actual=text, title=title)
        if rules.Note.DIRECTION_CONFLICT in notes:
            target = getattr(row, s.target_field)
            c.add("DIRECTION_CONFLICT", t, f"{path}.{s.direction_field}", f"{loc} {label}",
                  f"{loc}的{label}为“{text}”，年度指标值“{target}”的符号却表示相反方向；已按{label}计分，请核对。",
                  expected=target, actual=text, title=title)
    if rules.Note.STANDARD_UNREADABLE in notes:
        c.add("STANDARD_UNREADABLE", t, f"{path}.standard", f"{loc} 评分标准",
              f"{loc}的评分标准“{row.standard}”不是可识别的形式（按比例、每低于…扣…分、未达到不得分、逾期不得分），"
              "原文保留，已按默认规则计分；请人工核对得分。", actual=row.standard, title=title)
    _coefficient(c, row, s, score, loc)


def _coefficient(c: Collector, row: Indicator, s: IndicatorScore, score: TableScore, loc: str) -> None:
    if row.score_coefficient is None or row.score_coefficient == "":
        return
    where, t, title = f"{s.path}.score_coefficient", score.table, score.title
    coefficient = _percent(row.score_coefficient)  # "100%" as 重庆's 得分系数(%) column prints it
    if coefficient is None:
        coefficient = c.number(row.score_coefficient, t, where, f"{loc} 得分系数", title=title, unit="")
    if coefficient is None:
        return
    if not ZERO <= coefficient <= ONE:
        c.add("COEFFICIENT_MISMATCH", t, where, f"{loc} 得分系数", f"{loc}的得分系数 {coefficient} 不在 0～1 之间。",
              expected="0～1", actual=coefficient, title=title)
        return
    own, weight = amount_value(row.self_score), s.weight
    if own is None or weight is None:
        return
    exponent = own.as_tuple().exponent
    places = max(-exponent, 0) if isinstance(exponent, int) else 2
    expected = (weight * coefficient).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if expected != own:
        c.add("COEFFICIENT_MISMATCH", t, f"{s.path}.self_score", f"{loc} 自评得分",
              f"{loc}：分值 {fmt_score(weight)} × 得分系数 {coefficient} = {fmt_score(weight * coefficient)}，"
              f"自评得分却为 {fmt_score(own)}。", expected=weight * coefficient, actual=own, title=title)


def _percent(value: object) -> Decimal | None:
    """A coefficient written as a percentage ("100%", "95％") as a fraction, else ``None``."""
    if not isinstance(value, str) or not value.strip().endswith(("%", "％")):
        return None
    number = to_decimal(value.strip()[:-1])
    return number / 100 if number is not None else None
