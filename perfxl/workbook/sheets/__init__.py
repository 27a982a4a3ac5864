"""The sheet builders: one function per sheet, each returning its ``SheetLayout``.

* ``general``     — 基本情况 (the report's data that no annex holds);
* ``basic``       — 附件1 基础数据表;
* ``performance`` — 附件2 整体自评表 and 附件3 项目自评表 (what they share, and each);
* ``support``     — 校验结果, 自评报告, 填表说明 and the hidden xlwings.conf.

Each annex module keeps its rows (model path, label, kind) in module-level tuples, in
one place per sheet, so that they can later come from the core's declaration of the
forms; the functions only place them.  ``common`` holds what several sheets share
(the year and profile cells of 基本情况, titles with the year, numbered text lists,
the signature row).
"""
