"""The per-row fields of provinces' indicator tables (issue 9): 指标方向, 计量单位, 指标性质,
年初/调整后指标值, 得分系数, 核心指标, 评分标准 — through the data format and the rules.
Every expected score is hand arithmetic, written beside it."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest

from perfxl.core import serde
from perfxl.core.checker import check
from perfxl.core.model import Evaluation, Indicator, ProjectTable
from perfxl.core.profile import Profile, load_profile
from perfxl.core.rules import Direction, Note
from perfxl.core.rules.indicator import read_direction
from perfxl.core.rules.standards import parse_standard
from perfxl.core.scoring import score_evaluation, score_indicator_row
from perfxl.core.serde import DataError

FULL = Indicator(level1="产出指标", level2="质量指标", name="验收合格率", target="≥95", actual="92", weight=D("10"),
                 self_score=D("7"), deviation="部分返工", tier="", direction="正向", unit="%", nature="定量",
                 initial_target="≥90", adjusted_target="≥95", score_coefficient=D("0.7"), core=True,
                 standard="每低于1个百分点扣1分")


def national(**changes: object) -> Profile:
    return dataclasses.replace(load_profile("national"), **changes)  # type: ignore[arg-type]


def score(row: Indicator, profile: Profile | None = None):
    return score_indicator_row("projects[0].indicators[0]", 0, row, profile or national(), 2023)


def findings_of(row: Indicator, profile: Profile | None = None) -> set[str]:
    ev = Evaluation(department="某单位", year=2023, projects=[ProjectTable(name="项目", indicators=[row])])
    p = profile or national()
    return {f.code for f in check(ev, p, score_evaluation(ev, p)) if f.path.startswith("projects[0].indicators[0]")}


# ---------------------------------------------------------------- the data format


def test_every_field_round_trips_through_json() -> None:
    ev = Evaluation(department="某单位", year=2023, projects=[ProjectTable(name="项目", indicators=[FULL])])
    data = serde.evaluation_to_dict(ev)
    row = data["projects"][0]["indicators"][0]
    assert row["core"] is True and row["score_coefficient"] == "0.7" and row["standard"] == "每低于1个百分点扣1分"
    assert serde.evaluation_from_dict(data) == ev


def test_blank_fields_and_a_bad_mark() -> None:
    row = serde.from_dict(Indicator, {"name": "x", "core": None, "score_coefficient": ""})
    assert row.core is False and row.score_coefficient is None and row.direction == ""
    with pytest.raises(DataError, match="core"):
        serde.from_dict(Indicator, {"core": "是"}, "overall.indicators[0]")


def test_a_row_with_only_a_false_mark_is_blank_at_the_end_of_the_list() -> None:
    data = {"indicators": [{"name": "a"}, {"core": False}]}
    assert len(serde.from_dict(ProjectTable, data).indicators) == 1


# ---------------------------------------------------------------- direction


@pytest.mark.parametrize(("text", "direction"), [
    ("正向", Direction.POSITIVE), ("正向指标", Direction.POSITIVE), ("反向", Direction.NEGATIVE),
    ("逆向指标", Direction.NEGATIVE), ("等于", Direction.EQUAL), ("定性", Direction.QUALITATIVE),
    ("≥", Direction.POSITIVE), ("≧", Direction.POSITIVE), ("不高于", Direction.NEGATIVE), ("≤", Direction.NEGATIVE),
    ("＝", Direction.EQUAL), ("=", Direction.EQUAL), (" 定量 ", None), ("", None), ("正相", Direction.UNKNOWN),
])
def test_read_direction(text: str, direction: Direction | None) -> None:
    assert read_direction(text) is direction


def test_direction_overrides_a_bare_target() -> None:
    # 90% → 95% as 反向: (1 − (95 − 90) ÷ 90) × 10 = 9.444… → 9.44; implied (正向) it would be 10
    row = Indicator(name="某项比率", target="90%", actual="95%", weight=D(10), direction="反向")
    assert score(row).rule_score == D("9.44")
    assert score(dataclasses.replace(row, direction="")).rule_score == D("10.00")
    assert score(dataclasses.replace(row, direction="", nature="≤")).rule_score == D("9.44")  # 四川: 指标性质 "≤"


def test_direction_overrides_the_name_rule() -> None:
    # national: 控制率 is 反向 by name; 正向 given: 92 ÷ 100 × 2 = 1.84
    row = Indicator(name="财政供养人员控制率", target="100%", actual="92%", weight=D(2))
    assert score(row).rule_score == D("2.00")
    assert score(dataclasses.replace(row, direction="正向")).rule_score == D("1.84")


def test_direction_against_the_operator_wins_with_a_warning() -> None:
    # "≥90%" but 反向: 95 > 90 → 9.44 as above
    row = Indicator(level1="产出指标", level2="质量指标", name="x", target="≥90%", actual="95%", weight=D(10),
                    self_score=D("9.44"), deviation="说明", direction="反向")
    scored = score(row)
    assert scored.rule_score == D("9.44") and Note.DIRECTION_CONFLICT in scored.result.notes
    assert findings_of(row) == {"DIRECTION_CONFLICT"}


def test_unreadable_direction_is_ignored_with_a_warning() -> None:
    row = Indicator(level1="产出指标", level2="质量指标", name="x", target="≥90%", actual="95%", weight=D(10),
                    self_score=D(10), direction="正相")
    assert score(row).rule_score == D("10.00")
    assert findings_of(row) == {"DIRECTION_UNREADABLE"}


def test_qualitative_direction_scores_a_quantity_text_from_the_tier() -> None:
    # "开展3次培训" as text would be TARGET_UNREADABLE; 定性 given: 达成 → the self-score 10 (band [8, 10])
    row = Indicator(level1="产出指标", level2="数量指标", name="培训", target="开展3次培训", actual="已开展",
                    weight=D(10), self_score=D(10), direction="定性")
    scored = score(row)
    assert scored.rule_score == D("10") and Note.TARGET_UNREADABLE not in scored.result.notes
    assert findings_of(row) == set()
    assert Note.TARGET_UNREADABLE in score(dataclasses.replace(row, direction="")).result.notes


# ---------------------------------------------------------------- targets and units


def test_adjusted_target_scores_and_both_are_kept() -> None:
    # 年初 ≥100次, 调整后 ≥80次, actual 80: adjusted → 10; initial → 80 ÷ 100 × 10 = 8
    row = Indicator(name="培训次数", target="", initial_target="≥100次", adjusted_target="≥80次", actual="80次",
                    weight=D(10))
    assert (score(row).rule_score, score(row).target_field) == (D("10.00"), "adjusted_target")
    initial = score(row, national(scored_target="initial"))
    assert (initial.rule_score, initial.target_field) == (D("8.00"), "initial_target")


def test_initial_target_alone_is_the_target_and_not_missing() -> None:
    row = Indicator(level1="产出指标", level2="数量指标", name="培训次数", initial_target="≥100次", actual="80次",
                    weight=D(10), self_score=D(8), deviation="经费压减")
    assert score(row).rule_score == D("8.00")  # 80 ÷ 100 × 10
    assert findings_of(row) == set()  # no VALUE_MISSING for the blank 年度指标值


def test_unit_column_gives_bare_numbers_their_unit() -> None:
    # ≤100 (万元) against 1200000元 = 120万元: 反向 (1 − 20 ÷ 100) × 10 = 8
    row = Indicator(name="项目成本", target="≤100", actual="1200000元", unit="万元", weight=D(10))
    assert score(row).rule_score == D("8.00")
    # 百分比: 95 against 0.92 (Excel's 92%) stays the rules' v-or-v×100 reading: 92 ÷ 95 × 10 = 9.68
    assert score(Indicator(name="合格率", target="95", actual=0.92, unit="百分比",  # type: ignore[arg-type]
                           weight=D(10))).rule_score == D("9.68")


# ---------------------------------------------------------------- 评分标准 and 得分系数


def test_the_rows_standard_wins_over_the_profiles() -> None:
    # ≥95% → 92%: 3 points short; 每低于1个百分点扣1分 → 10 − 3 = 7 (the profile's 未达到不得分 would give 0)
    profile = national(standards=(("合格率", parse_standard("未达到不得分")),))
    row = Indicator(name="验收合格率", target="≥95%", actual="92%", weight=D(10), standard="每低于1个百分点扣1分")
    assert score(row, profile).rule_score == D("7")
    assert score(dataclasses.replace(row, standard=""), profile).rule_score == D("0")


def test_an_unreadable_standard_is_kept_and_the_default_rule_applies() -> None:
    # 92 ÷ 95 × 10 = 9.684… → 9.68
    row = Indicator(level1="产出指标", level2="质量指标", name="验收合格率", target="≥95%", actual="92%",
                    weight=D(10), self_score=D("9.68"), deviation="返工", standard="视情况酌情扣分")
    scored = score(row)
    assert scored.rule_score == D("9.68") and scored.standard is None
    assert findings_of(row) == {"STANDARD_UNREADABLE"}


@pytest.mark.parametrize(("coefficient", "own", "codes"), [
    ("0.7", "7", set()),             # 10 × 0.7 = 7
    ("0.7", "7.00", set()),
    ("0.955", "9.55", set()),        # 10 × 0.955 = 9.55 (printed with 2 decimals: 9.550 → 9.55)
    ("0.955", "10", set()),          # whole points: 9.55 → 10
    ("0.7", "8", {"COEFFICIENT_MISMATCH"}),
    ("1.2", "10", {"COEFFICIENT_MISMATCH"}),  # outside 0–1
    ("七成", "7", {"NOT_A_NUMBER"}),
    ("70%", "7", set()),             # 重庆 prints 得分系数(%)
    ("95％", "7", {"COEFFICIENT_MISMATCH"}),
])
def test_score_coefficient_checks_the_printed_score(coefficient: str, own: str, codes: set[str]) -> None:
    row = Indicator(level1="产出指标", level2="质量指标", name="x", target="好", actual="好", weight=D(10),
                    self_score=D(own), deviation="说明", score_coefficient=serde._amount_from(coefficient, ""))
    assert findings_of(row) - {"SCORE_DIFFERS", "SELF_SCORE_OUT_OF_BAND"} == codes


def test_full_row_scores_by_every_field() -> None:
    # FULL: adjusted ≥95 (%), actual 92 (%), 正向, row standard → 10 − 3 = 7; 10 × 0.7 = 7 as printed
    scored = score(FULL)
    assert scored.rule_score == D("7") and scored.target_field == "adjusted_target"
    assert findings_of(FULL) == set()


# ---------------------------------------------------------------- next year and differences


def test_next_year_carries_how_an_indicator_is_measured_and_clears_results() -> None:
    from perfxl.core.nextyear import next_year

    ev = Evaluation(department="某单位", year=2023, projects=[ProjectTable(name="项目", indicators=[
        dataclasses.replace(FULL, initial_target="2023年12月底前")])])
    row = next_year(ev).projects[0].indicators[0]
    assert (row.direction, row.unit, row.nature, row.core, row.standard) == ("正向", "%", "定量", True, "每低于1个百分点扣1分")
    assert row.initial_target == "2024年12月底前"  # years in a carried target move on
    assert (row.adjusted_target, row.score_coefficient, row.actual, row.self_score) == ("", None, "", None)


def test_diff_names_the_new_fields() -> None:
    from perfxl.core.diff import describe, diff_evaluations

    before = Evaluation(department="某单位", year=2023, projects=[ProjectTable(name="项目", indicators=[FULL])])
    after = copy_of(before)
    after.projects[0].indicators[0].core = False
    after.projects[0].indicators[0].unit = "个"
    lines = [describe(c) for c in diff_evaluations(before, after)]
    assert any("核心指标：是 → 否" in line for line in lines), lines
    assert any("计量单位：% → 个" in line for line in lines), lines


def copy_of(ev: Evaluation) -> Evaluation:
    return serde.evaluation_from_dict(serde.evaluation_to_dict(ev))


def test_later_stages_quote_the_target_that_scored() -> None:
    """The suggestions, the findings and ``--json`` quote 年初/调整后指标值 where the form prints them."""
    from perfxl.core.assessment import assess
    from perfxl.present import scores_json

    row = Indicator(level1="产出指标", level2="数量指标", name="播发稿件数量", initial_target="2200篇", actual="2859篇",
                    weight=D(10), self_score=D(10))
    ev = Evaluation(department="某单位", year=2021, projects=[ProjectTable(name="项目", indicators=[row])])
    done = assess(ev, national())
    over = next(s for s in done.suggestions if s.code == "TARGETS_LOW.problem")
    assert "年度指标值为“2200篇”" in over.text  # 2859 ÷ 2200 = 129.95% > 120%
    finding = next(f for f in done.findings if f.code == "OVER_ACHIEVEMENT")
    assert finding.expected == "2200篇"
    shown = scores_json(done.scores, done.profile)["tables"][1]["indicators"][0]
    assert (shown["target"], shown["scored_target"]) == ("", "2200篇")
