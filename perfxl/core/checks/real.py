"""Checks that real published tables need (issue 9), each selectable by profile.

=================  =====================================================  ========  ==========
id                 what                                                   default   severity
=================  =====================================================  ========  ==========
BLANKS             年度资金总额 行有分值而自评得分为空；表上总分为空       on        警告
WEIGHT_SPLIT       一级指标分值与方案 ``[weights]`` 相差超过允许偏差        off       提示
STAFF_OVER_QUOTA   实有人数多于编制数                                     on        提示
PROJECT_OVER       附件1 项目支出 决算数远超预算数                        on        提示
TEMPLATE_TEXT      单元格留有模板说明文字或占位符（请填写、XX…）          on        错误
UNFILLED           表格未填写（只有表样）                                 on        错误
=================  =====================================================  ========  ==========

Decisions and why:

* BLANKS is a 警告, not an 错误: the rule score still exists, but the published table
  omits the department's own figure (seen in real tables: a fund row with 分值 10 and
  no 得分, a 总分 row left empty).  A blank total is reported only when some row has a
  self-score (a table with no self-scores at all is UNFILLED or SCORE_MISSING).
* WEIGHT_SPLIT is off by default (``hunan``/``default``): 财预〔2020〕10号 allows the
  split to be "适当调整", and the Hunan sample sets its own; ``national`` switches it on
  as a 提示 with ``[checks] weight_deviation`` (0 points) of tolerance.  Each 一级指标 is
  the sum of its 三级指标 weights (the declared header weight when no row has one);
  执行率 is the fund row's 分值.
* STAFF_OVER_QUOTA is a 提示: more staff than 编制 happens (借调, 编外) and is a fact to
  explain, not an error in the table (domain.md: 在职人员控制率 > 100% loses points).
* PROJECT_OVER: 决算数 above 预算数 × (1 + ``[checks] project_over_budget``, 0.5 by
  default, a perfxl value) is a 提示: 附件1's 预算数 is the 年初 budget, and mid-year
  allocations legitimately raise spending, so it only asks for the explanation; and
  the 项目支出 total is not flagged when the 附件三 tables' 全年预算数 (the adjusted
  budgets) cover it (the Hunan sample: 附件一 预算 3, 决算 42.73, 附件三 全年预算数 43.27).  The 项目支出 total is checked, and each 项目 row of 附件1
  when two or more are filled in (a single one repeats the total).
* TEMPLATE_TEXT: every text cell of the data file is searched for instruction phrases
  left from a template (请填写, 请选择, 请输入, 填写说明, 此处填写, 填报说明, a length
  limit such as "（100字以内）": a 2023 Sichuan table left "对照年度目标，说明…（100字以内）"
  in its 年度目标完成情况 cell) and
  placeholders (XX, ××, ＸＸ, "XX县"); an 错误, because such a cell was never filled.
* UNFILLED: a 附件二/附件三 whose fund row has no 全年执行数 and none of whose indicator
  rows has an 实际完成值 or 自评得分, and which prints no 总分: published as the blank
  template.  An 错误, once per table.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from ..cells import unanswered
from ..findings import Finding, Table
from ..model import Evaluation, PerformanceTable
from ..money import ZERO, amount_value, fmt_pct, fmt_score, fmt_wan
from ..profile import Profile
from ..scoring import EvaluationScore, TableScore
from .base import Collector
from .structure import performance_tables


def _tables(ev: Evaluation, scores: EvaluationScore) -> list[tuple[PerformanceTable, TableScore]]:
    return performance_tables(ev, scores)  # 附件二 only when the file has it (structure.py)


def check_blanks(ev: Evaluation, scores: EvaluationScore, profile: Profile) -> Iterable[Finding]:
    """A fund row with a 分值 but no 自评得分; a blank printed 总分 where rows have self-scores."""
    c = Collector(profile)
    for table, score in _tables(ev, scores):
        if table.funds and score.budget_weight is not None and unanswered(table.funds[0].self_score):
            c.add("FUND_SCORE_BLANK", score.table, f"{score.path}.funds[0].self_score", "年度资金总额 自评得分",
                  f"年度资金总额（执行率）分值为 {fmt_score(score.budget_weight)}，自评得分却为空"
                  # no 执行率 yet (a new year's blank table): no "按规则应为 —"
                  + (f"；按规则应为 {fmt_score(score.budget_score)}。" if score.budget_score is not None
                     else "。"), expected=score.budget_score or "", title=score.title)
        scored = any(s.self_score is not None for s in score.indicators)
        if scored and unanswered(table.printed_total_score):
            c.add("TOTAL_BLANK", score.table, f"{score.path}.printed_total_score", "总分 自评得分",
                  f"表上总分为空；各项自评得分之和为 {fmt_score(score.self_total)}。",
                  expected=score.self_total or "", title=score.title)
    return c.findings


def _level1_weights(table: PerformanceTable, score: TableScore) -> dict[str, Decimal | None]:
    sums: dict[str, Decimal] = {}
    for s in score.indicators:
        if s.weight is not None:
            sums[s.indicator.level1] = sums.get(s.indicator.level1, ZERO) + s.weight
    out: dict[str, Decimal | None] = {name: amount_value(v) for name, v in table.level1_weights.items()}
    out.update(sums)
    out["执行率"] = score.budget_weight
    return out


def check_weight_split(ev: Evaluation, scores: EvaluationScore, profile: Profile) -> Iterable[Finding]:
    """Each 一级指标's weight against the profile's ``[weights]``, within ``weight_deviation``."""
    c = Collector(profile)
    for table, score in _tables(ev, scores):
        if not score.indicators:
            continue
        got = _level1_weights(table, score)
        for name, expected in profile.weights.items():
            have = got.get(name)
            if have is None or abs(have - expected) <= profile.weight_deviation:
                continue
            c.add("WEIGHT_SPLIT", score.table, f"{score.path}.level1_weights.{name}", f"{name} 分值",
                  f"{name}分值为 {fmt_score(have)}，评分方案“{profile.name}”规定为 {fmt_score(expected)}"
                  + (f"（允许偏差 {fmt_score(profile.weight_deviation)} 分）" if profile.weight_deviation else "")
                  + "；如有特殊情况调整，请说明理由。", expected=expected, actual=have, title=score.title)
    return c.findings


def check_staff_over_quota(ev: Evaluation, scores: EvaluationScore, profile: Profile) -> Iterable[Finding]:
    """实有人数 above 编制数 (附件1, else 基本情况): a 提示."""
    c = Collector(profile)
    pairs = ((ev.basic.staff_authorized, ev.basic.staff_actual, Table.BASIC, "basic.staff_actual"),
             (ev.staffing.authorized, ev.staffing.actual, Table.GENERAL, "staffing.actual"))
    for quota_raw, actual_raw, table, path in pairs:
        quota, actual = amount_value(quota_raw), amount_value(actual_raw)
        if quota is None or actual is None:
            continue
        if actual > quota:
            c.add("STAFF_OVER_QUOTA", table, path, "实有人数",
                  f"实有人数 {actual:f} 人多于编制数 {quota:f} 人（在职人员控制率 {fmt_pct(actual / quota) if quota else '—'}），"
                  "请说明原因。", expected=f"≤ {quota:f}", actual=f"{actual:f}")
        return c.findings  # 附件1 when filled in; 基本情况 only when it is not
    return c.findings


def check_project_over(ev: Evaluation, scores: EvaluationScore, profile: Profile) -> Iterable[Finding]:
    """附件1 项目支出 (total and each item): 决算数 above 预算数 × (1 + project_over_budget)."""
    c = Collector(profile)
    rows = [("basic.project_total", ev.basic.project_total)]
    items = [(f"basic.project_items[{i}]", row) for i, row in enumerate(ev.basic.project_items)
             if amount_value(row.budget) is not None and amount_value(row.actual) is not None]
    if len(items) > 1:  # a single filled item is the total again: reported once
        rows += items
    adjusted = [s.full_year_budget for s in scores.projects]
    covered = sum((a for a in adjusted if a is not None), ZERO) if adjusted and None not in adjusted else None
    for path, row in rows:
        budget, spent = amount_value(row.budget), amount_value(row.actual)
        if budget is None or spent is None or budget <= 0:
            continue
        if path == "basic.project_total" and covered is not None and spent <= covered:
            continue  # within the adjusted budget the 附件3 tables show: a mid-year allocation
        if spent > budget * (1 + profile.project_over_budget):
            label = (row.label or "项目支出").strip("：: ")
            c.add("PROJECT_OVER_BUDGET", Table.BASIC, f"{path}.actual", f"{label} 决算数",
                  f"{label}决算数 {fmt_wan(spent)} 为预算数 {fmt_wan(budget)} 的 {fmt_pct(spent / budget)}，"
                  f"超出 {fmt_pct(profile.project_over_budget)} 以上，请说明年中追加或调整的原因。",
                  expected=f"≤ {fmt_wan(budget * (1 + profile.project_over_budget))}", actual=fmt_wan(spent))
    return c.findings


#: instruction phrases and placeholders a template leaves in its cells
TEMPLATE_PATTERNS = re.compile(
    r"请填写|请选择|请输入|填写说明|填报说明|此处填写|[（(]\s*填写|[（(]\d+字以内[)）]|"
    r"(?<![A-Za-z])[XxＸｘ]{2,}(?![A-Za-z])|×{2,}|○{2,}"
)


def _hits(value: object, path: str) -> Iterator[tuple[str, str, re.Match[str]]]:
    """(path, text, match) of each text under *value* that ``TEMPLATE_PATTERNS`` finds, in
    model order.  A text's path is made only when it matches: a department has ~1,000
    texts and almost none match (issue 11: this walk was a tenth of a file's checking)."""
    if isinstance(value, str):
        match = TEMPLATE_PATTERNS.search(value)
        if match:
            yield path, value, match
        return
    if isinstance(value, (list, tuple)):
        items: Iterable[tuple[object, object]] = enumerate(value)
        child = "{0}[{1}]"
    elif isinstance(value, dict):
        items, child = value.items(), "{0}.{1}"
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = ((name, getattr(value, name)) for name in _field_names(type(value)))
        child = "{0}.{1}" if path else "{1}"
    else:
        return
    for key, item in items:
        if isinstance(item, str):
            match = TEMPLATE_PATTERNS.search(item)
            if match:
                yield child.format(path, key), item, match
        elif item is not None and not isinstance(item, (int, Decimal)):
            yield from _hits(item, child.format(path, key))


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _table_of(path: str) -> Table:
    for prefix, table in (("basic", Table.BASIC), ("overall", Table.OVERALL), ("projects", Table.PROJECT)):
        if path.startswith(prefix):
            return table
    return Table.GENERAL


def check_template_text(ev: Evaluation, scores: EvaluationScore, profile: Profile) -> Iterable[Finding]:
    """Instruction text or placeholders left in any text cell."""
    c = Collector(profile)
    for path, text, match in _hits(ev, ""):
        if path in ("profile", "format", "version") or path.startswith("narrative.dropped_suggestions"):
            continue
        shown = text if len(text) <= 40 else text[:40] + "…"
        c.add("TEMPLATE_TEXT", _table_of(path), path, path,
              f"“{shown}”中留有模板说明文字或占位符“{match.group(0)}”，请填写实际内容。", actual=shown)
    return c.findings


def check_unfilled(ev: Evaluation, scores: EvaluationScore, profile: Profile) -> Iterable[Finding]:
    """A 附件二/附件三 published as the blank template."""
    c = Collector(profile)
    for table, score in _tables(ev, scores):
        if not table.funds and not table.indicators:
            continue
        spent = any(not unanswered(f.actual) for f in table.funds)
        rows = any(str(i.actual).strip() or not unanswered(i.self_score) for i in table.indicators)
        if not spent and not rows and unanswered(table.printed_total_score):
            c.add("TABLE_UNFILLED", score.table, score.path, score.title,
                  f"{score.title}未填写：没有全年执行数、实际完成值和自评得分，似为未填写的表样。", title=score.title)
    return c.findings
