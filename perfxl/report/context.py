"""The context of the 自评报告: every text and table cell the template needs, as plain data.

``build_context`` is a pure function of the model, the scores, the findings and the
suggestions; it knows nothing of Word or files (``render.py`` does).  It follows the
Hunan county outline in ``shared/docs/domain.md`` ("The narrative report"):

* sections 一（二）to 五 are generated from the tables, never retyped;
* section 六 opens with the computed facts (全年预算数, 全年执行数, the *computed*
  执行率) and the department's own 自评得分 and 等级, then the department's own texts.
  The rule-based review score is not published: the report says what the department
  says; the review goes to the review document (``review.py``, issue 10);
* sections 七 and 八 are the department's items followed by the suggestions passed in
  (``checker.suggestions`` already leaves out those the department dropped);
* the annex tables are grids of cells with their merges, in the official layout; their
  rows, labels and rates come from the declared forms (``core/forms.py``), every rate
  through the rule its ``Rate`` relation names (``rules.control_rate`` …), so the report
  shows "—" exactly where the checker and the workbook do.

Tables a file leaves out (issue 9: ``Evaluation.has_basic`` / ``has_overall``) are not
printed as empty forms, nor listed under 附件, nor asked for in the text; the present
annexes keep their form's number.  A printed 自评等级, 5 or more fund rows, 附件二's 其中
fund rows and the optional columns (上年预算数, 年初结转) appear in the annexes when the
tables have them (``annexes.py``), so a table without them prints as before.

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
annexes                the annex tables (``annexes.py``), replaced by Word content when
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

from ..core.model import (
    Evaluation,
    PerformanceTable,
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
from .annexes import (
    ANNEX_NUMBERS,
    ANNEX_WIDTH_MM,  # noqa: F401  (kept importable from here)
    ATTACHMENT_NAMES,
    basic_annex,
    overall_annex,
    project_annex,
)
from .annexes import clean as _clean

MARK = "【待填写：{}】"

class _Missing:
    """Collects what is missing and returns the mark to print in its place."""

    def __init__(self) -> None:
        self.labels: list[str] = []
        self._seen: set[str] = set()  # a department with hundreds of projects has hundreds of labels

    def __call__(self, label: str) -> str:
        if label not in self._seen:
            self._seen.add(label)
            self.labels.append(label)
        return MARK.format(label)


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
    """"{subject}自评得分91分，等级为“优”。": the department's own score and grade only.

    The rule-based review score is not part of the published text (issue 10); it goes to
    the review document (``review.py``)."""
    if not table.indicators:
        return f"{subject}得分{miss(f'{label}绩效指标及自评得分')}。"
    self_total = getattr(score, "self_total", None)
    if self_total is None:
        return f"{subject}自评得分{miss(f'{label}自评得分')}。"
    grade = getattr(score, "self_grade", None)
    return f"{subject}自评得分{fmt_score(self_total)}分" + (f"，等级为“{grade}”。" if grade else "。")


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
    ] if ev.has_overall else []
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
    public: str | None = None  # 公用经费 comes from 附件一: not quoted without it
    project_scores = list(getattr(scores, "projects", ()) or ())
    projects = [
        project_annex(p, project_scores[i] if i < len(project_scores) else None, year,
                       ANNEX_NUMBERS[2] if len(ev.projects) == 1 else f"{ANNEX_NUMBERS[2]}-{i + 1}")
        for i, p in enumerate(ev.projects)
    ]
    # a table the file leaves out (``Evaluation.has_basic`` / ``has_overall``: the national template
    # without 附件一, a project table on its own) is not printed as an empty form; the others keep
    # the form's number (附件二 stays 附件二), which the 表文一致 check reads.  A profile whose
    # template has 附件一 (``[tables] basic = "required"``; no profile: as before) prints it blank
    required = getattr(profile, "basic_table", "required") == "required"
    present = (ev.has_basic or (required and ev.has_overall), ev.has_overall, bool(ev.projects))
    if present[0]:
        public = _money(ev.basic.public_funds.actual, "公用经费（附件一 本年决算数）", miss)

    def where(label: str) -> str:
        return f"{label}（附件二 按支出性质分）" if present[1] else label

    # without 附件二 (project tables on their own) the 项目支出 is what the 附件三 tables executed
    spent = [amount_value(p.total_fund.actual) for p in ev.projects]
    numbers = [n for n in spent if n is not None]
    project_spent: Amount = (overall.project_expenditure if present[1] or len(numbers) < len(spent)
                             else sum(numbers, ZERO))
    annexes = ([basic_annex(ev, year, prior)] if present[0] else []) + (
        [overall_annex(ev, getattr(scores, "overall", None), year)] if present[1] else []) + projects
    names = [(i, name) for i, name in enumerate(ATTACHMENT_NAMES, 1) if present[i - 1]]
    # the first item follows "附件："; the others line up under it (3 ideographic spaces)
    attachments = [("附件：" if n == 0 else "\u3000" * 3) + f"{i}、{name}" for n, (i, name) in enumerate(names)]

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
            f"{year}年基本支出{_money(overall.basic_expenditure, where('基本支出'), miss)}万元，"
            f"其中人员经费{personnel}万元" + (f"，公用经费{public}万元。" if public is not None else "。")
        ),
        "project_expenditure": (
            f"{year}年项目支出{_money(project_spent, where('项目支出'), miss)}万元。"
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

