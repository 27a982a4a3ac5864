"""Excel user-defined functions (xlwings UDFs) for the self-evaluation workbook.

Each function is thin: it converts what Excel passes (float, int, str, bool, ``None``,
"") with ``money.to_decimal`` / ``values.parse_value``, calls one function of
``perfxl.core.rules`` and returns an Excel number (float) or a short Chinese text.
It never raises into Excel:

* "—" for a missing value or a zero denominator (domain.md: "never a silent 0");
* "#无法识别: …" for a value that cannot be read;
* "#需选择档次" for a qualitative indicator without a tier;
* "#方案错误: …" for an unknown rule profile, or a path: a formula may name only a
  built-in profile (``perfxl.app.profiles``), never make perfxl read a file;
* "#超出范围: …" for a total outside 0–100 (PERF_GRADE) and "#数值过大" for a
  result Excel cannot hold (beyond ±1.8E308);
* "#计算出错" for anything else that goes wrong (never an English exception name); its
  traceback goes to the buttons' log (``<temp>/perfxl-xlentry.log``), once per kind of
  failure per Excel session, so that a bug in a column of cells does not fill the disk.

Rules: domain.md, "Formulas and scoring".  The docstrings become the function wizard's
descriptions only where xlwings' "Import Functions" runs inside Excel (it calls
``Application.MacroOptions``; Excel keeps 255 characters), i.e. in the user's own
workbook with the xlwings add-in.  The built PerfEval.xlsm carries the generated
wrappers without MacroOptions: its wizard shows no description (docs/windows.md says so).

The parameters carry no type annotations on purpose: xlwings turns annotations into
converters, and these functions convert their arguments themselves.
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
import traceback
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import xlwings as xw

from .app.profiles import builtin_profile
from .core import model, money, rules, scoring, values
from .core.profile import Profile, ProfileError
from .xlfallback import LOG_NAME as LOG_NAME

__all__ = [
    "PERF_BUDGETSCORE",
    "PERF_CHANGERATE",
    "PERF_CONTROLRATE",
    "PERF_EXECRATE",
    "PERF_GRADE",
    "PERF_SCORE",
    "UDF_NAMES",
]

DASH = "—"
CATEGORY = "绩效自评"
_MAX_ECHO = 20  # characters of an unreadable value echoed back into the cell


class _Reply(Exception):
    """A text to show in the cell instead of a number."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _unreadable(value: object) -> _Reply:
    text = str(value).strip()
    if len(text) > _MAX_ECHO:
        text = text[:_MAX_ECHO] + "…"
    return _Reply(f"#无法识别: {text}")


def _amount(value: object) -> Decimal:
    """A number argument, or a reply: "—" when empty or a dash, an error text when unreadable."""
    number = money.to_decimal(value)
    if number is not None:
        return number
    if value is None or (isinstance(value, str) and (money.is_blank(value) or money.is_dash(value))):
        raise _Reply(DASH)
    raise _unreadable(value)


def _profile(name: object) -> Profile:
    """The built-in profile *name* (empty: the default).  A formula is part of a workbook
    from a department, so it may not name a .toml path (``app.profiles``)."""
    text = "" if name is None else str(name).strip()
    try:
        return builtin_profile(text, where="公式")
    except ProfileError:
        raise _Reply(f"#方案错误: {str(name).strip()[:_MAX_ECHO]}") from None


def _number(value: Decimal | None) -> float | str:
    """A Decimal as an Excel number; "—" for ``None``, "#数值过大" beyond a double."""
    if value is None:
        return DASH
    number = float(value)
    return number if math.isfinite(number) else "#数值过大"


_logged: set[tuple[str, str]] = set()


def _log(exc: Exception) -> None:
    """The traceback of an unexpected failure into the log, once per (type, message)."""
    key = (type(exc).__name__, str(exc)[:200])
    if key in _logged:
        return
    _logged.add(key)
    try:
        with open(Path(tempfile.gettempdir()) / LOG_NAME, "a", encoding="utf-8") as fh:
            fh.write(f"==== {dt.datetime.now():%Y-%m-%d %H:%M:%S} perfxl.udfs\n{''.join(traceback.format_exception(exc))}\n")
    except OSError:
        pass


def _run(body: Callable[[], float | str]) -> float | str:
    """Call *body*; whatever goes wrong becomes a short text in the cell."""
    try:
        return body()
    except _Reply as reply:
        return reply.text
    except Exception as exc:
        _log(exc)
        return "#计算出错"


def _rate(rule: Callable[[Decimal | None, Decimal | None], Decimal | None], a: object, b: object) -> float | str:
    return _run(lambda: _number(rule(_amount(a), _amount(b))))


@xw.func(category=CATEGORY)
@xw.arg("actual", doc="全年执行数（万元）")
@xw.arg("full_year_budget", doc="全年预算数（万元，调整后的预算，不是年初预算数）")
def PERF_EXECRATE(actual, full_year_budget):
    """执行率 = 全年执行数 ÷ 全年预算数，返回小数（0.9964 即 99.64%，请设为百分比格式）。预算数为空或为 0 时返回“—”。"""
    return _rate(rules.execution_rate, actual, full_year_budget)


@xw.func(category=CATEGORY)
@xw.arg("actual", doc="实际数（实际在职人数、实际规模或实际投资）")
@xw.arg("approved", doc="核定数（编制数、批复规模或预算投资）")
def PERF_CONTROLRATE(actual, approved):
    """控制率 = 实际数 ÷ 核定数，返回小数（0.75 即 75%）。核定数为空或为 0 时返回“—”。"""
    return _rate(rules.control_rate, actual, approved)


@xw.func(category=CATEGORY)
@xw.arg("current", doc="本年数（万元）")
@xw.arg("previous", doc="上年数（万元）")
def PERF_CHANGERATE(current, previous):
    """变动率 =（本年数 − 上年数）÷ 上年数，返回小数（0.1 即增长 10%）。上年数为空或为 0 时返回“—”。"""
    return _rate(rules.change_rate, current, previous)


@xw.func(category=CATEGORY)
@xw.arg("actual", doc="全年执行数（万元）")
@xw.arg("full_year_budget", doc="全年预算数（万元）")
@xw.arg("weight", doc="分值（通常为 10）")
@xw.arg("profile", doc="评分方案名，可省略，默认 default")
@xw.arg("initial_budget", doc="年初预算数（万元；方案以年初预算数为分母时必填），可省略")
def PERF_BUDGETSCORE(actual, full_year_budget, weight, profile="default", initial_budget=None):
    """预算执行得分，按评分方案（默认 min(执行率, 100%) × 分值，保留两位小数；方案以年初预算数为分母时用第 5 个参数）。分母为空或为 0 时返回“—”。"""
    def body() -> float | str:
        rule_profile = _profile(profile)
        initial = _optional_amount(initial_budget)
        full = _optional_amount(full_year_budget)
        if (initial if rule_profile.budget.denominator == "initial" else full) is None:
            raise _Reply(DASH)
        return _number(rules.budget_score(_amount(actual), full, _amount(weight), rule_profile, initial_budget=initial))
    return _run(body)


def _optional_amount(value: object) -> Decimal | None:
    """A number argument that may be left empty (``None``); unreadable text is a reply."""
    try:
        return _amount(value)
    except _Reply as reply:
        if reply.text == DASH:
            return None
        raise


_SCORE_REPLIES = {
    rules.Note.TIER_REQUIRED: "#需选择档次",
    rules.Note.WEIGHT_MISSING: DASH,
}


@xw.func(category=CATEGORY)
@xw.arg("target", doc="年度指标值，如 ≥90%、6次、≤4、2023年12月底前、按年初预算执行")
@xw.arg("actual", doc="实际完成值，如 95%、8次、2023年11月")
@xw.arg("weight", doc="分值")
@xw.arg("tier", doc="完成档次（定性指标用）：达成、部分达成、未达成，可省略")
@xw.arg("profile", doc="评分方案名，可省略，默认 default")
@xw.arg("self_score", doc="自评得分（定性指标未选档次时据此判断档次），可省略")
@xw.arg("year", doc="评价年度，如 2023（“12月底前”等未写年份的时限按此年度），可省略")
@xw.arg("direction", doc="指标方向或指标性质：正向、反向、等于、定性（或 ≥ ≤ =），优先于指标值的符号，可省略")
@xw.arg("unit", doc="计量单位，如 %、个、万元（指标值只写数字时用），可省略")
@xw.arg("standard", doc="该行的评分标准，如“每低于1个百分点扣1分”，可省略")
@xw.arg("name", doc="三级指标名称（方案按名称判断方向时用，如“控制率”为反向），可省略")
@xw.arg("adjusted_target", doc="调整后指标值（填写时按它计分），可省略")
@xw.arg("initial_target", doc="年初指标值（年度指标值为空时按它计分），可省略")
def PERF_SCORE(target, actual, weight, tier=None, profile="default", self_score=None, year=None, direction=None,
               unit=None, standard=None, name=None, adjusted_target=None, initial_target=None):
    """按评分规则计算三级指标得分：正向（≥）、反向（≤）、等于（=）、时效（日期）、定性（选档次或按自评得分定档）；指标方向、计量单位、评分标准、调整后指标值各栏可选。目标为“无”或数据缺失时返回“—”。"""
    def body() -> float | str:
        rule_profile = _profile(profile)
        parsed_actual = values.parse_value(actual)
        if parsed_actual.kind is values.ValueKind.INVALID:
            raise _unreadable(parsed_actual.raw)
        chosen = ""
        if tier is not None and not money.is_blank(tier):
            if rules.parse_tier(str(tier)) is None:
                raise _unreadable(tier)
            chosen = str(tier)
        own = None
        if not money.is_blank(self_score) and not money.is_dash(self_score):
            own = money.to_decimal(self_score)
            if own is None:  # "8分", "八": shown, not silently ignored
                raise _unreadable(self_score)
        evaluation_year = None
        if not money.is_blank(year):
            number = money.to_decimal(year)
            if number is None or number != number.to_integral_value():
                raise _unreadable(year)
            evaluation_year = int(number)
        row = model.Indicator(name=_text(name), target=_cell(target), actual=_cell(actual),
                              weight=_amount(weight), self_score=own, tier=chosen, direction=_text(direction),
                              unit=_text(unit), standard=_text(standard), adjusted_target=_cell(adjusted_target),
                              initial_target=_cell(initial_target))
        scored = scoring.score_indicator_row("", 0, row, rule_profile, evaluation_year)  # as the assessment scores it
        if scored.target.kind is values.ValueKind.INVALID:
            raise _unreadable(scored.target.raw)
        if scored.rule_score is not None:
            return float(scored.rule_score)
        for note in scored.result.notes:
            if note in _SCORE_REPLIES:
                return _SCORE_REPLIES[note]
        return DASH
    return _run(body)


def _text(value: object) -> str:
    """An optional text argument: "" for an empty cell, a number as Excel shows it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    number = money.to_decimal(value) if isinstance(value, float) else None
    return values.plain(number) if number is not None else str(value)


def _cell(value: object) -> str:
    """An indicator value as ``values.parse_value`` takes it: an empty cell is "", a number stays a
    number (Excel stores 90% as 0.9: the rules read it against the other side; the model's
    ``str`` annotation is the data file's, the parser takes either)."""
    return "" if value is None else value  # type: ignore[return-value]


@xw.func(category=CATEGORY)
@xw.arg("total", doc="总分（百分制）")
@xw.arg("profile", doc="评分方案名，可省略，默认 default（优 90、良 80、中 60）")
def PERF_GRADE(total, profile="default"):
    """评价等级：优（≥90）、良（80–<90）、中（60–<80）、差（<60），分数线随评分方案而定。总分为空时返回“—”，不在 0～100 之间时返回“#超出范围”。"""

    def body() -> float | str:
        rule_profile = _profile(profile)
        number = _amount(total)
        if not 0 <= number <= 100:  # a 百分制 total: 150 or −5 is a typo, not 优 or 差
            shown = values.plain(number)
            if len(shown) > _MAX_ECHO:
                shown = shown[:_MAX_ECHO] + "…"
            return f"#超出范围: {shown}"
        return rules.grade(number, rule_profile)

    return _run(body)


#: the UDFs the workbook builder registers, in the order of the function wizard
UDF_NAMES = (
    "PERF_EXECRATE",
    "PERF_CONTROLRATE",
    "PERF_CHANGERATE",
    "PERF_BUDGETSCORE",
    "PERF_SCORE",
    "PERF_GRADE",
)
