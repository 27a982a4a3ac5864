"""Issue 9 rules: the 执行率 score as a profile choice, "无" dropped with the total rescaled,
direction from the indicator's name, printed precision, and the checks real tables need.

Every expected number is hand arithmetic written beside it.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from perfxl.core.checker import check
from perfxl.core.checks.base import consistent, printed_places, read_printed_rate
from perfxl.core.profile import Profile, load_profile
from perfxl.core.rules import score_indicator
from perfxl.core.rules.rates import budget_score, score_rate
from perfxl.core.scoring import score_evaluation


def profile(tmp_path: Path, body: str, base: str = "national") -> Profile:
    path = tmp_path / "p.toml"
    path.write_text(f'extends = "{base}"\n{body}', encoding="utf-8")
    return load_profile(path)


# --------------------------------------------------------------------------- 执行率 score


@pytest.mark.parametrize(("actual", "budget", "weight", "expected"), [
    ("132.61", "133.09", 10, "9.96"),   # 0.996393 × 10 = 9.96 (the sample)
    ("37.24", "43.2", 10, "8.62"),      # 0.862037 × 10 = 8.62 (河北 2019)
    ("110", "100", 10, "10.00"),        # capped at W
    ("132.61", "133.09", 20, "19.93"),  # weight 20: 0.996393 × 20 = 19.9279 → 19.93
])
def test_capped_two_decimals(actual: str, budget: str, weight: int, expected: str) -> None:
    assert budget_score(D(actual), D(budget), D(weight), load_profile("national")) == D(expected)


def test_uncapped(tmp_path: Path) -> None:
    p = profile(tmp_path, '[execution_score]\nmethod = "uncapped"\n')
    assert budget_score(D(110), D(100), D(10), p) == D("11.00")  # 1.1 × 10
    assert budget_score(D("37.24"), D("43.2"), D(10), p) == D("8.62")


def test_whole_points(tmp_path: Path) -> None:
    p = profile(tmp_path, '[execution_score]\nrounding = "whole"\n')
    assert budget_score(D("37.24"), D("43.2"), D(10), p) == 9    # 8.62 → 9
    assert budget_score(D("85"), D("100"), D(10), p) == 9        # 8.5 → 9 (half up)
    assert budget_score(D("84.9"), D("100"), D(10), p) == 8      # 8.49 → 8


def test_bands(tmp_path: Path) -> None:
    p = profile(tmp_path, '[execution_score]\nmethod = "bands"\n'
                          'bands = [{ at = 1, fraction = 1 }, { at = 0.9, fraction = 0.8 }, { at = 0.8, fraction = 0.6 }]\n')
    assert budget_score(D(100), D(100), D(10), p) == D(10)  # ≥ 100%: 1 × 10
    assert budget_score(D(95), D(100), D(10), p) == D(8)    # 95% ≥ 90%: 0.8 × 10
    assert budget_score(D(80), D(100), D(10), p) == D(6)    # exactly 80%: the band's edge belongs to it
    assert budget_score(D(79), D(100), D(10), p) == D(0)    # below every band


def test_steps_100_full_minus_2_per_5_points(tmp_path: Path) -> None:
    p = profile(tmp_path, '[execution_score]\nmethod = "steps"\n')  # step_size 0.05, step_points 2
    assert budget_score(D(100), D(100), D(10), p) == D(10)
    assert budget_score(D(96), D(100), D(10), p) == D(10)      # 4 points below: no full step
    assert budget_score(D(95), D(100), D(10), p) == D(8)       # one step: 10 − 2
    assert budget_score(D("89.9"), D(100), D(10), p) == D(6)   # 10.1 ÷ 5 = 2.02 → 2 steps: 10 − 4
    assert budget_score(D(10), D(100), D(10), p) == D(0)       # 18 steps, never below 0
    assert budget_score(D(120), D(100), D(10), p) == D(10)     # above 100% is full


def test_initial_budget_denominator(tmp_path: Path) -> None:
    p = profile(tmp_path, '[execution_score]\ndenominator = "initial"\n')
    # 北京 2016: 154.74 ÷ 310.2 = 0.498839 → × 10 = 4.99
    assert score_rate(D("154.74"), None, p, D("310.2")) == D("154.74") / D("310.2")
    assert budget_score(D("154.74"), None, D(10), p, initial_budget=D("310.2")) == D("4.99")
    assert budget_score(D("154.74"), D("400"), D(10), p) is None  # no 年初预算数: no score
    # the default stays 全年预算数
    assert budget_score(D("132.61"), D("133.09"), D(10), initial_budget=D("85.09")) == D("9.96")


# --------------------------------------------------------------------------- 无 dropped, total rescaled


def test_not_applicable_rescaled_on_the_sample(tmp_path: Path, example) -> None:
    p = profile(tmp_path, '[targets]\nnot_applicable = "rescale"\n', base="default")
    scores = score_evaluation(example, p)
    overall, project = scores.overall, scores.projects[0]
    # 附件二: 无 rows W8 and W7 dropped → applicable weight 100 − 15 = 85
    assert overall.dropped_weight == 15
    assert overall.rule_total == D("97.60")   # 82.96 ÷ 85 × 100 = 97.600
    assert overall.self_total == D("95.29")   # (91 − 5 − 5) = 81 ÷ 85 × 100 = 95.294
    # 附件三: 无 rows W8, W7, W7 dropped → 78
    assert project.dropped_weight == 22
    assert project.rule_total == D("99.85")   # 77.88 ÷ 78 × 100 = 99.846
    assert project.self_total == D("94.87")   # (91 − 5 − 5 − 7) = 74 ÷ 78 × 100 = 94.872
    codes = {f.code for f in check(example, p, scores)}
    assert "NOT_APPLICABLE_WEIGHTED" not in codes  # dropping them is the rule, not a finding
    assert "NA_TARGET_WITH_ACTUAL" in codes        # 无 → 120万次 is still a contradiction


def test_not_applicable_default_is_a_finding(example, default_profile) -> None:
    scores = score_evaluation(example, default_profile)
    assert scores.overall.dropped_weight == 0 and scores.overall.rule_total == D("82.96")
    assert "NOT_APPLICABLE_WEIGHTED" in {f.code for f in check(example, default_profile, scores)}


# --------------------------------------------------------------------------- direction from the name


@pytest.mark.parametrize(("name", "target", "actual", "national", "hunan"), [
    ("预算调整率", "3%", "0", "2.00", "0.00"),           # reverse: 0 ≤ 3%; as positive 0 ÷ 3% = 0
    ("财政供养人员控制率", "100%", "92%", "2.00", "1.84"),  # reverse: 92 ≤ 100; positive 92 ÷ 100 × 2
    ("结转结余率", "2%", "4%", "0.00", "2.00"),           # reverse linear: B = 2A → 0
    ("预算调整率", "≥3%", "0", "0.00", "0.00"),           # an operator always wins
    ("预算完成率", "70%", "76%", "2.00", "2.00"),         # no pattern: bare number positive
])
def test_direction_from_the_name(name: str, target: str, actual: str, national: str, hunan: str) -> None:
    for prof, expected in (("national", national), ("hunan", hunan)):
        result = score_indicator(target, actual, D(2), load_profile(prof), name=name)
        assert result.score == D(expected), (prof, name)


# --------------------------------------------------------------------------- printed precision


@pytest.mark.parametrize(("printed", "computed", "ok"), [
    ("86%", "0.864", True),        # whole percent: 86.4 → 86
    ("86%", "0.866", False),       # 86.6 → 87
    ("86.40%", "0.8643", False),   # two decimals: 86.43 ≠ 86.40
    ("86.43%", "0.86434", True),
    ("86.4%", "0.8643", True),     # one decimal: 86.43 → 86.4
    ("100%", "0.9964", False),     # a printed 100% when the money was not all spent: always an error
    ("100.00%", "0.99996", False),
    ("100%", "1", True),
    ("0.9964", "0.99643", True),   # a fraction with 4 places: 99.64%
    ("99.64", "0.99643", True),    # a bare percentage
    ("50%", "0.49884", True),      # 北京 2016
])
def test_printed_precision(printed: str, computed: str, ok: bool) -> None:
    shown = read_printed_rate(printed)
    assert shown is not None
    assert consistent(printed, shown, D(computed)) is ok


def test_printed_places() -> None:
    assert [printed_places(t) for t in ("86%", "86.40%", "86.4％", "0.9964", "99.64", "1")] == [0, 2, 1, 2, 2, 0]


def test_sample_printed_100_percent_is_still_an_error(example, default_profile) -> None:
    found = [f for f in check(example, default_profile) if f.code == "RATE_MISMATCH"]
    assert {f.path for f in found} == {"overall.funds[0].printed_rate", "projects[0].funds[0].printed_rate"}


# --------------------------------------------------------------------------- checks real tables need


def codes_at(example, prof: Profile) -> set[tuple[str, str]]:
    return {(f.code, f.path) for f in check(example, prof)}


def test_blank_fund_score_and_total(example, default_profile) -> None:
    example.overall.funds[0].self_score = None
    example.projects[0].printed_total_score = ""
    found = codes_at(example, default_profile)
    assert ("FUND_SCORE_BLANK", "overall.funds[0].self_score") in found
    assert ("TOTAL_BLANK", "projects[0].printed_total_score") in found
    assert ("TOTAL_BLANK", "overall.printed_total_score") not in found


def test_weight_split_with_deviation(tmp_path: Path, example) -> None:
    # the sample's 附件二: 产出 13+12+13+12 = 50, 效益 8+8+7+7 = 30, 满意度 10, 执行率 10: as national
    assert not {c for c, _ in codes_at(example, load_profile("national"))} & {"WEIGHT_SPLIT"}
    example.overall.funds[0].weight = "20"  # 执行率 20 instead of 10
    found = codes_at(example, load_profile("national"))
    assert ("WEIGHT_SPLIT", "overall.level1_weights.执行率") in found
    assert "WEIGHT_SPLIT" not in {c for c, _ in codes_at(example, load_profile("default"))}  # off in hunan
    lenient = profile(tmp_path, "[checks]\nweight_deviation = 10\n")
    assert "WEIGHT_SPLIT" not in {c for c, _ in codes_at(example, lenient)}  # |20 − 10| ≤ 10


def test_staff_over_quota(example, default_profile) -> None:
    assert "STAFF_OVER_QUOTA" not in {c for c, _ in codes_at(example, default_profile)}  # 6 ≤ 8
    example.basic.staff_actual = "9"
    example.staffing.actual = "9"
    found = [f for f in check(example, default_profile) if f.code == "STAFF_OVER_QUOTA"]
    assert len(found) == 1 and found[0].path == "basic.staff_actual" and str(found[0].severity) == "提示"


def test_project_far_over_budget(tmp_path: Path, example, default_profile) -> None:
    # 附件1 项目支出 预算 3, 决算 42.73 (1424%), but 附件3 全年预算数 43.27 ≥ 42.73: a mid-year allocation
    assert "PROJECT_OVER_BUDGET" not in {c for c, _ in codes_at(example, default_profile)}
    example.projects[0].funds[0].full_year_budget = "30"  # now 42.73 is above 3 × 1.5 and above 30
    found = [f for f in check(example, default_profile) if f.code == "PROJECT_OVER_BUDGET"]
    assert [f.path for f in found] == ["basic.project_total.actual"]  # the single item repeats the total
    relaxed = profile(tmp_path, "[checks]\nproject_over_budget = 20\n", base="default")  # up to 3 × 21 = 63
    assert "PROJECT_OVER_BUDGET" not in {c for c, _ in codes_at(example, relaxed)}


@pytest.mark.parametrize("text", ["请填写单位名称", "（填写说明：按实际填写）", "XX县科学技术协会", "××局",
                                  "对照年度目标，说明完成情况（100字以内）"])
def test_template_text(example, default_profile, text: str) -> None:
    example.projects[0].goal_actual = text
    assert ("TEMPLATE_TEXT", "projects[0].goal_actual") in codes_at(example, default_profile)


def test_no_template_text_in_the_sample(example, default_profile) -> None:
    assert "TEMPLATE_TEXT" not in {c for c, _ in codes_at(example, default_profile)}


def test_unfilled_table(example, default_profile) -> None:
    project = example.projects[0]
    for fund in project.funds:
        fund.actual = None
    for row in project.indicators:
        row.actual, row.self_score = "", None
    project.printed_total_score = None
    found = codes_at(example, default_profile)
    assert ("TABLE_UNFILLED", "projects[0]") in found
    assert ("TABLE_UNFILLED", "overall") not in found


def test_scores_ahead_margin_is_a_profile_key(tmp_path: Path, example) -> None:
    # 附件二 self-scores 13+12+12+10+5+8+5+7+10 = 82 of 90 = 91.1%; 执行率 99.64%: not ahead
    on = profile(tmp_path, '[checks]\non = ["SCORES_AHEAD"]\nscores_ahead_by = 0\n', base="default")
    assert "SCORES_AHEAD" not in {c for c, _ in codes_at(example, on)}
    example.overall.funds[0].actual = "100"  # 100 ÷ 133.09 = 75.14%: 91.1% − 75.14% > 5 points
    assert ("SCORES_AHEAD", "overall.printed_total_score") in codes_at(example, load_profile(
        str(tmp_path / "p.toml")))
