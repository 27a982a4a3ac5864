"""附件1 基础数据表: staff, the cost rows (三公经费 … 预算调整), 楼堂馆所, 厉行节约, signature.

The rows and columns are data, in one place: ``STAFF_FIELDS``, the cost rows above and
below the two item lists (``COST_ROWS_TOP``, ``COST_ROWS_BOTTOM``; their labels are the
model defaults, ``model.BasicData``), the money columns (``MONEY_COLUMNS``), the sums
the form implies (``COST_SUMS``) and the 楼堂馆所 fields (``BUILDING_FIELDS``).  The
function ``basic`` only places them.
"""

from __future__ import annotations

from ...core import model
from ...core.findings import Table
from ..buttons import sheet_buttons
from ..constants import BASIC_SHEET
from ..decl import Column, Computed, Input, Kind, Region, SheetLayout, Static, Style
from ..formula import EMPTY, Expr, IfBlank, Ref, fsum, udf
from ..shape import Shape
from .common import signature, year_text

#: 财政供养人员情况 (row 4): (model path, column, kind, label, style)
STAFF_FIELDS: tuple[tuple[str, str, Kind, str, Style], ...] = (
    ("staff_authorized", "B", Kind.AMOUNT, "编制数", Style.IN_NUMBER),
    ("staff_actual", "C", Kind.AMOUNT, "实际在职人数", Style.IN_NUMBER),
    ("printed_staff_rate", "D", Kind.OPT_TEXT, "控制率", Style.IN_RATE),
)
#: the money columns of a cost row: (model attribute, value column, check column, label)
MONEY_COLUMNS: tuple[tuple[str, str, str, str], ...] = (
    ("prior_actual", "B", "E", "上年决算数"),
    ("budget", "C", "F", "预算数"),
    ("actual", "D", "G", "决算数"),
)
#: the cost rows above 项目支出's item list, then those below the 省级专项资金 list
COST_ROWS_TOP = ("three_public", "vehicles", "vehicle_purchase", "vehicle_operation", "overseas", "reception", "project_total")
COST_ROWS_BOTTOM = ("public_funds", "office", "utilities_travel", "meetings_training", "procurement", "budget_adjustment")
#: the sums the form implies: row = sum of rows (项目支出 = its items and the special funds: None)
COST_SUMS: tuple[tuple[str, tuple[str, ...] | None, str], ...] = (
    ("three_public", ("vehicles", "overseas", "reception"), "三公经费"),
    ("vehicles", ("vehicle_purchase", "vehicle_operation"), "公务用车购置和维护经费"),
    ("project_total", None, "项目支出"),
)
#: 楼堂馆所 (under the header row): (model path, column, kind, label, style)
BUILDING_FIELDS: tuple[tuple[str, str, Kind, str, Style], ...] = (
    ("buildings.approved_area", "B", Kind.AMOUNT, "批复规模", Style.IN_NUMBER),
    ("buildings.actual_area", "C", Kind.AMOUNT, "实际规模", Style.IN_NUMBER),
    ("buildings.printed_area_rate", "D", Kind.OPT_TEXT, "规模控制率", Style.IN_RATE),
    ("buildings.budget_investment", "E", Kind.AMOUNT, "预算投资", Style.IN_MONEY),
    ("buildings.actual_investment", "F", Kind.AMOUNT, "实际投资", Style.IN_MONEY),
    ("buildings.printed_investment_rate", "G", Kind.OPT_TEXT, "投资概算控制率", Style.IN_RATE),
)
BUILDING_HEADER = {"B": "批复规模（㎡）", "C": "实际规模（㎡）", "D": "规模控制率", "E": "预算投资（万元）",
                   "F": "实际投资（万元）", "G": "投资概算控制率"}
#: the computed rates of 楼堂馆所: (column, actual column, planned column, model path, label)
BUILDING_RATES = (
    ("D", "C", "B", "buildings.area_rate", "规模控制率（计算）"),
    ("G", "F", "E", "buildings.investment_rate", "投资概算控制率（计算）"),
)


def _rate(row: int, actual: str, planned: str, fn: str) -> Expr:
    return IfBlank(Ref(f"{planned}{row}"), EMPTY, udf(fn, Ref(f"{actual}{row}"), Ref(f"{planned}{row}")))


def basic(shape: Shape) -> SheetLayout:
    s = SheetLayout("basic", BASIC_SHEET, Table.BASIC, root="basic",
                    widths={"A": 34, "B": 13, "C": 13, "D": 13, "E": 13, "F": 13, "G": 13, "H": 13})
    s.statics.append(Static("A1", "附件一", Style.NOTE))
    s.statics.append(Static("A2:H2", year_text("", 0, "度部门整体支出绩效评价基础数据表", ""), Style.OUT_TITLE))
    s.heights[2] = 30
    # 财政供养人员情况
    s.statics += [
        Static("A3", "财政供养人员情况（人）", Style.HEADER),
        Static("B3", "编制数", Style.HEADER),
        Static("C3", year_text("", 0, "实际在职人数", "本"), Style.OUT_HEADER),
        Static("D3", "控制率", Style.HEADER),
        Static("E3", "控制率（计算）", Style.HEADER),
        Static("A4", "", Style.LABEL),
    ]
    s.heights[3] = 30
    s.inputs += [Input(path, f"{col}4", kind, label, style) for path, col, kind, label, style in STAFF_FIELDS]
    s.computed.append(Computed("E4", _rate(4, "C", "B", "PERF_CONTROLRATE"), Style.OUT_RATE, "staff_rate", "人员控制率（计算）"))
    # 经费控制情况
    s.statics += [
        Static("A5", "经费控制情况（万元）", Style.HEADER),
        Static("B5", year_text("", -1, "决算数", "上"), Style.OUT_HEADER),
        Static("C5", year_text("", 0, "预算数", "本"), Style.OUT_HEADER),
        Static("D5", year_text("", 0, "决算数", "本"), Style.OUT_HEADER),
        Static("E5", "核算：上年决算", Style.HEADER),
        Static("F5", "核算：预算", Style.HEADER),
        Static("G5", "核算：决算", Style.HEADER),
        Static("H5", "变动率（计算）", Style.HEADER),
    ]
    s.heights[5] = 30
    defaults = model.BasicData()

    def cost_row(attr: str, row: int) -> None:
        name = getattr(defaults, attr).label
        s.inputs.append(Input(f"{attr}.label", f"A{row}", Kind.TEXT, f"{name} 行名称", Style.IN_TEXT))
        for m, col, _, label in MONEY_COLUMNS:
            s.inputs.append(Input(f"{attr}.{m}", f"{col}{row}", Kind.AMOUNT, f"{name} {label}", Style.IN_MONEY))

    def cost_cols() -> tuple[Column, ...]:
        return (Column("label", "A", Kind.TEXT, "行名称", Style.IN_TEXT),
                *(Column(m, c, Kind.AMOUNT, label, Style.IN_MONEY) for m, c, _, label in MONEY_COLUMNS))

    rows: dict[str, int] = {}
    row = 6
    for attr in COST_ROWS_TOP:
        rows[attr] = row
        cost_row(attr, row)
        row += 1
    items_cap = shape.capacity("basic.project_items")
    # no header check: the row above is 项目支出 itself, whose label is the department's text
    items = Region("project_items", row, items_cap, model.CostRow, cost_cols(), label="项目支出明细")
    s.regions.append(items)
    row += items_cap
    s.statics.append(Static(f"A{row}", "省级专项资金（每个专项一行）", Style.LABEL_LEFT))
    for col in ("B", "C", "D"):
        s.statics.append(Static(f"{col}{row}", "", Style.LABEL))
    funds_cap = shape.capacity("basic.special_funds")
    special = Region("special_funds", row + 1, funds_cap, model.CostRow, cost_cols(), label="省级专项资金",
                     header={"A": "省级专项资金（每个专项一行）"})
    s.regions.append(special)
    row += 1 + funds_cap
    for attr in COST_ROWS_BOTTOM:
        rows[attr] = row
        cost_row(attr, row)
        row += 1
    last_cost = row - 1
    for m, vcol, ccol, label in MONEY_COLUMNS:
        for total, parts, name in COST_SUMS:
            expr = (fsum(*(Ref(f"{vcol}{rows[p]}") for p in parts)) if parts is not None
                    else fsum(items.span(vcol), special.span(vcol)))
            s.computed.append(Computed(f"{ccol}{rows[total]}", expr, Style.OUT_MONEY, f"{total}.{m}_sum", f"{name}{label}（合计）"))
    tp = rows["three_public"]
    s.computed.append(Computed(f"H{tp}", _rate(tp, "D", "B", "PERF_CHANGERATE"), Style.OUT_RATE,
                               "three_public.change_rate", "三公经费变动率（计算）"))
    # the other computed-column cells stay grey
    computed_cells = {c.cell for c in s.computed}
    for r in range(6, last_cost + 1):
        for col in (*(c for _, _, c, _ in MONEY_COLUMNS), "H"):
            if f"{col}{r}" not in computed_cells:
                s.statics.append(Static(f"{col}{r}", "", Style.OUT_TEXT))
    # 楼堂馆所控制情况
    row = last_cost + 1
    s.statics.append(Static(f"A{row}", year_text("楼堂馆所控制情况（", 0, "完工项目）", "本"), Style.OUT_HEADER))
    s.statics += [Static(f"{col}{row}", text, Style.HEADER) for col, text in BUILDING_HEADER.items()]
    s.statics += [Static(f"A{row + 1}", "", Style.LABEL), Static(f"A{row + 2}", "控制率（计算）", Style.LABEL_LEFT)]
    s.heights[row] = 30
    b = row + 1
    s.inputs += [Input(path, f"{col}{b}", kind, label, style, label_ref=f"{col}{row}")
                 for path, col, kind, label, style in BUILDING_FIELDS]
    c = row + 2
    s.computed += [Computed(f"{col}{c}", _rate(b, actual, planned, "PERF_CONTROLRATE"), Style.OUT_RATE, path, label)
                   for col, actual, planned, path, label in BUILDING_RATES]
    for col in ("B", "C", "E", "F"):
        s.statics.append(Static(f"{col}{c}", "", Style.OUT_TEXT))
    row = c + 1
    s.statics.append(Static(f"A{row}", "厉行节约保障措施", Style.LABEL))
    s.inputs.append(Input("frugality", f"B{row}:H{row}", Kind.TEXT, "厉行节约保障措施", Style.IN_LONG, label_ref=f"A{row}"))
    s.heights[row] = 45
    row += 1
    s.statics.append(Static(f"A{row}:H{row}", "说明：“项目支出”需要填报基本支出以外的所有项目支出情况，"
                                            "“公用经费”填报基本支出中的一般商品和服务支出。", Style.NOTE))
    s.heights[row] = 30
    row += 1
    signature(s, row, ("A", "B", "C", "D", "E", "F", "G", "H"))
    s.print_area = f"A1:H{row}"
    s.print_rows = (1, 2)
    s.buttons += sheet_buttons("basic")
    return s
