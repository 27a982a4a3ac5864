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
    RunPython "import perfxl.xlentry as e; e.check()"
End Sub

Public Sub Perf_Recalc()
    RunPython "import perfxl.xlentry as e; e.recalc()"
End Sub

Public Sub Perf_Report()
    RunPython "import perfxl.xlentry as e; e.report()"
End Sub

Public Sub Perf_ExportPdf()
    RunPython "import perfxl.xlentry as e; e.export_pdf()"
End Sub

Public Sub Perf_AddProject()
    RunPython "import perfxl.xlentry as e; e.add_project()"
End Sub

Public Sub Perf_Import()
    RunPython "import perfxl.xlentry as e; e.import_data()"
End Sub

Public Sub Perf_SelfTest()
    RunPython "import perfxl.xlentry as e; e.self_test()"
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

Public Sub Ribbon_SelfTest(control As Object)
    Perf_SelfTest
End Sub
