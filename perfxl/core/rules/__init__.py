"""The scoring rules of the self-evaluation tables (附件二、附件三): pure functions, no I/O.

Every rule is the one in ``shared/docs/domain.md``, "Formulas and scoring" (the
default profile, after 财预〔2020〕10号, 湘财绩〔2020〕7号 and the public configuration
of a provincial performance-management system); where that table marks a rule
*profile*, the choice is read from a ``Profile`` (``perfxl/profiles/*.toml``).

A = 年度指标值 (target), B = 实际完成值 (actual), W = 分值 (weight).

Rates are exact ``Decimal`` quotients (``money.divide``): a missing value or a zero
denominator gives ``None``, never a silent 0.  Scores are rounded once, to 2 decimals,
with ``money.round_score`` (ROUND_HALF_UP), and always lie in [0, W].

What a scoring run notices is returned as ``Note`` codes beside the score, for the
checker to turn into findings; nothing is raised.

One module per concern, each docstring listing the decisions taken where domain.md
is silent (every decision is recorded in exactly one of them):

================  ==========================================================
``rates``         执行率, 控制率, 变动率, 预算调整率, the 执行率 score (a profile choice) and warnings
``indicator``     ``score_indicator``: the direction, then the rule for it; 无 targets
``numeric``       positive, negative and equal indicators; over-achievement
``dates``         deadlines (a date or period target)
``qualitative``   完成档次 (tiers), their bands and self-scores
``grades``        等级 and the execution cap of a table's total
``outcome``       ``IndicatorResult``, ``Direction``, ``Tier``, ``Note``; shared helpers
``standards``     评分标准 as structured rules (proportional, steps, all-or-nothing, deadline)
================  ==========================================================

Import the public names from here (``from perfxl.core.rules import score_indicator``);
the submodules are an implementation detail and may move.
"""

from __future__ import annotations

from .grades import cap_total, grade
from .indicator import direction_of, score_indicator
from .outcome import Direction, IndicatorResult, Note, Tier
from .qualitative import parse_tier, tier_band
from .rates import (
    adjustment_rate,
    budget_score,
    change_rate,
    check_execution,
    control_rate,
    execution_rate,
)

__all__ = [
    "Direction",
    "IndicatorResult",
    "Note",
    "Tier",
    "adjustment_rate",
    "budget_score",
    "cap_total",
    "change_rate",
    "check_execution",
    "control_rate",
    "direction_of",
    "execution_rate",
    "grade",
    "parse_tier",
    "score_indicator",
    "tier_band",
]
