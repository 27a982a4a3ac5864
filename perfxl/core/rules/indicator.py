"""Scoring one 三级指标: its direction, then the rule for that direction.

``score_indicator`` reads the direction from the target's operator only (domain.md,
"direction"): ≥ / > positive, ≤ / < negative, = equal, a bare number the profile's
``bare_number_direction``, a date deadline, text qualitative, 无 not applicable.  It
then hands the row to ``numeric.py`` (positive, negative, equal), ``dates.py``
(deadlines) or ``qualitative.py`` (text targets and rows that cannot be compared).

Decisions (domain.md is silent on them):

* a target of "无" (不适用) gets no rule score (``None``), not 0: the indicator does
  not apply, so its weight must move or its score be explained (the notes say which:
  NOT_APPLICABLE_WEIGHTED, NA_TARGET_WITH_ACTUAL);
* an empty, "无" or unreadable actual against a numeric or date target gives no score
  (``None``) and a note (``outcome.missing_actual``);
* an actual that is a different kind from the target (text or a date against a
  number, a percentage against a date, as in the sample's 时效指标 "2023年度"/"100%")
  is scored like a qualitative indicator, from the tier or self-score, with
  ``KIND_MISMATCH``;
* a negative weight is a missing weight (WEIGHT_MISSING, no score);
* a target the parser cannot read (INVALID: "≥abc", "一万二") gets no score and
  TARGET_UNREADABLE, which the checker reports (VALUE_UNREADABLE); a target read as
  text that nevertheless states a quantity ("开展3次培训", "提高2个百分点":
  ``values.states_quantity``) is scored as text from the tier or self-score, with
  TARGET_UNREADABLE too — an unreadable target never scores silently as text
  (issue 9);
* a target or actual given as raw cell content is read with
  ``values.parse_value_cached`` (text) or ``values.parse_value``; callers that already
  hold a ``ParsedValue`` (``scoring.py`` parses each cell once) pass it as it is;
* a number target with no operator takes the direction of the first of the profile's
  ``direction_by_name`` patterns found in the indicator's *name* (控制率, 调整率,
  结转结余率 … are lower-is-better: 财预〔2013〕53号 framework), else the profile's
  ``bare_number_direction``; an operator in the target always wins (issue 9);
* with the profile's ``targets.not_applicable = "rescale"`` a "无" target is dropped
  (不考核, the total is rescaled by ``scoring.py``), so a weight on it is no finding;
* a direction given in a column of its own (指标方向, or 指标性质 where a province prints
  正向/反向/≥/≤ there: ``read_direction``) overrides the target's operator and the name
  rule (issue 9).  正向/反向/等于 apply to a number target; 定性 scores any number, date
  or text target from the tier or self-score (a text target stating a quantity is then
  no TARGET_UNREADABLE: the row says it is qualitative).  A date target stays a
  deadline and 无 stays not applicable whatever the column says.  A given direction
  that contradicts the target's operator (反向 with "≥90%", or 等于 with "≤") wins;
  ``scoring.py`` notes the conflict (DIRECTION_CONFLICT) and an unreadable column
  ("正相", ignored: DIRECTION_UNREADABLE).  定量 (指标性质 on 重庆's form) names no
  direction.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ..profile import Profile, load_profile
from ..values import ParsedValue, ValueKind, parse_value, parse_value_cached, states_quantity
from .dates import score_date
from .numeric import score_number
from .outcome import Direction, IndicatorResult, Note, Tier, as_decimal, fmt, missing_actual
from .qualitative import score_qualitative

__all__ = ["direction_of", "read_direction", "score_indicator"]

_NUMBER = ValueKind.NUMBER


def direction_of(target: ParsedValue, profile: Profile | None = None, name: str = "") -> Direction:
    """The direction of an indicator from its target (domain.md, "direction"):
    ≥ / > positive, ≤ / < negative, = equal, a bare number the direction its *name*
    implies under the profile's ``direction_by_name`` or else ``bare_number_direction``,
    a date deadline, text qualitative, 无 not applicable."""
    kind = target.kind
    if kind is ValueKind.NUMBER:
        op = target.op
        if op is None:
            return _bare_direction(profile or load_profile(), name)
        return _OP_DIRECTIONS[op]
    return _KIND_DIRECTIONS[kind]


_DIRECTION_WORDS = {
    "正向": Direction.POSITIVE, "正": Direction.POSITIVE, "越高越好": Direction.POSITIVE, "越大越好": Direction.POSITIVE,
    "反向": Direction.NEGATIVE, "反": Direction.NEGATIVE, "逆向": Direction.NEGATIVE, "负向": Direction.NEGATIVE,
    "越低越好": Direction.NEGATIVE, "越小越好": Direction.NEGATIVE,
    "等于": Direction.EQUAL, "等值": Direction.EQUAL,
    "定性": Direction.QUALITATIVE,
    "positive": Direction.POSITIVE, "negative": Direction.NEGATIVE, "equal": Direction.EQUAL,
    "qualitative": Direction.QUALITATIVE,
}
#: 指标性质 words that name no direction (the target's operator or the name decides)
_NO_DIRECTION = ("定量", "")


def read_direction(text: object) -> Direction | None:
    """The direction a 指标方向 / 指标性质 cell states: 正向/反向/等于/定性 (with or without
    "指标"/"型"), or an operator in any spelling the values parser reads (≥ ≧ >= 不低于 ≤ ＝ …);
    ``None`` for a blank cell or 定量; ``Direction.UNKNOWN`` for text it cannot read."""
    flat = "".join(str(text or "").split()).removesuffix("指标").removesuffix("型").removesuffix("类")
    if flat in _NO_DIRECTION:
        return None
    word = _DIRECTION_WORDS.get(flat.lower())
    if word is not None:
        return word
    probe = parse_value_cached(f"{flat}1")  # an operator alone: "≥", "不低于", "＝"
    if probe.kind is _NUMBER and probe.op is not None and probe.unit == "" and probe.number == 1:
        return _OP_DIRECTIONS[probe.op]
    return Direction.UNKNOWN


def _bare_direction(profile: Profile, name: str) -> Direction:
    """A target without an operator: the first ``direction_by_name`` pattern in *name*."""
    if name:
        for pattern, direction in profile.direction_by_name:
            if pattern in name:
                return _BARE_DIRECTIONS[direction]
    return _BARE_DIRECTIONS[profile.bare_number_direction]


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


_NUMERIC_DIRECTIONS = (Direction.POSITIVE, Direction.NEGATIVE, Direction.EQUAL)
#: target kinds a given 定性 scores from the tier or self-score
_QUALIFIABLE = (ValueKind.NUMBER, ValueKind.DATE, ValueKind.TEXT)


def _as_parsed(value: object) -> ParsedValue:
    if isinstance(value, ParsedValue):
        return value
    if isinstance(value, str):
        return parse_value_cached(value)
    return parse_value(value)


def score_indicator(
    target: ParsedValue | object,
    actual: ParsedValue | object,
    weight: Decimal | object,
    profile: Profile | None = None,
    *,
    tier: Tier | str | None = None,
    self_score: Decimal | object = None,
    year: int | None = None,
    name: str = "",
    given: Direction | None = None,
) -> IndicatorResult:
    """Score one 三级指标 row by the rules of domain.md ("Formulas and scoring").

    *target* / *actual* are ``ParsedValue`` or raw cell values; *weight* is W;
    *tier* (完成档次) and *self_score* (自评得分) are used for qualitative indicators
    and for rows whose actual cannot be compared with the target.  *year* is the
    evaluated year: a date written without a year ("12月底前") means that year, so
    "2024年1月" against "12月底前" is late for 2023; without it such a date is
    compared by month only.  *name* (the 三级指标's name) gives the direction of a
    target written without an operator where the profile's ``direction_by_name`` says so.
    *given* is a direction given in a column of its own (``read_direction``): it
    overrides the operator and the name (module docstring; the caller notes a conflict).
    """
    t = target if type(target) is ParsedValue else _as_parsed(target)
    a = actual if type(actual) is ParsedValue else _as_parsed(actual)
    if profile is None:
        profile = load_profile()
    w = weight if type(weight) is Decimal and weight.is_finite() else as_decimal(weight)
    kind = t.kind
    if kind is _NUMBER:
        op = t.op
        direction = _bare_direction(profile, name) if op is None else _OP_DIRECTIONS[op]
    else:
        direction = _KIND_DIRECTIONS[kind]
    if given is not None:
        if given in _NUMERIC_DIRECTIONS and kind is _NUMBER:
            direction = given
        elif given is Direction.QUALITATIVE and kind in _QUALIFIABLE and w is not None and w >= 0:
            return score_qualitative(t, a, w, given, profile, tier, self_score, ())
    if w is None or w < 0:
        return IndicatorResult(direction, None, None, None, None, (Note.WEIGHT_MISSING,),
                               f"分值“{weight if weight is not None else ''}”缺失或无效，无法计分")
    if kind is _NUMBER:
        if a.kind is _NUMBER:
            return score_number(t, a, w, direction, profile)
        missing = missing_actual(direction, a)
        if missing is not None:
            return missing
        return score_qualitative(t, a, w, direction, profile, tier, self_score, (Note.KIND_MISMATCH,))
    if kind is ValueKind.DATE:
        return score_date(t, a, w, profile, tier, self_score, year)
    if kind is ValueKind.TEXT:
        if t.text is not None and states_quantity(t.text):
            return _quantity_in_text(score_qualitative(t, a, w, direction, profile, tier, self_score,
                                                       (Note.TARGET_UNREADABLE,)), t)
        return score_qualitative(t, a, w, direction, profile, tier, self_score, ())
    if kind is ValueKind.NOT_APPLICABLE:
        return _score_not_applicable(a, w, profile.not_applicable == "rescale")
    if kind is ValueKind.EMPTY:
        return IndicatorResult(direction, None, None, None, None, (Note.TARGET_MISSING,),
                               "年度指标值为空，无法计分")
    return IndicatorResult(direction, None, None, None, None, (Note.TARGET_UNREADABLE,),
                           f"年度指标值“{t.raw.strip()}”无法识别，无法计分")


def _quantity_in_text(result: IndicatorResult, t: ParsedValue) -> IndicatorResult:
    """A text target that states a quantity ("开展3次培训"): scored as text, but never
    silently — TARGET_UNREADABLE asks for the number in a readable form."""
    text = (f"{result.explanation}；年度指标值“{t.raw.strip()}”含有数量却不是可比较的数值形式，"
            "只能按定性计分，请改写为“≥3次”“90%”等形式")
    return replace(result, explanation=text)


def _score_not_applicable(a: ParsedValue, w: Decimal, rescale: bool = False) -> IndicatorResult:
    """A target of "无": no rule score (None, not 0) — the indicator does not apply
    (domain.md: its weight should move elsewhere or its score be explained); with
    *rescale* it is dropped and the total rescaled to 100 (a profile choice)."""
    notes: list[Note] = []
    text = "年度指标值为“无”，该指标不适用，不按规则计分"
    if rescale:
        text = "年度指标值为“无”，该指标不适用，不考核，总分用适用指标得分按百分制折算"
    elif w > 0:
        notes.append(Note.NOT_APPLICABLE_WEIGHTED)
        text += f"；但设有分值 {fmt(w)} 分，应调整到其他指标或说明得分理由"
    if a.is_value:
        notes.append(Note.NA_TARGET_WITH_ACTUAL)
        text += f"；实际完成值却填写了“{a.raw.strip()}”"
    return IndicatorResult(Direction.NOT_APPLICABLE, None, None, None, None, tuple(notes), text)
