"""Parse once (issue 7): an amount is judged in one place (perfxl/core/cells.py); a cell a
reader has already judged is not judged again, and nothing is deduplicated afterwards."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from perfxl.core.assessment import assess
from perfxl.core.cells import Reported, judge_amount, read_amount
from perfxl.core.codes import finding
from perfxl.core.findings import Table
from perfxl.core.serde import evaluation_to_dict


@pytest.mark.parametrize(("raw", "value", "number", "unreadable"), [
    (None, None, None, False),
    ("  ", None, None, False),
    (3, D(3), D(3), False),
    ("1,234.56", D("1234.56"), D("1234.56"), False),
    ("５.40", D("5.40"), D("5.40"), False),
    ("——", "——", None, False),
    ("无", "无", None, False),
    ("一百三十三", "一百三十三", None, True),
    (Reported("一百三十三"), "一百三十三", None, False),
])
def test_read_amount(raw, value, number, unreadable):
    r = read_amount(raw)
    assert (r.value, r.number, r.unreadable) == (value, number, unreadable)


def test_judge_amount_gives_the_number_and_the_findings():
    number, found = judge_amount("12分", Table.PROJECT, "projects[0].indicators[1].weight", "数量指标 分值",
                                 unit="分", title="附件3 项目自评表（业务经费）")
    assert number is None and [f.code for f in found] == ["NOT_A_NUMBER"]
    assert "单位：分" in found[0].message and found[0].table_title.endswith("（业务经费）")
    number, found = judge_amount(D(-1), Table.BASIC, "basic.staff_actual", "实际在职人数", unit="人")
    assert number == D(-1) and [f.code for f in found] == ["NEGATIVE_AMOUNT"]
    assert judge_amount(Reported("x"), Table.BASIC, "p", "l") == (None, [])


def test_a_cell_the_reader_judged_is_one_finding(example, default_profile):
    """The reader reports the typo with its cell; the checker does not report it again."""
    example.overall.funds[0].full_year_budget = Reported("一百三十三")  # as the workbook reader stores it
    read = finding("CELL_NOT_NUMBER", Table.OVERALL, "overall.funds[0].full_year_budget", "年度资金总额 全年预算数",
                   "年度资金总额 全年预算数应填数字，实际为文本“一百三十三”。", sheet="附件2", cell="D5")
    assessed = assess(example, default_profile, reading=[read])
    about = [f.code for f in assessed.findings if f.path == "overall.funds[0].full_year_budget"]
    assert about == ["CELL_NOT_NUMBER"]
    assert isinstance(example.overall.funds[0].full_year_budget, Reported)
    # a data file written from it carries plain text, which is judged when read again
    data = evaluation_to_dict(example)
    assert json.loads(json.dumps(data, ensure_ascii=False))["overall"]["funds"][0]["full_year_budget"] == "一百三十三"


def test_without_a_reader_the_core_judges_it(example, default_profile):
    example.overall.funds[0].full_year_budget = "一百三十三"
    about = [f.code for f in assess(example, default_profile).findings
             if f.path == "overall.funds[0].full_year_budget"]
    assert about == ["NOT_A_NUMBER"]


def test_a_dict_field_judged_by_the_reader(example, default_profile):
    example.overall.level1_weights["产出指标"] = Reported("五十")  # as the workbook reader stores it
    read = finding("CELL_NOT_NUMBER", Table.OVERALL, "overall.level1_weights.产出指标", "产出指标 分值", "x")
    about = [f.code for f in assess(example, default_profile, reading=[read]).findings
             if f.path == "overall.level1_weights.产出指标"]
    assert about == ["CELL_NOT_NUMBER"]


def test_a_deleted_cell_the_reader_reported_is_not_also_unfilled(example, default_profile):
    example.overall.goal_expected = Reported("")  # the workbook reader's mark for a deleted cell
    example.overall.funds[0].actual = Reported("")
    reading = [finding("FIELD_DELETED", Table.OVERALL, path, "x", "“x”所在的单元格已被删除，该项按空白读取。")
               for path in ("overall.goal_expected", "overall.funds[0].actual")]
    found = {(f.code, f.path) for f in assess(example, default_profile, reading=reading).findings}
    assert ("FIELD_DELETED", "overall.goal_expected") in found
    assert ("MISSING_FIELD", "overall.goal_expected") not in found
    assert ("MISSING_FIELD", "overall.funds[0].actual") not in found
    # without the reader, both are 未填写
    example.overall.goal_expected, example.overall.funds[0].actual = "", None
    found = {(f.code, f.path) for f in assess(example, default_profile).findings}
    assert {("MISSING_FIELD", "overall.goal_expected"), ("MISSING_FIELD", "overall.funds[0].actual")} <= found
