"""Rule profiles (评分方案): every scoring choice that differs between provinces and years.

``domain.md`` ("Formulas and scoring") marks some rules *profile*: the 执行率 warning
thresholds, the negative-indicator formula, the over-achievement deduction, the
grade bands, the execution cap, the 三公经费 basis and the weight split.  They live in
TOML files (``perfxl/profiles/*.toml``, documented in ``perfxl/profiles/README.md``),
not in code, so that a new province is a new file:

* ``national.toml`` — the 财政部 project self-evaluation rules as commonly applied
  (财预〔2020〕10号): a complete file, the base of the others;
* ``hunan.toml`` — ``extends = "national"``: the rules perfxl has always applied (the Hunan
  sample): direction only from ≥/≤, the weight split not checked;
* ``default.toml`` — ``extends = "hunan"``: the name data files have used so far
  (``"profile": "default"``) keeps meaning the Hunan rules;
* ``strict.toml`` — ``extends = "default"`` and lists only what differs.

Every profile has a one-line description (``title``) and its sources (``sources``, a list
of documents, years or "通行做法"), which ``perfxl profiles`` prints.  Keys added for real
tables from other provinces (issue 9) are all optional, with the old behaviour as
default, so a complete file written before them still loads: ``[execution_score]``,
``targets.not_applicable``, ``targets.score_rounding``, ``[direction_by_name]``,
``[standards]`` and the limits in ``[checks]``.

``load_profile`` reads, merges (``extends``), checks every key and value, and returns
an immutable ``Profile``.  Anything wrong is a ``ProfileError`` whose Chinese message
names the file and the key.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .profile_keys import (
    BARE_DIRECTIONS,  # noqa: F401  (public names, kept importable from here)
    CHANGE_RATE_BASES,  # noqa: F401
    NEGATIVE_METHODS,  # noqa: F401
    BudgetScoreRules,
    CapBand,
    ExecutionCap,
    ExecutionRules,
    GradeBands,
    OverAchievementRules,
    ProfileError,
    QualitativeRules,
    ScoreBand,
    budget_rules,
    check_file,
    key_name,
    merge,
    standards_of,
)

if TYPE_CHECKING:
    from .rules.standards import Standard

__all__ = [
    "DEFAULT_PROFILE",
    "BudgetScoreRules",
    "CapBand",
    "ExecutionCap",
    "ExecutionRules",
    "GradeBands",
    "OverAchievementRules",
    "Profile",
    "ProfileError",
    "QualitativeRules",
    "ScoreBand",
    "available_profiles",
    "load_profile",
]

DEFAULT_PROFILE = "default"
_DEFAULT_BUDGET = BudgetScoreRules()  # frozen: one shared default is safe



@dataclass(frozen=True, slots=True)
class Profile:
    """One rule profile (评分方案), read from a TOML file.

    Attributes:
      name: the profile's name ("default", "strict", or the file's stem).
      title: a Chinese description for users.
      source: the file it was read from (and those it extends), for messages.
      execution: 执行率 warnings.
      weights: default 一级指标 weights (执行率, 产出指标, 效益指标, 满意度指标), total 100.
      negative_method: "linear" (B ≤ A → W; A < B < 2A → (1 − (B − A) ÷ A)·W; B ≥ 2A → 0)
        or "ratio" (A ÷ B·W).
      over_achievement: 超额完成 warning and optional deduction.
      grades: 等级 bands.
      execution_cap: total capped by 执行率.
      qualitative: 定性指标 tier bands and default fractions.
      change_rate_basis: 三公经费变动率 from "actual" (决算数) or "budget" (预算数).
      change_rate_prior: compared with last year's "actual" (上年决算数) or "budget"
        (上年预算数, ``CostRow.prior_budget``).
      basic_table: "required" when the template has 附件一 (a file without it is then
        incomplete: an 错误 and the report prints the blank form) or "optional" (the
        national 部门整体 template has none: a file without it is read as such).
      bare_number_direction: direction of a target written without an operator ("6次"):
        "positive", "negative" or "equal".
      deadline_missed_fraction: share of W a missed 时效 deadline still earns (0).
      rounding_tolerance: a sum gap up to this (0.01 万元) is a 提示, not an 错误.
      checks_off / checks_on: ids of registered checks (``core/checks``) this profile
        switches off, or on when they are off by default.
      sources: the documents (or "common practice") the profile's rules come from.
      budget: how the 执行率 row is scored (denominator, method, rounding).
      not_applicable: a "无" (不适用) indicator is a "finding" (its weight should move) or
        dropped with the total "rescale"d to 100.
      direction_by_name: (pattern, direction) pairs: an indicator whose name contains the
        pattern and whose target has no operator takes that direction.
      standards: (pattern, ``rules.standards.Standard``) pairs: an indicator whose name
        contains the pattern is scored by that 评分标准 when it falls short.
      score_rounding: an indicator's rule score to "two_decimals" or "whole" points.
      scored_target: "adjusted" (调整后指标值 scores when given) or "initial" (年初指标值).
      weight_deviation: allowed gap (points) of a 一级指标's weight from ``weights``.
      scores_ahead_by: how far the indicators' score share may run ahead of 执行率.
      project_over_budget: 项目支出 决算 above 预算 × (1 + this) is flagged.
    """

    name: str
    title: str
    source: str
    execution: ExecutionRules
    weights: Mapping[str, Decimal]
    negative_method: str
    over_achievement: OverAchievementRules
    grades: GradeBands
    execution_cap: ExecutionCap
    qualitative: QualitativeRules
    change_rate_basis: str
    bare_number_direction: str
    deadline_missed_fraction: Decimal
    rounding_tolerance: Decimal
    checks_off: frozenset[str] = frozenset()
    checks_on: frozenset[str] = frozenset()
    sources: tuple[str, ...] = ()
    budget: BudgetScoreRules = _DEFAULT_BUDGET
    not_applicable: str = "finding"
    direction_by_name: tuple[tuple[str, str], ...] = ()
    score_rounding: str = "two_decimals"
    standards: tuple[tuple[str, Standard], ...] = ()
    scored_target: str = "adjusted"
    weight_deviation: Decimal = Decimal(0)
    scores_ahead_by: Decimal = Decimal("0.05")
    project_over_budget: Decimal = Decimal("0.5")
    change_rate_prior: str = "actual"
    basic_table: str = "optional"

    def __repr__(self) -> str:
        return f"Profile(name={self.name!r}, source={self.source!r})"

    def weight_of(self, level1: str) -> Decimal | None:
        """The default weight of a 一级指标 ("产出指标" → 50), ``None`` if not listed."""
        return self.weights.get(level1)


# --------------------------------------------------------------------------- reading files

_NAME_RE = re.compile(r"^[A-Za-z0-9_\-]+$")


def _builtin_dir() -> Any:
    return resources.files("perfxl").joinpath("profiles")


def available_profiles() -> list[str]:
    """The names of the profiles shipped with perfxl ("default", "strict", …), sorted."""
    names = [
        entry.name[: -len(".toml")]
        for entry in _builtin_dir().iterdir()
        if entry.name.endswith(".toml") and entry.is_file()
    ]
    return sorted(names, key=lambda n: (n != DEFAULT_PROFILE, n))


def _locate(name_or_path: str, base: Path | None = None) -> tuple[Any, str]:
    """(the file, its display name) for a bare profile name or a path."""
    if _NAME_RE.match(name_or_path):
        entry = _builtin_dir().joinpath(f"{name_or_path}.toml")
        if not entry.is_file():
            known = "、".join(available_profiles())
            raise ProfileError(f"未找到评分方案 “{name_or_path}”；可用的方案：{known}")
        return entry, f"{name_or_path}.toml"
    try:
        path = Path(name_or_path).expanduser()
        if base is not None and not path.is_absolute():
            path = base / path
        found = path.is_file()
    except (OSError, ValueError, RuntimeError):  # "\x00" in the name, no home directory …
        found = False
    if not found:
        raise ProfileError(f"未找到评分方案文件 {name_or_path}")
    return path, str(path)


def _stamp(entry: Any) -> int:
    try:
        return os.stat(str(entry)).st_mtime_ns
    except OSError:  # a resource inside a zip: it does not change
        return 0


def _read(entry: Any, source: str) -> dict[str, Any]:
    try:
        text = entry.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProfileError(f"方案文件 {source} 不是 UTF-8 编码：{exc}") from None
    except OSError as exc:
        raise ProfileError(f"无法读取方案文件 {source}：{exc}") from None
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        at = f"第 {where[1]} 行第 {where[2]} 列附近" if where else "某处"
        raise ProfileError(f"方案文件 {source} 不是有效的 TOML：{at}有格式错误。") from None
    check_file(data, source)
    return data


def _read_chain(entry: Any, source: str, seen: tuple[str, ...]) -> tuple[dict[str, Any], list[str]]:
    """The file merged over what it extends, and the list of files read."""
    key = str(entry)
    if key in seen:
        raise ProfileError(f"方案文件 {source}：extends 形成循环（{' → '.join((*seen, key))}）")
    data = _read(entry, source)
    parent_ref = data.pop("extends", None)
    if parent_ref is None:
        return data, [source]
    base = Path(str(entry)).parent if isinstance(entry, Path) else None
    try:
        parent_entry, parent_source = _locate(parent_ref, base)
    except ProfileError as exc:
        raise ProfileError(f"方案文件 {source}：设置项 “extends” 无效：{exc}") from None
    parent, sources = _read_chain(parent_entry, parent_source, (*seen, key))
    parent.pop("name", None)
    parent.pop("title", None)
    return merge(parent, data), [*sources, source]


def _require(data: dict[str, Any], section: str, key: str, source: str) -> Any:
    body = data if section == "" else data.get(section, {})
    if key not in body:
        raise ProfileError(f"方案文件 {source}：缺少设置项 “{key_name(section, key)}”（可写 extends = \"default\" 继承默认值）")
    value = body[key]
    return Decimal(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _build(data: dict[str, Any], name: str, source: str) -> Profile:
    def get(section: str, key: str) -> Any:
        return _require(data, section, key, source)

    def fail(key: str, why: str) -> ProfileError:
        return ProfileError(f"方案文件 {source}：设置项 “{key}” {why}")

    execution = ExecutionRules(
        get("execution", "warn_low"), get("execution", "warn_high"),
        get("execution", "reason_required_below_low"), get("execution", "adjustment_notice"),
    )
    if not Decimal(0) < execution.warn_low <= execution.warn_high:
        raise fail("execution.warn_low", f"应大于 0 且不大于 execution.warn_high（{execution.warn_high}）")
    if execution.adjustment_notice < 0:
        raise fail("execution.adjustment_notice", "不能为负数")

    raw_weights = data.get("weights")
    if not raw_weights:
        raise fail("weights", "缺失或为空")
    weights = {str(k): Decimal(v) for k, v in raw_weights.items()}
    for key, value in weights.items():
        if value < 0:
            raise fail(f"weights.{key}", "不能为负数")
    if sum(weights.values()) != 100:
        raise fail("weights", f"合计应为 100，现为 {sum(weights.values())}")

    over = OverAchievementRules(
        get("over_achievement", "threshold"), get("over_achievement", "deduct"),
        get("over_achievement", "deduct_at"), get("over_achievement", "deduct_points"),
    )
    if over.threshold < 1:
        raise fail("over_achievement.threshold", "应不小于 1（例如 1.2 表示 120%）")
    if over.deduct_at < 1:
        raise fail("over_achievement.deduct_at", "应不小于 1（例如 1.3 表示 130%）")
    if over.deduct_points < 0:
        raise fail("over_achievement.deduct_points", "不能为负数")

    grades = GradeBands(get("grades", "excellent"), get("grades", "good"), get("grades", "passing"))
    if not 0 < grades.passing < grades.good < grades.excellent <= 100:
        raise fail("grades", "应满足 0 < passing < good < excellent ≤ 100")

    bands = []
    for band in get("execution_cap", "bands"):
        cap = CapBand(Decimal(band["below"]), Decimal(band["max_total"]))
        if not (0 < cap.below <= 1 and 0 <= cap.max_total <= 100):
            raise fail("execution_cap.bands", f"below 应在 (0, 1]、max_total 应在 [0, 100]，现为 {band}")
        bands.append(cap)
    execution_cap = ExecutionCap(get("execution_cap", "enabled"), tuple(sorted(bands, key=lambda b: b.below)))

    qualitative = QualitativeRules(
        get("qualitative", "achieved_min"), get("qualitative", "partial_min"),
        get("qualitative", "achieved_default"), get("qualitative", "partial_default"),
        get("qualitative", "missed_default"),
    )
    q = qualitative
    if not 0 < q.partial_min < q.achieved_min <= 1:
        raise fail("qualitative", "应满足 0 < partial_min < achieved_min ≤ 1")
    if not q.achieved_min <= q.achieved_default <= 1:
        raise fail("qualitative.achieved_default", f"应在 [{q.achieved_min}, 1] 之内")
    if not q.partial_min <= q.partial_default < q.achieved_min:
        raise fail("qualitative.partial_default", f"应在 [{q.partial_min}, {q.achieved_min}) 之内")
    if not 0 <= q.missed_default < q.partial_min:
        raise fail("qualitative.missed_default", f"应在 [0, {q.partial_min}) 之内")

    missed = get("targets", "deadline_missed_fraction")
    if not 0 <= missed <= 1:
        raise fail("targets.deadline_missed_fraction", "应在 0 到 1 之间")
    tolerance = get("checks", "rounding_tolerance")
    if tolerance < 0:
        raise fail("checks.rounding_tolerance", "不能为负数")
    switched = {key: frozenset(data.get("checks", {}).get(key, ())) for key in ("off", "on")}
    from .checks import CHECK_IDS  # the registry imports this module: read it when a file is built

    for key, ids in switched.items():
        unknown = sorted(ids - set(CHECK_IDS))
        if unknown:
            raise fail(f"checks.{key}", f"含未知的检查 {'、'.join(unknown)}；可用的检查：{'、'.join(CHECK_IDS)}")
    if switched["off"] & switched["on"]:
        raise fail("checks.on", f"与 checks.off 同时列出了 {'、'.join(sorted(switched['off'] & switched['on']))}")

    budget = budget_rules(data.get("execution_score", {}), fail)
    checks = data.get("checks", {})
    limits = {}
    for key, default in (("weight_deviation", "0"), ("scores_ahead_by", "0.05"), ("project_over_budget", "0.5")):
        limits[key] = Decimal(checks.get(key, Decimal(default)))
        if limits[key] < 0:
            raise fail(f"checks.{key}", "不能为负数")

    return Profile(
        name=str(data.get("name") or name),
        title=str(data.get("title") or ""),
        source=source,
        execution=execution,
        weights=MappingProxyType(weights),
        negative_method=get("negative", "method"),
        over_achievement=over,
        grades=grades,
        execution_cap=execution_cap,
        qualitative=qualitative,
        change_rate_basis=get("change_rate", "basis"),
        bare_number_direction=get("targets", "bare_number_direction"),
        deadline_missed_fraction=missed,
        rounding_tolerance=tolerance,
        checks_off=switched["off"],
        checks_on=switched["on"],
        sources=tuple(data.get("sources", ())),
        budget=budget,
        not_applicable=str(data.get("targets", {}).get("not_applicable", "finding")),
        standards=standards_of(data.get("standards", {}), fail),
        score_rounding=str(data.get("targets", {}).get("score_rounding", "two_decimals")),
        scored_target=str(data.get("targets", {}).get("scored_target", "adjusted")),
        direction_by_name=tuple((str(k), str(v)) for k, v in data.get("direction_by_name", {}).items()),
        weight_deviation=limits["weight_deviation"],
        scores_ahead_by=limits["scores_ahead_by"],
        project_over_budget=limits["project_over_budget"],
        change_rate_prior=str(data.get("change_rate", {}).get("prior", "actual")),
        basic_table=str(data.get("tables", {}).get("basic", "optional")),
    )


_CACHE: dict[tuple[str, int], Profile] = {}


def _load(entry: Any, source: str, stem: str) -> Profile:
    key = (str(entry), _stamp(entry))  # a file edited since it was cached is read again
    profile = _CACHE.get(key)
    if profile is None:
        data, sources = _read_chain(entry, source, ())
        profile = _build(data, stem, " ← ".join(reversed(sources)) if len(sources) > 1 else source)
        _CACHE[key] = profile
    return profile


_NAMED: dict[str, Profile] = {}


def load_profile(name_or_path: str | os.PathLike[str] | None = None) -> Profile:
    """The profile called *name_or_path*: ``None``/"default", a shipped name, or a file path.

    A bare name ("strict") is ``perfxl/profiles/strict.toml``; anything with a path
    separator or a ``.toml`` suffix is a file.  Profiles are cached (a file that changes
    on disk is read again).  Raises ``ProfileError`` with a Chinese message.
    """
    if name_or_path is None:
        ref = DEFAULT_PROFILE
    else:
        ref = os.fspath(name_or_path).strip() or DEFAULT_PROFILE
    named = _NAMED.get(ref)
    if named is not None:  # a shipped profile: read once per process (the hot path)
        return named
    entry, source = _locate(ref)
    if _NAME_RE.match(ref):
        profile = _load(entry, source, ref)
        _NAMED[ref] = profile
        return profile
    return _load(entry, source, Path(str(entry)).stem)
