"""The sheets around the annexes: 校验结果, 自评报告, 填表说明 and the hidden xlwings.conf."""

from __future__ import annotations

from ...core.findings import Table
from ...core.profile import available_profiles
from ..buttons import guide_buttons, sheet_buttons
from ..constants import CONF_SHEET, FINDINGS_SHEET, GUIDE_SHEET, REPORT_SHEET, UDF_MODULE, XLWINGS_VERSION
from ..decl import Computed, Input, Kind, Output, SheetLayout, Static, Style
from ..formula import Native
from ..shape import Shape
from . import native
from .common import one_page, text_region

#: columns of the 校验结果 table the 校验数据 button fills from FINDINGS_FIRST_ROW down
FINDINGS_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("A", "index", "序号"),
    ("B", "severity", "严重程度"),
    ("C", "code", "代码"),
    ("D", "table", "表"),
    ("E", "cell", "单元格"),
    ("F", "location", "位置"),
    ("G", "message", "说明"),
    ("H", "expected", "应为"),
    ("I", "actual", "实际"),
)
FINDINGS_FIRST_ROW = 5


def findings() -> SheetLayout:
    s = SheetLayout("findings", FINDINGS_SHEET, Table.FILE, protect=False, landscape=True,
                    widths={"A": 6, "B": 9, "C": 24, "D": 26, "E": 9, "F": 28, "G": 60, "H": 14, "I": 14})
    s.statics.append(Static("A1:I1", "校验结果", Style.TITLE))
    s.statics.append(Static("A2", "摘要", Style.LABEL))
    s.outputs.append(Output("check.summary", "B2:I2", "校验摘要"))
    s.statics.append(Static("A3:I3", "点“校验数据”按钮（或命令行 perfxl check）后在此列出；双击单元格列中的地址可跳转。", Style.NOTE))
    for col, _, text in FINDINGS_COLUMNS:
        s.statics.append(Static(f"{col}{FINDINGS_FIRST_ROW - 1}", text, Style.HEADER))
    s.print_area = "A1:I200"
    s.print_rows = (FINDINGS_FIRST_ROW - 1, FINDINGS_FIRST_ROW - 1)
    s.buttons += sheet_buttons("findings")
    return s


def report(shape: Shape) -> SheetLayout:
    s = SheetLayout("report", REPORT_SHEET, Table.GENERAL, widths={"A": 26, "B": 90})
    s.statics.append(Static("A1:B1", "自评报告：部门撰写的文字", Style.TITLE))
    s.statics.append(Static("A2", "最近一次生成", Style.LABEL_LEFT))
    s.outputs.append(Output("report.status", "B2", "报告生成状态"))
    s.statics.append(Static("A3:B3", "报告的数字部分由各表自动生成；这里只填写部门自己的文字。编号自动生成，每行一条。", Style.NOTE))
    row = 4

    def single(path: str, label: str) -> None:
        nonlocal row
        s.statics.append(Static(f"A{row}", label, Style.LABEL_LEFT))
        s.inputs.append(Input(path, f"B{row}", Kind.TEXT, label, Style.IN_LONG, label_ref=f"A{row}"))
        s.heights[row] = 60
        row += 1

    single("narrative.overall_completion", "六、1.整体绩效目标完成情况")
    row += 1
    row = text_region(s, shape, row, "narrative.achievements", "六、其他绩效情况（编号从 2 起，每行一条：“标题。正文”）", "绩效情况")
    row = text_region(s, shape, row, "narrative.problems", "七、存在的问题及原因分析", "问题")
    row = text_region(s, shape, row, "narrative.measures", "八、下一步改进措施", "措施")
    single("narrative.disclosure", "九、自评结果拟应用和公开情况")
    single("narrative.other", "十、其他需要说明的情况")
    row += 1
    row = text_region(s, shape, row, "narrative.dropped_suggestions", "不采用的自动建议（填建议代码）", "建议代码")
    s.print_area = f"A1:B{row}"
    s.print_rows = (1, 1)
    # the 校验数据 button lists the suggestions for sections 七/八 here, code beside text
    s.statics.append(Static(f"A{row}:B{row}", "自动建议（点“校验数据”后更新；生成报告时写入七、八部分，"
                            "不采用的请把代码填入上方“不采用的自动建议”）", Style.SUBTITLE))
    s.outputs.append(Output("check.suggestions", f"A{row + 1}:B{row + SUGGESTION_ROWS}", "自动建议", Style.NOTE))
    row += SUGGESTION_ROWS + 2
    # the 生成报告 button writes the report's paragraphs from here down, one per row (not printed)
    s.statics.append(Static(f"A{row + 1}:B{row + 1}", "报告预览（点“生成报告”后自动更新）", Style.SUBTITLE))
    s.outputs.append(Output("report.preview", f"B{row + 2}", "报告预览", Style.NOTE))
    s.buttons += sheet_buttons("report")
    return s


#: rows of the 自动建议 block on 自评报告 (the checker makes at most 12 suggestions)
SUGGESTION_ROWS = 12

#: the lines of 填表说明
GUIDE_LINES = (
    "1. 本工作簿按湖南省县级“部门整体支出绩效自评报告”的三张附表制作：附件1 基础数据表、附件2 整体自评表、附件3 项目自评表（每个项目一张）。",
    "2. 黄色单元格由部门填写；灰色单元格是公式，自动计算，已锁定（工作表保护无密码，可随时取消）。",
    "3. 金额单位均为万元，保留两位小数；执行率、控制率等“表上填写”的比率按原样填文本（如 100%），表格右侧计算列中的灰色单元格是按规则计算的值。",
    "4. “规则得分（计算）”在表格右侧，与“自评得分”不同时请在“偏差原因分析及改进措施”中说明。定性指标请在右侧“完成档次”中选择档次。"
    "再右侧的 L～S 列是其他省份表样才有的栏目（指标方向、计量单位、指标性质、年初指标值、调整后指标值、得分系数、核心指标、"
    "评分标准），表上有这些栏时填写，规则得分随之计算；湖南表样不必填写。",
    "5. 指标、职责等可变长度部分可在区域内插入行；插入后点“重新计算”补齐公式。",
    "6. 先填“基本情况”（单位名称、年度、规则方案），各表标题中的年度随之变化。",
    "7. 报告中部门自己撰写的文字（六至十部分）填在“自评报告”表；一至五部分和各项数字由表格自动生成，不必重复录入。",
    "8. 点“校验数据”检查各表，结果列在“校验结果”表（可点击跳到单元格），给报告“存在问题”“改进措施”的建议列在“自评报告”表；"
    "点“生成报告”在工作簿所在文件夹生成自评报告（Word），点“导出PDF”同时导出 PDF。",
    "9. 按钮需要本机安装 Python 与 xlwings " + XLWINGS_VERSION + "（与工作簿内的 VBA 模块同一版本）以及 perfxl；点“环境自检”检查。"
    "执行率、执行率得分、合计与等级是表格自带的公式，按“基本情况”中的内置规则方案（" + "、".join(available_profiles()) + "）计算，"
    "不需要 Python，在 WPS、LibreOffice 和禁用宏的 Excel 中同样计算（自定义方案文件只能用命令行计算，这些单元格显示“需Python”）；"
    "三级指标的规则得分（自定义函数 PERF_SCORE）只在装有 Python 的 Windows 版 Excel 中计算，其他情况下显示“需Python”，"
    "规则总分随之显示“部分指标需Python计算”。",
    "10. 附件1～3 的打印区域就是正式表格（A4 横向、每张一页、黑白打印，不打印底色）；右侧的计算列和签字行下方的“核算”区"
    "只在屏幕上显示，供核对，不打印。",
    "11. 由 perfxl 填入数据的工作簿（perfxl fill、由上年生成）与正式表格一样，把相邻各行相同的一级指标、二级指标合并为一格；"
    "在合并格内插入的行属于同一指标。要改变某行的一级指标，先取消该格的合并（工作表保护无密码，可先撤消），每行各填一格即可。",
)


#: the width of 填表说明's text column: 80 units (about 565 px) fit a portrait A4 page in Excel
#: and in LibreOffice, which does not shrink this sheet to the page (at 100 it cut both sides)
GUIDE_WIDTH = 80


def guide() -> SheetLayout:
    s = SheetLayout("guide", GUIDE_SHEET, Table.FILE, widths={"A": GUIDE_WIDTH, "B": 4, "C": 16})
    s.statics.append(Static("A1", "部门整体支出绩效自评工作簿 · 填表说明", Style.TITLE))
    for i, line in enumerate(GUIDE_LINES):
        s.statics.append(Static(f"A{3 + i}", line, Style.NOTE))  # its height fits the text (``rowfit``)
    legend = 4 + len(GUIDE_LINES)
    s.statics += [Static(f"A{legend}", "填写单元格（黄色）", Style.IN_TEXT), Static(f"A{legend + 1}", "计算单元格（灰色，锁定）", Style.OUT_TEXT)]
    s.buttons += guide_buttons(3, 2)
    # the 导入数据 button reads the data file's path here; the 环境自检 button writes its lines below
    s.statics.append(Static(f"A{legend + 3}", "导入数据 / 由上年生成：在下面的黄色单元格填写数据文件（.json 或 .xlsm）或上年工作簿的完整路径，再点相应按钮。", Style.NOTE))
    s.outputs.append(Output("import.path", f"A{legend + 4}", "导入数据或上年工作簿的路径", Style.IN_TEXT))
    s.statics.append(Static(f"A{legend + 6}", "环境自检（点“环境自检”后更新）", Style.SUBTITLE))
    s.outputs.append(Output("selftest.result", f"A{legend + 7}", "环境自检结果", Style.NOTE))
    s.print_area = f"A1:A{legend + 1}"
    one_page(s)
    return s


def conf() -> SheetLayout:
    """xlwings' settings, and right of them the built-in profiles' rules the native formulas look
    up (``ruletable.py``; its 当前方案 row is computed from 基本情况's 规则方案 cell)."""
    s = SheetLayout("conf", CONF_SHEET, Table.FILE, protect=False, hidden=True, widths={"A": 18, "B": 30, "C": 10})
    # xlwings reads this sheet (GetConfigFromSheet): keys in column A, values in column B.
    s.statics += [Static("A1", "UDF Modules", Style.NOTE), Static("B1", UDF_MODULE, Style.NOTE)]
    for cell, value in native.workbook_rules().cells():
        if isinstance(value, Native):
            s.computed.append(Computed(cell, value, Style.OUT_TEXT))
        elif value is not None:
            s.statics.append(Static(cell, value, Style.NOTE))
    return s

