"""Suggestions for report sections 七（存在的问题）and 八（下一步改进措施）, derived from
the checker's findings and the figures.

Each suggestion has a stable code so the department can drop it
(``narrative.dropped_suggestions``); every suggestion not dropped goes into the
report after the department's own items.  One suggestion per kind of problem, so a
report never repeats itself, however many rows a problem touches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .findings import Finding
from .model import Evaluation
from .money import fmt_pct, fmt_wan
from .scoring import EvaluationScore


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


def _prose(location: str) -> str:
    """"年度资金总额 执行率" → "年度资金总额执行率" (the space only separates columns in lists)."""
    return location.replace(" ", "")


def _places(findings: Sequence[Finding], limit: int = 4) -> str:
    names = []
    for f in findings:
        name = f.location.split(" ")[0]
        if name not in names:
            names.append(name)
    shown = "、".join(names[:limit])
    return shown + (f"等{len(names)}项" if len(names) > limit else "")


def suggestions(evaluation: Evaluation, findings: Sequence[Finding], scores: EvaluationScore) -> list[Suggestion]:
    """The suggestions for *evaluation*, minus those the department dropped."""
    by_code: dict[str, list[Finding]] = {}
    for f in findings:
        by_code.setdefault(f.code, []).append(f)
    out: list[Suggestion] = []

    def add(key: str, problem: str, measure: str, sources: tuple[str, ...]) -> None:
        out.append(Suggestion(f"{key}.problem", "problems", problem, sources))
        out.append(Suggestion(f"{key}.measure", "measures", measure, sources))

    year = f"{evaluation.year}年" if evaluation.year else "本年度"
    adjusted = [t for t in scores.tables if t.adjustment_rate is not None and any(
        f.path == f"{t.path}.funds[0].full_year_budget" for f in by_code.get("BUDGET_ADJUSTED", ()))]
    if adjusted:
        parts = []
        for t in adjusted[:3]:
            assert t.adjustment_rate is not None  # filtered above; tells mypy
            word = "调增" if t.adjustment_rate > 0 else "调减"
            who = "部门整体" if t.path == "overall" else t.title.split("（", 1)[-1].rstrip("）") + "项目"
            parts.append(f"{who}全年预算数{fmt_wan(t.full_year_budget)}万元，较年初预算数"
                         f"{fmt_wan(t.initial_budget)}万元{word}{fmt_pct(abs(t.adjustment_rate))}")
        grew = any((t.adjustment_rate or 0) > 0 for t in adjusted)
        add("BUDGET_ADJUSTED",
            f"预算编制的准确性有待提高。{year}{'；'.join(parts)}，"
            f"{'年中追加' if grew else '年中调减'}幅度较大。",
            "提高年初预算编制的完整性和准确性，将可预见的支出全部纳入年初预算，减少年中预算调整。",
            ("BUDGET_ADJUSTED",))
    if "RATE_MISMATCH" in by_code:
        rate_findings = by_code["RATE_MISMATCH"]
        detail = "；".join(
            f"{f.table_title}的{_prose(f.location)}填写为{f.actual}，计算应为{f.expected}" for f in rate_findings[:3]
        )
        add("RATE_MISMATCH",
            f"自评表中部分比率填报有误：{detail}。",
            "严格按“全年执行数÷全年预算数”等口径计算并填报执行率、控制率，填报后逐项复核。",
            ("RATE_MISMATCH",))
    if "DEVIATION_MISSING" in by_code:
        items = by_code["DEVIATION_MISSING"]
        add("DEVIATION_MISSING",
            f"绩效自评不够规范：{_places(items)}扣分或超额完成，但未分析偏差原因。",
            "对扣分和超额完成的指标逐项分析偏差原因，提出有针对性的改进措施，并在自评表中如实填写。",
            ("DEVIATION_MISSING",))
    indicator_codes = ("NOT_APPLICABLE_WEIGHTED", "NA_TARGET_WITH_ACTUAL", "VALUE_UNREADABLE", "OVER_ACHIEVEMENT")
    indicator_findings = [f for code in indicator_codes for f in by_code.get(code, [])]
    if indicator_findings:
        add("INDICATORS",
            f"绩效指标设置不够科学、量化程度不高：{_places(indicator_findings)}存在指标值为“无”仍赋分、"
            "指标值无法衡量或目标值明显偏低等情况。",
            "科学设置绩效目标和指标，做到细化、量化、可衡量；不适用的指标不设分值，目标值参考历史水平合理确定。",
            tuple(code for code in indicator_codes if code in by_code))
    sum_findings = by_code.get("SUM_MISMATCH", []) + by_code.get("CROSS_MISMATCH", [])
    if sum_findings:
        gaps: dict[tuple[str, str, str, str], list[str]] = {}
        for f in sum_findings:
            unit = "人" if f.path.startswith(("staffing.", "basic.staff")) else "万元"
            gaps.setdefault((f.table_title, f.location, f.actual, unit), []).append(f.expected)
        detail = "；".join(
            f"{title}的{_prose(location)}为{actual}{unit}，相关数据为{f'{unit}、'.join(expected)}{unit}"
            for (title, location, actual, unit), expected in list(gaps.items())[:3]
        )
        add("SUMS",
            f"表内、表间数据衔接不够严谨：{detail}。",
            "加强自评表内、表间数据的勾稽核对，确保与部门决算数据一致。",
            tuple(code for code in ("SUM_MISMATCH", "CROSS_MISMATCH") if code in by_code))
    if "EXEC_LOW" in by_code:
        add("EXEC_LOW",
            "预算执行进度偏慢，部分资金未能按计划支出。",
            "加快预算执行进度，建立预算执行动态监控机制，对执行缓慢的项目及时督办。",
            ("EXEC_LOW",))
    dropped = set(evaluation.narrative.dropped_suggestions)
    return [s for s in out if s.code not in dropped]
