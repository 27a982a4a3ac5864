"""data → workbook → data is the identity, and the reader's locator finds every field."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from perfxl.core import model, serde
from perfxl.core.findings import Finding, Severity, Table, locate
from perfxl.workbook import layout as L
from perfxl.workbook.builder import build_workbook
from perfxl.workbook.reader import read_workbook

from .conftest import COMMITTED_EXAMPLE, load_example


def _leaves(data, path=""):
    """(model path, value) of every leaf of serde.to_dict output."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, f"{path}.{key}" if path else key)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _leaves(value, f"{path}[{i}]")
    else:
        yield path, data


def _canonical(data):
    """to_dict output with numbers in one spelling: Excel keeps 5.40 as the number 5.4."""
    if isinstance(data, dict):
        return {k: _canonical(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_canonical(v) for v in data]
    if isinstance(data, str):
        try:
            number = Decimal(data)
        except ArithmeticError:
            return data
        return f"{number.normalize():f}" if number.is_finite() else data
    return data


def assert_identity(original: model.Evaluation, read: model.Evaluation) -> None:
    assert read == original  # dataclass equality: Decimals compare as numbers
    a, b = serde.to_dict(original), serde.to_dict(read)
    assert _canonical(b) == _canonical(a)
    # and the only textual differences are number spellings such as "5.40" / "5.4"
    for (pa, va), (pb, vb) in zip(_leaves(a), _leaves(b), strict=True):
        assert pa == pb
        if va != vb:
            assert Decimal(va) == Decimal(vb), pa


@pytest.mark.parametrize("which", ["committed", "fresh"])
def test_example_round_trip(which, fresh_example):
    path = COMMITTED_EXAMPLE if which == "committed" else fresh_example
    evaluation, findings, _locator = read_workbook(path)
    assert_identity(load_example(), evaluation)
    assert findings == []
    assert serde.to_dict(evaluation)["overall"]["government_fund"] == "5.4"  # the one respelling in the example


def test_blank_template_reads_as_the_blank_evaluation(template):
    evaluation, findings, _ = read_workbook(template)
    assert evaluation == L.blank_evaluation()
    assert findings == []


def test_empty_evaluation_round_trip(tmp_path):
    path = build_workbook(model.Evaluation(), tmp_path / "empty.xlsm")
    evaluation, findings, _ = read_workbook(path)
    assert_identity(model.Evaluation(), evaluation)
    assert findings == []


def _grown() -> model.Evaluation:
    ev = load_example()
    ev.duties = [f"职责{i}" for i in range(30)]
    ev.overall.indicators = ev.overall.indicators * 3  # 27 rows > 16
    ev.basic.special_funds = [model.CostRow(f"专项{i}", Decimal(i), None, Decimal("1.25")) for i in range(9)]
    extra = copy.deepcopy(ev.projects[0])
    extra.name = "第二个项目"
    extra.indicators = extra.indicators[:3]
    ev.projects = [ev.projects[0], extra, copy.deepcopy(extra)]
    ev.projects[2].name = "第三个项目"
    ev.narrative.problems = ["=1+1（不是公式）", "第二行\n换行", "  前后空格  "]
    ev.overall.goal_actual = "+SUM(A1)"
    return ev


def test_regions_grow_with_the_data(tmp_path):
    ev = _grown()
    path = build_workbook(ev, tmp_path / "grown.xlsm")
    evaluation, findings, locator = read_workbook(path)
    assert_identity(ev, evaluation)
    assert findings == []
    import openpyxl

    book = openpyxl.load_workbook(path)
    assert book.sheetnames[4:7] == ["附件3 项目自评表", "附件3 项目自评表(2)", "附件3 项目自评表(3)"]
    layout = L.layout_for(ev)
    ind = layout.sheet("overall").region("indicators")
    assert ind.capacity == 27
    sheet, cell = locator("overall.indicators[26].self_score")
    assert (sheet, cell) == (L.OVERALL_SHEET, f"H{ind.first_row + 26}")
    total = layout.locate("overall.rule_total")
    # the rule total adds the whole grown region (and checks it for "需Python": sheets/native.py)
    rule_total = book[total[0]][total[1]].value
    assert f"SUM(J{layout.sheet('overall').region('funds').first_row},J{ind.first_row}:J{ind.last_row})" in rule_total
    assert rule_total.startswith(f'=IF(SUMPRODUCT(ISTEXT(J{ind.first_row}:J{ind.last_row})*')
    assert locator("projects[2].name") == ("附件3 项目自评表(3)", "C3")
    # the project sheets' defined names are sheet-scoped: the same name on each sheet
    assert "project.name" in book["附件3 项目自评表(2)"].defined_names


def test_every_model_field_has_a_cell():
    ev = _grown()
    layout = L.layout_for(ev)
    seen: dict[tuple[str, str], str] = {}
    for path, _ in _leaves(serde.to_dict(ev)):
        place = layout.locate(path)
        assert place is not None, path
        assert path in layout._cells or path.startswith("overall.level1_weights") or ".level1_weights." in path, path
        assert seen.setdefault(place, path) == path, f"{path} and {seen[place]} share {place}"


def test_locator_fills_sheet_and_cell_of_findings(fresh_example):
    _, _, locator = read_workbook(fresh_example)
    found = Finding("EXEC_RATE_MISMATCH", Severity.ERROR, Table.OVERALL, "overall.funds[0].printed_rate",
                    "年度资金总额 执行率", "执行率应为 99.64%")
    row = Finding("X", Severity.WARNING, Table.PROJECT, "projects[0].indicators[7]", "可持续影响指标", "…")
    unknown = Finding("Y", Severity.NOTICE, Table.CROSS, "nowhere.at_all", "", "…")
    located = locate([found, row, unknown], locator)
    funds = L.LAYOUT.sheet("overall").region("funds")
    assert (located[0].sheet, located[0].cell) == (L.OVERALL_SHEET, f"G{funds.first_row}")
    ind = L.LAYOUT.sheet("project").region("indicators")
    assert (located[1].sheet, located[1].cell) == (L.PROJECT_SHEET, f"B{ind.first_row + 7}")
    assert (located[2].sheet, located[2].cell) == ("", "")
    assert located[0].where == f"{L.OVERALL_SHEET}!G{funds.first_row}（年度资金总额 执行率）"


def test_layout_locate_examples():
    loc = L.LAYOUT.locate
    assert loc("overall.funds[0].printed_rate") == (L.OVERALL_SHEET, "G5")
    assert loc("overall.indicators[3].self_score")[0] == L.OVERALL_SHEET
    assert loc("projects[0].indicators[1].target")[0] == L.PROJECT_SHEET
    assert loc("basic.project_items[0].actual")[0] == L.BASIC_SHEET
    assert loc("overall.unit_name") == (L.OVERALL_SHEET, "C3")
    assert loc("department") == (L.GENERAL_SHEET, "B3")
    assert loc("narrative.other")[0] == L.REPORT_SHEET
    assert loc("overall.funds[0]") == loc("overall.funds[0].label")


def test_fixed_parts_do_not_overflow():
    ev = load_example()
    ev.projects[0].level1_weights = {f"指标{i}": Decimal(i) for i in range(4)}  # the form has 3 一级指标
    with pytest.raises(L.CapacityError):
        L.shape_for(ev)


def test_fund_rows_grow_with_the_data():
    """Issue 9: the fund rows are no longer fixed (中央/省级/市级/县级资金 …); 8 rows get 8 rows."""
    ev = load_example()
    ev.projects[0].funds = ev.projects[0].funds * 2
    assert L.shape_for(ev).capacity("projects[0].funds") == 8
