"""一级指标 and 二级指标 merge as on the official forms, and every reader reads them back
(issue 10, item 5): ``decl.merged_runs`` (which rows merge), ``sources.spread_merged`` /
``merge_spans`` (a merged range's cells read as its value), the built workbooks, the
sums by 一级指标 and fill → read.  The expected ranges are hand-derived from the
example data (9 indicators from row ``first``: 产出指标 ×4, 效益指标 ×4, 满意度指标 ×1).
"""

from __future__ import annotations

import copy
import dataclasses
from decimal import Decimal

import openpyxl
import pytest

from perfxl.core import model
from perfxl.workbook import layout as L
from perfxl.workbook.builder import build_workbook
from perfxl.workbook.decl import merged_runs
from perfxl.workbook.reader import read_workbook
from perfxl.workbook.sources import merge_spans, spread_merged

from .conftest import load_example

IND = L.LAYOUT.sheet("overall").region("indicators")
LEVEL1, LEVEL2 = IND.column("level1").col, IND.column("level2").col


def _ind(level1: str, level2: str, name: str = "x") -> model.Indicator:
    return model.Indicator(level1=level1, level2=level2, name=name, weight=Decimal(5))


def test_runs_are_equal_neighbours_nested_in_the_runs_left_of_them():
    rows = [_ind("产出指标", "数量指标"), _ind("产出指标", "数量指标"), _ind("产出指标", "质量指标"),
            _ind("效益指标", "质量指标"), _ind("效益指标", "社会效益指标"), _ind("", ""), _ind("", ""), None, None]
    runs = merged_runs(IND, rows)
    assert runs[LEVEL1] == [(0, 2), (3, 4)]  # the blank rows and the empty rows never merge
    # 质量指标 on rows 2 and 3 crosses the 一级指标 border: not one cell
    assert runs[LEVEL2] == [(0, 1)]
    assert merged_runs(IND, [_ind("产出指标", "数量指标"), None]) == {}  # a run of one is a plain cell


def test_spread_merged_gives_every_cell_the_first_cells_value():
    grid = [["a", None, None], [None, None, "x"], [None, 1, None]]
    spread = spread_merged(grid, [(0, 0, 2, 0), (1, 1, 2, 2), (2, 2, 9, 9)])
    assert spread == [["a", None, None], ["a", None, None], ["a", None, None]]
    assert grid[1] == [None, None, "x"]  # the source's rows are not changed
    # a range whose first cell is outside the block read (an open book's block) is left alone
    assert spread_merged([[None, None]], [(0, 0, 0, 1)], top=1) == [[None, None]]
    assert spread_merged([["v", None]], [(5, 3, 5, 4)], top=5, left=3) == [["v", "v"]]
    # overlapping ranges covering more cells than the grid has: stop (a damaged or hostile file)
    assert spread_merged([["a", "b"]], [(0, 0, 0, 1)] * 1000)[0] == ["a", "a"]


def test_merge_spans_reads_the_sheet_part():
    xml = (b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
           b'<mergeCells count="2"><mergeCell ref="B14:B17"/><mergeCell ref="A2:I2"/></mergeCells></worksheet>')
    assert merge_spans(xml) == [(13, 1, 16, 1), (1, 0, 1, 8)]


def _merged(path, sheet: str) -> set[str]:
    ws = openpyxl.load_workbook(path)[sheet]
    return {str(r) for r in ws.merged_cells.ranges if r.min_col == r.max_col and r.max_row > r.min_row}


def test_the_example_merges_its_runs_and_the_template_does_not(fresh_example, fresh_template):
    first = IND.first_row
    runs = {f"{LEVEL1}{first}:{LEVEL1}{first + 3}", f"{LEVEL1}{first + 4}:{LEVEL1}{first + 7}"}
    assert runs <= _merged(fresh_example, L.OVERALL_SHEET)
    template = _merged(fresh_template, L.OVERALL_SHEET)
    assert not [r for r in template if r.startswith((LEVEL1, LEVEL2))]  # rows the department arranges


def _with_level2_runs() -> model.Evaluation:
    """The example with two more 数量指标 rows under 产出指标 (a 二级指标 run of three)."""
    ev = load_example()
    first = ev.overall.indicators[0]
    ev.overall.indicators[1:1] = [dataclasses.replace(copy.copy(first), name=f"第{i}项活动", weight=Decimal(0))
                                  for i in (2, 3)]
    return ev


@pytest.mark.parametrize("engine", ["openpyxl", "calamine"])
def test_merged_runs_read_back_with_every_reader(tmp_path_factory, engine):
    ev = _with_level2_runs()
    path = build_workbook(ev, tmp_path_factory.mktemp("runs") / f"runs-{engine}.xlsm")
    first = IND.first_row
    assert {f"{LEVEL1}{first}:{LEVEL1}{first + 5}", f"{LEVEL2}{first}:{LEVEL2}{first + 2}"} <= _merged(path, L.OVERALL_SHEET)
    read, findings, _ = read_workbook(path, engine=engine)
    assert read.overall.indicators == ev.overall.indicators
    assert read == ev and findings == []


def test_the_sums_by_level1_count_every_row_of_a_run(fresh_example):
    """三级指标分值合计（计算）: the cached values are the sums of the example's weights by
    一级指标 (13+12+13+12 = 50, 8+8+7+7 = 30, 10), although only a run's first cell holds it."""
    ws = openpyxl.load_workbook(fresh_example, data_only=True)[L.OVERALL_SHEET]
    sums = []
    for i in range(3):
        _sheet, cell = L.LAYOUT.locate(f"overall.level1_weights#{i}.indicator_sum")
        sums.append(ws[cell].value)
    assert sums == [50, 30, 10]
    formula = openpyxl.load_workbook(fresh_example)[L.OVERALL_SHEET][cell].value
    assert formula.startswith("=SUMIF(") and f"{LEVEL1}{IND.first_row}" not in formula  # over 一级指标（计算）


def test_an_open_book_is_asked_only_about_the_empty_cells_read(fresh_example):
    """``excel_merges`` on a stand-in of xlwings' sheet (``test_reader_sources``): the runs of
    the indicator rows are found, with one question per column and per empty cell of a
    column that has merged cells there."""
    from perfxl.workbook.sources import excel_merges

    from .test_reader_sources import _Sheet

    sheet = _Sheet(openpyxl.load_workbook(fresh_example)[L.OVERALL_SHEET])
    asked = []
    plain_range = sheet.range
    sheet.range = lambda first, last=None: asked.append((first, last)) or plain_range(first, last)
    first = IND.first_row
    block = [line[1:3] for line in sheet._rows[first - 1:IND.last_row]]  # B:C of the indicator rows
    wanted = {(r, c) for r in range(len(block)) for c in range(2)}
    spans = excel_merges(sheet, block, first - 1, 1, wanted)
    assert sorted(spans) == [(first - 1, 1, first + 2, 1), (first + 3, 1, first + 6, 1)]
    empty = sum(v is None for line in block for v in line)
    assert len(asked) <= 2 + empty + len(spans)
    assert excel_merges(sheet, block, first - 1, 1, set()) == []  # nothing wanted: nothing asked
