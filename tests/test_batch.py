"""Batch mode: a folder of departments' files → one summary workbook (pandas)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import openpyxl
import pytest

from perfxl.batch import SUMMARY_COLUMNS, run_batch, write_summary

from .cli_runner import run
from .conftest import EXAMPLE_JSON, ROOT


@pytest.fixture()
def inbox(tmp_path, example_data):
    folder = tmp_path / "收件箱"
    (folder / "乡镇").mkdir(parents=True)
    (folder / "科协.json").write_text(EXAMPLE_JSON.read_text("utf-8"), encoding="utf-8")
    other = json.loads(json.dumps(example_data))
    other["department"] = other["overall"]["unit_name"] = "=HYPERLINK(\"http://x\",\"点我\")"
    other["overall"]["funds"][0]["actual"] = "133.09"  # 100% executed, printed 100%: no rate error
    (folder / "乡镇" / "其他.json").write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    (folder / "坏文件.json").write_text("{oops", encoding="utf-8")
    (folder / "说明.txt").write_text("not a data file", encoding="utf-8")
    return folder


def test_every_file_is_a_row_and_a_bad_one_does_not_stop_the_run(inbox):
    results = run_batch([inbox])
    assert sorted(r.path.name for r in results) == sorted(["其他.json", "坏文件.json", "科协.json"])  # not 说明.txt
    by_name = {r.path.name: r for r in results}
    assert "JSON 格式错误" in by_name["坏文件.json"].error
    assert by_name["科协.json"].scores.overall.rule_total == Decimal("82.96")  # golden: 9.96 + 73
    assert by_name["其他.json"].scores.overall.execution_rate == 1


def test_summary_workbook_has_both_sheets_and_keeps_text_as_text(inbox, tmp_path):
    results = run_batch([inbox])
    out = write_summary(results, tmp_path / "汇总.xlsx", base=inbox)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", "问题清单", "排名", "图表"]  # issue 11 adds 排名 and 图表
    rows = list(book["汇总"].iter_rows(values_only=True))
    assert rows[0] == SUMMARY_COLUMNS
    by_file = {row[0]: dict(zip(SUMMARY_COLUMNS, row)) for row in rows[1:]}
    kexie = by_file["科协.json"]
    assert kexie["单位"] == "衡山县科学技术协会"
    assert kexie["执行率"] == pytest.approx(132.61 / 133.09)
    assert (kexie["自评总分"], kexie["自评等级"], kexie["规则总分"], kexie["规则等级"]) == (91, "优", 82.96, "良")
    assert kexie["错误"] == 16 and kexie["状态"] == "有错误，需修改"
    assert by_file["坏文件.json"]["状态"].startswith("无法读取")
    # a department name that looks like a formula is written as text, never as a formula
    injected = next(c for c in book["汇总"]["B"] if c.value and str(c.value).startswith("=HYPERLINK"))
    assert injected.data_type == "s"
    issues = list(book["问题清单"].iter_rows(values_only=True))
    assert ("科协.json", "衡山县科学技术协会", "错误", "RATE_MISMATCH") in {row[:4] for row in issues}


def test_summary_is_not_written_over_an_existing_file(inbox, tmp_path):
    target = tmp_path / "汇总.xlsx"
    target.write_bytes(b"keep")
    from perfxl.fileio import InputError

    with pytest.raises(InputError):
        write_summary(run_batch([inbox]), target)
    assert target.read_bytes() == b"keep"


def test_batch_command(inbox, tmp_path):  # a real process: python -m perfxl batch
    out = subprocess.run([sys.executable, "-m", "perfxl", "batch", str(inbox), "-o", str(tmp_path / "s.csv")],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 1  # the example has 错误, and one file cannot be read
    assert "共 3 个文件" in out.stdout and "Traceback" not in out.stderr
    assert (tmp_path / "s.csv").read_text("utf-8-sig").splitlines()[0].split(",")[:3] == ["文件", "单位", "年度"]
    empty = tmp_path / "empty"
    empty.mkdir()
    none = subprocess.run([sys.executable, "-m", "perfxl", "batch", str(empty)], capture_output=True, text=True,
                          cwd=ROOT)
    assert none.returncode == 2 and "没有找到" in none.stderr


def test_batch_never_writes_over_one_of_its_inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    target = folder / "c.xlsx"
    target.write_bytes((ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.xlsm").read_bytes())
    before = target.read_bytes()
    out = run("batch", str(folder), "-o", str(target), "--force")
    assert out.returncode == 2 and "不能作为汇总输出" in out.stderr
    assert target.read_bytes() == before
