"""Read PerfEval.xlsm (or any workbook of its layout) into the model.

The reading logic works on a ``CellSource``: three questions (which sheets, which
defined names, the values of some cells).  A file is answered by ``CalamineSource``
(``calamine.py``: python-calamine, ~5x faster, the default when installed) or
``OpenpyxlSource`` (openpyxl, read-only), never saving it and never running its
macros; the xlwings entry points answer them from an open Excel book, so that all
read exactly alike.  ``read_workbook`` re-reads a file through openpyxl whenever
calamine cannot be exact for it (``calamine.Inexact``, or a calamine error), so its
result is openpyxl's in every case.

Where each field is comes from the workbook's defined names (Excel moves them when
rows are inserted or deleted) and, when a name is missing, from ``layout``.  Static
labels next to the fields are compared with the declaration, so a row deleted by a
tool that does not move names is reported, not silently misread.  What cannot be read
as the model wants becomes a finding with its sheet and cell, never an exception;
only a file that is not a workbook raises ``WorkbookError``.

The cell sources live in ``sources.py`` and ``calamine.py``, the judging of one cell's
value in ``convert.py``, the reading of one sheet in ``sheetread.py``; this module finds
the sheets, reads them into the model and opens the files.

Linear in the number of projects (issue 11 item 6): each sheet's declaration is built
once per process (``_data_sheets``), never again per project or per file; sheet
lookups go through sets and dicts; the locator maps a sheet only when a finding on it
asks (``locator.SheetLocator``).  Its public names (``OpenpyxlSource``, ``XlwingsSource``, ``parse_refers_to`` …) stay
importable from here.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from ..core import codes, forms, model
from ..core.findings import Finding, Severity, Table
from ..errors import WorkbookError as _WorkbookError
from . import layout as L
from .convert import SheetReading as _Sheet
from .convert import convert
from .locator import SheetLocator
from .sheetread import read_sheet
from .sources import CellSource, GridSource, OpenpyxlSource, Place, XlwingsSource, named_place, parse_refers_to

__all__ = [
    "CellSource", "GridSource", "Locator", "OpenpyxlSource", "Place", "ReadResult", "WorkbookError", "XlwingsSource",
    "convert", "file_findings", "find_sheet", "named_place", "open_source", "parse_refers_to", "project_sheets",
    "read_evaluation",
    "read_workbook",
]

#: how ``read_workbook`` reads a file: "auto" (calamine when installed), "calamine" or "openpyxl"
Engine = Literal["auto", "calamine", "openpyxl"]

Locator = Callable[[str], tuple[str, str] | None]
#: the annex forms a workbook is laid out from (``forms.FORMS``: 附件一, 附件二, 附件三)
Forms = tuple[forms.Form, forms.Form, forms.Form]


class WorkbookError(_WorkbookError):
    """The file is not a workbook perfxl can read (the message is Chinese)."""


# --------------------------------------------------------------------------- reading


@dataclass
class ReadResult:
    evaluation: model.Evaluation
    findings: list[Finding]
    locator: Locator


def read_evaluation(source: CellSource, declared: Forms = forms.FORMS) -> ReadResult:
    """Read the model from *source*; the same logic for a file and for an open Excel book.

    *declared*: the annex forms the sheets are laid out from (the shipped ones; a test
    passes a modified declaration to show that a new row is one declaration)."""
    sheets_present = source.sheet_names()
    present = set(sheets_present)
    names: dict[tuple[str | None, str], str] = {}
    for scope, name, text in source.defined_names():
        names[(scope, name)] = text
    findings: list[Finding] = []
    found_projects = project_sheets(sheets_present, names)
    sheet_decls = _data_sheets(max(1, len(found_projects)), declared)
    project_decls = [decl for decl in sheet_decls if decl.key == "project"]
    evaluation = model.Evaluation()
    regions_first: dict[tuple[str, str], tuple[int, int]] = {}
    singles: dict[tuple[str, str], str] = {}
    dict_keys: dict[tuple[str, str], list[str]] = {}
    sheet_names: dict[str, str] = {}
    located: list[L.SheetLayout] = []
    for decl in sheet_decls:
        actual: str | None
        if decl.key == "project":
            index = int(decl.root[len("projects["):-1])
            if index >= len(found_projects):
                continue
            actual = found_projects[index]
        else:
            actual = find_sheet(decl, present, names, findings)
            if actual is None:
                continue
        record: Any = {"general": evaluation, "report": evaluation, "basic": evaluation.basic,
                       "overall": evaluation.overall}.get(decl.key) or model.ProjectTable()
        sheet = _Sheet(decl, actual, decl.table, actual if decl.key != "project" else f"{L.PROJECT_SHEET}（{actual}）",
                       escaped=not isinstance(source, XlwingsSource))  # a file's text has _xHHHH_ escapes; Excel's has not
        plan = read_sheet(sheet, record, source, names)
        if decl.key == "project":
            if record == model.ProjectTable():
                continue  # an empty project sheet (the blank template's) holds no project
            sheet.title = f"{L.PROJECT_SHEET}（{record.name or actual}）"
            sheet.findings = [_retitle(f, sheet.title, len(evaluation.projects), index) for f in sheet.findings]
            new_index = len(evaluation.projects)
            evaluation.projects.append(record)
            decl = project_decls[new_index]  # the same shape: project(shape, i) depends on i only
        findings += sheet.findings
        sheet_names[decl.name] = actual
        for f, cell in plan.singles:
            singles[(decl.name, f.path)] = cell
        for path, cell in plan.computed.items():
            if path.startswith("#keys:"):
                dict_keys[(decl.name, path[6:])] = cell.split("\x1f") if cell else []
            else:
                singles[(decl.name, path)] = cell
        for r, first, rows in plan.regions:
            regions_first[(decl.name, r.path)] = (first, rows)
        located.append(decl)
    if not found_projects:
        findings.append(codes.finding("SHEET_MISSING", Table.PROJECT, "projects", L.PROJECT_SHEET,
                                      f"找不到“{L.PROJECT_SHEET}”工作表：没有读取任何项目。", severity=Severity.WARNING))
    return ReadResult(evaluation, findings, SheetLocator(located, regions_first, singles, dict_keys, sheet_names))


def _data_sheets(projects: int, declared: Forms = forms.FORMS) -> tuple[L.SheetLayout, ...]:
    """The declarations of the sheets that hold the model, in ``workbook_layout`` order, for
    *projects* project sheets (default capacities).

    Not ``workbook_layout``: its ``WorkbookLayout`` maps every cell of the book when made
    (a second ``cell_map`` at 300 projects, ~0.5 s and tens of MiB the reader never uses).
    No sheet's declaration depends on the number of projects, so each is built once per
    process (``_fixed_sheets``, ``_project_sheet``): a batch of files with 1 to 300
    projects builds each project sheet's declaration once.  ``test_reader_calamine``
    checks that both give the same declarations.
    """
    general, basic, overall, report = _fixed_sheets(declared)
    return (general, basic, overall, *(_project_sheet(i, declared) for i in range(projects)), report)


@lru_cache(maxsize=4)
def _fixed_sheets(declared: Forms) -> tuple[L.SheetLayout, ...]:
    from .sheets.basic import basic
    from .sheets.general import general
    from .sheets.performance import overall
    from .sheets.support import report

    shape = L.Shape()
    basic_form, overall_form, _ = declared
    return general(shape), basic(shape, basic_form), overall(shape, overall_form), report(shape)


@lru_cache(maxsize=1024)
def _project_sheet(index: int, declared: Forms) -> L.SheetLayout:
    from .sheets.performance import project

    return project(L.Shape(), index, declared[2])


def _retitle(f: Finding, title: str, new_index: int, old_index: int) -> Finding:
    path = f.path
    if new_index != old_index and path.startswith(f"projects[{old_index}]"):
        path = f"projects[{new_index}]" + path[len(f"projects[{old_index}]"):]
    return dataclasses.replace(f, table_title=title, path=path)


def project_sheets(sheets: Sequence[str], names: dict[tuple[str | None, str], str]) -> list[str]:
    """The 附件3 sheets in workbook order: those with the sheet-scoped name project.name, or so named."""
    return [s for s in sheets if (s, "project.name") in names or s.startswith(L.PROJECT_SHEET)]


def find_sheet(decl: L.SheetLayout, sheets: Collection[str], names: dict[tuple[str | None, str], str],
                findings: list[Finding]) -> str | None:
    """The actual name of *decl*'s sheet among *sheets* (a set is fastest), following a rename in Excel."""
    if decl.name in sheets:
        return decl.name
    # renamed in Excel: the names moved with the sheet
    for f in decl.inputs:
        found = parse_refers_to(names.get((None, decl.name_of(f.path)), ""))
        if found and found.sheet in sheets:
            findings.append(codes.finding("SHEET_RENAMED", decl.table, decl.root, decl.name,
                                          f"工作表“{decl.name}”已改名为“{found.sheet}”，已按改名后的表读取；建议改回原名。",
                                          expected=decl.name, actual=found.sheet, sheet=found.sheet, cell="A1"))
            return found.sheet
    findings.append(codes.finding("SHEET_MISSING", decl.table, decl.root, decl.name,
                                  f"找不到工作表“{decl.name}”（被删除或改名？），该表的数据未读取。", expected=decl.name))
    return None


# --------------------------------------------------------------------------- files

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_source(path: str | Path, engine: Engine = "openpyxl", *, data: bytes | None = None,
                kept: Mapping[str, bytes] | None = None) -> CellSource:
    """Open a workbook file for reading; ``WorkbookError`` when it is not one.

    *engine* "openpyxl" gives an ``OpenpyxlSource``; "calamine" a ``CalamineSource``
    (which may raise ``calamine.Inexact`` or a calamine error: ``read_workbook`` then
    reads through openpyxl); "auto" calamine when installed.  *data*: the file's bytes,
    already read (``app.zipvet.Vetted``): they are parsed instead of the file; *kept*:
    its XML parts already decompressed.
    """
    path = Path(path)
    package = _check_package(path, data)
    try:
        if _use_calamine(engine):
            from .calamine import CalamineSource

            # the source owns (and closes) the open package
            return CalamineSource(path, package, data=data, kept=kept or {})
    except BaseException:
        package.close()
        raise
    package.close()
    try:
        return OpenpyxlSource(path if data is None else io.BytesIO(data))
    except WorkbookError:
        raise
    except Exception:  # openpyxl raises many kinds (and English texts) on a damaged package
        raise WorkbookError(_damaged(path)) from None


def _use_calamine(engine: Engine) -> bool:
    if engine == "auto":
        from .calamine import available

        return available()
    return engine == "calamine"


def _check_package(path: Path, data: bytes | None = None) -> zipfile.ZipFile:
    """The package at *path* (or in *data*, its bytes), open (the caller closes it);
    ``WorkbookError`` when it is not a workbook."""
    if data is None and not path.is_file():
        raise WorkbookError(f"找不到文件：{path}")
    if data is None:
        with open(path, "rb") as fh:
            head = fh.read(8)
    else:
        head = data[:8]
    if head == _OLE_MAGIC:
        raise WorkbookError(f"{path.name} 是旧版 Excel（.xls）或加密的文件：请在 Excel 中另存为 .xlsm 后再读取。")
    source: Path | io.BytesIO = path if data is None else io.BytesIO(data)
    if not zipfile.is_zipfile(source):
        raise WorkbookError(f"{path.name} 不是 Excel 工作簿（.xlsm / .xlsx）。")
    try:
        package = zipfile.ZipFile(source)
    except zipfile.BadZipFile as exc:
        raise WorkbookError(f"{path.name} 已损坏，无法打开：{exc}") from None
    if "xl/workbook.xml" not in package.NameToInfo:
        package.close()
        raise WorkbookError(f"{path.name} 是 zip 文件，但不是 Excel 工作簿（没有 xl/workbook.xml）。")
    return package


def file_findings(path: str | Path, package: zipfile.ZipFile | None = None) -> list[Finding]:
    """Findings about the file as a whole (no VBA project: the buttons cannot work); *package*:
    the file already open (a batch opens each file once for the checks and the reader)."""
    from .parts import is_macro_free

    if package is None:
        with zipfile.ZipFile(path) as z:
            has_vba = "xl/vbaProject.bin" in z.NameToInfo or is_macro_free(z)  # the --no-macros variant: on purpose
    else:
        has_vba = "xl/vbaProject.bin" in package.NameToInfo or is_macro_free(package)
    if has_vba:
        return []
    return [codes.finding("NO_VBA", Table.FILE, "", Path(path).name,
                          "工作簿中没有宏（.xlsx，或宏在另存时丢失）：按钮、功能区和 PERF_* 函数都不可用。"
                          "数据已照常读取；需要按钮时请用 perfxl 重新生成 .xlsm。")]


def read_workbook(path: str | Path, engine: Engine = "auto", declared: Forms = forms.FORMS, *,
                  data: bytes | None = None, kept: Mapping[str, bytes] | None = None,
                  ) -> tuple[model.Evaluation, list[Finding], Locator]:
    """Read a .xlsm/.xlsx into the model: (evaluation, reading findings, locator).

    The locator maps a model path to (sheet, cell) in *this* workbook (it follows
    inserted rows and renamed sheets); pass it to ``findings.locate``.  *engine*: see
    ``open_source``; with calamine, a file it cannot read exactly is read through openpyxl.
    *data*, *kept*: the file as vetted (``app.zipvet.Vetted``), read instead of the file.
    """
    if _use_calamine(engine):
        try:
            result, whole = _read_file(path, "calamine", declared, data, kept)
        except WorkbookError:
            raise
        except Exception:  # calamine.Inexact, a calamine error: openpyxl decides (same result or same refusal)
            result, whole = _read_file(path, "openpyxl", declared, data, kept)
    else:
        result, whole = _read_file(path, "openpyxl", declared, data, kept)
    return result.evaluation, whole + result.findings, result.locator


def _read_file(path: str | Path, engine: Engine, declared: Forms = forms.FORMS, data: bytes | None = None,
               kept: Mapping[str, bytes] | None = None) -> tuple[ReadResult, list[Finding]]:
    """What ``read_evaluation`` reads, and ``file_findings``."""
    source = open_source(path, engine, data=data, kept=kept)
    try:
        sheets = source.sheet_names()
        if not any(name in sheets for name in _PERFXL_SHEETS) and not any(
                name.startswith(L.PROJECT_SHEET) for name in sheets):
            raise WorkbookError(f"{Path(path).name} 不是 perfxl 自评工作簿：其中没有“{L.GENERAL_SHEET}”"
                                f"“{L.BASIC_SHEET}”“{L.OVERALL_SHEET}”等工作表（工作表：{'、'.join(sheets[:6])}）。")
        result = read_evaluation(source, declared)
        package = getattr(source, "package", None)
        if package is None and data is not None:
            with zipfile.ZipFile(io.BytesIO(data)) as copy:
                return result, file_findings(path, copy)
        return result, file_findings(path, package)
    except WorkbookError:
        raise
    except Exception:  # a damaged sheet part (bad XML, missing shared strings …)
        if engine == "calamine":
            raise  # read_workbook tries openpyxl
        raise WorkbookError(_damaged(Path(path))) from None
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()


_PERFXL_SHEETS = (L.GENERAL_SHEET, L.BASIC_SHEET, L.OVERALL_SHEET)


def _damaged(path: Path) -> str:
    return (f"无法读取工作簿 {path.name}：文件内容已损坏或不是标准的 Excel 格式。"
            "请在 Excel 中打开它、另存为 .xlsm 后再试。")

