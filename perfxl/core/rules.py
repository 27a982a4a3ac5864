"""The scoring rules of the self-evaluation tables (附件二、附件三): pure functions, no I/O.

Every rule is the one in ``shared/docs/domain.md``, "Formulas and scoring" (the
default profile, after 财预〔2020〕10号, 湘财绩〔2020〕7号 and the public configuration
of a provincial performance-management system); where that table marks a rule
*profile*, the choice is read from a ``Profile`` (``perfxl/profiles/*.toml``).

A = 年度指标值 (target), B = 实际完成值 (actual), W = 分值 (weight).

Rates are exact ``Decimal`` quotients (``money.divide``): a missing value or a zero
denominator gives ``None``, never a silent 0.  Scores are rounded once, to 2 decimals,
with ``money.round_score`` (ROUND_HALF_UP), and always lie in [0, W].

What a scoring run notices is returned as ``Note`` codes beside the score, for the
checker to turn into findings; nothing is raised.

Decisions taken where ``domain.md`` is silent (each is repeated where it is coded):

* a target of "无" (不适用) gets no rule score (``None``), not 0: the indicator does
  not apply, so its weight must move or its score be explained (the notes say which);
* an empty, "无" or unreadable actual against a numeric or date target gives no score
  (``None``) and a note: "a value that cannot be read is a finding, not a zero";
* an actual that is a different kind from the target (text or a date against a
  number, a percentage against a date, as in the sample's 时效指标 "2023年度"/"100%")
  is scored like a qualitative indicator, from the tier or self-score, with
  ``KIND_MISMATCH``;
* a bare number against a percentage (Excel stores 90% as 0.9) is read as whichever
  of v or v×100 is nearer to the other side: 0.9 against "≥90%" is 90%, 2 against
  "≤5%" is 2%;
* a value without a unit against one with a unit is taken to be in that unit,
  multiplier included ("≥100万元" against 120 is 120万元);
* ">" and "<" targets score like "≥" and "≤" (the forms use them interchangeably);
* the over-achievement warning and deduction apply to positive indicators and to
  equal indicators with A ≠ 0 (domain.md scores those "as positive"), never to
  negative ones;
* a target A ≤ 0 makes the proportional part of the positive/negative rules
  meaningless: B ≥ A (positive) or B ≤ A (negative) earns W, anything else 0, with
  ``ZERO_TARGET``;
* dates compare field by field on what both sides wrote (year, then month, then
  day); a side without a year ("12月底前") is taken to be in the evaluation year when
  the caller gives one (``score_indicator(..., year=2023)``), otherwise the two are
  compared by month;
* a rate with a negative denominator (a negative budget or approved number) is not a
  rate: ``None`` like a zero one (the checker reports negative amounts); a negative
  weight is a missing weight;
* a qualitative self-score is rounded to 2 decimals first and then checked against
  the tier's band: 7.995 under 部分达成 [6, 8) is 8.00, outside the band.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation

from .money import ONE, SCORE_PLACES, ZERO, divide, round_score, to_decimal
from .profile import Profile, load_profile
from .values import (
    MULTIPLIERS,
    ParsedValue,
    ValueKind,
    parse_value,
    parse_value_cached,
    plain,
)

__all__ = [
    "Direction",
    "IndicatorResult",
    "Note",
    "Tier",
    "adjustment_rate",
    "budget_score",
    "cap_total",
    "change_rate",
    "check_execution",
    "control_rate",
    "direction_of",
    "execution_rate",
    "grade",
    "parse_tier",
    "score_indicator",
    "tier_band",
]

_TWO = Decimal(2)
_HUNDRED = Decimal(100)


# --------------------------------------------------------------------------- rates

def _finite(value: Decimal | None) -> bool:
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


def budget_score(
    actual: Decimal | None,
    full_year_budget: Decimal | None,
    weight: Decimal | None,
    profile: Profile | None = None,
) -> Decimal | None:
    """执行率 score = min(执行率, 100%) × W, 2 decimals (domain.md); a negative 全年执行数
    counts as 0.  ``None`` when a value is missing, 全年预算数 is 0 or negative, or the
    weight is negative (a negative 分值 is a missing one, as in ``score_indicator``).

    132.61 ÷ 133.09 × 10 = 9.96.  *profile* is accepted for symmetry with the other
    rules; no profile changes this formula (the warnings are ``check_execution``).
    """
    del profile
    if not _finite(actual) or not _finite(weight) or weight < 0:
        return None
    rate = execution_rate(max(actual, ZERO), full_year_budget)
    if rate is None:
        return None
    rate = min(max(rate, ZERO), ONE)
    return round_score(rate * weight)


# --------------------------------------------------------------------------- enums

class Direction(enum.StrEnum):
    """How an indicator is scored, read from the operator of its target (never its name)."""

    POSITIVE = "positive"  # ≥ / > (and a bare number under the default profile)
    NEGATIVE = "negative"  # ≤ / <
    EQUAL = "equal"  # =
    DEADLINE = "deadline"  # a date or period: on or before it
    QUALITATIVE = "qualitative"  # text: scored by tier
    NOT_APPLICABLE = "not_applicable"  # 无 / ——
    UNKNOWN = "unknown"  # the target is empty or cannot be read

    @property
    def label(self) -> str:
        return _DIRECTION_LABELS[self]


_DIRECTION_LABELS = {
    Direction.POSITIVE: "正向指标",
    Direction.NEGATIVE: "反向指标",
    Direction.EQUAL: "等于指标",
    Direction.DEADLINE: "时效指标",
    Direction.QUALITATIVE: "定性指标",
    Direction.NOT_APPLICABLE: "不适用指标",
    Direction.UNKNOWN: "指标",
}


class Tier(enum.StrEnum):
    """完成档次 of a qualitative indicator (domain.md, "qualitative")."""

    ACHIEVED = "达成年度指标"
    PARTIAL = "部分达成年度指标并具有一定效果"
    MISSED = "未达成年度指标且效果较差"


class Note(enum.StrEnum):
    """What a scoring run noticed: stable codes (never renamed) for the checker.

    ``message`` is the Chinese text for users.
    """

    TARGET_MISSING = "TARGET_MISSING"
    TARGET_UNREADABLE = "TARGET_UNREADABLE"
    ACTUAL_MISSING = "ACTUAL_MISSING"
    ACTUAL_UNREADABLE = "ACTUAL_UNREADABLE"
    WEIGHT_MISSING = "WEIGHT_MISSING"
    KIND_MISMATCH = "KIND_MISMATCH"
    UNIT_MISMATCH = "UNIT_MISMATCH"
    ZERO_TARGET = "ZERO_TARGET"
    NEGATIVE_ACTUAL = "NEGATIVE_ACTUAL"
    OVER_ACHIEVEMENT = "OVER_ACHIEVEMENT"
    OVER_DEDUCTION = "OVER_DEDUCTION"
    NOT_APPLICABLE_WEIGHTED = "NOT_APPLICABLE_WEIGHTED"
    NA_TARGET_WITH_ACTUAL = "NA_TARGET_WITH_ACTUAL"
    TIER_REQUIRED = "TIER_REQUIRED"
    SELF_SCORE_OUT_OF_BAND = "SELF_SCORE_OUT_OF_BAND"
    DEADLINE_MISSED = "DEADLINE_MISSED"
    EXECUTION_OVER_BUDGET = "EXECUTION_OVER_BUDGET"
    EXECUTION_LOW = "EXECUTION_LOW"

    @property
    def message(self) -> str:
        return _NOTE_MESSAGES[self]


_NOTE_MESSAGES = {
    Note.TARGET_MISSING: "年度指标值为空，无法计分",
    Note.TARGET_UNREADABLE: "年度指标值无法识别，请按“≥90%”“8次”“2023年12月底前”等格式填写",
    Note.ACTUAL_MISSING: "实际完成值为空或为“无”，无法计分",
    Note.ACTUAL_UNREADABLE: "实际完成值无法识别，请按“≥90%”“8次”“2023年12月”等格式填写",
    Note.WEIGHT_MISSING: "分值为空或不是非负数，无法计分",
    Note.KIND_MISMATCH: "实际完成值与年度指标值类型不同（数值/日期/文字），无法按公式比较，按定性指标计分",
    Note.UNIT_MISMATCH: "实际完成值与年度指标值的计量单位不一致，已按数字比较，请核对单位",
    Note.ZERO_TARGET: "年度指标值为 0 或负数，无法计算完成比例",
    Note.NEGATIVE_ACTUAL: "实际完成值为负数，按 0 计算",
    Note.OVER_ACHIEVEMENT: "超额完成幅度较大，请说明年度指标值是否设定偏低，并填写偏差原因",
    Note.OVER_DEDUCTION: "超额完成幅度达到扣分标准，已按评分方案扣分",
    Note.NOT_APPLICABLE_WEIGHTED: "年度指标值为“无”（不适用）却设有分值，应将分值调整到其他指标或说明得分理由",
    Note.NA_TARGET_WITH_ACTUAL: "年度指标值为“无”，实际完成值却填写了具体内容，请核对",
    Note.TIER_REQUIRED: "定性指标须选择完成档次（达成/部分达成/未达成）或填写自评得分",
    Note.SELF_SCORE_OUT_OF_BAND: "自评得分不在所选档次的分数区间内，已按区间边界计分",
    Note.DEADLINE_MISSED: "未在年度指标值规定的时间内完成",
    Note.EXECUTION_OVER_BUDGET: "执行率超过 100%（超预算执行），请说明原因",
    Note.EXECUTION_LOW: "执行率偏低，请说明原因",
}


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


# --------------------------------------------------------------------------- results

@dataclass(frozen=True, slots=True)
class IndicatorResult:
    """The rule score of one 三级指标.

    Attributes:
      direction: how it was scored (from the target's operator).
      score: the rule score, 2 decimals, 0 ≤ score ≤ W; ``None`` when no rule applies
        or a value is missing (see ``notes``).
      ratio: B ÷ A (in comparable units) where meaningful, else ``None``.
      tier: the 完成档次 used for a qualitative score, else ``None``.
      band: the tier's score interval (low, high) in points; ``high`` is inclusive for
        达成年度指标 and exclusive for the two lower tiers.
      notes: what the run noticed (``Note`` codes).
      explanation: one Chinese sentence saying how the score was reached.
    """

    direction: Direction
    score: Decimal | None
    ratio: Decimal | None
    tier: Tier | None
    band: tuple[Decimal, Decimal] | None
    notes: tuple[Note, ...]
    explanation: str


# --------------------------------------------------------------------------- helpers

_TIER_SHORT = {
    "达成": Tier.ACHIEVED,
    "全部达成": Tier.ACHIEVED,
    "已达成": Tier.ACHIEVED,
    "部分达成": Tier.PARTIAL,
    "未达成": Tier.MISSED,
}


def parse_tier(text: object) -> Tier | None:
    """A 完成档次 from its full name or a short form ("达成", "部分达成", "未达成")."""
    if isinstance(text, Tier):
        return text
    if not isinstance(text, str):
        return None
    return _parse_tier_text(text)


@functools.lru_cache(maxsize=256)
def _parse_tier_text(text: str) -> Tier | None:
    compact = "".join(text.split())
    if not compact:
        return None
    for tier in Tier:
        if compact == tier.value:
            return tier
    if compact in _TIER_SHORT:
        return _TIER_SHORT[compact]
    # a longer wording that starts like a tier: "部分达成年度指标", "未达成年度指标"
    if compact.startswith("部分达成"):
        return Tier.PARTIAL
    if compact.startswith("未达成"):
        return Tier.MISSED
    if compact.startswith("达成"):
        return Tier.ACHIEVED
    return None


def tier_band(tier: Tier, weight: Decimal, profile: Profile | None = None) -> tuple[Decimal, Decimal]:
    """The score interval of a tier (domain.md, "qualitative"): 达成 [0.8W, W],
    部分达成 [0.6W, 0.8W), 未达成 [0, 0.6W) (fractions from the profile)."""
    q = (profile or load_profile()).qualitative
    if tier is Tier.ACHIEVED:
        return q.achieved_min * weight, weight
    if tier is Tier.PARTIAL:
        return q.partial_min * weight, q.achieved_min * weight
    return ZERO, q.partial_min * weight


def direction_of(target: ParsedValue, profile: Profile | None = None) -> Direction:
    """The direction of an indicator from its target only (domain.md, "direction"):
    ≥ / > positive, ≤ / < negative, = equal, a bare number the profile's
    ``bare_number_direction``, a date deadline, text qualitative, 无 not applicable."""
    kind = target.kind
    if kind is ValueKind.NUMBER:
        op = target.op
        if op is None:
            return _BARE_DIRECTIONS[(profile or load_profile()).bare_number_direction]
        return _OP_DIRECTIONS[op]
    return _KIND_DIRECTIONS[kind]


_OP_DIRECTIONS = {
    ">=": Direction.POSITIVE,
    ">": Direction.POSITIVE,
    "<=": Direction.NEGATIVE,
    "<": Direction.NEGATIVE,
    "=": Direction.EQUAL,
}
_BARE_DIRECTIONS = {"positive": Direction.POSITIVE, "negative": Direction.NEGATIVE, "equal": Direction.EQUAL}
_KIND_DIRECTIONS = {
    ValueKind.DATE: Direction.DEADLINE,
    ValueKind.TEXT: Direction.QUALITATIVE,
    ValueKind.NOT_APPLICABLE: Direction.NOT_APPLICABLE,
    ValueKind.EMPTY: Direction.UNKNOWN,
    ValueKind.INVALID: Direction.UNKNOWN,
}


def _as_parsed(value: object) -> ParsedValue:
    if isinstance(value, ParsedValue):
        return value
    if isinstance(value, str):
        return parse_value_cached(value)
    return parse_value(value)


def _as_decimal(value: object) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value if value is None or value.is_finite() else None
    return to_decimal(value)


@functools.lru_cache(maxsize=2048)
def _fmt(value: Decimal) -> str:
    """A number in an explanation: 2 decimals at most, no trailing zeros.

    Cached: explanations repeat the same few numbers (13, 90%, 12 …).  Equal
    Decimals (13 and 13.00) hash alike and format alike, so sharing is safe.
    """
    if value == value.to_integral_value():
        return plain(value)
    return _fmt_any(value)


def _fmt_any(value: Decimal) -> str:
    """``_fmt`` without the cache, for one-off values such as a ratio × 100 (hashing a
    28-digit Decimal costs more than formatting it)."""
    try:
        return plain(round_score(value))
    except InvalidOperation:  # too many digits for 2 decimals (1e+26): shown as it is
        return plain(value)


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


def _reconcile(target: ParsedValue, actual: ParsedValue) -> tuple[Decimal, Decimal, bool]:
    """(A, B, unit mismatch): both numbers in the target's written unit.

    A side written without any unit is taken to be in the other side's unit
    (multiplier included); a bare number against a percentage is read as v or v×100,
    whichever is nearer; 万/亿/千 are scaled when the base units agree.
    """
    t_num, a_num = target.number, actual.number
    assert t_num is not None and a_num is not None
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
    if target.base_unit == actual.base_unit:  # "100万次" against "1200000次"
        return t_num, a_num * _scale(actual) / _scale(target), False
    return t_num, a_num, True


def _in_year(
    date: tuple[int | None, int | None, int | None], year: int | None
) -> tuple[int | None, int | None, int | None]:
    """A date without a year ("12月底前") placed in the evaluation *year*, if known."""
    if year is None or date[0] is not None:
        return date
    return (year, date[1], date[2])


def _compare_dates(
    target: tuple[int | None, int | None, int | None], actual: tuple[int | None, int | None, int | None]
) -> int | None:
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


# --------------------------------------------------------------------------- scoring

def score_indicator(
    target: ParsedValue | object,
    actual: ParsedValue | object,
    weight: Decimal | object,
    profile: Profile | None = None,
    *,
    tier: Tier | str | None = None,
    self_score: Decimal | object = None,
    year: int | None = None,
) -> IndicatorResult:
    """Score one 三级指标 row by the rules of domain.md ("Formulas and scoring").

    *target* / *actual* are ``ParsedValue`` or raw cell values; *weight* is W;
    *tier* (完成档次) and *self_score* (自评得分) are used for qualitative indicators
    and for rows whose actual cannot be compared with the target.  *year* is the
    evaluated year: a date written without a year ("12月底前") means that year, so
    "2024年1月" against "12月底前" is late for 2023; without it such a date is
    compared by month only.
    """
    t = target if type(target) is ParsedValue else _as_parsed(target)
    a = actual if type(actual) is ParsedValue else _as_parsed(actual)
    if profile is None:
        profile = load_profile()
    w = weight if type(weight) is Decimal and weight.is_finite() else _as_decimal(weight)
    kind = t.kind
    if kind is _NUMBER:
        op = t.op
        direction = _BARE_DIRECTIONS[profile.bare_number_direction] if op is None else _OP_DIRECTIONS[op]
    else:
        direction = _KIND_DIRECTIONS[kind]
    if w is None or w < 0:
        return IndicatorResult(direction, None, None, None, None, (Note.WEIGHT_MISSING,),
                               f"分值“{weight if weight is not None else ''}”缺失或无效，无法计分")
    if kind is _NUMBER:
        if a.kind is _NUMBER:
            return _score_number(t, a, w, direction, profile)
        missing = _missing_actual(direction, a)
        if missing is not None:
            return missing
        return _score_qualitative(t, a, w, direction, profile, tier, self_score, (Note.KIND_MISMATCH,))
    if kind is ValueKind.DATE:
        return _score_date(t, a, w, profile, tier, self_score, year)
    if kind is ValueKind.TEXT:
        return _score_qualitative(t, a, w, direction, profile, tier, self_score, ())
    if kind is ValueKind.NOT_APPLICABLE:
        return _score_not_applicable(a, w)
    if kind is ValueKind.EMPTY:
        return IndicatorResult(direction, None, None, None, None, (Note.TARGET_MISSING,),
                               "年度指标值为空，无法计分")
    return IndicatorResult(direction, None, None, None, None, (Note.TARGET_UNREADABLE,),
                           f"年度指标值“{t.raw.strip()}”无法识别，无法计分")


_NUMBER = ValueKind.NUMBER
_POSITIVE = Direction.POSITIVE
_NEGATIVE = Direction.NEGATIVE
_EQUAL = Direction.EQUAL


def _missing_actual(direction: Direction, actual: ParsedValue) -> IndicatorResult | None:
    kind = actual.kind
    if kind is ValueKind.EMPTY or kind is ValueKind.NOT_APPLICABLE:
        what = "为空" if kind is ValueKind.EMPTY else f"为“{actual.raw.strip()}”"
        return IndicatorResult(direction, None, None, None, None, (Note.ACTUAL_MISSING,),
                               f"{direction.label}：实际完成值{what}，无法计分")
    if kind is ValueKind.INVALID:
        return IndicatorResult(direction, None, None, None, None, (Note.ACTUAL_UNREADABLE,),
                               f"{direction.label}：实际完成值“{actual.raw.strip()}”无法识别，无法计分")
    return None


def _score_number(
    t: ParsedValue, a: ParsedValue, w: Decimal, direction: Direction, profile: Profile
) -> IndicatorResult:
    """Positive, negative and equal indicators (domain.md), both values numbers."""
    unit = t.unit
    if unit == a.unit or (not a.unit and t.base_unit != "%"):
        target_num, actual_num, unit_mismatch = t.number, a.number, False  # the common case
    else:
        target_num, actual_num, unit_mismatch = _reconcile(t, a)
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
    W = _fmt(w)

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
            text = f"{label}：实际 {B} < 目标 {A}，得分 = {plain(actual_num)} ÷ {plain(target_num)} × {W} = {_fmt(score)}"
        # domain.md, "over-achievement": equal with A ≠ 0 is scored "as positive", so the
        # warning (and the profile's deduction) apply to it too
        if ratio is not None and target_num > 0 and ratio > profile.over_achievement.threshold:
            score, text = _over_achievement(ratio, score, text, profile, notes)

    if score is w:
        score = _round_weight(w)
    elif score < 0 or score > w:
        score = round_score(min(max(score, ZERO), w))
    return IndicatorResult(direction, score, ratio, None, None, tuple(notes) if notes else (), text)


@functools.lru_cache(maxsize=256)
def _round_weight(w: Decimal) -> Decimal:
    """Full marks on the 0.01 grid (weights repeat: 13, 12, 10 …)."""
    return round_score(w)


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
            f"反向指标（比值法）：实际 {B} > 目标 {A}，得分 = {plain(target_num)} ÷ {plain(actual_num)} × {W} = {_fmt(score)}"
        )
    if actual_num >= _TWO * target_num:
        return ZERO, f"反向指标：实际 {B} 达到目标 {A} 的 2 倍及以上，得 0 分"
    score = round_score((ONE - (actual_num - target_num) / target_num) * w)
    return score, (
        f"反向指标：实际 {B} 超过目标 {A}，得分 = (1 − ({plain(actual_num)} − {plain(target_num)}) ÷ "
        f"{plain(target_num)}) × {W} = {_fmt(score)}"
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
    pct = _fmt_any(ratio * _HUNDRED)
    text += f"；实际为目标的 {pct}%，超过 {_fmt(rules.threshold * _HUNDRED)}% 的提示线，请说明目标是否偏低"
    if rules.deduct and ratio >= rules.deduct_at:
        notes.append(Note.OVER_DEDUCTION)
        score = round_score(max(score - rules.deduct_points, ZERO))
        text += f"；达到 {_fmt(rules.deduct_at * _HUNDRED)}%，按方案扣 {_fmt(rules.deduct_points)} 分，得 {_fmt(score)}"
    return score, text


#: the orders (-1 earlier, 0 same, 1 later) that meet a date target, by its operator
_ON_TIME = {"<=": (-1, 0), "<": (-1,), "=": (0,), ">=": (0, 1), ">": (1,)}
_RELATION = {"<=": "不晚于", "<": "早于", "=": "等于", ">=": "不早于", ">": "晚于"}


def _score_date(
    t: ParsedValue, a: ParsedValue, w: Decimal, profile: Profile,
    tier: Tier | str | None, self_score: object, year: int | None = None,
) -> IndicatorResult:
    """Deadlines (domain.md: "a date or month: compare as dates"); a date without a
    year is in the evaluation *year* when one is given (see ``score_indicator``)."""
    direction = Direction.DEADLINE
    missing = _missing_actual(direction, a)
    if missing is not None:
        return missing
    if a.kind is not ValueKind.DATE or t.date is None or a.date is None:
        return _score_qualitative(t, a, w, direction, profile, tier, self_score, (Note.KIND_MISMATCH,))
    t_date, a_date = _in_year(t.date, year), _in_year(a.date, year)
    order = _compare_dates(t_date, a_date)
    if order is None:  # "2023年" against "7月": nothing in common to compare
        return _score_qualitative(t, a, w, direction, profile, tier, self_score, (Note.KIND_MISMATCH,))
    op = t.op or "<="
    # the values as the user typed them: "实际 7月 不晚于 目标 9月前"
    A, B, W = t.raw.strip(), a.raw.strip(), _fmt(w)
    if year is not None and (t.date[0] is None) != (a.date[0] is None):
        if t.date[0] is None:
            A += f"（未写年份，按 {year} 年计）"
        else:
            B += f"（未写年份，按 {year} 年计）"
    if order in _ON_TIME[op]:
        return IndicatorResult(direction, _round_weight(w), None, None, None, (),
                               f"时效指标：实际 {B} {_RELATION[op]} 目标 {A}，得满分 {W}")
    fraction = profile.deadline_missed_fraction
    score = round_score(min(max(fraction * w, ZERO), w))
    return IndicatorResult(direction, score, None, None, None, (Note.DEADLINE_MISSED,),
                           f"时效指标：实际 {B} 未满足目标 {A}，得 {_fmt(score)} 分（逾期得分比例 {_fmt(fraction)}）")


def _score_not_applicable(a: ParsedValue, w: Decimal) -> IndicatorResult:
    """A target of "无": no rule score (None, not 0) — the indicator does not apply
    (domain.md: its weight should move elsewhere or its score be explained)."""
    notes: list[Note] = []
    text = "年度指标值为“无”，该指标不适用，不按规则计分"
    if w > 0:
        notes.append(Note.NOT_APPLICABLE_WEIGHTED)
        text += f"；但设有分值 {_fmt(w)} 分，应调整到其他指标或说明得分理由"
    if a.is_value:
        notes.append(Note.NA_TARGET_WITH_ACTUAL)
        text += f"；实际完成值却填写了“{a.raw.strip()}”"
    return IndicatorResult(Direction.NOT_APPLICABLE, None, None, None, None, tuple(notes), text)


def _clamp_into(value: Decimal, tier: Tier, band: tuple[Decimal, Decimal]) -> Decimal:
    """*value* moved into the band, on the 0.01 grid (the top of a lower tier is open)."""
    low, high = band
    low_grid = low.quantize(SCORE_PLACES, rounding=ROUND_CEILING)
    if tier is Tier.ACHIEVED:
        high_grid = high.quantize(SCORE_PLACES, rounding=ROUND_FLOOR)
    else:
        high_grid = (high - SCORE_PLACES).quantize(SCORE_PLACES, rounding=ROUND_CEILING)
        if high_grid >= high:
            high_grid -= SCORE_PLACES
    return min(max(value, low_grid), high_grid)


def _in_band(value: Decimal, tier: Tier, band: tuple[Decimal, Decimal]) -> bool:
    low, high = band
    return low <= value <= high if tier is Tier.ACHIEVED else low <= value < high


def _tier_of_score(value: Decimal, w: Decimal, profile: Profile) -> Tier:
    q = profile.qualitative
    if value >= q.achieved_min * w:
        return Tier.ACHIEVED
    if value >= q.partial_min * w:
        return Tier.PARTIAL
    return Tier.MISSED


def _score_qualitative(
    t: ParsedValue, a: ParsedValue, w: Decimal, direction: Direction, profile: Profile,
    tier: Tier | str | None, self_score: object, notes_in: tuple[Note, ...],
) -> IndicatorResult:
    """domain.md, "qualitative": the score lies in the chosen tier's band.

    The self-score is rounded to 2 decimals first (the score is shown with 2), then
    kept when it is in the band and moved to the band's edge when not
    (SELF_SCORE_OUT_OF_BAND): 7.995 under 部分达成 [6, 8) is 8.00, so 7.99; without a
    tier 7.995 is 8.00, 达成年度指标.  Without a self-score the tier's default fraction
    (*profile*) × W is used; without a tier it is inferred from the self-score, or,
    when the actual repeats the target's text, taken as 达成年度指标.
    """
    notes = list(notes_in)
    if a.kind is ValueKind.EMPTY or a.kind is ValueKind.NOT_APPLICABLE:
        if Note.ACTUAL_MISSING not in notes:
            notes.append(Note.ACTUAL_MISSING)
    elif a.kind is ValueKind.INVALID:
        notes.append(Note.ACTUAL_UNREADABLE)
    label = "定性指标" if direction is Direction.QUALITATIVE else f"{direction.label}（按定性计分）"
    chosen = parse_tier(tier)
    typed = _as_decimal(self_score)
    given = _round_self_score(typed)
    shown = ""
    if typed is not None and given is not None:
        shown = _fmt(given) if given == typed else f"{plain(typed)}（四舍五入为 {given:f}）"
    how = ""
    if chosen is None and given is None:
        if t.kind is ValueKind.TEXT and a.kind is ValueKind.TEXT and a.text == t.text:
            chosen = Tier.ACHIEVED
            how = "实际完成值与年度指标值一致，视为达成年度指标，"
        else:
            notes.append(Note.TIER_REQUIRED)
            return IndicatorResult(direction, None, None, None, None, tuple(notes),
                                   f"{label}：须选择完成档次或填写自评得分后才能计分")
    if chosen is None:
        assert given is not None
        if given < 0 or given > w:
            notes.append(Note.SELF_SCORE_OUT_OF_BAND)
        chosen = _tier_of_score(min(max(given, ZERO), w), w, profile)
        how = f"按自评得分 {shown} 归入“{chosen.value}”档，"
        shown = _fmt(given)
    band = tier_band(chosen, w, profile)
    low, high = band
    closing = "]" if chosen is Tier.ACHIEVED else ")"
    band_text = f"[{_fmt(low)}, {_fmt(high)}{closing}"
    if given is None:
        q = profile.qualitative
        fraction = {Tier.ACHIEVED: q.achieved_default, Tier.PARTIAL: q.partial_default,
                    Tier.MISSED: q.missed_default}[chosen]
        score = round_score(fraction * w)
        text = (f"{label}：{how}档次“{chosen.value}”{band_text}，未填自评得分，"
                f"按默认比例 {_fmt(fraction)} × {_fmt(w)} 得 {_fmt(score)}")
    elif _in_band(given, chosen, band):
        score = given
        text = f"{label}：{how}档次“{chosen.value}”{band_text}，自评得分 {shown} 在区间内，得 {_fmt(score)}"
    else:
        score = _clamp_into(given, chosen, band)
        if Note.SELF_SCORE_OUT_OF_BAND not in notes:
            notes.append(Note.SELF_SCORE_OUT_OF_BAND)
        text = (f"{label}：{how}档次“{chosen.value}”{band_text}，自评得分 {shown} 不在区间内，"
                f"按区间边界得 {_fmt(score)}")
    score = min(max(score, _ZERO_SCORE), round_score(w))
    return IndicatorResult(direction, score, None, chosen, band, tuple(notes), text)


_ZERO_SCORE = Decimal("0.00")


def _round_self_score(value: Decimal | None) -> Decimal | None:
    """A self-score on the 0.01 grid (ROUND_HALF_UP), as it will be shown; a number too
    large to round (1E+30, far outside any band) is kept as it is."""
    if value is None:
        return None
    try:
        return round_score(value)
    except ArithmeticError:
        return value


# --------------------------------------------------------------------------- totals

def grade(total: Decimal, profile: Profile | None = None) -> str:
    """等级 (domain.md): 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60 (*profile*: 80/70/60).

    The total is compared as it is, not rounded first: 89.99 and 89.5 are 良.
    """
    if not isinstance(total, Decimal):
        converted = to_decimal(total)
        if converted is None:
            raise TypeError(f"总分应为数值：{total!r}")
        total = converted
    bands = (profile or load_profile()).grades
    if total >= bands.excellent:
        return "优"
    if total >= bands.good:
        return "良"
    if total >= bands.passing:
        return "中"
    return "差"


def cap_total(total: Decimal, rate: Decimal | None, profile: Profile | None = None) -> Decimal:
    """The total self-score capped by 执行率 (domain.md, "execution cap", *profile*, off by
    default): 70–80% → ≤ 89, 60–70% → ≤ 79, 50–60% → ≤ 69, < 50% → ≤ 59.

    A band's lower edge belongs to it (exactly 70% is capped at 89; 80% is not capped).
    ``None`` rate (no budget) leaves the total as it is.
    """
    cap = (profile or load_profile()).execution_cap
    if not cap.enabled or rate is None:
        return total
    limits = [band.max_total for band in cap.bands if rate < band.below]
    return min(total, min(limits)) if limits else total
