"""附件1 基础数据表, rendered from ``perfxl.core.forms.BASIC_TABLE``: staff, the cost rows,
楼堂馆所, 厉行节约, signature.

The rows, labels, kinds, the sums and the rates are the form's (``basic(shape, form)``
takes the form, the shipped ``BASIC_TABLE`` by default); this module keeps only where
they go and how they look:

* 财政供养人员情况 and 楼堂馆所: the block's rows side by side from column B, headings
  above the values; a computed rate (``forms.Rate``) in the check columns from L, on
  the block's rows;
* 经费控制情况: one row per ``Row`` in form order from row 6, the form's printed columns
  from column B, then (from L) one "核算：…" check column per form column holding the ``Sum``\\ s
  (``Sum.terms()``: parent row, check column of the parent's column = SUM of the
  children's cells; a "[*]" child is its whole region, so inserted rows are counted),
  then 变动率（计算）, then the optional columns (``forms.Column.optional``: 上年预算数, an
  input right of the printed form, so the Hunan form prints as before);  a ``many`` row
  is a ``Region`` (a ``before`` text gets a row of its own above it and is the region's
  header; the report's "……" placeholder is not printed: the region has rows for it);
* 厉行节约保障措施: one long text cell B:H.

Printing (issue 10, item 5): the print area is the form, columns A:H (``FORM_COLS``;
楼堂馆所 has six value columns, the other blocks' unused form cells are blank), landscape;
every computed column is right of it and of the buttons (J:K), from L (``CHECK_COL``), so that nothing of the
sheet's own checks prints.

So a 其中 row added to the form's ``costs`` block appears in its place, with its label,
its inputs and its term in the parent's SUM, without a change here.  Not rendered:
``SubItems`` (其中 rows that need not add up have no formula; the checker judges them)
and the 变动率 is the sheet's own (not a form relation; its basis is the profile's).
"""

from __future__ import annotations

from ...core import forms, model
from ...core.findings import Table
from ..a1 import shift_col
from ..buttons import sheet_buttons
from ..constants import BASIC_SHEET
from ..decl import Column, Computed, Input, Kind, Region, SheetLayout, Static, Style
from ..formula import EMPTY, Expr, Ref
from ..shape import Shape
from . import native
from .common import one_page, signature, title_text
from .render import (
    cell_kind,
    check_header,
    computed_path,
    header_style,
    input_check,
    input_style,
    printed,
    rate_expr,
    relations,
    sum_expr,
)

#: the label column, and the first value column of every block
LABEL_COL, FIRST_COL = "A", "B"
#: the heading rows of 财政供养人员情况 and 经费控制情况 (their values start one row below)
STAFF_HEAD, COSTS_HEAD = 3, 5
#: the sheet's columns (the value and check columns of 经费控制情况 and 变动率 are in A:H)
WIDTHS = {"A": 34, "B": 13, "C": 13, "D": 13, "E": 13, "F": 13, "G": 13, "H": 13, "I": 3,
          "J": 9, "K": 9, "L": 13, "M": 13, "N": 13, "O": 13, "P": 13, "Q": 15}
#: the printed form's columns; the computed (check) columns start at CHECK_COL
FORM_COLS = ("A", "B", "C", "D", "E", "F", "G", "H")
ALL_COLS = FORM_COLS
#: (the sheet's buttons are in J:K, right of the form)
CHECK_COL = "L"


def _across(s: SheetLayout, block: forms.Block, head: int, label_ref: bool) -> dict[str, str]:
    """The rows of *block* side by side from column B: a heading on row *head*, the values
    one row below; {path: cell}."""
    cols = {r.path: shift_col(FIRST_COL, i) for i, r in enumerate(block.rows)}
    s.statics += [Static(f"{cols[r.path]}{head}", printed(r.label), header_style(r.label)) for r in block.rows]
    s.inputs += [Input(r.path, f"{cols[r.path]}{head + 1}", cell_kind(r.kind), r.name, input_style(r.kind),
                       input_check(r.kind), label_ref=f"{cols[r.path]}{head}" if label_ref else None)
                 for r in block.rows]
    return {path: f"{col}{head + 1}" for path, col in cols.items()}


def _blank(s: SheetLayout, first: str, head: int, last_row: int) -> None:
    """The form's unused cells from column *first* to H, on rows *head* (a heading) to *last_row*."""
    if first not in FORM_COLS:
        return
    ref = (lambda r: f"{first}{r}") if first == FORM_COLS[-1] else (lambda r: f"{first}{r}:{FORM_COLS[-1]}{r}")
    s.statics += [Static(ref(r), "", Style.HEADER if r == head else Style.LABEL) for r in range(head, last_row + 1)]


def _rates(form: forms.Form, block: forms.Block) -> list[forms.Rate]:
    paths = {r.path for r in block.rows}
    return [rate for rate in relations(form, forms.Rate) if rate.result in paths]


def _staff(s: SheetLayout, form: forms.Form) -> None:
    block = form.block("staff")
    s.statics.append(Static(f"{LABEL_COL}{STAFF_HEAD}", block.title, Style.HEADER))
    cells = _across(s, block, STAFF_HEAD, label_ref=False)
    rates = _rates(form, block)
    _blank(s, shift_col(FIRST_COL, len(block.rows)), STAFF_HEAD, STAFF_HEAD + 1)
    for i, rate in enumerate(rates):
        col = shift_col(CHECK_COL, i)
        s.statics.append(Static(f"{col}{STAFF_HEAD}", f"{form.row(rate.result).label}（计算）", Style.HEADER))
        s.computed.append(Computed(f"{col}{STAFF_HEAD + 1}", rate_expr(rate, cells.__getitem__), Style.OUT_RATE,
                                   computed_path(rate.result), f"{rate.label}（计算）"))
    s.statics.append(Static(f"{LABEL_COL}{STAFF_HEAD + 1}", "", Style.LABEL))
    s.heights[STAFF_HEAD] = 30


def _costs(s: SheetLayout, shape: Shape, form: forms.Form) -> int:
    """经费控制情况 from its heading row; the last row of it."""
    block = form.block("costs")
    printed_cols = [c for c in block.columns if not c.optional]
    n = len(printed_cols)
    value_col = {c.attr: shift_col(FIRST_COL, i) for i, c in enumerate(printed_cols)}
    check_col = {c.attr: shift_col(CHECK_COL, i) for i, c in enumerate(block.columns)}
    change_col = shift_col(CHECK_COL, len(block.columns))
    # an optional column (上年预算数: not on the printed form) is an input right of the check columns
    value_col.update({c.attr: shift_col(change_col, 1 + i) for i, c in enumerate(c for c in block.columns if c.optional)})
    head = COSTS_HEAD
    s.statics.append(Static(f"{LABEL_COL}{head}", block.title, Style.HEADER))
    s.statics += [Static(f"{value_col[c.attr]}{head}", printed(c.label), header_style(c.label)) for c in printed_cols]
    s.statics += [Static(f"{value_col[c.attr]}{head}", printed(c.label + "（选填）"), header_style(c.label))
                  for c in block.columns if c.optional]
    s.statics += [Static(f"{check_col[c.attr]}{head}", check_header(c), Style.HEADER) for c in block.columns]
    s.statics.append(Static(f"{change_col}{head}", "变动率（计算）", Style.HEADER))
    s.heights[head] = 30
    region_cols = (Column("label", LABEL_COL, Kind.TEXT, "行名称", Style.IN_TEXT),
                   *(Column(c.attr, value_col[c.attr], cell_kind(c.kind), c.short, input_style(c.kind))
                     for c in block.columns))
    rows: dict[str, int] = {}
    regions: dict[str, Region] = {}
    row = head + 1
    for r in block.rows:
        if r.many:
            header: dict[str, str] = {}
            if r.before:
                s.statics.append(Static(f"{LABEL_COL}{row}", r.before, Style.LABEL_LEFT))
                s.statics += [Static(f"{value_col[c.attr]}{row}", "", Style.LABEL) for c in printed_cols]
                header = {LABEL_COL: r.before}
                row += 1
            path = r.path.removesuffix("[*]")
            # without a ``before`` text, no header check: the row above is a row of the form
            # whose label is the department's text
            region = Region(path, row, shape.capacity(s.full_path(path)), model.CostRow, region_cols,
                            header=header, label=r.label)
            s.regions.append(region)
            regions[r.path] = region
            row += region.capacity
            continue
        rows[r.path] = row
        s.inputs.append(Input(f"{r.path}.label", f"{LABEL_COL}{row}", Kind.TEXT, f"{r.label} 行名称", Style.IN_TEXT))
        s.inputs += [Input(f"{r.path}.{c.attr}", f"{value_col[c.attr]}{row}", cell_kind(c.kind), f"{r.label} {c.short}",
                           input_style(c.kind)) for c in block.columns]
        row += 1
    last = row - 1
    _blank(s, shift_col(FIRST_COL, n), head, last)

    def term(path: str) -> Expr:
        at, _, attr = path.rpartition(".")
        if at in regions:
            return regions[at].span(value_col[attr])
        return Ref(f"{value_col[attr]}{rows[at]}")

    columns = {c.attr: c for c in block.columns}
    order = list(columns)
    terms = [t for total in relations(form, forms.Sum) if total.parent in rows for t in total.terms()]
    for parent, children in sorted(terms, key=lambda t: order.index(t[0].rpartition(".")[2])):
        at, _, attr = parent.rpartition(".")
        s.computed.append(Computed(f"{check_col[attr]}{rows[at]}", sum_expr(children, term), Style.OUT_MONEY,
                                   f"{parent}_sum", f"{form.row(at).name}{columns[attr].short}（合计）"))
    # the sheet's own: 三公经费 against the year before on the profile's columns (not a form relation)
    tp = rows["three_public"]

    def cell(attr: str) -> Expr:  # 上年预算数 is an optional column
        return Ref(f"{value_col[attr]}{tp}") if attr in value_col else EMPTY

    change = native.change_rate(cell("actual"), cell("budget"), cell("prior_actual"), cell("prior_budget"),
                                native.workbook_rules())
    s.computed.append(Computed(f"{change_col}{tp}", change, Style.OUT_RATE, "three_public.change_rate", "三公经费变动率（计算）"))
    # the other computed-column cells stay grey
    computed_cells = {c.cell for c in s.computed}
    for r_ in range(head + 1, last + 1):
        for col in (*check_col.values(), change_col):
            if f"{col}{r_}" not in computed_cells:
                s.statics.append(Static(f"{col}{r_}", "", Style.OUT_TEXT))
    return last


def _buildings(s: SheetLayout, form: forms.Form, head: int) -> int:
    """楼堂馆所 from its heading row *head*: headings and values, the computed rates in the
    check columns; the next row."""
    block = form.block("buildings")
    s.statics.append(Static(f"{LABEL_COL}{head}", printed(block.title), header_style(block.title)))
    cells = _across(s, block, head, label_ref=True)
    s.statics.append(Static(f"{LABEL_COL}{head + 1}", "", Style.LABEL))
    s.heights[head] = 30
    for i, rate in enumerate(_rates(form, block)):
        col = shift_col(CHECK_COL, i)
        s.statics.append(Static(f"{col}{head}", f"{form.row(rate.result).label}（计算）", Style.HEADER))
        s.computed.append(Computed(f"{col}{head + 1}", rate_expr(rate, cells.__getitem__), Style.OUT_RATE,
                                   computed_path(rate.result), f"{rate.label}（计算）"))
    _blank(s, shift_col(FIRST_COL, len(block.rows)), head, head + 1)
    return head + 2


def basic(shape: Shape, form: forms.Form = forms.BASIC_TABLE) -> SheetLayout:
    s = SheetLayout("basic", BASIC_SHEET, Table.BASIC, root=form.root, widths=dict(WIDTHS), landscape=True)
    s.statics.append(Static("A1", form.number, Style.NOTE))
    s.statics.append(Static(f"A2:{ALL_COLS[-1]}2", title_text(form.title), Style.OUT_TITLE))
    s.heights[2] = 30
    _staff(s, form)
    row = _buildings(s, form, _costs(s, shape, form) + 1)
    text = form.block("frugality").rows[0]
    s.statics.append(Static(f"A{row}", text.label, Style.LABEL))
    s.inputs.append(Input(text.path, f"B{row}:{ALL_COLS[-1]}{row}", cell_kind(text.kind), text.name, Style.IN_LONG,
                          label_ref=f"A{row}"))
    s.heights[row] = 45
    row += 1
    s.statics.append(Static(f"A{row}:{ALL_COLS[-1]}{row}", forms.BASIC_NOTE, Style.NOTE))
    s.heights[row] = 30
    row += 1
    signature(s, row, ALL_COLS)
    s.print_area = f"A1:{ALL_COLS[-1]}{row}"
    s.print_rows = (1, 2)
    one_page(s)
    s.buttons += sheet_buttons("basic")
    return s
