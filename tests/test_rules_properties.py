"""Properties every scoring rule keeps (domain.md, "score bounds" and the formulas)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from perfxl.core.profile import load_profile
from perfxl.core.rules import Tier, budget_score, grade, score_indicator
from perfxl.core.values import ParsedValue, ValueKind

PROFILES = st.sampled_from([load_profile("default"), load_profile("strict")])
AMOUNTS = st.decimals(min_value=-1000, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
TARGETS = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
WEIGHTS = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
OPS = st.sampled_from([">=", ">", "<=", "<", "=", None])
UNITS = st.sampled_from(["", "%", "次", "万次", "个"])


def number(value: Decimal, op: str | None = None, unit: str = "") -> ParsedValue:
    scale = Decimal(10000) if unit.startswith("万") else Decimal(1)
    return ParsedValue(
        raw=f"{op or ''}{value}{unit}", kind=ValueKind.NUMBER, op=op, number=value, unit=unit,
        magnitude=value * scale, base_unit=unit.removeprefix("万"),
    )


RAW_VALUES = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(min_value=-10**6, max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["≥90%", "≤4", "=0", "6次", "2023年", "9月前", "无", "——", "按年初预算执行", "≥abc", ""]),
)


@settings(max_examples=300)
@given(target=TARGETS, actual=AMOUNTS, weight=WEIGHTS, op=OPS, t_unit=UNITS, a_unit=UNITS, profile=PROFILES)
def test_numeric_score_lies_between_zero_and_weight(target, actual, weight, op, t_unit, a_unit, profile) -> None:
    result = score_indicator(number(target, op, t_unit), number(actual, None, a_unit), weight, profile)
    assert result.score is not None
    assert Decimal(0) <= result.score <= weight
    assert result.score == result.score.quantize(Decimal("0.01"))
    assert result.explanation


@settings(max_examples=300)
@given(target=RAW_VALUES, actual=RAW_VALUES, weight=WEIGHTS, tier=st.sampled_from([None, *Tier]),
       self_score=st.one_of(st.none(), AMOUNTS), profile=PROFILES)
def test_any_input_scores_within_bounds_or_none(target, actual, weight, tier, self_score, profile) -> None:
    result = score_indicator(target, actual, weight, profile, tier=tier, self_score=self_score)
    if result.score is not None:
        assert Decimal(0) <= result.score <= weight
    else:  # a missing score always says why (a quiet "无" row without points is fine)
        assert result.notes or (result.direction == "not_applicable" and weight == 0)


@settings(max_examples=300)
@given(target=TARGETS, b1=AMOUNTS, b2=AMOUNTS, weight=WEIGHTS, op=st.sampled_from([">=", ">"]),
       profile=st.just(load_profile("default")))
def test_positive_is_monotone_non_decreasing(target, b1, b2, weight, op, profile) -> None:
    low, high = sorted((b1, b2))
    s_low = score_indicator(number(target, op), number(low), weight, profile).score
    s_high = score_indicator(number(target, op), number(high), weight, profile).score
    assert s_low is not None and s_high is not None
    assert s_low <= s_high


@settings(max_examples=300)
@given(target=TARGETS, b1=AMOUNTS, b2=AMOUNTS, weight=WEIGHTS, op=st.sampled_from(["<=", "<"]), profile=PROFILES)
def test_negative_is_monotone_non_increasing(target, b1, b2, weight, op, profile) -> None:
    low, high = sorted((b1, b2))
    s_low = score_indicator(number(target, op), number(low), weight, profile).score
    s_high = score_indicator(number(target, op), number(high), weight, profile).score
    assert s_low is not None and s_high is not None
    assert s_low >= s_high


@settings(max_examples=300)
@given(weight=WEIGHTS, tier=st.sampled_from(list(Tier)), self_score=st.one_of(st.none(), AMOUNTS), profile=PROFILES)
def test_qualitative_score_lies_in_its_band(weight, tier, self_score, profile) -> None:
    result = score_indicator("达到预期", "基本达到", weight, profile, tier=tier, self_score=self_score)
    assert result.score is not None and result.band is not None
    low, high = result.band
    assert result.score <= weight
    if weight >= 1:  # below 1 point the 0.01 grid may not fit inside a band
        assert low <= result.score
        assert result.score <= high if tier is Tier.ACHIEVED else result.score < high


@given(actual=AMOUNTS, budget=AMOUNTS, weight=WEIGHTS)
def test_budget_score_bounds(actual, budget, weight) -> None:
    result = budget_score(actual, budget, weight)
    if budget <= 0:  # a zero or negative 全年预算数 is no base for a rate
        assert result is None
    else:
        assert result is not None and Decimal(0) <= result <= weight


@given(a=st.decimals(min_value=0, max_value=100, places=2), b=st.decimals(min_value=0, max_value=100, places=2),
       profile=PROFILES)
def test_grade_is_monotone(a, b, profile) -> None:
    order = "差中良优"
    low, high = sorted((a, b))
    assert order.index(grade(low, profile)) <= order.index(grade(high, profile))
