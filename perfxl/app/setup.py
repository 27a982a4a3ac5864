"""``perfxl setup``: point Excel at this Python, install the workbooks, unblock and trust them.

Run by the bundle's ``install.cmd`` after the install, and by hand.  The steps are
planned first (every check that can fail, e.g. a path VBA cannot read, fails before
anything is written), then run; ``--dry-run`` only lists them.  Each step says in
Chinese what it did.  All Windows access goes through ``winplatform.Platform``.

The settings file is written last (it switches Excel to this Python), so that a failed
earlier step leaves Excel on its previous Python.  In the order of the steps:

* (last) **xlwings settings** (``%USERPROFILE%\\.xlwings\\xlwings.conf``).  The keys are those
   of xlwings 0.37.8's VBA (``xlwings.bas``: ``GetConfig("INTERPRETER_WIN")``,
   ``GetConfig("UDF MODULES")`` — with a space; ``GetConfigFilePath`` names the file)
   and its ``xlwings config create`` (one ``"KEY","VALUE"`` line per setting, read by
   VBA's ``Input #``, hence written in the ANSI code page with CRLF).  Other lines of
   an existing file (a licence key, a conda setting) are kept; a ``CONDA PATH`` line is
   dropped, since it would win over INTERPRETER_WIN.  The interpreter written is
   ``pythonw.exe`` beside this Python (no console window), else this Python.
* **The xlwings DLL.**  xlwings' VBA loads ``xlwings64-0.37.8.dll`` from the
   interpreter's folder or its parent (``XLPyLoadDLL``).  pip puts it into the install
   prefix: the venv of install.cmd (the parent of ``Scripts\\pythonw.exe``, found) —
   but a ``pip install --user`` puts it under ``%APPDATA%\\Python``, not found.  Then
   the DLL is copied next to the interpreter if that folder is writable.
* **The workbooks** are copied into the perfxl folder (default
   ``%USERPROFILE%\\Documents\\perfxl``, on purpose not a 文档 redirected to OneDrive: a
   synced folder gives Excel a URL as the workbook's path, which xlwings reads only with
   extra settings; an existing file is never overwritten) and the
   Mark of the Web is removed from every workbook there (Office 2203+ blocks the macros
   of a marked file without a way to enable them).  With no source folder, a blank
   ``PerfEval.xlsm`` is built there when missing (made locally: it has no mark).
* ``--addin``: xlwings' own add-in ``xlwings.xlam`` into the user's Excel start-up
   folder ``%APPDATA%\\Microsoft\\Excel\\XLSTART`` (what ``xlwings addin install``
   does, without starting Excel), so that PERF_* works in the user's own workbooks
   (xlwings tab → Import Functions, with UDF MODULES from the settings file).
* ``--trust``: the perfxl folder as a trusted location of the current user:
   ``HKCU\\Software\\Microsoft\\Office\\16.0\\Excel\\Security\\Trusted Locations\\LocationN``
   with ``Path`` (ending in ``\\``), ``AllowSubfolders`` (DWORD 1) and ``Description``
   (learn.microsoft.com "Add, remove, or change a trusted location in Microsoft Office";
   the policy ``AllLocationsDisabled`` under ``Software\\Policies\\…`` turns them off).
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import PerfxlError
from ..workbook.constants import UDF_MODULE, XLWINGS_VERSION
from .winplatform import EXCEL_POLICY_SECURITY, TRUSTED_LOCATIONS, Platform, ansi_safe, current_platform

INTERPRETER_KEY = "INTERPRETER_WIN"
UDF_KEY = "UDF MODULES"
DROPPED_KEYS = ("CONDA PATH", "CONDA ENV", "INTERPRETER")  # they would win over / confuse INTERPRETER_WIN
DLL_NAME = f"xlwings64-{XLWINGS_VERSION}.dll"
BLANK_WORKBOOK = "PerfEval.xlsm"
WORKBOOK_SUFFIXES = (".xlsm", ".xlsx")
TRUST_DESCRIPTION = "perfxl 绩效自评工作簿"


class SetupError(PerfxlError):
    """A setup step cannot be done (Chinese: what and how to fix it)."""


@dataclass(frozen=True)
class Step:
    """One planned step: its Chinese description and the function that does it (returns what it did)."""

    title: str
    run: Callable[[], str]


# --------------------------------------------------------------------------- xlwings.conf


def user_conf_path(platform: Platform) -> Path:
    return platform.home() / ".xlwings" / "xlwings.conf"


def read_conf(path: Path, encoding: str) -> dict[str, str]:
    """The ``"KEY","VALUE"`` lines of an xlwings.conf file (keys upper-case); {} when absent."""
    try:
        text = path.read_bytes().decode(encoding, errors="replace")
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        fields = [f.strip().strip('"') for f in line.split('","', 1)] if '","' in line else []
        if len(fields) == 2:
            out[fields[0].upper()] = fields[1]
    return out


def conf_text(entries: dict[str, str]) -> str:
    return "".join(f'"{key}","{value}"\r\n' for key, value in entries.items())


def excel_interpreter(executable: Path) -> Path:
    """pythonw.exe beside *executable* when there is one (no console window), else *executable*."""
    windowed = executable.with_name("pythonw.exe")
    return windowed if windowed.exists() else executable


def installed_dll() -> Path | None:
    """Where pip put xlwings' 64-bit DLL (the wheel's data files), or None."""
    try:
        files = importlib.metadata.files("xlwings") or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for f in files:
        if f.name == DLL_NAME:
            return Path(str(f.locate()))
    return None


def dll_folders(interpreter: Path) -> list[Path]:
    """The two folders xlwings' VBA loads the DLL from (``XLPyLoadDLL``)."""
    return [interpreter.parent, interpreter.parent.parent]


def dll_found(interpreter: Path) -> Path | None:
    return next((f / DLL_NAME for f in dll_folders(interpreter) if (f / DLL_NAME).is_file()), None)


# --------------------------------------------------------------------------- planning


def default_folder(platform: Platform) -> Path:
    return platform.home() / "Documents" / "perfxl"


def plan_setup(platform: Platform, *, interpreter: Path | None = None, folder: Path | None = None,
               workbooks: Path | None = None, addin: bool = False, trust: bool = False,
               dll: Path | None = None, build_blank: bool = True) -> list[Step]:
    """The steps of ``perfxl setup``; ``SetupError`` when one cannot be done (nothing written yet)."""
    interpreter = interpreter or excel_interpreter(Path(sys.executable))
    folder = folder or default_folder(platform)
    if not ansi_safe(str(interpreter), platform):
        raise SetupError(f"Python 的路径“{interpreter}”含有本机字符集（{platform.ansi_encoding}）无法表示的字符，"
                         "Excel 的宏读不到它。请让 IT 把 Python 安装到只含英文字母的路径（例如 C:\\Python312）后重新运行 install.cmd。")
    if workbooks is not None and not workbooks.is_dir():
        raise SetupError(f"找不到工作簿所在的文件夹：{workbooks}")
    if str(folder).startswith("\\\\") and trust:
        raise SetupError(f"{folder} 是网络路径：Excel 默认不信任网络位置。请把 perfxl 文件夹放在本机磁盘上（例如“文档”中）。")
    steps = []
    dll = dll if dll is not None else installed_dll()
    if dll is not None and not any((f / DLL_NAME).is_file() for f in dll_folders(interpreter)):
        steps.append(Step(f"把 xlwings 的 {DLL_NAME} 复制到 {interpreter.parent}", lambda: _copy_dll(dll, interpreter)))
    steps.append(Step(f"安装工作簿到 {folder}，并去掉“来自网络”的标记",
                      lambda: _install_workbooks(platform, folder, workbooks, build_blank)))
    if addin:
        steps.append(Step(f"安装 xlwings 加载项到 {xlstart_folder(platform)}", lambda: _install_addin(platform)))
    if trust:
        steps.append(Step(f"把 {folder} 设为 Excel 的受信任位置（仅当前用户）", lambda: _trust(platform, folder)))
    # last: the switch of Excel to this Python (install.cmd deletes a new environment when an earlier step fails)
    steps.append(Step(f"写入 xlwings 设置 {user_conf_path(platform)}（Python：{interpreter}）",
                      lambda: _write_conf(platform, interpreter)))
    return steps


def run_setup(steps: list[Step]) -> list[str]:
    """Run the planned steps in order; what each did, in Chinese."""
    return [step.run() for step in steps]


def setup(*, addin: bool = False, trust: bool = False, folder: Path | None = None, workbooks: Path | None = None,
          dry_run: bool = False, platform: Platform | None = None) -> list[str]:
    """``perfxl setup`` on this machine: the lines to print."""
    platform = platform or current_platform()
    if platform is None:
        raise SetupError("perfxl setup 只用于 Windows（它写入的是 Excel 在 Windows 上读取的设置）。"
                         "在本机可运行 perfxl doctor 查看环境。")
    steps = plan_setup(platform, folder=folder, workbooks=workbooks, addin=addin, trust=trust)
    if dry_run:
        return ["将要执行（--dry-run，未做任何更改）："] + [f"  {i}. {s.title}" for i, s in enumerate(steps, 1)]
    return [*run_setup(steps), "设置完成。请关闭所有 Excel 窗口后重新打开工作簿，点“启用内容”。"]


# --------------------------------------------------------------------------- the steps


def _write_conf(platform: Platform, interpreter: Path) -> str:
    path = user_conf_path(platform)
    entries = {k: v for k, v in read_conf(path, platform.ansi_encoding).items() if k not in DROPPED_KEYS}
    old = entries.get(INTERPRETER_KEY)
    entries[INTERPRETER_KEY] = str(interpreter)
    entries[UDF_KEY] = UDF_MODULE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(conf_text(entries).encode(platform.ansi_encoding))
    changed = f"（原为 {old}）" if old and old != str(interpreter) else ""
    return f"已写入 xlwings 设置：{path}；Excel 将使用 Python {interpreter}{changed}，自定义函数模块 {UDF_MODULE}。"


def _copy_dll(dll: Path, interpreter: Path) -> str:
    target = interpreter.parent / DLL_NAME
    try:
        shutil.copyfile(dll, target)
    except OSError as exc:
        return (f"注意：无法把 {DLL_NAME} 复制到 {interpreter.parent}（{exc.strerror or exc}）。"
                "Excel 的宏和 PERF_* 函数会报“Could not load xlwings64…dll”。请用 install.cmd 安装（它把 perfxl 装在独立环境中），"
                "或请 IT 把该文件复制到上述文件夹。")
    return f"已把 {DLL_NAME} 复制到 {target}（pip 把它装在了 Excel 找不到的位置）。"


def _install_workbooks(platform: Platform, folder: Path, source: Path | None, build_blank: bool) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    copied, kept = [], []
    if source is not None:
        for src in sorted(source.iterdir()):
            if src.suffix.lower() not in WORKBOOK_SUFFIXES or src.name.startswith("~$"):
                continue
            target = folder / src.name
            if target.exists():
                kept.append(src.name)
                continue
            shutil.copyfile(src, target)
            copied.append(src.name)
    elif build_blank and not (folder / BLANK_WORKBOOK).exists():
        from .workbooks import new_workbook

        new_workbook(folder / BLANK_WORKBOOK)
        copied.append(BLANK_WORKBOOK)
    unblocked = [p.name for p in sorted(folder.iterdir())
                 if p.suffix.lower() in WORKBOOK_SUFFIXES and platform.remove_mark(p)]
    lines = [f"工作簿文件夹：{folder}"]
    if copied:
        lines.append("已放入：" + "、".join(copied))
    if kept:
        lines.append("已存在、未覆盖（保留您的数据）：" + "、".join(kept))
    if unblocked:
        lines.append("已去掉“来自网络”的标记（相当于在文件属性中勾选“解除锁定”），Excel 不会再因此阻止宏："
                     + "、".join(unblocked))
    else:
        lines.append("工作簿没有“来自网络”的标记，无需解除锁定。")
    return "\n".join(lines)


def xlstart_folder(platform: Platform) -> Path:
    appdata = platform.environ("APPDATA") or str(platform.home() / "AppData" / "Roaming")
    return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"


def addin_source() -> Path:
    import xlwings

    return Path(xlwings.__file__).parent / "addin" / "xlwings.xlam"


def _install_addin(platform: Platform, source: Path | None = None) -> str:
    source = source or addin_source()
    target = xlstart_folder(platform) / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    platform.remove_mark(target)
    return (f"已安装 xlwings 加载项：{target}。重新打开 Excel 后出现 xlwings 选项卡；在自己的工作簿中点"
            "“Import Functions”即可使用 PERF_* 函数。")


def trusted_locations(platform: Platform) -> dict[str, str]:
    """{LocationN: Path} of the current user's trusted locations."""
    out = {}
    for sub in platform.reg_subkeys(TRUSTED_LOCATIONS):
        path = platform.reg_get(f"{TRUSTED_LOCATIONS}\\{sub}", "Path")
        if isinstance(path, str):
            out[sub] = path
    return out


def _norm(path: str) -> str:
    return os.path.normcase(path.replace("/", "\\").rstrip("\\")).lower()


def is_trusted(platform: Platform, path: Path) -> str | None:
    """The trusted location (its key name) that covers *path*, or None."""
    target = _norm(str(path))
    for sub, location in trusted_locations(platform).items():
        loc = _norm(location)
        allow_sub = platform.reg_get(f"{TRUSTED_LOCATIONS}\\{sub}", "AllowSubfolders") == 1
        if target == loc or (allow_sub and target.startswith(loc + "\\")):
            return sub
    return None


def locations_disabled(platform: Platform) -> bool:
    return platform.reg_get(EXCEL_POLICY_SECURITY + r"\Trusted Locations", "AllLocationsDisabled") == 1


def _trust(platform: Platform, folder: Path) -> str:
    existing = is_trusted(platform, folder)
    if existing:
        return f"{folder} 已是受信任位置（{existing}），未改动。"
    numbers = [int(sub[len("Location"):]) for sub in platform.reg_subkeys(TRUSTED_LOCATIONS)
               if sub.startswith("Location") and sub[len("Location"):].isdigit()]
    key = f"{TRUSTED_LOCATIONS}\\Location{max(numbers, default=-1) + 1}"
    platform.reg_set(key, "Path", str(folder).rstrip("\\") + "\\")
    platform.reg_set(key, "AllowSubfolders", 1)
    platform.reg_set(key, "Description", TRUST_DESCRIPTION)
    note = ("注意：本机的组策略禁用了所有受信任位置（AllLocationsDisabled），此设置不会生效；打开工作簿时请点“启用内容”。"
            if locations_disabled(platform) else "此文件夹中的工作簿打开时宏直接可用，不再需要点“启用内容”。")
    return f"已把 {folder} 设为受信任位置（HKCU\\{key}）。{note}"
