"""The Excel side of perfxl: PerfEval.xlsm, declared once and built from sources.

* ``layout``  — the one declaration: sheets, cells, defined names, regions, formulas,
  buttons (``LAYOUT.locate(path)`` → (sheet, cell));
* ``builder`` — ``build_workbook(evaluation | None, out_path)`` (XlsxWriter, pyopenvba);
* ``vba``     — the VBA modules: ``perfxl/workbook/macros/*.bas``, xlwings' own module, the UDF wrappers;
* ``parts``   — ``check_parts(path)``: what an .xlsm needs beyond its sheets;
* ``reader``  — ``read_workbook(path)`` → (Evaluation, findings, locator), and
  ``read_evaluation(source)`` for any ``CellSource`` (an open Excel book too).

``python -m perfxl.workbook`` rebuilds the committed workbooks.  Importing this package
imports nothing heavy; the reader never imports XlsxWriter, xlwings or pyopenvba.
"""
