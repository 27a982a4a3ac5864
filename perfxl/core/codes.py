"""The one registry of finding codes: code, severity, category, summary, message template.

Every code any part of perfxl can emit is declared here once, whether the checker, the
workbook reader or anything else emits it; ``tests/test_codes.py`` scans the source to
prove it, and ``docs/findings.md`` is generated from this table
(``python -m perfxl.core.findings_doc > docs/findings.md``; a test keeps it current).  Other
systems filter on the codes, so a code is never renamed; one that is no longer emitted
stays, marked ``reserved``.

A finding is built with ``finding(code, …)``: its severity comes from here.  Where a
code legitimately has more than one severity (an over-budget 三公经费 is a 警告, other
rows a 提示; a missing project sheet is a 警告, another sheet an 错误), the
alternatives are declared in ``also`` and the caller names the one it needs; any other
severity is a program error.

Categories (what a reader of ``docs/findings.md`` groups by): 读取 (the file or
workbook cannot be read as it should), 填写 (a cell is empty, not a number, negative),
表内合计 (a total against its parts), 比率 (a printed rate against the computed one),
执行率 (budget execution and adjustment), 指标 (one indicator's values), 评分 (weights,
self-scores, totals), 表间一致 (one figure in two tables; also the report's text against
its annex tables, ``TEXT_TABLE_MISMATCH``, the 表文一致 check of the written report).

Suggestions for report sections 七/八 have their own keys (``SUGGESTIONS``): a
department drops one by ``<key>.problem`` / ``<key>.measure``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .findings import Finding, Severity, Table

E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTICE


@dataclass(frozen=True, slots=True)
class Code:
    """One finding code.

    Attributes:
      code: the stable identifier ("SUM_MISMATCH").
      severity: the default severity.
      category: 读取 / 填写 / 表内合计 / 比率 / 执行率 / 指标 / 评分 / 表间一致.
      summary: a short Chinese explanation (the table in docs/findings.md).
      template: the message, with ``{location}`` and the fields the emitter passes; used
        when the emitter gives no message of its own.
      emitter: the module that emits it ("core.checks", "workbook.reader").
      also: other severities the emitter may choose (each documented in ``summary``).
      reserved: no longer emitted, kept so that the code is never reused.
    """

    code: str
    severity: Severity
    category: str
    summary: str
    template: str = "{location}：{summary}。"
    emitter: str = "core.checks"
    also: tuple[Severity, ...] = ()
    reserved: bool = False


_READER = "workbook.reader"

CODES: tuple[Code, ...] = (
    # 读取: the workbook reader (perfxl/workbook/reader.py)
    Code("SHEET_MISSING", E, "读取", "工作表缺失（缺少附件3 项目表时为警告）", "缺少工作表“{location}”。", _READER, (W,)),
    Code("SHEET_RENAMED", N, "读取", "工作表被改名，已按位置读取", "工作表“{location}”已改名，按其位置读取。", _READER),
    Code("FIELD_DELETED", E, "读取", "字段所在单元格已被删除，按空白读取", "“{location}”所在的单元格已被删除。", _READER),
    Code("REGION_DELETED", E, "读取", "整块区域已被删除，无法读取", "“{location}”区域已被删除。", _READER),
    Code("LAYOUT_CHANGED", E, "读取", "表格结构被改动（删除或插入了行）", "表格结构被改动：{location}。", _READER),
    Code("KEY_MISSING", E, "读取", "有分值但没有填写名称，该行未读取", "“{location}”有分值但没有名称。", _READER),
    Code("NO_VBA", W, "读取", "工作簿不含宏（另存为 .xlsx？），按钮不可用", "{location} 不含宏。", _READER),
    Code("CELL_NOT_NUMBER", E, "读取", "数字单元格中是文本、日期或真假值", "{location}应填数字。", _READER),
    Code("CELL_TEXT_NUMBER", N, "读取", "数字以文本格式存放，表内公式不会计入", "{location}的数字是文本格式。", _READER),
    Code("CELL_NOT_INTEGER", E, "读取", "应填整数（年度）的单元格不是整数", "{location}应填整数。", _READER),
    # 填写
    Code("MISSING_FIELD", E, "填写", "必填项为空（年度总体目标为空时为警告）", "未填写{location}。", also=(W,)),
    Code("NOT_A_NUMBER", E, "填写", "数字栏填写了无法识别的文本", "{location}应填写数字，实际为“{actual}”。"),
    Code("NEGATIVE_AMOUNT", E, "填写", "金额或人数为负数", "{location}不应为负数。"),
    # 表内合计
    Code("SUM_MISMATCH", E, "表内合计", "合计与各分项之和不符"),
    Code("SUM_ROUNDING", N, "表内合计", "合计与分项之和相差不超过舍入误差"),
    Code("SUBITEM_EXCEEDS", W, "表内合计", "“其中”项大于其所属项目"),
    # 比率
    Code("RATE_MISMATCH", E, "比率", "表上填写的比率与计算结果不符"),
    Code("ZERO_DENOMINATOR", W, "比率", "分母为零或为空，比率无法计算（楼堂馆所无完工项目时为提示）", also=(N,)),
    # 执行率
    Code("OVER_BUDGET", W, "执行率", "决算数超过预算数（三公经费为警告，公用经费为提示）", also=(N,)),
    Code("CHANGE_RATE", N, "执行率", "三公经费较上年变动"),
    Code("EXEC_OVER_100", W, "执行率", "执行率超过100%（超预算执行）"),
    Code("EXEC_LOW", W, "执行率", "执行率低于预警线（方案要求书面说明而未说明时为错误）", also=(E,)),
    Code("EXEC_REASON_MISSING", W, "执行率", "执行率未达100%，未说明原因"),
    Code("BUDGET_ADJUSTED", N, "执行率", "全年预算数较年初预算数调整幅度大"),
    # 指标
    Code("VALUE_UNREADABLE", E, "指标", "指标值无法识别"),
    Code("VALUE_MISSING", E, "指标", "指标值为空"),
    Code("OVER_ACHIEVEMENT", W, "指标", "实际完成值远超年度指标值"),
    Code("NOT_APPLICABLE_WEIGHTED", W, "指标", "指标为“无”却分配了分值"),
    Code("NA_TARGET_WITH_ACTUAL", E, "指标", "年度指标值为“无”而实际完成值有数"),
    Code("TIER_REQUIRED", W, "指标", "定性指标未选择完成档次"),
    Code("SELF_SCORE_OUT_OF_BAND", E, "指标", "定性指标得分不在所选档次的分数区间内"),
    Code("UNIT_MISMATCH", W, "指标", "年度指标值与实际完成值单位不一致"),
    Code("DEADLINE_MISSED", N, "指标", "未在时限内完成"),
    Code("ZERO_TARGET", N, "指标", "年度指标值为 0 或负数，只能判断是否达到"),
    Code("KIND_MISMATCH", W, "指标", "实际完成值与年度指标值类型不同，无法按公式比较"),
    Code("NEGATIVE_ACTUAL", W, "指标", "实际完成值为负数，按 0 计"),
    Code("NOT_SCORED", W, "指标", "实际完成值为“无”等，规则无法计分，按 0 计入规则总分"),
    Code("UNKNOWN_INDICATOR_LEVEL", W, "指标", "一级或二级指标名称不在规范之列"),
    Code("DEVIATION_MISSING", E, "指标", "扣分或超额完成但未填写偏差原因"),
    # 评分
    Code("SCORE_OVER_WEIGHT", E, "评分", "自评得分超过分值"),
    Code("SCORE_NEGATIVE", E, "评分", "自评得分为负数"),
    Code("SCORE_MISSING", W, "评分", "未填写自评得分"),
    Code("SCORE_DIFFERS", N, "评分", "自评得分与规则得分不同（高于规则得分时为警告）", also=(W,)),
    Code("TOTAL_MISMATCH", E, "评分", "表上总分与各项得分之和不符"),
    Code("WEIGHT_SUM", E, "评分", "分值合计不符"),
    Code("WEIGHT_MISSING", E, "评分", "未填写分值"),
    Code("SELF_TOTAL_OVER_CAP", E, "评分", "执行率偏低，自评总分超过方案规定的上限"),
    Code("SCORES_AHEAD", W, "评分", "指标自评得分率高于预算执行率 5 个百分点以上（检查 SCORES_AHEAD，默认关闭）"),
    # 表间一致
    Code("NAME_MISMATCH", W, "表间一致", "表间单位名称不一致"),
    Code("CROSS_MISMATCH", E, "表间一致", "表间数字不一致"),
    # 表文一致: the written report read back (perfxl/report/consistency.py)
    Code("TEXT_TABLE_MISMATCH", E, "表间一致", "自评报告正文引用的数字与附件表格中的单元格不一致（表文一致核对）",
         "自评报告{location}：正文为{actual}，附件表格中为{expected}。", "report.consistency"),
    # issue 9 (checks/real.py): checks real published tables need
    Code("FUND_SCORE_BLANK", W, "评分", "年度资金总额（执行率）行有分值而自评得分为空（检查 BLANKS）"),
    Code("TOTAL_BLANK", W, "评分", "表上总分为空而各行有自评得分（检查 BLANKS）"),
    Code("WEIGHT_SPLIT", N, "评分", "一级指标分值与评分方案规定不同，超出允许偏差（检查 WEIGHT_SPLIT，默认关闭）"),
    Code("STAFF_OVER_QUOTA", N, "执行率", "实有人数多于编制数（检查 STAFF_OVER_QUOTA）"),
    Code("PROJECT_OVER_BUDGET", N, "执行率", "附件1 项目支出决算数远超预算数（检查 PROJECT_OVER）"),
    Code("TEMPLATE_TEXT", E, "填写", "单元格留有模板说明文字或占位符（检查 TEMPLATE_TEXT）"),
    Code("TABLE_UNFILLED", E, "填写", "表格未填写，只有表样（检查 UNFILLED）"),
    # issue 9 (checks/structure.py): the table-level structures of real tables
    Code("GRADE_MISMATCH", E, "评分", "表上填写的自评等级与表上总分按评分方案等级划分应得的等级不符（检查 GRADE）"),
    Code("GRADE_UNREADABLE", W, "填写", "表上填写的自评等级无法识别（应为优、良、中、差）（检查 GRADE）"),
    Code("TABLE_ABSENT", N, "填写", "数据中没有附件一或附件二，按不含该表的表样核对（检查 TABLES）；"
         "评分方案的表样必有附件一（[tables] basic = \"required\"）而未填写时为错误", also=(E,)),
    # issue 9 (checks/fields.py): the per-row fields of provinces' indicator tables
    Code("DIRECTION_CONFLICT", W, "指标", "指标方向（指标性质）与年度指标值的符号相反，已按指标方向计分（检查 INDICATOR_FIELDS）"),
    Code("DIRECTION_UNREADABLE", W, "指标", "指标方向（指标性质）无法识别，按指标值符号或名称判断（检查 INDICATOR_FIELDS）"),
    Code("STANDARD_UNREADABLE", N, "指标", "行上的评分标准无法识别，原文保留，按默认规则计分（检查 INDICATOR_FIELDS）"),
    Code("COEFFICIENT_MISMATCH", E, "评分", "自评得分与 分值 × 得分系数 不符，或得分系数不在 0～1（检查 INDICATOR_FIELDS）"),
)

#: code → its declaration
REGISTRY: Mapping[str, Code] = {c.code: c for c in CODES}

#: the suggestion keys of report sections 七/八 (suggestions.py): key → (summary, source codes)
SUGGESTIONS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "EXEC_LOW": ("预算执行进度偏慢（执行率低于预警线）：未支出金额与执行率", ("EXEC_LOW",)),
    "UNSPENT": ("预算资金未全部支出：未支出金额与执行率", ()),
    "BUDGET_ADJUSTED": ("年初预算编制不够准确（年中调整幅度大）：年初、全年预算与调整额", ("BUDGET_ADJUSTED",)),
    "TARGETS_MISSED": ("部门自评扣分的指标及可能原因", ("SCORE_DIFFERS", "DEVIATION_MISSING")),
    "TARGETS_LOW": ("实际完成远超年度指标值：目标定得偏低", ("OVER_ACHIEVEMENT",)),
    "INDICATORS": ("绩效指标设置不够具体：年度指标值为“无”却分配了分值，或数量、质量、时效、成本指标未量化",
                   ("NOT_APPLICABLE_WEIGHTED", "NA_TARGET_WITH_ACTUAL")),
}

#: suggestion keys no longer generated (issue 10: they spoke about filling the form, and
#: one contradicted the annex the report prints corrected); their findings go to the
#: review document (校验说明).  Kept so that a key is never reused.
RETIRED_SUGGESTIONS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "RATE_MISMATCH": ("比率填报有误（报告附件已按计算值列示，改在校验说明中列出）", ("RATE_MISMATCH",)),
    "DEVIATION_MISSING": ("扣分或超额完成未分析偏差原因（改在校验说明中列出）", ("DEVIATION_MISSING",)),
    "SUMS": ("表内、表间数据衔接（改在校验说明中列出）", ("SUM_MISMATCH", "CROSS_MISMATCH")),
}


def code(name: str) -> Code:
    """The declaration of *name*; an unknown code is a program error (``KeyError``)."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"finding code {name!r} is not registered in perfxl.core.codes") from None


def severity_of(name: str, severity: Severity | None = None) -> Severity:
    """The severity of a finding of *name*: the registered default, or *severity* when
    it is one of the declared alternatives."""
    declared = code(name)
    if severity is None or severity is declared.severity:
        return declared.severity
    if severity not in declared.also:
        raise ValueError(f"{name}: severity {severity} is not declared for this code")
    return severity


def finding(name: str, table: Table, path: str, location: str, message: str | None = None, *,
            expected: str = "", actual: str = "", title: str = "", severity: Severity | None = None,
            sheet: str = "", cell: str = "", **fields: object) -> Finding:
    """A ``Finding`` of the registered code *name*; without *message*, the template is
    filled from *location*, *expected*, *actual* and *fields*."""
    declared = code(name)
    if message is None:
        message = declared.template.format(location=location, expected=expected, actual=actual,
                                           summary=declared.summary, **fields)
    return Finding(name, severity_of(name, severity), table, path, location, message, expected, actual,
                   title or str(table), sheet, cell)


def markdown() -> str:
    """docs/findings.md: every code as a Chinese table, grouped by category."""
    lines = [
        "# 校验结果代码一览",
        "",
        "由 `perfxl/core/codes.py` 生成（`python -m perfxl.core.findings_doc > docs/findings.md`），请勿手工修改。",
        "代码稳定不变，其他系统可按代码筛选；严重程度：错误 / 警告 / 提示。",
        "",
        "| 代码 | 严重程度 | 类别 | 说明 |",
        "|---|---|---|---|",
    ]
    for c in CODES:
        severities = "、".join(str(s) for s in (c.severity, *c.also))
        note = c.summary + ("（保留，不再产生）" if c.reserved else "")
        lines.append(f"| `{c.code}` | {severities} | {c.category} | {note} |")
    lines += ["", "## 自评报告“七、八”部分的建议", "",
              "部门可在数据文件 `narrative.dropped_suggestions` 中填写 `代码.problem` 或 `代码.measure` 删去某条建议。",
              "", "| 代码 | 说明 | 来自 |", "|---|---|---|"]
    for key, (summary, sources) in SUGGESTIONS.items():
        lines.append(f"| `{key}` | {summary} | {'、'.join(f'`{s}`' for s in sources) or '各表数据'} |")
    for key, (summary, sources) in RETIRED_SUGGESTIONS.items():
        lines.append(f"| `{key}` | {summary}（不再生成） | {'、'.join(f'`{s}`' for s in sources)} |")
    return "\n".join(lines) + "\n"
