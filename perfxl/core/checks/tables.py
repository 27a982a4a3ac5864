"""Checks of 附件二 and each 附件三: the fund row (年度资金总额), the 绩效指标 rows, the
weights and the totals (domain.md "Formulas and scoring").

The fund row's 执行率 against the printed one and the fund sums are derived from the
forms (``checks/forms.py``); the warnings on the computed 执行率 are here.  A 偏差原因
is required when 执行率 < 100%: the form has no cell for it on the fund row, so any
偏差原因 in the table's indicator rows counts as the explanation.  A fund row whose amounts are
missing but which prints a 执行率 has its 自评得分 checked against the profile's score of the printed
rate, within what the rate's printing precision moves (``_printed_rate_score``, issue 9).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from .. import rules
from ..cells import reported, unanswered
from ..findings import Finding, Severity, Table
from ..model import LEVEL1_NAMES, LEVEL2_NAMES, Evaluation, PerformanceTable
from ..money import ONE, ZERO, amount_value, fmt_pct, fmt_score, fmt_wan
from ..profile import Profile
from ..scoring import EvaluationScore, IndicatorScore, TableScore
from .base import Collector, printed_places, read_printed_rate
from .structure import performance_tables


def _tables(ev: Evaluation, scores: EvaluationScore) -> list[tuple[PerformanceTable, TableScore]]:
    return performance_tables(ev, scores)  # 附件二 only when the file has it (structure.py)


def check_funds(ev: Evaluation, scores: EvaluationScore, profile: Profile) -> Iterable[Finding]:
    """年度资金总额: filled in, 执行率 warnings, budget adjustment, 执行率 分值 and 自评得分."""
    c = Collector(profile)
    for table, score in _tables(ev, scores):
        _funds(c, table, score)
    return c.findings


def check_indicators(ev: Evaluation, scores: EvaluationScore, profile: Profile) -> Iterable[Finding]:
    """Each 三级指标: names, values, weight, self-score, the rule's notes, 偏差原因."""
    c = Collector(profile)
    for table, score in _tables(ev, scores):
        _indicators(c, table, score)
    return c.findings


def check_weights(ev: Evaluation, scores: EvaluationScore, profile: Profile) -> Iterable[Finding]:
    """Goals filled in, 分值 sums per 一级 and in total, the execution cap, the printed 总分."""
    c = Collector(profile)
    for table, score in _tables(ev, scores):
        _weights(c, table, score)
    return c.findings


def _funds(c: Collector, table: PerformanceTable, score: TableScore) -> None:
    t, title, p = score.table, score.title, score.path
    columns = (("initial_budget", "年初预算数"), ("full_year_budget", "全年预算数"), ("actual", "全年执行数"))
    if not table.funds:
        c.add("MISSING_FIELD", t, f"{p}.funds[0]", "年度资金总额", "缺少“年度资金总额”行。", title=title)
        return
    # the denominator the profile scores must be there: 全年预算数, or 年初预算数 (a 2016 Beijing table)
    needed = (columns[0], columns[2]) if c.profile.budget.denominator.startswith("initial") else columns[1:]
    for attr, name in needed:
        if unanswered(getattr(table.funds[0], attr)):
            c.add("MISSING_FIELD", t, f"{p}.funds[0].{attr}", f"年度资金总额 {name}", f"未填写年度资金总额的{name}。",
                  title=title)
    rate = score.execution_rate
    if rate is not None:
        explained = any(i.deviation.strip() for i in table.indicators)
        rules_ = c.profile.execution
        if rate > rules_.warn_high:
            c.add("EXEC_OVER_100", t, f"{p}.funds[0].actual", "年度资金总额 全年执行数",
                  f"执行率 {fmt_pct(rate)} 超过 {fmt_pct(rules_.warn_high)}，属超预算执行，请说明原因。",
                  expected=f"≤ {fmt_pct(rules_.warn_high)}", actual=fmt_pct(rate), title=title)
        elif rate < rules_.warn_low:
            # a profile may require a written reason below the line: then an unexplained low rate is an error
            required = rules_.reason_required_below_low and not explained
            c.add("EXEC_LOW", t, f"{p}.funds[0].actual", "年度资金总额 全年执行数",
                  f"执行率 {fmt_pct(rate)} 低于 {fmt_pct(rules_.warn_low)}"
                  + ("，须书面说明原因。" if rules_.reason_required_below_low else "，请说明原因。"),
                  expected=f"≥ {fmt_pct(rules_.warn_low)}", actual=fmt_pct(rate), title=title,
                  severity=Severity.ERROR if required else None)
        # domain.md: a 偏差原因 is required when 执行率 < 100%; the form has no cell for it on the
        # fund row, so any 偏差原因 in the table's indicator rows counts as the explanation
        if rate < ONE and not explained:
            c.add("EXEC_REASON_MISSING", t, f"{p}.funds[0].actual", "年度资金总额 全年执行数",
                  f"执行率 {fmt_pct(rate)} 未达100%，应在“偏差原因分析及改进措施”中说明资金未执行完毕的原因。",
                  expected="100%", actual=fmt_pct(rate), title=title)
    adjust = score.adjustment_rate
    if adjust is not None and abs(adjust) > c.profile.execution.adjustment_notice:
        c.add("BUDGET_ADJUSTED", t, f"{p}.funds[0].full_year_budget", "年度资金总额 全年预算数",
              f"全年预算数 {fmt_wan(score.full_year_budget)} 较年初预算数 {fmt_wan(score.initial_budget)} "
              f"调整 {fmt_pct(adjust)}，预算编制的准确性有待提高。", actual=fmt_pct(adjust), title=title)
    weight, own, rule = score.budget_weight, score.budget_self_score, score.budget_score
    if weight is None:
        c.add("WEIGHT_MISSING", t, f"{p}.funds[0].weight", "年度资金总额 分值", "未填写执行率的分值。", title=title)
    elif own is not None:
        own_score(c, own, weight, t, f"{p}.funds[0].self_score", "执行率 自评得分", title)
        if rule is None and any(unanswered(getattr(table.funds[0], attr)) for attr, _ in needed):
            # no amounts to compute from (reported above): the score of the printed rate
            _printed_rate_score(c, table, own, weight, t, p, title)
        if rule is not None and own != rule:
            c.add("SCORE_DIFFERS", t, f"{p}.funds[0].self_score", "执行率 自评得分",
                  f"执行率 {fmt_pct(rate)} × 分值 {fmt_score(weight)} = 规则得分 {fmt_score(rule)}，"
                  f"自评得分为 {fmt_score(own)}。", expected=rule, actual=own, title=title,
                  severity=_differs_severity(own, rule))


def _printed_rate_score(c: Collector, table: PerformanceTable, own: Decimal, weight: Decimal, t: Table, p: str,
                        title: str) -> None:
    """A fund row whose amounts are missing (reported as MISSING_FIELD) but which prints a 执行率: its
    自评得分 against the profile's score of that printed rate (issue 9: a Chongqing table printed 76%,
    分值 10, 得分 7.6 with the amounts unreadable).  The printed rate is rounded, so the score may be
    off by what that rounding moves (half a unit of its last place × 分值) plus the score's own rounding
    (0.005; 0.5 for whole points): only a larger difference is reported."""
    printed = table.funds[0].printed_rate
    shown = read_printed_rate(printed) if printed is not None and str(printed).strip() else None
    if shown is None or shown < 0:
        return
    score = rules.budget_score(shown, ONE, weight, c.profile, initial_budget=ONE)
    if score is None:
        return
    rate_slack = Decimal(5).scaleb(-printed_places(str(printed)) - 3) * weight  # 76%: ±0.5% × W
    score_slack = Decimal("0.5") if c.profile.budget.rounding == "whole" else Decimal("0.005")
    if abs(own - score) <= rate_slack + score_slack:
        return
    c.add("SCORE_DIFFERS", t, f"{p}.funds[0].self_score", "执行率 自评得分",
          f"表上执行率 {printed} × 分值 {fmt_score(weight)} = 规则得分 {fmt_score(score)}（金额未填，按表上执行率），"
          f"自评得分为 {fmt_score(own)}。", expected=score, actual=own, title=title,
          severity=_differs_severity(own, score))


def _differs_severity(own: Decimal, rule: Decimal) -> Severity:
    """A self-score above the rule's is a 警告 (the department may have over-scored itself);
    below it, a 提示 (deducting more than the rule is the department's call, with a reason)."""
    return Severity.WARNING if own > rule else Severity.NOTICE


def own_score(c: Collector, own: Decimal, weight: Decimal, t: Table, path: str, loc: str, title: str) -> None:
    if own > weight:
        c.add("SCORE_OVER_WEIGHT", t, path, loc, f"{loc} {fmt_score(own)} 超过分值 {fmt_score(weight)}。",
              expected=f"≤ {fmt_score(weight)}", actual=own, title=title)
    if own < 0:
        c.add("SCORE_NEGATIVE", t, path, loc, f"{loc}不能为负数。", actual=own, title=title)


_NOTE_CODES = {
    rules.Note.OVER_ACHIEVEMENT: "OVER_ACHIEVEMENT",
    rules.Note.NOT_APPLICABLE_WEIGHTED: "NOT_APPLICABLE_WEIGHTED",
    rules.Note.NA_TARGET_WITH_ACTUAL: "NA_TARGET_WITH_ACTUAL",
    rules.Note.TIER_REQUIRED: "TIER_REQUIRED",
    rules.Note.SELF_SCORE_OUT_OF_BAND: "SELF_SCORE_OUT_OF_BAND",
    rules.Note.UNIT_MISMATCH: "UNIT_MISMATCH",
    rules.Note.DEADLINE_MISSED: "DEADLINE_MISSED",
    rules.Note.ZERO_TARGET: "ZERO_TARGET",
    rules.Note.KIND_MISMATCH: "KIND_MISMATCH",
    rules.Note.NEGATIVE_ACTUAL: "NEGATIVE_ACTUAL",
    rules.Note.ACTUAL_MISSING: "NOT_SCORED",
}


def _indicators(c: Collector, table: PerformanceTable, score: TableScore) -> None:
    t, title = score.table, score.title
    for s in score.indicators:
        row, path = s.indicator, s.path
        name = row.name or row.level2 or f"第{s.index + 1}行指标"
        loc = f"{row.level2 or '指标'}“{name}”"
        if row.level1 not in LEVEL1_NAMES or row.level2 not in LEVEL2_NAMES.get(row.level1, ()):
            c.add("UNKNOWN_INDICATOR_LEVEL", t, f"{path}.level2", f"{loc} 一级/二级指标",
                  f"“{row.level1}/{row.level2}”不是规范的一级/二级指标名称，请从下拉列表中选择。",
                  actual=f"{row.level1}/{row.level2}", title=title)
        weight = c.number(row.weight, t, f"{path}.weight", f"{loc} 分值", title=title, unit="分")
        if weight is None and unanswered(row.weight):
            c.add("WEIGHT_MISSING", t, f"{path}.weight", f"{loc} 分值", f"{loc}未填写分值。", title=title)
        own = c.number(row.self_score, t, f"{path}.self_score", f"{loc} 自评得分", title=title, allow_negative=True,
                       unit="分")
        # the target that scored (调整后/年初指标值 on forms that print them: scoring.py)
        target_label = {"adjusted_target": "调整后指标值", "initial_target": "年初指标值"}.get(s.target_field, "年度指标值")
        for attr, label, note in ((s.target_field, target_label, rules.Note.TARGET_UNREADABLE),
                                  ("actual", "实际完成值", rules.Note.ACTUAL_UNREADABLE)):
            value = getattr(row, attr)
            if note in s.result.notes:
                c.add("VALUE_UNREADABLE", t, f"{path}.{attr}", f"{loc} {label}",
                      f"{loc}的{label}“{value}”无法识别，请写成如“≥90%”“6次”“2023年12月底前”的形式。",
                      actual=value, title=title)
            elif not str(value).strip():
                c.add("VALUE_MISSING", t, f"{path}.{attr}", f"{loc} {label}", f"{loc}未填写{label}。", title=title)
        if weight is None:
            continue
        if own is None:
            if unanswered(row.self_score):
                c.add("SCORE_MISSING", t, f"{path}.self_score", f"{loc} 自评得分", f"{loc}未填写自评得分。",
                      title=title)
        else:
            own_score(c, own, weight, t, f"{path}.self_score", f"{loc} 自评得分", title)
        for note in s.result.notes:
            code = _NOTE_CODES.get(note)
            if code == "NOT_SCORED" and not str(row.actual).strip():
                continue  # an empty actual is already VALUE_MISSING
            if code:
                c.add(code, t, f"{path}.actual" if code != "SELF_SCORE_OUT_OF_BAND" else f"{path}.self_score",
                      loc, f"{loc}：{_note_message(note, s)}", expected=s.target.raw, actual=row.actual, title=title)
        deducted = own is not None and own < weight
        over = rules.Note.OVER_ACHIEVEMENT in s.result.notes
        if (deducted or over) and not row.deviation.strip():
            why = f"扣了 {fmt_score(weight - own)} 分" if own is not None and deducted else "超额完成幅度较大"
            c.add("DEVIATION_MISSING", t, f"{path}.deviation", f"{loc} 偏差原因分析及改进措施",
                  f"{loc}{why}，但未填写偏差原因分析及改进措施。", expected=f"分值 {fmt_score(weight)}",
                  actual=f"自评 {fmt_score(own)}" if own is not None else "", title=title)
        if s.rule_score is not None and own is not None and own != s.rule_score:
            c.add("SCORE_DIFFERS", t, f"{path}.self_score", f"{loc} 自评得分", f"{loc}：{s.explanation}。",
                  expected=s.rule_score, actual=own, title=title, severity=_differs_severity(own, s.rule_score))


def _note_message(note: rules.Note, s: IndicatorScore) -> str:
    r = s.result
    if note is rules.Note.OVER_ACHIEVEMENT:
        return (f"实际完成值是年度指标值的 {fmt_pct(r.ratio)}，超过预警线，请确认年度指标是否设置偏低，"
                "并在偏差原因中说明。")
    if note is rules.Note.NOT_APPLICABLE_WEIGHTED:
        given = "并给了分" if s.indicator.self_score not in (None, "") else ""
        return (f"年度指标值为“无”，指标不适用，却分配了分值{given}（规则总分中按 0 计）；"
                "应将分值调整到其他指标" + ("，或说明得分理由。" if given else "。"))
    if note is rules.Note.NA_TARGET_WITH_ACTUAL:
        return f"年度指标值为“无”，实际完成值却为“{s.indicator.actual}”，二者矛盾，请补设年度指标值。"
    if note is rules.Note.TIER_REQUIRED:
        return "定性指标，请选择完成档次（达成 / 部分达成 / 未达成），得分须落在相应区间内。"
    if note is rules.Note.SELF_SCORE_OUT_OF_BAND:
        low, high = r.band or (ZERO, ZERO)
        return f"所选档次“{r.tier}”的得分区间为 {fmt_score(low)}～{fmt_score(high)}，自评得分不在其内。"
    if note is rules.Note.UNIT_MISMATCH:
        return "年度指标值与实际完成值的单位不一致，请统一。"
    if note is rules.Note.DEADLINE_MISSED:
        return "实际完成时间晚于时限。"
    if note is rules.Note.ZERO_TARGET:
        return "年度指标值为 0 或负数，无法计算完成比例，只按是否达到计分；请确认指标值是否填写正确。"
    if note is rules.Note.KIND_MISMATCH:
        return (f"年度指标值“{s.target.raw}”与实际完成值“{s.indicator.actual}”类型不同（数值/日期/文字），"
                "无法按公式比较，已按完成档次或自评得分计分；请用与指标值相同的形式填写实际完成值。")
    if note is rules.Note.NEGATIVE_ACTUAL:
        return "实际完成值为负数，按 0 计分；请确认是否填错。"
    if note is rules.Note.ACTUAL_MISSING:
        return f"实际完成值为“{s.indicator.actual}”，规则无法计分，规则总分中按 0 计；请填写实际完成情况。"
    return str(note)


def _weights(c: Collector, table: PerformanceTable, score: TableScore) -> None:
    t, title, p = score.table, score.title, score.path
    if not score.indicators and not reported(table.indicators):  # a deleted region is reported by its reader
        c.add("MISSING_FIELD", t, f"{p}.indicators", "绩效指标", "未填写任何绩效指标（产出、效益、满意度指标）。",
              title=title)
    for attr, label in (("goal_expected", "年度总体目标 预期目标"), ("goal_actual", "年度总体目标 实际完成情况")):
        if unanswered(getattr(table, attr)):
            c.add("MISSING_FIELD", t, f"{p}.{attr}", label, f"未填写{label}。", title=title,
                  severity=Severity.WARNING)
    by_level1: dict[str, Decimal] = {}
    for s in score.indicators:
        if s.weight is not None:
            by_level1[s.indicator.level1] = by_level1.get(s.indicator.level1, ZERO) + s.weight
    for level1, declared in table.level1_weights.items():
        expected = c.number(declared, t, f"{p}.level1_weights.{level1}", f"{level1} 分值", title=title, unit="分")
        got = by_level1.get(level1, ZERO)
        if expected is not None and got != expected:
            c.add("WEIGHT_SUM", t, f"{p}.level1_weights.{level1}", f"{level1} 分值",
                  f"{level1}下各三级指标分值之和为 {fmt_score(got)}，与表头的 {fmt_score(expected)} 分不符。",
                  expected=expected, actual=got, title=title)
    total_weight = sum(by_level1.values(), score.budget_weight or ZERO)
    printed = amount_value(table.printed_total_weight)
    expected_total = printed if printed is not None else sum(c.profile.weights.values(), ZERO)
    if score.indicators and total_weight != expected_total:
        c.add("WEIGHT_SUM", t, f"{p}.printed_total_weight", "总分 分值",
              f"执行率与各指标分值合计为 {fmt_score(total_weight)}，应为 {fmt_score(expected_total)}。",
              expected=expected_total, actual=total_weight, title=title)
    cap = rules.cap_total(Decimal(100), score.execution_rate, c.profile) if score.execution_rate is not None else None
    if cap is not None and cap < 100 and score.self_total is not None and score.self_total > cap:
        c.add("SELF_TOTAL_OVER_CAP", t, f"{p}.printed_total_score", "总分 自评得分",
              f"执行率 {fmt_pct(score.execution_rate)}，按评分方案“{c.profile.name}”总分不得超过 {fmt_score(cap)} 分，"
              f"自评总分为 {fmt_score(score.self_total)}。", expected=f"≤ {fmt_score(cap)}", actual=score.self_total,
              title=title)
    printed_score = c.number(table.printed_total_score, t, f"{p}.printed_total_score", "总分 自评得分", title=title,
                             unit="分")
    if printed_score is not None and score.self_total is not None and printed_score != score.self_total:
        c.add("TOTAL_MISMATCH", t, f"{p}.printed_total_score", "总分 自评得分",
              f"表上总分为 {fmt_score(printed_score)}，各项自评得分之和为 {fmt_score(score.self_total)}。",
              expected=score.self_total, actual=printed_score, title=title)


#: how far (in points of 100%) the indicators' score share may run ahead of the execution rate
#: by default; a profile sets its own with ``[checks] scores_ahead_by``
SCORES_AHEAD_BY = Decimal("0.05")


def check_scores_ahead(ev: Evaluation, scores: EvaluationScore, profile: Profile) -> Iterable[Finding]:
    """The indicators' self-score share (自评得分 ÷ 分值 over all 三级指标) above the 执行率 by
    more than 5 points: a warning some scoring systems raise (domain.md, "Warnings used
    by scoring systems": one vendor flags it red).  Off by default; a profile switches
    it on with ``[checks] on = ["SCORES_AHEAD"]`` and sets the margin with
    ``[checks] scores_ahead_by``.  Reviewed for issue 9: it compares the self-scores (what
    the table claims) with the 执行率 capped at 100%, as the vendor's flag does."""
    c = Collector(profile)
    ahead_by = profile.scores_ahead_by
    for _table, score in _tables(ev, scores):
        pairs = [(s.self_score, s.weight) for s in score.indicators if s.self_score is not None and s.weight]
        weight = sum((w for _, w in pairs), ZERO)
        rate = score.execution_rate
        if rate is None or weight == 0:
            continue
        share = sum((own for own, _ in pairs), ZERO) / weight
        if share - min(rate, ONE) > ahead_by:
            c.add("SCORES_AHEAD", score.table, f"{score.path}.printed_total_score", "总分 自评得分",
                  f"绩效指标自评得分率 {fmt_pct(share)} 高于预算执行率 {fmt_pct(rate)} 超过 "
                  f"{fmt_pct(ahead_by)}，请核实指标完成情况与资金使用是否匹配。",
                  expected=f"≤ {fmt_pct(min(rate, ONE) + ahead_by)}", actual=fmt_pct(share), title=score.title)
    return c.findings
