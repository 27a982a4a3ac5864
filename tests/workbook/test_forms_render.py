"""The annex sheets render from the core's declaration of the forms (issue 7, shape item 1).

Every declared row has an input cell and every declared sum and rate a computed cell; a
new 其中 row (tests/test_forms.py's 公车租赁 under 公务用车购置和维护经费) is one
declaration: the layout places its inputs, adds it to the parent's SUM and shifts the
rows below, and a built workbook reads it back.
"""

from __future__ import annotations

import dataclasses
import functools
from decimal import Decimal as D

import openpyxl
import pytest

from perfxl.core import forms, model
from perfxl.core.forms import FORMS
from perfxl.workbook import layout as L
from perfxl.workbook.formula import Expr, Ref, Rng
from perfxl.workbook.sheets import basic as basic_sheet
from perfxl.workbook.sheets import performance
from perfxl.workbook.sheets.basic import basic
from tests.test_forms import _BasicWithRental, _with_rental

from .conftest import ROOT, load_example

LAYOUT = L.workbook_layout(L.Shape())


def _input_cells(sheet: L.SheetLayout) -> set[str]:
    cells = {f.cell for f in sheet.inputs}
    for r in sheet.regions:
        cells |= {L.cell_at(c.col, row) for c in r.columns for row in range(r.first_row, r.last_row + 1)}
    return cells


def _cells(expr: Expr) -> set[str]:
    """The cells of the formula's own sheet that *expr* reads."""
    out: set[str] = set()
    for ref in expr.refs():
        if isinstance(ref, Rng):
            out |= set(ref.cells())
        elif isinstance(ref, Ref) and ref.sheet is None:
            out.add(ref.cell)
    return out


def _path_cells(sheet: L.SheetLayout, path: str) -> set[str]:
    """The input cells of a form path under *sheet*'s root: a "[*]" row is its whole region."""
    at, _, attr = path.rpartition(".")
    if at.endswith("[*]"):
        region = sheet.region(at.removesuffix("[*]"))
        return {L.cell_at(region.column(attr).col, row) for row in range(region.first_row, region.last_row + 1)}
    return {L.cell_map([sheet])[sheet.full_path(path)][1]}


def _formulas(sheet: L.SheetLayout) -> list[Expr]:
    """Every computed cell's formula, and each region's per-row formulas on its first row."""
    return [c.expr for c in sheet.computed] + [f.make(r.first_row) for r in sheet.regions for f in r.formulas]


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.key)
def test_every_declared_row_has_an_input_cell(form):
    sheet = LAYOUT.sheet(form.key)
    cells, inputs = L.cell_map([sheet]), _input_cells(sheet)
    assert form.rows
    for _block, row, column in form.cells():
        path = sheet.full_path(row.path.replace("[*]", "[0]") + (f".{column.attr}" if column else ""))
        assert path in cells, path
        name, cell = cells[path]
        assert name == sheet.name and cell in inputs, (path, cell)


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.key)
def test_every_declared_sum_and_rate_has_a_computed_cell(form):
    sheet = LAYOUT.sheet(form.key)
    formulas = [_cells(e) for e in _formulas(sheet)]
    rendered = 0
    for relation in form.relations:
        if isinstance(relation, forms.Sum):
            if relation.parent in performance.UNRENDERED_SUMS:
                continue
            for _parent, children in relation.terms():
                wanted = set().union(*(_path_cells(sheet, child) for child in children))
                assert wanted in formulas, (relation, sorted(wanted))
                rendered += 1
        elif isinstance(relation, forms.Rate):
            wanted = _path_cells(sheet, relation.numerator) | _path_cells(sheet, relation.denominator)
            if relation.rule == "execution_rate":  # by the profile: ÷ 年初预算数, + 年初结转 (issue 9, sheets/native.py)
                wanted |= _path_cells(sheet, "funds[0].initial_budget") | _path_cells(sheet, "funds[0].carried_over")
            assert wanted in formulas, relation
            rendered += 1
    # 附件一: 3 sums × 4 columns (the optional 上年预算数 too, issue 9) + 3 rates; 附件二: 2 group
    # totals + 执行率; 附件三: 执行率
    assert rendered == {"basic": 15, "overall": 3, "project": 1}[form.key]


def test_only_the_fund_total_is_left_to_the_checker():
    """The one declared sum without a cell is the documented one (and it exists in the forms)."""
    parents = {r.parent for f in FORMS for r in f.relations if isinstance(r, forms.Sum)}
    assert set(performance.UNRENDERED_SUMS) <= parents
    assert performance.UNRENDERED_SUMS == ("funds[0]",)


def test_rates_are_the_native_formula_of_their_rule():
    sheet = LAYOUT.sheet("basic")
    staff = next(c for c in sheet.computed if c.path == "staff_rate")
    assert staff.expr.formula(sheet.name) == 'IF(B4="","",IF(AND(ISNUMBER(C4),ISNUMBER(B4)),IF(B4>0,C4/B4,"—"),"—"))'
    funds = LAYOUT.sheet("overall").region("funds")
    rate = next(f for f in funds.formulas if f.attr == "execution_rate")
    # 执行率 = 全年执行数 (E) ÷ the profile's denominator (issue 9): 全年预算数 (D), 年初预算数 (C), + 年初结转 (L)
    conf = "'xlwings.conf'!"
    initial, carry = f'LEFT({conf}$E$7,7)="initial"', f'RIGHT({conf}$E$7,9)="carryover"'
    den = f"(IF({initial},C7,D7)+IF(AND({carry},ISNUMBER(L7)),L7,0))"
    assert rate.make(7).formula("x") == (f'IF(IF({initial},C7="",D7=""),"",IF({conf}$D$7="","需Python",'
                                         f'IF(AND(ISNUMBER(E7),IF({initial},ISNUMBER(C7),ISNUMBER(D7)),'
                                         f'OR(NOT({carry}),ISNUMBER(L7),L7="")),IF({den}>0,E7/{den},"—"),"—")))')


def _row_of(sheet: L.SheetLayout, path: str) -> int:
    return L.split_cell(next(f.cell for f in sheet.inputs if f.path == path))[1]


def _sum_formula(sheet: L.SheetLayout, path: str) -> str:
    return next(c for c in sheet.computed if c.path == path).expr.formula(sheet.name)


def test_a_new_sub_row_is_one_declaration_in_the_layout():
    shipped, rental = basic(L.Shape()), basic(L.Shape(), _with_rental())
    operation = _row_of(shipped, "vehicle_operation.label")
    assert _row_of(rental, "vehicle_operation.label") == operation
    # its place: right under 公车运行维护, label and the money columns as inputs
    new = operation + 1
    assert [(f.path, f.cell, f.label) for f in rental.inputs if f.path.startswith("vehicle_rental")] == [
        ("vehicle_rental.label", f"A{new}", "公车租赁 行名称"),
        ("vehicle_rental.prior_actual", f"B{new}", "公车租赁 上年决算数"),
        ("vehicle_rental.budget", f"C{new}", "公车租赁 预算数"),
        ("vehicle_rental.actual", f"D{new}", "公车租赁 决算数"),
        ("vehicle_rental.prior_budget", f"Q{new}", "公车租赁 上年预算数"),  # optional, right of the form (issue 9)
    ]
    # its term in the 公务用车 sum, column by column; 三公经费 follows the rows below it
    purchase, overseas = _row_of(rental, "vehicle_purchase.label"), _row_of(rental, "overseas.label")
    assert overseas == _row_of(shipped, "overseas.label") + 1
    assert _sum_formula(shipped, "vehicles.actual_sum") == f"SUM(D{purchase},D{operation})"
    assert _sum_formula(rental, "vehicles.actual_sum") == f"SUM(D{purchase},D{operation},D{new})"
    assert _sum_formula(rental, "vehicles.budget_sum") == f"SUM(C{purchase},C{operation},C{new})"
    assert _sum_formula(rental, "three_public.actual_sum") == f"SUM(D{purchase - 1},D{overseas},D{overseas + 1})"
    # and nothing else of the sheet changes but the one row
    assert len(rental.inputs) == len(shipped.inputs) + 5  # label, 3 printed columns, 上年预算数
    assert [c.path for c in rental.computed] == [c.path for c in shipped.computed]


def test_the_sheet_builders_take_the_form_and_default_to_the_shipped_one():
    assert basic(L.Shape()) == LAYOUT.sheet("basic")
    # (per-row formulas are functions, compared by identity: compare where everything is)
    assert L.cell_map(L.workbook_layout(L.Shape(), FORMS).sheets) == L.cell_map(LAYOUT.sheets)
    assert basic_sheet.basic.__defaults__ == (forms.BASIC_TABLE,)


@dataclasses.dataclass
class _EvaluationWithRental(model.Evaluation):
    basic: model.BasicData = dataclasses.field(default_factory=_BasicWithRental)


def test_a_new_sub_row_round_trips_through_a_built_workbook(tmp_path, monkeypatch):
    """Built from the modified form, the workbook shows the row and its sum; the reader reads it back."""
    from perfxl.workbook.builder import build_workbook
    from perfxl.workbook.reader import read_workbook

    declared = (_with_rental(), *FORMS[1:])
    real = L.workbook_layout
    monkeypatch.setattr(L, "workbook_layout", lambda shape=None, declared=declared: real(shape, declared))
    monkeypatch.setattr(L, "layout_for", functools.partial(
        lambda ev, declared: real(L.shape_for(ev) if ev is not None else L.Shape(), declared), declared=declared))
    monkeypatch.setattr(model, "Evaluation", _EvaluationWithRental)  # the reader's record has the field
    example = load_example()
    example.basic = _BasicWithRental(**{f.name: getattr(example.basic, f.name) for f in dataclasses.fields(model.BasicData)})
    example.basic.vehicle_rental = model.CostRow("公车租赁", D("1.5"), D("2"), D("2.25"))
    path = build_workbook(example, tmp_path / "rental.xlsm")

    book = openpyxl.load_workbook(path, data_only=True)
    sheet = book[L.BASIC_SHEET]
    layout = L.layout_for(example)
    rows = layout.sheet("basic")
    new = _row_of(rows, "vehicle_rental.label")
    assert [sheet[f"{c}{new}"].value for c in "ABCD"] == ["公车租赁", 1.5, 2, 2.25]
    vehicles = next(c for c in rows.computed if c.path == "vehicles.actual_sum").cell
    v = example.basic.vehicles  # the cached value of the check cell adds the new row
    parts = [example.basic.vehicle_purchase.actual, example.basic.vehicle_operation.actual, D("2.25")]
    assert D(str(sheet[vehicles].value)).quantize(D("0.01")) == sum(p or D(0) for p in parts).quantize(D("0.01"))
    assert v.actual is not None

    evaluation, findings, locate = read_workbook(path, declared=declared)
    assert evaluation.basic.vehicle_rental == model.CostRow("公车租赁", D("1.5"), D("2"), D("2.25"))
    assert evaluation.basic.overseas == example.basic.overseas  # the rows below it still read right
    assert locate("basic.vehicle_rental.actual") == (L.BASIC_SHEET, f"D{new}")
    assert not [f for f in findings if f.code == "LAYOUT_CHANGED"]


def test_the_special_funds_heading_is_the_one_the_seed_prints():
    """One text, the seed form's: the form's ``before``, printed above the region and checked as its header."""
    seed = [line.strip() for line in (ROOT / "tests" / "report" / "data" / "hengshan-kexie-2023-seed.txt")
            .read_text(encoding="utf-8").splitlines()]
    heading = forms.BASIC_TABLE.row("special_funds[*]").before
    assert heading == "3、省级专项资金（每个专项一行）" and heading in seed
    sheet = LAYOUT.sheet("basic")
    region = sheet.region("special_funds")
    assert region.header == {"A": heading}
    assert [s.text for s in sheet.statics if s.ref == f"A{region.header_row}"] == [heading]


def test_the_built_workbooks_print_the_forms_labels(template):
    ws = openpyxl.load_workbook(template)[L.BASIC_SHEET]
    sheet = LAYOUT.sheet("basic")
    for row in forms.BASIC_TABLE.block("costs").rows:
        if not row.many:
            cell = next(f.cell for f in sheet.inputs if f.path == f"{row.path}.label")
            assert ws[cell].value == row.label, row.path
    for row in forms.BASIC_TABLE.block("buildings").rows:
        label_ref = next(f.label_ref for f in sheet.inputs if f.path == row.path)
        assert ws[label_ref].value == row.label
    assert ws[f"A{sheet.region('special_funds').header_row}"].value == "3、省级专项资金（每个专项一行）"
