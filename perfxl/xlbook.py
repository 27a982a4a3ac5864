"""Talking to an open Excel book through xlwings: the status bar, alerts, a yes/no
question, lifting a sheet's protection while writing, writing a column of text, and the
log of unexpected errors.  Used by the buttons (``perfxl.xlentry``); split from it to
keep each module about one thing.

Engines: Windows and macOS Excel, and xlwings' remote engine in the tests, which has no
status bar (an alert is shown instead) and whose alerts return no answer (``ask`` gives
``None``; the caller then takes the safe choice).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .workbook import layout as L
from .workbook.xlwrite import excel_text
from .xlfallback import LOG_NAME as LOG_NAME  # one log for the buttons, the UDFs and import failures

TITLE = "部门整体支出绩效自评"


def log_error(entry: str) -> Path:
    """Append the current exception's traceback to the log in the temp folder."""
    path = Path(tempfile.gettempdir()) / LOG_NAME
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"==== {dt.datetime.now():%Y-%m-%d %H:%M:%S} perfxl.xlentry.{entry}\n{traceback.format_exc()}\n")
    except OSError:
        pass
    return path


def status(book: Any, text: str) -> bool:
    """Show *text* in Excel's status bar; False where the engine has none."""
    try:
        book.app.status_bar = f"perfxl：{text}"
        return True
    except Exception:
        return False


def tell(book: Any, text: str, *, alert: bool = False, error: bool = False) -> None:
    """The status bar, and an alert when asked, for errors, or when there is no status bar."""
    try:
        shown = status(book, text)
        if alert or error or not shown:
            book.app.alert(text, title=TITLE, mode="critical" if error else "info")
    except Exception:
        print(f"perfxl：{text}", file=sys.stderr)


def ask(book: Any, question: str) -> bool | None:
    """Yes / no; None when the engine cannot return an answer (xlwings Server)."""
    answer = book.app.alert(question, title=TITLE, buttons="yes_no")
    return None if answer is None else answer == "yes"


def desktop(book: Any) -> bool:
    return book.app.engine.name == "excel"


@contextmanager
def writable(book: Any, *sheets: str) -> Iterator[None]:
    """Lift the sheets' protection (no password, see 填表说明) while writing.

    Only Windows Excel needs and allows this through COM; it is put back with the
    builder's options (insert/delete rows, format rows/columns).  macOS Excel raises on
    a protected cell: the message then tells the user to lift the protection.
    """
    lifted: list[Any] = []
    if sys.platform.startswith("win") and desktop(book):
        for name in dict.fromkeys(sheets):
            api = book.sheets[name].api
            if api.ProtectContents:
                api.Unprotect("")
                lifted.append(api)
    try:
        yield
    finally:
        for api in lifted:
            # Password, DrawingObjects, Contents, Scenarios, UserInterfaceOnly, AllowFormattingCells,
            # AllowFormattingColumns, AllowFormattingRows, AllowInsertingColumns, AllowInsertingRows,
            # AllowInsertingHyperlinks, AllowDeletingColumns, AllowDeletingRows
            api.Protect("", True, True, True, False, False, True, True, False, True, False, False, True)


def write_column(book: Any, sheet: str, cell: str, lines: list[str]) -> None:
    """Text lines from *cell* down, after clearing what an earlier run wrote there."""
    col, row = L.split_cell(cell)
    xl = book.sheets[sheet]
    last = max(row + len(lines) - 1, last_row(xl))
    if last >= row:
        xl.range(f"{col}{row}:{col}{last}").clear_contents()
    if lines:
        xl.range(f"{col}{row}:{col}{row + len(lines) - 1}").value = [[excel_text(t) if t else None] for t in lines]


def last_row(xl_sheet: Any) -> int:
    used = xl_sheet.used_range
    return used.row + used.shape[0] - 1


def set_text(book: Any, sheet: str, cell: str, text: str) -> None:
    book.sheets[sheet].range(cell).value = excel_text(text) if text else None
