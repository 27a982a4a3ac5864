"""What a button does when perfxl's own modules cannot be imported: standard library only.

``perfxl.xlentry`` imports everything beyond the standard library inside one ``try``;
when that fails, each button calls ``broken`` here, which must itself need nothing that
could be missing: it logs the traceback to ``<temp>/perfxl-xlentry.log`` and tells the
user in Chinese what happened and what to do (install.cmd, perfxl doctor).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

LOG_NAME = "perfxl-xlentry.log"
TITLE = "部门整体支出绩效自评"


def log_failure(entry: str, exc: BaseException) -> Path:
    """Append *exc*'s traceback to the log in the temp folder (standard library only)."""
    path = Path(tempfile.gettempdir()) / LOG_NAME
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"==== {dt.datetime.now():%Y-%m-%d %H:%M:%S} perfxl.xlentry.{entry}\n")
            fh.write("".join(traceback.format_exception(exc)) + "\n")
    except OSError:
        pass
    return path


def broken_message(exc: BaseException, log: Path) -> str:
    """The Chinese message when perfxl's own modules cannot be loaded."""
    return (f"perfxl 无法运行：它需要的程序包缺失或已损坏（{type(exc).__name__}：{exc}）。"
            "常见原因是安装不完整或文件被杀毒软件隔离。请重新运行安装包中的 install.cmd，"
            f"或在命令提示符中运行 perfxl doctor 查看原因。详细信息已写入 {log}。")


def broken(entry: str, book: Any, exc: BaseException) -> None:
    """Tell the user in Chinese that perfxl cannot run; the traceback goes to the log.

    An alert through xlwings when it can be had (RunPython runs in xlwings, so it
    usually can); else the message on stderr and exit code 1: xlwings' RunPython then
    shows stderr in its message box — the Chinese message, not a traceback."""
    text = broken_message(exc, log_failure(entry, exc))
    try:
        import xlwings

        target = book if book is not None else xlwings.Book.caller()
        target.app.alert(text, title=TITLE, mode="critical")
        return
    except Exception:
        pass
    print(text, file=sys.stderr)
    raise SystemExit(1)
