"""The checker: every consistency rule of domain.md, applied to one department-year.

It collects all findings (never stops at the first) for:
- 附件一: 控制率, the 三公经费 and 项目支出 sums, 其中 rows, zero denominators, text in
  number cells;
- 附件二 and each 附件三: printed 执行率 vs computed, fund sums (按收入性质分, 按支出性质分,
  the 其中 rows of 附件三), every indicator (unreadable values, score above weight,
  missing 偏差原因, over-achievement, "无" with points, qualitative tiers), weight sums,
  the printed 总分;
- across tables: 项目支出 in 附件一 / 附件二 / 附件三, 人员经费 + 公用经费 = 基本支出;
- 基本情况: name, year, staffing vs 附件一.

A gap no larger than the profile's rounding tolerance (0.01 万元) is a 提示, not an
错误 (domain.md rule 5).  Codes are stable; see ``CODES`` for the list and their
meaning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from . import rules
from .findings import Finding, Severity, Table
from .model import (
    LEVEL1_NAMES,
    LEVEL2_NAMES,
    BasicData,
    CostRow,
    Evaluation,
    PerformanceTable,
)
from .money import (
    ONE,
    ZERO,
    Amount,
    amount_value,
    fmt_pct,
    fmt_score,
    fmt_wan,
    is_blank,
    is_dash,
    to_decimal,
)
from .profile import Profile
from .scoring import EvaluationScore, TableScore, score_evaluation
from .suggestions import Suggestion, suggestions  # noqa: F401  (part of the checker's API)

#: code → (default severity, what it means); the codes are part of perfxl's interface
CODES: dict[str, tuple[Severity, str]] = {
    "MISSING_FIELD": (Severity.ERROR, "必填项为空"),
    "NOT_A_NUMBER": (Severity.ERROR, "数字栏填写了无法识别的文本"),
    "NEGATIVE_AMOUNT": (Severity.ERROR, "金额或人数为负数"),
    "ZERO_DENOMINATOR": (Severity.WARNING, "分母为零或为空，比率无法计算"),
    "RATE_MISMATCH": (Severity.ERROR, "表上填写的比率与计算结果不符"),
    "SUM_MISMATCH": (Severity.ERROR, "合计与各分项之和不符"),
    "SUM_ROUNDING": (Severity.NOTICE, "合计与分项之和相差不超过舍入误差"),
    "SUBITEM_EXCEEDS": (Severity.WARNING, "“其中”项大于其所属项目"),
    "OVER_BUDGET": (Severity.WARNING, "决算数或执行数超过预算数"),
    "CHANGE_RATE": (Severity.NOTICE, "三公经费较上年变动"),
    "EXEC_OVER_100": (Severity.WARNING, "执行率超过100%（超预算执行）"),
    "EXEC_LOW": (Severity.WARNING, "执行率低于预警线"),
    "EXEC_REASON_MISSING": (Severity.WARNING, "执行率未达100%，未说明原因"),
    "BUDGET_ADJUSTED": (Severity.NOTICE, "全年预算数较年初预算数调整幅度大"),
    "SCORE_OVER_WEIGHT": (Severity.ERROR, "自评得分超过分值"),
    "SCORE_NEGATIVE": (Severity.ERROR, "自评得分为负数"),
    "SCORE_MISSING": (Severity.WARNING, "未填写自评得分"),
    "SCORE_DIFFERS": (Severity.NOTICE, "自评得分与规则得分不同（高于规则得分时为警告）"),
    "TOTAL_MISMATCH": (Severity.ERROR, "表上总分与各项得分之和不符"),
    "WEIGHT_SUM": (Severity.ERROR, "分值合计不符"),
    "WEIGHT_MISSING": (Severity.ERROR, "未填写分值"),
    "DEVIATION_MISSING": (Severity.ERROR, "扣分或超额完成但未填写偏差原因"),
    "VALUE_UNREADABLE": (Severity.ERROR, "指标值无法识别"),
    "VALUE_MISSING": (Severity.ERROR, "指标值为空"),
    "OVER_ACHIEVEMENT": (Severity.WARNING, "实际完成值远超年度指标值"),
    "NOT_APPLICABLE_WEIGHTED": (Severity.WARNING, "指标为“无”却分配了分值"),
    "NA_TARGET_WITH_ACTUAL": (Severity.ERROR, "年度指标值为“无”而实际完成值有数"),
    "TIER_REQUIRED": (Severity.WARNING, "定性指标未选择完成档次"),
    "SELF_SCORE_OUT_OF_BAND": (Severity.ERROR, "定性指标得分不在所选档次的分数区间内"),
    "UNIT_MISMATCH": (Severity.WARNING, "年度指标值与实际完成值单位不一致"),
    "DEADLINE_MISSED": (Severity.NOTICE, "未在时限内完成"),
    "ZERO_TARGET": (Severity.NOTICE, "年度指标值为 0 或负数，只能判断是否达到"),
    "KIND_MISMATCH": (Severity.WARNING, "实际完成值与年度指标值类型不同，无法按公式比较"),
    "NEGATIVE_ACTUAL": (Severity.WARNING, "实际完成值为负数，按 0 计"),
    "NOT_SCORED": (Severity.WARNING, "实际完成值为“无”等，规则无法计分，按 0 计入规则总分"),
    "SELF_TOTAL_OVER_CAP": (Severity.ERROR, "执行率偏低，自评总分超过方案规定的上限"),
    "UNKNOWN_INDICATOR_LEVEL": (Severity.WARNING, "一级或二级指标名称不在规范之列"),
    "NAME_MISMATCH": (Severity.WARNING, "表间单位名称不一致"),
    "CROSS_MISMATCH": (Severity.ERROR, "表间数字不一致"),
}


@dataclass
class _Collector:
    profile: Profile
    findings: list[Finding] = field(default_factory=list)

    def add(self, code: str, table: Table, path: str, location: str, message: str, *,
            expected: object = "", actual: object = "", title: str = "", severity: Severity | None = None) -> None:
        self.findings.append(
            Finding(code, severity or CODES[code][0], table, path, location, message,
                    _text(expected), _text(actual), title or str(table))
        )

    def number(self, value: Amount, table: Table, path: str, location: str, *, title: str = "",
               allow_negative: bool = False, unit: str = "万元") -> Decimal | None:
        """The number in an amount cell; text that is not a number or a dash is a finding."""
        number = amount_value(value)
        if number is None and not is_blank(value) and not is_dash(value):
            what = f"数字（单位：{unit}）" if unit else "数字"
            self.add("NOT_A_NUMBER", table, path, location,
                     f"{location}应填写{what}，实际为“{value}”（无法识别或超出合理范围），请改正或留空。",
                     actual=value, title=title)
        if number is not None and number < 0 and not allow_negative:
            self.add("NEGATIVE_AMOUNT", table, path, location, f"{location}不应为负数。", actual=number, title=title)
        return number

    def sum_check(self, total: Decimal | None, parts: Iterable[Decimal | None], table: Table, path: str,
                  location: str, what: str, *, title: str = "", code: str = "SUM_MISMATCH") -> None:
        """*total* must equal the sum of the *parts* that are filled in."""
        filled = [p for p in parts if p is not None]
        if total is None or not filled:
            return
        added = sum(filled, ZERO)
        gap = abs(total - added)
        if gap == 0:
            return
        if gap <= self.profile.rounding_tolerance:
            self.add("SUM_ROUNDING", table, path, location,
                     f"{what}之和为 {fmt_wan(added)}，{location}为 {fmt_wan(total)}，相差 {fmt_wan(gap)}，"
                     "属舍入误差，建议核对后统一。", expected=fmt_wan(added), actual=fmt_wan(total), title=title)
        else:
            self.add(code, table, path, location,
                     f"{what}之和为 {fmt_wan(added)}，与{location} {fmt_wan(total)} 不符，相差 {fmt_wan(gap)} 万元。",
                     expected=fmt_wan(added), actual=fmt_wan(total), title=title)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fmt_score(value) if value == value.to_integral_value() else f"{value:f}"
    return str(value)


#: a printed rate written without "%" at or above this is a percentage ("99.64"), below it a
#: fraction ("0.9964", "1.087" as Excel stores a 0.00% cell)
_BARE_PERCENT_FROM = Decimal(2)


def _printed_rate(text: str | None) -> Decimal | None:
    """"100%" → 1, "99.64%" → 0.9964, "0.75" → 0.75 (a fraction), "99.64" → 0.9964, "" → None."""
    if text is None or not str(text).strip():
        return None
    raw = str(text).strip().replace("％", "%")
    if raw.endswith("%"):
        number = to_decimal(raw[:-1])
        return number / 100 if number is not None else None
    number = to_decimal(raw)
    if number is not None and abs(number) >= _BARE_PERCENT_FROM:
        return number / 100
    return number


def _check_printed_rate(c: _Collector, printed: str | None, computed: Decimal | None, table: Table, path: str,
                        location: str, formula: str, *, title: str = "") -> None:
    if printed is None or not str(printed).strip():
        return
    shown = _printed_rate(printed)
    if shown is None:
        c.add("NOT_A_NUMBER", table, path, location, f"{location}“{printed}”无法识别为百分比。", actual=printed, title=title)
        return
    if computed is None:
        return
    if fmt_pct(shown) != fmt_pct(computed):
        c.add("RATE_MISMATCH", table, path, location,
              f"{location}填写为 {printed}，按 {formula} 计算应为 {fmt_pct(computed)}。",
              expected=fmt_pct(computed), actual=printed, title=title)


# ---------------------------------------------------------------- 附件一


_COLUMNS = (("prior_actual", "上年决算数"), ("budget", "预算数"), ("actual", "决算数"))


def _row_numbers(c: _Collector, row: CostRow, path: str) -> dict[str, Decimal | None]:
    label = row.label.strip("：:") or "（未命名行）"
    return {
        attr: c.number(getattr(row, attr), Table.BASIC, f"{path}.{attr}", f"{label} {name}")
        for attr, name in _COLUMNS
    }


def _check_basic(c: _Collector, ev: Evaluation) -> None:
    b: BasicData = ev.basic
    t = Table.BASIC
    authorized = c.number(b.staff_authorized, t, "basic.staff_authorized", "编制数", unit="人")
    actual_staff = c.number(b.staff_actual, t, "basic.staff_actual", "实际在职人数", unit="人")
    rate = rules.control_rate(actual_staff, authorized)
    if authorized is not None and authorized == 0:
        c.add("ZERO_DENOMINATOR", t, "basic.printed_staff_rate", "人员控制率",
              "编制数为 0，人员控制率无法计算，表中应显示“—”。", actual=b.printed_staff_rate or "")
    _check_printed_rate(c, b.printed_staff_rate, rate, t, "basic.printed_staff_rate", "人员控制率",
                        "实际在职人数 ÷ 编制数")

    rows = {name: _row_numbers(c, getattr(b, name), f"basic.{name}") for name in (
        "three_public", "vehicles", "vehicle_purchase", "vehicle_operation", "overseas", "reception",
        "project_total", "public_funds", "office", "utilities_travel", "meetings_training",
        "procurement", "budget_adjustment")}
    items = [_row_numbers(c, row, f"basic.project_items[{i}]") for i, row in enumerate(b.project_items)]
    specials = [_row_numbers(c, row, f"basic.special_funds[{i}]") for i, row in enumerate(b.special_funds)]

    for attr, column in _COLUMNS:
        col = f"（{column}）"
        c.sum_check(rows["three_public"][attr],
                    [rows[k][attr] for k in ("vehicles", "overseas", "reception")],
                    t, f"basic.three_public.{attr}", f"三公经费{col}", "公务用车购置和维护经费、出国经费、公务接待")
        c.sum_check(rows["vehicles"][attr],
                    [rows[k][attr] for k in ("vehicle_purchase", "vehicle_operation")],
                    t, f"basic.vehicles.{attr}", f"公务用车购置和维护经费{col}", "公车购置、公车运行维护")
        c.sum_check(rows["project_total"][attr], [r[attr] for r in items + specials],
                    t, f"basic.project_total.{attr}", f"项目支出{col}", "各项目支出及省级专项资金")
        # the 其中 rows under 公用经费 are a selection: each, and together, at most the parent
        parent = rows["public_funds"][attr]
        subs = [rows[k][attr] for k in ("office", "utilities_travel", "meetings_training")]
        filled = [s for s in subs if s is not None]
        if parent is not None and filled and sum(filled, ZERO) > parent + c.profile.rounding_tolerance:
            c.add("SUBITEM_EXCEEDS", t, f"basic.public_funds.{attr}", f"公用经费{col}",
                  f"公用经费的“其中”项合计 {fmt_wan(sum(filled, ZERO))} 大于公用经费 {fmt_wan(parent)}。",
                  expected=f"≤ {fmt_wan(parent)}", actual=fmt_wan(sum(filled, ZERO)))

    for name, label in (("three_public", "三公经费"), ("public_funds", "公用经费")):
        budget, spent = rows[name]["budget"], rows[name]["actual"]
        if budget is not None and spent is not None and spent > budget:
            c.add("OVER_BUDGET", t, f"basic.{name}.actual", f"{label} 决算数",
                  f"{label}决算数 {fmt_wan(spent)} 超过预算数 {fmt_wan(budget)}，请说明原因。",
                  expected=f"≤ {fmt_wan(budget)}", actual=fmt_wan(spent),
                  severity=Severity.WARNING if name == "three_public" else Severity.NOTICE)
    basis = c.profile.change_rate_basis
    last = rows["three_public"]["prior_actual"]
    this = rows["three_public"]["actual" if basis == "actual" else "budget"]
    change = rules.change_rate(this, last)
    if change is not None and change != 0:
        word = "增长" if change > 0 else "下降"
        c.add("CHANGE_RATE", t, "basic.three_public.actual", "三公经费 变动率",
              f"三公经费{('决算数' if basis == 'actual' else '预算数')}较上年决算数{word} "
              f"{fmt_pct(abs(change))}（{fmt_wan(last)} → {fmt_wan(this)}）。", actual=fmt_pct(change))

    bld = b.buildings
    area_ok = c.number(bld.approved_area, t, "basic.buildings.approved_area", "批复规模", unit="㎡")
    area = c.number(bld.actual_area, t, "basic.buildings.actual_area", "实际规模", unit="㎡")
    inv_ok = c.number(bld.budget_investment, t, "basic.buildings.budget_investment", "预算投资")
    inv = c.number(bld.actual_investment, t, "basic.buildings.actual_investment", "实际投资")
    for approved, real, printed, path, label, formula in (
        (area_ok, area, bld.printed_area_rate, "basic.buildings.printed_area_rate", "规模控制率", "实际规模 ÷ 批复规模"),
        (inv_ok, inv, bld.printed_investment_rate, "basic.buildings.printed_investment_rate", "投资概算控制率",
         "实际投资 ÷ 预算投资"),
    ):
        if approved is not None and approved == 0:
            c.add("ZERO_DENOMINATOR", t, path, label,
                  f"{label}的分母为 0（当年无完工项目？），比率应显示“—”而不是“{printed or 0}”。",
                  expected="—", actual=printed or "", severity=Severity.NOTICE)
        else:
            _check_printed_rate(c, printed, rules.control_rate(real, approved), t, path, label, formula)


# ---------------------------------------------------------------- 附件二 / 附件三


def _check_funds(c: _Collector, table: PerformanceTable, score: TableScore) -> None:
    t, title, p = score.table, score.title, score.path
    columns = (("initial_budget", "年初预算数"), ("full_year_budget", "全年预算数"), ("actual", "全年执行数"))
    numbers = [
        {attr: c.number(getattr(row, attr), t, f"{p}.funds[{i}].{attr}", f"{row.label or '资金'} {name}", title=title,
                        unit="万元" if attr in dict(columns) else "分")
         for attr, name in (*columns, ("weight", "分值"), ("self_score", "自评得分"))}
        for i, row in enumerate(table.funds)
    ]
    if not table.funds:
        c.add("MISSING_FIELD", t, f"{p}.funds[0]", "年度资金总额", "缺少“年度资金总额”行。", title=title)
        return
    fund = table.funds[0]
    for attr, name in columns[1:]:
        if is_blank(getattr(fund, attr)):
            c.add("MISSING_FIELD", t, f"{p}.funds[0].{attr}", f"年度资金总额 {name}", f"未填写年度资金总额的{name}。",
                  title=title)
    # the 其中 rows of 附件三 (当年财政拨款 / 上年结转资金 / 其他资金), column by column
    if len(table.funds) > 1:
        for attr, name in columns:
            c.sum_check(numbers[0][attr], [n[attr] for n in numbers[1:]], t, f"{p}.funds[0].{attr}",
                        f"年度资金总额 {name}", "当年财政拨款、上年结转资金、其他资金", title=title)

    rate_path, rate_loc = f"{p}.funds[0].printed_rate", "年度资金总额 执行率"
    rate = score.execution_rate
    if rate is None and score.full_year_budget is not None and score.full_year_budget == 0:
        c.add("ZERO_DENOMINATOR", t, rate_path, rate_loc, "全年预算数为 0，执行率无法计算，表中应显示“—”。",
              title=title)
    _check_printed_rate(c, fund.printed_rate, rate, t, rate_path, rate_loc, "全年执行数 ÷ 全年预算数", title=title)
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
        _check_own_score(c, own, weight, t, f"{p}.funds[0].self_score", "执行率 自评得分", title)
        if rule is not None and own != rule:
            c.add("SCORE_DIFFERS", t, f"{p}.funds[0].self_score", "执行率 自评得分",
                  f"执行率 {fmt_pct(rate)} × 分值 {fmt_score(weight)} = 规则得分 {fmt_score(rule)}，"
                  f"自评得分为 {fmt_score(own)}。", expected=rule, actual=own, title=title,
                  severity=_differs_severity(own, rule))


def _differs_severity(own: Decimal, rule: Decimal) -> Severity:
    """A self-score above the rule's is a 警告 (the department may have over-scored itself);
    below it, a 提示 (deducting more than the rule is the department's call, with a reason)."""
    return Severity.WARNING if own > rule else Severity.NOTICE


def _check_own_score(c: _Collector, own: Decimal, weight: Decimal, t: Table, path: str, loc: str, title: str) -> None:
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


def _check_indicators(c: _Collector, table: PerformanceTable, score: TableScore) -> None:
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
        if weight is None and is_blank(row.weight):
            c.add("WEIGHT_MISSING", t, f"{path}.weight", f"{loc} 分值", f"{loc}未填写分值。", title=title)
        own = c.number(row.self_score, t, f"{path}.self_score", f"{loc} 自评得分", title=title, allow_negative=True,
                       unit="分")
        for attr, label, note in (("target", "年度指标值", rules.Note.TARGET_UNREADABLE),
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
            if is_blank(row.self_score):
                c.add("SCORE_MISSING", t, f"{path}.self_score", f"{loc} 自评得分", f"{loc}未填写自评得分。",
                      title=title)
        else:
            _check_own_score(c, own, weight, t, f"{path}.self_score", f"{loc} 自评得分", title)
        for note in s.result.notes:
            code = _NOTE_CODES.get(note)
            if code == "NOT_SCORED" and not str(row.actual).strip():
                continue  # an empty actual is already VALUE_MISSING
            if code:
                c.add(code, t, f"{path}.actual" if code != "SELF_SCORE_OUT_OF_BAND" else f"{path}.self_score",
                      loc, f"{loc}：{_note_message(note, s)}", expected=row.target, actual=row.actual, title=title)
        deducted = own is not None and own < weight
        over = rules.Note.OVER_ACHIEVEMENT in s.result.notes
        if (deducted or over) and not row.deviation.strip():
            why = f"扣了 {fmt_score(weight - own)} 分" if deducted else "超额完成幅度较大"
            c.add("DEVIATION_MISSING", t, f"{path}.deviation", f"{loc} 偏差原因分析及改进措施",
                  f"{loc}{why}，但未填写偏差原因分析及改进措施。", expected=f"分值 {fmt_score(weight)}",
                  actual=f"自评 {fmt_score(own)}" if own is not None else "", title=title)
        if s.rule_score is not None and own is not None and own != s.rule_score:
            c.add("SCORE_DIFFERS", t, f"{path}.self_score", f"{loc} 自评得分", f"{loc}：{s.explanation}。",
                  expected=s.rule_score, actual=own, title=title, severity=_differs_severity(own, s.rule_score))


def _note_message(note: rules.Note, s) -> str:
    r = s.result
    if note is rules.Note.OVER_ACHIEVEMENT:
        return (f"实际完成值是年度指标值的 {fmt_pct(r.ratio)}，超过预警线，请确认年度指标是否设置偏低，"
                "并在偏差原因中说明。")
    if note is rules.Note.NOT_APPLICABLE_WEIGHTED:
        return ("年度指标值为“无”，指标不适用，却分配了分值并给了分（规则总分中按 0 计）；"
                "应将分值调整到其他指标，或说明得分理由。")
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
        return (f"年度指标值“{s.indicator.target}”与实际完成值“{s.indicator.actual}”类型不同（数值/日期/文字），"
                "无法按公式比较，已按完成档次或自评得分计分；请用与指标值相同的形式填写实际完成值。")
    if note is rules.Note.NEGATIVE_ACTUAL:
        return "实际完成值为负数，按 0 计分；请确认是否填错。"
    if note is rules.Note.ACTUAL_MISSING:
        return f"实际完成值为“{s.indicator.actual}”，规则无法计分，规则总分中按 0 计；请填写实际完成情况。"
    return str(note)


def _check_weights(c: _Collector, table: PerformanceTable, score: TableScore) -> None:
    t, title, p = score.table, score.title, score.path
    if not score.indicators:
        c.add("MISSING_FIELD", t, f"{p}.indicators", "绩效指标", "未填写任何绩效指标（产出、效益、满意度指标）。",
              title=title)
    for attr, label in (("goal_expected", "年度总体目标 预期目标"), ("goal_actual", "年度总体目标 实际完成情况")):
        if not getattr(table, attr).strip():
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


def _check_overall_sums(c: _Collector, ev: Evaluation, score: TableScore) -> None:
    o, t = ev.overall, Table.OVERALL
    parts_source = [c.number(getattr(o, a), t, f"overall.{a}", n) for a, n in (
        ("general_budget", "一般公共预算"), ("government_fund", "政府性基金拨款"),
        ("special_account", "纳入专户管理的非税收入拨款"), ("other_funds", "其他资金"))]
    parts_nature = [c.number(getattr(o, a), t, f"overall.{a}", n) for a, n in (
        ("basic_expenditure", "基本支出"), ("project_expenditure", "项目支出"))]
    c.sum_check(score.actual, parts_source, t, "overall.funds[0].actual", "年度资金总额 全年执行数",
                "按收入性质分（一般公共预算、政府性基金拨款、纳入专户管理的非税收入拨款、其他资金）")
    c.sum_check(score.actual, parts_nature, t, "overall.funds[0].actual", "年度资金总额 全年执行数",
                "按支出性质分（基本支出、项目支出）")


# ---------------------------------------------------------------- across tables and 基本情况


def _check_cross(c: _Collector, ev: Evaluation, scores: EvaluationScore) -> None:
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
                  f"基本情况中的{label} {_text(own)} 与附件1 的 {_text(other)} 不一致。", expected=other, actual=own)
    for attr, label, unit in (("in_service", "财政供养在职人数", "人"), ("retired", "退休人数", "人"),
                              ("survivors", "抚恤人数", "人"), ("vehicles_quota", "公务用车定编数", "台"),
                              ("vehicles_actual", "现有车辆数", "台")):
        c.number(getattr(st, attr), Table.GENERAL, f"staffing.{attr}", label, unit=unit)


def _check_general(c: _Collector, ev: Evaluation) -> None:
    t = Table.GENERAL
    if not ev.department.strip():
        c.add("MISSING_FIELD", t, "department", "单位名称", "未填写单位名称。")
    if not 2000 <= ev.year <= 2100:
        c.add("MISSING_FIELD", t, "year", "评价年度", f"评价年度“{ev.year or ''}”无效，应为四位年份，如 2023。",
              actual=ev.year or "")


def check(evaluation: Evaluation, profile: Profile, scores: EvaluationScore | None = None) -> list[Finding]:
    """All findings for *evaluation*, in table order (基本情况, 附件1, 附件2, 附件3…, 表间)."""
    scores = scores or score_evaluation(evaluation, profile)
    c = _Collector(profile)
    _check_general(c, evaluation)
    _check_basic(c, evaluation)
    for table, score in ((evaluation.overall, scores.overall), *zip(evaluation.projects, scores.projects, strict=False)):
        _check_funds(c, table, score)
        if table is evaluation.overall:
            _check_overall_sums(c, evaluation, score)
        _check_indicators(c, table, score)
        _check_weights(c, table, score)
    _check_cross(c, evaluation, scores)
    return c.findings
