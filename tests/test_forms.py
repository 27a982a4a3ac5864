"""The forms declared once (perfxl/core/forms.py, issue 7): the checker's sums, 其中 rows and
rates, the model's default labels and the report's annex rows all come from the declaration."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal as D

from perfxl.core import forms
from perfxl.core.checks.forms import check_cells, check_relations
from perfxl.core.forms import BASIC_TABLE, FORMS, Row, SubItems, Sum, resolve
from perfxl.core.model import BasicData, CostRow
from perfxl.core.scoring import score_evaluation

from .conftest import ROOT


def test_rows_labels_units_and_relations_as_data():
    staff = BASIC_TABLE.block("staff")
    assert [(r.path, r.label, r.kind, r.unit) for r in staff.rows] == [
        ("staff_authorized", "编制数", "count", "人"),
        ("staff_actual", "{year}年实际在职人数", "count", "人"),
        ("printed_staff_rate", "控制率", "rate", "%"),
    ]
    costs = BASIC_TABLE.block("costs")
    # the printed (Hunan) form's columns; 上年预算数 is an optional column of other templates (issue 9)
    assert [c.label for c in costs.columns if not c.optional] == ["{prior}年决算数", "{year}年预算数", "{year}年决算数"]
    assert [c.attr for c in costs.columns if c.optional] == ["prior_budget"]
    sums = [r for r in BASIC_TABLE.relations if isinstance(r, Sum)]
    assert ("three_public", ("vehicles", "overseas", "reception")) in [(s.parent, s.children) for s in sums]
    subs = [r for r in BASIC_TABLE.relations if isinstance(r, SubItems)]
    assert [(s.parent, s.children) for s in subs] == [("public_funds", ("office", "utilities_travel",
                                                                        "meetings_training"))]
    rates = {r.result: (r.numerator, r.denominator, r.rule) for f in FORMS for r in f.relations
             if isinstance(r, forms.Rate)}
    assert rates["printed_staff_rate"] == ("staff_actual", "staff_authorized", "control_rate")
    # 执行率 = 全年执行数 ÷ 全年预算数 (not 年初预算数): the rule's denominator
    assert rates["funds[0].printed_rate"] == ("funds[0].actual", "funds[0].full_year_budget", "execution_rate")


def test_model_defaults_come_from_the_forms():
    b = BasicData()
    for row in BASIC_TABLE.block("costs").rows:
        if not row.many:
            assert getattr(b, row.path).label == row.label
    assert b.vehicle_purchase.label == "其中：公车购置"


def test_every_declared_path_exists_in_the_model(example):
    for form in FORMS:
        for root, record in resolve(example, form.root):
            for row in form.rows:
                if row.path.startswith("funds["):
                    continue  # as many fund rows as the table has
                resolve(record, row.path, root)  # raises on a path the model does not have
            for rel in form.relations:
                paths = [rel.result, rel.numerator, rel.denominator] if isinstance(rel, forms.Rate) \
                    else [rel.parent, *rel.children]
                for path in paths:
                    for column in getattr(rel, "columns", ()) or ("",):
                        resolve(record, f"{path}.{column}" if column else path, root)


def test_the_checker_has_no_path_literals_for_sums_rates_or_sub_items():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "perfxl" / "core" / "checks").glob("*.py"))
    for name in ("vehicle_purchase", "vehicle_operation", "overseas", "reception", "office", "utilities_travel",
                 "meetings_training", "general_budget", "government_fund", "special_account", "printed_staff_rate",
                 "printed_area_rate", "approved_area", "funds[0].printed_rate", "funds[1"):
        assert not re.search(rf'"[^"\n]*\b{re.escape(name)}', source), name  # in no string literal


@dataclasses.dataclass
class _BasicWithRental(BasicData):
    """A province's 附件一 with one more 其中 row under 公务用车购置和维护经费."""

    vehicle_rental: CostRow = dataclasses.field(default_factory=lambda: CostRow("公车租赁"))


def _with_rental() -> forms.Form:
    """The one declaration: the row, and the child in the sum it belongs to."""
    costs = BASIC_TABLE.block("costs")
    rows = list(costs.rows)
    rows.insert(rows.index(BASIC_TABLE.row("vehicle_operation")) + 1, Row("vehicle_rental", "公车租赁"))
    relations = tuple(
        dataclasses.replace(r, children=(*r.children, "vehicle_rental"))
        if isinstance(r, Sum) and r.parent == "vehicles" else r
        for r in BASIC_TABLE.relations)
    blocks = tuple(dataclasses.replace(b, rows=tuple(rows)) if b is costs else b for b in BASIC_TABLE.blocks)
    return dataclasses.replace(BASIC_TABLE, blocks=blocks, relations=relations)


def test_a_new_sub_row_is_one_declaration(example, default_profile):
    example.basic = _BasicWithRental(**{f.name: getattr(example.basic, f.name)
                                        for f in dataclasses.fields(BasicData)})
    v = example.basic.vehicles
    # the sample's 公务用车 row adds up (购置 + 运行维护); 公车租赁 2 breaks the sum
    example.basic.vehicle_rental = CostRow("公车租赁", None, None, D(2))
    scores = score_evaluation(example, default_profile)
    before = [f for f in check_relations(example, scores, default_profile) if f.path == "basic.vehicles.actual"]
    assert before == []  # the shipped declaration does not know the row
    declared = (_with_rental(), *FORMS[1:])
    after = [f for f in check_relations(example, scores, default_profile, forms=declared)
             if f.path == "basic.vehicles.actual"]
    assert [(f.code, f.location) for f in after] == [("SUM_MISMATCH", "公务用车购置和维护经费（决算数）")]
    assert "公车租赁" in after[0].message and after[0].actual == f"{v.actual:.2f}"
    # and its cells are judged like every declared cell
    example.basic.vehicle_rental = CostRow("公车租赁", "两万", None, None)
    cells = [f for f in check_cells(example, scores, default_profile, forms=declared)
             if f.path.startswith("basic.vehicle_rental")]
    assert [(f.code, f.path, f.location) for f in cells] == [
        ("NOT_A_NUMBER", "basic.vehicle_rental.prior_actual", "公车租赁 上年决算数")]


def test_sub_items_may_be_a_selection_or_a_sum_by_declaration(example, default_profile):
    """其中 rows of 公用经费 need not add up; a province whose rows must is one changed relation."""
    scores = score_evaluation(example, default_profile)
    assert not [f for f in check_relations(example, scores, default_profile) if f.path.startswith("basic.public_funds")]
    summed = dataclasses.replace(BASIC_TABLE, relations=tuple(
        Sum(r.parent, r.children, r.columns) if isinstance(r, SubItems) else r for r in BASIC_TABLE.relations))
    found = [f for f in check_relations(example, scores, default_profile, forms=(summed,))
             if f.path.startswith("basic.public_funds")]
    assert found and {f.code for f in found} <= {"SUM_MISMATCH", "SUM_ROUNDING"}


def test_terms_give_the_cells_a_sheet_formula_adds_up():
    vehicles = next(r for r in BASIC_TABLE.relations if isinstance(r, Sum) and r.parent == "vehicles")
    assert vehicles.terms()[1] == ("vehicles.budget", ("vehicle_purchase.budget", "vehicle_operation.budget"))
    by_source = forms.OVERALL_TABLE.relations[0]
    assert by_source.terms() == [("funds[0].actual", ("general_budget", "government_fund", "special_account",
                                                      "other_funds"))]
