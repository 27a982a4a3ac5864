"""Parse once (issue 7): an indicator's 年度指标值 / 实际完成值 is read in one place per
assessment, ``scoring.score_indicator_row``, and the parsed values travel on
``IndicatorScore.target`` / ``.actual`` to the checker, suggestions and report."""

from __future__ import annotations

import ast
from decimal import Decimal

import pytest

from perfxl.core import scoring
from perfxl.core.assessment import assess
from perfxl.core.rules import indicator as rules_indicator
from perfxl.core.values import ParsedValue, ValueKind, parse_value

from .conftest import ROOT


def test_scores_carry_the_parsed_values(example, default_profile):
    scores = scoring.score_evaluation(example, default_profile)
    rows = [s for table in scores.tables for s in table.indicators]
    assert len(rows) == 18  # the example: 9 indicators in 附件二, 9 in 附件三
    for s in rows:
        assert isinstance(s.target, ParsedValue) and isinstance(s.actual, ParsedValue)
        assert s.target == parse_value(s.indicator.target)
        assert s.actual == parse_value(s.indicator.actual)
        assert s.target.raw == s.indicator.target and s.actual.raw == s.indicator.actual
    # 附件三 可持续影响: "无" → "120万次" (domain.md, "Consistency rules", 7)
    contradiction = scores.projects[0].indicators[7]
    assert contradiction.target.kind is ValueKind.NOT_APPLICABLE
    assert (contradiction.actual.kind, contradiction.actual.number, contradiction.actual.unit) == (
        ValueKind.NUMBER, Decimal(120), "万次")


def test_an_assessment_reads_each_value_cell_once(example, default_profile, monkeypatch):
    calls: list[object] = []
    real = scoring.parse_value_cached

    def counting(raw):
        calls.append(raw)
        return real(raw)

    def refuse(raw):  # the rules get ParsedValues from scoring and must not read text again
        pytest.fail(f"rules re-read an indicator value: {raw!r}")

    monkeypatch.setattr(scoring, "parse_value_cached", counting)
    monkeypatch.setattr(rules_indicator, "parse_value_cached", refuse)
    monkeypatch.setattr(rules_indicator, "parse_value", refuse)
    result = assess(example, default_profile)
    indicators = [row for table in (example.overall, *example.projects) for row in table.indicators]
    assert calls == [value for row in indicators for value in (row.target, row.actual)]
    assert result.findings  # the example's known findings were still produced


# the parser and the one stage that calls it; the UDFs (perfxl/udfs.py) read a raw Excel
# argument, not a model row, and are outside this scan
_MAY_PARSE = {"perfxl/core/values.py", "perfxl/core/scoring.py", "perfxl/core/rules/indicator.py"}


def test_no_later_stage_calls_the_parser():
    offenders = []
    paths = [*(ROOT / "perfxl" / "core").rglob("*.py"), *(ROOT / "perfxl" / "report").rglob("*.py"),
             ROOT / "perfxl" / "present.py"]
    for path in sorted(paths):
        rel = path.relative_to(ROOT).as_posix()
        if rel in _MAY_PARSE or not path.exists():
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            name = (node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute)
                    else None)
            if name in ("parse_value", "parse_value_cached"):
                offenders.append(f"{rel}:{node.lineno}")
    assert offenders == []
