"""The Excel side of perfxl: PerfEval.xlsm, declared once and built from sources.

* ``layout``  — the one declaration: sheets, cells, defined names, regions, formulas,
  buttons (``LAYOUT.locate(path)`` → (sheet, cell)); it re-exports its parts:
  ``constants`` (sheet names, versions), ``a1`` (addresses), ``formula`` (the formula
  language), ``decl`` (declaration types), ``shape`` (region capacities) and ``sheets/``
  (one builder per sheet group);
* ``buttons`` — the one button list (``ACTIONS``); the VBA button Subs, the ribbon XML and
  the form buttons are generated from it;
* ``builder`` — ``build_workbook(evaluation | None, out_path)`` (XlsxWriter, pyopenvba),
  with ``cached`` computing the formulas' cached values;
* ``vba``     — the VBA modules: ``perfxl/workbook/macros/*.bas``, xlwings' own module, the UDF wrappers;
* ``parts``   — ``check_parts(path)``: what an .xlsm needs beyond its sheets;
* ``reader``  — ``read_workbook(path)`` → (Evaluation, findings, locator), and
  ``read_evaluation(source)`` for any ``CellSource`` (``sources``: a file, an open Excel
  book); ``convert`` judges each cell's value once;
* ``xlwrite`` — writing to an open Excel book for the buttons (``xlbook``: where things
  are in the book; ``xlpaint``: fill colours).

``python -m perfxl.workbook`` rebuilds the committed workbooks and the generated sources.
Importing this package imports nothing heavy; the reader never imports XlsxWriter,
xlwings or pyopenvba.
"""
