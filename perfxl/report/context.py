"""The context of the 自评报告: every text and table cell the template needs, as plain data.

``build_context`` is a pure function of the model, the scores, the findings and the
suggestions; it knows nothing of Word or files (``render.py`` does).  It follows the
Hunan county outline in ``shared/docs/domain.md`` ("The narrative report"):

* sections 一（二）to 五 are generated from the tables, never retyped;
* section 六 opens with the computed facts (全年预算数, 全年执行数, the *computed*
  执行率, 自评得分 beside 规则得分, 等级), then the department's own texts;
* sections 七 and 八 are the department's items followed by the suggestions passed in
  (``checker.suggestions`` already leaves out those the department dropped);
* the annex tables are grids of cells with their merges, in the official layout.

Every number goes through the helpers of ``core.money``.  Whatever is missing becomes
a visible "【待填写：…】" mark in the text and an entry of ``missing``; nothing here
raises on an incomplete ``Evaluation``.

The keys of the context (what a template may use):

=====================  ============================================================
title                  {年}年度{单位}部门整体支出绩效自评报告
cover                  title_lines (2 lines), unit_line, date_line
duties                 一（一）部门主要职责, each "1、…"
staffing               一（二）人员编制情况 (one paragraph)
basic_expenditure      二（一）基本支出情况
project_expenditure    二（二）项目支出情况
government_fund        三、政府性基金预算支出情况
state_capital          四、国有资本经营预算支出情况
social_insurance       五、社会保险基金预算支出情况
performance            六: summary (paragraphs of computed facts), results ("1.…", "2.…")
problems / measures    七 / 八, each "1、…"
disclosure / other     九 / 十
attachments            the 附件 list under the body, first one "附件：1、…"
annexes                the annex tables (see ``_annex``), replaced by Word content when
                       rendered
missing                labels of what still has to be filled in
findings               the checker's findings (severity, where, message), for templates
                       that list them
profile                name and title of the rule profile used
=====================  ============================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..core import rules
from ..core.model import (
    LEVEL2_NAMES,
    CostRow,
    Evaluation,
    FundRow,
    Indicator,
    PerformanceTable,
    ProjectTable,
)
from ..core.money import (
    ZERO,
    Amount,
    amount_value,
    fmt_cn_count,
    fmt_count,
    fmt_pct,
    fmt_score,
    fmt_wan,
    is_blank,
)

MARK = "【待填写：{}】"

#: the annex numbers as the forms print them
ANNEX_NUMBERS = ("附件一", "附件二", "附件三")
ATTACHMENT_NAMES = ("部门整体支出绩效评价基础数据表", "部门整体支出绩效自评表", "项目支出绩效自评表")
#: under the tables: the form's own footnote of 附件一
BASIC_NOTE = "说明：“项目支出”需要填报基本支出以外的所有项目支出情况，“公用经费”填报基本支出中的一般商品和服务支出。"
#: the default 资金 rows of 附件三, used where the data has fewer
PROJECT_FUND_LABELS = ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")
#: width of the landscape text area in mm (A4 297 mm − 37 mm − 35 mm, see make_template.py)
ANNEX_WIDTH_MM = 225
#: column widths (mm) of 附件一: the label, then 6 narrow columns (a value spans 2 of them)
BASIC_COLUMNS = (69, 26, 26, 26, 26, 26, 26)
#: column widths (mm) of 附件二/三: 绩效指标 | 一级 | 二级 | 三级 | 指标值 | 完成值 | 分值 | 得分 | 偏差
PERFORMANCE_COLUMNS = (18, 22, 28, 38, 24, 24, 14, 20, 37)


class _Missing:
    """Collects what is missing and returns the mark to print in its place."""

    def __init__(self) -> None:
        self.labels: list[str] = []

    def __call__(self, label: str) -> str:
        if label not in self.labels:
            self.labels.append(label)
        return MARK.format(label)


def _clean(text: str | None) -> str:
    """A department's text as one paragraph: lines joined (Chinese needs no space), trimmed."""
    if not text:
        return ""
    return "".join(line.strip() for line in text.splitlines()).strip()


def _money(value: Amount, label: str, miss: _Missing, fmt=fmt_wan) -> str:
    """An amount for the narrative ("89.82"), or the mark when it is empty or not a number."""
    number = amount_value(value)
    if number is not None:
        return fmt(number)
    if is_blank(value):
        return miss(label)
    return miss(f"{label}（“{value}”不是数字）")


def _count(value: Amount, label: str, miss: _Missing) -> str:
    """A head or vehicle count for the narrative ("8"), or the mark."""
    return _money(value, label, miss, fmt_count)


def _numbered(items: Iterable[str], sep: str = "、", start: int = 1) -> list[str]:
    return [f"{i}{sep}{item}" for i, item in enumerate(items, start)]


def _nonblank(items: Iterable[str]) -> list[str]:
    return [t for t in (_clean(i) for i in items) if t]


# --------------------------------------------------------------------------- 一 to 五


def _staffing(ev: Evaluation, miss: _Missing) -> str:
    st = ev.staffing
    basis = _clean(st.basis) or miss("人员编制：机构设置依据（三定方案）")
    units = _nonblank(st.internal_units)
    if len(units) > 1:
        units_text = f"内设{'、'.join(units)}等{fmt_cn_count(len(units))}个职能股室"
    elif units:
        units_text = f"内设{units[0]}一个职能股室"
    else:
        units_text = f"内设{miss('人员编制：内设股室')}"
    as_of = _clean(st.as_of) or miss("人员编制：统计时点（如“2023年12月”）")
    kind = _clean(st.establishment_kind) or miss("人员编制：编制类型（如“全额拨款事业”）")
    return (
        f"{basis}，{units_text}。至{as_of}，共有{kind}编制{_count(st.authorized, '编制数', miss)}名，"
        f"实有人数{_count(st.actual, '实有人数', miss)}人，"
        f"其中财政供养在职{_count(st.in_service, '财政供养在职人数', miss)}人、"
        f"退休人员{_count(st.retired, '退休人数', miss)}人、"
        f"抚恤人员{_count(st.survivors, '抚恤人数', miss)}人。"
        f"公务用车定编{_count(st.vehicles_quota, '公务用车定编数', miss)}台，"
        f"现有车辆{_count(st.vehicles_actual, '现有车辆数', miss)}台。"
    )


def _optional_budget(value: Amount, what: str, label: str, miss: _Missing) -> str:
    """Sections 三 to 五: "无" when empty or zero, else "{what}X万元。"."""
    number = amount_value(value)
    if is_blank(value) or number == ZERO:
        return "无"
    return f"{what}{_money(value, label, miss)}万元。"


# --------------------------------------------------------------------------- 六


def _score_sentence(subject: str, table: PerformanceTable, score: Any, miss: _Missing, label: str) -> str:
    """"{subject}自评得分91分、等级为“优”；按评分规则复核得分82.96分、等级为“良”。"."""
    if score is None or not table.indicators:
        return f"{subject}得分{miss(f'{label}绩效指标及自评得分')}。"
    rule = f"{fmt_score(score.rule_total)}分"
    if score.self_total is None:
        own = miss(f"{label}自评得分")
        return f"{subject}自评得分{own}；按评分规则计算得分{rule}、等级为“{score.grade}”。"
    own = f"{fmt_score(score.self_total)}分"
    if score.self_total == score.rule_total and score.self_grade == score.grade:
        return f"{subject}自评得分{own}，与按评分规则计算的得分一致，等级为“{score.grade}”。"
    return (f"{subject}自评得分{own}、等级为“{score.self_grade}”；"
            f"按评分规则复核得分{rule}、等级为“{score.grade}”。")


def _execution_sentence(subject: str, table: PerformanceTable, score: Any, miss: _Missing, label: str) -> str:
    fund = table.total_fund
    budget = _money(fund.full_year_budget, f"{label}全年预算数", miss)
    actual = _money(fund.actual, f"{label}全年执行数", miss)
    rate = getattr(score, "execution_rate", None)
    if rate is not None:
        rate_text = f"，预算执行率{fmt_pct(rate)}"
    elif amount_value(fund.full_year_budget) == ZERO:
        rate_text = "，全年预算数为0，预算执行率无法计算"
    else:  # the missing figures are marked already; the rate follows from them
        rate_text = ""
    return f"{subject}全年预算数{budget}万元，全年执行数{actual}万元{rate_text}。"


def _performance(ev: Evaluation, scores: Any, year: str, miss: _Missing) -> dict[str, list[str]]:
    overall = getattr(scores, "overall", None)
    summary = [
        _execution_sentence(f"{year}年度部门整体支出", ev.overall, overall, miss, "附件二 ")
        + _score_sentence("部门整体支出绩效", ev.overall, overall, miss, "附件二 ")
    ]
    project_scores = list(getattr(scores, "projects", ()) or ())
    for i, project in enumerate(ev.projects):
        score = project_scores[i] if i < len(project_scores) else None
        name = _clean(project.name) or miss(f"附件三（第{i + 1}个项目）项目支出名称")
        label = f"附件三 {_clean(project.name) or f'第{i + 1}个项目'} "
        summary.append(_execution_sentence(f"“{name}”项目", project, score, miss, label)
                       + _score_sentence("该项目", project, score, miss, label))
    completion = _clean(ev.narrative.overall_completion) or miss("六、整体绩效目标完成情况")
    items = [f"1.整体绩效目标完成情况。{completion}"]
    items += _numbered(_nonblank(ev.narrative.achievements), ".", start=2)
    return {"summary": summary, "results": items}


def _with_suggestions(own: Sequence[str], suggestions: Sequence[Any], section: str, label: str,
                      miss: _Missing) -> list[str]:
    items = _nonblank(own)
    for s in suggestions:
        text = _clean(s.text)
        if s.section == section and text and text not in items:
            items.append(text)
    return _numbered(items) if items else [miss(label)]


# --------------------------------------------------------------------------- annex tables


class _Grid:
    """Cells placed row by row on a fixed number of columns; a cell may span rows and
    columns.  Positions covered by a row span above are skipped automatically, so a row
    lists only the cells that start in it, as the printed form reads."""

    def __init__(self, columns: Sequence[int]):
        self.columns = list(columns)
        self.rows: list[list[dict[str, Any]]] = []
        self._taken: set[tuple[int, int]] = set()

    def row(self, *cells: dict[str, Any]) -> None:
        r, c, out = len(self.rows), 0, []
        for cell in cells:
            while (r, c) in self._taken:
                c += 1
            placed = {**cell, "col": c}
            out.append(placed)
            for dr in range(cell["rowspan"]):
                for dc in range(cell["colspan"]):
                    self._taken.add((r + dr, c + dc))
            c += cell["colspan"]
        while (r, c) in self._taken:
            c += 1
        if c != len(self.columns):  # a layout bug in this module, not bad data
            raise ValueError(f"annex row {r} fills {c} of {len(self.columns)} columns")
        self.rows.append(out)


def _c(text: str = "", colspan: int = 1, rowspan: int = 1, align: str = "center") -> dict[str, Any]:
    return {"text": text, "colspan": colspan, "rowspan": rowspan, "align": align}


def _cell(value: Amount, fmt=fmt_wan) -> str:
    """An amount cell: a number formatted, text ("——") as typed, empty as empty."""
    number = amount_value(value)
    if number is not None:
        return fmt(number)
    return "" if is_blank(value) else str(value).strip()


def _rate(numerator: Amount, denominator: Amount) -> str:
    """A 控制率 through the core's rule (``rules.control_rate``): "—" when it cannot be
    computed (an empty, zero or negative denominator), exactly as the checker and the
    workbook show it; the report never divides on its own."""
    return fmt_pct(rules.control_rate(amount_value(numerator), amount_value(denominator)))


def _annex(number: str, title: str, grid: _Grid, notes: Sequence[str], signature: str) -> dict[str, Any]:
    return {"number": number, "title": title, "columns": grid.columns, "rows": grid.rows,
            "notes": list(notes), "signature": signature}


def _signature(sig: Any) -> str:
    gap = "\u3000" * 4
    return (f"填表人：{sig.filler}{gap}填报日期：{sig.date}{gap}"
            f"联系电话：{sig.phone}{gap}单位负责人签字：{sig.head}")


def _basic_annex(ev: Evaluation, year: str, prior: str) -> dict[str, Any]:
    b = ev.basic
    g = _Grid(BASIC_COLUMNS)
    g.row(_c("财政供养人员情况（人）", rowspan=2), _c("编制数", 2), _c(f"{year}年实际在职人数", 2), _c("控制率", 2))
    g.row(_c(_cell(b.staff_authorized, fmt_count), 2), _c(_cell(b.staff_actual, fmt_count), 2),
          _c(_rate(b.staff_actual, b.staff_authorized), 2))
    g.row(_c("经费控制情况（万元）"), _c(f"{prior}年决算数", 2), _c(f"{year}年预算数", 2), _c(f"{year}年决算数", 2))

    def cost(row: CostRow, default: str) -> None:
        label = row.label if row.label.strip() or not default else default
        g.row(_c(label, align="left"), _c(_cell(row.prior_actual), 2), _c(_cell(row.budget), 2), _c(_cell(row.actual), 2))

    for row, default in ((b.three_public, "三公经费"), (b.vehicles, "1、公务用车购置和维护经费"),
                         (b.vehicle_purchase, "其中：公车购置"), (b.vehicle_operation, "公车运行维护"),
                         (b.overseas, "2、出国经费"), (b.reception, "3、公务接待"), (b.project_total, "项目支出")):
        cost(row, default)
    for row in b.project_items:
        cost(row, "")
    cost(CostRow("……"), "")
    cost(CostRow("3、省级专项资金（每个专项一行）"), "")
    for row in b.special_funds:
        cost(row, "")
    for row, default in ((b.public_funds, "公用经费"), (b.office, "其中：办公经费"),
                         (b.utilities_travel, "水费、电费、差旅费"), (b.meetings_training, "会议费、培训费"),
                         (b.procurement, "政府采购金额"), (b.budget_adjustment, "部门基本支出预算调整")):
        cost(row, default)
    h = b.buildings
    g.row(_c(f"楼堂馆所控制情况\n（{year}年完工项目）", rowspan=2), _c("批复规模（㎡）"), _c("实际规模（㎡）"),
          _c("规模控制率"), _c("预算投资\n（万元）"), _c("实际投资\n（万元）"), _c("投资概算控制率"))
    g.row(_c(_cell(h.approved_area)), _c(_cell(h.actual_area)), _c(_rate(h.actual_area, h.approved_area)),
          _c(_cell(h.budget_investment)), _c(_cell(h.actual_investment)),
          _c(_rate(h.actual_investment, h.budget_investment)))
    g.row(_c("厉行节约保障措施"), _c(_clean(b.frugality), 6, align="left"))
    return _annex(ANNEX_NUMBERS[0], f"{year}年度{ATTACHMENT_NAMES[0]}", g, [BASIC_NOTE], _signature(b.signature))


def _fund_row(g: _Grid, fund: FundRow, default: str, rate: str) -> None:
    g.row(_c(fund.label.strip() or default, 2), _c(_cell(fund.initial_budget)), _c(_cell(fund.full_year_budget)),
          _c(_cell(fund.actual)), _c(_cell(fund.weight, fmt_score)), _c(rate), _c(_cell(fund.self_score, fmt_score)))


def _level1_label(name: str, weights: dict[str, Amount]) -> str:
    weight = amount_value(weights.get(name))
    return f"{name}\n（{fmt_score(weight)}分）" if name and weight is not None else name


def _indicator_rows(table: PerformanceTable) -> list[Indicator]:
    """The table's 三级 rows, or the form's empty skeleton (one row per 二级) when it has none."""
    if table.indicators:
        return list(table.indicators)
    return [Indicator(level1=l1, level2=l2) for l1, names in LEVEL2_NAMES.items() for l2 in names]


def _runs(values: Sequence[str], start: int) -> int:
    """How many rows from *start* share the value at *start*."""
    n = 1
    while start + n < len(values) and values[start + n] == values[start]:
        n += 1
    return n


def _performance_rows(g: _Grid, table: PerformanceTable, score: Any) -> None:
    """年度总体目标, the 绩效指标 block and the 总分 row (shared by 附件二 and 附件三)."""
    g.row(_c("年度总体目标", rowspan=2), _c("预期目标", 4), _c("实际完成情况", 4))
    g.row(_c(_clean(table.goal_expected), 4, align="left"), _c(_clean(table.goal_actual), 4, align="left"))
    rows = _indicator_rows(table)
    g.row(_c("绩效指标", rowspan=len(rows) + 1), _c("一级指标"), _c("二级指标"), _c("三级指标"), _c("年度指标值"),
          _c("实际完成值"), _c("分值"), _c("自评得分"), _c("偏差原因分析\n及改进措施"))
    level1 = [r.level1.strip() for r in rows]
    level2 = [(r.level1.strip(), r.level2.strip()) for r in rows]
    for i, ind in enumerate(rows):
        cells = []
        if i == 0 or level1[i] != level1[i - 1]:
            cells.append(_c(_level1_label(level1[i], table.level1_weights), rowspan=_runs(level1, i)))
        if i == 0 or level2[i] != level2[i - 1]:
            cells.append(_c(level2[i][1], rowspan=_runs(level2, i)))
        cells += [_c(ind.name.strip()), _c(ind.target.strip()), _c(ind.actual.strip()), _c(_cell(ind.weight, fmt_score)),
                  _c(_cell(ind.self_score, fmt_score)), _c(_clean(ind.deviation), align="left")]
        g.row(*cells)
    weights = [amount_value(r.weight) for r in table.indicators] + [amount_value(table.total_fund.weight)]
    total_weight = sum((w for w in weights if w is not None), ZERO) if any(w is not None for w in weights) else None
    self_total = getattr(score, "self_total", None)
    g.row(_c("总分", 6), _c(fmt_score(total_weight, dash="")), _c(fmt_score(self_total, dash="")), _c(""))


def _overall_annex(ev: Evaluation, score: Any, year: str) -> dict[str, Any]:
    t = ev.overall
    g = _Grid(PERFORMANCE_COLUMNS)
    g.row(_c("预算部门、单位名称", 2), _c(_clean(t.unit_name) or ev.department, 7, align="left"))
    g.row(_c("年度预算申请\n（万元）", rowspan=7), _c("", 2), _c("年初预算数"), _c("全年预算数"), _c("全年执行数"),
          _c("分值"), _c("执行率"), _c("自评得分"))
    _fund_row(g, t.total_fund, "年度资金总额", fmt_pct(getattr(score, "execution_rate", None)))

    def pair(left: str, right: str) -> None:
        g.row(_c(left, 4, align="left"), _c(right, 4, align="left"))

    pair("按收入性质分：", "按支出性质分：")
    pair(f"其中：一般公共预算：{_cell(t.general_budget)}", f"其中：基本支出：{_cell(t.basic_expenditure)}")
    pair(f"政府性基金拨款：{_cell(t.government_fund)}", f"项目支出：{_cell(t.project_expenditure)}")
    pair(f"纳入专户管理的非税收入拨款：{_cell(t.special_account)}", "")
    pair(f"其他资金：{_cell(t.other_funds)}", "")
    _performance_rows(g, t, score)
    return _annex(ANNEX_NUMBERS[1], f"{year}年度{ATTACHMENT_NAMES[1]}", g, [], _signature(t.signature))


def _project_annex(p: ProjectTable, score: Any, year: str, number: str) -> dict[str, Any]:
    g = _Grid(PERFORMANCE_COLUMNS)
    g.row(_c("项目支出名称", 2), _c(_clean(p.name), 7, align="left"))
    g.row(_c("主管部门", 2), _c(_clean(p.competent_department), 2), _c("实施单位", 2), _c(_clean(p.implementing_unit), 3))
    funds = list(p.funds) + [FundRow(label) for label in PROJECT_FUND_LABELS[len(p.funds):]]
    g.row(_c("项目资金\n（万元）", rowspan=len(funds) + 1), _c("", 2), _c("年初预算数"), _c("全年预算数"),
          _c("全年执行数"), _c("分值"), _c("执行率"), _c("自评得分"))
    for i, fund in enumerate(funds):
        # 执行率 only on 年度资金总额, as on the form; it is computed, never the printed one
        rate = fmt_pct(getattr(score, "execution_rate", None)) if i == 0 else ""
        _fund_row(g, fund, PROJECT_FUND_LABELS[i] if i < len(PROJECT_FUND_LABELS) else "", rate)
    _performance_rows(g, p, score)
    return _annex(number, f"{year}年度{ATTACHMENT_NAMES[2]}", g, [], _signature(p.signature))


# --------------------------------------------------------------------------- the context


def build_context(ev: Evaluation, scores: Any = None, findings: Sequence[Any] = (), suggestions: Sequence[Any] = (),
                  profile: Any = None) -> dict[str, Any]:
    """Everything the report template needs, as plain data (see the module docstring).

    *scores* is ``scoring.score_evaluation``'s result (``None`` gives marks where scores
    go), *findings* ``checker.check``'s and *suggestions* ``checker.suggestions``'s —
    all of them are included in sections 七/八 after the department's own items.
    """
    miss = _Missing()
    year = str(ev.year) if ev.year else miss("评价年度")
    prior = str(ev.year - 1) if ev.year else "上"  # "上年决算数": the year itself is marked
    department = _clean(ev.department) or _clean(ev.overall.unit_name) or miss("单位名称")
    title = f"{year}年度{department}部门整体支出绩效自评报告"

    duties = _nonblank(ev.duties)
    overall = ev.overall
    personnel = _money(ev.expenditure.personnel, "人员经费", miss)
    public = _money(ev.basic.public_funds.actual, "公用经费（附件一 本年决算数）", miss)
    project_scores = list(getattr(scores, "projects", ()) or ())
    projects = [
        _project_annex(p, project_scores[i] if i < len(project_scores) else None, year,
                       ANNEX_NUMBERS[2] if len(ev.projects) == 1 else f"{ANNEX_NUMBERS[2]}-{i + 1}")
        for i, p in enumerate(ev.projects)
    ]
    annexes = [_basic_annex(ev, year, prior), _overall_annex(ev, getattr(scores, "overall", None), year), *projects]
    names = ATTACHMENT_NAMES if ev.projects else ATTACHMENT_NAMES[:2]
    # the first item follows "附件："; the others line up under it (3 ideographic spaces)
    attachments = [("附件：" if i == 1 else "\u3000" * 3) + f"{i}、{name}" for i, name in enumerate(names, 1)]

    return {
        "title": title,
        "year": year,
        "department": department,
        "cover": {
            "title_lines": [f"{year}年度{department}部门整体", "支出绩效自评报告"],
            "unit_line": f"部门（单位）名称：{department}（盖章）",
            "date_line": "年\u3000\u3000月\u3000\u3000日",
        },
        "duties": _numbered(duties) if duties else [miss("一、（一）部门主要职责")],
        "staffing": _staffing(ev, miss),
        "basic_expenditure": (
            f"{year}年基本支出{_money(overall.basic_expenditure, '基本支出（附件二 按支出性质分）', miss)}万元，"
            f"其中人员经费{personnel}万元，公用经费{public}万元。"
        ),
        "project_expenditure": (
            f"{year}年项目支出{_money(overall.project_expenditure, '项目支出（附件二 按支出性质分）', miss)}万元。"
        ),
        "government_fund": _optional_budget(overall.government_fund, "政府性基金预算支出", "政府性基金拨款", miss),
        "state_capital": _optional_budget(ev.expenditure.state_capital, "国有资本经营预算支出", "国有资本经营预算支出", miss),
        "social_insurance": _optional_budget(ev.expenditure.social_insurance, "社会保险基金预算支出", "社会保险基金预算支出",
                                             miss),
        "performance": _performance(ev, scores, year, miss),
        "problems": _with_suggestions(ev.narrative.problems, suggestions, "problems", "七、存在的问题及原因分析", miss),
        "measures": _with_suggestions(ev.narrative.measures, suggestions, "measures", "八、下一步改进措施", miss),
        "disclosure": _clean(ev.narrative.disclosure) or miss("九、自评结果拟应用和公开情况"),
        "other": _clean(ev.narrative.other) or "无",
        "attachments": attachments,
        "annexes": annexes,
        "missing": miss.labels,
        "findings": [
            {"code": f.code, "severity": str(f.severity), "where": f.where, "message": f.message} for f in findings
        ],
        "profile": {"name": getattr(profile, "name", ""), "title": getattr(profile, "title", "")},
    }

