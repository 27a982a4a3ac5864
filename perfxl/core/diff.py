"""What changed between two department-years, or two versions of one (``perfxl diff A B``).

``diff_evaluations(old, new, profile)`` is pure and returns values: a list of ``Change``
in model order (department, staffing, 附件一, 附件二, 附件三 by project, narrative), then
the scores.  Decisions:

* **Paths are model paths** (``basic.reception.prior_actual``,
  ``overall.indicators[2].target``): for a row that both sides have, the path is the
  one in *new* (where the user will look); a removed row has its path in *old*.
* **Rows are matched by name, not position**: projects by 项目名称; indicators by
  (一级, 二级, 三级指标); fund rows and 附件一's numbered rows by their label; so a
  row inserted above another shows as one addition, not as every row below changed.
  When the years differ, "2023年" in an old indicator's name is read as "2024年" for
  matching (``core.nextyear`` renames the 时效指标 "2023年度" so), and the rename
  itself is still listed as a change of the name.  Duplicate names pair in order.
* **Lists of texts** (duties, 内设股室, achievements, problems, measures) are compared as
  sets of items: an item in one side only is added or removed; reordering is no change.
* **Scores come from the core's scoring** (``score_evaluation`` with one profile for
  both sides, so that a change means the data changed, not the rules): per table the
  执行率, its score, the rule total and grade, the department's own total and grade,
  and each matched indicator's rule score.  The department's own scores per row are
  data and appear as data changes (``self_score``).
* **Values are as typed**: an ``Amount`` stays a Decimal or text; "1.50" against "1.5"
  is no change (compared as numbers), "" and None are the same blank.

``kind`` is one of ``KINDS``: "changed" (a value), "added" / "removed" (a row or list
item: its summary is the new / old value), "score" (a computed score or grade).
``describe`` gives the Chinese line for a terminal (the caller makes department text
``visible``); ``change_json`` the JSON object.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .model import (
    CostRow,
    Evaluation,
    FundRow,
    Indicator,
    PerformanceTable,
    ProjectTable,
)
from .profile import Profile
from .scoring import TableScore, score_evaluation, scored_target_field, table_title

__all__ = ["KINDS", "Change", "change_json", "describe", "diff_evaluations"]

KINDS = ("changed", "added", "removed", "score")

#: Chinese names of fields, by the record that holds them (then by name alone)
_NAMES: dict[str, dict[str, str]] = {
    "Evaluation": {"department": "单位名称", "year": "年度", "profile": "评分方案", "duties": "部门主要职责"},
    "Staffing": {"basis": "机构设置依据", "internal_units": "内设股室", "establishment_kind": "编制性质",
                 "as_of": "人数统计时间", "authorized": "编制数", "actual": "实有人数", "in_service": "财政供养在职人数",
                 "retired": "退休人员", "survivors": "抚恤人员", "vehicles_quota": "公务用车定编",
                 "vehicles_actual": "现有车辆"},
    "Expenditure": {"personnel": "人员经费", "state_capital": "国有资本经营预算支出",
                    "social_insurance": "社会保险基金预算支出"},
    "BasicData": {"staff_authorized": "编制数", "staff_actual": "实际在职人数", "printed_staff_rate": "人员控制率",
                  "frugality": "厉行节约保障措施"},
    "CostRow": {"label": "名称", "prior_actual": "上年决算数", "budget": "本年预算数", "actual": "本年决算数",
                "prior_budget": "上年预算数"},
    "BuildingControl": {"approved_area": "批复规模", "actual_area": "实际规模", "printed_area_rate": "规模控制率",
                        "budget_investment": "预算投资", "actual_investment": "实际投资",
                        "printed_investment_rate": "投资概算控制率"},
    "Signature": {"filler": "填表人", "date": "填报日期", "phone": "联系电话", "head": "单位负责人"},
    "FundRow": {"label": "名称", "initial_budget": "年初预算数", "full_year_budget": "全年预算数", "actual": "全年执行数",
                "weight": "分值", "printed_rate": "执行率", "self_score": "自评得分", "carried_over": "年初结转"},
    "Indicator": {"level1": "一级指标", "level2": "二级指标", "name": "三级指标", "target": "年度指标值",
                  "actual": "实际完成值", "weight": "分值", "self_score": "自评得分", "deviation": "偏差原因分析及改进措施",
                  "tier": "完成档次", "direction": "指标方向", "unit": "计量单位", "nature": "指标性质",
                  "initial_target": "年初指标值", "adjusted_target": "调整后指标值", "score_coefficient": "得分系数",
                  "core": "核心指标", "standard": "评分标准"},
    "PerformanceTable": {"goal_expected": "年度总体目标 预期目标", "goal_actual": "年度总体目标 实际完成情况",
                         "level1_weights": "一级指标分值", "printed_total_weight": "总分值",
                         "printed_total_score": "总得分", "printed_grade": "表上自评等级", "unit_name": "单位名称", "general_budget": "一般公共预算",
                         "government_fund": "政府性基金拨款", "special_account": "纳入专户管理的非税收入拨款",
                         "other_funds": "其他资金", "basic_expenditure": "基本支出", "project_expenditure": "项目支出",
                         "name": "项目名称", "competent_department": "主管部门", "implementing_unit": "实施单位"},
    "Narrative": {"overall_completion": "整体绩效目标完成情况", "achievements": "主要绩效", "problems": "存在的问题",
                  "measures": "改进措施", "disclosure": "结果应用和公开情况", "other": "其他需要说明的情况",
                  "dropped_suggestions": "不采用的建议"},
}
_SECTIONS = {"staffing": "人员编制", "expenditure": "支出情况（正文）", "basic": "附件1 基础数据表",
             "narrative": "报告正文", "buildings": "楼堂馆所", "signature": "签字栏"}
_SCORE_NAMES = {"execution_rate": "执行率（计算）", "budget_score": "执行率得分（规则）", "rule_total": "规则总分",
                "grade": "规则等级", "self_total": "自评总分", "self_grade": "自评等级"}


@dataclass(frozen=True)
class Change:
    """One difference.  path: model path (see the module).  label: where, in Chinese
    ("附件2 整体自评表 数量指标“…” 年度指标值").  old / new: the values (None when
    blank or absent).  kind: one of ``KINDS``."""

    path: str
    label: str
    old: Any
    new: Any
    kind: str = "changed"


def _blank(value: Any) -> Any:
    return None if value in ("", [], {}) else value


def _same(a: Any, b: Any) -> bool:
    a, b = _blank(a), _blank(b)
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    return bool(a == b)


def _name(record: object, attr: str) -> str:
    for cls in type(record).__mro__:
        if attr in _NAMES.get(cls.__name__, {}):
            return _NAMES[cls.__name__][attr]
    return _SECTIONS.get(attr, attr)


def _indicator_name(i: Indicator) -> str:
    return f"{i.level2 or i.level1}“{i.name}”"


def _matched(old: Sequence[Any], new: Sequence[Any], key: Callable[[Any], object],
             old_key: Callable[[Any], object] | None = None) -> Iterator[tuple[int | None, int | None]]:
    """Pairs of indexes (old, new) by key, the n-th duplicate with the n-th; new order first,
    then the removed ones in old order.  ``None`` on the side that lacks the row."""
    okey = old_key or key

    def keyed(rows: Sequence[Any], k: Callable[[Any], object]) -> list[tuple[object, int]]:
        seen: Counter[object] = Counter()
        out = []
        for row in rows:
            out.append((k(row), seen[k(row)]))
            seen[k(row)] += 1
        return out

    olds = {k: i for i, k in enumerate(keyed(old, okey))}
    used = set()
    for j, k in enumerate(keyed(new, key)):
        i = olds.get(k)
        if i is not None:
            used.add(i)
        yield i, j
    for i in range(len(old)):
        if i not in used:
            yield i, None


class _Differ:
    def __init__(self, old_year: int, new_year: int) -> None:
        self.changes: list[Change] = []
        self.years = (old_year, new_year)

    def add(self, path: str, label: str, old: Any, new: Any, kind: str = "changed") -> None:
        self.changes.append(Change(path, label, _blank(old), _blank(new), kind))

    def record(self, path: str, where: str, old: Any, new: Any) -> None:
        """Every field of two records of one class."""
        for f in dataclasses.fields(new):
            a, b = getattr(old, f.name), getattr(new, f.name)
            sub = f"{path}.{f.name}" if path else f.name
            label = f"{where} {_name(new, f.name)}".strip()
            if isinstance(b, CostRow):
                self.record(sub, f"{where} {(b.label or a.label).rstrip(':：')}".strip(), a, b)
            elif dataclasses.is_dataclass(b):
                self.record(sub, f"{where} {_SECTIONS.get(f.name, '')}".strip() or label, a, b)
            elif isinstance(b, list) and (b or a) and all(isinstance(x, str) for x in [*a, *b]):
                self.texts(sub, label, a, b)
            elif isinstance(b, list):
                self.rows(sub, where, a, b)
            elif isinstance(b, dict):
                for k in dict.fromkeys([*b, *a]):
                    if not _same(a.get(k), b.get(k)):
                        self.add(f"{sub}.{k}", f"{label} {k}", a.get(k), b.get(k))
            elif not _same(a, b):
                self.add(sub, label, a, b)

    def texts(self, path: str, label: str, old: list[str], new: list[str]) -> None:
        for i, j in _matched(old, new, lambda s: s):
            if i is None and j is not None:
                self.add(f"{path}[{j}]", label, None, new[j], "added")
            elif j is None and i is not None:
                self.add(f"{path}[{i}]", label, old[i], None, "removed")

    def rows(self, path: str, where: str, old: list[Any], new: list[Any]) -> None:
        if not old and not new:
            return
        sample = (new or old)[0]
        if isinstance(sample, Indicator):
            y0, y1 = self.years
            rename = (lambda s: s.replace(f"{y0}年", f"{y1}年")) if y0 and y1 and y0 != y1 else (lambda s: s)
            key: Callable[[Any], object] = lambda r: (r.level1, r.level2, r.name)  # noqa: E731
            old_key: Callable[[Any], object] = lambda r: (r.level1, r.level2, rename(r.name))  # noqa: E731
            title: Callable[[Any], str] = _indicator_name
        elif isinstance(sample, ProjectTable):
            key = old_key = lambda r: r.name
            title = lambda r: table_title("", r)  # noqa: E731
        else:  # CostRow, FundRow: by label
            key = old_key = lambda r: r.label
            title = lambda r: r.label or "（无名称的行）"  # noqa: E731
        for i, j in _matched(old, new, key, old_key):
            if i is not None and j is not None:
                here = title(new[j]) if isinstance(sample, ProjectTable) else f"{where} {title(new[j])}"
                self.record(f"{path}[{j}]", here, old[i], new[j])
            elif j is not None:
                self.add(f"{path}[{j}]", f"{where} {title(new[j])}".strip(), None, _summary(new[j]), "added")
            elif i is not None:
                self.add(f"{path}[{i}]", f"{where} {title(old[i])}".strip(), _summary(old[i]), None, "removed")

    def scores(self, old: TableScore, new: TableScore, path: str) -> None:
        where = new.title
        for attr, name in _SCORE_NAMES.items():
            a, b = getattr(old, attr), getattr(new, attr)
            if attr == "execution_rate":
                a, b = _percent(a), _percent(b)
            if not _same(a, b):
                self.add(f"scores.{path}.{attr}", f"{where} {name}", a, b, "score")
        pairs = _matched([s.indicator for s in old.indicators], [s.indicator for s in new.indicators],
                         lambda r: (r.level1, r.level2, r.name))
        for i, j in pairs:
            if i is None or j is None:
                continue  # an added or removed row is listed with the data
            a, b = old.indicators[i].rule_score, new.indicators[j].rule_score
            if not _same(a, b):
                self.add(f"scores.{path}.indicators[{j}].rule_score",
                         f"{where} {_indicator_name(new.indicators[j].indicator)} 规则得分", a, b, "score")


def _percent(rate: Decimal | None) -> str | None:
    return None if rate is None else f"{(rate * 100).quantize(Decimal('0.01'))}%"


def _summary(row: Any) -> str:
    """A row added or removed, in a few words."""
    if isinstance(row, Indicator):
        field = scored_target_field(row)  # the one that scores (the default profiles' rule, scoring.py)
        return f"{row.name}（{_NAMES['Indicator'][field]} {_text(getattr(row, field))}，分值 {_text(row.weight)}）"
    if isinstance(row, ProjectTable):
        return f"{row.name}（{len(row.indicators)} 个指标）"
    if isinstance(row, CostRow):
        return f"{row.label}（上年决算数 {_text(row.prior_actual)}，本年预算数 {_text(row.budget)}，本年决算数 {_text(row.actual)}）"
    if isinstance(row, FundRow):
        return f"{row.label}（全年预算数 {_text(row.full_year_budget)}，全年执行数 {_text(row.actual)}）"
    return str(row)


def diff_evaluations(old: Evaluation, new: Evaluation, profile: Profile | None = None) -> list[Change]:
    """Every difference from *old* to *new*; with *profile*, the scores' differences too."""
    differ = _Differ(old.year, new.year)
    for f in dataclasses.fields(Evaluation):
        a, b = getattr(old, f.name), getattr(new, f.name)
        if f.name == "projects":
            differ.rows("projects", "", a, b)
        elif isinstance(b, PerformanceTable):
            differ.record(f.name, table_title(f.name, b), a, b)
        elif dataclasses.is_dataclass(b):
            differ.record(f.name, _SECTIONS.get(f.name, f.name), a, b)
        elif isinstance(b, list):
            differ.texts(f.name, _name(new, f.name), a, b)
        elif not _same(a, b):
            differ.add(f.name, _name(new, f.name), a, b)
    if profile is not None:
        before, after = score_evaluation(old, profile), score_evaluation(new, profile)
        differ.scores(before.overall, after.overall, "overall")
        pairs = _matched([t.table for t in before.projects], [t.table for t in after.projects],
                         lambda t: getattr(t, "name", ""))
        for i, j in pairs:
            if i is not None and j is not None:
                differ.scores(before.projects[i], after.projects[j], f"projects[{j}]")
    return differ.changes


def _text(value: Any) -> str:
    if isinstance(value, bool):  # a mark (核心指标)
        return "是" if value else "否"
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def describe(change: Change) -> str:
    """The Chinese line for a terminal (department text not yet made ``visible``)."""
    if change.kind == "added":
        return f"新增 {change.label}：{_text(change.new)}"
    if change.kind == "removed":
        return f"删除 {change.label}：{_text(change.old)}"
    return f"{change.label}：{_text(change.old)} → {_text(change.new)}"


def change_json(change: Change) -> dict[str, Any]:
    """*change* as a JSON object: numbers as their text ("0.44"), blanks as null."""

    def value(v: Any) -> Any:
        return str(v) if isinstance(v, Decimal) else v

    return {"path": change.path, "label": change.label, "kind": change.kind,
            "old": value(change.old), "new": value(change.new)}
