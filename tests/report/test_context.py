"""build_context: a pure function; the generated sentences, the marks for missing data,
the suggestions in sections 七/八 and the annex grids."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from decimal import Decimal

import pytest

from perfxl.core.model import Evaluation
from perfxl.core.money import fmt_cn_count, fmt_count
from perfxl.report.context import ANNEX_WIDTH_MM, MARK, build_context

from ..conftest import ROOT
from .conftest import load_example


def test_context_module_loads_no_word_library():
    code = ("import sys, perfxl.report.context; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('docx', 'docxtpl', 'lxml', 'openpyxl')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("n, text", [(0, "零"), (1, "一"), (3, "三"), (10, "十"), (11, "十一"), (20, "二十"),
                                     (21, "二十一"), (99, "九十九"), (100, "100"), (-1, "-1")])
def test_chinese_counts(n, text):
    assert fmt_cn_count(n) == text


def test_head_counts():
    assert fmt_count(Decimal("8")) == "8"
    assert fmt_count(Decimal("8.0")) == "8"
    assert fmt_count(None) == "—"


def test_generated_sections_of_the_example(example_context):
    ctx = example_context
    assert ctx["title"] == "2023年度衡山县科学技术协会部门整体支出绩效自评报告"
    assert ctx["cover"]["title_lines"] == ["2023年度衡山县科学技术协会部门整体", "支出绩效自评报告"]
    assert ctx["duties"][0].startswith("1、开展学术交流") and ctx["duties"][-1].startswith("11、")
    assert "内设办公室、科学技术普及股、学会股等三个职能股室。至2023年12月，共有全额拨款事业编制8名，" in ctx["staffing"]
    assert ctx["basic_expenditure"] == "2023年基本支出89.82万元，其中人员经费76.75万元，公用经费13.08万元。"
    assert ctx["project_expenditure"] == "2023年项目支出42.73万元。"
    assert ctx["government_fund"] == "政府性基金预算支出5.40万元。"
    assert ctx["state_capital"] == ctx["social_insurance"] == "无"
    assert ctx["other"] == "无"
    assert ctx["missing"] == []


def test_section_six_opens_with_computed_facts(example_context):
    summary = example_context["performance"]["summary"]
    first = summary[0]
    for fact in ("全年预算数133.09万元", "全年执行数132.61万元", "预算执行率99.64%", "自评得分91分", "等级为“优”"):
        assert fact in first
    assert "100%" not in first  # the printed 执行率 is wrong; the computed one is used
    # the report says what the department says: the rule-based review (82.96, 良) is in the
    # review document (test_review.py), not in the published text (issue 10)
    assert "复核" not in first and "82.96" not in first and "良" not in first
    assert first.endswith("部门整体支出绩效自评得分91分，等级为“优”。")
    assert "预算执行率98.75%" in summary[1] and "业务经费" in summary[1]
    results = example_context["performance"]["results"]
    assert results[0].startswith("1.整体绩效目标完成情况。2023年根据本单位")
    assert [r[:2] for r in results] == ["1.", "2.", "3.", "4.", "5."]


def test_sections_seven_and_eight_add_the_suggestions_after_the_departments_items(example_context):
    problems, measures = example_context["problems"], example_context["measures"]
    assert problems[0] == "1、预算编制与实际支出存在差异，有待提高预算收支管理水平。"
    assert problems[1].startswith("2、财务管理制度")
    assert any("133.09" in p and "85.09" in p for p in problems[2:])  # 预算调整率 from the checker
    assert measures[2].startswith("3、加强单位财务管理")
    assert len(measures) > 3
    assert [p.split("、")[0] for p in problems] == [str(i) for i in range(1, len(problems) + 1)]


def test_dropped_suggestions_stay_out():
    from perfxl.core import checker, scoring
    from perfxl.core.profile import load_profile

    ev = load_example()
    profile = load_profile(ev.profile)
    scores = scoring.score_evaluation(ev, profile)
    findings = checker.check(ev, profile, scores)
    everything = checker.suggestions(ev, findings, scores)
    dropped = [s.code for s in everything if s.section == "problems"]
    ev.narrative.dropped_suggestions = dropped
    ctx = build_context(ev, scores, findings, checker.suggestions(ev, findings, scores), profile)
    assert len(ctx["problems"]) == 2  # only the department's own
    assert len(ctx["measures"]) > 3


def test_suggestions_can_be_passed_in_directly():
    @dataclasses.dataclass
    class S:
        code: str
        section: str
        text: str

    ev = load_example()
    ctx = build_context(ev, None, [], [S("X", "problems", "新问题。"), S("Y", "measures", "新措施。")])
    assert ctx["problems"][-1] == "3、新问题。"
    assert ctx["measures"][-1] == "4、新措施。"


def test_an_empty_evaluation_gives_marks_and_a_missing_list():
    ctx = build_context(Evaluation())
    assert ctx["missing"], "an empty evaluation must list what is missing"
    assert ctx["title"] == f"{MARK.format('评价年度')}年度{MARK.format('单位名称')}部门整体支出绩效自评报告"
    assert ctx["duties"] == [MARK.format("一、（一）部门主要职责")]
    assert "【待填写：人员经费】" in ctx["basic_expenditure"]
    assert ctx["government_fund"] == "无"  # an empty 政府性基金拨款 means none
    for key in ("staffing", "project_expenditure", "disclosure"):
        assert "【待填写：" in ctx[key]
    assert "【待填写：" in ctx["problems"][0] and "【待填写：" in ctx["measures"][0]
    assert len(ctx["annexes"]) == 2  # no project, no 附件三
    assert ctx["attachments"] == ["附件：1、部门整体支出绩效评价基础数据表", "\u3000\u3000\u30002、部门整体支出绩效自评表"]
    for label in ctx["missing"]:
        assert MARK.format(label) in repr(ctx)


def test_a_text_in_a_number_cell_is_shown_as_missing():
    ev = load_example()
    ev.expenditure.personnel = "七十六"
    ctx = build_context(ev)
    assert "【待填写：人员经费（“七十六”不是数字）】" in ctx["basic_expenditure"]


def test_zero_funds_read_none_and_amounts_read_as_sentences():
    ev = load_example()
    ev.overall.government_fund = Decimal(0)
    ev.expenditure.state_capital = Decimal("12.5")
    ctx = build_context(ev)
    assert ctx["government_fund"] == "无"
    assert ctx["state_capital"] == "国有资本经营预算支出12.50万元。"


def test_one_internal_unit_reads_naturally():
    ev = load_example()
    ev.staffing.internal_units = ["办公室"]
    assert "内设办公室一个职能股室。" in build_context(ev)["staffing"]


def _covered(annex):
    """Every grid position covered exactly once."""
    seen = {}
    for r, row in enumerate(annex["rows"]):
        for cell in row:
            for dr in range(cell["rowspan"]):
                for dc in range(cell["colspan"]):
                    seen[(r + dr, cell["col"] + dc)] = seen.get((r + dr, cell["col"] + dc), 0) + 1
    return seen


@pytest.mark.parametrize("make", [lambda: build_context(load_example()), lambda: build_context(Evaluation())])
def test_annex_grids_cover_every_position_once(make):
    for annex in make()["annexes"]:
        seen = _covered(annex)
        expected = {(r, c) for r in range(len(annex["rows"])) for c in range(len(annex["columns"]))}
        assert set(seen) == expected and set(seen.values()) == {1}, annex["number"]
        assert sum(annex["columns"]) == ANNEX_WIDTH_MM


def test_an_empty_indicator_table_shows_the_forms_skeleton():
    annex = build_context(Evaluation())["annexes"][1]
    texts = [cell["text"] for row in annex["rows"] for cell in row]
    for level2 in ("数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "服务对象满意度指标"):
        assert level2 in texts


def _annex_texts(annex):
    return [cell["text"] for row in annex["rows"] for cell in row]


@pytest.mark.parametrize(("authorized", "shown"), [(Decimal(-4), "—"), (Decimal(0), "—"), (Decimal(4), "75%")])
def test_annex_rates_go_through_the_core_rules(authorized, shown):
    """A negative 编制数 is not a base for a rate (rules.control_rate): the annex shows "—"
    as the checker and the workbook do, not -75% (issue 7)."""
    ev = load_example()
    ev.basic.staff_authorized, ev.basic.staff_actual = authorized, Decimal(3)
    ev.basic.buildings.approved_area, ev.basic.buildings.actual_area = -authorized, Decimal(3)
    annex = build_context(ev)["annexes"][0]
    staff_rate = annex["rows"][1][2]["text"]
    area_rate = annex["rows"][-2][2]["text"]
    assert staff_rate == shown
    assert area_rate == ("—" if authorized >= 0 else "75%")
