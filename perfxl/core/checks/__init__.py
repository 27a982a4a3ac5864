"""The checker as small rules in a registry (as beancount lists its plugins in a tuple).

Each check is a function ``(evaluation, scores, profile) -> Iterable[Finding]`` with an
id, a Chinese title and whether it runs by default.  A profile switches checks off
(``[checks] off = ["CHANGE_RATE"]``) or on (``on = [...]`` for those off by default);
see ``perfxl/profiles/README.md``.  ``check`` runs the selected ones and returns all
their findings in table order (基本情况, 附件1, 附件2, 附件3…, 表间), the order of the
registry within a table.

=================  =========================================  ===========================
id                 what                                       module
=================  =========================================  ===========================
GENERAL            单位名称、评价年度                         across.py
CELLS              数字栏：无法识别的文本、负数               forms.py (from the forms)
SUMS               合计 = 分项之和，“其中”项不超过所属项目   forms.py (from the forms)
RATES              表上比率 = 规则计算，分母为零              forms.py (from the forms)
OVER_BUDGET        附件一 三公经费、公用经费决算超预算        across.py
CHANGE_RATE        附件一 三公经费较上年变动率                across.py
FUNDS              年度资金总额：必填、执行率预警、预算调整   tables.py
INDICATORS         三级指标：指标值、得分、偏差原因           tables.py
WEIGHTS            年度目标、分值合计、总分、执行率封顶       tables.py
CROSS              表间一致：项目支出、基本支出、人数、名称   across.py
SCORES_AHEAD       指标得分率高于执行率（默认关闭）           tables.py
BLANKS             执行率行自评得分为空、表上总分为空         real.py
WEIGHT_SPLIT       一级指标分值与方案不同（默认关闭）         real.py
STAFF_OVER_QUOTA   实有人数多于编制数                         real.py
PROJECT_OVER       附件1 项目支出决算远超预算                 real.py
TEMPLATE_TEXT      单元格留有模板说明文字或占位符             real.py
UNFILLED           表格未填写（只有表样）                     real.py
GRADE              表上自评等级与总分的等级不符               structure.py
TABLES             缺附件一或附件二时说明按何种表样核对       structure.py
INDICATOR_FIELDS   指标方向、评分标准、得分系数（各省表样）   fields.py
=================  =========================================  ===========================

The checks of ``real.py`` come from real published tables (issue 9); its docstring
says why each is on or off by default and why it has its severity.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from ..findings import Finding, Table
from ..model import Evaluation
from ..profile import Profile
from ..scoring import EvaluationScore, score_evaluation
from .across import check_change_rate, check_cross, check_general, check_over_budget
from .fields import check_indicator_fields
from .forms import check_cells, check_relations
from .real import (
    check_blanks,
    check_project_over,
    check_staff_over_quota,
    check_template_text,
    check_unfilled,
    check_weight_split,
)
from .structure import check_grade, check_tables
from .tables import check_funds, check_indicators, check_scores_ahead, check_weights

CheckFn = Callable[[Evaluation, EvaluationScore, Profile], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Check:
    """One registered check.

    Attributes:
      id: stable identifier a profile names ("CHANGE_RATE").
      title: what it checks, in Chinese (``perfxl profiles`` and the README list it).
      run: the function.  default: whether it runs unless a profile says otherwise.
    """

    id: str
    title: str
    run: CheckFn
    default: bool = True


CHECKS: tuple[Check, ...] = (
    Check("GENERAL", "单位名称、评价年度", check_general),
    Check("CELLS", "数字栏填写了无法识别的文本或负数", check_cells),
    Check("SUMS", "合计与分项之和、“其中”项不超过所属项目（来自表样声明）",
          partial(check_relations, kinds=("sum",))),
    Check("RATES", "表上填写的比率与规则计算一致、分母为零（来自表样声明）",
          partial(check_relations, kinds=("rate",))),
    Check("OVER_BUDGET", "附件1 三公经费、公用经费决算数超过预算数", check_over_budget),
    Check("CHANGE_RATE", "附件1 三公经费较上年变动（口径见 change_rate.basis）", check_change_rate),
    Check("FUNDS", "年度资金总额必填、执行率预警、预算调整幅度、执行率得分", check_funds),
    Check("INDICATORS", "三级指标的指标值、分值、自评得分与偏差原因", check_indicators),
    Check("WEIGHTS", "年度总体目标、分值合计、总分与执行率封顶", check_weights),
    Check("CROSS", "表间一致：项目支出、基本支出、人数、单位名称", check_cross),
    Check("SCORES_AHEAD", "指标自评得分率高于预算执行率 5 个百分点以上（默认关闭）", check_scores_ahead, default=False),
    Check("BLANKS", "年度资金总额行有分值而自评得分为空；表上总分为空", check_blanks),
    Check("WEIGHT_SPLIT", "一级指标分值与方案 [weights] 不同（允许偏差见 checks.weight_deviation；默认关闭）",
          check_weight_split, default=False),
    Check("STAFF_OVER_QUOTA", "实有人数多于编制数（提示）", check_staff_over_quota),
    Check("PROJECT_OVER", "附件1 项目支出决算数远超预算数（阈值见 checks.project_over_budget）", check_project_over),
    Check("TEMPLATE_TEXT", "单元格留有模板说明文字或占位符（请填写、XX 等）", check_template_text),
    Check("UNFILLED", "表格未填写（只有表样）", check_unfilled),
    Check("GRADE", "表上填写的自评等级与表上总分按等级划分应得的等级一致", check_grade),
    Check("TABLES", "没有附件一或附件二时，说明按不含该表的表样核对（提示）", check_tables),
    Check("INDICATOR_FIELDS", "指标方向/指标性质与指标值符号矛盾或无法识别、评分标准无法识别、自评得分与分值×得分系数不符",
          check_indicator_fields),
)

#: every check id, for the profile loader's validation
CHECK_IDS = tuple(c.id for c in CHECKS)


def selected(profile: Profile, checks: Iterable[Check] = CHECKS) -> list[Check]:
    """The checks *profile* runs: the default ones minus ``[checks] off`` plus ``on``."""
    return [c for c in checks if (c.default or c.id in profile.checks_on) and c.id not in profile.checks_off]


_TABLE_ORDER = {Table.GENERAL: 0, Table.FILE: 0, Table.BASIC: 1, Table.OVERALL: 2, Table.PROJECT: 3, Table.CROSS: 4}
_PROJECT = re.compile(r"^projects\[(\d+)\]")


def _table_rank(f: Finding) -> tuple[int, int]:
    match = _PROJECT.match(f.path)
    return _TABLE_ORDER[f.table], int(match.group(1)) if match and f.table is Table.PROJECT else 0


def check(evaluation: Evaluation, profile: Profile, scores: EvaluationScore | None = None, *,
          checks: Iterable[Check] = CHECKS) -> list[Finding]:
    """All findings of the checks *profile* selects, in table order."""
    scores = scores or score_evaluation(evaluation, profile)
    found = [f for c in selected(profile, checks) for f in c.run(evaluation, scores, profile)]
    return sorted(found, key=_table_rank)
