"""The rules on what real tables from every province write (issue 9): operator spellings,
Chinese numerals, money in 元 / 万元 / 亿元, percentage points, and targets that cannot be
read — which must never score silently as text."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfxl.core.checker import check
from perfxl.core.profile import load_profile
from perfxl.core.rules import Direction, IndicatorResult, Note, score_indicator
from perfxl.core.values import ValueKind, parse_value, states_quantity

DEFAULT = load_profile("default")


def score(target: object, actual: object, weight: object = 10, **kw) -> IndicatorResult:
    return score_indicator(target, actual, D(str(weight)), DEFAULT, **kw)


# --------------------------------------------------------------------------- money units

@pytest.mark.parametrize(
    ("target", "actual", "expected", "why"),
    [
        # ≤100万元 against 1 200 000 元 = 120万元: (1 − (120 − 100) ÷ 100) × 10 = 8
        ("≤100万元", "1200000元", "8.00", "元 against 万元"),
        ("≤100万元", "1,200,000元", "8.00", "thousands separators"),
        # ≥1亿元 against 12000万元 = 1.2亿元: met, 10
        ("≥1亿元", "12000万元", "10.00", "万元 against 亿元"),
        # ≥1000000元 against 90万元 = 900000元: 900000 ÷ 1000000 × 10 = 9
        ("≥1000000元", "90万元", "9.00", "万元 against 元"),
        # ≥100万 (no unit) against 900000元 = 90万: 90 ÷ 100 × 10 = 9
        ("≥100万", "900000元", "9.00", "a multiplier without a unit"),
        # ≥一百万元 against 80万元: 80 ÷ 100 × 10 = 8
        ("≥一百万元", "80万元", "8.00", "Chinese numerals"),
        # ≤50千元 against 60000元 = 60千元: (1 − 10 ÷ 50) × 10 = 8
        ("≤50千元", "60000元", "8.00", "千元"),
    ],
)
def test_amounts_compare_after_conversion(target: str, actual: str, expected: str, why: str) -> None:
    result = score(target, actual)
    assert result.score == D(expected), (why, result)
    assert Note.UNIT_MISMATCH not in result.notes, why


def test_converted_amount_is_shown_in_the_target_unit() -> None:
    result = score("≤100万元", "1200000元")
    assert "实际 120万元" in result.explanation
    assert result.ratio == D("1.2")


def test_different_units_are_still_a_mismatch() -> None:
    assert Note.UNIT_MISMATCH in score("≥100万元", "120万次").notes
    assert Note.UNIT_MISMATCH in score("≥100万", "90%").notes  # a multiplier is no percentage


# --------------------------------------------------------------------------- percentages

def test_percentage_points_are_their_own_unit() -> None:
    # ≥2个百分点 against 1个百分点: 1 ÷ 2 × 10 = 5
    assert score("≥2个百分点", "1个百分点").score == D("5.00")
    assert score("≥2个百分点", "2百分点").score == D("10.00")
    # a bare number is taken in the target's unit, never read as a fraction of 100
    assert score("≥2个百分点", "0.5").score == D("2.50")
    # a level in % is not a change in points
    assert Note.UNIT_MISMATCH in score("≥2个百分点", "2.5%").notes


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("≥90百分比", "85%", "9.44"),  # 85 ÷ 90 × 10 = 9.444… → 9.44
        ("≥90％", "0.85", "9.44"),  # Excel's 0.85 for 85%
        ("≥百分之九十", "85%", "9.44"),
        ("不低于九十%", "百分之九十五", "10.00"),
    ],
)
def test_percent_spellings(target: str, actual: str, expected: str) -> None:
    result = score(target, actual)
    assert result.score == D(expected), result
    assert Note.UNIT_MISMATCH not in result.notes


# --------------------------------------------------------------------------- operators and numerals

@pytest.mark.parametrize(
    ("target", "actual", "direction", "expected"),
    [
        ("≥八次", "6次", Direction.POSITIVE, "7.50"),  # 6 ÷ 8 × 10
        ("不少于两次", "两次", Direction.POSITIVE, "10.00"),
        ("≥十二个", "九个", Direction.POSITIVE, "7.50"),  # 9 ÷ 12 × 10
        ("达到二十五场", "20场", Direction.POSITIVE, "8.00"),  # 20 ÷ 25 × 10
        ("≥=90%", "90%", Direction.POSITIVE, "10.00"),
        ("≧=90%", "81%", Direction.POSITIVE, "9.00"),
        ("90%以上", "90%", Direction.POSITIVE, "10.00"),  # 以上 includes 90 (民法典 §1259)
        ("5次以上", "5次", Direction.POSITIVE, "10.00"),
        ("3天以内", "3天", Direction.NEGATIVE, "10.00"),  # 以内 includes 3
        ("5%以下", "6%", Direction.NEGATIVE, "8.00"),  # (1 − 1 ÷ 5) × 10
        ("≤=5%", "5%", Direction.NEGATIVE, "10.00"),
        ("≯5%", "6%", Direction.NEGATIVE, "8.00"),
        ("不超过三天", "四天", Direction.NEGATIVE, "6.67"),  # (1 − 1 ÷ 3) × 10 = 6.666…
        ("═100%", "100%", Direction.EQUAL, "10.00"),
        ("﹦100%", "95%", Direction.EQUAL, "9.50"),
        ("＝0", "0", Direction.EQUAL, "10.00"),
        ("﹥3", "3次", Direction.POSITIVE, "10.00"),  # ">" scores like "≥" (rules/numeric.py)
    ],
)
def test_spellings_score_by_their_operator(target: str, actual: str, direction: Direction, expected: str) -> None:
    result = score(target, actual)
    assert result.direction is direction, result
    assert result.score == D(expected), result
    assert Note.TARGET_UNREADABLE not in result.notes


# --------------------------------------------------------------------------- unreadable targets

@pytest.mark.parametrize("target", ["一万二次", "≥一万二", "三百五次", "≥十两次", "═abc", "≥=", "二〇二三年"])
def test_an_unreadable_target_is_no_score_and_a_note(target: str) -> None:
    assert parse_value(target).kind is ValueKind.INVALID
    result = score(target, "8次", self_score=D(8), tier="达成")
    assert result.score is None
    assert result.notes == (Note.TARGET_UNREADABLE,)
    assert "无法识别" in result.explanation


@pytest.mark.parametrize("target", ["开展3次培训", "培训3次", "提高2个百分点", "2023年完成5项"])
def test_a_text_target_stating_a_quantity_is_never_silent(target: str) -> None:
    assert parse_value(target).kind is ValueKind.TEXT
    result = score(target, "3次", tier="达成")
    assert result.direction is Direction.QUALITATIVE
    assert result.score == D("10.00")  # scored as text: 达成, the default profile's fraction 1 × 10
    assert Note.TARGET_UNREADABLE in result.notes
    assert "含有数量" in result.explanation


@pytest.mark.parametrize("target", ["按年初预算执行", "2023年全面完成建设任务", "达到一流水平", "群众满意"])
def test_a_plain_text_target_is_qualitative_without_a_note(target: str) -> None:
    result = score(target, "100%", tier="达成")
    assert result.direction is Direction.QUALITATIVE
    assert Note.TARGET_UNREADABLE not in result.notes


_DIGIT_TEXT = st.builds(
    lambda head, n, tail: f"{head}{n}{tail}",
    st.sampled_from(["开展", "培训", "完成", "提高", "新增", "覆盖", ""]),
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from(["次培训", "个村的建设", "项工作任务", "个百分点", "人参加", "abc", "次"]),
)


@given(target=st.one_of(_DIGIT_TEXT, st.text(min_size=1, max_size=10)),
       tier=st.sampled_from([None, "达成", "部分达成"]), self_score=st.sampled_from([None, D(7), D(9)]))
def test_no_target_with_a_number_scores_silently_as_text(target: str, tier: str | None, self_score: D | None) -> None:
    parsed = parse_value(target)
    result = score_indicator(target, "3次", D(10), DEFAULT, tier=tier, self_score=self_score)
    if parsed.kind is ValueKind.INVALID:
        assert result.score is None and Note.TARGET_UNREADABLE in result.notes
    if parsed.kind is ValueKind.TEXT and parsed.text is not None and states_quantity(parsed.text):
        assert Note.TARGET_UNREADABLE in result.notes


# --------------------------------------------------------------------------- the checker reports them

def _found(example, default_profile, index: int, target: str) -> set[tuple[str, str]]:
    example.overall.indicators[index].target = target
    return {(f.code, f.path) for f in check(example, default_profile)}


@pytest.mark.parametrize("target", ["开展3次培训", "一万二次", "≥十两次"])
def test_the_checker_reports_an_unreadable_target(example, default_profile, target: str) -> None:
    assert ("VALUE_UNREADABLE", "overall.indicators[5].target") in _found(example, default_profile, 5, target)


@pytest.mark.parametrize("target", ["≥九十%", "≥=90%", "不低于百分之九十", "═90%"])
def test_the_checker_reads_the_spellings(example, default_profile, target: str) -> None:
    # indicator 5 (全员科普) is "≥90%" against "≥90%" in the sample
    assert ("VALUE_UNREADABLE", "overall.indicators[5].target") not in _found(example, default_profile, 5, target)
