"""Build PerfEval.xlsm from the layout: XlsxWriter → pyopenvba → the last zip fix-ups.

The chain of excel-notes.md "Making the .xlsm from sources".  Computed cells are live
formulas (the PERF_* UDFs of ``perfxl.udfs`` and native SUM/SUMIF/IF), each written
with a cached value computed (``cached.py``) through the same Python functions, so that a viewer
without the UDFs shows numbers.  The build is deterministic (fixed document dates, zip
times and a VBA project without random ids): the committed template can be compared
with a fresh build.  The file is written to a temporary file, checked with
``parts.check_parts`` and moved into place with ``os.replace``.

Round trips (issue 12): every input is checked before it is written, and a value a
cell cannot hold exactly is refused with ``RefusedValue`` (exit 2) naming the field (its model path,
sheet, cell and label), never altered: text over Excel's 32,767 characters or with a
lone surrogate (``xltext.refusal``); a number beyond Excel's range, with more than
Excel's 15 significant digits, or whose double does not read back as the same Decimal
(``number_refusal``).  Text is always ``write_string`` (a leading "=", "+", "-", "@"
stays text) and the shared strings are written by ``Workbook`` with
``xltext.encode`` instead of XlsxWriter's own escaping (see ``xltext``: XlsxWriter
misses overlapping escapes and writes "<r>…</r>" texts as raw XML).  This overrides
XlsxWriter's documented ``Workbook._get_packager`` hook and the packager's
``_write_shared_strings_file``; ``tests/test_roundtrip_exact.py`` fails if a new XlsxWriter
changes them (its "_x005F_x000D_" case).  The document's subject (the department's name) is cut to 255
characters without control characters.

The forms as printed (issue 10): in a workbook built from data (``perfxl fill``, ``new
--from``, the examples) the runs of equal 一级指标 and 二级指标 are merged cells, as on the
official form (``decl.merged_runs``; the readers read a merged range's cells as its
value, ``sources.spread_merged``).  The blank template keeps one cell a row: its
pre-labelled rows are the department's to rearrange, insert and type over on a
protected sheet, and the 导入数据 button writes rows one value a row.  Every row is
as tall as the texts written into it need (``rowfit``), from the data alone, so the
build stays reproducible.

``macros=False`` builds the macro-free variant (issue 8): the same sheets, formulas and
names as an .xlsx, without the form buttons, the VBA project and the ribbon, marked with
the custom document property ``parts.MACRO_FREE_PROPERTY`` so that the reader does not
warn about the missing macros (``parts.check_macro_free`` checks it).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.packager import Packager
from xlsxwriter.sharedstrings import SharedStrings, _preserve_whitespace

from ..core import model
from ..errors import EXIT_UNUSABLE
from ..errors import BuildError as _BuildError
from ..fileio import atomic_write
from . import layout as L
from . import xlformats, xltext
from .cached import Value, Values, cached, udf_functions
from .constants import GREY, YELLOW  # noqa: F401  (importable from here, as before)
from .decl import MARK_SET, get_path, merged_runs
from .parts import MACRO_FREE_PROPERTY, PartsError, check_macro_free, check_parts, finish_package
from .rowfit import BASE_SIZE, RowFit
from .vba import all_modules, ribbon_xml
from .xltext import number_refusal, property_text

#: the fixed creation date of every build (a build must not depend on the clock)
BUILD_DATE = dt.datetime(2024, 1, 1, 0, 0, 0)


class BuildError(_BuildError):
    """The workbook cannot be built (in Chinese)."""


class RefusedValue(BuildError):
    """The data holds a value a workbook cannot hold exactly (or more rows than the forms):
    a problem of the data, not a bug, so the command ends with exit 2 and the message."""

    exit_code = EXIT_UNUSABLE


# --------------------------------------------------------------------------- exact text


class _SharedStrings(SharedStrings):
    """The shared strings, escaped by ``xltext.encode`` (exact for every reader)."""

    def _write_si(self, string: str) -> None:
        text = xltext.encode(string)
        self._xml_si_element(text, [("xml:space", "preserve")] if _preserve_whitespace(text) else [])


class _Packager(Packager):
    def _write_shared_strings_file(self) -> None:
        if not self.workbook.str_table.count:
            return
        sst = _SharedStrings()
        sst.string_table = self.workbook.str_table
        sst._set_xml_writer(self._filename("xl/sharedStrings.xml"))
        sst._assemble_xml_file()


class Workbook(xlsxwriter.Workbook):
    """An XlsxWriter workbook whose shared strings are escaped by ``encode``."""

    def _get_packager(self) -> Packager:
        return _Packager()


# --------------------------------------------------------------------------- formats


# --------------------------------------------------------------------------- writing


def _input_value(kind: L.Kind, value: Any) -> Value:
    """The model's value as the cell holds it (numbers as Decimal)."""
    if kind is L.Kind.INT:
        return Decimal(value) if value else None
    if kind is L.Kind.AMOUNT:
        if isinstance(value, Decimal) or value is None:
            return value
        return str(value)
    if kind is L.Kind.MARK:
        return MARK_SET if value else None
    return value if value not in ("",) else None


def _checked(kind: L.Kind, value: Any, path: str, sheet: str, cell: str, label: str) -> Value:
    """``_input_value``, or ``BuildError`` naming the field when the cell cannot hold it exactly."""
    cell_value = _input_value(kind, value)
    reason = None
    if isinstance(cell_value, Decimal):
        reason = number_refusal(cell_value)
    elif isinstance(cell_value, str):
        reason = xltext.refusal(cell_value)
    if reason:
        raise RefusedValue(f"{path}（“{sheet}”表 {cell}，{label}）：{reason}")
    return cell_value


class _SheetWriter:
    def __init__(self, book: _Book, ws: Any, sheet: L.SheetLayout):
        self.book, self.ws, self.sheet = book, ws, sheet
        self.fit = RowFit(sheet.widths)

    def put(self, ref: str, value: Value, style: L.Style, *, number_text: bool = False) -> None:
        fmt = self.book.formats[style]
        first = ref.split(":")[0]
        self.book.values.cells[(self.sheet.name, first)] = value
        if isinstance(value, str):
            self.fit.note(ref, value, xlformats.FONT_SIZES.get(style, BASE_SIZE))
        if ":" in ref:
            if isinstance(value, Decimal):
                self.ws.merge_range(ref, "", fmt)
                self.ws.write_number(first, float(value), fmt)
            else:
                self.ws.merge_range(ref, value or "", fmt)
                if value:
                    self.ws.write_string(first, value, fmt)
            return
        if value is None or value == "":
            self.ws.write_blank(first, None, fmt)
        elif isinstance(value, Decimal):
            self.ws.write_number(first, float(value), fmt)
        else:
            self.ws.write_string(first, value, fmt)  # never a formula, even with a leading "="

    def formula(self, ref: str, expr: L.Expr, style: L.Style) -> None:
        first = ref.split(":")[0]
        self.book.values.formulas[(self.sheet.name, first)] = expr
        fmt = self.book.formats[style]
        if ":" in ref:
            self.ws.merge_range(ref, "", fmt)
        self.book.pending.append((self.ws, self.sheet.name, first, expr, fmt))


class _Book:
    def __init__(self, wb: xlsxwriter.Workbook):
        self.wb = wb
        self.formats = xlformats.formats(wb)
        self.values = Values(udf_functions())
        self.pending: list[tuple[Any, str, str, L.Expr, Any]] = []
        self.merge_runs = True


def _write_sheet(book: _Book, sheet: L.SheetLayout, record: Any, *, buttons: bool = True) -> None:
    wb = book.wb
    ws = wb.add_worksheet(sheet.name)
    w = _SheetWriter(book, ws, sheet)
    for col, width in sheet.widths.items():
        ws.set_column(f"{col}:{col}", width)
    for st in sheet.statics:
        if isinstance(st.text, L.Expr):
            w.formula(st.ref, st.text, st.style)
        else:
            w.put(st.ref, st.text if isinstance(st.text, Decimal) else (st.text or None), st.style)
    for f in sheet.inputs:
        value = (_checked(f.kind, get_path(record, f.path), sheet.full_path(f.path), sheet.name, f.cell, f.label)
                 if record is not None else None)
        w.put(f.ref, value, f.style)
        if f.check:
            ws.data_validation(f.cell, xlformats.validation(f.check))
        wb.define_name(sheet.name_ref(f.path), _abs_ref(sheet.name, f.cell))
    for region in sheet.regions:
        _write_region(w, region, get_path(record, region.path) if record is not None else None)
    for c in sheet.computed:
        w.formula(c.ref, c.expr, c.style)
        if c.path and "#" not in c.path:
            wb.define_name(sheet.name_ref(c.path), _abs_ref(sheet.name, c.cell))
    for out in sheet.outputs:
        w.put(out.ref, None, out.style)
        wb.define_name(out.key, _abs_ref(sheet.name, out.cell))
    for row, height in w.fit.heights(sheet.heights).items():  # rows fit their text (``rowfit``)
        ws.set_row(row - 1, height)
    for b in sheet.buttons if buttons else ():
        ws.insert_button(b.cell, {"macro": b.action.macro, "caption": b.action.caption, "width": b.width, "height": b.height})
    if sheet.print_area:
        ws.print_area(sheet.print_area)
        ws.set_paper(9)
        ws.fit_to_pages(1, sheet.pages_tall)
        ws.center_horizontally()
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        ws.set_footer("&C第 &P 页，共 &N 页")
        ws.print_black_and_white()  # the yellow and grey fills are for the screen, not the printed form
        if sheet.landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        if sheet.print_rows:
            ws.repeat_rows(sheet.print_rows[0] - 1, sheet.print_rows[1] - 1)
    if sheet.protect:
        ws.protect("", {"insert_rows": True, "delete_rows": True, "format_columns": True, "format_rows": True,
                        "select_locked_cells": True, "select_unlocked_cells": True})
    if sheet.hidden:
        ws.hide()


def _abs_ref(sheet: str, cell_or_range: str) -> str:
    parts = []
    for cell in cell_or_range.split(":"):
        col, row = L.split_cell(cell)
        parts.append(f"${col}${row}")
    return f"={L.quote_sheet(sheet)}!{':'.join(parts)}"


def _write_region(w: _SheetWriter, region: L.Region, items: Any) -> None:
    sheet = w.sheet
    if region.item is dict:
        entries = list((items or {}).items())
        used = {k for k, _ in entries}
        spare = [k for k in region.default_keys if k not in used]
        rows: list[tuple[Any, Any]] = entries + [(spare.pop(0) if spare else None, None) for _ in range(region.capacity - len(entries))]
    else:
        rows = list(items or []) + [None] * (region.capacity - len(items or []))
    # the runs of equal 一级/二级指标 are one merged cell, as on the form, where the data wrote them
    runs = merged_runs(region, rows) if w.book.merge_runs else {}
    starts = {(col, first): last for col, spans in runs.items() for first, last in spans}
    covered = {(col, i) for (col, first), last in starts.items() for i in range(first + 1, last + 1)}
    for i, item in enumerate(rows):
        row = region.first_row + i
        if region.index_col:
            w.put(f"{region.index_col}{row}", Decimal(i + 1), L.Style.LABEL)
        for c in region.columns:
            where = f"{sheet.full_path(region.path)}[{i}]" + (f".{c.attr}" if c.attr else "")
            value = _checked(c.kind, L.item_value(region, c, item), where, sheet.name, f"{c.col}{row}", c.label)
            if (c.col, i) in covered:
                continue  # inside the merged cell above: blank, as Excel keeps it
            last = starts.get((c.col, i))
            w.put(f"{c.col}{row}" if last is None else f"{c.col}{row}:{c.col}{region.first_row + last}", value, c.style)
        for rf in region.formulas:
            w.formula(f"{rf.col}{row}", rf.make(row), rf.style)
    for c in region.columns:
        if c.check:
            w.ws.data_validation(f"{c.col}{region.first_row}:{c.col}{region.last_row}", xlformats.validation(c.check))
    cols = [c.col for c in region.columns] + [rf.col for rf in region.formulas] + ([region.index_col] if region.index_col else [])
    first_col = min(cols, key=L.col_index)
    last_col = max(cols, key=L.col_index)
    w.book.wb.define_name(sheet.name_ref(region.path),
                          _abs_ref(sheet.name, f"{first_col}{region.first_row}:{last_col}{region.last_row}"))


def _records(sheet: L.SheetLayout, evaluation: model.Evaluation) -> Any:
    if sheet.key in ("general", "report"):
        return evaluation
    if sheet.key == "basic":
        return evaluation.basic
    if sheet.key == "overall":
        return evaluation.overall
    if sheet.key == "project":
        index = int(sheet.root[len("projects["):-1])
        return evaluation.projects[index] if index < len(evaluation.projects) else model.ProjectTable()
    return None


def write_sheets(evaluation: model.Evaluation | None, path: Path, *, macros: bool = True) -> L.WorkbookLayout:
    """Step 1: the sheets, with XlsxWriter, into *path* (an .xlsx package without VBA).

    *macros* ``False``: no form buttons, and the macro-free property."""
    ev = evaluation if evaluation is not None else L.blank_evaluation()
    try:
        layout = L.layout_for(ev)
    except L.CapacityError as exc:
        raise RefusedValue(f"数据超出表格容量：{exc}") from None
    wb = Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": "部门整体支出绩效自评", "subject": property_text(ev.department) or "部门整体支出绩效自评",
                       "author": "perfxl", "company": "", "created": BUILD_DATE, "comments": "由 perfxl 生成"})
    if not macros:
        wb.set_custom_property(MACRO_FREE_PROPERTY, True)
    wb.set_calc_mode("auto", calc_id=191029)  # Excel 2019/365's engine: an older calcId makes Excel recalculate at load
    wb.calc_on_load = False  # no fullCalcOnLoad="1": Excel shows the cached values at load (sheets/native.py)
    wb.set_size(1600, 1000)
    book = _Book(wb)
    book.merge_runs = evaluation is not None  # the blank template's rows are the department's to arrange
    for sheet in layout.sheets:
        _write_sheet(book, sheet, _records(sheet, ev), buttons=macros)
    for ws, sheet_name, cell, expr, fmt in book.pending:
        value = book.values.cell(sheet_name, cell)
        ws.write_formula(cell, "=" + expr.formula(sheet_name), fmt, cached(value))
    wb.worksheets()[0].activate()
    wb.close()
    return layout


def add_vba(path: Path, out: Path, macros_dir: Path | None) -> None:
    """Step 2: the VBA project (pyopenvba) with our modules and xlwings'."""
    from pyopenvba import ExcelFile, VBAModuleKind

    modules = all_modules(macros_dir)
    with ExcelFile(path) as book:
        project = book.add_vba_project()
        for m in modules:
            project.add_module(m.name, m.source, kind=VBAModuleKind.other if m.kind == "class" else VBAModuleKind.standard)
        book.save(out)


def build_workbook(evaluation: model.Evaluation | None, out_path: str | os.PathLike[str], *,
                   macros_dir: str | os.PathLike[str] | None = None, macros: bool = True,
                   overwrite: bool = True) -> Path:
    """Build the .xlsm for *evaluation* (``None``: the blank template) at *out_path*.

    *macros* ``False``: the macro-free .xlsx variant (no VBA, ribbon or buttons).
    *overwrite* ``False``: *out_path* is created exclusively (``fileio.atomic_write``), so of
    two processes racing for it one gets ``OutputExists``.
    Raises ``BuildError`` when the data does not fit or a part is missing afterwards.
    """
    out = Path(out_path)
    macros_path = Path(macros_dir) if macros_dir is not None else None
    with tempfile.TemporaryDirectory(prefix="perfxl-build-") as tmp:
        sheets = Path(tmp) / ("sheets.xlsm" if macros else "sheets.xlsx")
        if not macros:
            write_sheets(evaluation, sheets, macros=False)
            data = finish_package(sheets.read_bytes(), None)
        else:
            with_vba = Path(tmp) / "vba.xlsm"
            write_sheets(evaluation, sheets)
            add_vba(sheets, with_vba, macros_path)
            data = finish_package(with_vba.read_bytes(), ribbon_xml())
    write_checked(data, out, macros=macros, overwrite=overwrite)
    return out


def write_checked(data: bytes, out: Path, *, macros: bool = True, overwrite: bool = True) -> None:
    """Write *data* to *out* atomically, after checking that its parts are all there."""

    def parts_present(tmp: Path) -> None:
        missing = check_parts(tmp) if macros else check_macro_free(tmp)
        if missing:
            raise PartsError(out, missing)

    atomic_write(out, data, check=parts_present, overwrite=overwrite)
