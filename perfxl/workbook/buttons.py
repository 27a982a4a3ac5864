"""The buttons, declared once: ``ACTIONS`` generates everything else a button needs.

A button is one ``Action`` in ``ACTIONS``: its name, the entry point of
``perfxl.xlentry`` it runs, the Chinese caption, the ribbon group and icon, the screen
tip and the cells of its form buttons on the sheets.  From that list come

* the VBA Subs (``vba_button_subs``): ``Perf_<name>`` runs ``RunPython "import
  perfxl.xlentry as e; e.<entry>()"`` and ``Ribbon_<name>(control As Object)`` is the
  ribbon's callback, written after the ``GENERATED_MARKER`` line of
  ``macros/PerfButtons.bas``; what stands above that line is hand-written and holds
  what is not per button.  The VBA stays ASCII: captions live only in the sheets'
  buttons and the ribbon XML;
* the whole ribbon ``customUI14.xml`` (``ribbon_xml``): one tab, the groups of
  ``RIBBON_GROUPS`` in order, each with its actions in ``ACTIONS`` order;
* the form buttons of each sheet (``sheet_buttons(key)``) and of 填表说明 (all of them).

The build uses the generated text (so a workbook always matches ``ACTIONS``); the
copies in ``macros/`` are build outputs kept for review, written by
``python -m perfxl.workbook`` and checked by ``--check`` and the tests, like the
committed workbooks.  The Python side stays in ``perfxl/xlentry.py``: one
``def <entry>(book=None)`` per action (a test checks both directions).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from .constants import ENTRY_MODULE

#: the line of ``macros/PerfButtons.bas`` after which everything is generated from ``ACTIONS``
GENERATED_MARKER = "' ---- generated from perfxl/workbook/buttons.py ACTIONS by python -m perfxl.workbook: do not edit below ----"


@dataclass(frozen=True)
class RibbonGroup:
    id: str
    label: str


#: the groups of the 绩效评价 ribbon tab, left to right
RIBBON_GROUPS: tuple[RibbonGroup, ...] = (
    RibbonGroup("perfData", "数据"),
    RibbonGroup("perfOutput", "输出"),
    RibbonGroup("perfHelp", "帮助"),
)
RIBBON_TAB = ("perfTab", "绩效评价")
RIBBON_NS = "http://schemas.microsoft.com/office/2009/07/customui"


@dataclass(frozen=True)
class Action:
    """One button.

    Attributes:
      name: ASCII; the VBA Sub ``Perf_<name>`` a form button runs, the ribbon callback
        ``Ribbon_<name>`` and the ribbon control ``perf<name>`` derive from it.
      entry: the function of ``perfxl.xlentry`` it runs (``def check(book=None)``).
      caption: the Chinese caption on the form buttons and on the ribbon.
      tip: the ribbon's screen tip (supertip).
      group: the ``RibbonGroup.id`` it sits in.  icon: the ribbon's ``imageMso``.
      sheets: ``(sheet key, cell)`` of each form button on the sheets (填表说明 gets all).
    """

    name: str
    entry: str
    caption: str
    tip: str
    group: str
    icon: str
    sheets: tuple[tuple[str, str], ...] = ()

    @property
    def macro(self) -> str:
        return f"Perf_{self.name}"

    @property
    def ribbon(self) -> str:
        return f"Ribbon_{self.name}"

    @property
    def control_id(self) -> str:
        return f"perf{self.name}"


ACTIONS: tuple[Action, ...] = (
    Action("Check", "check", "校验数据", "按规则校验各表，结果写入“校验结果”表", "perfData", "ReviewProtectWorkbook",
           (("general", "D3"), ("basic", "J2"), ("overall", "M2"), ("project", "M2"), ("findings", "K2"))),
    Action("Recalc", "recalc", "重新计算", "补齐新增行的公式并重新计算规则得分", "perfData", "CalculateNow",
           (("basic", "J4"), ("overall", "M4"), ("project", "M4"))),
    Action("Report", "report", "生成报告", "生成自评报告（Word）", "perfOutput", "FileSaveAsWordDocx",
           (("overall", "M6"), ("report", "D2"))),
    Action("ExportPdf", "export_pdf", "导出PDF", "把附件表导出为 PDF", "perfOutput", "FileSaveAsPdfOrXps",
           (("report", "D4"),)),
    Action("AddProject", "add_project", "新增项目表", "复制一张空白的附件3 项目自评表", "perfData", "TableInsert",
           (("project", "M6"),)),
    Action("Import", "import_data", "导入数据", "从 perfxl 数据文件（JSON）导入", "perfData", "ImportTextFile",
           (("general", "D5"),)),
    Action("NextYear", "next_year", "由上年生成", "由上年的工作簿或数据文件生成下一年度的工作簿（路径填在导入数据的单元格），本工作簿不变",
           "perfData", "FileNew"),
    Action("SelfTest", "self_test", "环境自检", "检查 Python、xlwings 和 perfxl 是否就绪", "perfHelp", "Info",
           (("general", "D7"),)),
)
#: the functions perfxl.xlentry must define, each ``def f(book=None)``
ENTRY_POINTS: tuple[str, ...] = tuple(a.entry for a in ACTIONS)
_ACTION = {a.entry: a for a in ACTIONS}


def action(entry: str) -> Action:
    return _ACTION[entry]


@dataclass(frozen=True)
class Button:
    """A form button on a sheet: its top-left cell and the action it runs."""

    cell: str
    action: Action
    width: int = 110
    height: int = 30


def sheet_buttons(key: str) -> list[Button]:
    """The form buttons of the sheet with *key* ("general", "overall" …), in ``ACTIONS`` order."""
    return [Button(cell, a) for a in ACTIONS for sheet, cell in a.sheets if sheet == key]


def guide_buttons(first_row: int, step: int) -> list[Button]:
    """Every action once, down column C of 填表说明."""
    return [Button(f"C{first_row + step * i}", a) for i, a in enumerate(ACTIONS)]


# --------------------------------------------------------------------------- generated sources


#: what a button says when the Python that Excel uses cannot import perfxl at all (not installed
#: there, or its files quarantined): the one failure perfxl's own code cannot catch
PERFXL_MISSING = ("未能载入 perfxl：Excel 使用的 Python 中没有安装 perfxl，或安装已损坏。"
                  "请重新运行安装包中的 install.cmd，或在命令提示符中运行 perfxl doctor 查看原因。详情：")


def runpython_command(entry: str) -> str:
    """The Python one-liner a button's ``RunPython`` runs: ``perfxl.xlentry.<entry>()``, or,
    when perfxl cannot be imported, the Chinese ``PERFXL_MISSING`` on stderr with exit code 1,
    which xlwings' RunPython shows in its message box instead of an English traceback.

    One line (xlwings puts it on a ``python -c "…"`` command line) with no double quote, and
    ASCII (the VBA module must be): the message is written with ``\\uXXXX`` escapes, which Python
    decodes when it reads the ``exec`` string."""
    message = PERFXL_MISSING.encode("ascii", "backslashreplace").decode("ascii")
    code = (f"try:\\n import {ENTRY_MODULE} as e\\nexcept Exception as x:\\n"
            f" raise SystemExit(\\'{message}\\' + type(x).__name__ + \\': \\' + str(x))\\ne.{entry}()")
    return f"exec('{code}')"


def vba_button_subs() -> str:
    """The per-button VBA (LF line ends, ASCII): the macros, then the ribbon callbacks."""
    for a in ACTIONS:
        if not (a.name.isascii() and a.name.isidentifier() and a.entry.isascii() and a.entry.isidentifier()):
            raise ValueError(f"an action's name and entry must be ASCII identifiers: {a.name!r}, {a.entry!r}")
    lines: list[str] = []
    for a in ACTIONS:
        lines += [f"Public Sub {a.macro}()", f'    RunPython "{runpython_command(a.entry)}"', "End Sub", ""]
    lines += ["' Ribbon callbacks (customUI14.xml onAction). As Object needs no Office reference.", ""]
    for a in ACTIONS:
        lines += [f"Public Sub {a.ribbon}(control As Object)", f"    {a.macro}", "End Sub", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def vba_module(hand_written: str) -> str:
    """The whole module: the hand-written part of *hand_written* (up to and including the
    marker line; the marker is added when missing) and the generated Subs after it."""
    text = hand_written.replace("\r\n", "\n")
    head = text.split(GENERATED_MARKER, 1)[0].rstrip("\n")
    return f"{head}\n\n{GENERATED_MARKER}\n\n{vba_button_subs()}"


def ribbon_xml() -> bytes:
    """The whole customUI14.xml of the workbook (UTF-8, LF line ends, deterministic)."""
    unknown = {a.group for a in ACTIONS} - {g.id for g in RIBBON_GROUPS}
    if unknown:
        raise ValueError(f"ribbon groups not declared: {sorted(unknown)}")
    tab_id, tab_label = RIBBON_TAB
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        "<!-- The 绩效评价 ribbon tab of PerfEval.xlsm, generated from perfxl/workbook/buttons.py ACTIONS"
        " (python -m perfxl.workbook); every onAction is a Sub of macros/PerfButtons.bas. -->",
        f'<customUI xmlns="{RIBBON_NS}">',
        "  <ribbon>",
        "    <tabs>",
        f"      <tab id={quoteattr(tab_id)} label={quoteattr(tab_label)}>",
    ]
    for group in RIBBON_GROUPS:
        members = [a for a in ACTIONS if a.group == group.id]
        if not members:
            continue
        out.append(f"        <group id={quoteattr(group.id)} label={quoteattr(group.label)}>")
        for a in members:
            out.append(
                f"          <button id={quoteattr(a.control_id)} label={quoteattr(a.caption)} size=\"large\""
                f" imageMso={quoteattr(a.icon)} onAction={quoteattr(a.ribbon)} screentip={quoteattr(a.caption)}"
                f" supertip={quoteattr(a.tip)}/>"
            )
        out.append("        </group>")
    out += ["      </tab>", "    </tabs>", "  </ribbon>", "</customUI>", ""]
    return "\n".join(out).encode("utf-8")
