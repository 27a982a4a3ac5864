"""``perfxl setup`` and ``perfxl doctor`` on a fake Windows (issue 8 items 4 and 5).

``winplatform.FakePlatform`` is a user's home under tmp_path, a dict for HKEY_CURRENT_USER
and a set of files carrying the Mark of the Web.  The whole setup runs against it and
the tests assert what would be written: the xlwings.conf lines (keys of xlwings
0.37.8's VBA, ANSI code page, CRLF), the trusted location's registry values, the
workbooks copied and unblocked, the DLL copied where xlwings' VBA looks.  Then the
doctor on the same fake says 正常 where setup fixed things and 异常 with the fix where not.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from perfxl.app import setup as S
from perfxl.app.doctor import doctor
from perfxl.app.environment import WINDOWS_ITEMS, environment_checks
from perfxl.app.winplatform import EXCEL_POLICY_SECURITY, EXCEL_SECURITY, TRUSTED_LOCATIONS, FakePlatform
from perfxl.workbook.constants import UDF_MODULE, XLWINGS_VERSION
from tests.cli_runner import run

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def win(tmp_path):
    plat = FakePlatform(tmp_path / "C")
    plat.home().mkdir(parents=True)
    return plat


@pytest.fixture()
def env(tmp_path):
    """A venv as install.cmd makes it: Scripts/python(w).exe, the DLL in the environment's root."""
    root = tmp_path / "C" / "Users" / "张三" / "AppData" / "Local" / "perfxl" / "env-1"
    (root / "Scripts").mkdir(parents=True)
    for exe in ("python.exe", "pythonw.exe"):
        (root / "Scripts" / exe).write_bytes(b"")
    (root / S.DLL_NAME).write_bytes(b"dll")
    return root


@pytest.fixture()
def workbooks(tmp_path):
    src = tmp_path / "bundle" / "workbooks"
    src.mkdir(parents=True)
    (src / "PerfEval.xlsm").write_bytes(b"xlsm")
    (src / "PerfEval-nomacro.xlsx").write_bytes(b"xlsx")
    (src / "notes.txt").write_text("not a workbook")
    return src


def test_conf_keys_are_xlwings_own():
    """The keys xlwings 0.37.8's VBA asks for (GetConfig) — checked in its own source."""
    import xlwings

    bas = (Path(xlwings.__file__).parent / "xlwings.bas").read_text(encoding="utf-8", errors="replace")
    assert f'GetConfig("{S.INTERPRETER_KEY}"' in bas and f'GetConfig("{S.UDF_KEY}")' in bas
    assert 'Environ("USERPROFILE") & "\\." & PROJECT_NAME & "\\" & PROJECT_NAME & ".conf"' in bas
    assert f'"{S.DLL_NAME}"' in bas and xlwings.__version__ == XLWINGS_VERSION


def test_setup_writes_everything(win, env, workbooks):
    folder = S.default_folder(win)
    steps = S.plan_setup(win, interpreter=env / "Scripts" / "pythonw.exe", workbooks=workbooks, trust=True, dll=env / S.DLL_NAME)
    win.marks |= {workbooks / "PerfEval.xlsm"}
    (folder).mkdir(parents=True)
    (folder / "PerfEval.xlsm").write_bytes(b"the user's own data")
    win.marks.add(folder / "PerfEval.xlsm")
    done = S.run_setup(steps)
    # the settings file: ANSI (cp936 here), CRLF, the two keys, written last
    conf = (win.home() / ".xlwings" / "xlwings.conf").read_bytes()
    text = conf.decode("cp936")
    assert text == f'"INTERPRETER_WIN","{env / "Scripts" / "pythonw.exe"}"\r\n"UDF MODULES","{UDF_MODULE}"\r\n'
    assert "张三" in text  # a Chinese user name, representable in the ANSI code page
    assert done[-1].startswith("已写入 xlwings 设置")
    # the workbooks: copied, the user's file kept, the marks removed, no text file
    assert (folder / "PerfEval-nomacro.xlsx").read_bytes() == b"xlsx"
    assert (folder / "PerfEval.xlsm").read_bytes() == b"the user's own data"
    assert not (folder / "notes.txt").exists()
    assert not win.has_mark(folder / "PerfEval.xlsm")
    installed = next(line for line in done if line.startswith("工作簿文件夹"))
    assert "已存在、未覆盖" in installed and "PerfEval.xlsm" in installed and "解除锁定" in installed
    # the trusted location
    key = f"{TRUSTED_LOCATIONS}\\Location0"
    assert win.value(key, "Path") == str(folder) + "\\"
    assert win.value(key, "AllowSubfolders") == 1
    assert win.value(key, "Description") == S.TRUST_DESCRIPTION
    # the DLL was where the VBA looks: not copied
    assert not any("复制" in s.title for s in steps)


def test_setup_keeps_other_conf_lines_and_drops_conda(win, env):
    path = S.user_conf_path(win)
    path.parent.mkdir(parents=True)
    path.write_bytes(b'"LICENSE_KEY","abc"\r\n"CONDA PATH","C:\\conda"\r\n"INTERPRETER_WIN","C:\\old\\python.exe"\r\n')
    S.run_setup(S.plan_setup(win, interpreter=env / "Scripts" / "pythonw.exe", dll=env / S.DLL_NAME, build_blank=False))
    conf = S.read_conf(path, "cp936")
    assert conf == {"LICENSE_KEY": "abc", "INTERPRETER_WIN": str(env / "Scripts" / "pythonw.exe"), "UDF MODULES": UDF_MODULE}


def test_trust_is_added_once_after_existing_locations(win, env):
    win.reg_set(f"{TRUSTED_LOCATIONS}\\Location2", "Path", "C:\\Program Files\\Microsoft Office\\Root\\Office16\\XLSTART\\")
    win.reg_set(f"{TRUSTED_LOCATIONS}\\Location5", "Path", "D:\\other\\")
    plan = lambda: S.plan_setup(win, interpreter=env / "Scripts" / "pythonw.exe", dll=env / S.DLL_NAME,  # noqa: E731
                                trust=True, build_blank=False)
    S.run_setup(plan())
    assert win.value(f"{TRUSTED_LOCATIONS}\\Location6", "Path") == str(S.default_folder(win)) + "\\"
    again = S.run_setup(plan())
    assert any("已是受信任位置（Location6）" in line for line in again)
    assert win.reg_subkeys(TRUSTED_LOCATIONS) == ["Location2", "Location5", "Location6"]


def test_the_dll_is_copied_for_a_user_install(win, tmp_path):
    """pip --user puts the DLL under %APPDATA%\\Python: copied next to the interpreter."""
    py = tmp_path / "Python312"
    py.mkdir()
    (py / "pythonw.exe").write_bytes(b"")
    elsewhere = tmp_path / "AppData" / "Roaming" / "Python" / "Python312"
    elsewhere.mkdir(parents=True)
    (elsewhere / S.DLL_NAME).write_bytes(b"dll")
    done = S.run_setup(S.plan_setup(win, interpreter=py / "pythonw.exe", dll=elsewhere / S.DLL_NAME, build_blank=False))
    assert (py / S.DLL_NAME).read_bytes() == b"dll"
    assert any(S.DLL_NAME in line and "已把" in line for line in done)


def test_setup_refuses_a_path_vba_cannot_read(win, env):
    win.ansi_encoding = "cp1252"  # a Western Windows: 张三 cannot be written
    with pytest.raises(S.SetupError, match="英文字母"):
        S.plan_setup(win, interpreter=env / "Scripts" / "pythonw.exe")
    assert not S.user_conf_path(win).exists()


def test_setup_addin(win, env, tmp_path):
    source = tmp_path / "xlwings.xlam"
    source.write_bytes(b"addin")
    line = S._install_addin(win, source)
    target = win.home() / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / "xlwings.xlam"
    assert target.read_bytes() == b"addin" and "Import Functions" in line
    assert S.addin_source().is_file()  # xlwings ships it


def test_setup_builds_a_blank_workbook_when_run_by_hand(win, env):
    S.run_setup(S.plan_setup(win, interpreter=env / "Scripts" / "pythonw.exe", dll=env / S.DLL_NAME))
    from perfxl.workbook.parts import check_parts

    assert check_parts(S.default_folder(win) / S.BLANK_WORKBOOK) == []


def test_dry_run_changes_nothing(win, env, monkeypatch):
    monkeypatch.setattr(S, "excel_interpreter", lambda exe: env / "Scripts" / "pythonw.exe")
    lines = S.setup(platform=win, trust=True, addin=True, dry_run=True)
    assert lines[0].startswith("将要执行") and len(lines) == 1 + 4
    assert not S.user_conf_path(win).exists() and not win.registry and not S.default_folder(win).exists()


@pytest.mark.skipif(sys.platform == "win32", reason="the real Windows runs setup")
def test_cli_setup_off_windows_says_so():
    ran = run("setup")
    assert ran.returncode == 2 and "只用于 Windows" in ran.stderr


# --------------------------------------------------------------------------- doctor


def _by_item(checks):
    return {c.item: c for c in checks}


def test_doctor_off_windows_names_the_windows_checks():
    report = doctor(platform=None)
    checks = _by_item(report.checks)
    assert all(not checks[item].applies for item in WINDOWS_ITEMS)
    text = "\n".join(report.lines())
    assert "以下检查只在 Windows 上适用，本机未检查：" + "、".join(WINDOWS_ITEMS) in text
    assert report.exit_code == (1 if report.problems else 0)


def test_cli_doctor_runs_here(tmp_path):
    ran = run("doctor", str(ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.xlsm"))
    assert "【正常】xlwings 版本" in ran.stdout and "工作簿的 xlwings.conf 表" in ran.stdout
    assert ran.returncode in (0, 1)
    if sys.platform != "win32":
        assert "只在 Windows 上适用" in ran.stdout


def test_doctor_before_and_after_setup(win, env, workbooks, monkeypatch):
    monkeypatch.setattr(S, "excel_interpreter", lambda exe: env / "Scripts" / "pythonw.exe")
    book = S.default_folder(win) / "PerfEval.xlsm"
    before = _by_item(environment_checks(platform=win, workbook=book, sheet_conf={"UDF Modules": UDF_MODULE}))
    assert before["xlwings 设置文件"].problem and "perfxl setup" in before["xlwings 设置文件"].hint
    assert not before["xlwings DLL"].problem  # found in the environment's root
    S.run_setup(S.plan_setup(win, interpreter=env / "Scripts" / "pythonw.exe", workbooks=workbooks, dll=env / S.DLL_NAME))
    win.marks.add(book)  # downloaded again
    after = _by_item(environment_checks(platform=win, workbook=book, sheet_conf={"UDF Modules": UDF_MODULE}))
    assert not after["xlwings 设置文件"].problem
    assert after["来自网络的标记"].problem and "解除锁定" in after["来自网络的标记"].hint
    assert after["宏设置"].ok and "默认" in after["宏设置"].value
    assert after["受信任位置"].ok and "setup --trust" in after["受信任位置"].hint
    assert after["用户名与路径"].ok and "含中文" in after["用户名与路径"].value


def test_doctor_macro_policy_needs_a_trusted_location(win, env, monkeypatch):
    monkeypatch.setattr(S, "excel_interpreter", lambda exe: env / "Scripts" / "pythonw.exe")
    win.reg_set(EXCEL_SECURITY, "VBAWarnings", 2)
    win.reg_set(EXCEL_POLICY_SECURITY, "VBAWarnings", 4)  # the policy wins
    checks = _by_item(environment_checks(platform=win))
    assert checks["宏设置"].problem and "组策略" in checks["宏设置"].value
    S.run_setup(S.plan_setup(win, interpreter=env / "Scripts" / "pythonw.exe", dll=env / S.DLL_NAME, trust=True,
                             build_blank=False))
    checks = _by_item(environment_checks(platform=win))
    assert not checks["宏设置"].problem and "Location0" in checks["受信任位置"].value


def test_doctor_sheet_conf(win):
    bad = _by_item(environment_checks(platform=None, sheet_conf={"UDF Modules": "other"}))
    assert bad["工作簿的 xlwings.conf 表"].problem
    stale = _by_item(environment_checks(platform=win, sheet_conf={"UDF Modules": UDF_MODULE, "Interpreter_Win": "C:\\gone\\python.exe"}))
    assert stale["工作簿的 xlwings.conf 表"].problem and "Interpreter_Win" in stale["工作簿的 xlwings.conf 表"].hint


def test_doctor_unreadable_user_path(win, env, monkeypatch):
    monkeypatch.setattr(S, "excel_interpreter", lambda exe: env / "Scripts" / "pythonw.exe")
    win.ansi_encoding = "cp1252"
    checks = _by_item(environment_checks(platform=win))
    assert checks["用户名与路径"].problem and "英文字母" in checks["用户名与路径"].hint
    report = doctor(platform=win)
    assert report.exit_code == 1 and "请按每个“异常”" in "\n".join(report.lines())
