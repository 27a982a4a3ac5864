"""The wording of the report's suggestions (sections 七 and 八) against the annexes they
sit beside (issue 10 audit: "no self-contradiction anywhere").

Figures are the example's (shared/seeds/000_8a77d8220a3e2e3e.txt) or hand arithmetic.
"""

from __future__ import annotations

from decimal import Decimal

from perfxl.core.checker import check, suggestions
from perfxl.core.scoring import score_evaluation


def _texts(evaluation, profile) -> dict[str, str]:
    scores = score_evaluation(evaluation, profile)
    return {s.code: s.text for s in suggestions(evaluation, check(evaluation, profile, scores), scores)}


def test_marked_down_but_reached_is_not_called_a_miss(example, default_profile):
    # 附件二 时效 100% → 100% (12 of 13) and 成本 按年初预算执行 → 100% (10 of 12, the 达成 band):
    # both reach the target the annex prints, so no "未完全达到预期" and no guessed cause
    text = _texts(example, default_profile)["TARGETS_MISSED.problem"]
    assert text.startswith("部分绩效指标实际完成值达到了年度指标值，自评时仍扣了分")
    assert "部门整体的时效指标“2023年度”（得12分，分值13分）、成本指标“活动成本”（得10分，分值12分）" in text
    assert "未完全达到预期" not in text and "原因可能是" not in text


def test_a_true_miss_quotes_its_values_and_the_likely_cause(example, default_profile):
    example.overall.indicators[0].actual = "5次"  # target 6次: 5 ÷ 6 = 83.33%, short
    example.overall.indicators[0].self_score = Decimal(10)
    texts = _texts(example, default_profile)
    problem = texts["TARGETS_MISSED.problem"]
    assert problem.startswith("部分绩效指标未完全达到预期。部门整体的数量指标“举办科普活动、其他科学技术普及等活动”"
                              "（年度指标值“6次”，实际完成“5次”，得10分，分值13分）。原因可能是计划工作量未全部完成。")
    assert "部分绩效指标实际完成值达到了年度指标值" in problem  # the others are still said apart
    assert texts["TARGETS_MISSED.measure"].startswith("对未完全达到预期和自评扣分的指标逐项查找原因")


def test_a_target_set_to_none_with_a_result_quotes_the_result(example, default_profile):
    # 附件三 可持续影响: 年度指标值 无, 实际完成 120万次 (the annex prints both)
    text = _texts(example, default_profile)["INDICATORS.problem"]
    assert ("“业务经费”项目的可持续影响指标“提高基层群众科普知识”（7分）实际完成“120万次”，"
            "年初却没有设定年度指标值（为“无”）") in text
    # not in the list of 无 indicators "without any result": the annex shows one
    listed = text.split("的年度指标值为“无”，却分配了分值")[0]
    assert "提高基层群众科普知识" not in listed and "生态效益指标（7分）" in listed


def test_budget_adjustment_says_increase_or_decrease(example, default_profile):
    # 133.09 − 85.09 = 48.00 万元; 48 ÷ 85.09 = 56.41%
    assert "年中增加48.00万元，增幅56.41%" in _texts(example, default_profile)["BUDGET_ADJUSTED.problem"]
    example.overall.funds[0].initial_budget = Decimal("200")  # 200 − 133.09 = 66.91 万元 less
    assert "年中减少66.91万元，降幅" in _texts(example, default_profile)["BUDGET_ADJUSTED.problem"]
