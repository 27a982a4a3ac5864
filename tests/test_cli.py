"""The perfxl command: exit codes, JSON output, and bad input without tracebacks.

Most tests run the command in process (``cli_runner.run``); those marked "a real
process" keep ``python -m perfxl`` to prove the exit code and the absence of a traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .cli_runner import run, run_subprocess
from .conftest import EXAMPLE_JSON, ROOT

REQUIRED_KEYS = {"code", "severity", "table", "location", "message", "expected", "actual"}


def test_check_example_exits_1_and_lists_errors():  # a real process: python -m perfxl
    out = run_subprocess("check", str(EXAMPLE_JSON))
    assert out.returncode == 1, out.stderr
    assert "RATE_MISMATCH" in out.stdout
    assert "99.64%" in out.stdout
    assert "Traceback" not in out.stderr


def test_check_json_is_a_list_of_findings():
    out = run("check", str(EXAMPLE_JSON), "--json")
    findings = json.loads(out.stdout)
    assert isinstance(findings, list) and findings
    for finding in findings:
        assert REQUIRED_KEYS <= set(finding)
        assert finding["severity"] in {"错误", "警告", "提示"}


def test_score_json_gives_the_example_rates():
    out = run("score", str(EXAMPLE_JSON), "--json")
    assert out.returncode == 0, out.stderr
    tables = json.loads(out.stdout)["tables"]
    # 132.61 ÷ 133.09 and 42.73 ÷ 43.27, from the seed's 附件二 and 附件三
    assert [t["execution_rate_display"] for t in tables] == ["99.64%", "98.75%"]


def test_profile_override_changes_the_profile():
    out = run("score", str(EXAMPLE_JSON), "--json", "--profile", "strict")
    assert json.loads(out.stdout)["profile"] == "strict"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{broken", "JSON 格式错误"),
        ('{"overall": []}', "overall"),
        ('{"year": "x"}', "year"),
        ("[1, 2]", "应为对象"),
    ],
)
def test_unreadable_data_files_exit_2_with_a_chinese_message(tmp_path, content, words):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    out = run("check", str(bad))
    assert out.returncode == 2
    assert words in out.stderr
    assert "Traceback" not in out.stderr


def test_missing_file_and_wrong_type_exit_2(tmp_path):
    assert run("check", str(tmp_path / "nope.json")).returncode == 2
    other = tmp_path / "data.csv"
    other.write_text("a,b", encoding="utf-8")
    out = run("check", str(other))
    assert out.returncode == 2 and "不支持的文件类型" in out.stderr


def test_unknown_profile_exits_2(tmp_path):
    out = run("check", str(EXAMPLE_JSON), "--profile", "no-such-profile")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr


def test_bad_argument_exits_2_in_chinese():  # a real process: argparse's SystemExit reaches the shell
    out = run_subprocess("check")
    assert out.returncode == 2
    assert "参数错误：缺少参数：FILE" in out.stderr
    out = run_subprocess("check", str(EXAMPLE_JSON), "--bogus")
    assert out.returncode == 2 and "不认识的参数：--bogus" in out.stderr


def test_text_and_negative_and_zero_budgets_are_findings_not_crashes(tmp_path, example_data):
    data = json.loads(json.dumps(example_data))
    data["overall"]["funds"][0]["full_year_budget"] = "0"
    data["overall"]["funds"][0]["actual"] = "一百三十万"
    data["projects"][0]["funds"][0]["full_year_budget"] = "-5"
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = run("check", str(path), "--json")
    assert out.returncode == 1, out.stderr
    codes = {(f["code"], f["path"]) for f in json.loads(out.stdout)}
    assert ("ZERO_DENOMINATOR", "overall.funds[0].printed_rate") in codes
    assert ("NOT_A_NUMBER", "overall.funds[0].actual") in codes
    assert ("NEGATIVE_AMOUNT", "projects[0].funds[0].full_year_budget") in codes


def test_export_refuses_to_overwrite(tmp_path):
    target = tmp_path / "x.json"
    target.write_text("keep me", encoding="utf-8")
    out = run("export", str(EXAMPLE_JSON), "-o", str(target))
    assert out.returncode == 2
    assert target.read_text(encoding="utf-8") == "keep me"
    out = run("export", str(EXAMPLE_JSON), "-o", str(target), "--force")
    assert out.returncode == 0
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))


EXAMPLE_XLSM = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.xlsm"


def test_check_a_workbook_names_sheet_and_cell():
    out = run("check", str(EXAMPLE_XLSM), "--json")
    assert out.returncode == 1, out.stderr
    found = {(f["code"], f["path"]): f for f in json.loads(out.stdout)}
    rate = found[("RATE_MISMATCH", "overall.funds[0].printed_rate")]
    assert rate["sheet"] == "附件2 整体自评表" and rate["cell"]
    assert rate["expected"] == "99.64%"
    # the workbook and the data file give the same findings (the workbook is the data)
    from_json = {(f["code"], f["path"]) for f in json.loads(run("check", str(EXAMPLE_JSON), "--json").stdout)}
    assert set(found) == from_json


def test_a_file_that_is_not_a_workbook_exits_2(tmp_path):  # a real process: no traceback
    fake = tmp_path / "fake.xlsm"
    fake.write_text("not a zip", encoding="utf-8")
    out = run_subprocess("check", str(fake))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and out.stderr.strip()


def test_fill_then_export_is_the_identity(tmp_path):
    book = tmp_path / "filled.xlsm"
    assert run("fill", str(EXAMPLE_JSON), "-o", str(book)).returncode == 0
    assert run("fill", str(EXAMPLE_JSON), "-o", str(book)).returncode == 2  # never over a file
    data = tmp_path / "back.json"
    out = run("export", str(book), "-o", str(data))
    assert out.returncode == 0, out.stderr
    from perfxl.core.serde import evaluation_from_dict

    original = evaluation_from_dict(json.loads(EXAMPLE_JSON.read_text("utf-8")))
    back = evaluation_from_dict(json.loads(data.read_text("utf-8")))
    assert back == original


def test_an_empty_data_file_lists_what_is_missing(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text("{}", encoding="utf-8")
    out = run("check", str(empty), "--json")
    assert out.returncode == 1, out.stderr
    missing = {f["path"] for f in json.loads(out.stdout) if f["code"] == "MISSING_FIELD"}
    assert {"department", "year", "overall.funds[0]", "overall.indicators", "overall.goal_expected"} <= missing


def test_no_command_writes_over_a_users_file(tmp_path):
    user = tmp_path / "user.xlsm"
    user.write_bytes(EXAMPLE_XLSM.read_bytes())
    before = user.read_bytes()
    assert run("build", "-o", str(user)).returncode == 2  # a filled workbook is not wiped
    assert run("export", str(user), "-o", str(user), "--force").returncode == 2  # never the input itself
    assert run("export", str(user), "-o", str(tmp_path / "x.xlsx")).returncode == 2  # JSON only into .json
    assert run("fill", str(EXAMPLE_JSON), "-o", str(tmp_path / "x.xlsx")).returncode == 2  # a workbook is .xlsm
    assert user.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("[" * 100000 + "]" * 100000, "嵌套层数过多"),
        ('{"year": ' + "9" * 5000 + "}", "位数过多"),
        ('{"version": "1"}', "应为整数"),
    ],
    ids=["deep", "huge-integer", "string-version"],
)
def test_pathological_json_exits_2(tmp_path, content, words):  # a real process: its own recursion limit
    bad = tmp_path / "odd.json"
    bad.write_text(content, encoding="utf-8")
    out = run_subprocess("check", str(bad))
    assert out.returncode == 2, out.stderr
    assert words in out.stderr and "Traceback" not in out.stderr


def test_damaged_and_foreign_workbooks_exit_2(tmp_path):
    import zipfile

    damaged = tmp_path / "damaged.xlsm"
    with zipfile.ZipFile(EXAMPLE_XLSM) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, b"<worksheet><broken" if item.filename == "xl/worksheets/sheet4.xml" else data)
    out = run("check", str(damaged))
    assert out.returncode == 2 and "已损坏" in out.stderr and "Traceback" not in out.stderr
    import openpyxl

    foreign = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(foreign)
    out = run("check", str(foreign))
    assert out.returncode == 2 and "不是 perfxl 自评工作簿" in out.stderr


def test_a_data_file_cannot_name_a_profile_path(tmp_path, example_data):
    data = dict(example_data, profile="/etc/passwd")
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = run("check", str(path))
    assert out.returncode == 2 and "不是内置方案" in out.stderr


def test_a_closed_pipe_is_not_an_internal_error():
    proc = subprocess.Popen([sys.executable, "-m", "perfxl", "check", str(EXAMPLE_JSON)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # like "| head -0"
    _, err = proc.communicate()
    assert proc.returncode in (0, 1) and b"Traceback" not in err and "内部错误".encode() not in err


def test_export_of_an_incomplete_workbook_says_so(tmp_path):
    import openpyxl

    book = openpyxl.load_workbook(EXAMPLE_XLSM, keep_vba=True)
    del book["附件1 基础数据表"]
    broken = tmp_path / "missing-sheet.xlsm"
    book.save(broken)
    out = run("export", str(broken), "-o", str(tmp_path / "out.json"))
    assert out.returncode == 1 and "导出的数据不完整" in out.stderr
    assert "附件1 基础数据表" in out.stdout  # the finding names the sheet
