"""The annex tables of the 自评报告 (附件一, 附件二, each 附件三) as grids of cells with merges.

Split from ``context.py`` (which puts them in the context under ``annexes``) to keep
each module under 400 lines.  The rows, labels and rates come from the declared forms
(``core/forms.py``): 附件一 iterates ``BASIC_TABLE``'s blocks, 附件二/三 take their fund
headings and rows from ``OVERALL_TABLE``/``PROJECT_TABLE``; every rate is computed by
the rule its ``forms.Rate`` relation names (``rules.control_rate`` …) or taken from the
scores, never divided here, so the report shows "—" where the checker and the workbook
do.  What stays here is presentation: the column widths, the merges, where a heading
breaks over two lines, and which first rows repeat when a table runs over a page
(``header_rows``: 附件一's staff block and 经费控制情况 headings; the unit's or the
project's name row of 附件二/三 — Word repeats only a table's first rows).

Other provinces' indicator columns (指标方向, 指标性质, 计量单位, 年初/调整后指标值, 得分系数,
核心指标, 评分标准: issue 9) appear in a table only when one of its rows fills them, so a
table on the Hunan form prints exactly the Hunan form.  They go right of 偏差原因分析及改进措施
(``OPTIONAL_COLUMNS``), every other row's last cell spans them, and the widths are scaled to
the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core import forms, rules
from ..core.forms import BASIC_NOTE, PROJECT_FUND_LABELS
from ..core.model import LEVEL2_NAMES, CostRow, Evaluation, FundRow, Indicator, PerformanceTable, ProjectTable
from ..core.money import ZERO, Amount, amount_value, fmt_count, fmt_pct, fmt_score, fmt_wan, is_blank
from ..core.values import plain

#: the annex numbers as the forms print them
ANNEX_NUMBERS = ("附件一", "附件二", "附件三")
ATTACHMENT_NAMES = ("部门整体支出绩效评价基础数据表", "部门整体支出绩效自评表", "项目支出绩效自评表")
#: width of the landscape text area in mm (A4 297 mm − 37 mm − 35 mm, see make_template.py)
ANNEX_WIDTH_MM = 225
#: column widths (mm) of 附件一: the label, then 6 narrow columns (a value spans 2 of them)
BASIC_COLUMNS = (69, 26, 26, 26, 26, 26, 26)
#: column widths (mm) of 附件二/三: 绩效指标 | 一级 | 二级 | 三级 | 指标值 | 完成值 | 分值 | 得分 | 偏差.
#: Each heading fits its column on one line (年度指标值, 满意度指标: 5 characters of 10.5 pt and
#: the cell margins in 21 mm; a 二级指标 up to 可持续影响指标, 7 characters, in 28 mm); what
#: is left goes to 偏差原因分析及改进措施, the one column of sentences, so that a table
#: with its deviations written still fits its page (issue 10)
PERFORMANCE_COLUMNS = (20, 21, 28, 38, 21, 21, 11, 17, 48)
#: other provinces' indicator columns (``model.Indicator``, issue 9): (field, heading, width mm).
#: A table shows one only when a row of it fills that field, right of 偏差原因分析及改进措施 (the
#: Hunan form's columns keep their places), and the widths are then scaled to the page
OPTIONAL_COLUMNS = (
    ("direction", "指标方向", 12), ("nature", "指标性质", 12), ("unit", "计量单位", 12),
    ("initial_target", "年初指标值", 18), ("adjusted_target", "调整后指标值", 18),
    ("score_coefficient", "得分系数", 12), ("core", "核心指标", 10), ("standard", "评分标准", 36),
)



def clean(text: str | None) -> str:
    """A department's text as one paragraph: lines joined (Chinese needs no space), trimmed."""
    if not text:
        return ""
    return "".join(line.strip() for line in text.splitlines()).strip()



class _Grid:
    """Cells placed row by row on a fixed number of columns; a cell may span rows and
    columns.  Positions covered by a row span above are skipped automatically, so a row
    lists only the cells that start in it, as the printed form reads."""

    def __init__(self, columns: Sequence[int], extra: int = 0):
        self.columns = list(columns)
        self.rows: list[list[dict[str, Any]]] = []
        self._taken: set[tuple[int, int]] = set()
        #: optional columns at the right: a row that fills only the others has its last cell widened
        self.extra = extra

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
        if self.extra and out and c == len(self.columns) - self.extra:
            last = out[-1]
            for dr in range(last["rowspan"]):
                for dc in range(self.extra):
                    self._taken.add((r + dr, last["col"] + last["colspan"] + dc))
            last["colspan"] += self.extra
            c = len(self.columns)
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


def _annex(number: str, title: str, grid: _Grid, notes: Sequence[str], signature: str,
           header_rows: int = 1) -> dict[str, Any]:
    return {"number": number, "title": title, "columns": grid.columns, "rows": grid.rows,
            "notes": list(notes), "signature": signature, "header_rows": header_rows}


def _signature(sig: Any) -> str:
    gap = "\u3000" * 4
    return (f"填表人：{sig.filler}{gap}填报日期：{sig.date}{gap}"
            f"联系电话：{sig.phone}{gap}单位负责人签字：{sig.head}")


def _years(label: str, year: str, prior: str) -> str:
    """A declared label with its years filled in: "{year}年预算数" → "2023年预算数"."""
    return label.format(year=year, prior=prior)


#: where the report breaks a declared heading over two lines (styling, not content)
_BREAKS = ("楼堂馆所控制情况", "预算投资", "实际投资", "年度预算申请", "项目资金")


def _heading(text: str) -> str:
    """"预算投资（万元）" → "预算投资\n（万元）" for the headings in ``_BREAKS``."""
    head, paren, rest = text.partition("（")
    return f"{head}\n{paren}{rest}" if paren and head in _BREAKS else text


def _declared(form: forms.Form, record: Any, row: forms.Row) -> Any:
    return forms.resolve(record, row.path)[0][1]


def _at(record: Any, path: str) -> Any:
    return forms.resolve(record, path)[0][1]


def _declared_rate(form: forms.Form, record: Any, row: forms.Row) -> str:
    """A rate row of *form*: computed by the rule its ``Rate`` relation names (never here)."""
    rel = next(r for r in form.relations if isinstance(r, forms.Rate) and r.result == row.path)
    numerator = amount_value(_at(record, rel.numerator))
    denominator = amount_value(_at(record, rel.denominator))
    return fmt_pct(getattr(rules, rel.rule)(numerator, denominator))


def _declared_cell(form: forms.Form, record: Any, row: forms.Row) -> str:
    if row.kind is forms.Kind.RATE:
        return _declared_rate(form, record, row)
    if row.kind is forms.Kind.TEXT:
        return clean(_declared(form, record, row))
    return _cell(_declared(form, record, row), fmt_count if row.kind is forms.Kind.COUNT else fmt_wan)


def shown_columns(columns: Sequence[forms.Column], rows: Sequence[Any]) -> list[forms.Column]:
    """The columns a table prints: the form's own, and an optional one (上年预算数, 年初结转)
    only when one of *rows* fills it (so a form without it prints as before)."""
    return [c for c in columns if not c.optional or any(not is_blank(getattr(r, c.attr)) for r in rows)]


def _cost_rows(b: Any) -> list[Any]:
    """Every 经费控制情况 row of 附件一 (each ``CostRow``, the lists expanded)."""
    return [v for r in forms.BASIC_TABLE.block("costs").rows for _, v in forms.resolve(b, r.path)]


def basic_annex(ev: Evaluation, year: str, prior: str) -> dict[str, Any]:
    """附件一, row by row as ``forms.BASIC_TABLE`` declares it; with a 上年预算数 column when the
    table fills one (the grid is then 12 narrow columns wide instead of 6)."""
    form, b = forms.BASIC_TABLE, ev.basic
    costs = form.block("costs")
    columns = shown_columns(costs.columns, _cost_rows(b))
    narrow = 6 if len(columns) == 3 else 12
    g = _Grid(BASIC_COLUMNS if narrow == 6 else (BASIC_COLUMNS[0], *(sum(BASIC_COLUMNS[1:]) // 12,) * 12))
    staff = form.block("staff")
    span = narrow // len(staff.rows)
    g.row(_c(staff.title, rowspan=2), *(_c(_years(r.label, year, prior), span) for r in staff.rows))
    g.row(*(_c(_declared_cell(form, b, r), span) for r in staff.rows))
    wide = narrow // len(columns)
    g.row(_c(costs.title), *(_c(_years(c.label, year, prior), wide) for c in columns))

    def cost(row: CostRow, default: str) -> None:
        label = row.label if row.label.strip() or not default else default
        g.row(_c(label, align="left"), *(_c(_cell(getattr(row, c.attr)), wide) for c in columns))

    for declared in costs.rows:
        if not declared.many:
            cost(_declared(form, b, declared), declared.label)
            continue
        if declared.before:
            cost(CostRow(declared.before), "")
        for _, item in forms.resolve(b, declared.path):
            cost(item, "")  # type: ignore[arg-type]  # a "[*]" row of the costs block: a CostRow
        if declared.after:
            cost(CostRow(declared.after), "")
    buildings = form.block("buildings")
    bspan = narrow // len(buildings.rows)
    g.row(_c(_heading(_years(buildings.title, year, prior)), rowspan=2),
          *(_c(_heading(r.label), bspan) for r in buildings.rows))
    g.row(*(_c(_declared_cell(form, b, r), bspan) for r in buildings.rows))
    for row in form.block("frugality").rows:
        g.row(_c(row.label), _c(_declared_cell(form, b, row), narrow, align="left"))
    # header rows: the staff block and the 经费控制情况 column headings (Word repeats only
    # the first rows of a table, so the staff block comes with them)
    return _annex(ANNEX_NUMBERS[0], f"{year}年度{ATTACHMENT_NAMES[0]}", g, [BASIC_NOTE], _signature(b.signature),
                  header_rows=3)


def _fund_row(g: _Grid, fund: FundRow, default: str, rate: str, columns: Sequence[forms.Column]) -> None:
    """One fund row: the label (2 grid columns, 1 when an optional column is shown), then *columns*."""
    def value(c: forms.Column) -> str:
        if c.attr == "printed_rate":
            return rate
        return _cell(getattr(fund, c.attr), fmt_score if c.kind is forms.Kind.SCORE else fmt_wan)
    g.row(_c(fund.label.strip() or default, 8 - len(columns)), *(_c(value(c)) for c in columns))


def _fund_heading(g: _Grid, block: forms.Block, columns: Sequence[forms.Column], rows: int) -> None:
    g.row(_c(_heading(block.title), rowspan=rows), _c("", 8 - len(columns)), *(_c(c.label) for c in columns))


def _level1_label(name: str, weights: dict[str, Amount]) -> str:
    weight = amount_value(weights.get(name))
    return f"{name}\n（{fmt_score(weight)}分）" if name and weight is not None else name


def _indicator_rows(table: PerformanceTable) -> list[Indicator]:
    """The table's 三级 rows, or the form's empty skeleton (one row per 二级) when it has none."""
    if table.indicators:
        return list(table.indicators)
    return [Indicator(level1=l1, level2=l2) for l1, names in LEVEL2_NAMES.items() for l2 in names]


def _runs(values: Sequence[object], start: int) -> int:
    """How many rows from *start* share the value at *start*."""
    n = 1
    while start + n < len(values) and values[start + n] == values[start]:
        n += 1
    return n


def used_columns(table: PerformanceTable) -> tuple[tuple[str, str, int], ...]:
    """The ``OPTIONAL_COLUMNS`` some row of *table* fills (a form that prints them)."""
    return tuple(col for col in OPTIONAL_COLUMNS
                 if any(_optional_text(row, col[0]) for row in table.indicators))


def _optional_text(row: Indicator, attr: str) -> str:
    value = getattr(row, attr)
    if attr == "core":
        return "是" if value else ""
    if attr == "score_coefficient":
        number = amount_value(value)
        return plain(number) if number is not None else ("" if is_blank(value) else str(value).strip())
    return clean(value)


def performance_grid(table: PerformanceTable) -> _Grid:
    """The grid of 附件二/三: the form's columns, and the optional ones *table* uses, all scaled
    to the page width when there are any."""
    extra = used_columns(table)
    if not extra:
        return _Grid(PERFORMANCE_COLUMNS)
    widths = [*PERFORMANCE_COLUMNS, *(w for _, _, w in extra)]
    scaled = [round(w * ANNEX_WIDTH_MM / sum(widths)) for w in widths]
    scaled[-1] += ANNEX_WIDTH_MM - sum(scaled)
    return _Grid(scaled, len(extra))


def _performance_rows(g: _Grid, table: PerformanceTable, score: Any) -> None:
    """年度总体目标, the 绩效指标 block and the 总分 row (shared by 附件二 and 附件三)."""
    extra = used_columns(table)
    g.row(_c("年度总体目标", rowspan=2), _c("预期目标", 4), _c("实际完成情况", 4))
    g.row(_c(clean(table.goal_expected), 4, align="left"), _c(clean(table.goal_actual), 4, align="left"))
    rows = _indicator_rows(table)
    g.row(_c("绩效指标", rowspan=len(rows) + 1), _c("一级指标"), _c("二级指标"), _c("三级指标"), _c("年度指标值"),
          _c("实际完成值"), _c("分值"), _c("自评得分"), _c("偏差原因分析\n及改进措施"),
          *(_c(heading) for _, heading, _ in extra))
    level1 = [r.level1.strip() for r in rows]
    level2 = [(r.level1.strip(), r.level2.strip()) for r in rows]
    for i, ind in enumerate(rows):
        cells = []
        if i == 0 or level1[i] != level1[i - 1]:
            cells.append(_c(_level1_label(level1[i], table.level1_weights), rowspan=_runs(level1, i)))
        if i == 0 or level2[i] != level2[i - 1]:
            cells.append(_c(level2[i][1], rowspan=_runs(level2, i)))
        cells += [_c(ind.name.strip()), _c(ind.target.strip()), _c(ind.actual.strip()), _c(_cell(ind.weight, fmt_score)),
                  _c(_cell(ind.self_score, fmt_score)), _c(clean(ind.deviation), align="left")]
        cells += [_c(_optional_text(ind, attr), align="left" if attr == "standard" else "center") for attr, _, _ in extra]
        g.row(*cells)
    weights = [amount_value(r.weight) for r in table.indicators] + [amount_value(table.total_fund.weight)]
    total_weight = sum((w for w in weights if w is not None), ZERO) if any(w is not None for w in weights) else None
    self_total = getattr(score, "self_total", None)
    g.row(_c("总分", 6), _c(fmt_score(total_weight, dash="")), _c(fmt_score(self_total, dash="")), _c(""))
    if table.printed_grade.strip():  # 自评等级, on the templates that print it (issue 9)
        g.row(_c("自评等级", 6), _c(table.printed_grade.strip(), 2), _c(""))


def overall_annex(ev: Evaluation, score: Any, year: str) -> dict[str, Any]:
    """附件二; its 其中 fund rows (the national template: 当年财政拨款, 上年结转, 其他资金) under
    年度资金总额 when the table has them."""
    t = ev.overall
    g = performance_grid(t)
    g.row(_c("预算部门、单位名称", 2), _c(clean(t.unit_name) or ev.department, 7, align="left"))
    form = forms.OVERALL_TABLE
    funds, by_source, by_nature = form.block("funds"), form.block("by_source"), form.block("by_nature")
    rows = list(t.funds) or [t.total_fund]
    columns = shown_columns(funds.columns, rows)
    # the national template prints 其中 fund rows instead of 按收入/支出性质分: with 其中 rows and
    # those groups all blank, the groups are not printed
    groups = len(rows) == 1 or any(not is_blank(_at(t, r.path)) for b in (by_source, by_nature) for r in b.rows)
    _fund_heading(g, funds, columns, 1 + len(rows) + (1 + max(len(by_source.rows), len(by_nature.rows)) if groups else 0))
    rate = fmt_pct(getattr(score, "execution_rate", None))
    for i, fund in enumerate(rows):
        _fund_row(g, fund, funds.rows[0].label if i == 0 else "", rate if i == 0 else "", columns)

    def lines(block: forms.Block) -> list[str]:
        return [f"{block.title}：", *(f"{'其中：' if i == 0 else ''}{r.label}：{_declared_cell(form, t, r)}"
                                     for i, r in enumerate(block.rows))] if groups else []

    left, right = lines(by_source), lines(by_nature)
    for i in range(max(len(left), len(right))):
        g.row(_c(left[i] if i < len(left) else "", 4, align="left"),
              _c(right[i] if i < len(right) else "", 4, align="left"))
    _performance_rows(g, t, score)
    return _annex(ANNEX_NUMBERS[1], f"{year}年度{ATTACHMENT_NAMES[1]}", g, [], _signature(t.signature))


def project_annex(p: ProjectTable, score: Any, year: str, number: str) -> dict[str, Any]:
    """附件三; all its fund rows (the form's four, or five and more: 中央/省级/市级/县级资金 …)."""
    g = performance_grid(p)
    g.row(_c("项目支出名称", 2), _c(clean(p.name), 7, align="left"))
    g.row(_c("主管部门", 2), _c(clean(p.competent_department), 2), _c("实施单位", 2), _c(clean(p.implementing_unit), 3))
    funds = list(p.funds) + [FundRow(label) for label in PROJECT_FUND_LABELS[len(p.funds):]]
    block = forms.PROJECT_TABLE.block("funds")
    columns = shown_columns(block.columns, funds)
    _fund_heading(g, block, columns, len(funds) + 1)
    for i, fund in enumerate(funds):
        # 执行率 only on 年度资金总额, as on the form; it is computed, never the printed one
        rate = fmt_pct(getattr(score, "execution_rate", None)) if i == 0 else ""
        _fund_row(g, fund, PROJECT_FUND_LABELS[i] if i < len(PROJECT_FUND_LABELS) else "", rate, columns)
    _performance_rows(g, p, score)
    return _annex(number, f"{year}年度{ATTACHMENT_NAMES[2]}", g, [], _signature(p.signature))
