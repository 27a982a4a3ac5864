"""环境自检 / ``perfxl doctor``: what decides whether the workbook works on this PC, each with its fix.

The 环境自检 button writes these lines into 填表说明 and ``perfxl doctor`` prints them;
they are plain data here (``Check``) so that a test can ask for them without Excel or
Windows.  Every Windows fact comes through ``winplatform.Platform`` (``None`` off
Windows: those checks say they apply only on Windows and do not count as problems).

What is checked, and why (issue 8):
* Python (3.11 or later; the offline bundle has wheels for 64-bit 3.11–3.13), perfxl,
  xlwings (exactly the pinned version: the workbook's VBA names its DLL by version),
  the UDF module ``perfxl.udfs`` importable, LibreOffice or Word for the PDF.
* xlwings' settings file ``%USERPROFILE%\\.xlwings\\xlwings.conf`` (INTERPRETER_WIN:
  without it Excel finds the DLL only through PATH) and the DLL in one of the two
  folders xlwings' VBA loads it from (``setup.dll_folders``).
* The workbook's own ``xlwings.conf`` sheet (it wins over the file): ``UDF Modules``
  must be ``perfxl.udfs``; an ``Interpreter_Win`` row there must name an existing file.
* The Mark of the Web on the workbook, the macro security level (``VBAWarnings``: 1 all
  enabled, 2 disabled with notification — Office's default, 3 only signed macros, 4 all
  disabled; the policy key wins over the user's), trusted locations, and a user name or
  path the ANSI code page cannot hold (VBA reads the settings file in it).
"""

from __future__ import annotations

import importlib
import importlib.metadata
import struct
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..report.pdf import find_soffice, pdf_converter
from ..workbook.layout import CONF_SHEET, UDF_MODULE, XLWINGS_VERSION
from . import setup as S
from .winplatform import EXCEL_POLICY_SECURITY, EXCEL_SECURITY, Platform, ansi_safe, current_platform

WINDOWS_ONLY = "仅在 Windows 上检查"


@dataclass(frozen=True)
class Check:
    """One line of the self-test.

    Attributes:
      item: what is checked.  value: what was found.  ok: whether it will work.
      hint: what to do when it will not ("" when fine).  applies: False when the check
      cannot be made here (off Windows, no workbook named); it is then never a problem.
    """

    item: str
    value: str
    ok: bool
    hint: str = ""
    applies: bool = True

    @property
    def problem(self) -> bool:
        return self.applies and not self.ok

    def line(self) -> str:
        label = "未检查" if not self.applies else "正常" if self.ok else "异常"
        return f"【{label}】{self.item}：{self.value}" + (f"——{self.hint}" if self.hint else "")


def environment_checks(*, platform: Platform | Literal["auto"] | None = "auto", workbook: Path | None = None,
                       sheet_conf: dict[str, str] | None = None) -> list[Check]:
    """Every check; *platform* defaults to this machine's (``None`` off Windows).

    *workbook*: the workbook file to look at (its mark, its folder's trust, its
    xlwings.conf sheet unless *sheet_conf* gives that sheet's rows already).
    """
    plat = current_platform() if isinstance(platform, str) else platform
    out = _python_checks()
    if sheet_conf is None and workbook is not None:
        sheet_conf = read_conf_sheet(workbook)
    out.append(_sheet_check(sheet_conf, plat))
    if plat is None:
        out += [Check(item, WINDOWS_ONLY, True, applies=False) for item in WINDOWS_ITEMS]
    else:
        out += _windows_checks(plat, workbook)
    return out


WINDOWS_ITEMS = ("xlwings 设置文件", "xlwings DLL", "来自网络的标记", "宏设置", "受信任位置", "用户名与路径")


# --------------------------------------------------------------------------- everywhere


def _python_checks() -> list[Check]:
    out = []
    py = ".".join(map(str, sys.version_info[:3]))
    bits = struct.calcsize("P") * 8
    ok = sys.version_info >= (3, 11)
    out.append(Check("Python 版本", f"{py}，{bits} 位（{sys.executable}）", ok, "" if ok else "perfxl 需要 Python 3.11 或更高版本"))
    try:
        out.append(Check("perfxl 版本", importlib.metadata.version("perfxl"), True))
    except importlib.metadata.PackageNotFoundError:
        out.append(Check("perfxl 版本", "从源码目录运行（未安装）", True, "建议用安装包中的 install.cmd 安装 perfxl"))
    try:
        import xlwings

        found = str(xlwings.__version__)
    except ImportError:
        found = "未安装"
    ok = found == XLWINGS_VERSION
    out.append(Check("xlwings 版本", found, ok,
                     "" if ok else f"工作簿内的 VBA 模块对应 xlwings {XLWINGS_VERSION}：请运行 pip install xlwings=={XLWINGS_VERSION}，"
                                   "或重新运行安装包中的 install.cmd"))
    try:
        module = importlib.import_module(UDF_MODULE)
        missing = [name for name in module.UDF_NAMES if not callable(getattr(module, name, None))]
        out.append(Check("自定义函数模块", UDF_MODULE, not missing, "缺少函数：" + "、".join(missing) if missing else ""))
    except Exception as exc:  # whatever stops the import is what the user must see
        out.append(Check("自定义函数模块", UDF_MODULE, False, f"无法导入（{type(exc).__name__}：{exc}），PERF_* 函数不可用"))
    soffice = find_soffice()
    if soffice:
        out.append(Check("LibreOffice", soffice, True))
    else:
        word = pdf_converter() == "word"
        out.append(Check("LibreOffice", "未找到" + ("（将用 Word 导出 PDF）" if word else ""), word,
                         "" if word else "导出 PDF 需要 LibreOffice 或 Microsoft Word：请安装其一，或设置环境变量 PERFXL_SOFFICE "
                                         "指向 soffice 程序；生成 Word 报告不受影响"))
    return out


def read_conf_sheet(workbook: Path) -> dict[str, str] | None:
    """The rows of the workbook's xlwings.conf sheet {A: B}, or None when it has none."""
    try:
        import openpyxl

        book = openpyxl.load_workbook(workbook, read_only=True, keep_links=False)
    except Exception:  # not readable: the other commands say why; here it only means "no sheet"
        return None
    try:
        if CONF_SHEET not in book.sheetnames:
            return None
        rows = book[CONF_SHEET].iter_rows(min_col=1, max_col=2, values_only=True)
        return {str(a).strip(): "" if b is None else str(b).strip() for a, b in rows if a}
    finally:
        book.close()


def read_conf_sheet_of(book: object) -> dict[str, str] | None:
    """The rows of an open xlwings book's xlwings.conf sheet {A: B}, or None."""
    try:
        sheet = book.sheets[CONF_SHEET]  # type: ignore[attr-defined]
        rows = sheet.range("A1").expand("down").resize(None, 2).value
    except Exception:  # no such sheet, or an engine without it
        return None
    if rows and not isinstance(rows[0], list):
        rows = [rows]
    return {str(a).strip(): "" if b is None else str(b).strip() for a, b in rows or [] if a}


def _sheet_check(conf: dict[str, str] | None, plat: Platform | None) -> Check:
    item = f"工作簿的 {CONF_SHEET} 表"
    if conf is None:
        return Check(item, "未指定工作簿或工作簿中没有该表", True, applies=False)
    upper = {k.upper(): v for k, v in conf.items()}
    modules = upper.get(S.UDF_KEY, "")
    if UDF_MODULE not in [m.strip() for m in modules.split(";")]:
        return Check(item, f"UDF Modules = {modules or '（空）'}", False,
                     f"请在该隐藏表中把 UDF Modules 设为 {UDF_MODULE}（右键工作表标签 → 取消隐藏），或用 perfxl 重新生成工作簿")
    interpreter = upper.get(S.INTERPRETER_KEY, "")
    if interpreter:
        exists = plat is not None and Path(interpreter).is_file()
        return Check(item, f"UDF Modules = {modules}；Interpreter_Win = {interpreter}（优先于 xlwings 设置文件）",
                     exists or plat is None,
                     "" if exists or plat is None else "表中的 Interpreter_Win 指向的文件不存在：请删除该行（改由 perfxl setup 写入的设置决定）或改为正确路径")
    return Check(item, f"UDF Modules = {modules}", True)


# --------------------------------------------------------------------------- Windows


def _windows_checks(plat: Platform, workbook: Path | None) -> list[Check]:
    conf_path = S.user_conf_path(plat)
    conf = S.read_conf(conf_path, plat.ansi_encoding)
    configured = conf.get(S.INTERPRETER_KEY, "")
    out = []
    if not configured:
        out.append(Check("xlwings 设置文件", f"{conf_path}：{'没有 INTERPRETER_WIN' if conf else '不存在'}", False,
                         "请运行 perfxl setup（或重新运行 install.cmd），让 Excel 知道用哪个 Python"))
    elif not Path(configured).is_file():
        out.append(Check("xlwings 设置文件", f"INTERPRETER_WIN = {configured}（文件不存在）", False,
                         "该 Python 已被移动或卸载：请运行 perfxl setup 重新写入"))
    elif "CONDA PATH" in conf:
        out.append(Check("xlwings 设置文件", f"INTERPRETER_WIN = {configured}；另有 CONDA PATH = {conf['CONDA PATH']}", False,
                         "CONDA PATH 会优先生效：请运行 perfxl setup（会去掉它）"))
    else:
        out.append(Check("xlwings 设置文件", f"INTERPRETER_WIN = {configured}", True))
    interpreter = Path(configured) if configured else S.excel_interpreter(Path(sys.executable))
    found = S.dll_found(interpreter)
    folders = "、".join(str(f) for f in S.dll_folders(interpreter))
    out.append(Check("xlwings DLL", str(found) if found else f"{S.DLL_NAME} 不在 {folders} 中", found is not None,
                     "" if found else "Excel 会报“Could not load xlwings64…dll”：请运行 perfxl setup（会复制该文件），"
                                      "或用 install.cmd 重新安装"))
    out.append(_mark_check(plat, workbook))
    out += _security_checks(plat, workbook)
    out.append(_names_check(plat, [interpreter] + ([workbook] if workbook else [])))
    return out


def _mark_check(plat: Platform, workbook: Path | None) -> Check:
    if workbook is None:
        return Check("来自网络的标记", "未指定工作簿", True, applies=False)
    if plat.has_mark(workbook):
        return Check("来自网络的标记", f"{workbook.name} 带有“来自网络”的标记（Zone.Identifier）", False,
                     "Excel 会阻止其中的宏且无法点“启用内容”：右键文件 → 属性 → 勾选“解除锁定”，或运行 perfxl setup")
    return Check("来自网络的标记", f"{workbook.name} 没有该标记", True)


MACRO_LEVELS = {1: "启用所有宏", 2: "禁用所有宏，并发出通知（默认）", 3: "禁用无数字签名的所有宏", 4: "禁用所有宏，并且不通知"}


def _security_checks(plat: Platform, workbook: Path | None) -> list[Check]:
    policy = plat.reg_get(EXCEL_POLICY_SECURITY, "VBAWarnings")
    own = plat.reg_get(EXCEL_SECURITY, "VBAWarnings")
    level = policy if isinstance(policy, int) else own if isinstance(own, int) else 2
    by = "（组策略）" if isinstance(policy, int) else ""
    folder = workbook.parent if workbook else S.default_folder(plat)
    trusted = S.is_trusted(plat, folder)
    disabled = S.locations_disabled(plat)
    value = MACRO_LEVELS.get(level, f"未知值 {level}") + by
    works = level in (1, 2) or (trusted is not None and not disabled)
    hint = "" if works else (f"本工作簿未签名，宏不会运行：请把工作簿放进受信任位置（perfxl setup --trust 会把 {folder} 设为受信任位置）"
                             + ("；组策略由 IT 设置，也可请 IT 调整" if by else "；或在 Excel 信任中心选“禁用所有宏，并发出通知”"))
    out = [Check("宏设置", value, works, hint)]
    if disabled:
        out.append(Check("受信任位置", "组策略禁用了所有受信任位置", level in (1, 2),
                         "" if level in (1, 2) else "请 IT 放开受信任位置或调整宏设置"))
    elif trusted:
        out.append(Check("受信任位置", f"{folder} 是受信任位置（{trusted}）", True))
    else:
        out.append(Check("受信任位置", f"{folder} 不是受信任位置（打开工作簿时需点“启用内容”）", True,
                         "可选：运行 perfxl setup --trust，之后不再需要点“启用内容”"))
    return out


def _names_check(plat: Platform, paths: list[Path]) -> Check:
    user = plat.environ("USERNAME") or ""
    texts = [user, str(plat.home())] + [str(p) for p in paths]
    odd = [t for t in texts if t and not t.isascii()]
    if not odd:
        return Check("用户名与路径", "均为英文字符", True)
    bad = [t for t in odd if not ansi_safe(t, plat)]
    if bad:
        return Check("用户名与路径", "含本机字符集无法表示的字符：" + "；".join(bad), False,
                     "Excel 的宏读不到这些路径：请把 Python 和工作簿放到只含英文字母的路径下（例如 C:\\perfxl），再运行 perfxl setup")
    return Check("用户名与路径", "含中文：" + "；".join(odd), True,
                 "本机字符集可以表示，一般可用；若按钮报找不到文件，请把工作簿放到只含英文字母的路径下")
