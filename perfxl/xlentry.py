"""The workbook's buttons: the Python functions RunPython calls.

``layout.ACTIONS`` ties each button and ribbon entry to a VBA macro of
``perfxl/workbook/macros/PerfButtons.bas`` (``RunPython "import perfxl.xlentry as e; e.check()"``) and
to one function here.  Each function ``f(book=None)`` is thin: it reads the open book
through ``XlwingsSource`` (the same reader as ``perfxl check book.xlsm``), calls the
same application-layer functions as the command line (``perfxl.app``), and writes back
through xlwings only (``perfxl.workbook.xlwrite``, ``perfxl.xlbook``).  Nothing saves
the book: the user saves it in Excel.

Every function catches every exception.  The user sees a short Chinese message (the
status bar, or an alert where there is none) and never a Python traceback.

When perfxl's own modules cannot be imported (a dependency missing or quarantined by
antivirus), this module still imports (its other imports are in one ``try``) and each
button shows one Chinese message and logs the traceback (``perfxl.xlfallback``).  Not
covered: perfxl missing from the interpreter xlwings.conf names, or ``perfxl/__init__``
itself failing: the import fails before any perfxl code runs and xlwings shows its
English traceback (``perfxl doctor`` / ``perfxl setup`` prevent and explain that case).

Engines.  Windows and macOS Excel run these through RunPython.  The tests run them on
xlwings' remote engine (``xw.Book(json=...)``), which records writes as actions: it has
no status bar (an alert is shown instead), an alert cannot return an answer (the safe
choice is taken: a new file name, no overwriting of data), and a book has no folder
(set ``PERFXL_OUTPUT_DIR``, which also overrides the folder in Excel).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .xlfallback import LOG_NAME as LOG_NAME
from .xlfallback import broken as _broken
from .xlfallback import broken_message

#: the button functions (``buttons.ENTRY_POINTS``; a test keeps the two the same).  Written
#: out here so that this module imports even when the modules below cannot.
__all__ = ["add_project", "check", "export_pdf", "import_data", "next_year", "recalc", "report", "self_test"]

#: why the modules the buttons need could not be imported (None: they were)
_IMPORT_ERROR: BaseException | None = None
try:
    import xlwings as xw

    from . import xlbook as ui
    from .app.reports import OUTPUT_DIR_ENV as OUTPUT_DIR_ENV
    from .app.reports import free_report_path, report_folder
    from .errors import PerfxlError
    from .workbook import layout as L
    from .workbook.xlwrite import (
        BookMap,
        XlEntryError,
        XlwingsSource,
        apply,
        excel_text,
        findings_rows,
        formula_blocks,
        layout_fills,
        marked_fills,
        paint,
        severity_fills,
    )
except Exception as exc:  # a missing or broken dependency: each button then says so in Chinese
    _IMPORT_ERROR = exc

if TYPE_CHECKING:
    from .workbook.reader import ReadResult


# --------------------------------------------------------------------------- the buttons


def check(book=None):
    """校验数据: list every finding in 校验结果 (errors first, each linked to its cell),
    mark the cells by severity and show the summary."""
    _run("check", _check, book)


def recalc(book=None):
    """重新计算: write the per-row formulas of every region (rows inserted by the user
    get theirs) and recalculate."""
    _run("recalc", _recalc, book)


def report(book=None):
    """生成报告: write the 自评报告 (.docx) next to the workbook and preview it."""
    _run("report", lambda b: _report(b, pdf=False), book)


def export_pdf(book=None):
    """导出PDF: the same report, also as PDF (LibreOffice, or Word on Windows)."""
    _run("export_pdf", lambda b: _report(b, pdf=True), book)


def add_project(book=None):
    """新增项目表: a copy of the first 附件3 sheet with its inputs cleared."""
    _run("add_project", _add_project, book)


def import_data(book=None):
    """导入数据: fill every input from a perfxl data file (.json) or another workbook."""
    _run("import_data", _import_data, book)


def next_year(book=None):
    """由上年生成: next year's workbook beside last year's file (path in the 导入数据 cell);
    the open workbook is not changed."""
    _run("next_year", _next_year, book)


def self_test(book=None):
    """环境自检: the checks of ``perfxl doctor`` (``app.environment``), in 填表说明."""
    _run("self_test", _self_test, book)


# --------------------------------------------------------------------------- running, messages


def _run(entry: str, func: Callable[[Any], None], book: Any) -> None:
    if _IMPORT_ERROR is not None:
        _broken(entry, book, _IMPORT_ERROR)
        return
    caption = L.action(entry).caption
    try:
        book = book if book is not None else xw.Book.caller()
    except Exception:
        path = ui.log_error(entry)
        print(f"perfxl：“{caption}”需要从 Excel 的按钮运行（找不到调用它的工作簿）。详情见 {path}", file=sys.stderr)
        return
    try:
        ui.status(book, f"正在{caption}……")
        func(book)
    except PerfxlError as exc:  # a known failure: its own Chinese message
        ui.tell(book, f"{caption}未完成：{exc}", error=True)
    except ImportError as exc:  # a module a button loads on demand is missing: the install, not a bug
        ui.tell(book, f"{caption}未完成：" + broken_message(exc, ui.log_error(entry)), error=True)
    except Exception as exc:
        path = ui.log_error(entry)
        hint = "如工作表受保护，请先在“审阅”中撤销工作表保护后重试；" if sys.platform == "darwin" else ""
        ui.tell(book, f"{caption}时出现内部错误（{type(exc).__name__}：{exc}）。{hint}详细信息已写入 {path}，请把该文件发给开发者。",
              error=True)


# --------------------------------------------------------------------------- reading


#: where a profile named by the workbook comes from, for the message (``app.profiles``)
PROFILE_WHERE = "工作簿“基本情况”表"


def _read(book: Any) -> tuple[ReadResult, BookMap]:
    """(ReadResult, BookMap) of the open book: the reader of the command line."""
    from .workbook.reader import read_evaluation

    source = XlwingsSource(book)
    bm = BookMap.of(source)
    return read_evaluation(source), bm


# --------------------------------------------------------------------------- 校验数据


def _check(book: Any) -> None:
    from .app.assessing import assess_evaluation
    from .present import summary_line
    from .workbook.reader import read_evaluation

    source = XlwingsSource(book)
    bm = BookMap.of(source)
    sheet, summary_cell = bm.output("check.summary")  # 校验结果 must be there before any work
    advice_sheet, advice_cell = bm.output("check.suggestions")
    result = read_evaluation(source)
    assessed = assess_evaluation(result.evaluation, reading=result.findings, locator=result.locator,
                                 where=PROFILE_WHERE)
    profile = assessed.profile
    findings = list(assessed.findings)

    first = L.FINDINGS_FIRST_ROW
    ncols = len(L.FINDINGS_COLUMNS)
    rows = findings_rows(findings) or [[None if attr != "message" else "未发现问题。" for _, attr, _ in L.FINDINGS_COLUMNS]]
    xl = book.sheets[sheet]
    data = bm.data_sheets()
    with ui.writable(book, sheet, *(at.name for at in data)):
        xl.range((first, 1), (max(ui.last_row(xl), first), ncols)).clear()
        xl.range((first - 1, 1), (first - 1, ncols)).value = [[text for _, _, text in L.FINDINGS_COLUMNS]]
        xl.range((first, 1), (first + len(rows) - 1, ncols)).value = rows
        paint(book, sheet, severity_fills(findings, first))
        summary = summary_line(findings)
        ui.set_text(book, sheet, summary_cell, f"{summary}（{dt.datetime.now():%Y-%m-%d %H:%M} 校验，评分方案：{profile.name}）")
        for at in data:  # every earlier mark goes back to the layout's colour, then the new marks
            paint(book, at.name, marked_fills(layout_fills(bm, at), findings, at.name))
    advice = [[s.code, s.text] for s in assessed.suggestions][: L.SUGGESTION_ROWS]
    col, row = L.split_cell(advice_cell)
    block = advice + [[None, None]] * (L.SUGGESTION_ROWS - len(advice))
    with ui.writable(book, advice_sheet):
        book.sheets[advice_sheet].range(f"{advice_cell}:{L.shift_col(col, 1)}{row + L.SUGGESTION_ROWS - 1}").value = [
            [code, excel_text(text) if text else None] for code, text in block
        ]
    xl.activate()
    ui.tell(book, f"校验完成：{summary}。详见“{sheet}”表，点单元格列中的地址可跳转。")


# --------------------------------------------------------------------------- 重新计算


def _recalc(book: Any) -> None:
    bm = BookMap.of(XlwingsSource(book))
    data = bm.data_sheets()
    if not data:
        raise XlEntryError("本工作簿中没有 perfxl 的表格（基本情况、附件1—3 等），无可计算的内容。")
    blocks, rows = [], 0
    for at in data:
        more, covered = formula_blocks(bm, at)
        blocks += more
        rows += covered
    with ui.writable(book, *(at.name for at in data)):
        apply(book, blocks)
    book.app.calculate()
    ui.tell(book, f"重新计算完成：已为 {rows} 行补齐公式并重新计算。")


# --------------------------------------------------------------------------- 生成报告 / 导出PDF


def output_dir(book: Any) -> Path:
    """$PERFXL_OUTPUT_DIR, else the workbook's folder (``app.reports.report_folder``)."""
    return report_folder(str(book.fullname))


def _report(book: Any, pdf: bool) -> None:
    from .app.reports import PublicationBlocked, report_paragraphs, write_report
    from .report.pdf import pdf_converter, word_to_pdf
    from .report.render import ReportResult

    converter = pdf_converter() if pdf else None
    if pdf and converter is None:
        raise XlEntryError("未找到 LibreOffice（soffice），也未找到 Microsoft Word，无法导出 PDF。"
                           "请安装 LibreOffice（或设置环境变量 PERFXL_SOFFICE 指向 soffice 程序）；"
                           "也可以点“生成报告”得到 Word 文件，再在 Word 中另存为 PDF。")
    result, bm = _read(book)
    status_sheet, status_cell = bm.output("report.status")
    preview_sheet, preview_cell = bm.output("report.preview")
    out = output_dir(book) / f"{Path(book.name).stem}-自评报告.docx"
    overwrite = False
    if out.exists() or (pdf and out.with_suffix(".pdf").exists()):
        answer = ui.ask(book, f"“{out.name}”已存在。\n选“是”覆盖；选“否”另存为新文件。")
        overwrite = answer is True
        if not overwrite:
            out = free_report_path(out, pdf)
    def write(draft: bool) -> ReportResult:
        return write_report(result.evaluation, out, pdf=converter == "libreoffice", force=overwrite,
                            where=PROFILE_WHERE, draft=draft)

    try:
        written = write(draft=False)
    except PublicationBlocked as blocked:
        # errors stop publication (issue 10); a draft is the user's explicit choice
        if ui.ask(book, _draft_question(blocked)) is not True:
            raise XlEntryError(f"数据中有 {len(blocked.findings)} 项错误，未生成自评报告。"
                               "请先点“校验数据”，按“校验结果”表逐项改正后再生成。") from None
        written = write(draft=True)
    pdf_path = written.pdf
    if converter == "word":
        pdf_path = out.with_suffix(".pdf")
        word_to_pdf(written.docx, pdf_path, overwrite=overwrite)
    paragraphs = report_paragraphs(written.docx)
    what = "已生成草稿" if written.draft else "已生成报告"
    done = f"{what}：{written.docx}" + (f"；PDF：{pdf_path}" if pdf_path else "")
    if written.review:
        done += f"；校验说明：{written.review}"
    if written.missing:
        done += f"。报告中有 {len(written.missing)} 处【待填写】：" + "；".join(written.missing)
    with ui.writable(book, status_sheet, preview_sheet):
        ui.set_text(book, status_sheet, status_cell, f"{dt.datetime.now():%Y-%m-%d %H:%M} {done}")
        ui.write_column(book, preview_sheet, preview_cell, paragraphs)
    ui.tell(book, done, alert=True)


def _draft_question(blocked: Any) -> str:
    shown = [f"{i}. {f.where}：{f.message}" for i, f in enumerate(blocked.findings[:8], 1)]
    more = len(blocked.findings) - len(shown)
    return (f"数据中有 {len(blocked.findings)} 项错误，不能生成报送用的正式报告：\n" + "\n".join(shown)
            + (f"\n……另有 {more} 项，见“校验结果”表。" if more > 0 else "")
            + "\n\n选“是”生成标有“草稿”字样的报告（错误列在同名的“校验说明”文件中）；选“否”不生成。")


def _add_project(book: Any) -> None:
    from .xlimport import add_project_sheet

    add_project_sheet(book)


def _import_data(book: Any) -> None:
    from .xlimport import import_data_file

    import_data_file(book)


# --------------------------------------------------------------------------- 环境自检


def _next_year(book: Any) -> None:
    from .xlimport import next_year_from_file

    next_year_from_file(book)


def _self_test(book: Any) -> None:
    bm = BookMap.of(XlwingsSource(book))
    sheet, cell = bm.output("selftest.result")
    from .app.environment import environment_checks, read_conf_sheet_of

    checks = environment_checks(workbook=_book_path(book), sheet_conf=read_conf_sheet_of(book))
    lines = [f"自检时间：{dt.datetime.now():%Y-%m-%d %H:%M}"] + [c.line() for c in checks]
    with ui.writable(book, sheet):
        ui.write_column(book, sheet, cell, lines)
    bad = sum(1 for c in checks if c.problem)
    good = sum(1 for c in checks if c.applies) - bad
    text = f"环境自检：{good} 项正常，{bad} 项异常。详见“{sheet}”表 {cell} 起。"
    book.sheets[sheet].activate()
    ui.tell(book, text, alert=True, error=bad > 0)


def _book_path(book: Any) -> Path | None:
    """The open book's file (None when it has none: a new book, the remote engine)."""
    try:
        path = Path(str(book.fullname))
    except Exception:
        return None
    return path if path.is_absolute() and path.is_file() else None
