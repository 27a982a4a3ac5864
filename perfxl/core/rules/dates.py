"""Deadline scoring: a date or period target (domain.md: "9月前" vs "7月", "a date or
month: compare as dates").

A deadline met (on or before a "≤" target, on or after a "≥" one, …) earns W; a
deadline missed earns the profile's ``deadline_missed_fraction`` × W (0 by default)
with DEADLINE_MISSED.  A date target without an operator ("2023年度") is "≤".

Decisions (domain.md is silent on them):

* dates compare field by field on what both sides wrote (year, then month, then
  day); a side without a year ("12月底前") is taken to be in the evaluation year when
  the caller gives one (``score_indicator(..., year=2023)``), otherwise the two are
  compared by month;
* two dates with nothing in common to compare ("2023年" against "7月"), or an actual
  that is not a date (a percentage against a date, as in the sample's 时效指标
  "2023年度"/"100%"), are scored like a qualitative indicator, from the tier or
  self-score, with ``KIND_MISMATCH``;
* the explanation shows the values as the user typed them ("实际 7月 不晚于 目标 9月前"),
  adding "（未写年份，按 2023 年计）" where a year was supplied.
"""

from __future__ import annotations

from decimal import Decimal

from ..money import ZERO, round_score
from ..profile import Profile
from ..values import DateParts, ParsedValue, ValueKind
from .outcome import Direction, IndicatorResult, Note, Tier, fmt, missing_actual, round_weight
from .qualitative import score_qualitative

__all__ = ["score_date"]

#: the orders (-1 earlier, 0 same, 1 later) that meet a date target, by its operator
_ON_TIME = {"<=": (-1, 0), "<": (-1,), "=": (0,), ">=": (0, 1), ">": (1,)}
_RELATION = {"<=": "不晚于", "<": "早于", "=": "等于", ">=": "不早于", ">": "晚于"}


def score_date(
    t: ParsedValue, a: ParsedValue, w: Decimal, profile: Profile,
    tier: Tier | str | None, self_score: object, year: int | None = None,
) -> IndicatorResult:
    """Deadlines (domain.md: "a date or month: compare as dates"); a date without a
    year is in the evaluation *year* when one is given (see ``score_indicator``)."""
    direction = Direction.DEADLINE
    missing = missing_actual(direction, a)
    if missing is not None:
        return missing
    if a.kind is not ValueKind.DATE or t.date is None or a.date is None:
        return score_qualitative(t, a, w, direction, profile, tier, self_score, (Note.KIND_MISMATCH,))
    t_date, a_date = _in_year(t.date, year), _in_year(a.date, year)
    order = _compare_dates(t_date, a_date)
    if order is None:  # "2023年" against "7月": nothing in common to compare
        return score_qualitative(t, a, w, direction, profile, tier, self_score, (Note.KIND_MISMATCH,))
    op = t.op or "<="
    # the values as the user typed them: "实际 7月 不晚于 目标 9月前"
    A, B, W = t.raw.strip(), a.raw.strip(), fmt(w)
    if year is not None and (t.date[0] is None) != (a.date[0] is None):
        if t.date[0] is None:
            A += f"（未写年份，按 {year} 年计）"
        else:
            B += f"（未写年份，按 {year} 年计）"
    if order in _ON_TIME[op]:
        return IndicatorResult(direction, round_weight(w), None, None, None, (),
                               f"时效指标：实际 {B} {_RELATION[op]} 目标 {A}，得满分 {W}")
    fraction = profile.deadline_missed_fraction
    score = round_score(min(max(fraction * w, ZERO), w))
    return IndicatorResult(direction, score, None, None, None, (Note.DEADLINE_MISSED,),
                           f"时效指标：实际 {B} 未满足目标 {A}，得 {fmt(score)} 分（逾期得分比例 {fmt(fraction)}）")


def _in_year(date: DateParts, year: int | None) -> DateParts:
    """A date without a year ("12月底前") placed in the evaluation *year*, if known."""
    if year is None or date[0] is not None:
        return date
    return (year, date[1], date[2])


def _compare_dates(target: DateParts, actual: DateParts) -> int | None:
    """-1 / 0 / 1 comparing actual with target on the fields both wrote; None if none."""
    compared = False
    for index, (t_part, a_part) in enumerate(zip(target, actual, strict=False)):
        if t_part is None or a_part is None:
            if index == 0 and (target[1] is not None and actual[1] is not None):
                continue  # "9月前" against "2023年7月": compare months
            break
        compared = True
        if a_part != t_part:
            return -1 if a_part < t_part else 1
    return 0 if compared else None
