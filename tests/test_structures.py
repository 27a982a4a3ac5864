"""Table-level structures of real tables (issue 9): a printed 自评等级, 上年预算数 on 附件一's rows,
年初结转 on the fund rows, five or more fund rows, 附件二 with 其中 fund rows and no 附件一, and a
project table on its own.  Each one round-trips through JSON and the workbook (fill → export is
the identity), is checked, and appears in the report's annexes where the form shows it.

Golden numbers are hand arithmetic, written beside each assertion.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from perfxl.core import model, serde
from perfxl.core.checker import check
from perfxl.core.checks.structure import read_grade
from perfxl.core.nextyear import next_year
from perfxl.core.profile import load_profile
from perfxl.core.scoring import score_evaluation
from perfxl.report.context import build_context

from .conftest import EXAMPLE_JSON

D = Decimal
EXAMPLE = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))


def _example() -> model.Evaluation:
    return serde.evaluation_from_dict(copy.deepcopy(EXAMPLE))


def _fund(label: str, *amounts: str | None, weight: str | None = None, rate: str | None = None,
          score: str | None = None, carried: str | None = None) -> model.FundRow:
    initial, full, actual = (D(a) if a is not None else None for a in amounts)
    return model.FundRow(label, initial, full, actual, D(weight) if weight else None, rate,
                         D(score) if score else None, D(carried) if carried else None)


def _indicators(deviation: str = "") -> list[model.Indicator]:
    """产出 50, 效益 30, 满意度 10, each met in full (the national weights)."""
    return [model.Indicator("产出指标", "数量指标", "完成数量", "≥50场", "50场", D(50), D(50), deviation),
            model.Indicator("效益指标", "社会效益指标", "受益人数", "≥1000人", "1200人", D(30), D(30)),
            model.Indicator("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "95%", D(10), D(10))]


_LEVEL1 = {"产出指标": D(50), "效益指标": D(30), "满意度指标": D(10)}


def project_only() -> model.Evaluation:
    """A 项目支出绩效自评表 on its own with six fund rows (总额 + 中央/省级/市级/县级/其他资金) and a
    printed 自评等级: 10 + 90 = 100 → 优."""
    project = model.ProjectTable(
        name="高标准农田建设", competent_department="某县农业农村局", implementing_unit="某县农业农村局",
        funds=[_fund("年度资金总额", "100", "100", "100", weight="10", rate="100%", score="10"),
               _fund("其中：中央资金", "40", "40", "40"), _fund("省级资金", "30", "30", "30"),
               _fund("市级资金", "20", "20", "20"), _fund("县级资金", "10", "10", "10"), _fund("其他资金", None, None, None)],
        goal_expected="建设高标准农田 1 万亩", goal_actual="建成 1 万亩",
        level1_weights=dict(_LEVEL1), indicators=_indicators(),
        printed_total_weight=D(100), printed_total_score=D(100), printed_grade="优")
    return model.Evaluation(department="某县农业农村局", year=2023, profile="national", projects=[project])


def national_overall() -> model.Evaluation:
    """The national 部门整体 template: no 附件一, 附件二 with 其中 rows 当年财政拨款 / 上年结转资金 / 其他资金
    (80 + 15 + 5 = 100 in each column) and 年初结转 15 on the total."""
    ev = model.Evaluation(department="某县文化馆", year=2023, profile="national")
    ev.overall = model.OverallTable(
        unit_name="某县文化馆",
        funds=[_fund("年度资金总额", "90", "100", "95", weight="10", rate="95%", score="9.5", carried="15"),
               _fund("其中：当年财政拨款", "80", "80", "78"), _fund("上年结转资金", "5", "15", "14", carried="15"),
               _fund("其他资金", "5", "5", "3")],
        goal_expected="开展群众文化活动", goal_actual="开展 50 场",
        level1_weights=dict(_LEVEL1), indicators=_indicators("资金执行 95%：部分活动经费年末未支付"),
        printed_total_weight=D(100), printed_total_score=D("99.5"), printed_grade="优秀")
    return ev


def with_prior_budget() -> model.Evaluation:
    """The example with a 上年预算数 column on 附件一 (三公经费 1.2 = 0 + 0 + 1.2)."""
    ev = _example()
    ev.basic.three_public.prior_budget = D("1.2")
    ev.basic.reception.prior_budget = D("1.2")
    ev.basic.vehicles.prior_budget = ev.basic.vehicle_purchase.prior_budget = D(0)
    ev.basic.vehicle_operation.prior_budget = ev.basic.overseas.prior_budget = D(0)
    return ev


STRUCTURES = {"project_only": project_only, "national_overall": national_overall, "prior_budget": with_prior_budget}


def _findings(ev: model.Evaluation, profile: str = "national"):
    p = load_profile(profile)
    return check(ev, p, score_evaluation(ev, p))


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", sorted(STRUCTURES))
def test_json_round_trip(name):
    ev = STRUCTURES[name]()
    data = json.loads(json.dumps(serde.evaluation_to_dict(ev), ensure_ascii=False))
    assert serde.evaluation_from_dict(data) == ev


@pytest.mark.parametrize("name", sorted(STRUCTURES))
def test_fill_export_round_trip(name, tmp_path):
    pytest.importorskip("openpyxl")
    from perfxl.workbook.builder import build_workbook
    from perfxl.workbook.reader import read_workbook

    ev = STRUCTURES[name]()
    out = build_workbook(ev, tmp_path / "t.xlsx", macros=False)
    read, findings, _ = read_workbook(out)
    assert findings == []
    assert read == ev  # dataclass equality: the numbers as numbers ("5.40" and "5.4" are one value)


def test_fund_rows_with_only_their_labels_make_room_in_a_workbook(tmp_path):
    """The documented way to type 附件二's 其中 rows into a workbook (profiles/README.md): fill
    from a file that lists their labels; the rows come back, still only labels."""
    pytest.importorskip("openpyxl")
    from perfxl.workbook.builder import build_workbook
    from perfxl.workbook.reader import read_workbook

    ev = model.Evaluation(department="某县文化馆", year=2023)
    ev.overall.funds = [model.FundRow(label) for label in ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")]
    read, findings, _ = read_workbook(build_workbook(ev, tmp_path / "t.xlsx", macros=False))
    assert findings == [] and read == ev


def test_fill_export_on_the_command_line(tmp_path):
    """``perfxl fill`` then ``perfxl export`` of the six-fund-row project table gives the same data."""
    from .cli_runner import run

    src = tmp_path / "p.json"
    src.write_text(json.dumps(serde.evaluation_to_dict(project_only()), ensure_ascii=False), encoding="utf-8")
    assert run("fill", str(src), "-o", str(tmp_path / "p.xlsm")).returncode == 0
    assert run("export", str(tmp_path / "p.xlsm"), "-o", str(tmp_path / "back.json")).returncode == 0
    back = serde.evaluation_from_dict(json.loads((tmp_path / "back.json").read_text(encoding="utf-8")))
    assert back == project_only()


# --------------------------------------------------------------------------- checks


def test_a_project_table_on_its_own_raises_no_missing_table_errors():
    found = _findings(project_only())
    assert [(f.code, f.path) for f in found] == [("TABLE_ABSENT", "overall")]


def test_the_national_template_without_basic_data():
    found = _findings(national_overall())
    assert [(f.code, f.path) for f in found] == [("TABLE_ABSENT", "basic")]
    ev = national_overall()
    ev.overall.funds[1].actual = D(70)  # 70 + 14 + 3 = 87 ≠ 95
    sums = [f for f in _findings(ev) if f.code == "SUM_MISMATCH"]
    assert [f.path for f in sums] == ["overall.funds[0].actual"] and "87.00" in sums[0].message
    assert sums[0].message.startswith("当年财政拨款、上年结转资金、其他资金之和")
    ev = project_only()
    ev.projects[0].funds[4].actual = D(5)  # 40 + 30 + 20 + 5 = 95 ≠ 100: the rows named as printed
    found = [f for f in _findings(ev) if f.code == "SUM_MISMATCH"]
    assert [f.path for f in found] == ["projects[0].funds[0].actual"]
    assert found[0].message.startswith("中央资金、省级资金、市级资金、县级资金、其他资金之和为 95.00")


def test_a_blank_workbook_with_only_its_project_sheet_filled():
    """The blank template's skeleton (fund labels, 一级/二级 names) is not a filled table."""
    from perfxl.workbook.layout import blank_evaluation

    ev = blank_evaluation()
    assert ev.has_basic and ev.has_overall  # nothing filled: the whole template, checked as today
    ev.projects = project_only().projects
    ev.department, ev.year = "某县农业农村局", 2023
    assert not ev.has_overall and not ev.has_basic
    assert [(f.code, f.path) for f in _findings(ev) if not f.path.startswith("projects")] == [("TABLE_ABSENT", "overall")]


def test_a_template_with_basic_data_requires_it():
    """hunan's template has 附件一 ([tables] basic = "required"): a file without it is one 错误, and
    the report prints the blank 附件一 with its marks, as before."""
    ev, profile = national_overall(), load_profile("hunan")
    found = [f for f in check(ev, profile) if f.code == "TABLE_ABSENT"]
    assert [(f.path, f.severity.name) for f in found] == [("basic", "ERROR")]
    ctx = build_context(ev, score_evaluation(ev, profile), profile=profile)
    assert [a["number"] for a in ctx["annexes"]] == ["附件一", "附件二"]
    assert "【待填写：公用经费（附件一 本年决算数）】" in ctx["basic_expenditure"]
    assert load_profile("national").basic_table == "optional" and load_profile("strict").basic_table == "required"


def test_an_empty_file_is_not_taken_as_a_partial_publication():
    ev = model.Evaluation()
    assert ev.has_basic and ev.has_overall
    assert not [f for f in _findings(ev) if f.code == "TABLE_ABSENT"]


@pytest.mark.parametrize(("printed", "total", "profile", "codes"), [
    ("优", "91", "national", []),            # 91 ≥ 90
    ("良", "91", "national", ["GRADE_MISMATCH"]),
    ("良好", "89.99", "national", []),       # graded as it is, not rounded: 良
    ("优", "85", "strict", []),              # strict: 优 ≥ 80
    ("优", "85", "national", ["GRADE_MISMATCH"]),
    ("甲等", "91", "national", ["GRADE_UNREADABLE"]),
])
def test_printed_grade_against_the_printed_total(printed, total, profile, codes):
    ev = _example()
    ev.overall.printed_grade = printed
    ev.overall.printed_total_score = D(total)
    assert [f.code for f in _findings(ev, profile) if f.path == "overall.printed_grade"] == codes


def test_printed_grade_without_a_printed_total_grades_the_self_scores():
    ev = _example()  # self-scores add up to 91 (tests/test_golden_example.py)
    ev.overall.printed_total_score = None
    ev.overall.printed_grade = "良"
    found = [f for f in _findings(ev) if f.code == "GRADE_MISMATCH"]
    assert len(found) == 1 and "各项自评得分之和 91" in found[0].message and found[0].expected == "优"


def test_read_grade_spellings():
    assert [read_grade(t) for t in ("优", " 优秀 ", "良好", "合格", "不合格", "差", "", "A")] == [
        "优", "优", "良", "中", "差", "差", None, None]


def _profile(tmp_path: Path, body: str):
    path = tmp_path / "p.toml"
    path.write_text('extends = "national"\n' + body, encoding="utf-8")
    return load_profile(str(path))


def test_profile_keys_of_the_structures(tmp_path):
    from perfxl.errors import ProfileError

    assert _profile(tmp_path, '[change_rate]\nprior = "budget"\n').change_rate_prior == "budget"
    assert load_profile("national").change_rate_prior == "actual"
    with pytest.raises(ProfileError, match=r"change_rate\.prior"):
        _profile(tmp_path, '[change_rate]\nprior = "决算"\n')
    with pytest.raises(ProfileError, match=r"execution_score\.denominator"):
        _profile(tmp_path, '[execution_score]\ndenominator = "carryover"\n')


def test_change_rate_against_last_years_budget(tmp_path):
    """财预〔2013〕53号: (本年预算 1.5 − 上年预算 1.2) ÷ 1.2 = 25%."""
    ev = with_prior_budget()
    profile = _profile(tmp_path, '[change_rate]\nbasis = "budget"\nprior = "budget"\n')
    found = [f for f in check(ev, profile) if f.code == "CHANGE_RATE"]
    assert len(found) == 1 and "较上年预算数增长 25%" in found[0].message
    assert found[0].path == "basic.three_public.budget"
    # the default compares 决算数 with 上年决算数: (0.44 − 0.14) ÷ 0.14 = 214.29%
    default = [f for f in _findings(ev) if f.code == "CHANGE_RATE"]
    assert "较上年决算数增长 214.29%" in default[0].message


def test_prior_budget_sums_like_the_other_columns():
    ev = with_prior_budget()
    ev.basic.reception.prior_budget = D("1.0")  # 0 + 0 + 1.0 ≠ 1.2
    assert [f.path for f in _findings(ev) if f.code == "SUM_MISMATCH" and f.path.startswith("basic")] == [
        "basic.three_public.prior_budget"]


@pytest.mark.parametrize(("denominator", "rate", "score"), [
    ("initial_carryover", "0.9047619047619047619047619048", "9.05"),   # 95 ÷ (90 + 15) = 90.48%
    ("full_year_carryover", "0.8260869565217391304347826087", "8.26"),  # 95 ÷ (100 + 15) = 82.61%
    ("full_year", "0.95", "9.5"),                                       # 95 ÷ 100
])
def test_execution_rate_with_carry_over(tmp_path, denominator, rate, score):
    profile = _profile(tmp_path, f'[execution_score]\ndenominator = "{denominator}"\n')
    scores = score_evaluation(national_overall(), profile)
    assert scores.overall.execution_rate == D(rate)
    assert scores.overall.budget_score == D(score)


def test_printed_rate_is_checked_against_the_carry_over_denominator(tmp_path):
    profile = _profile(tmp_path, '[execution_score]\ndenominator = "initial_carryover"\n')
    ev = national_overall()  # printed 95%: the 全年预算数 rate, not 95 ÷ 105 = 90.48%
    found = [f for f in check(ev, profile) if f.code == "RATE_MISMATCH"]
    assert len(found) == 1 and "年初预算数＋年初结转" in found[0].message and found[0].expected == "90.48%"
    ev.overall.funds[0].printed_rate = "90%"  # whole percent: 90.48% → 90%
    assert not [f for f in check(ev, profile) if f.code == "RATE_MISMATCH"]


def test_blank_carry_over_counts_as_none_and_text_is_reported(tmp_path):
    profile = _profile(tmp_path, '[execution_score]\ndenominator = "initial_carryover"\n')
    ev = national_overall()
    ev.overall.funds[0].carried_over = None  # 95 ÷ 90 > 100%
    assert score_evaluation(ev, profile).overall.execution_rate == D(95) / D(90)
    ev.overall.funds[0].carried_over = "约15"
    scores = score_evaluation(ev, profile)
    assert scores.overall.execution_rate is None and scores.overall.budget_score is None
    assert "overall.funds[0].carried_over" in {f.path for f in check(ev, profile, scores) if f.code == "NOT_A_NUMBER"}


# --------------------------------------------------------------------------- next year


def test_next_year_moves_the_budget_into_last_years_budget_only_where_the_form_has_it():
    new = next_year(with_prior_budget())
    assert new.basic.three_public.prior_budget == D("1.5") and new.basic.three_public.budget is None
    plain = next_year(_example())
    assert plain.basic.three_public.prior_budget is None
    assert next_year(project_only()).projects[0].printed_grade == ""


# --------------------------------------------------------------------------- the report


def _annex_texts(annex) -> list[str]:
    return [cell["text"] for row in annex["rows"] for cell in row]


def test_report_of_a_project_table_on_its_own():
    ev = project_only()
    ctx = build_context(ev, score_evaluation(ev, load_profile("national")))
    assert [a["number"] for a in ctx["annexes"]] == ["附件三"]
    assert ctx["attachments"] == ["附件：3、项目支出绩效自评表"]
    texts = _annex_texts(ctx["annexes"][0])
    for label in ("其中：中央资金", "省级资金", "市级资金", "县级资金", "其他资金", "自评等级", "优"):
        assert label in texts
    assert not any("附件二" in line for line in ctx["performance"]["summary"])
    # 二（二）: the 附件三 tables' 全年执行数 (100), not a 附件二 figure the file does not have
    assert ctx["project_expenditure"] == "2023年项目支出100.00万元。"
    assert not [label for label in ctx["missing"] if "附件二" in label or "附件一" in label]


def test_report_of_the_national_template():
    ev, profile = national_overall(), load_profile("national")
    ctx = build_context(ev, score_evaluation(ev, profile), profile=profile)
    assert [a["number"] for a in ctx["annexes"]] == ["附件二"]
    assert "公用经费" not in ctx["basic_expenditure"]  # 附件一 is not part of this template
    texts = _annex_texts(ctx["annexes"][0])
    # the 其中 rows, the optional 年初结转 column (filled) and the printed grade
    for label in ("其中：当年财政拨款", "上年结转资金", "其他资金", "年初结转", "15.00", "自评等级", "优秀"):
        assert label in texts
    assert not any(t.startswith("按收入性质分") for t in texts)  # the national form has 其中 rows instead
    fund_row = next(row for row in ctx["annexes"][0]["rows"] if any(c["text"] == "上年结转资金" for c in row))
    assert [c["text"] for c in fund_row] == ["上年结转资金", "5.00", "15.00", "14.00", "", "", "", "15.00"]


def test_report_prints_last_years_budget_when_filled():
    ev = with_prior_budget()
    annex = build_context(ev)["annexes"][0]
    assert "上年预算数" not in _annex_texts(annex)  # the label carries the year
    assert any(t.endswith("年预算数") for t in _annex_texts(annex))
    assert len(annex["columns"]) == 13 and "1.20" in _annex_texts(annex)
    plain = build_context(_example())["annexes"][0]
    assert len(plain["columns"]) == 7  # the Hunan form: label + 6
