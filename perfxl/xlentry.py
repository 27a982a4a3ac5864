"""The workbook's buttons: the Python functions RunPython calls.

``layout.ACTIONS`` ties each button and ribbon entry to a VBA macro of
``perfxl/workbook/macros/PerfButtons.bas`` (``RunPython "import perfxl.xlentry as e; e.check()"``) and
to one function here.  Each function ``f(book=None)`` is thin: it reads the open book
through ``XlwingsSource`` (the same reader as ``perfxl check book.xlsm``), calls the
same core functions as the command line, and writes back through xlwings only
(``perfxl.workbook.xlwrite``).  Nothing saves the book: the user saves it in Excel.

Every function catches every exception.  The user sees a short Chinese message (the
status bar, or an alert where there is none) and never a Python traceback; unexpected
errors are logged with their traceback to ``<temp>/perfxl-xlentry.log`` and the message
names that file.

Engines.  Windows and macOS Excel run these through RunPython.  The tests run them on
xlwings' remote engine (``xw.Book(json=...)``), which records writes as actions: it has
no status bar (an alert is shown instead), an alert cannot return an answer (the safe
choice is taken: a new file name, no overwriting of data), and a book has no folder
(set ``PERFXL_OUTPUT_DIR``, which also overrides the folder in Excel).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import xlwings as xw

from .workbook import layout as L
from .workbook.xlwrite import (
    BookMap,
    SheetAt,
    XlEntryError,
    XlwingsSource,
    apply,
    excel_text,
    findings_rows,
    formula_blocks,
    layout_fills,
    marked_fills,
    paint,
    record_blocks,
    record_of,
    severity_fills,
)

__all__ = list(L.ENTRY_POINTS)

TITLE = "部门整体支出绩效自评"
#: where the report is written instead of the workbook's folder
OUTPUT_DIR_ENV = "PERFXL_OUTPUT_DIR"
LOG_NAME = "perfxl-xlentry.log"


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


def self_test(book=None):
    """环境自检: Python, perfxl, xlwings, LibreOffice and the UDF module, in 填表说明."""
    _run("self_test", _self_test, book)


# --------------------------------------------------------------------------- running, messages


def _user_errors() -> tuple[type[Exception], ...]:
    from .core.profile import ProfileError
    from .fileio import InputError
    from .report.files import ReportError
    from .workbook.reader import WorkbookError

    return XlEntryError, InputError, ReportError, ProfileError, WorkbookError, L.CapacityError


def _run(entry: str, func: Callable[[Any], None], book: Any) -> None:
    caption = L.action(entry).caption
    try:
        book = book if book is not None else xw.Book.caller()
    except Exception:
        path = _log(entry)
        print(f"perfxl：“{caption}”需要从 Excel 的按钮运行（找不到调用它的工作簿）。详情见 {path}", file=sys.stderr)
        return
    try:
        _status(book, f"正在{caption}……")
        func(book)
    except _user_errors() as exc:
        _tell(book, f"{caption}未完成：{exc}", error=True)
    except Exception as exc:
        path = _log(entry)
        hint = "如工作表受保护，请先在“审阅”中撤销工作表保护后重试；" if sys.platform == "darwin" else ""
        _tell(book, f"{caption}时出现内部错误（{type(exc).__name__}：{exc}）。{hint}详细信息已写入 {path}，请把该文件发给开发者。",
              error=True)


def _log(entry: str) -> Path:
    """Append the current exception's traceback to the log in the temp folder."""
    path = Path(tempfile.gettempdir()) / LOG_NAME
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"==== {dt.datetime.now():%Y-%m-%d %H:%M:%S} perfxl.xlentry.{entry}\n{traceback.format_exc()}\n")
    except OSError:
        pass
    return path


def _status(book: Any, text: str) -> bool:
    """Show *text* in Excel's status bar; False where the engine has none."""
    try:
        book.app.status_bar = f"perfxl：{text}"
        return True
    except Exception:
        return False


def _tell(book: Any, text: str, *, alert: bool = False, error: bool = False) -> None:
    """The status bar, and an alert when asked, for errors, or when there is no status bar."""
    try:
        shown = _status(book, text)
        if alert or error or not shown:
            book.app.alert(text, title=TITLE, mode="critical" if error else "info")
    except Exception:
        print(f"perfxl：{text}", file=sys.stderr)


def _ask(book: Any, question: str) -> bool | None:
    """Yes / no; None when the engine cannot return an answer (xlwings Server)."""
    answer = book.app.alert(question, title=TITLE, buttons="yes_no")
    return None if answer is None else answer == "yes"


def _desktop(book: Any) -> bool:
    return book.app.engine.name == "excel"


@contextmanager
def _writable(book: Any, *sheets: str) -> Iterator[None]:
    """Lift the sheets' protection (no password, see 填表说明) while writing.

    Only Windows Excel needs and allows this through COM; it is put back with the
    builder's options (insert/delete rows, format rows/columns).  macOS Excel raises on
    a protected cell: the message then tells the user to lift the protection.
    """
    lifted = []
    if sys.platform.startswith("win") and _desktop(book):
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


def _write_column(book: Any, sheet: str, cell: str, lines: list[str]) -> None:
    """Text lines from *cell* down, after clearing what an earlier run wrote there."""
    col, row = L.split_cell(cell)
    xl = book.sheets[sheet]
    last = max(row + len(lines) - 1, _last_row(xl))
    if last >= row:
        xl.range(f"{col}{row}:{col}{last}").clear_contents()
    if lines:
        xl.range(f"{col}{row}:{col}{row + len(lines) - 1}").value = [[excel_text(t) if t else None] for t in lines]


def _last_row(xl_sheet: Any) -> int:
    used = xl_sheet.used_range
    return used.row + used.shape[0] - 1


def _set(book: Any, sheet: str, cell: str, text: str) -> None:
    book.sheets[sheet].range(cell).value = excel_text(text) if text else None


# --------------------------------------------------------------------------- reading


def _read(book: Any):
    """(ReadResult, BookMap) of the open book: the reader of the command line."""
    from .workbook.reader import read_evaluation

    source = XlwingsSource(book)
    bm = BookMap.of(source)
    return read_evaluation(source), bm


def _profile(evaluation):
    from .core.profile import ProfileError, load_profile

    try:
        return load_profile(evaluation.profile or "default")
    except ProfileError as exc:
        raise XlEntryError(f"“基本情况”中的评分规则方案无法使用：{exc}") from None


# --------------------------------------------------------------------------- 校验数据


def _check(book: Any) -> None:
    from .core.assessment import assess
    from .present import summary_line
    from .workbook.reader import read_evaluation

    source = XlwingsSource(book)
    bm = BookMap.of(source)
    sheet, summary_cell = bm.output("check.summary")  # 校验结果 must be there before any work
    advice_sheet, advice_cell = bm.output("check.suggestions")
    result = read_evaluation(source)
    evaluation = result.evaluation
    profile = _profile(evaluation)
    assessed = assess(evaluation, profile, reading=result.findings, locator=result.locator)
    findings = list(assessed.findings)

    first = L.FINDINGS_FIRST_ROW
    ncols = len(L.FINDINGS_COLUMNS)
    rows = findings_rows(findings) or [[None if attr != "message" else "未发现问题。" for _, attr, _ in L.FINDINGS_COLUMNS]]
    xl = book.sheets[sheet]
    data = bm.data_sheets()
    with _writable(book, sheet, *(at.name for at in data)):
        xl.range((first, 1), (max(_last_row(xl), first), ncols)).clear()
        xl.range((first - 1, 1), (first - 1, ncols)).value = [[text for _, _, text in L.FINDINGS_COLUMNS]]
        xl.range((first, 1), (first + len(rows) - 1, ncols)).value = rows
        paint(book, sheet, severity_fills(findings, first))
        summary = summary_line(findings)
        _set(book, sheet, summary_cell, f"{summary}（{dt.datetime.now():%Y-%m-%d %H:%M} 校验，评分方案：{profile.name}）")
        for at in data:  # every earlier mark goes back to the layout's colour, then the new marks
            paint(book, at.name, marked_fills(layout_fills(bm, at), findings, at.name))
    advice = [[s.code, s.text] for s in assessed.suggestions][: L.SUGGESTION_ROWS]
    col, row = L.split_cell(advice_cell)
    block = advice + [[None, None]] * (L.SUGGESTION_ROWS - len(advice))
    with _writable(book, advice_sheet):
        book.sheets[advice_sheet].range(f"{advice_cell}:{L.shift_col(col, 1)}{row + L.SUGGESTION_ROWS - 1}").value = [
            [code, excel_text(text) if text else None] for code, text in block
        ]
    xl.activate()
    _tell(book, f"校验完成：{summary}。详见“{sheet}”表，点单元格列中的地址可跳转。")


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
    with _writable(book, *(at.name for at in data)):
        apply(book, blocks)
    book.app.calculate()
    _tell(book, f"重新计算完成：已为 {rows} 行补齐公式并重新计算。")


# --------------------------------------------------------------------------- 生成报告 / 导出PDF


def output_dir(book: Any) -> Path:
    """$PERFXL_OUTPUT_DIR, else the workbook's folder."""
    configured = os.environ.get(OUTPUT_DIR_ENV)
    if configured:
        folder = Path(configured)
        if not folder.is_dir():
            raise XlEntryError(f"环境变量 {OUTPUT_DIR_ENV} 指定的文件夹不存在：{folder}")
        return folder
    fullname = str(book.fullname)
    if fullname.lower().startswith(("http://", "https://")):
        raise XlEntryError("工作簿保存在 OneDrive / SharePoint 网络位置，无法在其旁边写入报告。"
                           f"请把工作簿另存到本机文件夹，或设置环境变量 {OUTPUT_DIR_ENV} 指定输出文件夹。")
    folder = Path(fullname).parent
    if not Path(fullname).is_absolute() or not folder.is_dir():
        raise XlEntryError(f"无法确定工作簿所在的文件夹（工作簿尚未保存？）。请先保存工作簿，或设置环境变量 {OUTPUT_DIR_ENV} 指定输出文件夹。")
    return folder


def _free_name(out: Path, pdf: bool) -> Path:
    """"…-自评报告(2).docx", "(3)" … the first name whose .docx (and .pdf) do not exist."""
    n = 2
    while True:
        candidate = out.with_name(f"{out.stem}({n}){out.suffix}")
        if not candidate.exists() and not (pdf and candidate.with_suffix(".pdf").exists()):
            return candidate
        n += 1


def _pdf_converter() -> str | None:
    """"libreoffice", "word" (Windows, no LibreOffice) or None."""
    from .report.pdf import find_soffice

    if find_soffice():
        return "libreoffice"
    if sys.platform.startswith("win"):
        try:
            import winreg

            import win32com.client  # noqa: F401  (pywin32 comes with xlwings on Windows)

            winreg.CloseKey(winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, "Word.Application"))
            return "word"
        except Exception:
            return None
    return None


def _word_pdf(docx: Path, pdf: Path) -> None:
    """The report → PDF through Word (Windows, when LibreOffice is missing)."""
    import win32com.client

    word = win32com.client.DispatchEx("Word.Application")
    try:
        word.Visible = False
        document = word.Documents.Open(str(docx), False, True)  # ConfirmConversions, ReadOnly
        try:
            document.ExportAsFixedFormat(str(pdf), 17)  # wdExportFormatPDF
        finally:
            document.Close(False)
    finally:
        word.Quit()


def _report(book: Any, pdf: bool) -> None:
    from .report.render import write_report

    converter = _pdf_converter() if pdf else None
    if pdf and converter is None:
        raise XlEntryError("未找到 LibreOffice（soffice），也未找到 Microsoft Word，无法导出 PDF。"
                           "请安装 LibreOffice（或设置环境变量 PERFXL_SOFFICE 指向 soffice 程序）；"
                           "也可以点“生成报告”得到 Word 文件，再在 Word 中另存为 PDF。")
    result, bm = _read(book)
    status_sheet, status_cell = bm.output("report.status")
    preview_sheet, preview_cell = bm.output("report.preview")
    evaluation = result.evaluation
    profile = _profile(evaluation)
    out = output_dir(book) / f"{Path(book.name).stem}-自评报告.docx"
    overwrite = False
    if out.exists() or (pdf and out.with_suffix(".pdf").exists()):
        answer = _ask(book, f"“{out.name}”已存在。\n选“是”覆盖；选“否”另存为新文件。")
        overwrite = answer is True
        if not overwrite:
            out = _free_name(out, pdf)
    written = write_report(evaluation, out, profile=profile, pdf=converter == "libreoffice", overwrite=overwrite)
    pdf_path = written.pdf
    if converter == "word":
        pdf_path = out.with_suffix(".pdf")
        _word_pdf(written.docx, pdf_path)

    from docx import Document

    paragraphs = [p.text for p in Document(str(written.docx)).paragraphs if p.text.strip()]
    done = f"已生成报告：{written.docx}" + (f"；PDF：{pdf_path}" if pdf_path else "")
    if written.missing:
        done += f"。报告中有 {len(written.missing)} 处【待填写】：" + "；".join(written.missing)
    with _writable(book, status_sheet, preview_sheet):
        _set(book, status_sheet, status_cell, f"{dt.datetime.now():%Y-%m-%d %H:%M} {done}")
        _write_column(book, preview_sheet, preview_cell, paragraphs)
    _tell(book, done, alert=True)


# --------------------------------------------------------------------------- 新增项目表


def _new_project_sheet(book: Any, bm: BookMap, record: Any = None) -> SheetAt:
    """Copy the first 附件3 sheet after the last one, name it ``project_sheet_name(n)``,
    give it the sheet-scoped names the reader follows, and write *record* into its
    inputs (default: the blank template's project, i.e. the form's row labels only).

    Only input cells (unlocked) are written, so a protected copy needs no unprotecting."""
    projects = bm.projects()
    if not projects:
        raise XlEntryError(f"找不到“{L.PROJECT_SHEET}”工作表，无法复制出新的项目表。请从 perfxl 模板中恢复该表。")
    source = projects[0]
    n = len(projects)
    taken = {s.casefold() for s in bm.sheet_names}
    while L.project_sheet_name(n).casefold() in taken:
        n += 1
    name = L.project_sheet_name(n)
    app = book.app
    alerts = app.display_alerts
    app.display_alerts = False  # Excel asks about duplicated names when a sheet is copied
    try:
        book.sheets[source.name].copy(after=book.sheets[projects[-1].name], name=name)
    finally:
        app.display_alerts = alerts
    # Excel copies a sheet's scoped names with it; add those that are missing
    copied = {(scope, local) for scope, local, _ in XlwingsSource(book).defined_names()}
    from .workbook.reader import parse_refers_to

    new_sheet = book.sheets[name]
    for (scope, local), text in bm.names.items():
        place = parse_refers_to(text)
        if scope != source.name or (name, local) in copied or place is None or place.sheet != source.name:
            continue
        first = f"${place.first_col}${place.first_row}"
        last = f"${place.last_col}${place.last_row}"
        new_sheet.names.add(local, f"={L.quote_sheet(name)}!{first}" + (f":{last}" if last != first else ""))
    layout = L.workbook_layout(L.Shape(projects=n + 1))
    at = SheetAt(layout.projects[n], name, names_of=source.name)
    blocks, _ = record_blocks(bm, at, record if record is not None else L.blank_evaluation().projects[0])
    apply(book, blocks)
    return at


def _add_project(book: Any) -> None:
    bm = BookMap.of(XlwingsSource(book))
    at = _new_project_sheet(book, bm)
    book.sheets[at.name].activate()
    _tell(book, f"已新增工作表“{at.name}”。请填写项目名称和各栏数据。")


# --------------------------------------------------------------------------- 导入数据


def _import_path(book: Any, bm: BookMap) -> Path:
    sheet, cell = bm.output("import.path")
    typed = book.sheets[sheet].range(cell).value
    text = str(typed).strip().strip('"').strip() if typed is not None else ""
    if not text and sys.platform.startswith("win") and _desktop(book):
        chosen = book.app.api.GetOpenFilename("perfxl 数据文件 (*.json;*.xlsm;*.xlsx),*.json;*.xlsm;*.xlsx", 1, "选择要导入的数据文件")
        text = chosen if isinstance(chosen, str) else ""
    if not text:
        raise XlEntryError(f"请在“{sheet}”表的 {cell} 单元格填写数据文件（.json 或 .xlsm）的完整路径，再点“导入数据”。")
    return Path(text)


def _has_data(evaluation) -> bool:
    return bool(evaluation.department or evaluation.year or evaluation.overall.unit_name
                or any(p.name for p in evaluation.projects))


def _import_data(book: Any) -> None:
    from .fileio import load

    source = XlwingsSource(book)
    bm = BookMap.of(source)
    path = _import_path(book, bm)
    if path.resolve() == Path(str(book.fullname)).resolve():
        raise XlEntryError("不能从工作簿自身导入。")
    data = load(path).evaluation
    try:
        L.shape_for(data)
    except L.CapacityError as exc:
        raise XlEntryError(f"数据超出表格容量：{exc}") from None
    from .workbook.reader import read_evaluation

    if _has_data(read_evaluation(source).evaluation):
        answer = _ask(book, f"导入将用“{path.name}”中的数据覆盖本工作簿已填写的内容（公式不受影响）。是否继续？")
        if answer is None:
            raise XlEntryError("本工作簿已有数据，而当前环境无法弹出确认框，为免覆盖未导入。请在空白工作簿中导入。")
        if not answer:
            raise XlEntryError("已取消，未导入任何数据。")
    for key in ("general", "basic", "overall", "report"):
        bm.require(key)
    projects = bm.projects()
    if not projects:
        raise XlEntryError(f"找不到“{L.PROJECT_SHEET}”工作表，无法导入项目数据。请从 perfxl 模板中恢复该表。")
    # every block is planned (and checked) before anything is written; a project sheet
    # still to be added has the first project sheet's rows
    layout = L.workbook_layout(L.Shape(projects=max(len(projects), len(data.projects))))
    blank = L.blank_evaluation().projects[0]
    plans, problems = [], []
    for at in bm.data_sheets():
        record = record_of(data, at) if at.decl.key != "project" or at.index < len(data.projects) else blank
        blocks, issues = record_blocks(bm, at, record)
        plans.append(blocks)
        problems += issues
    for i in range(len(projects), len(data.projects)):
        probe = SheetAt(layout.projects[i], projects[0].name)
        problems += record_blocks(bm, probe, data.projects[i])[1]
    if problems:
        raise XlEntryError("未导入任何数据：\n" + "\n".join(problems))
    with _writable(book, *(at.name for at in bm.data_sheets())):
        for blocks in plans:
            apply(book, blocks)
    added = []
    for project in data.projects[len(projects):]:
        added.append(_new_project_sheet(book, BookMap.of(XlwingsSource(book)), project).name)
    book.app.calculate()
    text = f"已从“{path.name}”导入数据"
    if added:
        text += "，新增工作表：" + "、".join(added)
    if len(projects) > len(data.projects):
        text += f"；数据中只有 {len(data.projects)} 个项目，多余的项目表已清空"
    _tell(book, text + "。请点“校验数据”检查。", alert=True)


# --------------------------------------------------------------------------- 环境自检


def _self_checks() -> list[tuple[str, str, bool, str]]:
    """(item, value, ok, hint) of each check."""
    import importlib
    import importlib.metadata

    from .report.pdf import find_soffice

    out = []
    py = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 11)
    out.append(("Python 版本", f"{py}（{sys.executable}）", ok, "" if ok else "perfxl 需要 Python 3.11 或更高版本"))
    try:
        version = importlib.metadata.version("perfxl")
        out.append(("perfxl 版本", version, True, ""))
    except importlib.metadata.PackageNotFoundError:
        out.append(("perfxl 版本", "从源码目录运行（未安装）", True, "建议用 pip install 安装 perfxl"))
    ok = xw.__version__ == L.XLWINGS_VERSION
    out.append(("xlwings 版本", xw.__version__, ok,
                "" if ok else f"工作簿内的 VBA 模块对应 xlwings {L.XLWINGS_VERSION}：请运行 pip install xlwings=={L.XLWINGS_VERSION}"))
    soffice = find_soffice()
    if soffice:
        out.append(("LibreOffice", soffice, True, ""))
    else:
        word = _pdf_converter() == "word"
        out.append(("LibreOffice", "未找到" + ("（将用 Word 导出 PDF）" if word else ""), word,
                    "" if word else "导出 PDF 需要 LibreOffice：请安装，或设置环境变量 PERFXL_SOFFICE 指向 soffice 程序；生成 Word 报告不受影响"))
    try:
        module = importlib.import_module(L.UDF_MODULE)
        missing = [name for name in module.UDF_NAMES if not callable(getattr(module, name, None))]
        ok = not missing
        out.append(("自定义函数模块", L.UDF_MODULE, ok, "" if ok else "缺少函数：" + "、".join(missing)))
    except Exception as exc:
        out.append(("自定义函数模块", L.UDF_MODULE, False, f"无法导入（{type(exc).__name__}：{exc}），PERF_* 函数不可用"))
    return out


def _self_test(book: Any) -> None:
    bm = BookMap.of(XlwingsSource(book))
    sheet, cell = bm.output("selftest.result")
    checks = _self_checks()
    lines = [f"自检时间：{dt.datetime.now():%Y-%m-%d %H:%M}"]
    for item, value, ok, hint in checks:
        lines.append(f"【{'正常' if ok else '异常'}】{item}：{value}" + (f"——{hint}" if hint else ""))
    with _writable(book, sheet):
        _write_column(book, sheet, cell, lines)
    bad = sum(1 for *_, ok, _ in checks if not ok)
    text = f"环境自检：{len(checks) - bad} 项正常，{bad} 项异常。详见“{sheet}”表 {cell} 起。"
    book.sheets[sheet].activate()
    _tell(book, text, alert=True, error=bad > 0)
