"""The one declaration of PerfEval.xlsm: every sheet, every cell, every formula.

The builder renders it, the reader reads through it, the xlwings entry points and
the tests look cells up in it; nothing else names a cell address.  The sheets follow
the three annex tables of the sample (``shared/seeds``, domain.md "The three annex
tables"): 附件一 基础数据表, 附件二 整体自评表 and one 附件三 项目自评表 per project,
plus 基本情况 (the report's data that no annex holds), 自评报告 (the department's own
texts), 校验结果 (filled by the 校验数据 button) and 填表说明.

Where things are
----------------
* ``workbook_layout(shape)`` gives a ``WorkbookLayout``; ``LAYOUT`` is the one for the
  default shape (one project, default capacities), ``layout_for(evaluation)`` the one
  the builder uses for *evaluation*.
* ``WorkbookLayout.locate(path)`` → ``(sheet, cell)`` for a model path such as
  ``"overall.funds[0].printed_rate"``, ``"projects[0].indicators[1].target"``,
  ``"basic.project_items[0].actual"`` or ``"overall.level1_weights.产出指标"``; a
  path to a row or a record gives its first cell.  Computed cells have paths too
  (``"overall.funds[0].rule_score"``, ``"overall.indicators[3].rule_score"``,
  ``"overall.rule_total"``, ``"overall.rule_grade"`` …, see ``Computed.path``).
* Every single field has a defined name (its model path: ``overall.unit_name``; on a
  project sheet a sheet-scoped ``project.name``) and every variable-length part is a
  ``Region`` with a defined name covering its rows (``overall.indicators``).  Excel
  moves the names when rows are inserted or deleted, so the reader follows them.

Expansion rule of a region
--------------------------
A region has ``capacity`` rows (``DEFAULT_CAPACITY``, or more when the data has more
items: ``capacity = max(default, len(items))``).  Every sum over a region covers the
whole region, so rows inserted inside it (Excel widens the name and the sums) are
counted; the per-row formulas of a new row come from ``Region.row_formulas`` (the
重新计算 button writes them).  Reading drops the trailing rows that are entirely empty
and keeps empty rows in between.

Modules
-------
This module is the entry point and keeps the workbook-wide parts (``WorkbookLayout``,
``workbook_layout``, ``layout_for``, ``cell_map``, ``locate_in``, ``blank_evaluation``);
it re-exports the rest so that ``layout.<name>`` keeps working everywhere:

* ``constants`` — sheet names, the xlwings version, the UDF and entry-point modules;
* ``buttons``   — the one button list (``ACTIONS``) and what is generated from it;
* ``a1``        — A1 addresses;  ``formula`` — the formula language (``Expr`` …);
* ``decl``      — the declaration types (``Static``, ``Input``, ``Computed``, ``Region`` …);
* ``shape``     — ``Shape``, region capacities, ``shape_for``;
* ``sheets/``   — one builder per sheet group (general, basic, performance, support);
  the annex sheets render the rows, labels, sums and rates of ``perfxl.core.forms``
  (``sheets/render.py`` translates) and keep only positions and styling.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from ..core import forms, model
from .a1 import cell_at, col_index, col_letters, quote_sheet, shift_col, split_cell
from .buttons import ACTIONS, ENTRY_POINTS, Action, Button, action
from .constants import (
    BASIC_SHEET,
    CONF_SHEET,
    ENTRY_MODULE,
    FINDINGS_SHEET,
    GENERAL_SHEET,
    GUIDE_SHEET,
    OVERALL_SHEET,
    PROJECT_SHEET,
    REPORT_SHEET,
    UDF_MODULE,
    XLWINGS_VERSION,
    project_sheet_name,
)
from .decl import (
    LEVEL2_ALL,
    TIERS,
    Check,
    Column,
    Computed,
    Input,
    Kind,
    Output,
    Region,
    RowFormula,
    SheetLayout,
    Static,
    Style,
    item_value,
)
from .formula import EMPTY, Call, Concat, Expr, IfBlank, Lit, Native, Plus, Ref, Rng, fsum, udf
from .shape import DEFAULT_CAPACITY, FIXED_REGIONS, CapacityError, Shape, capacity_key, shape_for
from .sheets.basic import basic
from .sheets.common import PROFILE, YEAR
from .sheets.general import general
from .sheets.performance import overall, project
from .sheets.support import (
    FINDINGS_COLUMNS,
    FINDINGS_FIRST_ROW,
    GUIDE_LINES,
    SUGGESTION_ROWS,
    conf,
    findings,
    guide,
    report,
)

__all__ = [
    "ACTIONS", "BASIC_SHEET", "CONF_SHEET", "DEFAULT_CAPACITY", "EMPTY", "ENTRY_MODULE", "ENTRY_POINTS", "FINDINGS_COLUMNS",
    "FINDINGS_FIRST_ROW", "FINDINGS_SHEET", "FIXED_REGIONS", "GENERAL_SHEET", "GUIDE_LINES", "GUIDE_SHEET", "LAYOUT",
    "LEVEL2_ALL", "OVERALL_SHEET", "PROJECT_SHEET", "REPORT_SHEET", "SUGGESTION_ROWS", "TIERS", "UDF_MODULE",
    "XLWINGS_VERSION", "Action", "Button", "Call", "CapacityError", "Check", "Column", "Computed", "Concat", "Expr",
    "IfBlank", "Input", "Kind", "Lit", "Native", "Output", "Plus", "Ref", "Region", "Rng", "RowFormula", "Shape", "SheetLayout",
    "Static", "Style", "WorkbookLayout", "action", "blank_evaluation", "capacity_key", "cell_at", "cell_map", "col_index",
    "col_letters", "fsum", "item_path", "item_value", "layout_for", "locate_in", "project_sheet_name", "quote_sheet",
    "shape_for", "shift_col", "split_cell", "udf", "workbook_layout",
]

# --------------------------------------------------------------------------- the workbook


@dataclass
class WorkbookLayout:
    """All sheets, in workbook order, for one ``Shape``."""

    shape: Shape
    sheets: list[SheetLayout]
    _cells: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._cells = cell_map(self.sheets)

    def sheet(self, key_or_name: str) -> SheetLayout:
        for s in self.sheets:
            if s.name == key_or_name or s.key == key_or_name:
                return s
        raise KeyError(key_or_name)

    @property
    def projects(self) -> list[SheetLayout]:
        return [s for s in self.sheets if s.key == "project"]

    def locate(self, path: str) -> tuple[str, str] | None:
        """(sheet, cell) of a model path (or of its first cell, for a row/record), or None."""
        return locate_in(self._cells, path)


def workbook_layout(shape: Shape | None = None, declared: Sequence[forms.Form] = forms.FORMS) -> WorkbookLayout:
    """The layout for *shape* (default: one project sheet, default capacities), the annexes
    rendered from the *declared* forms (default: the shipped ``forms.FORMS``; a province's
    variant or a test passes its own)."""
    shape = shape if shape is not None else Shape()
    form = {f.key: f for f in declared}
    first = general(shape)
    cells = {f.path: f.cell for f in first.inputs}
    assert (cells["year"], cells["profile"]) == (YEAR.cell, PROFILE.cell), "move sheets.common.YEAR/PROFILE with the fields"
    sheets = [guide(), first, basic(shape, form["basic"]), overall(shape, form["overall"])]
    sheets += [project(shape, i, form["project"]) for i in range(shape.projects)]
    sheets += [findings(), report(shape), conf()]
    return WorkbookLayout(shape, sheets)


@cache
def _cached_layout(shape: Shape) -> WorkbookLayout:
    return workbook_layout(shape)


def layout_for(evaluation: model.Evaluation | None) -> WorkbookLayout:
    return _cached_layout(shape_for(evaluation) if evaluation is not None else Shape())


def item_path(sheet: SheetLayout, region: Region, index: int, key: str | None = None) -> str:
    """The model path of row *index* of *region* (``key`` for a dict region)."""
    base = sheet.full_path(region.path)
    if region.item is dict:
        return f"{base}.{key}" if key is not None else f"{base}#{index}"
    return f"{base}[{index}]"


def cell_map(sheets: Sequence[SheetLayout], regions_first: Mapping[tuple[str, str], tuple[int, int]] | None = None,
             names: Mapping[tuple[str, str], str] | None = None, dict_keys: Mapping[tuple[str, str], Sequence[str]] | None = None,
             sheet_names: Mapping[str, str] | None = None) -> dict[str, tuple[str, str]]:
    """Model path → (sheet, cell) for *sheets*.

    The reader passes where it actually found things: ``regions_first`` {(sheet key
    name, region path): (first_row, rows)}, ``names`` {(sheet, rel path): cell} for the
    single fields and ``dict_keys`` for the keys of dict regions; the defaults are the
    declaration's own cells.
    """
    out: dict[str, tuple[str, str]] = {}

    def put(path: str, sheet: str, cell: str) -> None:
        out.setdefault(path, (sheet, cell))
        # a row or a record is located at its first cell
        while True:
            cut = max(path.rfind("."), path.rfind("["), path.rfind("#"))
            if cut <= 0:
                break
            path = path[:cut]
            out.setdefault(path, (sheet, cell))

    for s in sheets:
        sheet_name = (sheet_names or {}).get(s.name, s.name)
        for f in s.inputs:
            cell = (names or {}).get((s.name, f.path), f.cell)
            put(s.full_path(f.path), sheet_name, cell)
        for r in s.regions:
            first, rows = (regions_first or {}).get((s.name, r.path), (r.first_row, r.capacity))
            keys = list((dict_keys or {}).get((s.name, r.path), r.default_keys))
            for i in range(rows):
                row = first + i
                for c in r.columns:
                    if r.item is dict:
                        if c.kind is Kind.KEY or i >= len(keys):
                            continue
                        put(item_path(s, r, i, keys[i]), sheet_name, cell_at(c.col, row))
                    elif c.attr is None:
                        put(item_path(s, r, i), sheet_name, cell_at(c.col, row))
                    else:
                        put(f"{item_path(s, r, i)}.{c.attr}", sheet_name, cell_at(c.col, row))
                for rf in r.formulas:
                    put(f"{item_path(s, r, i)}.{rf.attr}", sheet_name, cell_at(rf.col, row))
        for comp in s.computed:
            if comp.path:
                put(s.full_path(comp.path), sheet_name, (names or {}).get((s.name, comp.path), comp.cell))
    return out


def locate_in(cells: Mapping[str, tuple[str, str]], path: str) -> tuple[str, str] | None:
    if path in cells:
        return cells[path]
    # an unknown attribute of a known row (e.g. "…indicators[3].direction") → the row
    while True:
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            return None
        path = path[:cut]
        if path in cells:
            return cells[path]


# --------------------------------------------------------------------------- the blank template


def blank_evaluation() -> model.Evaluation:
    """What the blank template shows: the forms' own row labels, no numbers."""
    ev = model.Evaluation()
    ev.basic.project_items = [model.CostRow("1、业务工作经费"), model.CostRow("2、运行维护经费")]

    def table(t: model.PerformanceTable, labels: Sequence[str]) -> None:
        t.funds = [model.FundRow(label) for label in labels]
        t.level1_weights = {}
        t.indicators = [model.Indicator(level1=l1, level2=l2) for l1, names in model.LEVEL2_NAMES.items() for l2 in names]

    table(ev.overall, [r.label for r in forms.OVERALL_TABLE.block("funds").rows])
    project = model.ProjectTable()
    table(project, forms.PROJECT_FUND_LABELS)
    ev.projects = [project]
    return ev


#: the layout of the blank template (one project sheet, default capacities)
LAYOUT = _cached_layout(Shape())
