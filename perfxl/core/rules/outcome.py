"""What scoring one indicator returns, and the pieces every scoring module shares.

``IndicatorResult`` is the rule score of one 三级指标 with the ``Direction`` it was
scored by, the ``Tier`` (完成档次) of a qualitative score, and the ``Note`` codes the
run noticed.  Notes are returned beside the score, for the checker to turn into
findings; nothing is raised (domain.md, "a value that cannot be read is a finding,
not a zero").

Decisions (domain.md is silent on them):

* ``Note`` codes are stable (never renamed): the checker, the UDFs and saved JSON
  outputs key on them; ``Note.message`` is the Chinese text for users;
* an empty, "无" or unreadable actual against a numeric or date target gives no score
  (``None``) and a note (``missing_actual``): "a value that cannot be read is a
  finding, not a zero";
* numbers in an explanation are shown with 2 decimals at most and no trailing zeros
  (``fmt``), rounded ROUND_HALF_UP like the scores (``money.round_score``).
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..money import round_score, to_decimal
from ..values import ParsedValue, ValueKind, plain

__all__ = [
    "Direction",
    "IndicatorResult",
    "Note",
    "Tier",
    "as_decimal",
    "fmt",
    "fmt_any",
    "missing_actual",
    "round_weight",
]


class Direction(enum.StrEnum):
    """How an indicator is scored: from the operator of its target, a direction column of its
    own, or (a profile's ``direction_by_name``) its name."""

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
    DIRECTION_CONFLICT = "DIRECTION_CONFLICT"
    DIRECTION_UNREADABLE = "DIRECTION_UNREADABLE"
    STANDARD_UNREADABLE = "STANDARD_UNREADABLE"

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
    Note.DIRECTION_CONFLICT: "指标方向（或指标性质）与年度指标值的符号相反，已按指标方向计分，请核对",
    Note.DIRECTION_UNREADABLE: "指标方向（或指标性质）无法识别，已按年度指标值的符号或指标名称判断方向",
    Note.STANDARD_UNREADABLE: "评分标准不是可识别的形式（按比例、每低于…扣…分、未达到不得分、逾期不得分），已按默认规则计分",
}


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


def missing_actual(direction: Direction, actual: ParsedValue) -> IndicatorResult | None:
    """The no-score result for an empty, "无" or unreadable actual against a numeric or
    date target (see the module docstring), or ``None`` when the actual is a value."""
    kind = actual.kind
    if kind is ValueKind.EMPTY or kind is ValueKind.NOT_APPLICABLE:
        what = "为空" if kind is ValueKind.EMPTY else f"为“{actual.raw.strip()}”"
        return IndicatorResult(direction, None, None, None, None, (Note.ACTUAL_MISSING,),
                               f"{direction.label}：实际完成值{what}，无法计分")
    if kind is ValueKind.INVALID:
        return IndicatorResult(direction, None, None, None, None, (Note.ACTUAL_UNREADABLE,),
                               f"{direction.label}：实际完成值“{actual.raw.strip()}”无法识别，无法计分")
    return None


def as_decimal(value: object) -> Decimal | None:
    """A weight or self-score as a finite Decimal (``money.to_decimal``), else ``None``."""
    if value is None or isinstance(value, Decimal):
        return value if value is None or value.is_finite() else None
    return to_decimal(value)


@functools.lru_cache(maxsize=2048)
def fmt(value: Decimal) -> str:
    """A number in an explanation: 2 decimals at most, no trailing zeros.

    Cached: explanations repeat the same few numbers (13, 90%, 12 …).  Equal
    Decimals (13 and 13.00) hash alike and format alike, so sharing is safe.
    """
    if value == value.to_integral_value():
        return plain(value)
    return fmt_any(value)


def fmt_any(value: Decimal) -> str:
    """``fmt`` without the cache, for one-off values such as a ratio × 100 (hashing a
    28-digit Decimal costs more than formatting it)."""
    try:
        return plain(round_score(value))
    except InvalidOperation:  # too many digits for 2 decimals (1e+26): shown as it is
        return plain(value)


@functools.lru_cache(maxsize=256)
def round_weight(w: Decimal) -> Decimal:
    """Full marks on the 0.01 grid (weights repeat: 13, 12, 10 …)."""
    return round_score(w)
