"""Numeric scoring: positive, negative and equal indicators, and over-achievement
(domain.md, "Formulas and scoring"; after 财预〔2020〕10号 and the public scoring
functions of a provincial performance-management system).

A = 年度指标值 (target), B = 实际完成值 (actual), W = 分值 (weight).

* positive (≥): B ≥ A earns W, else B ÷ A × W;
* negative (≤): B ≤ A earns W, else linear to 0 at B = 2A, (1 − (B − A) ÷ A) × W,
  or, when the profile's ``negative_method`` is "ratio", A ÷ B × W;
* equal (=): scored as positive when A ≠ 0; with A = 0, B ≤ 0 earns W, else 0;
* over-achievement: B ÷ A above ``over_achievement.threshold`` (120%) is a warning,
  and from ``deduct_at`` (130%) the profile may deduct ``deduct_points``;
* score bounds: 0 ≤ score ≤ W, a negative B counts as 0 (NEGATIVE_ACTUAL).

Decisions (domain.md is silent on them):

* ">" and "<" targets score like "≥" and "≤" (the forms use them interchangeably);
* a bare number against a percentage (Excel stores 90% as 0.9) is read as whichever
  of v or v×100 is nearer to the other side: 0.9 against "≥90%" is 90%, 2 against
  "≤5%" is 2%;
* a value without a unit against one with a unit is taken to be in that unit,
  multiplier included ("≥100万元" against 120 is 120万元); 万/亿/千 are scaled when
  the base units agree ("100万次" against "1200000次"), so amounts in 元, 万元 and
  亿元 compare after conversion (issue 9, "Units": "≤100万元" against "1200000元" is
  120万元); a multiplier written without a unit ("100万") is of the other side's
  unit; other units that differ are compared as numbers with UNIT_MISMATCH — a
  percentage-point target ("≥2个百分点") against a percentage ("2.5%") among them,
  since a change in points is not a level in per cent;
* the over-achievement warning and deduction apply to positive indicators and to
  equal indicators with A ≠ 0 (domain.md scores those "as positive"), never to
  negative ones;
* a target A ≤ 0 makes the proportional part of the positive/negative rules
  meaningless: B ≥ A (positive) or B ≤ A (negative) earns W, anything else 0, with
  ``ZERO_TARGET``.
"""

from __future__ import annotations

from decimal import Decimal

from ..money import ONE, ZERO, round_score
from ..profile import Profile
from ..values import MULTIPLIERS, ParsedValue, plain
from .outcome import Direction, IndicatorResult, Note, fmt, fmt_any, round_weight

__all__ = ["score_number"]

_TWO = Decimal(2)
_HUNDRED = Decimal(100)
_POSITIVE = Direction.POSITIVE
_NEGATIVE = Direction.NEGATIVE
_EQUAL = Direction.EQUAL


def _scale(value: ParsedValue) -> Decimal:
    """10^k for the multiplier in the unit ("万次" → 10⁴), 1 without one."""
    if value.unit == value.base_unit:
        return ONE
    prefix = value.unit[: len(value.unit) - len(value.base_unit)]
    return Decimal(10) ** MULTIPLIERS[prefix]


def _closer_reading(bare: Decimal, percent: Decimal) -> Decimal:
    """A bare number against a percentage: v or v×100, whichever is nearer (by ratio)
    to the percentage (Excel stores "90%" as 0.9)."""
    if bare <= 0 or percent <= 0:
        return bare
    as_fraction = bare * _HUNDRED
    far_points = max(bare / percent, percent / bare)
    far_fraction = max(as_fraction / percent, percent / as_fraction)
    return as_fraction if far_fraction < far_points else bare


def _reconcile(
    target: ParsedValue, actual: ParsedValue, t_num: Decimal, a_num: Decimal
) -> tuple[Decimal, Decimal, bool]:
    """(A, B, unit mismatch): *t_num* and *a_num*, the numbers of *target* and *actual*,
    both in the target's written unit.

    A side written without any unit is taken to be in the other side's unit
    (multiplier included); a bare number against a percentage is read as v or v×100,
    whichever is nearer; 万/亿/千 are scaled when the base units agree.
    """
    if not actual.unit:
        if target.base_unit == "%":
            return t_num, _closer_reading(a_num, t_num), False
        return t_num, a_num, False  # "≥100万元" against 120: 120 万元
    if not target.unit:
        if actual.base_unit == "%":
            return _closer_reading(t_num, a_num), a_num, False
        return t_num, a_num, False
    if target.unit == actual.unit:
        return t_num, a_num, False
    if target.base_unit == actual.base_unit or _bare_multiplier(target, actual):
        # "100万次" against "1200000次", "≤100万元" against "1200000元", "100万" against "1200000元"
        return t_num, a_num * _scale(actual) / _scale(target), False
    return t_num, a_num, True


def _bare_multiplier(target: ParsedValue, actual: ParsedValue) -> bool:
    """True when one side writes a multiplier and no unit ("100万") and the other side a
    unit that is not a percentage: the multiplier is taken to be of that unit."""
    if "%" in (target.base_unit, actual.base_unit):
        return False
    return any(not side.base_unit and side.unit in MULTIPLIERS for side in (target, actual))


def score_number(
    t: ParsedValue, a: ParsedValue, w: Decimal, direction: Direction, profile: Profile
) -> IndicatorResult:
    """Positive, negative and equal indicators (domain.md), both values numbers."""
    target_num, actual_num = t.number, a.number
    assert target_num is not None and actual_num is not None  # values.py: a NUMBER carries its number
    unit = t.unit
    unit_mismatch = False
    if unit != a.unit and (a.unit or t.base_unit == "%"):  # else the common case: compare as written
        target_num, actual_num, unit_mismatch = _reconcile(t, a, target_num, actual_num)
    notes: list[Note] = []
    if unit_mismatch:
        notes.append(Note.UNIT_MISMATCH)
    if not unit:
        unit = a.unit
    A = plain(target_num) + unit
    B = plain(actual_num) + (a.unit if unit_mismatch else unit)
    if actual_num < 0:  # domain.md, "score bounds": a negative B counts as 0
        actual_num = ZERO
        notes.append(Note.NEGATIVE_ACTUAL)
        B += "（负数按 0 计）"
    ratio = actual_num / target_num if target_num else None
    W = fmt(w)

    if direction is _NEGATIVE:
        score, text = _negative(target_num, actual_num, w, A, B, W, profile, notes)
    elif direction is _EQUAL and not target_num:
        # domain.md, "equal": A = 0 → B ≤ 0 earns W, anything else 0
        if actual_num <= 0:
            score, text = w, f"等于指标：目标为 0，实际 {B} 不大于 0，得满分 {W}"
        else:
            score, text = ZERO, f"等于指标：目标为 0，实际 {B} 大于 0，得 0 分"
    else:  # positive, and equal with A ≠ 0 ("otherwise as positive")
        label = "正向指标" if direction is _POSITIVE else "等于指标"
        if actual_num >= target_num:
            score, text = w, f"{label}：实际 {B} ≥ 目标 {A}，得满分 {W}"
            if target_num <= 0:
                notes.append(Note.ZERO_TARGET)
        else:  # here 0 ≤ B < A, so A > 0
            score = round_score(actual_num / target_num * w)
            text = f"{label}：实际 {B} < 目标 {A}，得分 = {plain(actual_num)} ÷ {plain(target_num)} × {W} = {fmt(score)}"
        # domain.md, "over-achievement": equal with A ≠ 0 is scored "as positive", so the
        # warning (and the profile's deduction) apply to it too
        if ratio is not None and target_num > 0 and ratio > profile.over_achievement.threshold:
            score, text = _over_achievement(ratio, score, text, profile, notes)

    if score is w:
        score = round_weight(w)
    elif score < 0 or score > w:
        score = round_score(min(max(score, ZERO), w))
    return IndicatorResult(direction, score, ratio, None, None, tuple(notes) if notes else (), text)


def _negative(
    target_num: Decimal, actual_num: Decimal, w: Decimal, A: str, B: str, W: str,
    profile: Profile, notes: list[Note],
) -> tuple[Decimal, str]:
    """domain.md, "negative": linear (default) or ratio (*profile*)."""
    if actual_num <= target_num:
        return w, f"反向指标：实际 {B} ≤ 目标 {A}，得满分 {W}"
    if target_num <= 0:
        notes.append(Note.ZERO_TARGET)
        return ZERO, f"反向指标：目标为 {A}，实际 {B} 超过目标，得 0 分"
    if profile.negative_method == "ratio":
        score = round_score(target_num / actual_num * w)
        return score, (
            f"反向指标（比值法）：实际 {B} > 目标 {A}，得分 = {plain(target_num)} ÷ {plain(actual_num)} × {W} = {fmt(score)}"
        )
    if actual_num >= _TWO * target_num:
        return ZERO, f"反向指标：实际 {B} 达到目标 {A} 的 2 倍及以上，得 0 分"
    score = round_score((ONE - (actual_num - target_num) / target_num) * w)
    return score, (
        f"反向指标：实际 {B} 超过目标 {A}，得分 = (1 − ({plain(actual_num)} − {plain(target_num)}) ÷ "
        f"{plain(target_num)}) × {W} = {fmt(score)}"
    )


def _over_achievement(
    ratio: Decimal, score: Decimal, text: str, profile: Profile, notes: list[Note]
) -> tuple[Decimal, str]:
    """domain.md, "over-achievement": warn above the threshold (120%); deduct points
    from ``deduct_at`` (130%) only when the profile says so."""
    rules = profile.over_achievement
    if ratio <= rules.threshold:
        return score, text
    notes.append(Note.OVER_ACHIEVEMENT)
    pct = fmt_any(ratio * _HUNDRED)
    text += f"；实际为目标的 {pct}%，超过 {fmt(rules.threshold * _HUNDRED)}% 的提示线，请说明目标是否偏低"
    if rules.deduct and ratio >= rules.deduct_at:
        notes.append(Note.OVER_DEDUCTION)
        score = round_score(max(score - rules.deduct_points, ZERO))
        text += f"；达到 {fmt(rules.deduct_at * _HUNDRED)}%，按方案扣 {fmt(rules.deduct_points)} 分，得 {fmt(score)}"
    return score, text
