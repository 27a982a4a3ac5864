"""Suggestions for report sections 七（存在的问题及原因分析）and 八（下一步改进措施）.

Decisions (issue 10, "Sections 七 and 八 worth reading"):

* A suggestion speaks about **performance**, in plain sentences a clerk could keep:
  funds not fully spent (with the amount and the rate), indicators the department
  itself marked down (with the likely cause), indicators over-achieved far beyond their
  target (a target set too low), and indicators not worked out: set to "无" yet
  weighted, or a 数量/质量/时效/成本 target that measures nothing (one key, ``INDICATORS``,
  so that the workbook's 12 suggestion rows always suffice: at most 5 keys × 2).  Each names what it is about in words ("部门整体",
  "“业务经费”项目", "经济效益指标"), never a bare figure.
* Never about **filling the form**: a printed rate the report prints corrected
  (附件二 shows the computed 99.64%, so "填写为100%" would contradict it), sums that do
  not add up, missing deviation texts.  Those are data-quality findings; they go to the
  review document (``perfxl report --review``, 校验说明.docx), not into the published
  text.  Their old keys (``RATE_MISMATCH``, ``SUMS``, ``DEVIATION_MISSING``) are no
  longer generated and stay registered in ``codes.SUGGESTIONS`` so they are never reused.
* "The report says what the department says": an indicator counts as missed when the
  department's own 自评得分 is below its 分值 (the rule score is for the review).
* A 三级指标 named "无" is never quoted as a name ("经济效益指标“无”"): the sentence
  names its 二级指标 ("部门整体的经济效益指标").
* The likely cause of a miss is the department's own 偏差原因 when it wrote one, else
  the usual cause for that kind of indicator (``LIKELY_CAUSES``, worded as "可能" so it
  reads as a prompt, not as a finding of fact).
* A marked-down indicator whose annex row shows its target reached (the rule gives full
  marks, or the 完成档次 is 达成) is not called "未完全达到预期" and gets no guessed cause
  of a miss: the annex beside the text would contradict both (the example's 时效 "100%"
  of "100%", 12 of 13 points).  It is said as it is: reached, yet marked down by the
  department.  A miss quotes its 年度指标值 and 实际完成值 as the annex prints them.
* A target set to "无" with an actual that names a result (附件三 可持续影响 "120万次")
  is not among the "无" indicators "without any result": the sentence quotes the result
  and says the target was not set.

Each suggestion has a stable code ``<key>.problem`` / ``<key>.measure`` so the
department can drop it (``narrative.dropped_suggestions``); the keys are registered in
``codes.SUGGESTIONS``.  One suggestion per kind, however many rows it touches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .findings import Finding
from .model import Evaluation
from .money import fmt_pct, fmt_score, fmt_wan
from .rules import Tier
from .scoring import EvaluationScore, IndicatorScore, TableScore
from .values import ValueKind


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One sentence proposed for section 七 ("problems") or 八 ("measures").

    Attributes:
      code: stable identifier, e.g. "BUDGET_ADJUSTED.problem".
      section: "problems" or "measures".
      text: the sentence, ending with "。".
      sources: the finding codes it comes from.
    """

    code: str
    section: str
    text: str
    sources: tuple[str, ...] = ()


#: 二级指标 → the usual cause when such an indicator falls short (a prompt for the clerk)
LIKELY_CAUSES = {
    "数量指标": "计划工作量未全部完成",
    "质量指标": "部分工作质量未达到标准",
    "时效指标": "部分工作未能按计划时间完成",
    "成本指标": "实际支出与预算安排存在差异",
    "经济效益指标": "效益需要较长时间才能显现",
    "社会效益指标": "效益需要较长时间才能显现",
    "生态效益指标": "效益需要较长时间才能显现",
    "可持续影响指标": "长效机制尚在建立之中",
    "服务对象满意度指标": "服务对象对部分工作仍有意见",
}
#: 二级指标 whose 年度指标值 should be a number, a rate or a date (not a description)
QUANTIFIED = ("数量指标", "质量指标", "时效指标", "成本指标")
#: how many items a sentence lists before "等N项"
LIMIT = 3


def _who(table: TableScore) -> str:
    """"部门整体" or "“业务经费”项目"."""
    if table.path == "overall":
        return "部门整体"
    name = table.title.split("（", 1)[-1].rstrip("）")
    return f"“{name}”项目"


def _indicator(s: IndicatorScore) -> str:
    """"数量指标“举办科普活动”", or "经济效益指标" when the 三级 name is empty or "无"."""
    level2, name = s.indicator.level2.strip(), s.indicator.name.strip()
    if not name or name in ("无", "——", "/", "不适用"):
        return level2 or "指标"
    name = name.replace("“", "‘").replace("”", "’")  # quotes inside quotes
    return f"{level2}“{name}”" if level2 else f"“{name}”"


def _listed(items: Sequence[str], sep: str = "；") -> str:
    shown = sep.join(items[:LIMIT])
    return shown + (f"等{len(items)}项" if len(items) > LIMIT else "")


def _by_table(scores: EvaluationScore) -> list[tuple[TableScore, list[IndicatorScore]]]:
    return [(t, list(t.indicators)) for t in scores.tables]


def _unspent(scores: EvaluationScore) -> list[str]:
    parts = []
    for t in scores.tables:
        rate, budget, actual = t.execution_rate, t.full_year_budget, t.actual
        if rate is None or budget is None or actual is None or rate >= 1:
            continue
        parts.append(f"{_who(t)}全年预算{fmt_wan(budget)}万元，实际支出{fmt_wan(actual)}万元，"
                     f"{fmt_wan(budget - actual)}万元未支出，预算执行率{fmt_pct(rate)}")
    return parts


def _met(s: IndicatorScore) -> bool:
    """Whether the annex shows *s* reaching its target: the rule gives full marks, or the
    qualitative 完成档次 is 达成 (the department's own band)."""
    score, weight = s.result.score, s.weight
    return s.result.tier is Tier.ACHIEVED or (score is not None and weight is not None and score >= weight)


def _missed(scores: EvaluationScore) -> tuple[list[str], list[str], list[str]]:
    """(the indicators short of their target, those that reached it yet were marked down,
    the likely causes of the first): each marked down by the department itself."""
    short: list[str] = []
    met: list[str] = []
    causes: list[str] = []
    for t, rows in _by_table(scores):
        named_short, named_met = [], []
        for s in rows:
            if s.target.kind is ValueKind.NOT_APPLICABLE:
                continue  # said by INDICATORS
            if s.weight is None or s.self_score is None or s.self_score >= s.weight:
                continue
            # the cause only: a deviation text often goes on with its measure after "；"
            own = "".join(s.indicator.deviation.split()).split("；")[0].rstrip("。；;，,")
            points = f"得{fmt_score(s.self_score)}分，分值{fmt_score(s.weight)}分" + (f"，{own}" if own else "")
            if _met(s):
                named_met.append(f"{_indicator(s)}（{points}）")
                continue
            # the values the annex shows beside it, so the sentence reads against the table
            values = f"年度指标值“{s.target.raw.strip()}”，实际完成“{s.indicator.actual.strip() or '未填写'}”，"
            named_short.append(f"{_indicator(s)}（{values}{points}）")
            cause = LIKELY_CAUSES.get(s.indicator.level2.strip(), "")
            if cause and not own and cause not in causes:
                causes.append(cause)
        if named_short:
            short.append(f"{_who(t)}的{'、'.join(named_short)}")
        if named_met:
            met.append(f"{_who(t)}的{'、'.join(named_met)}")
    return short, met, causes


def _over(scores: EvaluationScore, over_paths: set[str]) -> list[str]:
    parts = []
    for t, rows in _by_table(scores):
        for s in rows:
            if s.path not in over_paths:
                continue
            ratio = f"，为年度指标值的{fmt_pct(s.result.ratio)}" if s.result.ratio is not None else ""
            parts.append(f"{_who(t)}的{_indicator(s)}年度指标值为“{s.target.raw.strip()}”，"
                         f"实际完成“{s.indicator.actual.strip()}”{ratio}")
    return parts


def _not_applicable(scores: EvaluationScore) -> tuple[list[str], list[str]]:
    """(per table "部门整体的经济效益指标（8分）、生态效益指标（7分）": set to "无" and
    weighted; per row those set to "无" whose actual names a result, quoted with it so the
    sentence agrees with the annex that shows it)."""
    empty, with_actual = [], []
    for t, rows in _by_table(scores):
        named = []
        for s in rows:
            if s.target.kind is not ValueKind.NOT_APPLICABLE or not s.weight:
                continue
            if s.actual.kind in (ValueKind.NOT_APPLICABLE, ValueKind.EMPTY):
                named.append(f"{_indicator(s)}（{fmt_score(s.weight)}分）")
            else:
                with_actual.append(f"{_who(t)}的{_indicator(s)}（{fmt_score(s.weight)}分）实际完成"
                                   f"“{s.indicator.actual.strip()}”")
        if named:
            empty.append(f"{_who(t)}的{'、'.join(named)}")
    return empty, with_actual


def _vague(scores: EvaluationScore) -> list[str]:
    parts = []
    for t, rows in _by_table(scores):
        for s in rows:
            if s.indicator.level2.strip() in QUANTIFIED and s.target.kind is ValueKind.TEXT:
                parts.append(f"{_who(t)}的{_indicator(s)}（年度指标值为“{s.target.raw.strip()}”）")
    return parts


def _adjusted(scores: EvaluationScore, findings: Sequence[Finding]) -> list[str]:
    flagged = {f.path for f in findings if f.code == "BUDGET_ADJUSTED"}
    parts = []
    for t in scores.tables:
        rate, initial, full = t.adjustment_rate, t.initial_budget, t.full_year_budget
        if rate is None or initial is None or full is None or f"{t.path}.funds[0].full_year_budget" not in flagged:
            continue
        word = "增加" if full > initial else "减少"
        parts.append(f"{_who(t)}年初预算{fmt_wan(initial)}万元，全年预算{fmt_wan(full)}万元，"
                     f"年中{word}{fmt_wan(abs(full - initial))}万元，{'增幅' if full > initial else '降幅'}{fmt_pct(abs(rate))}")
    return parts


def suggestions(evaluation: Evaluation, findings: Sequence[Finding], scores: EvaluationScore) -> list[Suggestion]:
    """The suggestions for *evaluation*, minus those the department dropped."""
    codes = {f.code for f in findings}
    out: list[Suggestion] = []

    def add(key: str, problem: str, measure: str, sources: tuple[str, ...]) -> None:
        out.append(Suggestion(f"{key}.problem", "problems", problem, sources))
        out.append(Suggestion(f"{key}.measure", "measures", measure, sources))

    year = f"{evaluation.year}年" if evaluation.year else "本年度"
    adjusted = _adjusted(scores, findings)
    if adjusted:
        add("BUDGET_ADJUSTED",
            f"年初预算编制不够准确，年中调整较大。{'；'.join(adjusted)}。",
            "编制年初预算时把可预见的工作和支出全部纳入，减少年中追加和调整。",
            ("BUDGET_ADJUSTED",))
    unspent = _unspent(scores)
    if unspent and "EXEC_LOW" in codes:
        add("EXEC_LOW",
            f"预算执行进度偏慢，部分资金当年未能使用。{year}{'；'.join(unspent)}。",
            "加快预算执行，按月跟踪支出进度，对执行缓慢的项目及时督办；确实无法支出的资金按规定收回。",
            ("EXEC_LOW",))
    elif unspent:
        add("UNSPENT",
            f"预算资金未全部支出。{year}{'；'.join(unspent)}。",
            "加强预算执行管理，年中对照预算跟踪支出进度，年末未能支出的资金说明原因并按规定结转或收回。",
            ())
    short, met, causes = _missed(scores)
    if short or met:
        problem = []
        if short:
            why = f"原因可能是{'，'.join(causes)}。" if causes else ""
            problem.append(f"部分绩效指标未完全达到预期。{'；'.join(short)}。{why}")
        if met:
            problem.append(f"部分绩效指标实际完成值达到了年度指标值，自评时仍扣了分，说明工作质量或效果与预期还有差距。"
                           f"{'；'.join(met)}。")
        what = "未完全达到预期和自评扣分" if short and met else "未完全达到预期" if short else "自评扣分"
        add("TARGETS_MISSED", "".join(problem),
            f"对{what}的指标逐项查找原因，在下一年度的工作计划中落实责任和时间节点，年中跟踪完成情况。",
            ("SCORE_DIFFERS", "DEVIATION_MISSING"))
    over = _over(scores, {f.path.rsplit(".", 1)[0] for f in findings if f.code == "OVER_ACHIEVEMENT"})
    if over:
        add("TARGETS_LOW",
            f"部分绩效指标的年度指标值定得偏低，实际完成明显超过目标。{_listed(over)}。",
            "参考上年实际完成情况和本年工作计划确定年度指标值，使目标既能实现又需要努力。",
            ("OVER_ACHIEVEMENT",))
    (not_applicable, unset), vague = _not_applicable(scores), _vague(scores)
    if not_applicable or unset or vague:
        problem, measure = ["部分绩效指标设置不够具体。"], []
        if not_applicable:
            problem.append(f"{'；'.join(not_applicable)}的年度指标值为“无”，却分配了分值，这些分值没有对应的工作成效。")
            measure.append("不适用的指标不再分配分值，把分值调整到能反映本单位工作成效的指标上")
        if unset:
            problem.append(f"{'；'.join(unset)}，年初却没有设定年度指标值（为“无”），成效无法对照目标评价。")
            measure.append("有工作内容的指标在年初设定具体的年度指标值")
        if vague:
            problem.append(f"{_listed(vague, '、')}没有量化，年末难以判断是否完成。")
            measure.append("数量、质量、时效、成本指标的年度指标值写成具体的数量、比率或时间，便于年末对照评价")
        add("INDICATORS", "".join(problem), "；".join(measure) + "。",
            ("NOT_APPLICABLE_WEIGHTED", "NA_TARGET_WITH_ACTUAL"))
    dropped = set(evaluation.narrative.dropped_suggestions)
    return [s for s in out if s.code not in dropped]
