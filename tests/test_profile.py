"""Rule profiles: the shipped files, ``extends`` and the Chinese error messages."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D
from pathlib import Path

import pytest

from perfxl.core.profile import Profile, ProfileError, available_profiles, load_profile


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_profile_values() -> None:
    p = load_profile()
    assert p.name == "default"
    assert p.execution.warn_low == D("0.90") and p.execution.warn_high == D("1.00")
    assert p.execution.reason_required_below_low is False
    assert p.execution.adjustment_notice == D("0.20")
    assert dict(p.weights) == {"执行率": 10, "产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert p.weight_of("产出指标") == D(50) and p.weight_of("其他") is None
    assert p.negative_method == "linear"
    assert p.over_achievement.threshold == D("1.2")
    assert p.over_achievement.deduct is False
    assert (p.grades.excellent, p.grades.good, p.grades.passing) == (90, 80, 60)
    assert p.execution_cap.enabled is False
    assert [(b.below, b.max_total) for b in p.execution_cap.bands] == [
        (D("0.5"), 59), (D("0.6"), 69), (D("0.7"), 79), (D("0.8"), 89)
    ]
    q = p.qualitative
    assert (q.achieved_min, q.partial_min) == (D("0.8"), D("0.6"))
    assert (q.achieved_default, q.partial_default, q.missed_default) == (1, D("0.7"), D("0.3"))
    assert p.change_rate_basis == "actual"
    assert p.bare_number_direction == "positive"
    assert p.deadline_missed_fraction == 0
    assert p.rounding_tolerance == D("0.01")


def test_values_are_decimals_not_floats() -> None:
    p = load_profile()
    for value in (p.execution.warn_low, p.over_achievement.threshold, p.qualitative.partial_default,
                  p.rounding_tolerance, p.grades.excellent, *p.weights.values()):
        assert isinstance(value, D)


def test_strict_profile_lists_only_differences() -> None:
    s = load_profile("strict")
    assert s.name == "strict"
    assert (s.grades.excellent, s.grades.good, s.grades.passing) == (80, 70, 60)
    assert s.negative_method == "ratio"
    assert s.execution_cap.enabled is True
    assert s.over_achievement.deduct is True
    assert s.over_achievement.deduct_at == D("1.3") and s.over_achievement.deduct_points == 2
    # inherited from default
    assert s.weights == load_profile().weights
    assert s.qualitative == load_profile().qualitative
    assert "default.toml" in s.source


def test_none_and_default_are_the_same_cached_object() -> None:
    assert load_profile() is load_profile("default") is load_profile(None) is load_profile("")


def test_profiles_are_immutable() -> None:
    p = load_profile()
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.negative_method = "ratio"  # type: ignore[misc]
    with pytest.raises(TypeError):
        p.weights["产出指标"] = D(1)  # type: ignore[index]


def test_available_profiles() -> None:
    names = available_profiles()
    assert names[0] == "default" and "strict" in names


def test_a_file_that_extends_default(tmp_path: Path) -> None:
    path = write(tmp_path, "hebei.toml", 'extends = "default"\ntitle = "河北"\n[grades]\nexcellent = 85\n')
    p = load_profile(str(path))
    assert isinstance(p, Profile)
    assert p.name == "hebei" and p.title == "河北"
    assert p.grades.excellent == 85 and p.grades.good == 80
    assert p.negative_method == "linear"


def test_extends_a_relative_path_and_a_chain(tmp_path: Path) -> None:
    write(tmp_path, "base.toml", 'extends = "strict"\n[change_rate]\nbasis = "budget"\n')
    path = write(tmp_path, "child.toml", 'extends = "base.toml"\n[targets]\ndeadline_missed_fraction = 0.5\n')
    p = load_profile(path)
    assert p.change_rate_basis == "budget"
    assert p.negative_method == "ratio"  # from strict
    assert p.deadline_missed_fraction == D("0.5")


def test_weights_are_replaced_as_a_whole(tmp_path: Path) -> None:
    path = write(tmp_path, "w.toml", 'extends = "default"\n[weights]\n"执行率" = 20\n"产出指标" = 80\n')
    assert dict(load_profile(path).weights) == {"执行率": 20, "产出指标": 80}


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    import os

    path = write(tmp_path, "c.toml", 'extends = "default"\n[grades]\nexcellent = 85\n')
    assert load_profile(path).grades.excellent == 85
    path.write_text('extends = "default"\n[grades]\nexcellent = 95\n', encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert load_profile(path).grades.excellent == 95


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ('extends = "default"\n[grades]\nexcelent = 85\n', ["未知的设置项", "grades.excelent"]),
        ('extends = "default"\n[gradez]\nexcellent = 85\n', ["未知的设置项", "gradez"]),
        ('extends = "default"\ncolour = "red"\n', ["未知的设置项", "colour"]),
        ('extends = "default"\n[grades]\nexcellent = "九十"\n', ["grades.excellent", "应为数值"]),
        ('extends = "default"\n[execution]\nreason_required_below_low = "yes"\n',
         ["execution.reason_required_below_low", "true 或 false"]),
        ('extends = "default"\n[negative]\nmethod = "square"\n', ["negative.method", "linear、ratio"]),
        ('extends = "default"\n[weights]\n"执行率" = "十"\n', ["weights.执行率", "应为数值"]),
        ('extends = "default"\n[weights]\n"执行率" = 10\n"产出指标" = 50\n', ["weights", "合计应为 100"]),
        ('extends = "default"\n[grades]\nexcellent = 70\n', ["grades", "passing < good < excellent"]),
        ('extends = "default"\n[qualitative]\npartial_default = 0.9\n', ["qualitative.partial_default"]),
        ('extends = "default"\n[execution_cap]\nbands = [{below = 0.8}]\n', ["execution_cap.bands", "max_total"]),
        ('extends = "default"\n[grades]\nexcellent = true\n', ["grades.excellent", "应为数值"]),
        ('extends = "default"\ngrades = 5\n', ["grades", "应为一个表"]),
        ('extends = "nowhere"\n', ["extends", "未找到评分方案"]),
        ('[grades]\nexcellent = 90\n', ["缺少设置项", "extends"]),
        ("this is = = not toml", ["格式错误"]),
    ],
)
def test_bad_files_raise_profile_error_in_chinese(tmp_path: Path, text: str, fragments: list[str]) -> None:
    path = write(tmp_path, "bad.toml", text)
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    message = str(info.value)
    assert "bad.toml" in message  # names the file
    for fragment in fragments:
        assert fragment in message


def test_extends_cycle(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", 'extends = "b.toml"\n')
    write(tmp_path, "b.toml", 'extends = "a.toml"\n')
    with pytest.raises(ProfileError, match="循环"):
        load_profile(tmp_path / "a.toml")


def test_unknown_name_and_missing_file() -> None:
    with pytest.raises(ProfileError, match="未找到评分方案 “nope”"):
        load_profile("nope")
    with pytest.raises(ProfileError, match="未找到评分方案文件"):
        load_profile("/no/such/dir/x.toml")


def test_profile_error_is_a_value_error() -> None:
    assert issubclass(ProfileError, ValueError)


# ---------------------------------------------------------------- [checks] off / on (issue 7)


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ('extends = "default"\n[checks]\noff = ["NO_SUCH_CHECK"]\n', ["checks.off", "NO_SUCH_CHECK", "CHANGE_RATE"]),
        ('extends = "default"\n[checks]\noff = "CHANGE_RATE"\n', ["checks.off", "文字列表"]),
        ('extends = "default"\n[checks]\non = [1]\n', ["checks.on", "文字列表"]),
        ('extends = "default"\n[checks]\noff = ["CROSS"]\non = ["CROSS"]\n', ["checks.on", "CROSS"]),
    ],
)
def test_bad_check_lists_name_the_file_and_key(tmp_path: Path, text: str, fragments: list[str]) -> None:
    path = write(tmp_path, "bad.toml", text)
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    assert "bad.toml" in str(info.value)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_switching_a_check_off_removes_its_findings(tmp_path: Path, example) -> None:
    from perfxl.core.checker import check

    base = check(example, load_profile())
    assert any(f.code == "CHANGE_RATE" for f in base)  # the sample's 三公经费 changed from last year
    assert any(f.code == "CROSS_MISMATCH" or f.code == "SUM_ROUNDING" for f in base)
    path = write(tmp_path, "no-change.toml", 'extends = "default"\n[checks]\noff = ["CHANGE_RATE", "CROSS"]\n')
    profile = load_profile(path)
    assert profile.checks_off == {"CHANGE_RATE", "CROSS"}
    found = check(example, profile)
    assert not any(f.code == "CHANGE_RATE" for f in found)
    assert not any(f.table == "表间核对" for f in found)
    assert len(found) < len(base)
    # every other finding is unchanged
    kept = [f for f in base if f.code != "CHANGE_RATE" and f.table != "表间核对"]
    assert found == kept


def test_a_check_off_by_default_is_switched_on(tmp_path: Path, example) -> None:
    from perfxl.core.checker import check

    # 附件三 indicators: self 13+12+12+10+5+8+5+7+10 = 82 of weights 90 = 91.11%, against 执行率
    # 98.75%: not ahead.  With 全年执行数 21.635 of 43.27 (50%): 41.11 points ahead of 50% + 5
    example.projects[0].funds[0].actual = D("21.635")
    assert not any(f.code == "SCORES_AHEAD" for f in check(example, load_profile()))
    path = write(tmp_path, "ahead.toml", 'extends = "default"\n[checks]\non = ["SCORES_AHEAD"]\n')
    found = [f for f in check(example, load_profile(path)) if f.code == "SCORES_AHEAD"]
    assert [f.path for f in found] == ["projects[0].printed_total_score"]
    assert found[0].actual == "91.11%" and found[0].expected == "≤ 55%"
