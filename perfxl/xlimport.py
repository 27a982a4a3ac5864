"""The 新增项目表, 导入数据 and 由上年生成 buttons: writing a project sheet or a whole data file into
the open workbook through xlwings (``perfxl.xlentry`` runs them and turns errors into
Chinese messages).  由上年生成 writes no cell: it builds a new workbook beside last
year's file (``perfxl.app.nextyear``, the same as ``perfxl new --from``).

Split from ``xlentry`` to keep each module readable in one sitting; it shares the
workbook map (``BookMap``) and the writers of ``perfxl.workbook.xlwrite``.  Only input
cells (unlocked) are written, so a protected sheet needs no unprotecting.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import xlbook as ui
from .workbook import layout as L
from .workbook.xlwrite import (
    BookMap,
    SheetAt,
    XlEntryError,
    XlwingsSource,
    apply,
    record_blocks,
    record_of,
    unmerge_runs,
)

if TYPE_CHECKING:
    from .core.model import Evaluation


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
    with ui.writable(book, name):
        unmerge_runs(book, bm, at)  # the copy has the source's merged runs
    apply(book, blocks)
    return at


def add_project_sheet(book: Any) -> None:
    bm = BookMap.of(XlwingsSource(book))
    at = _new_project_sheet(book, bm)
    book.sheets[at.name].activate()
    ui.tell(book, f"已新增工作表“{at.name}”。请填写项目名称和各栏数据。")


# --------------------------------------------------------------------------- 导入数据


def _import_path(book: Any, bm: BookMap, *, what: str = "数据文件", button: str = "导入数据",
                 title: str = "选择要导入的数据文件") -> Path:
    """The path typed in the ``import.path`` cell (导入数据 and 由上年生成 share it), else
    chosen in Excel's file dialog on Windows; *what* / *button* / *title* word the messages."""
    sheet, cell = bm.output("import.path")
    typed = book.sheets[sheet].range(cell).value
    text = str(typed).strip().strip('"').strip() if typed is not None else ""
    if not text and sys.platform.startswith("win") and ui.desktop(book):
        chosen = book.app.api.GetOpenFilename("perfxl 数据文件 (*.json;*.xlsm;*.xlsx),*.json;*.xlsm;*.xlsx", 1, title)
        text = chosen if isinstance(chosen, str) else ""
    if not text:
        raise XlEntryError(f"请在“{sheet}”表的 {cell} 单元格填写{what}（.json 或 .xlsm）的完整路径，再点“{button}”。")
    return Path(text)


def _has_data(evaluation: Evaluation) -> bool:
    return bool(evaluation.department or evaluation.year or evaluation.overall.unit_name
                or any(p.name for p in evaluation.projects))


def import_data_file(book: Any) -> None:
    from .app.inputs import open_input

    source = XlwingsSource(book)
    bm = BookMap.of(source)
    path = _import_path(book, bm)
    if path.resolve() == Path(str(book.fullname)).resolve():
        raise XlEntryError("不能从工作簿自身导入。")
    data = open_input(path).evaluation
    try:
        L.shape_for(data)
    except L.CapacityError as exc:
        raise XlEntryError(f"数据超出表格容量：{exc}") from None
    from .workbook.reader import read_evaluation

    if _has_data(read_evaluation(source).evaluation):
        answer = ui.ask(book, f"导入将用“{path.name}”中的数据覆盖本工作簿已填写的内容（公式不受影响）。是否继续？")
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
    with ui.writable(book, *(at.name for at in bm.data_sheets())):
        for at in bm.data_sheets():
            unmerge_runs(book, bm, at)  # runs merged for the data written before
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
    ui.tell(book, text + "。请点“校验数据”检查。", alert=True)


# --------------------------------------------------------------------------- 由上年生成


def next_year_from_file(book: Any) -> None:
    """由上年生成: next year's workbook from the last year's file named in the ``import.path``
    cell (as 导入数据), written beside that file under a free name (``app.nextyear``).  The
    open workbook is only read (for the cell), never changed; the file is read from disk,
    so a last year's workbook that is open must be saved first."""
    from .app.nextyear import next_year_file

    bm = BookMap.of(XlwingsSource(book))
    path = _import_path(book, bm, what="上年的工作簿或数据文件", button="由上年生成", title="选择上年的工作簿或数据文件")
    made = next_year_file(path)
    ui.tell(book, f"已由“{path.name}”生成下一年度工作簿：{made}。本工作簿未改动；请打开新工作簿填写本年数据。",
            alert=True)
