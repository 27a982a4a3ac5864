"""The review workbook, the CSV, incremental runs and the progress line of ``perfxl batch``."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from decimal import Decimal

import openpyxl
import pytest

from perfxl.batch import SUMMARY_COLUMNS, run_batch, summarize, write_summary
from perfxl.batch.progress import Progress
from perfxl.batch.summary_csv import escape_cell

from .cli_runner import run
from .conftest import EXAMPLE_JSON, ROOT

EXAMPLE_XLSM = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.xlsm"
INJECTED = "=HYPERLINK(\"http://x\",\"点我\")"


@pytest.fixture()
def mixed(tmp_path, example_data):
    """Good workbooks and data files, damaged ones, a name with spaces and Chinese, a nested folder."""
    inbox = tmp_path / "收件箱"
    nested = inbox / "乡镇" / "二级"
    nested.mkdir(parents=True)
    shutil.copy(EXAMPLE_XLSM, inbox / "衡山 科协 2023.xlsm")
    shutil.copy(EXAMPLE_XLSM, nested / "kexie.xlsm")
    shutil.copy(EXAMPLE_XLSM, inbox / "无宏.xlsx")  # a macro-free name for the same content
    shutil.copy(EXAMPLE_JSON, inbox / "科协.json")
    other = json.loads(json.dumps(example_data))
    other["department"] = other["overall"]["unit_name"] = INJECTED
    (nested / "其他.json").write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    (inbox / "坏文件.json").write_text("{oops", encoding="utf-8")
    (inbox / "截断.xlsm").write_bytes(EXAMPLE_XLSM.read_bytes()[:5000])
    (inbox / "空.xlsx").write_bytes(b"")
    (inbox / "乱码.xlsm").write_bytes(bytes(range(256)) * 40)
    (inbox / "说明.txt").write_text("not a data file", encoding="utf-8")
    return inbox


EXPECTED = {"衡山 科协 2023.xlsm", "乡镇/二级/kexie.xlsm", "无宏.xlsx", "科协.json", "乡镇/二级/其他.json",
            "坏文件.json", "截断.xlsm", "空.xlsx", "乱码.xlsm"}


def _injected_inbox(tmp_path, example_data, name):
    """A folder holding one data file, *name*, whose department is a formula-looking text."""
    folder = tmp_path / "in"
    folder.mkdir()
    other = json.loads(json.dumps(example_data))
    other["department"] = other["overall"]["unit_name"] = INJECTED
    (folder / name).write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    return folder


def _no_formula_anywhere(book):
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} holds a formula: {cell.value!r}"


def test_a_mixed_inbox_gives_one_row_per_file_and_a_review_workbook(mixed, tmp_path):
    out = tmp_path / "汇总.xlsx"
    outcome = summarize([mixed], out, state=None)
    assert outcome.total == len(EXPECTED) and outcome.output == out
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", "问题清单", "排名", "图表"]
    rows = list(book["汇总"].iter_rows(values_only=True))
    assert rows[0] == SUMMARY_COLUMNS
    by_file = {row[0]: dict(zip(SUMMARY_COLUMNS, row)) for row in rows[1:]}
    assert set(by_file) == EXPECTED  # nothing lost, nothing twice
    for name in ("坏文件.json", "截断.xlsm", "空.xlsx", "乱码.xlsm"):
        assert by_file[name]["读取"] == "无法读取" and by_file[name]["状态"].startswith("无法读取："), name
    for name in ("衡山 科协 2023.xlsm", "乡镇/二级/kexie.xlsm", "科协.json"):
        assert by_file[name]["读取"] == "已读取" and by_file[name]["规则总分"] == pytest.approx(82.96), name
    assert by_file["乡镇/二级/其他.json"]["单位"] == INJECTED  # text, see below
    _no_formula_anywhere(book)
    for title, frozen in (("汇总", "B2"), ("问题清单", "A2"), ("排名", "A2")):
        assert book[title].freeze_panes == frozen and book[title].auto_filter.ref, title
    assert len(book["图表"]._charts) == 3  # grades, execution rates, self vs rule
    issues = book["问题清单"]
    assert [c.value for c in issues[1]] == ["文件", "单位", "严重程度", "代码", "表格", "位置", "工作表", "单元格",
                                           "说明", "应为", "实为"]
    linked = [row[0] for row in issues.iter_rows(min_row=2) if row[0].value == "衡山 科协 2023.xlsm"]
    assert linked and all(c.hyperlink is not None for c in linked)
    sheet_cell = next(row for row in issues.iter_rows(min_row=2, values_only=True)
                      if row[0] == "衡山 科协 2023.xlsm" and row[6])
    assert sheet_cell[7]  # a workbook's finding names its sheet and cell
    ranking = list(book["排名"].iter_rows(values_only=True))
    assert ranking[0][:3] == ("名次", "单位", "文件")
    ranked = ranking[1:]
    assert len(ranked) == sum(1 for r in by_file.values() if r["规则总分"] is not None)
    assert [r[4] for r in ranked] == sorted((r[4] for r in ranked), reverse=True)
    top = ranked[0]  # the injected-name copy has a 100% execution rate, hence the higher rule total
    assert top[0] == 1 and top[8] == pytest.approx(top[6] - top[4])


def test_a_formula_looking_name_stays_text_in_every_sheet(tmp_path, example_data):
    folder = _injected_inbox(tmp_path, example_data, "=cmd.json")
    out = write_summary(run_batch([folder]), tmp_path / "s.xlsx", base=folder)
    book = openpyxl.load_workbook(out)
    _no_formula_anywhere(book)
    assert book["汇总"]["A2"].value == "=cmd.json" and book["汇总"]["B2"].value == INJECTED
    assert book["排名"]["B2"].value == INJECTED


def test_the_findings_continue_on_further_sheets_before_the_row_limit(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        shutil.copy(EXAMPLE_JSON, folder / f"{n}.json")
    results = run_batch([folder])
    total = sum(len(r.findings) for r in results)  # 38 a file (golden: `perfxl check` of the example)
    assert total == 3 * 38
    book = openpyxl.load_workbook(write_summary(results, tmp_path / "s.xlsx", base=folder, max_rows=50))
    sheets = [ws for ws in book.worksheets if ws.title.startswith("问题清单")]
    assert [ws.title for ws in sheets] == ["问题清单", "问题清单(2)", "问题清单(3)"]
    assert all(ws.max_row <= 50 and ws["A1"].value == "文件" and ws.auto_filter.ref for ws in sheets)
    assert sum(ws.max_row - 1 for ws in sheets) == total


def test_csv_escapes_text_that_a_spreadsheet_would_run():
    for text in ("=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert escape_cell(text) == "'" + text
    assert escape_cell("衡山县科协") == "衡山县科协"
    assert escape_cell(Decimal("-5.00")) == Decimal("-5.00") and escape_cell(-3) == -3  # numbers are data


def test_csv_summary_has_the_escaped_name(tmp_path, example_data):
    folder = _injected_inbox(tmp_path, example_data, "a.json")
    out = write_summary(run_batch([folder]), tmp_path / "s.csv", base=folder)
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
    assert rows[0] == list(SUMMARY_COLUMNS)
    assert rows[1][1] == "'" + INJECTED and rows[1][0] == "a.json"


def test_a_rerun_skips_unchanged_files_and_counts_the_changes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.json", "b.json", "c.json"):
        shutil.copy(EXAMPLE_JSON, folder / name)
    out, state = tmp_path / "汇总.xlsx", tmp_path / "汇总.xlsx.perfxl-state.jsonl"
    first = summarize([folder], out, state=state)
    assert first.changes is not None and (first.changes.new, first.changes.unchanged) == (3, 0)
    assert first.state == state and state.exists()
    fresh: list[bool] = []
    again = summarize([folder], out, state=state, overwrite=True, on_result=lambda r, reused: fresh.append(reused))
    assert again.changes is not None and (again.changes.new, again.changes.unchanged) == (0, 3)
    assert fresh == [True, True, True]
    data = json.loads((folder / "b.json").read_text("utf-8"))
    data["overall"]["funds"][0]["actual"] = "133.09"
    (folder / "b.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (folder / "c.json").unlink()
    shutil.copy(EXAMPLE_JSON, folder / "d.json")
    third = summarize([folder], out, state=state, overwrite=True)
    assert third.changes is not None
    assert (third.changes.new, third.changes.changed, third.changes.removed, third.changes.unchanged) == (1, 1, 1, 1)
    rows = {r[0]: r for r in openpyxl.load_workbook(out)["汇总"].iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"a.json", "b.json", "d.json"}
    assert rows["a.json"][10] == pytest.approx(82.96)  # reused record, same golden total
    assert rows["b.json"][7] == 1  # re-read: now 100% executed
    listed = [r[0] for r in openpyxl.load_workbook(out)["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert listed == sorted(listed) and set(listed) == {"a.json", "b.json", "d.json"}  # reused and new, in order
    other = summarize([folder], out, state=state, overwrite=True, profile="strict")
    assert other.changes is not None and other.changes.unchanged == 0  # another profile: nothing reused


def test_a_damaged_state_file_means_a_full_run(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLE_JSON, folder / "a.json")
    state = tmp_path / "s.jsonl"
    state.write_text("{not json\n", encoding="utf-8")
    outcome = summarize([folder], None, state=state)
    assert outcome.changes is not None and outcome.changes.new == 1
    assert json.loads(state.read_text("utf-8").splitlines()[0])["format"] == "perfxl-batch-state/1"


def test_progress_line_only_on_a_terminal():
    quiet = io.StringIO()
    p = Progress(2, stream=quiet)
    p.update()
    p.update(failed=True)
    p.close()
    assert quiet.getvalue() == ""  # a StringIO is not a terminal
    shown = io.StringIO()
    p = Progress(2, stream=shown, enabled=True)
    p.update(failed=True)
    p.update()
    p.close()
    text = shown.getvalue()
    assert "已处理 2/2 个文件" in text and "个/秒" in text and "失败 1 个" in text and text.endswith("\n")


def test_batch_command_with_jobs_limits_and_state(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLE_JSON, folder / "a.json")
    shutil.copy(EXAMPLE_XLSM, folder / "b.xlsm")
    out = tmp_path / "汇总.xlsx"
    first = run("batch", str(folder), "-o", str(out), "--jobs", "2", "--timeout", "60", "--memory", "1024")
    assert first.returncode == 1 and "共 2 个文件" in first.stdout and "新增 2 个" in first.stdout
    assert first.stderr == ""  # not a terminal: no progress line
    assert (tmp_path / "汇总.xlsx.perfxl-state.jsonl").exists()
    second = run("batch", str(folder), "-o", str(out), "--force", "-q")
    assert "未改动 2 个" in second.stdout and "沿用上次结果" in second.stdout
    wrong = run("batch", str(folder), "--jobs", "x")
    assert wrong.returncode == 2


def test_findings_links_stop_at_the_budget_and_the_rows_go_on(tmp_path, monkeypatch):
    from perfxl.batch import summary_xlsx

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLE_XLSM, folder / "a.xlsm")
    shutil.copy(EXAMPLE_XLSM, folder / "b.xlsm")
    monkeypatch.setattr(summary_xlsx, "FINDING_LINKS", 5)
    book = openpyxl.load_workbook(write_summary(run_batch([folder]), tmp_path / "s.xlsx", base=folder))
    cells = [row[0] for row in book["问题清单"].iter_rows(min_row=2)]
    assert len(cells) == 2 * 38 and sum(c.hyperlink is not None for c in cells) == 5
    first = cells[0].hyperlink
    assert first.target.endswith("a.xlsm") and first.location and "!" in first.location  # opens the cell
    assert all(c.hyperlink is not None for c in book["汇总"]["A"][1:])  # 汇总 links every file


def test_records_reach_the_findings_list_in_the_summary_order_whatever_order_they_finish(tmp_path):
    """``InOrder``: early records wait (in memory up to *keep*, then in the spool); a path given twice takes both turns.
    A spool that keeps its records in memory (``keep=True``) gives them back the same way."""
    import random

    from perfxl.batch.records import FileResult, to_json
    from perfxl.batch.spool import InOrder, Spool

    paths = [tmp_path / f"{name}.json" for name in ("c", "a", "e", "b", "d")] + [tmp_path / "a.json"]
    records = [FileResult(p, error=f"坏文件 {i}", failure="unreadable") for i, p in enumerate(paths)]
    for keep, in_memory in ((0, False), (1, False), (100, False), (0, True)):
        arrival = records[:]
        random.Random(keep).shuffle(arrival)
        seen: list[tuple[str, str]] = []
        with Spool(tmp_path, keep=in_memory) as spool:
            feed = InOrder(spool, spool.order(paths), lambda row, record, seen=seen: seen.append((row.name, record.error)))
            for record in arrival:
                feed.arrived(record, spool.add(record))
            stored = list(spool.records())  # read back (or kept) as they were added, in the summary's order
            assert [r.path.name for r, _ in stored] == sorted(r.path.name for r in records)
            assert sorted(r.error for r, _ in stored) == sorted(r.error for r in records)
            assert all(data == to_json(r) for r, data in stored)
        assert [name for name, _ in seen] == ["a.json", "a.json", "b.json", "c.json", "d.json", "e.json"]
        assert sorted(error for _, error in seen) == sorted(r.error for r in records)  # each record once


def test_the_streamed_review_workbook_equals_the_one_written_afterwards(tmp_path):
    """``perfxl batch`` writes 问题清单 while two workers finish files in any order; the
    workbook equals ``write_summary`` of the same records (held in memory, ``Spool(keep=True)``)."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(6):
        shutil.copy(EXAMPLE_XLSM if n % 2 else EXAMPLE_JSON, folder / f"{n}{'.xlsm' if n % 2 else '.json'}")
    (folder / "3.xlsm").write_bytes(b"broken")
    from perfxl.batch.pool import Limits

    summarize([folder], tmp_path / "streamed.xlsx", limits=Limits(jobs=2))
    write_summary(run_batch([folder]), tmp_path / "after.xlsx", base=folder)

    def cells(path):
        book = openpyxl.load_workbook(path)
        return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets}

    streamed, after = cells(tmp_path / "streamed.xlsx"), cells(tmp_path / "after.xlsx")
    assert list(streamed) == ["汇总", "问题清单", "排名", "图表"]
    assert streamed == after
    assert len(streamed["问题清单"]) > 1 + 2 * 38  # three workbooks' findings at least


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_workers_start_without_pandas_although_the_review_workbook_is_open(tmp_path):
    """The parent opens the review workbook before the workers start, but imports pandas only to
    finish it: a forked worker would copy pandas' pages (numpy's too) as its garbage collector walks them."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLE_XLSM, folder / "a.xlsm")
    seen = tmp_path / "modules.txt"
    script = ("import sys; from perfxl.batch import summarize; from tests.test_batch_hooks import note_heavy_modules;"
              f"summarize([{str(folder)!r}], {str(tmp_path / 's.xlsx')!r}, initializer=note_heavy_modules,"
              f" initargs=({str(seen)!r},))")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True)
    assert seen.read_text(encoding="utf-8") == ""
    assert (tmp_path / "s.xlsx").exists()


@pytest.mark.parametrize("stop", [KeyboardInterrupt, BrokenPipeError])
def test_a_batch_stopped_midway_leaves_nothing_behind_and_says_what_stopped_it(tmp_path, monkeypatch, stop):
    """Ctrl+C or a closed terminal while files are read: that error itself (not "cannot write the
    summary"), no output folder or file, and none of XlsxWriter's temporary files."""
    import tempfile

    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(4):
        shutil.copy(EXAMPLE_JSON, folder / f"{n}.json")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    seen = []

    def on_result(record, reused):
        seen.append(record)
        if len(seen) == 2:
            raise stop()

    out = tmp_path / "out" / "汇总.xlsx"
    with pytest.raises(stop):
        summarize([folder], out, on_result=on_result)
    assert not out.parent.exists()
    assert list(scratch.iterdir()) == []
