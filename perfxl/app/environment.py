"""环境自检: what the workbook's buttons need on this machine, each with a Chinese hint.

The 环境自检 button writes these lines into 填表说明; they are plain data here so that a
test (or a command) can ask for them without Excel.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import sys
from dataclasses import dataclass

from ..report.pdf import find_soffice, pdf_converter
from ..workbook.layout import UDF_MODULE, XLWINGS_VERSION


@dataclass(frozen=True)
class Check:
    """One line of the self-test.

    Attributes:
      item: what is checked.  value: what was found.  ok: whether it will work.
      hint: what to do when it will not ("" when fine).
    """

    item: str
    value: str
    ok: bool
    hint: str = ""


def environment_checks() -> list[Check]:
    """Python, perfxl, xlwings (the version the workbook's VBA expects), LibreOffice and the UDF module."""
    out = []
    py = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 11)
    out.append(Check("Python 版本", f"{py}（{sys.executable}）", ok, "" if ok else "perfxl 需要 Python 3.11 或更高版本"))
    try:
        out.append(Check("perfxl 版本", importlib.metadata.version("perfxl"), True))
    except importlib.metadata.PackageNotFoundError:
        out.append(Check("perfxl 版本", "从源码目录运行（未安装）", True, "建议用 pip install 安装 perfxl"))
    try:
        import xlwings

        found = str(xlwings.__version__)
    except ImportError:
        found = "未安装"
    ok = found == XLWINGS_VERSION
    out.append(Check("xlwings 版本", found, ok,
                     "" if ok else f"工作簿内的 VBA 模块对应 xlwings {XLWINGS_VERSION}：请运行 pip install xlwings=={XLWINGS_VERSION}"))
    soffice = find_soffice()
    if soffice:
        out.append(Check("LibreOffice", soffice, True))
    else:
        word = pdf_converter() == "word"
        out.append(Check("LibreOffice", "未找到" + ("（将用 Word 导出 PDF）" if word else ""), word,
                         "" if word else "导出 PDF 需要 LibreOffice：请安装，或设置环境变量 PERFXL_SOFFICE 指向 soffice 程序；生成 Word 报告不受影响"))
    try:
        module = importlib.import_module(UDF_MODULE)
        missing = [name for name in module.UDF_NAMES if not callable(getattr(module, name, None))]
        out.append(Check("自定义函数模块", UDF_MODULE, not missing, "缺少函数：" + "、".join(missing) if missing else ""))
    except Exception as exc:  # whatever stops the import is what the user must see
        out.append(Check("自定义函数模块", UDF_MODULE, False, f"无法导入（{type(exc).__name__}：{exc}），PERF_* 函数不可用"))
    return out
