"""The model of one department-year: the narrative's facts and the three annex tables.

It follows ``shared/docs/domain.md`` ("The three annex tables") and the Hunan county
outline of the 自评报告.  The records are plain dataclasses holding what the
department typed, *as typed*: an amount cell is a ``Decimal`` when it is a number,
``None`` when empty and the text itself otherwise ("——", or a typo that the checker
reports).  Indicator values (年度指标值 / 实际完成值) stay text; ``values.parse_value``
reads them.  Printed results (执行率 "100%", 控制率 "75%", 总分 91) are kept beside the
inputs so that the checker can compare them with what the rules compute.

Glossary (English identifier → term on the form):

================================  =====================================
Evaluation                        部门整体支出绩效自评（一个部门一个年度）
Staffing                          人员编制情况
BasicData                         附件一 部门整体支出绩效评价基础数据表
CostRow                           经费控制情况 的一行（上年决算数/本年预算数/本年决算数）
prior_actual / budget / actual    {上年}年决算数 / {年}年预算数 / {年}年决算数
prior_budget                      {上年}年预算数（部分省份表样，三公经费与上年预算比较）
BuildingControl                   楼堂馆所控制情况
Signature                         填表人 / 填报日期 / 联系电话 / 单位负责人签字
PerformanceTable                  附件二、附件三 共同的部分
OverallTable                      附件二 部门整体支出绩效自评表
ProjectTable                      附件三 项目支出绩效自评表
FundRow                           年度资金总额 等资金行
initial_budget                    年初预算数
full_year_budget                  全年预算数（调整后）
actual (FundRow)                  全年执行数
weight                            分值
printed_rate                      表上填写的执行率
carried_over                      年初结转（部分省份执行率分母 = 预算数 + 年初结转）
printed_grade                     表上填写的自评等级
self_score                        自评得分（部门自己填写）
Indicator                         绩效指标 三级指标 一行
level1 / level2 / name            一级指标 / 二级指标 / 三级指标
target / actual (Indicator)       年度指标值 / 实际完成值
deviation                         偏差原因分析及改进措施
tier                              完成档次（定性指标）
Narrative                         报告正文中部门自己撰写的文字
================================  =====================================
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .forms import BASIC_TABLE, PROJECT_TABLE, present
from .money import Amount

#: the first-level indicators of the forms, in their order
LEVEL1_NAMES = ("产出指标", "效益指标", "满意度指标")
#: the second-level indicators under each first-level one, in their order
LEVEL2_NAMES = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}


@dataclass
class Staffing:
    """人员编制情况 (report section 一（二）and the first block of 附件一).

    Attributes:
      basis: the opening text that cites the 三定 document and the unit's rank, ending
        before "，内设…", e.g. "根据《…》精神，衡山县科学技术协会机关为…群团组织".
      internal_units: 内设股室, e.g. ["办公室", "科学技术普及股", "学会股"].
      establishment_kind: the kind of 编制, e.g. "全额拨款事业".
      as_of: the date the counts refer to, e.g. "2023年12月".
      authorized: 编制数.
      actual: 实有人数 (实际在职人数 in 附件一).
      in_service / retired / survivors: 财政供养在职 / 退休人员 / 抚恤人员.
      vehicles_quota / vehicles_actual: 公务用车定编 / 现有车辆.
    """

    basis: str = ""
    internal_units: list[str] = field(default_factory=list)
    establishment_kind: str = ""
    as_of: str = ""
    authorized: Amount = None
    actual: Amount = None
    in_service: Amount = None
    retired: Amount = None
    survivors: Amount = None
    vehicles_quota: Amount = None
    vehicles_actual: Amount = None


@dataclass
class CostRow:
    """One row of 经费控制情况（万元） in 附件一.

    Attributes:
      label: the row's text as printed, e.g. "1、业务工作经费".
      prior_actual: {上年}年决算数.
      budget: {年}年预算数.
      actual: {年}年决算数.
      prior_budget: {上年}年预算数, printed by templates that compare this year's budget
        with last year's budget (财预〔2013〕53号 共性指标框架: 三公经费变动率 =
        (本年预算 − 上年预算) ÷ 上年预算); blank on the Hunan form, which has no such column.
    """

    label: str = ""
    prior_actual: Amount = None
    budget: Amount = None
    actual: Amount = None
    prior_budget: Amount = None


def _row(path: str) -> CostRow:
    """An empty 附件一 row with its printed label, as declared in ``forms.BASIC_TABLE``."""
    return CostRow(BASIC_TABLE.row(path).label)


@dataclass
class BuildingControl:
    """楼堂馆所控制情况（{年}年完工项目）.

    Attributes:
      approved_area / actual_area: 批复规模 / 实际规模（㎡）.
      printed_area_rate: 规模控制率 as printed.
      budget_investment / actual_investment: 预算投资 / 实际投资（万元）.
      printed_investment_rate: 投资概算控制率 as printed.
    """

    approved_area: Amount = None
    actual_area: Amount = None
    printed_area_rate: str | None = None
    budget_investment: Amount = None
    actual_investment: Amount = None
    printed_investment_rate: str | None = None


@dataclass
class Signature:
    """The line under each table: 填表人 / 填报日期 / 联系电话 / 单位负责人签字."""

    filler: str = ""
    date: str = ""
    phone: str = ""
    head: str = ""


@dataclass
class BasicData:
    """附件一 部门整体支出绩效评价基础数据表.

    Attributes:
      staff_authorized / staff_actual: 编制数 / {年}年实际在职人数.
      printed_staff_rate: 控制率 as printed ("75%").
      three_public: 三公经费 (= vehicles + overseas + reception).
      vehicles: 1、公务用车购置和维护经费 (= vehicle_purchase + vehicle_operation).
      vehicle_purchase / vehicle_operation: 其中：公车购置 / 公车运行维护.
      overseas: 2、出国经费.
      reception: 3、公务接待.
      project_total: 项目支出 (= sum of project_items and special_funds).
      project_items: the numbered items under 项目支出 (1、业务工作经费, 2、运行维护经费 …).
      special_funds: one row per 省级专项资金 (under "3、省级专项资金（每个专项一行）").
      public_funds: 公用经费.
      office / utilities_travel / meetings_training: its 其中 rows 办公经费 /
        水费、电费、差旅费 / 会议费、培训费; a selection that need not add up.
      procurement: 政府采购金额.
      budget_adjustment: 部门基本支出预算调整.
      buildings: 楼堂馆所控制情况.
      frugality: 厉行节约保障措施.
    """

    staff_authorized: Amount = None
    staff_actual: Amount = None
    printed_staff_rate: str | None = None
    three_public: CostRow = field(default_factory=lambda: _row("three_public"))
    vehicles: CostRow = field(default_factory=lambda: _row("vehicles"))
    vehicle_purchase: CostRow = field(default_factory=lambda: _row("vehicle_purchase"))
    vehicle_operation: CostRow = field(default_factory=lambda: _row("vehicle_operation"))
    overseas: CostRow = field(default_factory=lambda: _row("overseas"))
    reception: CostRow = field(default_factory=lambda: _row("reception"))
    project_total: CostRow = field(default_factory=lambda: _row("project_total"))
    project_items: list[CostRow] = field(default_factory=list)
    special_funds: list[CostRow] = field(default_factory=list)
    public_funds: CostRow = field(default_factory=lambda: _row("public_funds"))
    office: CostRow = field(default_factory=lambda: _row("office"))
    utilities_travel: CostRow = field(default_factory=lambda: _row("utilities_travel"))
    meetings_training: CostRow = field(default_factory=lambda: _row("meetings_training"))
    procurement: CostRow = field(default_factory=lambda: _row("procurement"))
    budget_adjustment: CostRow = field(default_factory=lambda: _row("budget_adjustment"))
    buildings: BuildingControl = field(default_factory=BuildingControl)
    frugality: str = ""
    signature: Signature = field(default_factory=Signature)


@dataclass
class FundRow:
    """A 资金 row of 附件二/附件三: 年度资金总额, 其中：当年财政拨款, 上年结转资金, 其他资金
    (as many 其中 rows as the table prints: 中央资金, 省级资金, 市级资金, 县级资金 …).

    Attributes:
      label: as printed.
      initial_budget: 年初预算数.
      full_year_budget: 全年预算数.
      actual: 全年执行数.
      weight: 分值 (on 年度资金总额 only).
      printed_rate: 执行率 as printed ("100%").
      self_score: 自评得分 as given.
      carried_over: 年初结转 (money carried over into the year), for templates whose
        执行率 denominator is a budget plus 年初结转 (``[execution_score] denominator``);
        blank on forms without that column.
    """

    label: str = ""
    initial_budget: Amount = None
    full_year_budget: Amount = None
    actual: Amount = None
    weight: Amount = None
    printed_rate: str | None = None
    self_score: Amount = None
    carried_over: Amount = None


@dataclass
class Indicator:
    """One 三级指标 row of the 绩效指标 table.

    The fields after ``tier`` are columns some provinces' forms print and the Hunan form
    does not (issue 9); each is blank ("", ``None``, ``False``) when the form has no such
    column, and a blank one changes nothing.  How scoring uses them: ``scoring.py``.

    Attributes:
      level1 / level2 / name: 一级 / 二级 / 三级指标.
      target / actual: 年度指标值 / 实际完成值, as text.
      weight: 分值.
      self_score: 自评得分 as the department gave it.
      deviation: 偏差原因分析及改进措施.
      tier: 完成档次 chosen for a qualitative indicator (达成年度指标 …), or "".
      direction: 指标方向 as written: 正向 / 反向 / 等于 / 定性 (or ≥ ≤ =), "" when
        implied; it overrides the target's operator and the profile's name rule.
      unit: 计量单位 ("%", "百分比", "个", "万元"): the unit of a target or actual
        written as a bare number.
      nature: 指标性质 as printed: 定量 / 定性, or 正向 / 反向 / ≥ / ≤ / = where a
        province prints the direction there; read as the direction when ``direction``
        is blank (定量 names none).
      initial_target: 年初指标值 (it scores when 年度指标值 is blank and no 调整后指标值 is given).
      adjusted_target: 调整后指标值; when given it is the target that scores (both stay printed;
        the profile's ``targets.scored_target`` may choose 年初).
      score_coefficient: 得分系数 as a fraction (1 for a printed 100%); 自评得分 = 分值 × 得分系数.
      core: 核心指标 mark (shown; it does not change a score).
      standard: 评分标准 / 评(扣)分标准 of the row, as text.
    """

    level1: str = ""
    level2: str = ""
    name: str = ""
    target: str = ""
    actual: str = ""
    weight: Amount = None
    self_score: Amount = None
    deviation: str = ""
    tier: str = ""
    direction: str = ""
    unit: str = ""
    nature: str = ""
    initial_target: str = ""
    adjusted_target: str = ""
    score_coefficient: Amount = None
    core: bool = False
    standard: str = ""


@dataclass
class PerformanceTable:
    """What 附件二 and 附件三 share.

    Attributes:
      funds: the fund rows; the first is 年度资金总额, the others its 其中 rows (as many as
        the table prints: 当年财政拨款, 上年结转资金, 其他资金, or 中央/省级/市级/县级资金 …).
      goal_expected / goal_actual: 年度总体目标 预期目标 / 实际完成情况.
      level1_weights: the 一级 totals printed in the headers ("产出指标(50 分)").
      indicators: the 三级 rows in table order.
      printed_total_weight / printed_total_score: the 总分 row as printed (100 / 91).
      printed_grade: 自评等级 as printed ("优"), on templates that print it; checked
        against the grade of the printed total under the profile's grade bands.
    """

    funds: list[FundRow] = field(default_factory=list)
    goal_expected: str = ""
    goal_actual: str = ""
    level1_weights: dict[str, Amount] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    printed_total_weight: Amount = None
    printed_total_score: Amount = None
    printed_grade: str = ""
    signature: Signature = field(default_factory=Signature)

    @property
    def total_fund(self) -> FundRow:
        """The 年度资金总额 row (an empty one when the table has none)."""
        return self.funds[0] if self.funds else FundRow(PROJECT_TABLE.block("funds").rows[0].label)


@dataclass
class OverallTable(PerformanceTable):
    """附件二 部门整体支出绩效自评表.

    Attributes:
      unit_name: 预算部门、单位名称.
      general_budget / government_fund / special_account / other_funds: 按收入性质分
        一般公共预算 / 政府性基金拨款 / 纳入专户管理的非税收入拨款 / 其他资金.
      basic_expenditure / project_expenditure: 按支出性质分 基本支出 / 项目支出.
    """

    unit_name: str = ""
    general_budget: Amount = None
    government_fund: Amount = None
    special_account: Amount = None
    other_funds: Amount = None
    basic_expenditure: Amount = None
    project_expenditure: Amount = None


@dataclass
class ProjectTable(PerformanceTable):
    """附件三 项目支出绩效自评表 (one per project).

    Attributes:
      name: 项目支出名称.
      competent_department: 主管部门.
      implementing_unit: 实施单位.
    """

    name: str = ""
    competent_department: str = ""
    implementing_unit: str = ""


@dataclass
class Narrative:
    """The texts the department writes itself (sections 六 to 十 of the report).

    Attributes:
      overall_completion: the text after "1.整体绩效目标完成情况。".
      achievements: the further numbered items of section 六, each "标题。正文".
      problems: 七、存在的问题及原因分析, one item each (numbering is generated).
      measures: 八、下一步改进措施, one item each.
      disclosure: 九、部门整体支出绩效自评结果拟应用和公开情况.
      other: 十、其他需要说明的情况 ("无" when empty).
      dropped_suggestions: codes of the generated suggestions for sections 七/八 that
        the department dropped; every other suggestion goes into the report.
    """

    overall_completion: str = ""
    achievements: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    disclosure: str = ""
    other: str = ""
    dropped_suggestions: list[str] = field(default_factory=list)


@dataclass
class Expenditure:
    """Budget figures the narrative quotes that no annex table holds.

    基本支出, 项目支出 and 政府性基金 come from 附件二 and 公用经费 from 附件一, so they
    are not stored twice; only these are.

    Attributes:
      personnel: 人员经费 (part of 基本支出).
      state_capital: 国有资本经营预算支出 ("无" when zero or empty).
      social_insurance: 社会保险基金预算支出 ("无" when zero or empty).
    """

    personnel: Amount = None
    state_capital: Amount = None
    social_insurance: Amount = None


@dataclass
class Evaluation:
    """One department-year: everything needed to check, score and write the report.

    Attributes:
      department: 单位名称.
      year: the evaluated year (2023).
      profile: the rule profile's name ("default"), chosen per data file.
      duties: 部门主要职责, one item each (numbering is generated).
      staffing: 人员编制情况.
      expenditure: the narrative's own budget figures.
      basic: 附件一.
      overall: 附件二.
      projects: 附件三, one per project.
      narrative: the department's own texts.

    A table the publication does not have is left out (or blank): ``has_basic`` and
    ``has_overall`` tell (a project table on its own; the national template without 附件一).
    """

    department: str = ""
    year: int = 0
    profile: str = "default"
    duties: list[str] = field(default_factory=list)
    staffing: Staffing = field(default_factory=Staffing)
    expenditure: Expenditure = field(default_factory=Expenditure)
    basic: BasicData = field(default_factory=BasicData)
    overall: OverallTable = field(default_factory=OverallTable)
    projects: list[ProjectTable] = field(default_factory=list)
    narrative: Narrative = field(default_factory=Narrative)

    @property
    def has_basic(self) -> bool:
        """附件一 is part of this file: anything in it besides its labels, or nothing else is
        (the national 部门整体 template has no 附件一; ``forms.present``, forms.py's docstring)."""
        return present(self.basic) or not (present(self.overall) or any(present(p) for p in self.projects))

    @property
    def has_overall(self) -> bool:
        """附件二 is part of this file, or nothing else is: a file with only 附件三 is a
        项目支出绩效自评表 published on its own (``forms.present``; a blank workbook's
        skeleton rows are not a filled table)."""
        return present(self.overall) or not any(present(p) for p in self.projects)
