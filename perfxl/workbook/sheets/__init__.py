"""The sheet builders: one function per sheet, each returning its ``SheetLayout``.

* ``general``     — 基本情况 (the report's data that no annex holds);
* ``basic``       — 附件1 基础数据表;
* ``performance`` — 附件2 整体自评表 and 附件3 项目自评表 (what they share, and each);
* ``render``      — from ``core.forms`` to layout pieces;
* ``native``      — the native Excel formulas (rates, 执行率 score, totals, grades, the
  "需Python" fallback of the UDFs) that compute without Python, each with its Python twin;
* ``support``     — 校验结果, 自评报告, 填表说明 and the hidden xlwings.conf.

The annex sheets (``basic``, ``performance``) render the rows, labels, kinds, sums and
rates of the core's declaration of the forms (``perfxl.core.forms``; each builder takes
its ``Form``, the shipped one by default) and keep only positions and styling;
``render`` translates between the two (a label with the year → a formula, a kind → an
input style, a ``Rate``'s rule → its PERF_* UDF, a ``Sum`` → SUM of its children's
cells).  ``common`` holds what several sheets share (the year and profile cells of
基本情况, titles with the year, numbered text lists, the signature row).
"""
