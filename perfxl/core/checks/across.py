"""Checks of 附件一's own rules and across tables, and of 基本情况.

* 附件一: 决算数 over 预算数 (三公经费 a 警告, 公用经费 a 提示), the 三公经费 变动率 on the
  profile's basis (``change_rate_basis``);
* across tables: 项目支出 in 附件一 / 附件二 / 附件三, 人员经费 + 公用经费 = 基本支出 (a gap
  within the rounding tolerance is a 提示: domain.md rule 5), the unit's name, the
  staff numbers of 基本情况 against 附件一;
* 基本情况: the name and the year.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .. import rules
from ..cells import reported, text_of, unanswered
from ..findings import Finding, Severity, Table
from ..model import Evaluation
from ..money import amount_value, fmt_pct, fmt_wan
from ..profile import Profile
from ..scoring import EvaluationScore
from .base import Collector


def _columns(ev: Evaluation, name: str) -> dict[str, Decimal | None]:
    row = getattr(ev.basic, name)
    return {attr: amount_value(getattr(row, attr)) for attr in ("prior_actual", "budget", "actual", "prior_budget")}


def check_over_budget(ev: Evaluation, scores: EvaluationScore, profile: Profile) -> Iterable[Finding]:
    """附件一: 决算数 above 预算数 (三公经费 a 警告, 公用经费 a 提示)."""
    c = Collector(profile)
    t = Table.BASIC
    rows = {name: _columns(ev, name) for name in ("three_public", "public_funds")}
    for name, label in (("three_public", "三公经费"), ("public_funds", "公用经费")):
        budget, spent = rows[name]["budget"], rows[name]["actual"]
        if budget is not None and spent is not None and spent > budget:
            c.add("OVER_BUDGET", t, f"basic.{name}.actual", f"{label} 决算数",
                  f"{label}决算数 {fmt_wan(spent)} 超过预算数 {fmt_wan(budget)}，请说明原因。",
                  expected=f"≤ {fmt_wan(budget)}", actual=fmt_wan(spent),
                  severity=Severity.WARNING if name == "three_public" else Severity.NOTICE)
    return c.findings


def check_change_rate(ev: Evaluation, scores: EvaluationScore, profile: Profile) -> Iterable[Finding]:
    """三公经费 变动率 on the profile's basis: this year's 决算数 or 预算数 (``basis``) against
    last year's 决算数 or 预算数 (``prior``; 财预〔2013〕53号 compares budget with budget)."""
    c = Collector(profile)
    t = Table.BASIC
    three_public = _columns(ev, "three_public")
    basis, prior = c.profile.change_rate_basis, c.profile.change_rate_prior
    last = three_public["prior_actual" if prior == "actual" else "prior_budget"]
    this = three_public["actual" if basis == "actual" else "budget"]
    change = rules.change_rate(this, last)
    if change is not None and change != 0:
        word = "增长" if change > 0 else "下降"
        c.add("CHANGE_RATE", t, f"basic.three_public.{'actual' if basis == 'actual' else 'budget'}", "三公经费 变动率",
              f"三公经费{('决算数' if basis == 'actual' else '预算数')}较上年{('决算数' if prior == 'actual' else '预算数')}"
              f"{word} {fmt_pct(abs(change))}（{fmt_wan(last)} → {fmt_wan(this)}）。", actual=fmt_pct(change))

    return c.findings


def check_cross(ev: Evaluation, scores: EvaluationScore, profile: Profile) -> Iterable[Finding]:
    """项目支出, 基本支出 and the staff numbers across tables; the unit's name."""
    c = Collector(profile)
    t = Table.CROSS
    basic_project = amount_value(ev.basic.project_total.actual)
    overall_project = amount_value(ev.overall.project_expenditure)
    if basic_project is not None and overall_project is not None:
        c.sum_check(basic_project, [overall_project], t, "basic.project_total.actual", "附件1 项目支出 决算数",
                    "附件2 按支出性质分 项目支出", code="CROSS_MISMATCH")
    if ev.projects and basic_project is not None:
        c.sum_check(basic_project, [s.actual for s in scores.projects], t, "basic.project_total.actual",
                    "附件1 项目支出 决算数", "各附件3 全年执行数", code="CROSS_MISMATCH")
    basic_budget = amount_value(ev.basic.project_total.budget)
    if ev.projects and basic_budget is not None:
        c.sum_check(basic_budget, [s.initial_budget for s in scores.projects], t, "basic.project_total.budget",
                    "附件1 项目支出 预算数", "各附件3 年初预算数", code="CROSS_MISMATCH")
    basic_exp = amount_value(ev.overall.basic_expenditure)
    personnel = c.number(ev.expenditure.personnel, Table.GENERAL, "expenditure.personnel", "人员经费")
    public = amount_value(ev.basic.public_funds.actual)
    if basic_exp is not None and personnel is not None and public is not None:
        c.sum_check(basic_exp, [personnel, public], t, "expenditure.personnel", "基本支出（附件2）",
                    "报告中人员经费与公用经费（附件1）", code="CROSS_MISMATCH")
    for name, label in (("state_capital", "国有资本经营预算支出"), ("social_insurance", "社会保险基金预算支出")):
        c.number(getattr(ev.expenditure, name), Table.GENERAL, f"expenditure.{name}", label)
    if ev.overall.unit_name.strip() and ev.department.strip() and ev.overall.unit_name.strip() != ev.department.strip():
        c.add("NAME_MISMATCH", t, "overall.unit_name", "预算部门、单位名称",
              f"附件2 的单位名称“{ev.overall.unit_name}”与基本情况中的“{ev.department}”不一致。",
              expected=ev.department, actual=ev.overall.unit_name)
    st = ev.staffing
    for attr, basic_attr, label in (("authorized", "staff_authorized", "编制数"), ("actual", "staff_actual", "实有人数")):
        own = c.number(getattr(st, attr), Table.GENERAL, f"staffing.{attr}", label, unit="人")
        other = amount_value(getattr(ev.basic, basic_attr))
        if own is not None and other is not None and own != other:
            c.add("CROSS_MISMATCH", t, f"staffing.{attr}", label,
                  f"基本情况中的{label} {text_of(own)} 与附件1 的 {text_of(other)} 不一致。", expected=other, actual=own)
    for attr, label, unit in (("in_service", "财政供养在职人数", "人"), ("retired", "退休人数", "人"),
                              ("survivors", "抚恤人数", "人"), ("vehicles_quota", "公务用车定编数", "台"),
                              ("vehicles_actual", "现有车辆数", "台")):
        c.number(getattr(st, attr), Table.GENERAL, f"staffing.{attr}", label, unit=unit)
    return c.findings


def check_general(ev: Evaluation, scores: EvaluationScore, profile: Profile) -> Iterable[Finding]:
    """基本情况: the unit's name and the evaluated year."""
    c = Collector(profile)
    t = Table.GENERAL
    if unanswered(ev.department):
        c.add("MISSING_FIELD", t, "department", "单位名称", "未填写单位名称。")
    if not 2000 <= ev.year <= 2100 and not reported(ev.year):  # a reader's mark: already reported
        c.add("MISSING_FIELD", t, "year", "评价年度", f"评价年度“{ev.year or ''}”无效，应为四位年份，如 2023。",
              actual=ev.year or "")
    return c.findings
