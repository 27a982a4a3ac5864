"""Golden tests on the example (衡山县科学技术协会 2023, shared/seeds/000_8a77d8220a3e2e3e.txt).

Every expected number below was worked out by hand from the seed's annex tables and the
rules of shared/docs/domain.md (default profile), not by running perfxl:

附件二 年度资金总额: 年初 85.09, 全年 133.09, 执行 132.61, 分值 10, printed 执行率 100%, 自评 9.
  执行率 = 132.61 ÷ 133.09 = 0.996393…  → 99.64%;  score = 0.996393 × 10 = 9.96.
附件三 业务经费: 年初 3, 全年 43.27, 执行 42.73 → 42.73 ÷ 43.27 = 0.987520… → 98.75%; score 9.88.
附件一 控制率 = 6 ÷ 8 = 75%.
Indicator rule scores (A target, B actual, W weight):
  附件二: 6次→8次 W13: 13 | ≥90%→≥90% W12: 12 | 100%→100% W13: 13 |
          按年初预算执行→100% W12: qualitative, self 10 ≥ 0.8×12 = 9.6 → 达成 band → 10 |
          无→无 W8: not applicable (no rule score) | ≥90%→≥90% W8: 8 | 无→无 W7: n/a |
          ≥90%→≥90% W7: 7 | ≥90%→≥90% W10: 10
          rule total = 9.96 + 13+12+13+10+8+7+10 = 82.96 → 良 (80 ≤ 82.96 < 90);
          self total = 9+13+12+12+10+5+8+5+7+10 = 91 (= printed 91) → 优.
  附件三: ≥5→20 W13: 13 (B/A = 400% > 120%: over-achievement) | ≥80%→≥80% W12: 12 |
          2023年→2023年 W13: 13 | ≥90%→≥90% W12: 12 | 无→无 W8: n/a | ≥5次→8次 W8: 8 (160%) |
          无→无 W7: n/a | 无→120万次 W7: n/a, contradiction | ≥95%→≥95% W10: 10
          rule total = 9.88 + 13+12+13+12+8+10 = 77.88 → 中; self total 91.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfxl.core.checker import check, suggestions
from perfxl.core.findings import Severity
from perfxl.core.money import fmt_pct
from perfxl.core.rules import control_rate
from perfxl.core.scoring import score_evaluation

D = Decimal


@pytest.fixture()
def scored(example, default_profile):
    scores = score_evaluation(example, default_profile)
    return example, scores, check(example, default_profile, scores)


def test_execution_rates_and_scores(scored):
    _, scores, _ = scored
    assert fmt_pct(scores.overall.execution_rate) == "99.64%"
    assert scores.overall.execution_rate == D("132.61") / D("133.09")  # full precision kept
    assert scores.overall.budget_score == D("9.96")
    assert fmt_pct(scores.projects[0].execution_rate) == "98.75%"
    assert scores.projects[0].budget_score == D("9.88")


def test_staff_control_rate(example):
    assert fmt_pct(control_rate(D(6), D(8))) == "75%"


def test_every_indicator_rule_score(scored):
    _, scores, _ = scored
    overall = [s.rule_score for s in scores.overall.indicators]
    project = [s.rule_score for s in scores.projects[0].indicators]
    assert overall == [D(13), D(12), D(13), D(10), None, D(8), None, D(7), D(10)]
    assert project == [D(13), D(12), D(13), D(12), None, D(8), None, None, D(10)]


def test_totals_and_grades(scored):
    _, scores, _ = scored
    assert scores.overall.rule_total == D("82.96") and scores.overall.grade == "良"
    assert scores.overall.self_total == D(91) and scores.overall.self_grade == "优"
    assert scores.projects[0].rule_total == D("77.88") and scores.projects[0].grade == "中"
    assert scores.projects[0].self_total == D(91)


def _index(findings):
    return {(f.code, f.path): f for f in findings}


def test_the_eight_errors_of_the_sample(scored):
    _, _, findings = scored
    found = _index(findings)
    # 1. 附件二 执行率 printed 100%, computed 99.64%
    f = found[("RATE_MISMATCH", "overall.funds[0].printed_rate")]
    assert (f.severity, f.expected, f.actual) == (Severity.ERROR, "99.64%", "100%")
    # 2. 附件三 执行率 printed 100%, computed 98.75%
    f = found[("RATE_MISMATCH", "projects[0].funds[0].printed_rate")]
    assert (f.severity, f.expected, f.actual) == (Severity.ERROR, "98.75%", "100%")
    # 3. and 4. 按收入性质分 132.45 and 按支出性质分 132.55 against 全年执行数 132.61
    sums = [f for f in findings if f.code == "SUM_MISMATCH" and f.path == "overall.funds[0].actual"]
    assert sorted(f.expected for f in sums) == ["132.45", "132.55"]
    assert all(f.actual == "132.61" and f.severity is Severity.ERROR for f in sums)
    # 5. 人员经费 76.75 + 公用经费 13.08 = 89.83 vs 基本支出 89.82: a 0.01 gap is a notice
    f = found[("SUM_ROUNDING", "expenditure.personnel")]
    assert (f.severity, f.expected, f.actual) == (Severity.NOTICE, "89.83", "89.82")
    # 6. points deducted with no 偏差原因: 时效 13→12, 成本 12→10, 经济 8→5, 生态 7→5, in both tables
    for table in ("overall", "projects[0]"):
        for i in (2, 3, 4, 6):
            assert found[("DEVIATION_MISSING", f"{table}.indicators[{i}].deviation")].severity is Severity.ERROR
    # 7. 附件三 可持续影响: target 无, actual 120万次
    assert found[("NA_TARGET_WITH_ACTUAL", "projects[0].indicators[7].actual")].severity is Severity.ERROR
    # 8. 附件三 数量 ≥5 vs 20 (400%): over-achievement warning, and so a 偏差原因 is required
    assert found[("OVER_ACHIEVEMENT", "projects[0].indicators[0].actual")].severity is Severity.WARNING
    assert ("DEVIATION_MISSING", "projects[0].indicators[0].deviation") in found
    # "无" with points given (经济效益 and 生态效益) in both tables
    for table in ("overall", "projects[0]"):
        for i in (4, 6):
            assert ("NOT_APPLICABLE_WEIGHTED", f"{table}.indicators[{i}].actual") in found


def test_execution_below_100_needs_a_reason(scored):
    # 99.64% and 98.75% are below 100% and neither table has any 偏差原因 (domain.md 偏差原因 rule)
    _, _, findings = scored
    found = _index(findings)
    for table, rate in (("overall", "99.64%"), ("projects[0]", "98.75%")):
        f = found[("EXEC_REASON_MISSING", f"{table}.funds[0].actual")]
        assert (f.severity, f.actual) == (Severity.WARNING, rate)


def test_self_score_above_the_rule_is_a_warning_below_a_notice(example, default_profile):
    example.overall.indicators[0].self_score = D(12)  # rule 13: below, the department's call
    example.overall.funds[0].self_score = D(10)  # rule 9.96: above
    found = _index(check(example, default_profile))
    assert found[("SCORE_DIFFERS", "overall.indicators[0].self_score")].severity is Severity.NOTICE
    assert found[("SCORE_DIFFERS", "overall.funds[0].self_score")].severity is Severity.WARNING


def test_cross_table_rules_hold_on_the_sample(scored):
    # 附件一 项目支出 决算 42.73 = 附件二 项目支出 42.73 = Σ 附件三 全年执行数 42.73, and
    # 附件一 项目支出 预算 3 = Σ 附件三 年初预算数 3: the sample is consistent there.
    _, _, findings = scored
    assert not [f for f in findings if f.code == "CROSS_MISMATCH"]


def test_a_broken_cross_table_rule_is_found(example, default_profile):
    example.projects[0].funds[0].actual = D("40.00")
    example.projects[0].funds[0].initial_budget = D("5")
    found = _index(check(example, default_profile))
    assert found[("CROSS_MISMATCH", "basic.project_total.actual")].expected == "40.00"
    assert found[("CROSS_MISMATCH", "basic.project_total.budget")].expected == "5.00"


def test_no_false_alarms_on_the_sample(scored):
    _, _, findings = scored
    # the 其中 rows under 公用经费 are a selection and need not add up
    assert not [f for f in findings if f.path.startswith(("basic.public_funds", "basic.office", "basic.utilities"))
                and f.code in ("SUM_MISMATCH", "SUBITEM_EXCEEDS")]
    # 三公经费 = 公务用车 + 出国 + 公务接待 and 项目支出 = its items hold in 附件一
    assert not [f for f in findings if f.table == "附件1 基础数据表" and f.code == "SUM_MISMATCH"]
    # the weights add up: 10 + 50 + 30 + 10
    assert not [f for f in findings if f.code == "WEIGHT_SUM"]
    # the printed 总分 91 equals the sum of the self-scores
    assert not [f for f in findings if f.code == "TOTAL_MISMATCH"]
    # 控制率 75% is right
    assert ("RATE_MISMATCH", "basic.printed_staff_rate") not in _index(findings)


def test_weight_sum_score_over_weight_and_unreadable_values(example, default_profile):
    example.overall.indicators[0].weight = D(14)  # 产出 now 51, total 101
    example.overall.indicators[1].self_score = D(13)  # above its weight 12
    example.overall.indicators[5].target = "≥abc%"
    found = _index(check(example, default_profile))
    assert found[("WEIGHT_SUM", "overall.level1_weights.产出指标")].actual == "51"
    assert found[("WEIGHT_SUM", "overall.printed_total_weight")].actual == "101"
    assert found[("SCORE_OVER_WEIGHT", "overall.indicators[1].self_score")].severity is Severity.ERROR
    assert ("VALUE_UNREADABLE", "overall.indicators[5].target") in found


def test_zero_denominators_are_findings(example, default_profile):
    example.overall.funds[0].full_year_budget = D(0)
    example.basic.staff_authorized = D(0)
    found = _index(check(example, default_profile))
    assert ("ZERO_DENOMINATOR", "overall.funds[0].printed_rate") in found
    assert ("ZERO_DENOMINATOR", "basic.printed_staff_rate") in found
    # the sample's 楼堂馆所 block: 0 ÷ 0 with "0" printed is only a notice
    assert found[("ZERO_DENOMINATOR", "basic.buildings.printed_area_rate")].severity is Severity.NOTICE


def test_suggestions_for_the_report(scored):
    example, scores, findings = scored
    found = {s.code: s for s in suggestions(example, findings, scores)}
    # 年初 85.09 → 全年 133.09: (133.09 − 85.09) ÷ 85.09 = 56.41% adjustment
    assert "56.41%" in found["BUDGET_ADJUSTED.problem"].text
    # issue 10: the printed 100% the report shows corrected (附件二: 99.64%) is no "problem";
    # the funds not spent are: 133.09 − 132.61 = 0.48 万元 at the computed 99.64%
    assert "RATE_MISMATCH.problem" not in found and "DEVIATION_MISSING.measure" not in found
    assert "0.48万元未支出，预算执行率99.64%" in found["UNSPENT.problem"].text
    example.narrative.dropped_suggestions = ["BUDGET_ADJUSTED.problem"]
    assert "BUDGET_ADJUSTED.problem" not in {s.code for s in suggestions(example, findings, scores)}


@pytest.mark.parametrize(("printed", "flagged"), [("99.64%", False), ("99.64", False), ("0.9964", False),
                                                  ("100%", True), ("100", True), ("1", True)])
def test_printed_rate_with_or_without_percent_sign(example, default_profile, printed, flagged):
    example.overall.funds[0].printed_rate = printed
    found = _index(check(example, default_profile))
    assert (("RATE_MISMATCH", "overall.funds[0].printed_rate") in found) is flagged


def test_one_bad_cell_is_one_finding(example, default_profile):
    example.overall.funds[0].full_year_budget = "一百三十三"
    found = [f for f in check(example, default_profile) if f.path == "overall.funds[0].full_year_budget"]
    assert [f.code for f in found] == ["NOT_A_NUMBER"]  # not also "未填写"


def test_unscoreable_rows_are_findings_not_silent_zeros(example, default_profile):
    example.overall.indicators[1].actual = "无"  # ≥90% against 无: the rule cannot score it
    example.overall.level1_weights["产出指标"] = "五十"
    found = _index(check(example, default_profile))
    assert found[("NOT_SCORED", "overall.indicators[1].actual")].severity is Severity.WARNING
    assert found[("NOT_A_NUMBER", "overall.level1_weights.产出指标")].severity is Severity.ERROR


def test_execution_cap_applies_to_the_self_score_under_strict(example, strict_profile):
    example.overall.funds[0].actual = D("86.50")  # 86.50 ÷ 133.09 = 64.99%: strict caps the total at 79
    found = _index(check(example, strict_profile))
    f = found[("SELF_TOTAL_OVER_CAP", "overall.printed_total_score")]
    assert (f.expected, f.actual) == ("≤ 79", "91")
