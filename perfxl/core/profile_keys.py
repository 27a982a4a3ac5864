"""The parts of a profile, the keys a profile file may contain, their types, and how
files merge (``extends``).

``profile.py`` builds a ``Profile`` from merged, checked data; this module holds the
frozen records it is made of (``ExecutionRules`` … ``QualitativeRules``), the table
of keys (``_SCHEMA``: section → key → (type, allowed values)) and the checks that
need no other key: unknown sections and keys, wrong types, each with a Chinese
message naming the file and the key.  Split from ``profile.py`` to keep both under
400 lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..errors import ProfileError as _ProfileError

if TYPE_CHECKING:
    from .rules.standards import Standard

NEGATIVE_METHODS = ("linear", "ratio")
CHANGE_RATE_BASES = ("actual", "budget")
BARE_DIRECTIONS = ("positive", "negative", "equal")
#: 执行率 score denominators a profile may choose (``rules/rates.py``): 全年预算数, 年初预算数,
#: or either plus 年初结转 (``FundRow.carried_over``)
DENOMINATORS = ("full_year", "initial", "full_year_carryover", "initial_carryover")
BUDGET_METHODS = ("capped", "uncapped", "bands", "steps")
ROUNDINGS = ("two_decimals", "whole")
NOT_APPLICABLE_METHODS = ("finding", "rescale")
#: whether the province's 部门整体 template has 附件一 (``[tables] basic``)
TABLE_CHOICES = ("required", "optional")
#: which target of a row printing 年初指标值 and 调整后指标值 scores (``scoring.py``)
SCORED_TARGETS = ("adjusted", "initial")


class ProfileError(_ProfileError):
    """A profile file that cannot be used; the message (Chinese) names the file and the key."""


@dataclass(frozen=True, slots=True)
class ExecutionRules:
    """执行率 warnings.

    Attributes:
      warn_low: below this rate (0.90) warn "执行率偏低".
      warn_high: above this rate (1.00) warn "超预算执行".
      reason_required_below_low: whether a written 偏差原因 is required below ``warn_low``.
      adjustment_notice: a 预算调整率 (全年预算数 vs 年初预算数) whose size is above this
        (0.20) is a notice "预算编制的准确性有待提高" (a perfxl default, not an official rule).
    """

    warn_low: Decimal
    warn_high: Decimal
    reason_required_below_low: bool
    adjustment_notice: Decimal


@dataclass(frozen=True, slots=True)
class OverAchievementRules:
    """超额完成 (B ÷ A of a positive indicator).

    Attributes:
      threshold: above this ratio (1.2) a warning asks whether the target was too low.
      deduct: whether points are deducted at all (off by default).
      deduct_at: the ratio from which points are deducted (≥ 1.3).
      deduct_points: how many points are deducted (2).
    """

    threshold: Decimal
    deduct: bool
    deduct_at: Decimal
    deduct_points: Decimal


@dataclass(frozen=True, slots=True)
class GradeBands:
    """等级: 优 ≥ excellent, 良 ≥ good, 中 ≥ passing, else 差."""

    excellent: Decimal
    good: Decimal
    passing: Decimal


@dataclass(frozen=True, slots=True)
class CapBand:
    """When 执行率 < ``below``, the total self-score is at most ``max_total``."""

    below: Decimal
    max_total: Decimal


@dataclass(frozen=True, slots=True)
class ExecutionCap:
    """Total score capped by 执行率 (off by default); the strictest matching band wins."""

    enabled: bool
    bands: tuple[CapBand, ...]


@dataclass(frozen=True, slots=True)
class QualitativeRules:
    """定性指标 tiers, as fractions of the weight W.

    Attributes:
      achieved_min: 达成年度指标 is [achieved_min·W, W] (0.8).
      partial_min: 部分达成年度指标并具有一定效果 is [partial_min·W, achieved_min·W) (0.6);
        未达成年度指标且效果较差 is [0, partial_min·W).
      achieved_default / partial_default / missed_default: the score fraction used when a
        tier is chosen but no self-score is given (1.0 / 0.7 / 0.3).
    """

    achieved_min: Decimal
    partial_min: Decimal
    achieved_default: Decimal
    partial_default: Decimal
    missed_default: Decimal


@dataclass(frozen=True, slots=True)
class ScoreBand:
    """执行率 ≥ ``at`` earns ``fraction`` of the weight (``execution_score.bands``)."""

    at: Decimal
    fraction: Decimal


@dataclass(frozen=True, slots=True)
class BudgetScoreRules:
    """How the 执行率 row is scored (``[execution_score]``; ``rules/rates.py``).

    Attributes:
      denominator: "full_year" (全年预算数), "initial" (年初预算数), or either plus 年初结转
        ("full_year_carryover", "initial_carryover").
      method: "capped" (min(rate, 100%) × W), "uncapped" (rate × W), "bands" (the
        fraction of W of the highest band reached) or "steps" (100% full marks, minus
        ``step_points`` for every full ``step_size`` below 100%).
      rounding: "two_decimals" or "whole" (ROUND_HALF_UP either way).
      bands: for "bands", highest ``at`` first.
      step_size / step_points: for "steps" (0.05 and 2: "每低于 5% 扣 2 分").
    """

    denominator: str = "full_year"
    method: str = "capped"
    rounding: str = "two_decimals"
    bands: tuple[ScoreBand, ...] = ()
    step_size: Decimal = Decimal("0.05")
    step_points: Decimal = Decimal(2)


_DEC, _BOOL, _STR, _WEIGHTS, _BANDS, _IDS = "decimal", "bool", "str", "weights", "bands", "ids"
_SBANDS, _STRS = "score_bands", "strs"

#: section → key → (type, allowed values or None); "" is the top level.
_SCHEMA: dict[str, dict[str, tuple[str, tuple[str, ...] | None]]] = {
    "": {"name": (_STR, None), "title": (_STR, None), "extends": (_STR, None), "sources": (_STRS, None)},
    "execution": {
        "warn_low": (_DEC, None),
        "warn_high": (_DEC, None),
        "reason_required_below_low": (_BOOL, None),
        "adjustment_notice": (_DEC, None),
    },
    "execution_score": {
        "denominator": (_STR, DENOMINATORS),
        "method": (_STR, BUDGET_METHODS),
        "rounding": (_STR, ROUNDINGS),
        "bands": (_SBANDS, None),
        "step_size": (_DEC, None),
        "step_points": (_DEC, None),
    },
    "weights": {},  # any 一级指标 name → number
    "direction_by_name": {},  # any pattern in an indicator's name → a direction
    "standards": {},  # any pattern in an indicator's name → a 评分标准 text (rules/standards.py)
    "negative": {"method": (_STR, NEGATIVE_METHODS)},
    "over_achievement": {
        "threshold": (_DEC, None),
        "deduct": (_BOOL, None),
        "deduct_at": (_DEC, None),
        "deduct_points": (_DEC, None),
    },
    "grades": {"excellent": (_DEC, None), "good": (_DEC, None), "passing": (_DEC, None)},
    "execution_cap": {"enabled": (_BOOL, None), "bands": (_BANDS, None)},
    "qualitative": {
        "achieved_min": (_DEC, None),
        "partial_min": (_DEC, None),
        "achieved_default": (_DEC, None),
        "partial_default": (_DEC, None),
        "missed_default": (_DEC, None),
    },
    "change_rate": {"basis": (_STR, CHANGE_RATE_BASES), "prior": (_STR, CHANGE_RATE_BASES)},
    "tables": {"basic": (_STR, TABLE_CHOICES)},
    "targets": {
        "bare_number_direction": (_STR, BARE_DIRECTIONS),
        "deadline_missed_fraction": (_DEC, None),
        "not_applicable": (_STR, NOT_APPLICABLE_METHODS),
        "score_rounding": (_STR, ROUNDINGS),
        "scored_target": (_STR, SCORED_TARGETS),
    },
    "checks": {
        "rounding_tolerance": (_DEC, None),
        "off": (_IDS, None),
        "on": (_IDS, None),
        "weight_deviation": (_DEC, None),
        "scores_ahead_by": (_DEC, None),
        "project_over_budget": (_DEC, None),
    },
}
#: tables that a profile replaces as a whole instead of merging key by key
_REPLACED_WHOLE = {"weights", "direction_by_name", "standards"}
_TYPE_NAMES = {_DEC: "数值", _BOOL: "true 或 false", _STR: "文字", _BANDS: "表格数组", _IDS: "文字列表（检查代码）",
               _SBANDS: "表格数组", _STRS: "文字列表"}


def key_name(section: str, key: str) -> str:
    return f"{section}.{key}" if section else key


def check_file(data: dict[str, Any], source: str) -> None:
    """Unknown sections/keys and wrong types, each named with the file."""
    for section, body in data.items():
        if section in _SCHEMA[""]:
            _check_type(section, "", body, _SCHEMA[""][section], source)
            continue
        if section not in _SCHEMA or section == "":
            raise ProfileError(f"方案文件 {source}：未知的设置项 “{section}”")
        if not isinstance(body, dict):
            raise ProfileError(f"方案文件 {source}：“{section}” 应为一个表（[{section}]），现为 {body!r}")
        if section == "weights":
            for key, value in body.items():
                if not isinstance(value, (int, Decimal)) or isinstance(value, bool):
                    raise ProfileError(
                        f"方案文件 {source}：设置项 “weights.{key}” 应为数值，现为 {value!r}"
                    )
            continue
        if section == "standards":
            for key, value in body.items():
                if not isinstance(value, str):
                    raise ProfileError(f"方案文件 {source}：设置项 “standards.{key}” 应为文字（评分标准），现为 {value!r}")
            continue
        if section == "direction_by_name":
            for key, value in body.items():
                if value not in BARE_DIRECTIONS:
                    raise ProfileError(
                        f"方案文件 {source}：设置项 “direction_by_name.{key}” 只能是 {'、'.join(BARE_DIRECTIONS)}，"
                        f"现为 {value!r}"
                    )
            continue
        for key, value in body.items():
            spec = _SCHEMA[section].get(key)
            if spec is None:
                raise ProfileError(f"方案文件 {source}：未知的设置项 “{section}.{key}”")
            _check_type(key, section, value, spec, source)


def _check_type(key: str, section: str, value: Any, spec: tuple[str, tuple[str, ...] | None], source: str) -> None:
    kind, choices = spec
    name = key_name(section, key)
    ok = {
        _DEC: isinstance(value, (int, Decimal)) and not isinstance(value, bool),
        _BOOL: isinstance(value, bool),
        _STR: isinstance(value, str),
        _BANDS: isinstance(value, list) and all(isinstance(v, dict) for v in value),
        _IDS: isinstance(value, list) and all(isinstance(v, str) for v in value),
        _STRS: isinstance(value, list) and all(isinstance(v, str) for v in value),
        _SBANDS: isinstance(value, list) and all(isinstance(v, dict) for v in value),
    }[kind]
    if not ok:
        raise ProfileError(f"方案文件 {source}：设置项 “{name}” 应为{_TYPE_NAMES[kind]}，现为 {value!r}")
    if choices is not None and value not in choices:
        raise ProfileError(
            f"方案文件 {source}：设置项 “{name}” 只能是 {'、'.join(choices)}，现为 {value!r}"
        )
    if kind in (_BANDS, _SBANDS):
        fields = {"below", "max_total"} if kind == _BANDS else {"at", "fraction"}
        for index, band in enumerate(value, 1):
            if set(band) != fields:
                raise ProfileError(
                    f"方案文件 {source}：设置项 “{name}” 第 {index} 项应只含 {' 和 '.join(sorted(fields))}，"
                    f"现为 {sorted(band)}"
                )
            for field_name, field_value in band.items():
                if not isinstance(field_value, (int, Decimal)) or isinstance(field_value, bool):
                    raise ProfileError(
                        f"方案文件 {source}：设置项 “{name}” 第 {index} 项的 {field_name} 应为数值，现为 {field_value!r}"
                    )


def merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    merged = {key: (dict(value) if isinstance(value, dict) else value) for key, value in parent.items()}
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict) and key not in _REPLACED_WHOLE:
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def budget_rules(body: dict[str, Any], fail: Any) -> BudgetScoreRules:
    """``[execution_score]`` checked and built; every key is optional (the default is
    min(执行率, 100%) × W, 2 decimals).  *fail(key, why)* makes the ``ProfileError``."""
    base = BudgetScoreRules()
    bands = []
    for band in body.get("bands", ()):
        item = ScoreBand(Decimal(band["at"]), Decimal(band["fraction"]))
        if not (0 <= item.at and 0 <= item.fraction <= 1):
            raise fail("execution_score.bands", f"at 应不小于 0、fraction 应在 [0, 1]，现为 {band}")
        bands.append(item)
    rules = BudgetScoreRules(
        denominator=body.get("denominator", base.denominator),
        method=body.get("method", base.method),
        rounding=body.get("rounding", base.rounding),
        bands=tuple(sorted(bands, key=lambda b: b.at, reverse=True)),
        step_size=Decimal(body.get("step_size", base.step_size)),
        step_points=Decimal(body.get("step_points", base.step_points)),
    )
    if rules.method == "bands" and not rules.bands:
        raise fail("execution_score.bands", "method = \"bands\" 时不能为空")
    if rules.step_size <= 0 or rules.step_points < 0:
        raise fail("execution_score.step_size", "step_size 应大于 0，step_points 不能为负数")
    return rules


def standards_of(body: dict[str, Any], fail: Any) -> tuple[tuple[str, Standard], ...]:
    """``[standards]``: each text must be one of the forms ``rules.standards`` reads."""
    from .rules.standards import parse_standard  # rules imports profile.py: import when a file is built

    out = []
    for pattern, text in body.items():
        standard = parse_standard(text)
        if standard is None:
            raise fail(f"standards.{pattern}", f"“{text}”不是可识别的评分标准（按比例、每低于…扣…分、未达到不得分、逾期不得分）")
        out.append((str(pattern), standard))
    return tuple(out)
