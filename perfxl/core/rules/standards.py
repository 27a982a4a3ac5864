"""Per-indicator scoring standards (评分标准 / 评(扣)分标准): the common written forms as
structured rules (issue 9).

Tables carry a 评分标准 column in words.  The forms seen in published tables, and what
each means here:

=================  ==============================================  =========================
kind               written, e.g.                                   score of an unmet target
=================  ==============================================  =========================
``proportional``   "未达到指标值，按B/A或A/B*该指标分值记分"       B ÷ A × W
                   (北京 2016 项目支出绩效自评表), "按比例得分"
``step``           "每降低1个百分点扣1分", "100%计满分，每低于5%    W − whole steps × points,
                   扣2分"                                          never below 0
``all_or_nothing`` "达到得满分，未达到不得分", "否则不得分"         0
``deadline``       "按时完成得满分，逾期不得分"                     0 when the deadline is
                                                                   missed
=================  ==============================================  =========================

``parse_standard`` reads the text into a ``Standard`` (``None`` when it is none of
these: the text is kept and the default rule applies); ``apply_standard`` scores one
row by it.  A profile carries standards by indicator name (``[standards]``: pattern →
the standard's text, read when the profile loads); a row carries its own
(``model.Indicator.standard``), which ``scoring.py`` reads with the same ``parse_standard``
and which wins over the profile's (an unreadable one is kept, with STANDARD_UNREADABLE).

Decisions (where the wording is silent):

* a standard changes only the score of an *unmet* positive indicator (B ÷ A < 1) and
  of a missed deadline; a met indicator keeps the rule's score (and its over-achievement
  rules), a negative or equal indicator keeps its own formula;
* a step counts whole steps only: "每低于5%扣2分" deducts nothing at 96%, 2 at 95%, 4 at
  89.9% (the same reading as the 执行率 ``steps`` method in ``rates.py``);
* the shortfall is in the value's own unit when the step names none ("每少1次扣0.5分":
  6次 → 4次 is 2 steps); for a step in 个百分点 or %, in percentage points when target
  and actual are both percentages (95% → 93%: 2 points), else in percent of the target
  ((1 − B ÷ A) × 100).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from ..money import ZERO, round_score
from ..values import ParsedValue, ValueKind
from .outcome import Direction, IndicatorResult, Note

__all__ = ["KINDS", "Standard", "apply_standard", "parse_standard"]

KINDS = ("proportional", "step", "all_or_nothing", "deadline")
_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Standard:
    """One scoring standard.

    Attributes:
      kind: one of ``KINDS``.
      text: the standard as written (kept for messages).
      step / points: for "step": the size of a step (1, 5) and the points deducted per
        whole step.
      per: for "step": "percent" (written 个百分点 or %: the shortfall in percentage
        points or percent of the target) or "unit" (每少1次: the shortfall in the value's
        own unit, 次 / 个 / 人).
    """

    kind: str
    text: str
    step: Decimal = ZERO
    points: Decimal = ZERO
    per: str = "percent"


_NUM = r"(\d+(?:\.\d+)?)"
_STEP = re.compile(rf"每(?:低于|降低|减少|少于|少|下降|差|低){_NUM}(个百分点|%|个点)?[^，。；;]*?扣(?:除)?{_NUM}分")
_DEADLINE = re.compile(r"(?:按时|按期|如期)完成[^。；;]*满分|逾期[^，。；;]*不得分")
_NOTHING = re.compile(r"(?:否则|未达到|未完成|未达标|达不到|不达标)[^，。；;]*?不得分")
_PROPORTIONAL = re.compile(r"按比例|按完成比例|B/A|A/B|实际(?:完成)?值/(?:年度)?(?:目标|指标)值|完成值/指标值|[×*]该指标分值")


def parse_standard(text: str) -> Standard | None:
    """The ``Standard`` a 评分标准 text states, or ``None`` when it is none of the common forms."""
    flat = re.sub(r"\s+", "", str(text or "")).replace("％", "%").replace("（", "(").replace("）", ")")
    if not flat:
        return None
    step = _STEP.search(flat)
    if step:
        size, points = Decimal(step.group(1)), Decimal(step.group(3))
        if size > 0:
            return Standard("step", text, size, points, "percent" if step.group(2) else "unit")
    if _DEADLINE.search(flat):
        return Standard("deadline", text)
    if _NOTHING.search(flat) and not _PROPORTIONAL.search(flat):
        return Standard("all_or_nothing", text)
    if _PROPORTIONAL.search(flat):
        return Standard("proportional", text)
    return None


def _shortfall(standard: Standard, target: ParsedValue, actual: ParsedValue, ratio: Decimal) -> Decimal:
    """How far below target: in the value's unit ("unit"), else in percentage points (both
    percentages) or in percent of the target."""
    if standard.per == "unit" and target.magnitude is not None and actual.magnitude is not None:
        return target.magnitude - actual.magnitude
    if target.unit == "%" and actual.unit == "%" and target.number is not None and actual.number is not None:
        return target.number - actual.number
    return (1 - ratio) * _HUNDRED


def apply_standard(standard: Standard, result: IndicatorResult, target: ParsedValue, actual: ParsedValue,
                   weight: Decimal) -> IndicatorResult | None:
    """*result* rescored by *standard*, or ``None`` when the standard does not change it
    (a met indicator, a direction it does not cover: module docstring)."""
    if result.direction is Direction.DEADLINE:
        if standard.kind in ("deadline", "all_or_nothing") and Note.DEADLINE_MISSED in result.notes:
            return _with(result, ZERO, standard)
        return None
    if result.direction is not Direction.POSITIVE or result.ratio is None or result.ratio >= 1:
        return None
    if target.kind is not ValueKind.NUMBER or actual.kind is not ValueKind.NUMBER:
        return None
    ratio = max(result.ratio, ZERO)
    if standard.kind == "proportional":
        return _with(result, round_score(ratio * weight), standard)
    if standard.kind == "step":
        steps = (_shortfall(standard, target, actual, ratio) / standard.step).to_integral_value(rounding=ROUND_FLOOR)
        return _with(result, round_score(max(weight - max(steps, ZERO) * standard.points, ZERO)), standard)
    return _with(result, ZERO, standard)  # all_or_nothing, deadline: an unmet target earns nothing


def _with(result: IndicatorResult, score: Decimal, standard: Standard) -> IndicatorResult:
    text = f"{result.explanation}；按评分标准“{standard.text}”计 {score} 分"
    return IndicatorResult(result.direction, score, result.ratio, result.tier, result.band, result.notes, text)
