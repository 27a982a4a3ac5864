"""Next year adds no finding of its own (issue 10, done-when; the decision is in
``perfxl/core/nextyear.py``, "Carried warnings").

The new year's findings are the "not yet filled" ones, and every other finding is one
last year's data already has at the same path: the plan (targets, weights) is carried
with its warnings (the example's five NOT_APPLICABLE_WEIGHTED "无" indicators with a
分值), never hidden and never made anew.
"""

from __future__ import annotations

from perfxl.core.checks import check
from perfxl.core.nextyear import next_year

from .test_nextyear import CARRIED, NOT_YET_FILLED


def _found(evaluation, profile) -> set[tuple[str, str]]:
    return {(f.code, f.path) for f in check(evaluation, profile)}


def test_next_year_adds_only_not_yet_filled_findings(example, default_profile):
    last = _found(example, default_profile)
    new = _found(next_year(example), default_profile)
    own = {(code, path) for code, path in new if code not in NOT_YET_FILLED}
    assert own <= last  # nothing next_year made: each is last year's, at the same path
    assert {code for code, _ in own} == CARRIED and len(own) == 5


def test_a_not_applicable_indicator_keeps_its_plan_and_loses_its_result(example):
    new = next_year(example)
    pairs = [(old, ind) for table, old_table in [(new.overall, example.overall),
                                                 *zip(new.projects, example.projects, strict=True)]
             for old, ind in zip(old_table.indicators, table.indicators, strict=True) if old.target.strip() == "无"]
    assert len(pairs) == 5  # the example's "无" targets (the five carried warnings)
    for old, ind in pairs:
        assert (ind.target, ind.weight, ind.name) == (old.target, old.weight, old.name)  # the plan, carried
        assert (ind.actual, ind.self_score, ind.tier) == ("", None, "")  # the result, cleared
