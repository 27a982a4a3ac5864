"""Next year from last year: ``core.nextyear.next_year`` and ``perfxl new --from`` (issue 10, item 6)."""

from __future__ import annotations

import copy
import dataclasses
import json
from decimal import Decimal

import pytest

from perfxl.core.model import CostRow
from perfxl.core.nextyear import next_year
from perfxl.core.serde import evaluation_to_dict
from tests.cli_runner import ROOT, run

EXAMPLE_XLSM = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.xlsm"
EXAMPLE_JSON = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.json"

#: the codes a freshly started year may have: each says a value is not filled in yet
NOT_YET_FILLED = {"MISSING_FIELD", "VALUE_MISSING", "SCORE_MISSING", "FUND_SCORE_BLANK", "TABLE_UNFILLED",
                  "TIER_REQUIRED"}
#: carried from last year's data, not caused by the blanks: "无" indicators that keep a weight
#: (the 2023 example has the same five findings; the department should move those weights)
CARRIED = {"NOT_APPLICABLE_WEIGHTED"}


def _cost_rows(basic) -> list[tuple[str, CostRow]]:
    rows = []
    for f in dataclasses.fields(basic):
        value = getattr(basic, f.name)
        if isinstance(value, CostRow):
            rows.append((f.name, value))
        elif isinstance(value, list):
            rows += [(f"{f.name}[{i}]", v) for i, v in enumerate(value) if isinstance(v, CostRow)]
    return rows


def test_next_year_is_pure_and_moves_every_cost_row(example):
    before = copy.deepcopy(evaluation_to_dict(example))
    new = next_year(example)
    assert evaluation_to_dict(example) == before  # last year's record is untouched
    assert new.year == 2024 and new.department == example.department and new.duties == example.duties
    assert new.duties is not example.duties
    old_rows, new_rows = _cost_rows(example.basic), _cost_rows(new.basic)
    assert [p for p, _ in old_rows] == [p for p, _ in new_rows]
    for (path, old), (_, row) in zip(old_rows, new_rows, strict=True):
        moved = old.actual if isinstance(old.actual, Decimal) else None
        assert (row.label, row.prior_actual, row.budget, row.actual) == (old.label, moved, None, None), path
    assert new.basic.three_public.prior_actual == Decimal("0.44")  # 附件一 2023年决算数 of the example
    assert new.basic.procurement.prior_actual is None  # "——" moves as blank


def test_next_year_carries_indicators_and_clears_results(example):
    new = next_year(example)
    for old_table, table in [(example.overall, new.overall), *zip(example.projects, new.projects, strict=True)]:
        assert [(i.level1, i.level2, i.weight) for i in table.indicators] == \
               [(i.level1, i.level2, i.weight) for i in old_table.indicators]
        assert all(i.actual == "" and i.self_score is None and i.deviation == "" and i.tier == ""
                   for i in table.indicators)
        assert table.goal_expected == old_table.goal_expected and table.goal_actual == ""
        assert table.level1_weights == old_table.level1_weights
        assert table.printed_total_score is None
        assert [(f.label, f.weight) for f in table.funds] == [(f.label, f.weight) for f in old_table.funds]
        assert all((f.initial_budget, f.full_year_budget, f.actual, f.printed_rate, f.self_score)
                   == (None,) * 5 for f in table.funds)
    assert [i.name for i in new.overall.indicators][2] == "2024年度"  # the 时效指标 names the year
    assert [i.target for i in new.projects[0].indicators][2] == "2024年"
    assert new.overall.indicators[0].target == "6次"
    assert new.staffing.basis == example.staffing.basis and new.staffing.authorized == Decimal(8)
    assert new.staffing.actual is None and new.expenditure.personnel is None
    assert new.narrative.achievements == [] and new.narrative.problems == [] and new.narrative.overall_completion == ""
    assert new.narrative.disclosure == example.narrative.disclosure


@pytest.fixture(scope="module")
def successor(tmp_path_factory):
    """``perfxl new --from`` the example workbook: next year's workbook."""
    out = tmp_path_factory.mktemp("nextyear") / "hengshan-kexie-2024.xlsm"
    ran = run("new", "--from", str(EXAMPLE_XLSM), "-o", str(out))
    assert ran.returncode == 0, ran.stderr
    assert "下一年度工作簿" in ran.stdout
    return out


def test_new_from_workbook_passes_check_with_only_not_yet_filled(successor):
    ran = run("check", str(successor), "--json")
    findings = json.loads(ran.stdout)
    codes = {f["code"] for f in findings}
    assert codes == NOT_YET_FILLED | CARRIED
    # the carried findings are exactly last year's (none is caused by next_year)
    last = json.loads(run("check", str(EXAMPLE_XLSM), "--json").stdout)
    carried = sorted(f["path"] for f in findings if f["code"] in CARRIED)
    assert carried == sorted(f["path"] for f in last if f["code"] in CARRIED) and len(carried) == 5


def test_new_from_workbook_reads_back_as_next_year(successor):
    from perfxl.fileio import load

    data = load(successor).evaluation
    assert data.year == 2024 and data.department == "衡山县科学技术协会"
    assert data.basic.three_public.prior_actual == Decimal("0.44")
    assert data.basic.project_items[0].prior_actual == Decimal("42.73")
    assert data.basic.three_public.actual is None and data.overall.funds[0].actual is None
    assert data.overall.indicators[0].target == "6次" and data.overall.indicators[0].actual == ""


def test_new_from_json_to_json_and_refusals(tmp_path):
    out = tmp_path / "next.json"
    assert run("new", "--from", str(EXAMPLE_JSON), "-o", str(out)).returncode == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["year"] == 2024 and data["basic"]["reception"]["prior_actual"] == "0.44"
    assert run("new", "--from", str(EXAMPLE_JSON), "-o", str(out)).returncode == 2  # exists: no --force
    assert run("new", "--from", str(EXAMPLE_JSON), "-o", str(tmp_path / "x.docx")).returncode == 2
    assert run("new", "--from", str(tmp_path / "missing.json"), "-o", str(tmp_path / "y.json")).returncode == 2
    blank = tmp_path / "blank.json"
    blank.write_text(json.dumps({"format": "perfxl/evaluation", "version": 1}), encoding="utf-8")
    ran = run("new", "--from", str(blank), "-o", str(tmp_path / "z.json"))
    assert ran.returncode == 2 and "年度" in ran.stderr


def test_new_from_no_macros_gives_xlsx(tmp_path):
    out = tmp_path / "next.xlsx"
    ran = run("new", "--from", str(EXAMPLE_JSON), "-o", str(out), "--no-macros")
    assert ran.returncode == 0, ran.stderr
    assert out.is_file()


def test_diff_between_the_workbooks_lists_the_carried_over_changes(successor):
    data = json.loads(run("diff", str(EXAMPLE_XLSM), str(successor), "--json").stdout)
    by_path = {c["path"]: c for c in data}
    assert (by_path["year"]["old"], by_path["year"]["new"]) == (2023, 2024)
    assert (by_path["basic.reception.prior_actual"]["old"], by_path["basic.reception.prior_actual"]["new"]) == ("0.14", "0.44")
    assert by_path["overall.funds[0].full_year_budget"] == {
        "path": "overall.funds[0].full_year_budget", "label": "附件2 整体自评表 年度资金总额 全年预算数",
        "kind": "changed", "old": "133.09", "new": None}
    assert not [c for c in data if c["kind"] in ("added", "removed") and "indicators" in c["path"]]
