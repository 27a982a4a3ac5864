"""附件2 整体自评表 and 附件3 项目自评表: what they share (funds, goals, 一级指标分值,
indicators, totals, grades, signature) and the head of each.

The columns and rows are data, in one place: ``FUND_COLUMNS`` and ``FUND_FORMULAS`` (the
fund rows), ``INCOME_ROWS`` and ``SPENDING_ROWS`` (附件2's 其中 rows),
``LEVEL1_COLUMNS``, ``INDICATOR_COLUMNS`` and ``INDICATOR_FORMULAS``, and the head
fields of each sheet (``OVERALL_HEAD``, ``PROJECT_HEAD``).  ``performance`` only
places them.
"""

from __future__ import annotations

from ...core import model
from ...core.findings import Table
from ..a1 import split_cell
from ..buttons import sheet_buttons
from ..constants import OVERALL_SHEET, project_sheet_name
from ..decl import Check, Column, Computed, Input, Kind, Region, RowFormula, SheetLayout, Static, Style
from ..formula import EMPTY, Call, IfBlank, Ref, Rng, fsum, udf
from ..shape import Shape
from .common import PROFILE, YEAR, signature, year_text

PERF_WIDTHS = {"A": 11, "B": 15, "C": 15, "D": 26, "E": 13, "F": 13, "G": 9, "H": 9, "I": 11, "J": 26, "K": 22}

#: the fund rows: header {column: text} and the input columns
FUND_HEADER = {"C": "年初预算数", "D": "全年预算数", "E": "全年执行数", "F": "分值", "G": "执行率", "H": "自评得分",
               "I": "执行率得分（计算）", "J": "执行率（计算）"}
FUND_COLUMNS = (
    Column("label", "B", Kind.TEXT, "资金行名称", Style.IN_TEXT),
    Column("initial_budget", "C", Kind.AMOUNT, "年初预算数", Style.IN_MONEY),
    Column("full_year_budget", "D", Kind.AMOUNT, "全年预算数", Style.IN_MONEY),
    Column("actual", "E", Kind.AMOUNT, "全年执行数", Style.IN_MONEY),
    Column("weight", "F", Kind.AMOUNT, "分值", Style.IN_NUMBER, Check.WEIGHT),
    Column("printed_rate", "G", Kind.OPT_TEXT, "执行率", Style.IN_RATE),
    Column("self_score", "H", Kind.AMOUNT, "自评得分", Style.IN_NUMBER, Check.WEIGHT),
)
FUND_FORMULAS = (
    RowFormula("rule_score", "I", lambda r: IfBlank(Ref(f"F{r}"), EMPTY, udf(
        "PERF_BUDGETSCORE", Ref(f"E{r}"), Ref(f"D{r}"), Ref(f"F{r}"), PROFILE)), Style.OUT_SCORE, "执行率得分（计算）"),
    RowFormula("execution_rate", "J", lambda r: IfBlank(Ref(f"D{r}"), EMPTY, udf(
        "PERF_EXECRATE", Ref(f"E{r}"), Ref(f"D{r}"))), Style.OUT_RATE, "执行率（计算）"),
)
#: 附件2's 其中 rows under the fund row: (model path, label as printed)
INCOME_ROWS = (("general_budget", "其中：一般公共预算"), ("government_fund", "政府性基金拨款"),
               ("special_account", "纳入专户管理的非税收入拨款"), ("other_funds", "其他资金"))
SPENDING_ROWS = (("basic_expenditure", "其中：基本支出"), ("project_expenditure", "项目支出"))
#: (model path, label, style) of the 年度总体目标 texts: 预期目标 in B:E, 实际完成情况 in F:K
GOALS = (("goal_expected", "预期目标", "B", "E"), ("goal_actual", "实际完成情况", "F", "K"))
LEVEL1_HEADER = {"B": "一级指标", "C": "分值", "D": "三级指标分值合计（计算）"}
LEVEL1_COLUMNS = (
    Column(None, "B", Kind.KEY, "一级指标", Style.IN_TEXT, Check.LEVEL1),
    Column("weight", "C", Kind.AMOUNT, "一级指标分值", Style.IN_NUMBER, Check.WEIGHT),
)
INDICATOR_HEADER = {"B": "一级指标", "C": "二级指标", "D": "三级指标", "E": "年度指标值", "F": "实际完成值", "G": "分值",
                    "H": "自评得分", "I": "规则得分（计算）", "J": "偏差原因分析及改进措施", "K": "完成档次（定性指标）"}
INDICATOR_COLUMNS = (
    Column("level1", "B", Kind.TEXT, "一级指标", Style.IN_TEXT, Check.LEVEL1),
    Column("level2", "C", Kind.TEXT, "二级指标", Style.IN_TEXT, Check.LEVEL2),
    Column("name", "D", Kind.TEXT, "三级指标", Style.IN_LONG),
    Column("target", "E", Kind.TEXT, "年度指标值", Style.IN_RATE),
    Column("actual", "F", Kind.TEXT, "实际完成值", Style.IN_RATE),
    Column("weight", "G", Kind.AMOUNT, "分值", Style.IN_NUMBER, Check.WEIGHT),
    Column("self_score", "H", Kind.AMOUNT, "自评得分", Style.IN_NUMBER, Check.WEIGHT),
    Column("deviation", "J", Kind.TEXT, "偏差原因分析及改进措施", Style.IN_LONG),
    Column("tier", "K", Kind.TEXT, "完成档次", Style.IN_TEXT, Check.TIER),
)
INDICATOR_FORMULAS = (
    RowFormula("rule_score", "I", lambda r: IfBlank(Ref(f"G{r}"), EMPTY, udf(
        "PERF_SCORE", Ref(f"E{r}"), Ref(f"F{r}"), Ref(f"G{r}"), Ref(f"K{r}"), PROFILE, Ref(f"H{r}"),
        YEAR)), Style.OUT_SCORE, "规则得分（计算）"),
)
#: the head of each sheet: (label range, model path, value range, label)
OVERALL_HEAD = (("A3:B3", "unit_name", "C3:K3", "预算部门、单位名称"),)
PROJECT_HEAD = (("A3:B3", "name", "C3:K3", "项目支出名称"), ("A4:B4", "competent_department", "C4:F4", "主管部门"),
                ("G4:H4", "implementing_unit", "I4:K4", "实施单位"))


def _funds(s: SheetLayout, shape: Shape, row: int, overall: bool) -> int:
    """The fund rows (and on 附件2 the 其中 rows with their totals) from the header at *row*; the next row."""
    head = row
    s.statics.append(Static(f"B{head}", "", Style.HEADER))
    s.statics += [Static(f"{col}{head}", text, Style.HEADER) for col, text in FUND_HEADER.items()]
    s.statics.append(Static(f"K{head}", "", Style.HEADER))
    s.heights[head] = 30
    funds = Region("funds", head + 1, shape.capacity(s.full_path("funds")), model.FundRow, FUND_COLUMNS, FUND_FORMULAS,
                   header=FUND_HEADER, label="资金")
    s.regions.append(funds)
    s.statics += [Static(f"K{r}", "", Style.LABEL) for r in range(funds.first_row, funds.last_row + 1)]
    row = funds.last_row + 1
    if overall:
        s.statics += [Static(f"B{row}:D{row}", "按收入性质分：", Style.LABEL_LEFT), Static(f"E{row}:H{row}", "按支出性质分：", Style.LABEL_LEFT),
                      Static(f"I{row}:K{row}", "", Style.LABEL)]
        first = row + 1
        for i, (attr, label) in enumerate(INCOME_ROWS):
            r = first + i
            s.statics.append(Static(f"B{r}:C{r}", label, Style.LABEL_LEFT))
            s.inputs.append(Input(attr, f"D{r}", Kind.AMOUNT, label.removeprefix("其中："), Style.IN_MONEY, label_ref=f"B{r}"))
            if i < len(SPENDING_ROWS):
                attr, label = SPENDING_ROWS[i]
                s.statics.append(Static(f"E{r}:F{r}", label, Style.LABEL_LEFT))
                s.inputs.append(Input(attr, f"G{r}", Kind.AMOUNT, label.removeprefix("其中："), Style.IN_MONEY, label_ref=f"E{r}"))
            else:
                s.statics.append(Static(f"E{r}:G{r}", "", Style.LABEL))
            s.statics.append(Static(f"H{r}:K{r}", "", Style.LABEL))
        total = first + len(INCOME_ROWS)
        s.statics += [Static(f"B{total}:C{total}", "合计（计算）", Style.LABEL_LEFT), Static(f"E{total}:F{total}", "合计（计算）", Style.LABEL_LEFT),
                      Static(f"H{total}:K{total}", "", Style.LABEL)]
        s.computed += [
            Computed(f"D{total}", fsum(Rng(f"D{first}", f"D{first + len(INCOME_ROWS) - 1}")), Style.OUT_MONEY, "income_total",
                     "按收入性质分合计（计算）"),
            Computed(f"G{total}", fsum(Rng(f"G{first}", f"G{first + len(SPENDING_ROWS) - 1}")), Style.OUT_MONEY, "spending_total",
                     "按支出性质分合计（计算）"),
        ]
        row = total + 1
    s.statics.append(Static(f"A{head}:A{row - 1}", "年度预算申请（万元）" if overall else "项目资金（万元）", Style.HEADER))
    return row


def performance(s: SheetLayout, shape: Shape, row: int, overall: bool) -> None:
    """What 附件二 and 附件三 share, from the fund header at *row* to the signature."""
    row = _funds(s, shape, row, overall)
    funds = s.region("funds")
    # 年度总体目标
    s.statics.append(Static(f"A{row}:A{row + 1}", "年度总体目标", Style.HEADER))
    s.statics += [Static(f"{c1}{row}:{c2}{row}", label, Style.HEADER) for _, label, c1, c2 in GOALS]
    s.inputs += [Input(path, f"{c1}{row + 1}:{c2}{row + 1}", Kind.TEXT, label, Style.IN_LONG, label_ref=f"{c1}{row}")
                 for path, label, c1, c2 in GOALS]
    s.heights[row + 1] = 66
    row += 2
    # 一级指标分值
    head = row
    s.statics += [Static(f"{col}{head}", text, Style.HEADER) for col, text in LEVEL1_HEADER.items()]
    s.statics.append(Static(f"E{head}:K{head}", "一级指标分值即表头“产出指标（50 分）”中的分值；三级指标分值之和应与之相等。", Style.LABEL_LEFT))
    l1 = Region("level1_weights", head + 1, shape.capacity(s.full_path("level1_weights")), dict, LEVEL1_COLUMNS,
                header=LEVEL1_HEADER, label="一级指标分值", default_keys=model.LEVEL1_NAMES)
    s.regions.append(l1)
    row = l1.last_row + 1
    s.statics.append(Static(f"A{head}:A{row - 1}", "一级指标分值", Style.HEADER))
    s.statics += [Static(f"E{r}:K{r}", "", Style.LABEL) for r in range(l1.first_row, l1.last_row + 1)]
    # 绩效指标
    head = row
    s.statics += [Static(f"{col}{head}", text, Style.HEADER) for col, text in INDICATOR_HEADER.items()]
    s.heights[head] = 30
    ind = Region("indicators", head + 1, shape.capacity(s.full_path("indicators")), model.Indicator, INDICATOR_COLUMNS,
                 INDICATOR_FORMULAS, header=INDICATOR_HEADER, label="绩效指标")
    s.regions.append(ind)
    row = ind.last_row + 1
    s.statics.append(Static(f"A{head}:A{row - 1}", "绩效指标", Style.HEADER))
    # the 一级 sums need the indicator region
    for r in range(l1.first_row, l1.last_row + 1):
        s.computed.append(Computed(f"D{r}", Call("SUMIF", (ind.span("B"), Ref(f"B{r}"), ind.span("G"))), Style.OUT_SCORE,
                                   f"level1_weights#{r - l1.first_row}.indicator_sum", "三级指标分值合计（计算）"))
    # 总分 as printed, then the computed totals and grades
    f0 = funds.first_row
    s.statics += [Static(f"A{row}:F{row}", "总分", Style.HEADER), Static(f"I{row}:K{row}", "", Style.LABEL)]
    s.inputs += [Input("printed_total_weight", f"G{row}", Kind.AMOUNT, "总分 分值", Style.IN_NUMBER, label_ref=f"A{row}"),
                 Input("printed_total_score", f"H{row}", Kind.AMOUNT, "总分 自评得分", Style.IN_NUMBER, label_ref=f"A{row}")]
    printed = row
    row += 1
    s.statics += [Static(f"A{row}:F{row}", "合计（计算）：分值 / 自评得分 / 规则总分", Style.LABEL_LEFT), Static(f"J{row}:K{row}", "", Style.LABEL)]
    s.computed += [
        Computed(f"G{row}", fsum(Ref(f"F{f0}"), ind.span("G")), Style.OUT_SCORE, "weight_total", "分值合计（计算）"),
        Computed(f"H{row}", fsum(Ref(f"H{f0}"), ind.span("H")), Style.OUT_SCORE, "self_total", "自评得分合计（计算）"),
        Computed(f"I{row}", fsum(Ref(f"I{f0}"), ind.span("I")), Style.OUT_SCORE, "rule_total", "规则总分（计算）"),
    ]
    totals = row
    row += 1
    s.statics += [Static(f"A{row}:F{row}", "等级（计算）：按表上总分 / 按规则总分", Style.LABEL_LEFT), Static(f"G{row}", "", Style.OUT_TEXT),
                  Static(f"J{row}:K{row}", "", Style.LABEL)]
    s.computed += [
        Computed(f"H{row}", IfBlank(Ref(f"H{printed}"), EMPTY, udf("PERF_GRADE", Ref(f"H{printed}"), PROFILE)), Style.OUT_TEXT,
                 "self_grade", "按表上总分的等级（计算）"),
        Computed(f"I{row}", udf("PERF_GRADE", Ref(f"I{totals}"), PROFILE), Style.OUT_TEXT, "rule_grade", "规则等级（计算）"),
    ]
    row += 2
    signature(s, row, ("B", "C", "D", "E", "F", "G", "H", "I"))
    s.print_area = f"A1:K{row}"


def _head(s: SheetLayout, fields: tuple[tuple[str, str, str, str], ...]) -> None:
    s.statics += [Static(label_ref, label, Style.LABEL) for label_ref, _, _, label in fields]
    s.inputs += [Input(path, ref, Kind.TEXT, label, Style.IN_TEXT, label_ref=label_ref.split(":")[0])
                 for label_ref, path, ref, label in fields]


def _annex(s: SheetLayout, shape: Shape, note: str, title: str, head: tuple[tuple[str, str, str, str], ...]) -> SheetLayout:
    """附件二 or 附件三 on *s*: the note and title, the head fields, the shared body and the buttons."""
    s.statics.append(Static("A1", note, Style.NOTE))
    s.statics.append(Static("A2:K2", year_text("", 0, title, ""), Style.OUT_TITLE))
    s.heights[2] = 30
    _head(s, head)
    below_head = 1 + max(split_cell(ref.split(":")[0])[1] for ref, _, _, _ in head)
    performance(s, shape, below_head, overall=s.key == "overall")
    s.print_rows = (1, 2)
    s.buttons += sheet_buttons(s.key)
    return s


def overall(shape: Shape) -> SheetLayout:
    s = SheetLayout("overall", OVERALL_SHEET, Table.OVERALL, root="overall", widths=dict(PERF_WIDTHS), landscape=True)
    return _annex(s, shape, "附件二", "度部门整体支出绩效自评表", OVERALL_HEAD)


def project(shape: Shape, index: int) -> SheetLayout:
    s = SheetLayout("project", project_sheet_name(index), Table.PROJECT, root=f"projects[{index}]", scoped=True,
                    widths=dict(PERF_WIDTHS), landscape=True)
    return _annex(s, shape, "附件三", "度项目支出绩效自评表", PROJECT_HEAD)
