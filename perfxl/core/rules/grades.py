"""The table totals: 等级 and the execution cap (domain.md, "Formulas and scoring").

等级: 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60 (the default profile, after 财预〔2020〕10号;
a province's bands are the profile's ``grades``).  The execution cap (a profile
choice, off by default) limits the total by 执行率: 70–80% → ≤ 89, 60–70% → ≤ 79,
50–60% → ≤ 69, < 50% → ≤ 59.

Decisions (domain.md is silent on them):

* the total is graded as it is, not rounded first: 89.99 and 89.5 are 良;
* a cap band's lower edge belongs to it: exactly 70% is capped at 89, 80% is not;
* no 执行率 (no budget) leaves the total uncapped.
"""

from __future__ import annotations

from decimal import Decimal

from ..money import to_decimal
from ..profile import Profile, load_profile

__all__ = ["cap_total", "grade"]


def grade(total: Decimal, profile: Profile | None = None) -> str:
    """等级 (domain.md): 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60 (*profile*: 80/70/60).

    The total is compared as it is, not rounded first: 89.99 and 89.5 are 良.
    """
    if not isinstance(total, Decimal):
        converted = to_decimal(total)
        if converted is None:
            raise TypeError(f"总分应为数值：{total!r}")
        total = converted
    bands = (profile or load_profile()).grades
    if total >= bands.excellent:
        return "优"
    if total >= bands.good:
        return "良"
    if total >= bands.passing:
        return "中"
    return "差"


def cap_total(total: Decimal, rate: Decimal | None, profile: Profile | None = None) -> Decimal:
    """The total self-score capped by 执行率 (domain.md, "execution cap", *profile*, off by
    default): 70–80% → ≤ 89, 60–70% → ≤ 79, 50–60% → ≤ 69, < 50% → ≤ 59.

    A band's lower edge belongs to it (exactly 70% is capped at 89; 80% is not capped).
    ``None`` rate (no budget) leaves the total as it is.
    """
    cap = (profile or load_profile()).execution_cap
    if not cap.enabled or rate is None:
        return total
    limits = [band.max_total for band in cap.bands if rate < band.below]
    return min(total, min(limits)) if limits else total
