"""附件2 整体自评表 and 附件3 项目自评表: what they share (funds, goals, 一级指标分值,
indicators, totals, grades, signature) and the head of each.

The fund part is rendered from the form (``overall(shape, form)`` / ``project(shape, i,
form)``, by default ``forms.OVERALL_TABLE`` / ``forms.PROJECT_TABLE``): the fund rows'
columns are the ``funds`` block's columns from column C (kind, label, style and the
分值 validation from ``forms.Kind``); a ``forms.Rate`` on the fund rows becomes a
per-row formula (执行率（计算）, the rule's native formula) after the sheet's own
执行率得分（计算）; 附件2's other blocks (按收入性质分, 按支出性质分) are printed side by
side under the fund row (``GROUP_PLACES``), their first row "其中：…" as the form prints
it, and a ``Sum`` over a whole block is its "合计（计算）" cell: SUM of the block's range.  Not
rendered: the ``Sum`` of the fund rows (年度资金总额 = its 其中 rows; the sheet has
no free column for three check cells, the checker judges it).

Issue 9: the fund rows are as many as the data has (``shape``: 5 or more on 附件3, 其中 rows
on 附件2; the blank form has the form's rows); an optional column of the form (年初结转) is an
input right of the computed columns, not printed; the grade as printed by the forms that print a
自评等级 row (``PerformanceTable.printed_grade``; the GRADE check compares it) is an input in
the check area: the Hunan form this sheet prints has no such row (issue 10: the print area is
exactly the official form).

The fund rows' 执行率（计算） and 执行率得分（计算）, the grades and the rule total follow the profile named on
基本情况 (issue 9): ``native.execution_rate`` / ``budget_score`` / ``grade`` / ``rule_total`` read the
built-in profiles' table on xlwings.conf (``native.workbook_rules()``, ``ruletable.py``); the 执行率 reads
年初预算数 and 年初结转 too, as the profile's denominator may.

The rest is not part of the declared forms and stays here as data: ``GOALS``,
``LEVEL1_COLUMNS``, ``INDICATOR_COLUMNS`` and ``INDICATOR_FORMULAS``, and the head
fields of each sheet (``OVERALL_HEAD``, ``PROJECT_HEAD``).

Printing (issue 10, item 5): the print area is the official form and nothing else,
columns A:I (``FORM_LAST_COL``) from 附件N and the title to 总分 and the signature.  So
the form's columns come first (偏差原因分析及改进措施 in I) and every computed or
helper column is right of it: 执行率得分（计算）and 执行率（计算）on the fund rows, 规则得分
（计算）and 完成档次 on the indicator rows (J, K).  The rows the form does not have are
below the signature, in the check area (``_checks``): the groups' 合计（计算）, the
computed totals and grades, and the 一级指标分值 block.  The title reads "部门整体支出
绩效自评表" without a year (``common.title_text``).

一级指标 and 二级指标 as on the form (issue 10): their columns are ``runs`` columns, so a
workbook built from data merges each run of rows with the same 一级指标 (and, inside it,
the same 二级指标) into one cell (``decl.merged_runs``, the builder).  Only a run's first
cell then holds the text, so the sums by 一级指标 (三级指标分值合计（计算）in the check
area) run over 一级指标（计算）, a helper column right of every other one
(``_level1_run``: the row's 一级指标, or the one above when its cell is blank) rather
than over the 一级指标 column itself; placed after the last declared column, it moves
with any column added to ``INDICATOR_COLUMNS``.  No other formula reads 一级指标.

Other provinces' indicator columns (issue 9: 指标方向, 计量单位, 指标性质, 年初指标值, 调整后指标值,
得分系数, 核心指标, 评分标准) are an optional block right of the helper columns, L:S, outside the
print area: the Hunan form has no such columns, so the official form's columns do not move.
A row's rule score (J) passes them to PERF_SCORE (指标方向, else 指标性质; 调整后 and 年初指标值)
as the assessment scores them.  Their headers are statics, not the region's checked header
(``OPTIONAL_HEADER``), so a workbook built before them reads them as blank.
"""

from __future__ import annotations

from collections.abc import Callable

from ...core import forms, model
from ...core.findings import Table
from ..a1 import col_index, shift_col, split_cell
from ..buttons import sheet_buttons
from ..constants import OVERALL_SHEET, project_sheet_name
from ..decl import Check, Column, Computed, Input, Kind, Region, RowFormula, SheetLayout, Static, Style
from ..formula import EMPTY, Call, Expr, IfBlank, Ref, Rng, fsum, udf
from ..shape import Shape
from . import native
from .common import PROFILE, YEAR, one_page, signature, title_text
from .render import cell_kind, input_check, input_style, rate_call, relations

PERF_WIDTHS = {"A": 11, "B": 15, "C": 15, "D": 26, "E": 13, "F": 13, "G": 9, "H": 9, "I": 28, "J": 11, "K": 22,
               "L": 10, "M": 9, "N": 9, "O": 13, "P": 13, "Q": 9, "R": 9, "S": 28}
#: the printed form: columns A:I (the computed and helper columns J:K are right of it)
FORM_LAST_COL = "I"

#: the fund rows: the label column, the form's columns from C, then the computed columns
FUND_LABEL_COL, FUND_FIRST_COL = "B", "C"
#: the sheet's own computed column of the fund rows (the score of 执行率, a scoring rule, not a form relation)
RULE_SCORE = ("rule_score", "执行率得分（计算）")
#: the 其中 groups under 附件2's fund row, side by side: (title range, label range, value column)
GROUP_PLACES = ((("B", "D"), ("B", "C"), "D"), (("E", "H"), ("E", "F"), "G"))
#: the blank form cells right of the groups: on the title row and on the rows
GROUP_FILL = (("I", "I"), ("H", "I"))
#: the parents of the form's ``Sum``\ s the sheet has no cell for (the checker judges them):
#: 年度资金总额 = its 其中 fund rows, three columns with no free column beside them
UNRENDERED_SUMS = ("funds[0]",)
#: the computed totals of the groups: their paths (the cells' names in findings and locate)
GROUP_TOTALS = {"by_source": "income_total", "by_nature": "spending_total"}
#: (model path, label, style) of the 年度总体目标 texts: 预期目标 in B:E, 实际完成情况 in F:K
GOALS = (("goal_expected", "预期目标", "B", "E"), ("goal_actual", "实际完成情况", "F", "I"))
LEVEL1_HEADER = {"B": "一级指标", "C": "分值", "D": "三级指标分值合计（计算）"}
LEVEL1_COLUMNS = (
    Column(None, "B", Kind.KEY, "一级指标", Style.IN_TEXT, Check.LEVEL1),
    Column("weight", "C", Kind.AMOUNT, "一级指标分值", Style.IN_NUMBER, Check.WEIGHT),
)
INDICATOR_HEADER = {"B": "一级指标", "C": "二级指标", "D": "三级指标", "E": "年度指标值", "F": "实际完成值", "G": "分值",
                    "H": "自评得分", "I": "偏差原因分析及改进措施", "J": "规则得分（计算）", "K": "完成档次（定性指标）"}
#: other provinces' indicator columns (``model.Indicator``), right of the helper columns J:K
OPTIONAL_COLUMNS = (
    Column("direction", "L", Kind.TEXT, "指标方向", Style.IN_TEXT),
    Column("unit", "M", Kind.TEXT, "计量单位", Style.IN_TEXT),
    Column("nature", "N", Kind.TEXT, "指标性质", Style.IN_TEXT),
    Column("initial_target", "O", Kind.TEXT, "年初指标值", Style.IN_RATE),
    Column("adjusted_target", "P", Kind.TEXT, "调整后指标值", Style.IN_RATE),
    Column("score_coefficient", "Q", Kind.AMOUNT, "得分系数", Style.IN_NUMBER, Check.WEIGHT),
    Column("core", "R", Kind.MARK, "核心指标", Style.IN_TEXT),
    Column("standard", "S", Kind.TEXT, "评分标准", Style.IN_LONG),
)
INDICATOR_COLUMNS = (
    Column("level1", "B", Kind.TEXT, "一级指标", Style.IN_KEY, Check.LEVEL1, runs=True),
    Column("level2", "C", Kind.TEXT, "二级指标", Style.IN_KEY, Check.LEVEL2, runs=True),
    Column("name", "D", Kind.TEXT, "三级指标", Style.IN_LONG),
    Column("target", "E", Kind.TEXT, "年度指标值", Style.IN_RATE),
    Column("actual", "F", Kind.TEXT, "实际完成值", Style.IN_RATE),
    Column("weight", "G", Kind.AMOUNT, "分值", Style.IN_NUMBER, Check.WEIGHT),
    Column("self_score", "H", Kind.AMOUNT, "自评得分", Style.IN_NUMBER, Check.WEIGHT),
    Column("deviation", "I", Kind.TEXT, "偏差原因分析及改进措施", Style.IN_LONG),
    Column("tier", "K", Kind.TEXT, "完成档次", Style.IN_TEXT, Check.TIER),
    *OPTIONAL_COLUMNS,
)
#: the headers of the optional columns L:S; not part of the region's checked header, so a
#: workbook built before they existed reads them blank
OPTIONAL_HEADER = {c.col: c.label for c in OPTIONAL_COLUMNS}
INDICATOR_FORMULAS = (
    RowFormula("rule_score", "J", lambda r: IfBlank(Ref(f"G{r}"), EMPTY, native.fallback(udf(
        "PERF_SCORE", Ref(f"E{r}"), Ref(f"F{r}"), Ref(f"G{r}"), Ref(f"K{r}"), PROFILE, Ref(f"H{r}"),
        YEAR, IfBlank(Ref(f"L{r}"), Ref(f"N{r}"), Ref(f"L{r}")), Ref(f"M{r}"), Ref(f"S{r}"), Ref(f"D{r}"),
        Ref(f"P{r}"), Ref(f"O{r}")))), Style.OUT_SCORE, "规则得分（计算）"),
)
#: the head of each sheet: (label range, model path, value range, label)
OVERALL_HEAD = (("A3:B3", "unit_name", "C3:I3", "预算部门、单位名称"),)
PROJECT_HEAD = (("A3:B3", "name", "C3:I3", "项目支出名称"), ("A4:B4", "competent_department", "C4:E4", "主管部门"),
                ("F4:G4", "implementing_unit", "H4:I4", "实施单位"))


def _fund_region(s: SheetLayout, shape: Shape, form: forms.Form, head: int) -> Region:
    """The fund rows of *form* under the heading row *head*: the form's columns, its rates, the rule score,
    then the optional columns (年初结转: not on the printed form, right of the computed columns)."""
    block = form.block("funds")
    printed_cols = [c for c in block.columns if not c.optional]
    col = {c.attr: shift_col(FUND_FIRST_COL, i) for i, c in enumerate(printed_cols)}
    score_col = RULE_SCORE_COL  # right of the form (its last column I is blank on the fund rows)
    rules = native.workbook_rules()

    def cell(attr: str, r: int) -> Expr:  # 年初结转 is optional (its column comes after the formulas)
        return Ref(f"{col[attr]}{r}") if attr in col else EMPTY

    formulas = [RowFormula(RULE_SCORE[0], score_col, lambda r: IfBlank(Ref(f"{col['weight']}{r}"), EMPTY, native.budget_score(
        cell("actual", r), cell("full_year_budget", r), cell("weight", r), rules, cell("initial_budget", r),
        cell("carried_over", r))), Style.OUT_SCORE, RULE_SCORE[1])]
    # a rate declared on the total row (funds[0]) is computed on every fund row
    for rate in relations(form, forms.Rate):
        num, den, result = (path.rpartition(".")[2] for path in (rate.numerator, rate.denominator, rate.result))
        if not rate.result.startswith("funds[") or rate.rule in {f.attr for f in formulas}:
            continue
        label = f"{next(c for c in block.columns if c.attr == result).label}（计算）"
        # 执行率 follows the profile's denominator (the rate its score and the execution cap use)
        row_formula = (_rate_row(rate.rule, col[num], col[den]) if rate.rule != "execution_rate" else
                       lambda r: native.execution_rate(cell("actual", r), cell("full_year_budget", r),
                                                       cell("initial_budget", r), cell("carried_over", r), rules))
        formulas.append(RowFormula(rate.rule, shift_col(score_col, len(formulas)), row_formula, Style.OUT_RATE, label))
    optional = [c for c in block.columns if c.optional]
    col.update({c.attr: shift_col(score_col, len(formulas) + i) for i, c in enumerate(optional)})
    columns = (Column("label", FUND_LABEL_COL, Kind.TEXT, "资金行名称", Style.IN_TEXT),
               *(Column(c.attr, col[c.attr], cell_kind(c.kind), c.short, input_style(c.kind), input_check(c.kind))
                 for c in (*printed_cols, *optional)))
    header = {**{col[c.attr]: c.label for c in printed_cols}, **{f.col: f.label for f in formulas},
              **{col[c.attr]: f"{c.label}（选填）" for c in optional}}
    return Region("funds", head + 1, shape.capacity(s.full_path("funds")), model.FundRow, columns, tuple(formulas),
                  header=header, label="资金")


#: the column of the fund rows' 执行率得分（计算） (right of the form)
RULE_SCORE_COL = "J"


def _rate_col(funds: Region) -> str:
    """The column of the fund rows' 执行率（计算） (the execution cap reads it)."""
    return next(f.col for f in funds.formulas if f.attr == "execution_rate")


def _rate_row(rule: str, num: str, den: str) -> Callable[[int], Expr]:
    return lambda r: rate_call(rule, f"{num}{r}", f"{den}{r}")


def _cells(a: str, b: str, row: int) -> str:
    """A cell or a merged range on *row*, columns *a* to *b*."""
    return f"{a}{row}" if a == b else f"{a}{row}:{b}{row}"


def _groups(s: SheetLayout, form: forms.Form, row: int) -> tuple[int, list[tuple[forms.Block, Rng]]]:
    """附件2's 其中 groups (按收入性质分, 按支出性质分) side by side from *row*: the next row, and
    (group, its range) of each group whose whole block is a ``Sum`` (its total is
    computed in the check area, ``_checks``)."""
    groups = [b for b in form.blocks if b.key != "funds"]
    title_fill, row_fill = GROUP_FILL
    s.statics += [Static(f"{a}{row}:{b}{row}", f"{g.title}：", Style.LABEL_LEFT) for g, ((a, b), _, _) in zip(groups, GROUP_PLACES, strict=False)]
    s.statics.append(Static(_cells(*title_fill, row), "", Style.LABEL))
    first = row + 1
    height = max(len(g.rows) for g in groups)
    for i in range(height):
        r = first + i
        for g, (_, (a, b), value) in zip(groups, GROUP_PLACES, strict=False):
            if i < len(g.rows):
                label = ("其中：" if i == 0 else "") + g.rows[i].label  # the form prints the first 其中 row so
                s.statics.append(Static(f"{a}{r}:{b}{r}", label, Style.LABEL_LEFT))
                s.inputs.append(Input(g.rows[i].path, f"{value}{r}", cell_kind(g.rows[i].kind), g.rows[i].label,
                                      input_style(g.rows[i].kind), label_ref=f"{a}{r}"))
            else:
                s.statics.append(Static(f"{a}{r}:{value}{r}", "", Style.LABEL))
        s.statics.append(Static(_cells(*row_fill, r), "", Style.LABEL))
    sums = {tuple(t.children): t for t in relations(form, forms.Sum)}
    totals = [(g, Rng(f"{value}{first}", f"{value}{first + len(g.rows) - 1}"))
              for g, (_, _, value) in zip(groups, GROUP_PLACES, strict=False) if tuple(r.path for r in g.rows) in sums]
    return first + height, totals


def _funds(s: SheetLayout, shape: Shape, form: forms.Form, row: int) -> tuple[int, list[tuple[forms.Block, Rng]]]:
    """The fund rows (and on 附件2 the 其中 groups) from the header at *row*: the next row and the group sums."""
    head = row
    funds = _fund_region(s, shape, form, head)
    s.statics.append(Static(f"{FUND_LABEL_COL}{head}", "", Style.HEADER))
    s.statics += [Static(f"{col}{head}", text, Style.HEADER) for col, text in funds.header.items()]
    s.statics.append(Static(f"{FORM_LAST_COL}{head}", "", Style.HEADER))
    s.heights[head] = 30
    s.regions.append(funds)
    s.statics += [Static(f"{FORM_LAST_COL}{r}", "", Style.LABEL) for r in range(funds.first_row, funds.last_row + 1)]
    row = funds.last_row + 1
    totals: list[tuple[forms.Block, Rng]] = []
    if len(form.blocks) > 1:
        row, totals = _groups(s, form, row)
    # "年度预算申请\n（万元）" as the form prints it: wrapped by width, the column cut "（" from "万元）"
    s.statics.append(Static(f"A{head}:A{row - 1}", form.block("funds").title.replace("（", "\n（", 1), Style.HEADER))
    return row, totals


def performance(s: SheetLayout, shape: Shape, row: int, form: forms.Form) -> None:
    """What 附件二 and 附件三 share: the form from the fund header at *row* to 总分 and the
    signature (the print area), then the check area below it."""
    row, group_totals = _funds(s, shape, form, row)
    # 年度总体目标
    s.statics.append(Static(f"A{row}:A{row + 1}", "年度总体目标", Style.HEADER))
    s.statics += [Static(f"{c1}{row}:{c2}{row}", label, Style.HEADER) for _, label, c1, c2 in GOALS]
    s.inputs += [Input(path, f"{c1}{row + 1}:{c2}{row + 1}", Kind.TEXT, label, Style.IN_LONG, label_ref=f"{c1}{row}")
                 for path, label, c1, c2 in GOALS]
    s.heights[row + 1] = 66
    row += 2
    # 绩效指标
    head = row
    s.statics += [Static(f"{col}{head}", text, Style.HEADER) for col, text in {**INDICATOR_HEADER, **OPTIONAL_HEADER}.items()]
    s.heights[head] = 30
    level1 = _level1_run(INDICATOR_COLUMNS, INDICATOR_FORMULAS)
    s.widths.setdefault(level1.col, PERF_WIDTHS["J"])
    s.statics.append(Static(f"{level1.col}{head}", level1.label, Style.HEADER))
    ind = Region("indicators", head + 1, shape.capacity(s.full_path("indicators")), model.Indicator, INDICATOR_COLUMNS,
                 (*INDICATOR_FORMULAS, level1), header=INDICATOR_HEADER, label="绩效指标")
    s.regions.append(ind)
    row = ind.last_row + 1
    s.statics.append(Static(f"A{head}:A{row - 1}", "绩效指标", Style.HEADER))
    # 总分 as printed
    s.statics += [Static(f"A{row}:F{row}", "总分", Style.HEADER), Static(f"I{row}", "", Style.LABEL)]
    s.inputs += [Input("printed_total_weight", f"G{row}", Kind.AMOUNT, "总分 分值", Style.IN_NUMBER, label_ref=f"A{row}"),
                 Input("printed_total_score", f"H{row}", Kind.AMOUNT, "总分 自评得分", Style.IN_NUMBER, label_ref=f"A{row}")]
    printed = row
    row += 2
    signature(s, row, ("A", "B", "C", "D", "E", "F", "G:H", "I"))
    s.print_area = f"A1:{FORM_LAST_COL}{row}"
    _checks(s, shape, row + 2, printed, group_totals)


def _checks(s: SheetLayout, shape: Shape, row: int, printed: int, group_totals: list[tuple[forms.Block, Rng]]) -> None:
    """The check area below the printed form: the computed totals and grades, the 其中 groups'
    sums and the 一级指标分值 (not parts of the official form, so not printed)."""
    funds, ind = s.region("funds"), s.region("indicators")
    f0, score = funds.first_row, INDICATOR_FORMULAS[0].col
    s.statics.append(Static(f"A{row}:K{row}", "核算（计算结果，不在打印范围内）", Style.SUBTITLE))
    row += 1
    for g, rng in group_totals:
        s.statics += [Static(f"A{row}:F{row}", f"{g.title}合计（计算）", Style.LABEL_LEFT)]
        s.computed.append(Computed(f"G{row}", fsum(rng), Style.OUT_MONEY,
                                   GROUP_TOTALS.get(g.key, f"{g.key}_total"), f"{g.title}合计（计算）"))
        row += 1
    s.statics += [Static(f"A{row}:F{row}", "合计（计算）：分值 / 自评得分 / 规则总分", Style.LABEL_LEFT), Static(f"I{row}", "", Style.LABEL)]
    s.computed += [
        Computed(f"G{row}", fsum(Ref(f"F{f0}"), ind.span("G")), Style.OUT_SCORE, "weight_total", "分值合计（计算）"),
        Computed(f"H{row}", fsum(Ref(f"H{f0}"), ind.span("H")), Style.OUT_SCORE, "self_total", "自评得分合计（计算）"),
        Computed(f"{score}{row}", native.rule_total(Ref(f"{RULE_SCORE_COL}{f0}"), ind.span(score), Ref(f"{_rate_col(funds)}{f0}"),
                                                    native.workbook_rules()), Style.OUT_SCORE, "rule_total", "规则总分（计算）"),
    ]
    totals = row
    row += 1
    s.statics += [Static(f"A{row}:F{row}", "等级（计算）：按表上总分 / 按规则总分", Style.LABEL_LEFT), Static(f"G{row}", "", Style.OUT_TEXT),
                  Static(f"I{row}", "", Style.LABEL)]
    s.computed += [
        Computed(f"H{row}", IfBlank(Ref(f"H{printed}"), EMPTY, native.grade(Ref(f"H{printed}"), native.workbook_rules())), Style.OUT_TEXT,
                 "self_grade", "按表上总分的等级（计算）"),
        Computed(f"{score}{row}", native.grade(Ref(f"{score}{totals}"), native.workbook_rules()), Style.OUT_TEXT, "rule_grade", "规则等级（计算）"),
    ]
    row += 1
    # 自评等级 as printed: some provinces' forms print it under 总分 (the GRADE check compares it with
    # the 总分's grade); the Hunan form, the one this sheet prints, has no such row, so it is an input here
    s.statics += [Static(f"A{row}:F{row}", "表上的自评等级（表样印有此行时填写）", Style.LABEL_LEFT), Static(f"I{row}", "", Style.LABEL)]
    s.inputs.append(Input("printed_grade", f"G{row}:H{row}", Kind.TEXT, "自评等级", Style.IN_TEXT, label_ref=f"A{row}"))
    row += 2
    # 一级指标分值 (the header "产出指标（50 分）" of the form), with the sums of its 三级 weights
    head = row
    s.statics += [Static(f"{col}{head}", text, Style.HEADER) for col, text in LEVEL1_HEADER.items()]
    s.statics.append(Static(f"E{head}:K{head}", "一级指标分值即表头“产出指标（50 分）”中的分值；三级指标分值之和应与之相等。", Style.LABEL_LEFT))
    l1 = Region("level1_weights", head + 1, shape.capacity(s.full_path("level1_weights")), dict, LEVEL1_COLUMNS,
                header=LEVEL1_HEADER, label="一级指标分值", default_keys=model.LEVEL1_NAMES)
    s.regions.append(l1)
    s.statics.append(Static(f"A{head}:A{l1.last_row}", "一级指标分值", Style.HEADER))
    s.statics += [Static(f"E{r}:K{r}", "", Style.LABEL) for r in range(l1.first_row, l1.last_row + 1)]
    names, weights = ind.span(ind.formulas[-1].col), ind.span(ind.column("weight").col)  # by the run's 一级指标
    for r in range(l1.first_row, l1.last_row + 1):
        s.computed.append(Computed(f"D{r}", Call("SUMIF", (names, Ref(f"B{r}"), weights)), Style.OUT_SCORE,
                                   f"level1_weights#{r - l1.first_row}.indicator_sum", "三级指标分值合计（计算）"))


def _level1_run(columns: tuple[Column, ...], formulas: tuple[RowFormula, ...]) -> RowFormula:
    """一级指标（计算）, right of every other column: the row's 一级指标, or the one above it when
    its cell is blank, so the sums by 一级指标 count every row of a merged 一级指标 cell (only
    its first cell holds the text).  The first row's "above" is the header, never a name."""
    level1 = next(c.col for c in columns if c.attr == "level1")
    used: list[str] = [c.col for c in columns] + [f.col for f in formulas]
    col = shift_col(max(used, key=col_index), 1)
    return RowFormula("level1_run", col, lambda r: IfBlank(Ref(f"{level1}{r}"), Ref(f"{col}{r - 1}"), Ref(f"{level1}{r}")),
                      Style.OUT_TEXT, "一级指标（计算）")


def _head(s: SheetLayout, fields: tuple[tuple[str, str, str, str], ...]) -> None:
    s.statics += [Static(label_ref, label, Style.LABEL) for label_ref, _, _, label in fields]
    s.inputs += [Input(path, ref, Kind.TEXT, label, Style.IN_TEXT, label_ref=label_ref.split(":")[0])
                 for label_ref, path, ref, label in fields]


def _annex(s: SheetLayout, shape: Shape, form: forms.Form, head: tuple[tuple[str, str, str, str], ...]) -> SheetLayout:
    """附件二 or 附件三 on *s*: the note and title, the head fields, the shared body and the buttons."""
    s.statics.append(Static("A1", form.number, Style.NOTE))
    s.statics.append(Static(f"A2:{FORM_LAST_COL}2", title_text(form.title), Style.OUT_TITLE))
    s.heights[2] = 30
    _head(s, head)
    below_head = 1 + max(split_cell(ref.split(":")[0])[1] for ref, _, _, _ in head)
    performance(s, shape, below_head, form)
    s.print_rows = (1, 2)
    one_page(s)
    s.buttons += sheet_buttons(s.key)
    return s


def overall(shape: Shape, form: forms.Form = forms.OVERALL_TABLE) -> SheetLayout:
    s = SheetLayout("overall", OVERALL_SHEET, Table.OVERALL, root=form.root, widths=dict(PERF_WIDTHS), landscape=True)
    return _annex(s, shape, form, OVERALL_HEAD)


def project(shape: Shape, index: int, form: forms.Form = forms.PROJECT_TABLE) -> SheetLayout:
    root = form.root.replace("[*]", f"[{index}]")
    s = SheetLayout("project", project_sheet_name(index), Table.PROJECT, root=root, scoped=True,
                    widths=dict(PERF_WIDTHS), landscape=True)
    return _annex(s, shape, form, PROJECT_HEAD)
