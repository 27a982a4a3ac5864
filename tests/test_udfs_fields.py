"""PERF_SCORE with the per-row fields of provinces' forms, and PERF_BUDGETSCORE with a 年初预算数
denominator (issue 9): the same numbers as the assessment (hand arithmetic beside each)."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfxl import udfs
from perfxl.core.profile import load_profile
from perfxl.udfs import PERF_BUDGETSCORE, PERF_SCORE

CORPUS = Path(__file__).parent / "corpus"


def test_direction_overrides_the_target() -> None:
    # 90% → 95% as 反向: (1 − 5 ÷ 90) × 10 = 9.44
    assert PERF_SCORE("90%", "95%", 10, None, "national", None, None, "反向") == 9.44
    assert PERF_SCORE("90%", "95%", 10, None, "national", None, None, "≤") == 9.44  # 指标性质 "≤"
    assert PERF_SCORE("90%", "95%", 10, None, "national") == 10.0
    assert PERF_SCORE("90%", "95%", 10, None, "national", None, None, "正相") == 10.0  # unreadable: implied


def test_unit_standard_name_and_targets() -> None:
    # a "%" column: 95 against Excel's 0.92 is 92 ÷ 95 × 10 = 9.68
    assert PERF_SCORE(95, 0.92, 10, None, "national", None, None, None, "%") == 9.68
    # ≤100 (万元) against 1200000元: (1 − 20 ÷ 100) × 10 = 8
    assert PERF_SCORE("≤100", "1200000元", 10, None, "national", None, None, None, "万元") == 8.0
    # 3 points short, 每低于1个百分点扣1分: 10 − 3 = 7
    assert PERF_SCORE("≥95%", "92%", 10, None, "national", None, None, None, None, "每低于1个百分点扣1分") == 7.0
    # 控制率 is 反向 by name under national: 92 ≤ 100 → 2; without the name 92 ÷ 100 × 2 = 1.84
    assert PERF_SCORE("100%", "92%", 2, None, "national", None, None, None, None, None, "财政供养人员控制率") == 2.0
    assert PERF_SCORE("100%", "92%", 2, None, "national") == 1.84
    # 调整后 ≥80次 scores (80 → 10); 年初 ≥100次 alone: 80 ÷ 100 × 10 = 8
    assert PERF_SCORE("≥100次", "80次", 10, None, "national", None, None, None, None, None, None, "≥80次") == 10.0
    assert PERF_SCORE(None, "80次", 10, None, "national", None, None, None, None, None, None, None, "≥100次") == 8.0
    assert PERF_SCORE(None, "80次", 10, None, "national", None, None, None, None, None, None, "≥abc").startswith(
        "#无法识别")


def test_budget_score_with_the_initial_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    beijing = load_profile(str(CORPUS / "beijing-2016.toml"))  # denominator 年初预算数, whole points
    monkeypatch.setattr(udfs, "_profile", lambda name: beijing)
    # 154.74 ÷ 310.2 = 0.49884 × 10 = 4.99 → 5 (北京 2016, tests/test_corpus.py)
    assert PERF_BUDGETSCORE(154.74, None, 10, "beijing", 310.2) == 5.0
    assert PERF_BUDGETSCORE(154.74, 200, 10, "beijing") == "—"  # no 年初预算数: no rate
    assert PERF_BUDGETSCORE(154.74, None, 10, "beijing", "三百") == "#无法识别: 三百"


def test_budget_score_default_is_unchanged() -> None:
    assert PERF_BUDGETSCORE(132.61, 133.09, 10) == 9.96  # 132.61 ÷ 133.09 × 10
    assert PERF_BUDGETSCORE(132.61, None, 10) == "—"
    assert PERF_BUDGETSCORE(132.61, 133.09, 10, "default", 3) == 9.96  # 年初 not the denominator here
