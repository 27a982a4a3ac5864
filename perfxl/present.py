"""Findings and scores as text and as JSON-ready data, for the command line, the
workbook's 校验结果 sheet and other systems.  Pure formatting: no files, no Excel.

Nothing from a data file reaches the terminal raw: every line of text output goes
through ``visible``, which shows control characters (ESC, CR, a newline inside a
department name, DEL, the C1 range), bidirectional overrides and lone surrogates as
escapes (``\x1b``, ``\r``, ``\u202e``).  A department name cannot clear the screen,
move the cursor, fake a line of findings or reverse text.  The JSON forms keep the data
as it is (``json.dumps`` escapes C0 itself); showing them safely is the printer's job.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from .core.findings import Finding, Severity, sort_findings
from .core.model import Evaluation
from .core.money import fmt_pct, fmt_score, fmt_wan
from .core.profile import Profile
from .core.scoring import EvaluationScore, TableScore
from .core.suggestions import Suggestion

EXAMPLE_NAME = "hengshan-kexie-2023.json"


def example_data_path() -> Path:
    """The bundled example data file (package data: perfxl/examples/)."""
    return Path(str(resources.files("perfxl") / "examples" / EXAMPLE_NAME))


#: format characters that reorder what a terminal shows (Trojan Source), escaped like controls
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def visible(text: str) -> str:
    """*text* with every control, bidi-override and surrogate character shown as an escape."""
    if text.isprintable() and not _BIDI.intersection(text):
        return text
    return "".join(ch if ch.isprintable() and ch not in _BIDI else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch)
    if named:
        return named
    if unicodedata.category(ch) == "Zs":  # spaces (the ideographic one too): harmless
        return ch
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible_lines(lines: Sequence[str]) -> str:
    """*lines* joined by newlines, each made ``visible``."""
    return "\n".join(visible(line) for line in lines)


def summary_line(findings: Sequence[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    return "，".join(f"{sev} {counts.get(sev, 0)} 项" for sev in Severity)


def findings_text(evaluation: Evaluation, findings: Sequence[Finding], profile: Profile) -> str:
    head = f"{evaluation.department or '（未填单位）'} {evaluation.year or ''}年度 校验结果（评分方案：{profile.name}）"
    lines = [head, summary_line(findings)]
    for f in sort_findings(findings):
        lines.append(f"[{f.severity}] {f.code} {f.where}：{f.message}")
    if not findings:
        lines.append("未发现问题。")
    return visible_lines(lines)


def suggestions_text(suggestions: Sequence[Suggestion]) -> str:
    """The suggestions for report sections 七/八, with the codes a department can drop."""
    if not suggestions:
        return ""
    names = {"problems": "七、存在的问题", "measures": "八、改进措施"}
    lines = ["报告建议（写入自评报告；不采用的，把代码填入数据的 narrative.dropped_suggestions 或工作簿的“不采用的自动建议”）："]
    lines += [f"  [{names.get(s.section, s.section)}] {s.code}：{s.text}" for s in suggestions]
    return visible_lines(lines)


def findings_json(findings: Sequence[Finding]) -> list[dict[str, str]]:
    return [f.to_dict() for f in findings]


def _table_lines(score: TableScore) -> list[str]:
    lines = [
        f"{score.title}",
        f"  执行率 {fmt_pct(score.execution_rate)}（{fmt_wan(score.actual)} ÷ {fmt_wan(score.full_year_budget)}）"
        f"  分值 {fmt_score(score.budget_weight)}  规则得分 {fmt_score(score.budget_score)}"
        f"  自评得分 {fmt_score(score.budget_self_score)}",
    ]
    for s in score.indicators:
        row = s.indicator
        lines.append(
            f"  {row.level2}｜{row.name}｜{s.target.raw} → {row.actual}｜分值 {fmt_score(s.weight)}"
            f"｜规则 {fmt_score(s.rule_score)}｜自评 {fmt_score(s.self_score)}｜{s.explanation}"
        )
    capped = "" if score.rule_total == score.uncapped_total else f"（执行率封顶前 {fmt_score(score.uncapped_total)}）"
    lines.append(
        f"  规则总分 {fmt_score(score.rule_total)}{capped}，等级 {score.grade}；"
        f"自评总分 {fmt_score(score.self_total)}，等级 {score.self_grade or '—'}"
    )
    return lines


def scores_text(evaluation: Evaluation, scores: EvaluationScore, profile: Profile) -> str:
    lines = [f"{evaluation.department or '（未填单位）'} {evaluation.year or ''}年度 评分（评分方案：{profile.name}）"]
    for table in scores.tables:
        lines.extend(_table_lines(table))
    return visible_lines(lines)


def _num(value) -> str | None:
    return None if value is None else f"{value:f}"


def scores_json(scores: EvaluationScore, profile: Profile) -> dict:
    def table(score: TableScore) -> dict:
        return {
            "title": score.title,
            "path": score.path,
            "initial_budget": _num(score.initial_budget),
            "full_year_budget": _num(score.full_year_budget),
            "actual": _num(score.actual),
            "execution_rate": _num(score.execution_rate),
            "execution_rate_display": fmt_pct(score.execution_rate),
            "adjustment_rate": _num(score.adjustment_rate),
            "budget_weight": _num(score.budget_weight),
            "budget_score": _num(score.budget_score),
            "budget_self_score": _num(score.budget_self_score),
            "indicators": [
                {
                    "path": s.path,
                    "level1": s.indicator.level1,
                    "level2": s.indicator.level2,
                    "name": s.indicator.name,
                    "target": s.indicator.target,
                    "scored_target": s.target.raw,  # 调整后/年初指标值 where the form prints them (issue 9)
                    "actual": s.indicator.actual,
                    "direction": str(s.result.direction),
                    "weight": _num(s.weight),
                    "rule_score": _num(s.rule_score),
                    "self_score": _num(s.self_score),
                    "difference": _num(s.difference),
                    "explanation": s.explanation,
                }
                for s in score.indicators
            ],
            "rule_total": _num(score.rule_total),
            "uncapped_total": _num(score.uncapped_total),
            "self_total": _num(score.self_total),
            "grade": score.grade,
            "self_grade": score.self_grade,
        }

    return {"profile": profile.name, "tables": [table(t) for t in scores.tables]}
