"""Real published tables (tests/corpus/*.json): every printed figure reproduced at its printed
precision or flagged with the right reason, and no false alarm on a consistent row (issue 9).

Eight tables from five provinces (安徽 2, 河北 1, 北京 1, 四川 3, 重庆 1), found with a web search
and converted to the data format by hand (each file's ``_source`` names the page, the province and
the year, and what could not be read).  The search returned excerpts, so some tables are cut off:
findings about the whole table (weight sums, the blank 总分) come from the conversion, not from the
source: each is listed with its reason (``TRUNCATED``, a Figure's ``cut``), and no other finding may
appear (``test_no_finding_outside_the_figures``).  Every figure a file holds is a Figure
(``test_every_printed_figure_of_the_file_is_asserted``, which also checks the quoted text), every
printed 执行率 — on the 其中 fund rows too — is the profile's rate at its printed precision, and
``test_the_corpus_figures_in_numbers`` counts them: 148 figures, 121 reproduced (52 with the rule's
value at the printed precision), 21 flagged, 5 cut off, 1 not checkable (Chongqing's 执行率 76%: its
amounts were unreadable; its 得分 7.6 is checked against the printed rate).

Table-level structures (issue 9): seven of the eight are project tables published on their own
(no 附件二 and no 附件一): they are read as such, with one 提示 ``TABLE_ABSENT`` and no finding on
the missing tables (``test_project_tables_on_their_own``); the Chongqing 部门整体 table has no
附件一; the two Sichuan tables have five fund rows (总额, 财政资金, 财政专户管理资金, 单位资金,
其他资金), which the workbook now holds: every table fills into a workbook and comes back
unchanged (``test_every_table_fills_and_exports_unchanged``).  None of the excerpts prints a
自评等级, a 上年预算数 or a 年初结转, so none is in the corpus (tests/test_structures.py covers them).

Each ``Figure`` is one printed figure: its path, what the table prints, the hand arithmetic, the
rule's value at the printed precision (``rule``) where perfxl computes one, and the finding codes
expected at that path (empty: the figure is consistent and nothing may be reported there).  For an
indicator row the path is the row: every finding under it counts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from perfxl.core.checker import check
from perfxl.core.checks.base import consistent, printed_places, read_printed_rate
from perfxl.core.profile import load_profile
from perfxl.core.scoring import EvaluationScore, score_evaluation
from perfxl.core.serde import evaluation_from_dict

CORPUS = Path(__file__).parent / "corpus"


@dataclass(frozen=True)
class Figure:
    path: str
    printed: str
    hand: str
    codes: frozenset[str] = field(default_factory=frozenset)
    rule: str | None = None
    #: codes at this path that the conversion causes (rows the excerpt cut off), not the table
    cut: frozenset[str] = field(default_factory=frozenset)


def F(path: str, printed: str, hand: str, *codes: str, rule: str | None = None, cut: tuple[str, ...] = ()) -> Figure:
    return Figure(path, printed, hand, frozenset(codes), rule, frozenset(cut))


P = "projects[0]"
OK = "达成预期指标：定性，自评得分 = 分值，落在达成档 [0.8W, W] 内"


def AMOUNTS_OF_A_SUB_ROW(row: str, amounts: tuple[str, str, str]) -> list[Figure]:
    """A 其中 fund row's 年初预算数, 全年预算数, 全年执行数: parts of the 总额 row's sums (a mismatch
    is reported on the 总额 row), nothing reported on the row itself."""
    return [F(f"{row}.{column}", printed, "其中 行：合计关系报在总额行")
            for column, printed in zip(("initial_budget", "full_year_budget", "actual"), amounts, strict=True)
            if printed]


#: 四川表样's 财政专户管理资金 and 单位资金 rows: 0.00 budgeted, 0.00 spent, 0.00% printed
FIVE_ROW_EMPTY_SOURCES = [
    F(f"{P}.funds[{i}].{column}", printed, "0 ÷ 0：其中 行无预算无支出，印 0.00% 不报（checks/forms.py）")
    for i in (2, 3) for column, printed in (("initial_budget", "0.00"), ("full_year_budget", "0.00"), ("actual", "0.00"),
                                            ("printed_rate", "0.00%"))
]
#: the 总额 row printed all 0 (安徽): its 自评得分 0 follows from it, the error is on the amounts
BLANK_TOTAL_ROW = "总额行全为 0：0 ÷ 0 无规则得分；错误报在金额上（SUM_MISMATCH、ZERO_DENOMINATOR）"
#: 安徽's 一级指标 headers 产出 50 / 效益 30 / 满意度 10 = the national weights; the rows under a
#: header the excerpt cut off do not add up to it (WEIGHT_SUM, and WEIGHT_SPLIT on their sum)
def LEVEL1_AS_NATIONAL(*cut_off: tuple[str, tuple[str, ...]]) -> list[Figure]:
    cut = dict(cut_off)
    return [F(f"{P}.level1_weights.{name}", weight, f"{name} {weight} = 全国方案 {weight}"
              + ("（其下各行摘录截断）" if name in cut else ""), cut=cut.get(name, ()))
            for name, weight in (("产出指标", "50"), ("效益指标", "30"), ("满意度指标", "10"))]

FIGURES: dict[str, list[Figure]] = {
    # 安徽 池州市贵池区棠溪镇 2022 委托业务项目: the 年度资金总额 row prints 0 0 0 10 0 0 while its
    # 其中 row holds 90 / 89.974 / 89.974 — a real error, reported on each column; 全年预算数 0.
    "anhui-chizhou-tangxi-2022-weituo": [
        F(f"{P}.funds[0].initial_budget", "0", "其中 90 ≠ 合计 0", "SUM_MISMATCH"),
        F(f"{P}.funds[0].full_year_budget", "0", "其中 89.974 ≠ 合计 0", "SUM_MISMATCH"),
        F(f"{P}.funds[0].actual", "0", "其中 89.974 ≠ 合计 0", "SUM_MISMATCH"),
        F(f"{P}.funds[0].printed_rate", "0", "0 ÷ 0：分母为零", "ZERO_DENOMINATOR"),
        F(f"{P}.indicators[0]", "8", "≥50个 → 50：50 ÷ 50 = 100% → 8", rule="8"),
        *AMOUNTS_OF_A_SUB_ROW(f"{P}.funds[1]", ("90", "89.974", "89.974")),
        F(f"{P}.funds[0].weight", "10", "执行率分值 10 = 全国方案 10"),
        F(f"{P}.funds[0].self_score", "0", BLANK_TOTAL_ROW),
        *LEVEL1_AS_NATIONAL(("满意度指标", ("WEIGHT_SUM",))),
        F(f"{P}.indicators[1]", "8", "≥100百分比 → 100：100% → 8", rule="8"),
        F(f"{P}.indicators[2]", "8", OK, rule="8"),
        F(f"{P}.indicators[3]", "8", OK, rule="8"),
        F(f"{P}.indicators[4]", "8", "≤90万元 → 90：反向，90 ≤ 90 → 8", rule="8"),
        F(f"{P}.indicators[5]", "10", OK, rule="10"),
        F(f"{P}.indicators[6]", "10", OK, rule="10"),
        F(f"{P}.indicators[7]", "10", OK, rule="10"),
        F(f"{P}.indicators[8]", "10", OK, rule="10"),
    ],
    "anhui-chizhou-tangxi-2022-cunji": [
        F(f"{P}.funds[0].initial_budget", "0", "其中 202.64 ≠ 合计 0", "SUM_MISMATCH"),
        F(f"{P}.funds[0].full_year_budget", "0", "其中 132.912 ≠ 合计 0", "SUM_MISMATCH"),
        F(f"{P}.funds[0].actual", "0", "其中 132.912 ≠ 合计 0", "SUM_MISMATCH"),
        F(f"{P}.funds[0].printed_rate", "0", "0 ÷ 0：分母为零", "ZERO_DENOMINATOR"),
        F(f"{P}.indicators[0]", "8", "=8个 → 8：等于 → 8", rule="8"),
        *AMOUNTS_OF_A_SUB_ROW(f"{P}.funds[1]", ("202.64", "132.912", "132.912")),
        F(f"{P}.funds[0].weight", "10", "执行率分值 10 = 全国方案 10"),
        F(f"{P}.funds[0].self_score", "0", BLANK_TOTAL_ROW),
        *LEVEL1_AS_NATIONAL(("效益指标", ("WEIGHT_SUM", "WEIGHT_SPLIT")), ("满意度指标", ("WEIGHT_SUM",))),
        F(f"{P}.indicators[1]", "8", "=42个 → 42：等于 → 8", rule="8"),
        F(f"{P}.indicators[2]", "8", OK, rule="8"),
        F(f"{P}.indicators[3]", "8", OK, rule="8"),
        F(f"{P}.indicators[4]", "8", OK, rule="8"),
        F(f"{P}.indicators[5]", "10", "≤202.6万元 → 132.9：反向，132.9 ≤ 202.6 → 10", rule="10"),
        F(f"{P}.indicators[6]", "10", OK, rule="10"),
        F(f"{P}.indicators[7]", "10", OK, rule="10"),
    ],
    # 河北 廊坊市食品工程学校 2019: whole percent and whole points (profile whole-points.toml).
    "hebei-langfang-shipin-2019": [
        F(f"{P}.funds[0].printed_rate", "86%", "37.24 ÷ 43.2 = 0.86204 → 86%（整数百分比）"),
        F(f"{P}.funds[0].self_score", "9", "0.86204 × 10 = 8.62 → 取整 9", rule="9"),
        F(f"{P}.funds[0].actual", "37.24", "执行率 86.2% < 90%：预警（偏差原因已在指标行说明）", "EXEC_LOW"),
        F(f"{P}.funds[0].initial_budget", "43.2", "= 其中 43.2"),
        F(f"{P}.funds[0].full_year_budget", "43.2", "= 其中 43.2；年初 = 全年，无调整"),
        F(f"{P}.funds[0].weight", "10", "执行率分值 10"),
        *AMOUNTS_OF_A_SUB_ROW(f"{P}.funds[1]", ("43.2", "43.2", "37.24")),
        F(f"{P}.indicators[0]", "9", "43.2 → 37.24：37.24 ÷ 43.2 × 10 = 8.62 → 取整 9", rule="9"),
        *(F(f"{P}.indicators[{i}]", "10", "100 → 100：100% → 10", rule="10") for i in range(1, 9)),
    ],
    # 北京 海淀区学院路街道 2016: 执行率 = B ÷ 年初预算数 A, whole points (profile beijing-2016.toml).
    "beijing-haidian-xueyuanlu-2016": [
        F(f"{P}.funds[0].printed_rate", "50%", "154.74 ÷ 310.2 = 0.49884 → 50%（整数百分比）"),
        F(f"{P}.funds[0].self_score", "5", "0.49884 × 10 = 4.99 → 取整 5", rule="5"),
        F(f"{P}.funds[0].actual", "154.74", "执行率 49.88% < 90%，且无偏差原因", "EXEC_LOW", "EXEC_REASON_MISSING"),
        F(f"{P}.indicators[0]", "12.5", "1 → 1：100% → 12.5", rule="12.5"),
        F(f"{P}.funds[0].initial_budget", "310.2", "= 其中 310.2（执行率的分母）"),
        F(f"{P}.funds[0].weight", "10", "执行率分值 10"),
        F(f"{P}.funds[1].initial_budget", "310.2", "其中 行：= 总额"),
        F(f"{P}.funds[1].actual", "154.74", "其中 行：= 总额"),
        F(f"{P}.level1_weights.产出指标", "50", "产出 50 = 方案 50（其后各行摘录截断）", cut=("WEIGHT_SUM", "WEIGHT_SPLIT")),
    ],
    # 四川 青神县发展和改革局 2023: the scores left blank, template text left in a cell.
    "sichuan-qingshen-fagai-2023-gongzi": [
        F(f"{P}.funds[0].printed_rate", "100.00%", "251.89 ÷ 251.89 = 100.00%"),
        F(f"{P}.funds[0].self_score", "", "分值 10，得分空白（规则 100% × 10 = 10）", "FUND_SCORE_BLANK"),
        F(f"{P}.funds[0].initial_budget", "238.93", "= 其中 238.93 + 0.00 + 0.00"),
        F(f"{P}.funds[0].full_year_budget", "251.89", "= 其中 251.89 + 0.00 + 0.00"),
        F(f"{P}.funds[0].actual", "251.89", "= 其中 251.89 + 0.00 + 0.00"),
        F(f"{P}.funds[0].weight", "10", "执行率分值 10"),
        *AMOUNTS_OF_A_SUB_ROW(f"{P}.funds[1]", ("238.93", "251.89", "251.89")),
        F(f"{P}.funds[1].printed_rate", "100.00%", "其中：财政资金 251.89 ÷ 251.89 = 100.00%"),
        *FIVE_ROW_EMPTY_SOURCES,
        F(f"{P}.printed_total_weight", "100", "10 + 60 + 30 = 100"),
        F(f"{P}.goal_actual", "对照年度目标，说明…(100字以内)", "表样说明文字未替换", "TEMPLATE_TEXT"),
        F(f"{P}.indicators[0]", "", "完成值、得分均空白", "VALUE_MISSING", "SCORE_MISSING"),
        F(f"{P}.indicators[1]", "", "完成值、得分均空白", "VALUE_MISSING", "SCORE_MISSING"),
        F(f"{P}.level1_weights.产出指标", "60", "产出 60 ≠ 全国方案 50", "WEIGHT_SPLIT"),
    ],
    # 四川 中江县水利局 2022: weights 10 + 70 + 20 + 10 = 110 against a printed total of 100.
    "sichuan-zhongjiang-shuili-2022": [
        F(f"{P}.funds[0].printed_rate", "100.00%", "20 ÷ 20 = 100.00%"),
        F(f"{P}.funds[0].self_score", "10", "100% × 10 = 10", rule="10"),
        F(f"{P}.printed_total_weight", "100", "10 + 70 + 20 + 10 = 110 ≠ 100", "WEIGHT_SUM"),
        F(f"{P}.printed_total_score", "100", "10 + 10+10+20+10+10+10 + 10+10 + 10 = 110 ≠ 100", "TOTAL_MISMATCH"),
        F(f"{P}.level1_weights.产出指标", "70", "表注：产出 50", "WEIGHT_SPLIT"),
        F(f"{P}.level1_weights.效益指标", "20", "表注：效益 30", "WEIGHT_SPLIT"),
        F(f"{P}.indicators[0]", "10", "≥266米 → ≥266米：100% → 10", rule="10"),
        F(f"{P}.indicators[1]", "10", "≥50厘米 → ≥50厘米 → 10", rule="10"),
        F(f"{P}.indicators[2]", "20", "100% → 100% → 20", rule="20"),
        F(f"{P}.indicators[3]", "10", "≥90% → ≥90% → 10", rule="10"),
        F(f"{P}.indicators[4]", "10", "≥90% → ≥90% → 10", rule="10"),
        F(f"{P}.indicators[5]", "10", "20万元 → 20万元 → 10", rule="10"),
        F(f"{P}.indicators[6]", "10", "≥1000人 → ≥1000人 → 10", rule="10"),
        F(f"{P}.indicators[7]", "10", "显著提升 → 显著提升：定性，达成档", rule="10"),
        F(f"{P}.indicators[8]", "10", "≥95% → ≥95% → 10", rule="10"),
        F(f"{P}.funds[0].full_year_budget", "20", "= 其中 20"),
        F(f"{P}.funds[0].actual", "20", "= 其中 20"),
        F(f"{P}.funds[0].weight", "10", "执行率分值 10 = 表注 10"),
        F(f"{P}.funds[1].full_year_budget", "20", "其中 行：= 总额"),
        F(f"{P}.funds[1].actual", "20", "其中 行：= 总额"),
        F(f"{P}.level1_weights.满意度指标", "10", "= 表注 10；其下 1 行 10"),
    ],
    # 四川 大英县司法局 2023: 年初 0, 调整后 3.36, executed in full.
    "sichuan-daying-sifa-2023-anke": [
        F(f"{P}.funds[0].printed_rate", "100.00%", "3.36 ÷ 3.36 = 100.00%"),
        F(f"{P}.funds[0].self_score", "10", "100% × 10 = 10", rule="10"),
        F(f"{P}.funds[0].initial_budget", "0.00", "= 其中 0.00 + 0.00 + 0.00"),
        F(f"{P}.funds[0].full_year_budget", "3.36", "= 其中 3.36 + 0.00 + 0.00；年初 0 → 调整后 3.36（无年初数，不算调整率）"),
        F(f"{P}.funds[0].actual", "3.36", "= 其中 3.36 + 0.00 + 0.00"),
        F(f"{P}.funds[0].weight", "10", "执行率分值 10"),
        *AMOUNTS_OF_A_SUB_ROW(f"{P}.funds[1]", ("0.00", "3.36", "3.36")),
        F(f"{P}.funds[1].printed_rate", "100.00%", "其中：财政资金 3.36 ÷ 3.36 = 100.00%"),
        *FIVE_ROW_EMPTY_SOURCES,
    ],
    # 重庆 西部（重庆）科学城融媒体中心 2021 部门整体: direction from the name (控制率, 调整率,
    # 结转结余率 are lower-is-better: the targets carry no ≥/≤); one unmet target scored in full.
    # The form prints 计量单位, 指标性质, 年初/调整指标值, 得分系数(%), 是否核心指标 as columns: the
    # 年初指标值 scores (调整 blank), and every 指标得分 = 权重 × 得分系数 100% (no COEFFICIENT_MISMATCH).
    "chongqing-kexuecheng-rongmeiti-2021": [
        F("overall.funds[0].weight", "10", "执行率权重 10 = 全国方案 10"),
        F("overall.funds[0].printed_rate", "76%", "预算金额识别不清未录入：无从核对（MISSING_FIELD 报在金额上，转换所致）"),
        F("overall.funds[0].self_score", "7.6", "金额未录入：按表上执行率 76% × 10 = 7.6（checks/tables.py）"),
        F("overall.printed_total_score", "97.6", "五行识别不清未录入：录入各行之和 53.6 ≠ 97.6（转换所致）",
          cut=("TOTAL_MISMATCH",)),
        F("overall.indicators[0]", "2", "控制率（反向）100% → 92%：92 ≤ 100 → 2", rule="2"),
        F("overall.indicators[1]", "1", "100% → 100% → 1", rule="1"),
        F("overall.indicators[2]", "2", "70% → 76%：正向，达到 → 2", rule="2"),
        F("overall.indicators[3]", "2", "调整率（反向）3% → 0：0 ≤ 3% → 2", rule="2"),
        F("overall.indicators[4]", "2", "结转结余率（反向）2% → 0 → 2", rule="2"),
        F("overall.indicators[5]", "2", "控制率（反向）100% → 97% → 2", rule="2"),
        F("overall.indicators[6]", "2", "100% → 72.74%：72.74 ÷ 100 × 2 = 1.45 < 2（自评给满分）", "SCORE_DIFFERS",
          rule="1.45"),
        F("overall.indicators[7]", "3", "高 → 高：定性，达成档", rule="3"),
        F("overall.indicators[8]", "5", "好 → 好：定性，达成档", rule="5"),
        F("overall.indicators[9]", "1", "高 → 高：定性，达成档", rule="1"),
        F("overall.indicators[10]", "2", "好 → 好：定性，达成档", rule="2"),
        F("overall.indicators[11]", "2", "90% → 100%：111% → 2", rule="2"),
        F("overall.indicators[12]", "10", "2200篇 → 2859篇：129.95% > 120%，超额未分析原因",
          "OVER_ACHIEVEMENT", "DEVIATION_MISSING", rule="10"),
        F("overall.indicators[13]", "10", "90% → 95% → 10", rule="10"),
    ],
}

#: findings that come from the conversion, not from the source: the Chongqing excerpt shows no
#: 一级/二级指标 names, so they are blank in its file
ARTIFACTS = {"chongqing-kexuecheng-rongmeiti-2021": {"UNKNOWN_INDICATOR_LEVEL"}}
#: findings on cells the table prints but the excerpt did not show (blank in the file), each with why:
#: the excerpt was cut off before them (``_source.note``), so they come from the conversion
_CUT_TOTAL = "总分行在摘录截断处之后，未录入"
TRUNCATED: dict[str, dict[tuple[str, str], str]] = {
    "anhui-chizhou-tangxi-2022-cunji": {("WEIGHT_SUM", f"{P}.printed_total_weight"): "“可持续影响”行起摘录截断",
                                        ("TOTAL_BLANK", f"{P}.printed_total_score"): _CUT_TOTAL},
    "anhui-chizhou-tangxi-2022-weituo": {("WEIGHT_SUM", f"{P}.printed_total_weight"): "满意度指标各行摘录截断",
                                         ("TOTAL_BLANK", f"{P}.printed_total_score"): _CUT_TOTAL},
    "beijing-haidian-xueyuanlu-2016": {("WEIGHT_SUM", f"{P}.printed_total_weight"): "摘录只含第一个三级指标",
                                       ("TOTAL_BLANK", f"{P}.printed_total_score"): _CUT_TOTAL},
    "chongqing-kexuecheng-rongmeiti-2021": {
        ("MISSING_FIELD", "overall.funds[0].full_year_budget"): "预算金额识别不清，未录入",
        ("MISSING_FIELD", "overall.funds[0].actual"): "预算金额识别不清，未录入",
        ("WEIGHT_SUM", "overall.printed_total_weight"): "五个指标行识别不清，未录入"},
    "hebei-langfang-shipin-2019": {("TOTAL_BLANK", f"{P}.printed_total_score"): "总分行不在网页摘录中"},
    "sichuan-daying-sifa-2023-anke": {("MISSING_FIELD", f"{P}.indicators"): "摘录在第一个三级指标处截断"},
}
#: the one 提示 of a table published without the others (``test_project_tables_on_their_own``)
ABSENT = {("TABLE_ABSENT", "overall"), ("TABLE_ABSENT", "basic")}


def load(stem: str) -> tuple[object, object]:
    data = json.loads((CORPUS / f"{stem}.json").read_text(encoding="utf-8"))
    source = data.pop("_source")
    assert source["url"].startswith("http") and source["province"] and source["year"]
    evaluation = evaluation_from_dict(data)
    name = evaluation.profile
    profile = load_profile(str(CORPUS / name) if name.endswith(".toml") else name)
    return evaluation, profile


def rule_value(scores: EvaluationScore, path: str) -> Decimal | None:
    table = next(t for t in scores.tables if path.startswith(t.path + "."))
    rest = path[len(table.path) + 1:]
    if rest == "funds[0].self_score":
        return table.budget_score
    index = int(rest.split("[")[1].split("]")[0])
    return table.indicators[index].rule_score


def at_precision(value: Decimal, printed: str) -> Decimal:
    places = len(printed.split(".")[1]) if "." in printed else 0
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def test_the_corpus_has_eight_tables_from_five_provinces() -> None:
    files = sorted(CORPUS.glob("*.json"))
    assert [f.stem for f in files] == sorted(FIGURES)
    provinces = {json.loads(f.read_text(encoding="utf-8"))["_source"]["province"] for f in files}
    assert len(files) >= 8 and len(provinces) >= 5


@pytest.mark.parametrize("stem", sorted(FIGURES))
def test_every_printed_figure_is_reproduced_or_flagged(stem: str) -> None:
    evaluation, profile = load(stem)
    scores = score_evaluation(evaluation, profile)  # type: ignore[arg-type]
    findings = check(evaluation, profile, scores)  # type: ignore[arg-type]
    ignored = ARTIFACTS.get(stem, set())
    for figure in FIGURES[stem]:
        row = ".indicators[" in figure.path and figure.path.endswith("]")
        found = {f.code for f in findings if f.code not in ignored
                 and (f.path == figure.path or (row and f.path.startswith(figure.path + ".")))}
        assert found == figure.codes | figure.cut, f"{stem} {figure.path} ({figure.hand}): {found}"
        if figure.rule is not None:
            value = rule_value(scores, figure.path + (".self_score" if row else ""))
            assert value is not None and at_precision(value, figure.rule) == Decimal(figure.rule), (
                f"{stem} {figure.path}: {value} ≠ {figure.rule} ({figure.hand})")
            if not figure.codes:  # consistent: the printed score is the rule's at its precision
                assert at_precision(value, figure.printed) == Decimal(figure.printed)


_FUND_FIGURES = ("initial_budget", "full_year_budget", "actual", "carried_over", "weight", "printed_rate", "self_score")


def printed_figures(data: dict) -> dict[str, str]:
    """Every figure a corpus file holds as printed: {path: text}.  An indicator row's figure is
    its 自评得分 (path: the row; its 分值 is judged with it: WEIGHT_SUM, the row's rule score)."""
    out: dict[str, str] = {}
    tables = ([("overall", data["overall"])] if data.get("overall") else []) + [
        (f"projects[{i}]", t) for i, t in enumerate(data.get("projects", []))]
    for path, t in tables:
        for i, row in enumerate(t.get("funds", [])):
            out |= {f"{path}.funds[{i}].{k}": row[k] for k in _FUND_FIGURES if row.get(k) not in (None, "")}
        out |= {f"{path}.level1_weights.{k}": v for k, v in (t.get("level1_weights") or {}).items() if v not in (None, "")}
        out |= {f"{path}.indicators[{i}]": r.get("self_score") or "" for i, r in enumerate(t.get("indicators", []))
                if r.get("self_score") not in (None, "") or r.get("weight") not in (None, "")}
        out |= {f"{path}.{k}": t[k] for k in ("printed_total_weight", "printed_total_score", "printed_grade")
                if t.get(k) not in (None, "")}
    return out


def _data(stem: str) -> dict:
    return json.loads((CORPUS / f"{stem}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("stem", sorted(FIGURES))
def test_every_printed_figure_of_the_file_is_asserted(stem: str) -> None:
    """No figure of a file escapes ``FIGURES``, and each Figure quotes the file's text."""
    held = printed_figures(_data(stem))
    listed = {f.path: f for f in FIGURES[stem]}
    assert sorted(set(held) - set(listed)) == []
    for path, text in held.items():
        assert listed[path].printed == text, (stem, path)


@pytest.mark.parametrize("stem", sorted(FIGURES))
def test_no_finding_outside_the_figures(stem: str) -> None:
    """No false alarm anywhere: every finding is a Figure's (expected there), a table absent, or a
    listed consequence of the conversion (``TRUNCATED``, ``ARTIFACTS``)."""
    evaluation, profile = load(stem)
    findings = check(evaluation, profile)  # type: ignore[arg-type]
    figures = [f.path for f in FIGURES[stem]]
    stray = [(f.code, f.path) for f in findings
             if f.code not in ARTIFACTS.get(stem, set()) and (f.code, f.path) not in ABSENT
             and (f.code, f.path) not in TRUNCATED.get(stem, {})
             and not any(f.path == p or (".indicators[" in p and p.endswith("]") and f.path.startswith(p + "."))
                         for p in figures)]
    assert stray == []
    assert set(TRUNCATED.get(stem, {})) <= {(f.code, f.path) for f in findings}  # each listed one is found


@pytest.mark.parametrize("stem", sorted(FIGURES))
def test_every_printed_rate_is_reproduced_at_its_precision(stem: str) -> None:
    """A printed 执行率 nothing is reported on is the profile's rate at the printed precision (total
    and 其中 rows); one perfxl cannot compute says why in its hand arithmetic."""
    from perfxl.core.rules.rates import score_rate

    _, profile = load(stem)
    data = _data(stem)
    for figure in FIGURES[stem]:
        if not figure.path.endswith(".printed_rate") or figure.codes:
            continue
        table, _, rest = figure.path.partition(".funds[")
        row = (data["overall"] if table == "overall" else data["projects"][int(table[9:-1])])["funds"][int(rest.split("]")[0])]
        amounts = [row.get(k) and Decimal(row[k]) for k in ("actual", "full_year_budget", "initial_budget", "carried_over")]
        rate = score_rate(*amounts[:2], profile, *amounts[2:])  # type: ignore[arg-type]
        if rate is None:
            assert "0 ÷ 0" in figure.hand or "无从核对" in figure.hand, figure
            continue
        shown = read_printed_rate(figure.printed)
        assert shown is not None and consistent(figure.printed, shown, rate), (stem, figure.path, rate)


def test_the_corpus_figures_in_numbers() -> None:
    """What the corpus proves, counted (issue 9's done-when): every printed figure is asserted, and
    is flagged (the expected codes), or cut (findings the conversion causes), or cannot be checked
    from the file (its hand arithmetic says why: the Chongqing amounts were unreadable), or else is
    reproduced: nothing reported on it, and the rule's value at its printed precision where perfxl
    computes one (``rule``: scores; printed rates: the test above)."""
    counts = {"total": 0, "flagged": 0, "cut": 0, "unverifiable": 0, "reproduced": 0, "with_rule": 0}
    for stem, figures in FIGURES.items():
        assert set(printed_figures(_data(stem))) <= {f.path for f in figures}
        for f in figures:
            counts["total"] += 1
            kind = ("flagged" if f.codes else "cut" if f.cut else
                    "unverifiable" if ("无从核对" in f.hand or "不给规则得分" in f.hand) else "reproduced")
            counts[kind] += 1
            counts["with_rule"] += f.rule is not None and kind == "reproduced"
    assert counts == FIGURE_COUNTS


#: the counts of ``test_the_corpus_figures_in_numbers`` (8 tables)
FIGURE_COUNTS = {"total": 148, "flagged": 21, "cut": 5, "unverifiable": 1, "reproduced": 121, "with_rule": 52}


@pytest.mark.parametrize(("stem", "path"), [
    ("hebei-langfang-shipin-2019", "projects[0]"),
    ("beijing-haidian-xueyuanlu-2016", "projects[0]"),
    ("sichuan-qingshen-fagai-2023-gongzi", "projects[0]"),
])
def test_printed_rates_agree_at_their_precision(stem: str, path: str) -> None:
    evaluation, profile = load(stem)
    scores = score_evaluation(evaluation, profile)  # type: ignore[arg-type]
    table = next(t for t in scores.tables if t.path == path)
    printed = evaluation.projects[0].funds[0].printed_rate  # type: ignore[attr-defined]
    shown = read_printed_rate(printed)
    assert shown is not None and table.execution_rate is not None
    assert consistent(printed, shown, table.execution_rate)
    assert printed_places(printed) in (0, 2)


def test_name_direction_is_what_makes_the_chongqing_rows_consistent() -> None:
    """Under ``hunan`` (direction only from ≥/≤) 预算调整率 3% → 0 would score 0 and 控制率
    100% → 92% would lose points: false alarms the name rule of ``national`` removes."""
    evaluation, _ = load("chongqing-kexuecheng-rongmeiti-2021")
    scores = score_evaluation(evaluation, load_profile("hunan"))  # type: ignore[arg-type]
    rules = [s.rule_score for s in scores.overall.indicators]
    assert rules[3] == 0  # 预算调整率: 0 ÷ 3% as a positive indicator
    assert rules[0] == Decimal("1.84")  # 财政供养人员控制率: 92 ÷ 100 × 2


PROJECT_ONLY = sorted(stem for stem in FIGURES if not stem.startswith("chongqing"))


@pytest.mark.parametrize("stem", PROJECT_ONLY)
def test_project_tables_on_their_own(stem: str) -> None:
    """A 项目支出绩效自评表 published alone: no finding about 附件一 or 附件二 but the one 提示."""
    evaluation, profile = load(stem)
    assert not evaluation.has_overall and not evaluation.has_basic  # type: ignore[attr-defined]
    findings = check(evaluation, profile)  # type: ignore[arg-type]
    outside = [(f.code, f.path) for f in findings if not f.path.startswith("projects")]
    assert outside == [("TABLE_ABSENT", "overall")]


def test_the_chongqing_table_has_no_basic_data() -> None:
    evaluation, profile = load("chongqing-kexuecheng-rongmeiti-2021")
    findings = check(evaluation, profile)  # type: ignore[arg-type]
    assert [(f.code, f.path) for f in findings if f.path.startswith("basic")] == [("TABLE_ABSENT", "basic")]


@pytest.mark.parametrize("stem", sorted(FIGURES))
def test_every_table_fills_and_exports_unchanged(stem: str, tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    from perfxl.workbook.builder import build_workbook
    from perfxl.workbook.reader import read_workbook

    evaluation, _ = load(stem)
    out = build_workbook(evaluation, tmp_path / "t.xlsx", macros=False)  # type: ignore[arg-type]
    read, findings, _ = read_workbook(out)
    assert findings == [] and read == evaluation


def test_the_printed_columns_of_the_chongqing_and_sichuan_forms_are_read() -> None:
    """重庆's 年初指标值 / 计量单位 / 指标性质 / 得分系数 / 是否核心指标 and 四川's 指标性质 "=" / 度量单位 "%"
    are fields of their own (issue 9), not folded into the target text."""
    evaluation, profile = load("chongqing-kexuecheng-rongmeiti-2021")
    scores = score_evaluation(evaluation, profile)  # type: ignore[arg-type]
    rows = evaluation.overall.indicators  # type: ignore[attr-defined]
    assert {s.target_field for s in scores.overall.indicators} == {"initial_target"}
    assert [r.name for r in rows if r.core] == ["预算完成率", "结转结余率", "公用经费控制率", "政府采购执行率", "播发稿件数量"]
    assert {r.score_coefficient for r in rows} == {Decimal(1)}
    # every printed 指标得分 = 权重 × 100%
    assert all(Decimal(r.self_score) == Decimal(r.weight) * r.score_coefficient for r in rows)
    assert {s.result.direction.value for s in scores.overall.indicators if s.indicator.nature == "定性指标"} == {"qualitative"}
    evaluation, profile = load("sichuan-qingshen-fagai-2023-gongzi")
    scores = score_evaluation(evaluation, profile)  # type: ignore[arg-type]
    row = evaluation.projects[0].indicators[0]  # type: ignore[attr-defined]
    assert (row.nature, row.target, row.unit) == ("=", "100", "%")
    assert scores.projects[0].indicators[0].result.direction.value == "equal"
    assert scores.projects[0].indicators[0].target.unit == "%"



def test_a_sub_row_rate_is_checked_and_an_empty_source_is_not_an_alarm() -> None:
    """四川's 其中 rows print a 执行率 each: a wrong one is a RATE_MISMATCH on that row (3.36 ÷ 3.36 is
    100.00%, not 95.00%); 0.00% on a row with nothing budgeted (0 ÷ 0) is not reported there."""
    data = _data("sichuan-daying-sifa-2023-anke")
    data.pop("_source")
    data["projects"][0]["funds"][1]["printed_rate"] = "95.00%"
    findings = check(evaluation_from_dict(data), load_profile("national"))
    assert [(f.code, f.path, f.expected) for f in findings if f.path.startswith("projects[0].funds")] == [
        ("RATE_MISMATCH", "projects[0].funds[1].printed_rate", "100%")]
    assert "财政资金 执行率" in next(f.location for f in findings if f.code == "RATE_MISMATCH")


def test_a_fund_score_without_amounts_is_checked_against_the_printed_rate() -> None:
    """重庆: amounts unreadable, 执行率 76%, 分值 10, 得分 7.6 = 76% × 10: nothing reported on the score.
    Printed 9 instead: SCORE_DIFFERS (警告, above the rule) expecting 7.6.  A score within what the
    whole-percent rounding moves (76% is 75.5%–76.5%: 7.55–7.65) is not an alarm."""
    data = _data("chongqing-kexuecheng-rongmeiti-2021")
    data.pop("_source")

    def at_score(score: str) -> list[tuple[str, object]]:
        data["overall"]["funds"][0]["self_score"] = score
        findings = check(evaluation_from_dict(data), load_profile("national"))
        return [(f.code, f.expected) for f in findings if f.path == "overall.funds[0].self_score"]

    assert at_score("7.6") == [] and at_score("7.64") == []
    assert at_score("9") == [("SCORE_DIFFERS", "7.60")]
