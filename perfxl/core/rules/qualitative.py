"""Qualitative scoring: 完成档次 (tier) and self-score bands (domain.md, "qualitative").

A qualitative indicator (a text target such as "按年初预算执行") scores in the band of
its chosen tier: 达成年度指标 [0.8W, W], 部分达成年度指标并具有一定效果 [0.6W, 0.8W),
未达成年度指标且效果较差 [0, 0.6W) (fractions from the profile's ``qualitative``
section; after 财预〔2020〕10号's three bands 100–80% / 80–60% / 60–0%).  A row whose
actual cannot be compared with its target (a kind mismatch, see ``indicator.py``)
is scored here too.

Decisions (domain.md is silent on them):

* a tier may be written in full or short ("达成", "部分达成", "未达成"), or as a longer
  wording that starts like one ("部分达成年度指标");
* a qualitative self-score is rounded to 2 decimals first (the score is shown with 2)
  and then checked against the tier's band: 7.995 under 部分达成 [6, 8) is 8.00,
  outside the band, so it is moved to the band's edge, 7.99 (SELF_SCORE_OUT_OF_BAND);
* the top of a lower tier's band is open: its highest score is one 0.01 step below;
* without a self-score the tier's default fraction (*profile*) × W is the score;
  without a tier it is inferred from the self-score, or, when the actual repeats the
  target's text, taken as 达成年度指标; with neither, no score and TIER_REQUIRED.
"""

from __future__ import annotations

import functools
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from ..money import SCORE_PLACES, ZERO, round_score
from ..profile import Profile, load_profile
from ..values import ParsedValue, ValueKind, plain
from .outcome import Direction, IndicatorResult, Note, Tier, as_decimal, fmt

__all__ = ["parse_tier", "score_qualitative", "tier_band"]

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


def score_qualitative(
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
    typed = as_decimal(self_score)
    given = _round_self_score(typed)
    shown = ""
    if typed is not None and given is not None:
        shown = fmt(given) if given == typed else f"{plain(typed)}（四舍五入为 {given:f}）"
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
        shown = fmt(given)
    band = tier_band(chosen, w, profile)
    low, high = band
    closing = "]" if chosen is Tier.ACHIEVED else ")"
    band_text = f"[{fmt(low)}, {fmt(high)}{closing}"
    if given is None:
        q = profile.qualitative
        fraction = {Tier.ACHIEVED: q.achieved_default, Tier.PARTIAL: q.partial_default,
                    Tier.MISSED: q.missed_default}[chosen]
        score = round_score(fraction * w)
        text = (f"{label}：{how}档次“{chosen.value}”{band_text}，未填自评得分，"
                f"按默认比例 {fmt(fraction)} × {fmt(w)} 得 {fmt(score)}")
    elif _in_band(given, chosen, band):
        score = given
        text = f"{label}：{how}档次“{chosen.value}”{band_text}，自评得分 {shown} 在区间内，得 {fmt(score)}"
    else:
        score = _clamp_into(given, chosen, band)
        if Note.SELF_SCORE_OUT_OF_BAND not in notes:
            notes.append(Note.SELF_SCORE_OUT_OF_BAND)
        text = (f"{label}：{how}档次“{chosen.value}”{band_text}，自评得分 {shown} 不在区间内，"
                f"按区间边界得 {fmt(score)}")
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
