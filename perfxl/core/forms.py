"""The annex tables declared once: rows, columns, labels, units, kinds and relations.

附件一 基础数据表, the fund part of 附件二 整体自评表 (年度资金总额, 按收入性质分, 按支出
性质分) and the fund rows of 附件三 项目自评表 are declared here as data (domain.md, "The
three annex tables").  Everything else derives from these declarations:

* the model's default row labels (``model.BasicData``'s ``CostRow`` labels);
* the checker's sum, 其中 and printed-rate checks (``checks/forms.py`` iterates
  ``Form.relations``; no path literal for them is left in the checker);
* the JSON Schema's descriptions of these rows (``schema.py``);
* the report's annex tables (``report/annexes.py`` iterates the blocks and rows);
* the workbook layout (``workbook/sheets/``), which keeps only positions and styling
  and renders ``Form.blocks`` / ``Block.rows`` / ``Block.columns``, ``Sum.terms()`` and
  each ``Rate`` (as the PERF_* UDF of its rule).

Adding a 其中 row is one ``Row`` here (plus the model field it names; its position is
its place in the block: the sheets lay a block's rows out in form order); the sum it
belongs to is one more path in a ``Sum``.  Worked
example (``tests/test_forms.py``): a province's 附件一 with 公车租赁 under 公务用车购置和
维护经费 is the model field ``vehicle_rental: CostRow``, ``Row("vehicle_rental",
"公车租赁")`` inserted after ``vehicle_operation`` in the ``costs`` block, and
``"vehicle_rental"`` added to ``Sum("vehicles", …)``; the checker then judges its cells
and adds it into the 公务用车 sum, and the workbook shows it under 公车运行维护 inside the
公务用车 SUM (``tests/workbook/test_forms_render.py``), with no other change.

Decisions: a relation holds column by column when it names ``columns`` (the three
money columns of 经费控制情况); a fund block declares its first rows by index
(``funds[0]`` …) but every fund row a table has is judged; the 附件三 fund rows'
sum is declared in both 附件二 and 附件三 because both tables may carry 其中 rows.

Fund rows beyond the declared ones (issue 9): a table may print five or more (中央资金,
省级资金, 市级资金, 县级资金 …); every one is judged, added into 年度资金总额 (``funds[1:]``)
and kept by the workbook and the report.  Optional columns (``Column.optional``: 上年预算数,
年初结转) are columns of the declaration that the shipped form does not print.

Tables a publication does not have (issue 9): a data file without 附件一 (the national
部门整体 template has none) or without 附件二 (a 项目支出绩效自评表 published on its own)
says so by leaving the table out, or blank: ``present`` tells whether a record holds
anything besides its printed labels.  Inferred, not flagged, because a flag could
contradict the data (a flag "no 附件二" over a filled 附件二), and a workbook filled from
such a file must come back unchanged with no cell of its own for a flag; the checker
says once (a 提示) which tables it took as absent, so a department that forgot a whole
table still sees it.

Paths are model paths relative to ``Form.root`` ("three_public" under "basic",
"funds[0].actual" under "overall"); ``resolve`` expands "items[*]" (every item) and
"funds[1:]" (every item after the first).  A ``Rate`` names the function of
``rules`` that computes it, so the denominator is the rule's choice (执行率 = 全年执行数
÷ 全年预算数, not 年初预算数), never restated here.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .findings import Severity, Table
from .paths import present as present  # re-exported: model paths live in paths.py
from .paths import resolve as resolve


class Kind(enum.StrEnum):
    """What a cell holds."""

    AMOUNT = "amount"  #: money in 万元
    COUNT = "count"  #: heads or vehicles (人, 台)
    QUANTITY = "quantity"  #: a measured quantity (㎡)
    RATE = "rate"  #: a rate as printed ("75%"), compared with the computed one
    SCORE = "score"  #: 分值 / 自评得分 (分)
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Column:
    """A value column of a block of rows.

    Attributes:
      attr: the row record's attribute ("prior_actual").
      label: the heading as printed; "{year}" and "{prior}" stand for the years.
      short: the name used in messages ("上年决算数").
      kind / unit: what the cells hold (Kind.AMOUNT, "万元").
      optional: a column some provinces' templates print and the shipped (Hunan) form
        does not (上年预算数, 年初结转): the checker judges it and its sums like any
        column; the report prints it only when a table fills it; the workbook keeps it
        right of the printed form (``workbook/sheets``).
    """

    attr: str
    label: str
    short: str
    kind: Kind = Kind.AMOUNT
    unit: str = "万元"
    optional: bool = False


@dataclass(frozen=True, slots=True)
class Row:
    """One row (or one cell when its block has no columns) of a form.

    Attributes:
      path: model path under the form's root ("three_public", "project_items[*]").
      label: the text printed in the row's first cell ("1、公务用车购置和维护经费").
      kind / unit: for a single cell; rows of a block take their columns' kinds.
      many: the path is a list of rows, as many as the department has (项目支出 items).
      before / after: rows the printed form shows around such a list without data (a
        heading "3、省级专项资金（每个专项一行）", a placeholder "……").
    """

    path: str
    label: str
    kind: Kind = Kind.AMOUNT
    unit: str = "万元"
    many: bool = False
    before: str = ""
    after: str = ""

    @property
    def name(self) -> str:
        """The label as a message names it, without numbering, "其中：", year or unit:
        "1、公务用车购置和维护经费" → "公务用车购置和维护经费", "批复规模（㎡）" → "批复规模"."""
        return re.sub(r"^(其中：|[0-9]+、|\{year\}年)|（[^）]*）$", "", self.label)


@dataclass(frozen=True, slots=True)
class Block:
    """Rows sharing a heading and value columns (经费控制情况), or single cells (no columns).

    Attributes:
      key: identifier ("costs").  title: the heading as printed ("经费控制情况（万元）").
      rows: in form order.  columns: the value columns (empty: each row is one cell).
      where: how a message names a cell: "{row}（{column}）" or "{row} {column}".
    """

    key: str
    title: str
    rows: tuple[Row, ...]
    columns: tuple[Column, ...] = ()
    where: str = "{row}（{column}）"


@dataclass(frozen=True, slots=True)
class Sum:
    """*parent* = the sum of *children*, column by column when *columns* are given.

    Attributes:
      parent / children: paths under the form's root; a child may be "items[*]".
      columns: the attributes the relation holds for (empty: the paths are cells).
      what: how a message names the children (default: their names joined by "、").
      group: a heading put before the children's names ("按收入性质分").
    """

    parent: str
    children: tuple[str, ...]
    columns: tuple[str, ...] = ()
    what: str = ""
    group: str = ""

    def terms(self) -> list[tuple[str, tuple[str, ...]]]:
        """(parent, children) as cell paths, one pair per column: what a sheet formula adds up.

        ``Sum("vehicles", ("vehicle_purchase", "vehicle_operation"), ("budget",)).terms()``
        → [("vehicles.budget", ("vehicle_purchase.budget", "vehicle_operation.budget"))].
        """
        return _terms(self.parent, self.children, self.columns)


@dataclass(frozen=True, slots=True)
class SubItems:
    """其中 rows: a selection of *parent* that need NOT add up to it, but may not exceed it."""

    parent: str
    children: tuple[str, ...]
    columns: tuple[str, ...] = ()

    def terms(self) -> list[tuple[str, tuple[str, ...]]]:
        """(parent, children) as cell paths, one pair per column (see ``Sum.terms``)."""
        return _terms(self.parent, self.children, self.columns)


def _terms(parent: str, children: tuple[str, ...], columns: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    if not columns:
        return [(parent, children)]
    return [(f"{parent}.{c}", tuple(f"{child}.{c}" for child in children)) for c in columns]


@dataclass(frozen=True, slots=True)
class Rate:
    """*result* (a printed rate) = rules.<rule>(*numerator*, *denominator*).

    Attributes:
      result / numerator / denominator: paths under the form's root.
      rule: the name of the function in ``perfxl.core.rules`` ("control_rate").
      label: the rate as a message names it ("人员控制率").  formula: in words.
      zero: the message when the denominator is 0.  zero_severity: its severity.
      zero_only: when the denominator is 0, report that and do not compare the printed rate.
    """

    result: str
    numerator: str
    denominator: str
    rule: str
    label: str
    formula: str
    zero: str
    zero_severity: Severity = Severity.WARNING
    zero_only: bool = False


Relation = Sum | SubItems | Rate


@dataclass(frozen=True, slots=True)
class Form:
    """One annex table (or the declared part of it).

    Attributes:
      key: "basic" / "overall" / "project".  number / title: "附件一", the form's title.
      table: the ``findings.Table`` its findings belong to.
      root: the model path of its record ("basic", "overall", "projects[*]").
      blocks: the declared rows, in form order.  relations: sums, 其中 rows and rates.
    """

    key: str
    number: str
    title: str
    table: Table
    root: str
    blocks: tuple[Block, ...]
    relations: tuple[Relation, ...] = field(default=())

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(r for b in self.blocks for r in b.rows)

    def block(self, key: str) -> Block:
        return next(b for b in self.blocks if b.key == key)

    def row(self, path: str) -> Row:
        return next(r for r in self.rows if r.path == path)

    def cells(self) -> Iterator[tuple[Block, Row, Column | None]]:
        """Every declared cell: (block, row, column), column ``None`` for a single cell."""
        for b in self.blocks:
            for r in b.rows:
                if b.columns:
                    for c in b.columns:
                        yield b, r, c
                else:
                    yield b, r, None


# --------------------------------------------------------------------------- 附件一

COST_COLUMNS = (
    Column("prior_actual", "{prior}年决算数", "上年决算数"),
    Column("budget", "{year}年预算数", "预算数"),
    Column("actual", "{year}年决算数", "决算数"),
    # 财预〔2013〕53号 共性指标框架 (三公经费变动率 = (本年预算 − 上年预算) ÷ 上年预算): templates
    # following it print last year's budget; the Hunan form does not (optional column)
    Column("prior_budget", "{prior}年预算数", "上年预算数", optional=True),
)
_COST = tuple(c.attr for c in COST_COLUMNS)


def _cost(path: str, label: str, many: bool = False, before: str = "", after: str = "") -> Row:
    return Row(path, label, many=many, before=before, after=after)


BASIC_TABLE = Form(
    "basic", "附件一", "部门整体支出绩效评价基础数据表", Table.BASIC, "basic",
    blocks=(
        Block("staff", "财政供养人员情况（人）", (
            Row("staff_authorized", "编制数", Kind.COUNT, "人"),
            Row("staff_actual", "{year}年实际在职人数", Kind.COUNT, "人"),
            Row("printed_staff_rate", "控制率", Kind.RATE, "%"),
        )),
        Block("costs", "经费控制情况（万元）", (
            _cost("three_public", "三公经费"),
            _cost("vehicles", "1、公务用车购置和维护经费"),
            _cost("vehicle_purchase", "其中：公车购置"),
            _cost("vehicle_operation", "公车运行维护"),
            _cost("overseas", "2、出国经费"),
            _cost("reception", "3、公务接待"),
            _cost("project_total", "项目支出"),
            _cost("project_items[*]", "项目支出明细", many=True, after="……"),
            _cost("special_funds[*]", "省级专项资金", many=True, before="3、省级专项资金（每个专项一行）"),
            _cost("public_funds", "公用经费"),
            _cost("office", "其中：办公经费"),
            _cost("utilities_travel", "水费、电费、差旅费"),
            _cost("meetings_training", "会议费、培训费"),
            _cost("procurement", "政府采购金额"),
            _cost("budget_adjustment", "部门基本支出预算调整"),
        ), COST_COLUMNS),
        Block("buildings", "楼堂馆所控制情况（{year}年完工项目）", (
            Row("buildings.approved_area", "批复规模（㎡）", Kind.QUANTITY, "㎡"),
            Row("buildings.actual_area", "实际规模（㎡）", Kind.QUANTITY, "㎡"),
            Row("buildings.printed_area_rate", "规模控制率", Kind.RATE, "%"),
            Row("buildings.budget_investment", "预算投资（万元）"),
            Row("buildings.actual_investment", "实际投资（万元）"),
            Row("buildings.printed_investment_rate", "投资概算控制率", Kind.RATE, "%"),
        )),
        Block("frugality", "厉行节约保障措施", (Row("frugality", "厉行节约保障措施", Kind.TEXT, ""),)),
    ),
    relations=(
        Sum("three_public", ("vehicles", "overseas", "reception"), _COST),
        Sum("vehicles", ("vehicle_purchase", "vehicle_operation"), _COST),
        Sum("project_total", ("project_items[*]", "special_funds[*]"), _COST, what="各项目支出及省级专项资金"),
        SubItems("public_funds", ("office", "utilities_travel", "meetings_training"), _COST),
        Rate("printed_staff_rate", "staff_actual", "staff_authorized", "control_rate", "人员控制率",
             "实际在职人数 ÷ 编制数", "编制数为 0，人员控制率无法计算，表中应显示“—”。"),
        Rate("buildings.printed_area_rate", "buildings.actual_area", "buildings.approved_area", "control_rate",
             "规模控制率", "实际规模 ÷ 批复规模",
             "{label}的分母为 0（当年无完工项目？），比率应显示“—”而不是“{printed}”。", Severity.NOTICE, zero_only=True),
        Rate("buildings.printed_investment_rate", "buildings.actual_investment", "buildings.budget_investment",
             "control_rate", "投资概算控制率", "实际投资 ÷ 预算投资",
             "{label}的分母为 0（当年无完工项目？），比率应显示“—”而不是“{printed}”。", Severity.NOTICE, zero_only=True),
    ),
)

#: the text under 附件一 (the form's own footnote)
BASIC_NOTE = "说明：“项目支出”需要填报基本支出以外的所有项目支出情况，“公用经费”填报基本支出中的一般商品和服务支出。"

# --------------------------------------------------------------------------- 附件二 / 附件三

FUND_COLUMNS = (
    Column("initial_budget", "年初预算数", "年初预算数"),
    Column("full_year_budget", "全年预算数", "全年预算数"),
    Column("actual", "全年执行数", "全年执行数"),
    Column("weight", "分值", "分值", Kind.SCORE, "分"),
    Column("printed_rate", "执行率", "执行率", Kind.RATE, "%"),
    Column("self_score", "自评得分", "自评得分", Kind.SCORE, "分"),
    # the 执行率 denominator "budget plus 年初结转" of some templates needs the carry-over
    # (``[execution_score] denominator``); the 财预〔2020〕10号 and Hunan forms have no such column
    Column("carried_over", "年初结转", "年初结转", optional=True),
)
_FUND_AMOUNTS = ("initial_budget", "full_year_budget", "actual", "carried_over")
_EXECUTION = Rate("funds[0].printed_rate", "funds[0].actual", "funds[0].full_year_budget", "execution_rate",
                  "年度资金总额 执行率", "全年执行数 ÷ 全年预算数", "全年预算数为 0，执行率无法计算，表中应显示“—”。")

OVERALL_TABLE = Form(
    "overall", "附件二", "部门整体支出绩效自评表", Table.OVERALL, "overall",
    blocks=(
        Block("funds", "年度预算申请（万元）", (Row("funds[0]", "年度资金总额"),), FUND_COLUMNS, "{row} {column}"),
        Block("by_source", "按收入性质分", (
            Row("general_budget", "一般公共预算"),
            Row("government_fund", "政府性基金拨款"),
            Row("special_account", "纳入专户管理的非税收入拨款"),
            Row("other_funds", "其他资金"),
        )),
        Block("by_nature", "按支出性质分", (
            Row("basic_expenditure", "基本支出"),
            Row("project_expenditure", "项目支出"),
        )),
    ),
    relations=(
        Sum("funds[0].actual", ("general_budget", "government_fund", "special_account", "other_funds"),
            group="按收入性质分"),
        Sum("funds[0].actual", ("basic_expenditure", "project_expenditure"), group="按支出性质分"),
        Sum("funds[0]", ("funds[1:]",), _FUND_AMOUNTS, what="当年财政拨款、上年结转资金、其他资金"),
        _EXECUTION,
    ),
)

PROJECT_TABLE = Form(
    "project", "附件三", "项目支出绩效自评表", Table.PROJECT, "projects[*]",
    blocks=(
        Block("funds", "项目资金（万元）", (
            Row("funds[0]", "年度资金总额"),
            Row("funds[1]", "其中：当年财政拨款"),
            Row("funds[2]", "上年结转资金"),
            Row("funds[3]", "其他资金"),
        ), FUND_COLUMNS, "{row} {column}"),
    ),
    relations=(
        Sum("funds[0]", ("funds[1:]",), _FUND_AMOUNTS, what="当年财政拨款、上年结转资金、其他资金"),
        _EXECUTION,
    ),
)

FORMS = (BASIC_TABLE, OVERALL_TABLE, PROJECT_TABLE)

#: the default 资金 rows of 附件三, in order (the report fills a table that has fewer)
PROJECT_FUND_LABELS = tuple(r.label for r in PROJECT_TABLE.block("funds").rows)


def default_label(form: Form, path: str) -> str:
    """The printed label of the row at *path* ("vehicles" → "1、公务用车购置和维护经费")."""
    return form.row(path).label


# --------------------------------------------------------------------------- paths


def roots(evaluation: object, form: Form) -> list[tuple[str, object]]:
    """The records *form* applies to in *evaluation*: one for 附件一/二, one per 附件三."""
    return resolve(evaluation, form.root)
