Attribute VB_Name = "PerfButtons"
' PerfEval.xlsm: the form buttons and the ribbon tab run these Subs.
' Each one runs one Python entry point of perfxl.xlentry through xlwings
' (RunPython lives in the module "xlwings" of this workbook).
' A button is declared once, in perfxl/workbook/buttons.py (ACTIONS): its Subs below
' the marker line are generated from there by python -m perfxl.workbook.
' Above the marker goes only what is not per button.
' Keep this file ASCII: Chinese text belongs in Python, the captions and the ribbon XML.
Option Explicit

' ---- generated from perfxl/workbook/buttons.py ACTIONS by python -m perfxl.workbook: do not edit below ----

Public Sub Perf_Check()
    RunPython "exec('try:\n import perfxl.xlentry as e\nexcept Exception as x:\n raise SystemExit(\'\u672a\u80fd\u8f7d\u5165 perfxl\uff1aExcel \u4f7f\u7528\u7684 Python \u4e2d\u6ca1\u6709\u5b89\u88c5 perfxl\uff0c\u6216\u5b89\u88c5\u5df2\u635f\u574f\u3002\u8bf7\u91cd\u65b0\u8fd0\u884c\u5b89\u88c5\u5305\u4e2d\u7684 install.cmd\uff0c\u6216\u5728\u547d\u4ee4\u63d0\u793a\u7b26\u4e2d\u8fd0\u884c perfxl doctor \u67e5\u770b\u539f\u56e0\u3002\u8be6\u60c5\uff1a\' + type(x).__name__ + \': \' + str(x))\ne.check()')"
End Sub

Public Sub Perf_Recalc()
    RunPython "exec('try:\n import perfxl.xlentry as e\nexcept Exception as x:\n raise SystemExit(\'\u672a\u80fd\u8f7d\u5165 perfxl\uff1aExcel \u4f7f\u7528\u7684 Python \u4e2d\u6ca1\u6709\u5b89\u88c5 perfxl\uff0c\u6216\u5b89\u88c5\u5df2\u635f\u574f\u3002\u8bf7\u91cd\u65b0\u8fd0\u884c\u5b89\u88c5\u5305\u4e2d\u7684 install.cmd\uff0c\u6216\u5728\u547d\u4ee4\u63d0\u793a\u7b26\u4e2d\u8fd0\u884c perfxl doctor \u67e5\u770b\u539f\u56e0\u3002\u8be6\u60c5\uff1a\' + type(x).__name__ + \': \' + str(x))\ne.recalc()')"
End Sub

Public Sub Perf_Report()
    RunPython "exec('try:\n import perfxl.xlentry as e\nexcept Exception as x:\n raise SystemExit(\'\u672a\u80fd\u8f7d\u5165 perfxl\uff1aExcel \u4f7f\u7528\u7684 Python \u4e2d\u6ca1\u6709\u5b89\u88c5 perfxl\uff0c\u6216\u5b89\u88c5\u5df2\u635f\u574f\u3002\u8bf7\u91cd\u65b0\u8fd0\u884c\u5b89\u88c5\u5305\u4e2d\u7684 install.cmd\uff0c\u6216\u5728\u547d\u4ee4\u63d0\u793a\u7b26\u4e2d\u8fd0\u884c perfxl doctor \u67e5\u770b\u539f\u56e0\u3002\u8be6\u60c5\uff1a\' + type(x).__name__ + \': \' + str(x))\ne.report()')"
End Sub

Public Sub Perf_ExportPdf()
    RunPython "exec('try:\n import perfxl.xlentry as e\nexcept Exception as x:\n raise SystemExit(\'\u672a\u80fd\u8f7d\u5165 perfxl\uff1aExcel \u4f7f\u7528\u7684 Python \u4e2d\u6ca1\u6709\u5b89\u88c5 perfxl\uff0c\u6216\u5b89\u88c5\u5df2\u635f\u574f\u3002\u8bf7\u91cd\u65b0\u8fd0\u884c\u5b89\u88c5\u5305\u4e2d\u7684 install.cmd\uff0c\u6216\u5728\u547d\u4ee4\u63d0\u793a\u7b26\u4e2d\u8fd0\u884c perfxl doctor \u67e5\u770b\u539f\u56e0\u3002\u8be6\u60c5\uff1a\' + type(x).__name__ + \': \' + str(x))\ne.export_pdf()')"
End Sub

Public Sub Perf_AddProject()
    RunPython "exec('try:\n import perfxl.xlentry as e\nexcept Exception as x:\n raise SystemExit(\'\u672a\u80fd\u8f7d\u5165 perfxl\uff1aExcel \u4f7f\u7528\u7684 Python \u4e2d\u6ca1\u6709\u5b89\u88c5 perfxl\uff0c\u6216\u5b89\u88c5\u5df2\u635f\u574f\u3002\u8bf7\u91cd\u65b0\u8fd0\u884c\u5b89\u88c5\u5305\u4e2d\u7684 install.cmd\uff0c\u6216\u5728\u547d\u4ee4\u63d0\u793a\u7b26\u4e2d\u8fd0\u884c perfxl doctor \u67e5\u770b\u539f\u56e0\u3002\u8be6\u60c5\uff1a\' + type(x).__name__ + \': \' + str(x))\ne.add_project()')"
End Sub

Public Sub Perf_Import()
    RunPython "exec('try:\n import perfxl.xlentry as e\nexcept Exception as x:\n raise SystemExit(\'\u672a\u80fd\u8f7d\u5165 perfxl\uff1aExcel \u4f7f\u7528\u7684 Python \u4e2d\u6ca1\u6709\u5b89\u88c5 perfxl\uff0c\u6216\u5b89\u88c5\u5df2\u635f\u574f\u3002\u8bf7\u91cd\u65b0\u8fd0\u884c\u5b89\u88c5\u5305\u4e2d\u7684 install.cmd\uff0c\u6216\u5728\u547d\u4ee4\u63d0\u793a\u7b26\u4e2d\u8fd0\u884c perfxl doctor \u67e5\u770b\u539f\u56e0\u3002\u8be6\u60c5\uff1a\' + type(x).__name__ + \': \' + str(x))\ne.import_data()')"
End Sub

Public Sub Perf_NextYear()
    RunPython "exec('try:\n import perfxl.xlentry as e\nexcept Exception as x:\n raise SystemExit(\'\u672a\u80fd\u8f7d\u5165 perfxl\uff1aExcel \u4f7f\u7528\u7684 Python \u4e2d\u6ca1\u6709\u5b89\u88c5 perfxl\uff0c\u6216\u5b89\u88c5\u5df2\u635f\u574f\u3002\u8bf7\u91cd\u65b0\u8fd0\u884c\u5b89\u88c5\u5305\u4e2d\u7684 install.cmd\uff0c\u6216\u5728\u547d\u4ee4\u63d0\u793a\u7b26\u4e2d\u8fd0\u884c perfxl doctor \u67e5\u770b\u539f\u56e0\u3002\u8be6\u60c5\uff1a\' + type(x).__name__ + \': \' + str(x))\ne.next_year()')"
End Sub

Public Sub Perf_SelfTest()
    RunPython "exec('try:\n import perfxl.xlentry as e\nexcept Exception as x:\n raise SystemExit(\'\u672a\u80fd\u8f7d\u5165 perfxl\uff1aExcel \u4f7f\u7528\u7684 Python \u4e2d\u6ca1\u6709\u5b89\u88c5 perfxl\uff0c\u6216\u5b89\u88c5\u5df2\u635f\u574f\u3002\u8bf7\u91cd\u65b0\u8fd0\u884c\u5b89\u88c5\u5305\u4e2d\u7684 install.cmd\uff0c\u6216\u5728\u547d\u4ee4\u63d0\u793a\u7b26\u4e2d\u8fd0\u884c perfxl doctor \u67e5\u770b\u539f\u56e0\u3002\u8be6\u60c5\uff1a\' + type(x).__name__ + \': \' + str(x))\ne.self_test()')"
End Sub

' Ribbon callbacks (customUI14.xml onAction). As Object needs no Office reference.

Public Sub Ribbon_Check(control As Object)
    Perf_Check
End Sub

Public Sub Ribbon_Recalc(control As Object)
    Perf_Recalc
End Sub

Public Sub Ribbon_Report(control As Object)
    Perf_Report
End Sub

Public Sub Ribbon_ExportPdf(control As Object)
    Perf_ExportPdf
End Sub

Public Sub Ribbon_AddProject(control As Object)
    Perf_AddProject
End Sub

Public Sub Ribbon_Import(control As Object)
    Perf_Import
End Sub

Public Sub Ribbon_NextYear(control As Object)
    Perf_NextYear
End Sub

Public Sub Ribbon_SelfTest(control As Object)
    Perf_SelfTest
End Sub
