"""``perfxl diff`` in the terminal between two years (issue 10 audit): the carried-over
changes are listed, this year's blank figures are counted per table, not listed one
a line (``--all`` lists them; ``--json`` always has every change)."""

from __future__ import annotations

import json
import re

import pytest

from .cli_runner import run
from .conftest import EXAMPLE_JSON


@pytest.fixture(scope="module")
def successor(tmp_path_factory):
    path = tmp_path_factory.mktemp("diff") / "2024.json"
    assert run("new", "--from", str(EXAMPLE_JSON), "-o", str(path)).returncode == 0
    return path


def test_next_year_lists_the_carried_changes_and_counts_the_blanks(successor):
    ran = run("diff", str(EXAMPLE_JSON), str(successor))
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    total = int(re.match(r"共 (\d+) 处变化", lines[0]).group(1))
    assert total == len(json.loads(run("diff", str(EXAMPLE_JSON), str(successor), "--json").stdout))
    # the carried-over changes, one a line (附件一: last year's 决算数 0.44 moved into 上年决算数)
    assert "  附件1 基础数据表 三公经费 上年决算数：0.14 → 0.44" in lines
    assert "  附件2 整体自评表 时效指标“2024年度” 三级指标：2023年度 → 2024年度" in lines
    assert "  [评分] 附件2 整体自评表 规则等级：良 → 差（右边此表尚未填写，按 0 分计）" in lines
    # no line for a figure left blank, nor for a removed paragraph
    assert not [line for line in lines if line.endswith("→ （空）") or line.startswith("  删除 报告正文")]
    at = next(i for i, line in enumerate(lines) if line.startswith("另有 "))
    cleared = int(re.match(r"另有 (\d+) 处", lines[at]).group(1))
    counts = {m.group(1): int(m.group(2)) for line in lines[at + 1:] if (m := re.match(r"  (.+)：(\d+) 处$", line))}
    assert sum(counts.values()) == cleared and cleared == total - (at - 1)
    assert {"附件1 基础数据表", "附件2 整体自评表", "附件3 项目自评表（业务经费）", "报告正文"} <= set(counts)
    assert len(lines) < 30  # against 140 lines, one per change


def test_all_lists_every_change_in_full(successor):
    ran = run("diff", str(EXAMPLE_JSON), str(successor), "--all")
    lines = ran.stdout.splitlines()
    total = int(re.match(r"共 (\d+) 处变化", lines[0]).group(1))
    assert len(lines) == total + 1 and not any(line.startswith("另有 ") for line in lines)
    assert "  附件2 整体自评表 年度资金总额 全年执行数：132.61 → （空）" in lines
    assert any(line.startswith("  删除 报告正文 主要绩效：举荐科技人才。") and len(line) > 100 for line in lines)


def test_a_long_text_is_shortened_in_the_terminal_only(tmp_path):
    data = json.loads(EXAMPLE_JSON.read_text("utf-8"))
    data["narrative"]["other"] = "无。" + "另需说明的情况" * 20
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    line = next(x for x in run("diff", str(EXAMPLE_JSON), str(edited)).stdout.splitlines() if "其他需要说明的情况" in x)
    assert line.endswith("……") and len(line) < 80
    (change,) = [c for c in json.loads(run("diff", str(EXAMPLE_JSON), str(edited), "--json").stdout)
                 if c["path"] == "narrative.other"]
    assert change["new"] == data["narrative"]["other"]


def test_a_blank_fund_score_of_a_new_year_names_no_rule_score(successor, example, default_profile):
    from perfxl.core.checker import check

    found = [f for f in json.loads(run("check", str(successor), "--json").stdout) if f["code"] == "FUND_SCORE_BLANK"]
    assert found and all(f["message"].endswith("自评得分却为空。") and "—" not in f["message"] for f in found)
    # with a 执行率 the rule score is named: 132.61 ÷ 133.09 × 10 = 9.96 (tests/test_golden_example.py)
    example.overall.funds[0].self_score = None
    (blank,) = [f for f in check(example, default_profile) if f.code == "FUND_SCORE_BLANK"]
    assert blank.message.endswith("按规则应为 9.96。")
