"""``core.diff.diff_evaluations`` and ``perfxl diff`` (issue 10, item 6)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

from perfxl.core.diff import Change, change_json, describe, diff_evaluations
from perfxl.core.model import Indicator
from perfxl.core.nextyear import next_year
from tests.cli_runner import ROOT, run

EXAMPLE_JSON = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.json"


def _data(changes: list[Change]) -> list[Change]:
    return [c for c in changes if c.kind != "score"]


def test_same_data_no_change(example, default_profile):
    assert diff_evaluations(example, copy.deepcopy(example), default_profile) == []


def test_successor_lists_the_carried_over_changes(example, default_profile):
    changes = diff_evaluations(example, next_year(example), default_profile)
    by_path = {c.path: c for c in changes}
    assert by_path["year"] == Change("year", "年度", 2023, 2024)
    # last year's 决算数 moved into 上年决算数 (附件一 of the example: 三公经费 0.14 → 0.44 …)
    moved = by_path["basic.three_public.prior_actual"]
    assert (moved.label, moved.old, moved.new) == ("附件1 基础数据表 三公经费 上年决算数", Decimal("0.14"), Decimal("0.44"))
    assert by_path["basic.project_items[0].prior_actual"].new == Decimal("42.73")
    # this year's figures cleared
    assert (by_path["basic.three_public.actual"].old, by_path["basic.three_public.actual"].new) == (Decimal("0.44"), None)
    assert by_path["overall.funds[0].actual"].old == Decimal("132.61") and by_path["overall.funds[0].actual"].new is None
    assert by_path["overall.indicators[0].self_score"].new is None
    assert by_path["overall.indicators[2].name"].new == "2024年度"  # renamed, still matched
    # indicators, targets, weights and projects carried: nothing added or removed but narrative items
    assert {c.path.split("[")[0] for c in changes if c.kind in ("added", "removed")} == {
        "narrative.achievements", "narrative.problems", "narrative.measures"}
    assert not any(c.path.endswith((".target", ".weight")) and c.path.startswith("overall") for c in changes)
    # scores through the core's scoring: the blank year scores 0 (差)
    assert by_path["scores.overall.rule_total"].new == 0 and by_path["scores.overall.grade"].new == "差"
    assert by_path["scores.overall.execution_rate"].old == "99.64%"


def test_hand_made_change_shows_exactly_it(example, default_profile):
    edited = copy.deepcopy(example)
    edited.overall.indicators[0].target = "8次"
    added = Indicator("产出指标", "数量指标", "科普讲座", "4场", "4场", Decimal(2), Decimal(2))
    edited.overall.indicators.insert(1, added)  # in the middle: matching is by name, not position
    changes = diff_evaluations(example, edited, default_profile)
    assert _data(changes) == [
        Change("overall.indicators[0].target", "附件2 整体自评表 数量指标“举办科普活动、其他科学技术普及等活动” 年度指标值",
               "6次", "8次"),
        Change("overall.indicators[1]", "附件2 整体自评表 数量指标“科普讲座”", None, "科普讲座（年度指标值 4场，分值 2）",
               "added"),
    ]
    assert {c.path for c in changes if c.kind == "score"} >= {"scores.overall.rule_total"}


def test_projects_matched_by_name(example, default_profile):
    edited = copy.deepcopy(example)
    extra = copy.deepcopy(example.projects[0])
    extra.name = "科普基地建设"
    edited.projects.insert(0, extra)
    changes = _data(diff_evaluations(example, edited, default_profile))
    assert [(c.path, c.kind, c.new) for c in changes] == [("projects[0]", "added", "科普基地建设（9 个指标）")]
    removed = _data(diff_evaluations(edited, example))
    assert [(c.path, c.kind, c.old) for c in removed] == [("projects[0]", "removed", "科普基地建设（9 个指标）")]


def test_describe_and_json():
    change = Change("basic.reception.prior_actual", "附件1 基础数据表 3、公务接待 上年决算数", Decimal("0.14"), None)
    assert describe(change) == "附件1 基础数据表 3、公务接待 上年决算数：0.14 → （空）"
    assert change_json(change) == {"path": "basic.reception.prior_actual", "label": change.label,
                                   "kind": "changed", "old": "0.14", "new": None}
    assert describe(Change("duties[3]", "部门主要职责", None, "新职责", "added")) == "新增 部门主要职责：新职责"


def test_cli_diff_text_and_json(tmp_path):
    successor = tmp_path / "2024.json"
    assert run("new", "--from", str(EXAMPLE_JSON), "-o", str(successor)).returncode == 0
    ran = run("diff", str(EXAMPLE_JSON), str(successor))
    assert ran.returncode == 0, ran.stderr
    assert "年度：2023 → 2024" in ran.stdout
    assert "附件1 基础数据表 三公经费 上年决算数：0.14 → 0.44" in ran.stdout
    assert "[评分] 附件2 整体自评表 规则等级：良 → 差" in ran.stdout
    data = json.loads(run("diff", str(EXAMPLE_JSON), str(successor), "--json").stdout)
    assert {"path": "basic.three_public.prior_actual", "label": "附件1 基础数据表 三公经费 上年决算数",
            "kind": "changed", "old": "0.14", "new": "0.44"} in data
    same = run("diff", str(EXAMPLE_JSON), str(EXAMPLE_JSON))
    assert same.returncode == 0 and "相同" in same.stdout


def test_an_added_row_quotes_the_target_that_scores_by_its_own_name(example, default_profile):
    """A row of a form printing 调整后指标值 (or only 年初指标值) is summed up by that value, so named."""
    edited = copy.deepcopy(example)
    adjusted = Indicator("产出指标", "数量指标", "科普讲座", "4场", "5场", Decimal(2), Decimal(2), adjusted_target="5场")
    initial = Indicator("产出指标", "数量指标", "科普展览", "", "2次", Decimal(2), Decimal(2), initial_target="2次")
    edited.overall.indicators[1:1] = [adjusted, initial]
    added = [c.new for c in diff_evaluations(example, edited, default_profile) if c.kind == "added"]
    assert added == ["科普讲座（调整后指标值 5场，分值 2）", "科普展览（年初指标值 2次，分值 2）"]
