"""The package parts an .xlsm needs beyond the sheets, and the check that they are there.

excel-notes.md "Writing into an existing .xlsm": every writer drops something (the
ribbon's root relationship, the Excel-2010 control properties, data validations…),
so whatever writes a workbook calls ``check_parts`` on the result and fails when a
part is missing.  ``finish_package`` makes the last fix-ups of a built workbook:
the macro-enabled content type, the ribbon part with its root relationship and
content type, and a zip with fixed timestamps so that two builds are the same bytes.

The macro-free variant (``perfxl new --no-macros``, issue 8) is the same sheets as an
.xlsx: no VBA project, no ribbon, no form buttons.  It says so itself with the custom
document property ``MACRO_FREE_PROPERTY`` (docProps/custom.xml, written by XlsxWriter's
``set_custom_property``), so that a reader can tell it from an .xlsm whose macros were
lost in a "save as .xlsx" (which keeps the property out: only the builder writes it).
A custom property survives Excel's and LibreOffice's saves, and a user never sees it
unless they open 文件 → 信息 → 属性 → 高级属性.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import BuildError
from .layout import ACTIONS, CONF_SHEET, LAYOUT, Check

CONTENT_TYPES = "[Content_Types].xml"
ROOT_RELS = "_rels/.rels"
WORKBOOK_PART = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
VBA_PART = "xl/vbaProject.bin"
RIBBON_PART = "customUI/customUI14.xml"
MACRO_WORKBOOK_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XLSX_WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
VBA_TYPE = "application/vnd.ms-office.vbaProject"
VBA_REL_TYPE = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
RIBBON_REL_TYPE = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RIBBON_NS = "http://schemas.microsoft.com/office/2009/07/customui"
RIBBON_CONTENT_TYPE = "application/xml"
RIBBON_REL_ID = "rIdPerfRibbon"
CUSTOM_PROPS_PART = "docProps/custom.xml"
#: the custom document property of the macro-free variant (value: true)
MACRO_FREE_PROPERTY = "PerfxlMacroFree"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

#: every zip entry gets this time, so that a build is reproducible
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class PartsError(BuildError):
    """A written workbook lacks a part it needs; ``missing`` lists them (Chinese)."""

    def __init__(self, path: Path, missing: list[str]):
        super().__init__(f"{path.name} 不完整：" + "；".join(missing))
        self.missing = missing


def finish_package(data: bytes, ribbon: bytes | None) -> bytes:
    """The fix-ups after pyopenvba, and a deterministic zip (same input → same bytes).

    *ribbon* ``None``: the macro-free variant, only made deterministic."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    if ribbon is None:
        return _deterministic_zip(parts)
    types = parts[CONTENT_TYPES].decode("utf-8")
    types = types.replace(f'PartName="/{WORKBOOK_PART}" ContentType="{XLSX_WORKBOOK_TYPE}"',
                          f'PartName="/{WORKBOOK_PART}" ContentType="{MACRO_WORKBOOK_TYPE}"')
    if f"/{RIBBON_PART}" not in types:
        types = types.replace("</Types>", f'<Override PartName="/{RIBBON_PART}" ContentType="{RIBBON_CONTENT_TYPE}"/></Types>')
    parts[CONTENT_TYPES] = types.encode("utf-8")
    rels = parts[ROOT_RELS].decode("utf-8")
    if RIBBON_REL_TYPE not in rels:
        rels = rels.replace("</Relationships>",
                            f'<Relationship Id="{RIBBON_REL_ID}" Type="{RIBBON_REL_TYPE}" Target="{RIBBON_PART}"/></Relationships>')
    parts[ROOT_RELS] = rels.encode("utf-8")
    parts[RIBBON_PART] = ribbon
    return _deterministic_zip(parts)


def _deterministic_zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, content)
    return out.getvalue()


# --------------------------------------------------------------------------- checking


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part ("xl/worksheets/sheet3.xml")."""
    book = ET.fromstring(z.read(WORKBOOK_PART))
    rels = ET.fromstring(z.read(WORKBOOK_RELS))
    target = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sheet in book.iter(f"{{{_MAIN_NS}}}sheet"):
        t = target.get(sheet.get(f"{{{_REL_NS}}}id"), "")
        out[sheet.get("name", "")] = t.lstrip("/") if t.startswith("/") else f"xl/{t}"
    return out


def _rels_of(z: zipfile.ZipFile, part: str) -> list[ET.Element]:
    folder, _, name = part.rpartition("/")
    rels_name = f"{folder}/_rels/{name}.rels"
    if rels_name not in z.namelist():
        return []
    return list(ET.fromstring(z.read(rels_name)))


def _resolve(part: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    pieces = part.rsplit("/", 1)[0].split("/")
    for bit in target.split("/"):
        if bit == "..":
            pieces.pop()
        elif bit != ".":
            pieces.append(bit)
    return "/".join(pieces)


def vba_sources(path: Path) -> dict[str, str]:
    """{module: source} of the workbook's VBA project (empty without one)."""
    from pyopenvba import ExcelFile

    with ExcelFile(path) as book:
        return book.vba_modules() if book.has_vba_project() else {}


def expected_modules() -> list[str]:
    from .vba import DICTIONARY_MODULE, UDF_WRAPPER_MODULE, XLWINGS_MODULE, own_modules

    return [m.name for m in own_modules()] + [XLWINGS_MODULE, DICTIONARY_MODULE, UDF_WRAPPER_MODULE]


NOT_A_ZIP = "不是 zip 格式的 Excel 文件"


def _package_types(z: zipfile.ZipFile, workbook_type: str, wrong: str, missing: list[str]) -> tuple[set[str], str]:
    """The part names and the content-types text of *z*; *wrong* is noted in *missing*
    when the workbook part does not have *workbook_type*."""
    names = set(z.namelist())
    types = z.read(CONTENT_TYPES).decode("utf-8") if CONTENT_TYPES in names else ""
    if f'PartName="/{WORKBOOK_PART}" ContentType="{workbook_type}"' not in types:
        missing.append(wrong)
    return names, types


def _listed_sheets(z: zipfile.ZipFile, missing: list[str]) -> dict[str, str]:
    """Sheet name → part; empty (and noted in *missing*) when the list cannot be read."""
    try:
        return _sheet_parts(z)
    except (KeyError, ET.ParseError):
        missing.append("无法读取工作表清单")
        return {}


def is_macro_free(z: zipfile.ZipFile) -> bool:
    """Whether the open package is perfxl's macro-free variant (its custom property)."""
    if CUSTOM_PROPS_PART not in z.namelist():
        return False
    try:
        root = ET.fromstring(z.read(CUSTOM_PROPS_PART))
    except ET.ParseError:
        return False
    for prop in root:
        if prop.get("name") == MACRO_FREE_PROPERTY:
            return any((value.text or "").strip().lower() in ("true", "1") for value in prop)
    return False


def check_macro_free(path: str | Path) -> list[str]:
    """What is wrong with the macro-free .xlsx at *path*, in Chinese; empty when right."""
    missing: list[str] = []
    try:
        z = zipfile.ZipFile(Path(path))
    except (OSError, zipfile.BadZipFile):
        return [NOT_A_ZIP]
    with z:
        names, _ = _package_types(z, XLSX_WORKBOOK_TYPE, "工作簿的内容类型不是 .xlsx 的类型", missing)
        for part in (VBA_PART, RIBBON_PART):
            if part in names:
                missing.append(f"无宏版中不应有 {part}")
        if not is_macro_free(z):
            missing.append(f"缺少自定义属性 {MACRO_FREE_PROPERTY}")
        sheets = _listed_sheets(z, missing)
        for s in LAYOUT.sheets:
            if s.name not in sheets:
                missing.append(f"缺少工作表“{s.name}”")
    return missing


def check_parts(path: str | Path, *, modules: Iterable[str] | None = None) -> list[str]:
    """What is missing from the .xlsm at *path*, in Chinese; empty when complete."""
    from .vba import procedures

    path = Path(path)
    missing: list[str] = []
    try:
        z = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        return [NOT_A_ZIP]
    with z:
        names, types = _package_types(z, MACRO_WORKBOOK_TYPE, "工作簿的内容类型不是启用宏的类型（macroEnabled）", missing)
        # the VBA project
        if VBA_PART not in names:
            missing.append("缺少 VBA 工程 xl/vbaProject.bin")
        else:
            if not any(r.get("Type") == VBA_REL_TYPE for r in _rels_of(z, WORKBOOK_PART)):
                missing.append("workbook.xml 没有指向 vbaProject.bin 的关系")
            if VBA_TYPE not in types:
                missing.append("缺少 vbaProject.bin 的内容类型")
        # the ribbon
        ribbon_ok = False
        if RIBBON_PART not in names:
            missing.append(f"缺少功能区部件 {RIBBON_PART}")
        else:
            root_rels: list[ET.Element] = list(ET.fromstring(z.read(ROOT_RELS))) if ROOT_RELS in names else []
            if not any(r.get("Type") == RIBBON_REL_TYPE and r.get("Target", "").lstrip("/") == RIBBON_PART for r in root_rels):
                missing.append("缺少功能区的根关系（ui/extensibility），功能区选项卡不会显示")
            if f'PartName="/{RIBBON_PART}"' not in types:
                missing.append("缺少功能区部件的内容类型")
            try:
                ribbon = ET.fromstring(z.read(RIBBON_PART))
                ribbon_ok = ribbon.tag == f"{{{RIBBON_NS}}}customUI"
                if not ribbon_ok:
                    missing.append("功能区 XML 的命名空间不对")
            except ET.ParseError as exc:
                missing.append(f"功能区 XML 无法解析：{exc}")
        # the sheets: xlwings.conf, buttons, validations
        sheets = _listed_sheets(z, missing)
        if CONF_SHEET not in sheets:
            missing.append(f"缺少 {CONF_SHEET} 工作表（UDF Modules 设置）")
        macros_on_buttons: set[str] = set()
        for part in sheets.values():
            for rel in _rels_of(z, part):
                target = _resolve(part, rel.get("Target", ""))
                if target.endswith(".vml") and target in names:
                    vml = z.read(target).decode("utf-8", "replace")
                    macros_on_buttons.update(m.strip() for m in re.findall(r"<x:FmlaMacro>\[?0?\]?!?([^<]+)</x:FmlaMacro>", vml))
        wanted_buttons = {b.action.macro for s in LAYOUT.sheets for b in s.buttons}
        for macro in sorted(wanted_buttons - macros_on_buttons):
            missing.append(f"没有绑定宏 {macro} 的表单按钮")
        for s in LAYOUT.sheets:
            checks = {f.check for f in s.inputs if f.check} | {c.check for r in s.regions for c in r.columns if c.check}
            candidates = [n for n in sheets if n == s.name or (s.key == "project" and n.startswith(s.name))]
            for name in candidates[:1]:
                xml = z.read(sheets[name]).decode("utf-8", "replace") if sheets[name] in names else ""
                if checks and "<dataValidation " not in xml:
                    missing.append(f"工作表“{name}”缺少数据验证（下拉列表）")
                elif Check.LEVEL1 in checks and "产出指标,效益指标,满意度指标" not in xml:
                    missing.append(f"工作表“{name}”缺少一级指标下拉列表")
    # the VBA modules and the macros the buttons and the ribbon name
    if VBA_PART in names:
        try:
            sources = vba_sources(path)
        except Exception as exc:  # pyopenvba raises many kinds on a damaged project
            return [*missing, f"VBA 工程无法读取：{exc}"]
        for module in modules if modules is not None else expected_modules():
            if module not in sources:
                missing.append(f"缺少 VBA 模块 {module}")
        subs = {name for src in sources.values() for name in procedures(src)}
        wanted = {a.macro for a in ACTIONS} | {a.ribbon for a in ACTIONS} | wanted_buttons
        if ribbon_ok:
            with zipfile.ZipFile(path) as z2:
                ribbon = ET.fromstring(z2.read(RIBBON_PART))
            wanted |= {action for e in ribbon.iter() if (action := e.get("onAction"))}
        for macro in sorted(wanted - subs):
            missing.append(f"VBA 中没有宏 {macro}")
    return missing
