"""The shipped profiles of issue 9 (national, hunan, default, strict), their sources, the new keys
and ``perfxl profiles``."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from perfxl.core.profile import ProfileError, available_profiles, load_profile
from tests.cli_runner import run


def write(tmp_path: Path, text: str, name: str = "p.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_profiles() -> None:
    names = available_profiles()
    assert names[0] == "default"
    assert {"national", "hunan", "strict"} <= set(names)


def test_default_is_hunan_and_hunan_extends_national() -> None:
    default, hunan, national = load_profile("default"), load_profile("hunan"), load_profile("national")
    assert default.source == "default.toml ← hunan.toml ← national.toml"
    assert hunan.source == "hunan.toml ← national.toml"
    for attr in ("weights", "grades", "qualitative", "execution", "budget", "negative_method", "not_applicable",
                 "direction_by_name", "checks_on", "checks_off", "sources"):
        assert getattr(default, attr) == getattr(hunan, attr), attr
    # what national says differently: direction from the name, the weight split checked
    assert hunan.direction_by_name == () and dict(national.direction_by_name)["控制率"] == "negative"
    assert "WEIGHT_SPLIT" in national.checks_on and "WEIGHT_SPLIT" not in hunan.checks_on


def test_national_rules_as_the_issue_states_them() -> None:
    p = load_profile("national")
    assert dict(p.weights) == {"执行率": 10, "产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert (p.grades.excellent, p.grades.good, p.grades.passing) == (90, 80, 60)
    assert (p.qualitative.achieved_min, p.qualitative.partial_min) == (D("0.8"), D("0.6"))
    assert (p.budget.denominator, p.budget.method, p.budget.rounding) == ("full_year", "capped", "two_decimals")
    assert p.not_applicable == "finding" and p.score_rounding == "two_decimals"
    assert p.weight_deviation == 0 and p.scores_ahead_by == D("0.05") and p.project_over_budget == D("0.5")


@pytest.mark.parametrize("name", ["national", "hunan", "default", "strict"])
def test_every_profile_has_a_description_and_sources(name: str) -> None:
    p = load_profile(name)
    assert p.title and "\n" not in p.title
    assert p.sources and all(s.strip() for s in p.sources)


def test_cli_lists_name_description_and_sources() -> None:
    ran = run("profiles")
    assert ran.returncode == 0
    for name in ("default", "national", "hunan", "strict"):
        assert f"{name}\t{load_profile(name).title}" in ran.stdout
    assert "依据：财政部《项目支出绩效评价管理办法》（财预〔2020〕10号）" in ran.stdout


def test_execution_score_keys(tmp_path: Path) -> None:
    path = write(tmp_path, 'extends = "national"\n[execution_score]\ndenominator = "initial"\nmethod = "bands"\n'
                           'rounding = "whole"\nbands = [{ at = 0.9, fraction = 0.8 }, { at = 1, fraction = 1 }]\n')
    p = load_profile(path)
    assert (p.budget.denominator, p.budget.method, p.budget.rounding) == ("initial", "bands", "whole")
    assert [(b.at, b.fraction) for b in p.budget.bands] == [(1, 1), (D("0.9"), D("0.8"))]  # highest first


@pytest.mark.parametrize(("text", "words"), [
    ('[execution_score]\ndenominator = "carryover"\n', ["execution_score.denominator", "full_year、initial"]),
    ('[execution_score]\nmethod = "bands"\n', ["execution_score.bands", "不能为空"]),
    ('[execution_score]\nbands = [{ at = 1 }]\n', ["execution_score.bands", "at 和 fraction"]),
    ('[execution_score]\nstep_size = 0\n', ["execution_score.step_size"]),
    ('[targets]\nnot_applicable = "drop"\n', ["targets.not_applicable", "finding、rescale"]),
    ('[direction_by_name]\n"控制率" = "down"\n', ["direction_by_name.控制率", "positive、negative、equal"]),
    ('[checks]\nweight_deviation = -1\n', ["checks.weight_deviation", "不能为负数"]),
    ('sources = "财预"\n', ["sources", "文字列表"]),
])
def test_wrong_new_keys_are_named(tmp_path: Path, text: str, words: list[str]) -> None:
    with pytest.raises(ProfileError) as info:
        load_profile(write(tmp_path, 'extends = "national"\n' + text))
    for word in words:
        assert word in str(info.value)


def test_direction_by_name_is_replaced_as_a_whole(tmp_path: Path) -> None:
    p = load_profile(write(tmp_path, 'extends = "national"\n[direction_by_name]\n"达标率" = "positive"\n'))
    assert p.direction_by_name == (("达标率", "positive"),)


def test_a_full_old_style_file_without_the_new_keys_still_loads(tmp_path: Path) -> None:
    """A complete profile written before issue 9 (no extends, none of the new keys) keeps working."""
    text = (Path(__file__).resolve().parent.parent / "perfxl" / "profiles" / "national.toml").read_text("utf-8")
    keep: list[str] = []
    section, in_sources = "", False
    for line in text.splitlines():
        if line.startswith("sources"):
            in_sources = True
        if in_sources:
            in_sources = not line.startswith("]")
            continue
        if line.startswith("["):
            section = line.split("]")[0] + "]"
        key = line.split("=")[0].strip()
        if section in ("[execution_score]", "[direction_by_name]") or key in (
                "not_applicable", "weight_deviation", "scores_ahead_by", "project_over_budget"):
            continue
        keep.append(line.replace('on = ["WEIGHT_SPLIT"]', "on = []"))
    p = load_profile(write(tmp_path, "\n".join(keep) + "\n"))
    assert p.budget.method == "capped" and p.not_applicable == "finding" and p.direction_by_name == ()
    assert p.sources == () and p.weight_deviation == 0
