"""Reading one sheet: where each declared field and region is (``plan_sheet``) and their values (``read_sheet``).

Split from ``reader.py`` (which keeps the workbook-wide logic and the files): the plan
follows the defined names (Excel moves them when rows are inserted or deleted), falls
back to the declaration's cells when a name is missing, and compares the static labels
next to the fields so a row deleted by a tool that does not move names is reported.
One call to ``CellSource.values`` per sheet reads every cell the plan names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from ..core.cells import Reported, ReportedInt, ReportedList, trimmed
from . import layout as L
from .convert import SheetReading as _Sheet
from .convert import convert
from .decl import Kind
from .sources import CellSource, Place, named_place

__all__ = ["Plan", "plan_sheet", "read_sheet"]


def _norm_label(text: object) -> str:
    return re.sub(r"[\s：:]", "", "" if text is None else str(text))


def _set(record: Any, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        record = getattr(record, part)
    setattr(record, last, value)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == {}


@dataclass
class Plan:
    """The cells to read on one sheet and where each value goes."""

    singles: list[tuple[L.Input, str]] = field(default_factory=list)  # (field, cell)
    regions: list[tuple[L.Region, int, int]] = field(default_factory=list)  # (region, first_row, rows)
    labels: list[tuple[str, str]] = field(default_factory=list)  # (cell, expected text)
    deleted: list[L.Input] = field(default_factory=list)
    deleted_regions: list[L.Region] = field(default_factory=list)
    computed: dict[str, str] = field(default_factory=dict)  # path → cell


def plan_sheet(sheet: _Sheet, names: dict[tuple[str | None, str], str]) -> Plan:
    decl = sheet.decl
    scope = sheet.actual if decl.scoped else None
    plan = Plan()
    statics = {st.cell: st.text for st in decl.statics if isinstance(st.text, str)}

    def place(rel: str) -> Place | Literal[False] | None:
        """The named place of *rel*; None when not named; False when the name is broken (#REF!)."""
        return named_place(names, scope, decl.name_of(rel), sheet.actual)

    for f in decl.inputs:
        found = place(f.path)
        if found is False:
            plan.deleted.append(f)
            continue
        cell = L.cell_at(found.first_col, found.first_row) if found else f.cell
        plan.singles.append((f, cell))
        if f.label_ref and statics.get(f.label_ref):
            lcol, lrow = L.split_cell(f.label_ref)
            _fcol, frow = L.split_cell(f.cell)
            _, row = L.split_cell(cell)
            plan.labels.append((L.cell_at(lcol, lrow + row - frow), statics[f.label_ref]))
    for r in decl.regions:
        found = place(r.path)
        if found is False:
            sheet.finding("REGION_DELETED", decl.full_path(r.path), r.label,
                          f"“{r.label}”区域的名称已失效（整块被删除？），无法读取。")
            plan.deleted_regions.append(r)
            continue
        first, rows = (found.first_row, found.last_row - found.first_row + 1) if found else (r.first_row, r.capacity)
        plan.regions.append((r, first, rows))
        for col, text in r.header.items():
            plan.labels.append((L.cell_at(col, first - 1), text))
    for c in decl.computed:
        if c.path and "#" not in c.path:
            found = place(c.path)
            plan.computed[c.path] = L.cell_at(found.first_col, found.first_row) if found else c.cell
    return plan


def read_sheet(sheet: _Sheet, record: Any, source: CellSource, names: dict[tuple[str | None, str], str]) -> Plan:
    decl = sheet.decl
    plan = plan_sheet(sheet, names)
    cells = [cell for _, cell in plan.singles] + [cell for cell, _ in plan.labels]
    for r, first, rows in plan.regions:
        cells += [L.cell_at(c.col, first + i) for i in range(rows) for c in r.columns]
    values = dict(zip(cells, source.values(sheet.actual, cells), strict=False))
    for f in plan.deleted:
        sheet.finding("FIELD_DELETED", decl.full_path(f.path), f.label,
                      f"“{f.label}”所在的单元格已被删除（名称 {decl.name_of(f.path)} 失效），该项按空白读取。")
        _set(record, f.path, ReportedInt(0) if f.kind is Kind.INT else Reported(""))  # judged here, once
    for r in plan.deleted_regions:
        if r.item is not dict:  # a list region: read as empty, reported here (core/cells.py)
            _set(record, r.path, ReportedList())
    for cell, text in sorted(plan.labels, key=lambda item: L.split_cell(item[0])[::-1]):
        if _norm_label(values.get(cell)) != _norm_label(text):
            sheet.finding("LAYOUT_CHANGED", "", text,
                          f"表格结构被改动：{cell} 应为“{text}”，实际为“{values.get(cell) or ''}”（是否删除或插入了行？）；"
                          "本表可能读错位置，请用模板重新填写或恢复被删除的行。", cell, values.get(cell), text)
            break  # one is enough: everything below it has moved as well
    for f, cell in plan.singles:
        path = decl.full_path(f.path)
        _set(record, f.path, convert(f.kind, values.get(cell), sheet, path, f.label, cell))
    for r, first, rows in plan.regions:
        items: list[Any] = []
        keys: list[str] = []
        for i in range(rows):
            row = first + i
            if r.item is dict:
                key_col = next(c for c in r.columns if c.kind is L.Kind.KEY)
                val_col = next(c for c in r.columns if c.kind is not L.Kind.KEY)
                key = convert(L.Kind.KEY, values.get(L.cell_at(key_col.col, row)), sheet, "", key_col.label, "")
                path = f"{decl.full_path(r.path)}.{key}" if key else decl.full_path(r.path)
                value = convert(val_col.kind, values.get(L.cell_at(val_col.col, row)), sheet, path,
                                f"{r.label}第{i + 1}行（{key}）", L.cell_at(val_col.col, row))
                items.append((key, value))
                continue
            path = L.item_path(decl, r, i)
            if r.item is str:
                c = r.columns[0]
                items.append(convert(c.kind, values.get(L.cell_at(c.col, row)), sheet, path, f"{r.label}第{i + 1}行", L.cell_at(c.col, row)))
                continue
            item = r.item()
            for c in r.columns:
                cell = L.cell_at(c.col, row)
                assert c.attr is not None, "a record region names the attribute of every column"
                setattr(item, c.attr, convert(c.kind, values.get(cell), sheet, f"{path}.{c.attr}",
                                              f"{r.label}第{i + 1}行 {c.label}", cell))
            items.append(item)
        if r.item is dict:
            mapping = {}
            for key, value in items:
                if _empty(value):
                    continue
                if not key:
                    sheet.finding("KEY_MISSING", decl.full_path(r.path), r.label,
                                  f"“{r.label}”有分值但没有填写名称，该行未读取。")
                    continue
                keys.append(key)
                mapping[key] = value
            _set(record, r.path, mapping)
            plan.computed[f"#keys:{r.path}"] = "\x1f".join(keys)
        else:
            _set(record, r.path, trimmed(items))  # the one rule for trailing blank items (core/cells.py)
    return plan

