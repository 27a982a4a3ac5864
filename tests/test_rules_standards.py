"""Per-indicator scoring standards (评分标准, issue 9): the written forms read into structured
rules, applied to unmet indicators; hand arithmetic beside each number."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from perfxl.core.profile import ProfileError, load_profile
from perfxl.core.rules import score_indicator
from perfxl.core.rules.standards import Standard, apply_standard, parse_standard
from perfxl.core.scoring import score_evaluation
from perfxl.core.values import parse_value


@pytest.mark.parametrize(("text", "kind", "step", "points", "per"), [
    ("完成值达到指标值，记满分；未达到指标值，按B/A或A/B*该指标分值记分。", "proportional", 0, 0, "percent"),  # 北京 2016
    ("按比例得分", "proportional", 0, 0, "percent"),
    ("100%计满分，每低于5%扣2分", "step", 5, 2, "percent"),
    ("每降低1个百分点扣1分", "step", 1, 1, "percent"),
    ("每少1次扣0.5分", "step", 1, D("0.5"), "unit"),
    ("达到得满分，未达到不得分", "all_or_nothing", 0, 0, "percent"),
    ("按时完成得满分，逾期不得分", "deadline", 0, 0, "percent"),
])
def test_parse(text: str, kind: str, step: object, points: object, per: str) -> None:
    assert parse_standard(text) == Standard(kind, text, D(step), D(points), per)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "好", "群众满意", "根据实际情况打分"])
def test_unrecognised_text_is_none(text: str) -> None:
    assert parse_standard(text) is None


def rescored(text: str, target: str, actual: str, weight: int = 10) -> D | None:
    t, a = parse_value(target), parse_value(actual)
    result = score_indicator(t, a, D(weight), load_profile("national"))
    standard = parse_standard(text)
    assert standard is not None
    new = apply_standard(standard, result, t, a, D(weight))
    return None if new is None else new.score


def test_apply() -> None:
    assert rescored("按比例得分", "≥90%", "81%") == D("9.00")                 # 81 ÷ 90 × 10
    assert rescored("每降低1个百分点扣1分", "≥95%", "92.5%") == D("8.00")     # 2.5 points → 2 whole steps
    assert rescored("100%计满分，每低于5%扣2分", "100%", "89.9%") == D("6.00")  # 10.1 → 2 steps → 10 − 4
    assert rescored("每少1次扣0.5分", "≥6次", "4次") == D("9.00")             # 2 次 short → 10 − 1
    assert rescored("每少1次扣0.5分", "≥6次", "0次", 2) == D("0.00")          # never below 0
    assert rescored("达到得满分，未达到不得分", "≥90%", "89%") == D("0.00")
    assert rescored("达到得满分，未达到不得分", "≥90%", "95%") is None          # met: the rule's score stays
    assert rescored("每降低1个百分点扣1分", "≤5%", "8%") is None               # negative: its own formula


def test_deadline() -> None:
    late = rescored("按时完成得满分，逾期不得分", "2023年9月底前", "2023年11月")
    on_time = rescored("按时完成得满分，逾期不得分", "2023年9月底前", "2023年8月")
    assert late == D("0.00") and on_time is None


def test_a_profile_carries_standards_by_name(tmp_path: Path, example) -> None:
    path = tmp_path / "s.toml"
    path.write_text('extends = "default"\n[standards]\n"科普" = "达到得满分，未达到不得分"\n', encoding="utf-8")
    profile = load_profile(path)
    example.projects[0].indicators[0].actual = "4"  # “科普中国”活动 ≥5 → 4: proportional 4 ÷ 5 × 13 = 10.4
    default = score_evaluation(example, load_profile("default")).projects[0].indicators[0]
    strict = score_evaluation(example, profile).projects[0].indicators[0]
    assert default.rule_score == D("10.40") and strict.rule_score == 0
    assert "评分标准“达到得满分，未达到不得分”" in strict.explanation


def test_an_unreadable_standard_in_a_profile_is_named(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('extends = "default"\n[standards]\n"满意度" = "酌情打分"\n', encoding="utf-8")
    with pytest.raises(ProfileError, match=r"standards\.满意度"):
        load_profile(path)
