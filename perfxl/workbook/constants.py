"""The names the workbook's parts agree on: its sheets, the xlwings version, the Python modules.

Kept apart from the declarations so that the VBA assembly (``vba.py``), the buttons
(``buttons.py``) and the package check (``parts.py``) need not import the sheets.
"""

from __future__ import annotations

GUIDE_SHEET = "填表说明"
GENERAL_SHEET = "基本情况"
BASIC_SHEET = "附件1 基础数据表"
OVERALL_SHEET = "附件2 整体自评表"
PROJECT_SHEET = "附件3 项目自评表"
FINDINGS_SHEET = "校验结果"
REPORT_SHEET = "自评报告"
CONF_SHEET = "xlwings.conf"

#: the xlwings version whose VBA module is embedded; the Python xlwings must match it
XLWINGS_VERSION = "0.37.8"
#: the module RunPython and the UDF wrappers call (the ``UDF Modules`` setting)
UDF_MODULE = "perfxl.udfs"
#: the Python module of the buttons' entry points
ENTRY_MODULE = "perfxl.xlentry"


def project_sheet_name(index: int) -> str:
    """"附件3 项目自评表", "附件3 项目自评表(2)", … for the 0-based *index*."""
    return PROJECT_SHEET if index == 0 else f"{PROJECT_SHEET}({index + 1})"

#: the fills of input cells (yellow) and computed cells (grey); the builder and the buttons use both
YELLOW = "#FFF2CC"
GREY = "#E7E6E6"
