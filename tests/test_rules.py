"""The scoring rules of domain.md ("Formulas and scoring"), edge by edge."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from perfxl.core.profile import load_profile
from perfxl.core.rules import (
    Direction,
    IndicatorResult,
    Note,
    Tier,
    adjustment_rate,
    budget_score,
    cap_total,
    change_rate,
    check_execution,
    control_rate,
    direction_of,
    execution_rate,
    grade,
    parse_tier,
    score_indicator,
    tier_band,
)
from perfxl.core.values import parse_value

DEFAULT = load_profile("default")
STRICT = load_profile("strict")


def score(target: object, actual: object, weight: object, profile=DEFAULT, **kw) -> IndicatorResult:
    return score_indicator(target, actual, D(str(weight)), profile, **kw)


# --------------------------------------------------------------------------- rates

def test_execution_rate_of_the_sample() -> None:
    # 附件二: 132.61 ÷ 133.09 = 0.996393…, printed 99.64% (the form says 100%)
    rate = execution_rate(D("132.61"), D("133.09"))
    assert rate is not None and rate.quantize(D("0.0001")) == D("0.9964")
    # 附件三: 42.73 ÷ 43.27 = 0.987520…, 98.75%
    rate = execution_rate(D("42.73"), D("43.27"))
    assert rate is not None and rate.quantize(D("0.0001")) == D("0.9875")


def test_rates_keep_full_precision() -> None:
    rate = execution_rate(D(1), D(3))
    assert rate == D(1) / D(3)  # not rounded


@pytest.mark.parametrize("rule", [execution_rate, control_rate])
def test_zero_or_missing_denominator_is_none(rule) -> None:
    assert rule(D(5), D(0)) is None
    assert rule(D(5), None) is None
    assert rule(None, D(5)) is None


def test_control_rate_of_the_sample() -> None:
    assert control_rate(D(6), D(8)) == D("0.75")  # 实际在职 6 ÷ 编制 8


def test_change_rate() -> None:
    # 三公经费 2022 决算 0.14 → 2023 决算 0.44: (0.44 − 0.14) ÷ 0.14
    assert change_rate(D("0.44"), D("0.14")) == (D("0.44") - D("0.14")) / D("0.14")
    assert change_rate(D("0.44"), D(0)) is None
    assert change_rate(None, D(1)) is None
    assert change_rate(D(1), None) is None


def test_adjustment_rate() -> None:
    # 附件二: 年初 85.09 → 全年 133.09
    assert adjustment_rate(D("133.09"), D("85.09")) == D(48) / D("85.09")
    assert adjustment_rate(D(3), D(0)) is None
    assert adjustment_rate(None, D(1)) is None


# --------------------------------------------------------------------------- budget score

def test_budget_score_of_the_sample() -> None:
    # by hand: 132.61 / 133.09 = 0.99639341…; × 10 = 9.9639… → 9.96 (half up)
    assert budget_score(D("132.61"), D("133.09"), D(10), DEFAULT) == D("9.96")
    # by hand: 42.73 / 43.27 = 0.98752022…; × 10 = 9.8752… → 9.88
    assert budget_score(D("42.73"), D("43.27"), D(10), DEFAULT) == D("9.88")


def test_budget_score_over_100_percent_is_capped() -> None:
    assert budget_score(D(110), D(100), D(10), DEFAULT) == D("10.00")


def test_budget_score_below_90_percent() -> None:
    assert budget_score(D("85"), D("100"), D(10), DEFAULT) == D("8.50")


def test_budget_score_negative_actual_counts_as_zero() -> None:
    assert budget_score(D(-5), D(100), D(10), DEFAULT) == D("0.00")


def test_budget_score_zero_budget_is_none() -> None:
    assert budget_score(D(5), D(0), D(10), DEFAULT) is None
    assert budget_score(None, D(10), D(10), DEFAULT) is None
    assert budget_score(D(5), D(10), None, DEFAULT) is None


def test_check_execution() -> None:
    assert check_execution(D("1.05"), DEFAULT) == (Note.EXECUTION_OVER_BUDGET,)
    assert check_execution(D("0.8999"), DEFAULT) == (Note.EXECUTION_LOW,)
    assert check_execution(D("0.90"), DEFAULT) == ()
    assert check_execution(D("1.00"), DEFAULT) == ()
    assert check_execution(None, DEFAULT) == ()


# --------------------------------------------------------------------------- direction

@pytest.mark.parametrize(
    ("target", "direction"),
    [
        ("≥90%", Direction.POSITIVE),
        (">5", Direction.POSITIVE),
        ("≤4", Direction.NEGATIVE),
        ("<3", Direction.NEGATIVE),
        ("=0", Direction.EQUAL),
        ("6次", Direction.POSITIVE),  # bare number: the profile's default
        ("2023年", Direction.DEADLINE),
        ("9月前", Direction.DEADLINE),
        ("按年初预算执行", Direction.QUALITATIVE),
        ("无", Direction.NOT_APPLICABLE),
        ("", Direction.UNKNOWN),
        ("≥abc", Direction.UNKNOWN),
    ],
)
def test_direction_comes_from_the_target(target: str, direction: Direction) -> None:
    assert direction_of(parse_value(target), DEFAULT) is direction


# --------------------------------------------------------------------------- positive

def test_sample_quantity_6_vs_8_times() -> None:
    result = score("6次", "8次", 13)
    assert result.score == D(13)
    assert result.direction is Direction.POSITIVE
    assert "得满分 13" in result.explanation


def test_sample_over_achievement_5_vs_20() -> None:
    result = score("≥5", "20", 13)
    assert result.score == D(13)
    assert Note.OVER_ACHIEVEMENT in result.notes
    assert result.ratio == D(4)
    assert Note.OVER_DEDUCTION not in result.notes  # default: warning only


def test_sample_percent_equal_percent() -> None:
    result = score("≥90%", "≥90%", 12)  # an actual with an operator counts as its bound
    assert result.score == D(12)
    assert result.notes == ()


def test_positive_below_target_is_proportional() -> None:
    # 80 ÷ 90 × 12 = 10.666… → 10.67
    assert score("≥90%", "80%", 12).score == D("10.67")


def test_positive_excel_fraction_against_percent() -> None:
    assert score("≥90%", 0.85, 12).score == D("11.33")  # 0.85 is 85%
    assert score("≥90%", 1, 12).score == D(12)  # 1 is 100%


def test_positive_scaled_units() -> None:
    # 120万次 against ≥100万次 written as 1,000,000次
    assert score("≥1,000,000次", "120万次", 10).score == D(10)
    assert score("≥200万次", "1000000次", 10).score == D(5)


def test_unit_mismatch_is_noted_but_scored() -> None:
    result = score("≥5次", "4个", 10)
    assert Note.UNIT_MISMATCH in result.notes
    assert result.score == D(8)


def test_over_achievement_threshold_is_strictly_above_120() -> None:
    assert Note.OVER_ACHIEVEMENT not in score("≥100", "120", 10).notes
    assert Note.OVER_ACHIEVEMENT in score("≥100", "120.01", 10).notes


def test_strict_deducts_2_points_from_130_percent() -> None:
    at_129 = score("≥100", "129.99", 10, STRICT)
    assert at_129.score == D(10) and Note.OVER_DEDUCTION not in at_129.notes
    at_130 = score("≥100", "130", 10, STRICT)
    assert at_130.score == D(8)
    assert Note.OVER_ACHIEVEMENT in at_130.notes and Note.OVER_DEDUCTION in at_130.notes
    assert score("≥5", "20", 13, STRICT).score == D(11)


def test_deduction_never_goes_below_zero() -> None:
    assert score("≥1", "5", 1, STRICT).score == D(0)


def test_over_achievement_is_not_for_negative_indicators() -> None:
    assert Note.OVER_ACHIEVEMENT not in score("≤10", "2", 10).notes


def test_equal_indicator_over_achievement_warns_and_strict_deducts() -> None:
    # domain.md: equal with A ≠ 0 is scored "as positive", so B ÷ A = 200% > 120% warns
    result = score("=5", "10", 10)
    assert result.direction is Direction.EQUAL and result.score == D(10)
    assert Note.OVER_ACHIEVEMENT in result.notes and Note.OVER_DEDUCTION not in result.notes
    strict = score("=5", "10", 10, STRICT)  # ≥ 130%: the strict profile deducts 2 points
    assert strict.score == D("8.00")
    assert Note.OVER_DEDUCTION in strict.notes
    assert Note.OVER_ACHIEVEMENT not in score("=5", "6", 10).notes  # 120%: not above the line


def test_negative_actual_counts_as_zero() -> None:
    result = score("≥90%", "-3", 12)
    assert result.score == D(0)
    assert Note.NEGATIVE_ACTUAL in result.notes


def test_zero_target_positive() -> None:
    result = score("≥0", "0", 5)
    assert result.score == D(5)
    assert Note.ZERO_TARGET in result.notes


# --------------------------------------------------------------------------- negative

def test_negative_at_or_below_target_is_full() -> None:
    assert score("≤4", "4", 8).score == D(8)
    assert score("≤4", "2", 8).score == D(8)


def test_negative_linear_between_a_and_2a() -> None:
    # (1 − (6 − 4) ÷ 4) × 8 = 4
    assert score("≤4", "6", 8).score == D(4)


def test_negative_linear_just_below_2a() -> None:
    # (1 − (7.99 − 4) ÷ 4) × 8 = 0.02
    assert score("≤4", "7.99", 8).score == D("0.02")


def test_negative_linear_at_2a_is_zero() -> None:
    assert score("≤4", "8", 8).score == D(0)
    assert score("≤4", "100", 8).score == D(0)


def test_negative_ratio_profile() -> None:
    # strict: A ÷ B × W = 4 ÷ 8 × 8 = 4 (linear would give 0)
    assert score("≤4", "8", 8, STRICT).score == D(4)
    assert score("≤4", "4", 8, STRICT).score == D(8)
    assert score("≤4", "6", 8, STRICT).score == D("5.33")


def test_negative_zero_target() -> None:
    assert score("≤0", "0", 5).score == D(5)
    result = score("≤0", "1", 5)
    assert result.score == D(0) and Note.ZERO_TARGET in result.notes


# --------------------------------------------------------------------------- equal

def test_equal_zero_target() -> None:
    assert score("=0", "0", 5).score == D(5)
    assert score("=0", "-1", 5).score == D(5)
    assert score("=0", "1", 5).score == D(0)


def test_equal_nonzero_target_as_positive() -> None:
    assert score("=100%", "100%", 10).score == D(10)
    assert score("=100%", "95%", 10).score == D("9.50")


# --------------------------------------------------------------------------- qualitative

def test_sample_cost_indicator_is_qualitative() -> None:
    result = score("按年初预算执行", "100%", 12)
    assert result.direction is Direction.QUALITATIVE
    assert result.score is None and Note.TIER_REQUIRED in result.notes
    achieved = score("按年初预算执行", "100%", 12, tier=Tier.ACHIEVED)
    assert achieved.score == D(12) and achieved.band == (D("9.6"), D(12))
    # the sample's self-score 10 lies in 达成 [9.6, 12]
    assert score("按年初预算执行", "100%", 12, self_score=D(10)).score == D(10)


def test_qualitative_band_boundaries() -> None:
    w = D(10)
    assert tier_band(Tier.ACHIEVED, w, DEFAULT) == (D(8), D(10))
    assert tier_band(Tier.PARTIAL, w, DEFAULT) == (D(6), D(8))
    assert tier_band(Tier.MISSED, w, DEFAULT) == (D(0), D(6))
    # 0.8W belongs to 达成, not to 部分达成
    assert score("达到预期", "基本达到", w, tier=Tier.ACHIEVED, self_score=D(8)).score == D(8)
    partial_at_8 = score("达到预期", "基本达到", w, tier=Tier.PARTIAL, self_score=D(8))
    assert partial_at_8.score == D("7.99") and Note.SELF_SCORE_OUT_OF_BAND in partial_at_8.notes
    # 0.6W belongs to 部分达成, not to 未达成
    assert score("达到预期", "基本达到", w, tier=Tier.PARTIAL, self_score=D(6)).score == D(6)
    missed_at_6 = score("达到预期", "未达到", w, tier=Tier.MISSED, self_score=D(6))
    assert missed_at_6.score == D("5.99") and Note.SELF_SCORE_OUT_OF_BAND in missed_at_6.notes
    below = score("达到预期", "基本达到", w, tier=Tier.ACHIEVED, self_score=D("7.99"))
    assert below.score == D(8) and Note.SELF_SCORE_OUT_OF_BAND in below.notes


def test_qualitative_tier_inferred_from_self_score() -> None:
    assert score("达到预期", "基本达到", 10, self_score=D(8)).tier is Tier.ACHIEVED
    assert score("达到预期", "基本达到", 10, self_score=D("7.99")).tier is Tier.PARTIAL
    assert score("达到预期", "基本达到", 10, self_score=D(6)).tier is Tier.PARTIAL
    assert score("达到预期", "基本达到", 10, self_score=D("5.99")).tier is Tier.MISSED
    over = score("达到预期", "基本达到", 10, self_score=D(12))
    assert over.score == D(10) and Note.SELF_SCORE_OUT_OF_BAND in over.notes


def test_qualitative_default_fractions() -> None:
    assert score("达到预期", "x", 10, tier="达成").score == D(10)
    assert score("达到预期", "x", 10, tier="部分达成").score == D(7)
    assert score("达到预期", "x", 10, tier="未达成").score == D(3)


def test_qualitative_same_text_is_achieved() -> None:
    result = score("达到预期", "达到预期", 6)
    assert result.tier is Tier.ACHIEVED and result.score == D(6)


def test_sample_timeliness_date_vs_percent_is_scored_by_tier() -> None:
    # 附件二 时效指标: target "2023年度", actual "100%", self-score 12 of 13
    result = score("2023年度", "100%", 13, self_score=D(12))
    assert result.direction is Direction.DEADLINE
    assert Note.KIND_MISMATCH in result.notes
    assert result.score == D(12) and result.tier is Tier.ACHIEVED


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("达成年度指标", Tier.ACHIEVED),
        ("达成", Tier.ACHIEVED),
        ("部分达成年度指标并具有一定效果", Tier.PARTIAL),
        ("部分达成", Tier.PARTIAL),
        ("未达成年度指标且效果较差", Tier.MISSED),
        ("未达成", Tier.MISSED),
        (" 部分 达成 ", Tier.PARTIAL),
        (Tier.MISSED, Tier.MISSED),
        ("优秀", None),
        ("", None),
        (None, None),
        (3, None),
    ],
)
def test_parse_tier(text: object, tier: Tier | None) -> None:
    assert parse_tier(text) is tier


# --------------------------------------------------------------------------- dates

def test_deadline_met_and_missed() -> None:
    assert score("2023年12月底前", "2023年11月", 5).score == D(5)
    assert score("2023年12月底前", "2023年12月", 5).score == D(5)
    late = score("2023年12月底前", "2024年1月", 5)
    assert late.score == D(0) and Note.DEADLINE_MISSED in late.notes


def test_month_only_values_compare_by_month() -> None:
    assert score("9月前", "7月", 5).score == D(5)
    assert score("9月前", "2023年7月", 5).score == D(5)
    assert score("9月前", "10月", 5).score == D(0)


def test_year_target() -> None:
    assert score("2023年", "2023年", 13).score == D(13)
    assert score("2023年", "2023年12月", 13).score == D(13)
    assert score("2023年", "2024年", 13).score == D(0)


# --------------------------------------------------------------------------- not applicable and missing values

def test_not_applicable_target_with_points() -> None:
    # the sample's 经济效益 / 生态效益 rows: 无 / 无 with 8 and 7 points
    result = score("无", "无", 8)
    assert result.score is None
    assert result.direction is Direction.NOT_APPLICABLE
    assert result.notes == (Note.NOT_APPLICABLE_WEIGHTED,)


def test_not_applicable_target_with_a_real_actual() -> None:
    # 附件三 可持续影响: target "无" but actual "120万次"
    result = score("无", "120万次", 7)
    assert result.score is None
    assert Note.NA_TARGET_WITH_ACTUAL in result.notes and Note.NOT_APPLICABLE_WEIGHTED in result.notes


def test_not_applicable_without_points_is_quiet() -> None:
    assert score("无", "无", 0).notes == ()


@pytest.mark.parametrize(
    ("target", "actual", "note"),
    [
        ("≥90%", "", Note.ACTUAL_MISSING),
        ("≥90%", "无", Note.ACTUAL_MISSING),
        ("≥90%", "9o%", Note.ACTUAL_UNREADABLE),
        ("", "90%", Note.TARGET_MISSING),
        ("≥abc", "90%", Note.TARGET_UNREADABLE),
        ("9月前", "", Note.ACTUAL_MISSING),
    ],
)
def test_missing_or_unreadable_is_none_not_zero(target: str, actual: str, note: Note) -> None:
    result = score(target, actual, 10)
    assert result.score is None
    assert note in result.notes
    assert result.explanation


def test_missing_weight() -> None:
    result = score_indicator("≥90%", "90%", None, DEFAULT)
    assert result.score is None and result.notes == (Note.WEIGHT_MISSING,)


def test_accepts_parsed_values_and_raw_objects() -> None:
    parsed = score_indicator(parse_value("≥90%"), parse_value(0.9), D(12), DEFAULT)
    raw = score_indicator("≥90%", 0.9, 12, DEFAULT)
    assert parsed == raw


def test_default_profile_is_used_when_none_given() -> None:
    assert score_indicator("≤4", "8", D(8)).score == D(0)


# --------------------------------------------------------------------------- grades and caps

@pytest.mark.parametrize(
    ("total", "default_grade", "strict_grade"),
    [
        ("59.99", "差", "差"),
        ("60", "中", "中"),
        ("69.99", "中", "中"),
        ("70", "中", "良"),
        ("79.99", "中", "良"),
        ("80", "良", "优"),
        ("89.5", "良", "优"),
        ("89.99", "良", "优"),
        ("90", "优", "优"),
        ("100", "优", "优"),
        ("0", "差", "差"),
    ],
)
def test_grade_edges(total: str, default_grade: str, strict_grade: str) -> None:
    assert grade(D(total), DEFAULT) == default_grade
    assert grade(D(total), STRICT) == strict_grade


def test_grade_of_the_sample_total() -> None:
    assert grade(D(91), DEFAULT) == "优"


def test_cap_total_off_by_default() -> None:
    assert cap_total(D(95), D("0.55"), DEFAULT) == D(95)


@pytest.mark.parametrize(
    ("rate", "capped"),
    [
        ("0.80", "95"),
        ("0.7999", "89"),
        ("0.70", "89"),
        ("0.6999", "79"),
        ("0.60", "79"),
        ("0.55", "69"),
        ("0.50", "69"),
        ("0.4999", "59"),
        ("0", "59"),
    ],
)
def test_cap_total_strict(rate: str, capped: str) -> None:
    assert cap_total(D(95), D(rate), STRICT) == D(capped)


def test_cap_total_keeps_lower_totals_and_missing_rate() -> None:
    assert cap_total(D(50), D("0.65"), STRICT) == D(50)
    assert cap_total(D(95), None, STRICT) == D(95)


# --------------------------------------------------------------------------- review fixes

def test_suffix_nei_is_a_negative_indicator() -> None:
    # "3个工作日内" is "≤3个工作日": (1 − (5 − 3) ÷ 3) × 10 = 3.33, the unit is "个工作日"
    result = score("3个工作日内", "5个工作日", 10)
    assert result.direction is Direction.NEGATIVE
    assert result.score == D("3.33")
    assert Note.UNIT_MISMATCH not in result.notes
    assert score("5天内", "4天", 10).score == D(10)
    assert score("30分钟内", "45分钟", 10).score == D(5)
    assert direction_of(parse_value("10日内"), DEFAULT) is Direction.NEGATIVE


def test_nei_on_dates_and_text() -> None:
    assert score("2023年内", "2023年11月", 10).score == D(10)
    assert score("2023年内", "2024年2月", 10).notes == (Note.DEADLINE_MISSED,)
    assert direction_of(parse_value("国内"), DEFAULT) is Direction.QUALITATIVE
    assert direction_of(parse_value("县内"), DEFAULT) is Direction.QUALITATIVE


def test_dotted_dates_are_deadlines() -> None:
    on_time = score("2023.12前", "2023.11", 10)
    assert on_time.direction is Direction.DEADLINE and on_time.score == D(10)
    assert "2023.11前" not in on_time.explanation  # the target's suffix is not the actual's
    late = score("2023.12前", "2024.1", 10)
    assert late.direction is Direction.DEADLINE and late.notes == (Note.DEADLINE_MISSED,)
    assert "2024.1前" not in late.explanation
    assert score("2023.12.31前", "2023年12月20日", 10).score == D(10)
    assert score("2023-12", "2023/12", 10).score == D(10)
    assert score("2023年12月底前", "2023.12", 10).score == D(10)


def test_yearless_target_takes_the_evaluation_year() -> None:
    # "12月底前" for 2023, finished January 2024: late
    late = score("12月底前", "2024年1月", 10, year=2023)
    assert late.score == D(0) and late.notes == (Note.DEADLINE_MISSED,)
    assert "2023" in late.explanation
    half_profile = dataclasses.replace(DEFAULT, deadline_missed_fraction=D("0.5"))
    half = score("12月底前", "2024年1月", 10, half_profile, year=2023)
    assert half.score == D("5.00")
    assert score("12月底前", "2023年11月", 10, year=2023).score == D(10)
    assert score("9月前", "2023年10月", 10, year=2023).notes == (Note.DEADLINE_MISSED,)
    assert score("2023年12月底前", "11月", 10, year=2023).score == D(10)  # a yearless actual too
    assert score("9月前", "7月", 10, year=2023).score == D(10)
    # without a year: month only, as before
    assert score("12月底前", "2024年1月", 10).score == D(10)


def test_score_indicator_row_passes_the_year() -> None:
    from perfxl.core.model import Indicator
    from perfxl.core.scoring import score_indicator_row

    row = Indicator(name="完成时限", target="12月底前", actual="2024年1月", weight="10", self_score="10")
    assert score_indicator_row("overall.indicators[0]", 0, row, DEFAULT, 2023).rule_score == D(0)
    assert score_indicator_row("overall.indicators[0]", 0, row, DEFAULT).rule_score == D(10)


def test_self_score_is_rounded_before_the_band_check() -> None:
    # 7.995 is shown as 8.00, the top of 部分达成 [6, 8): it is out of the band, so 7.99
    partial = score("达到预期", "基本达到", 10, tier=Tier.PARTIAL, self_score=D("7.995"))
    assert partial.score == D("7.99")
    assert Note.SELF_SCORE_OUT_OF_BAND in partial.notes
    # without a tier: 7.995 is 8.00, so the inferred tier is 达成
    inferred = score("达到预期", "基本达到", 10, self_score=D("7.995"))
    assert inferred.tier is Tier.ACHIEVED and inferred.score == D("8.00")
    assert Note.SELF_SCORE_OUT_OF_BAND not in inferred.notes
    # 7.994 stays 7.99, inside 部分达成
    assert score("达到预期", "基本达到", 10, tier=Tier.PARTIAL, self_score=D("7.994")).notes == ()


def test_negative_weight_and_denominators_give_none() -> None:
    assert budget_score(D(5), D(10), D(-10), DEFAULT) is None
    assert budget_score(D(5), D(-10), D(10), DEFAULT) is None
    assert execution_rate(D(5), D(-10)) is None
    assert control_rate(D(6), D(-8)) is None
    assert change_rate(D(1), D(-2)) is None
    assert adjustment_rate(D(3), D(-1)) is None
    # a quotient beyond what a Decimal holds is no rate either (never ±Infinity)
    assert execution_rate(D("1E+999999"), D("1E-999999")) is None
    assert control_rate(D("Infinity"), D(1)) is None


def test_over_deduction_score_is_on_the_grid() -> None:
    # strict: 200% ≥ 130% deducts 2 from 13.5 → 11.50, two decimals like every score
    result = score("≥10", "20", "13.5", STRICT)
    assert str(result.score) == "11.50"
