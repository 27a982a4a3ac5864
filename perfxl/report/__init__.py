"""The 自评报告 (narrative report): Word from a template, then PDF.

* ``context.py`` — ``build_context``: a pure function from the model, scores, findings
  and suggestions to the plain data the template needs (no Word, no files);
* ``templates/report.docx`` — the Word template (docxtpl/Jinja tags, GB/T 9704 styles),
  built by ``make_template.py`` and restyleable in Word;
* ``render.py`` — ``render_docx`` and ``write_report``: scores and checks through the
  core, renders, writes atomically, refuses to overwrite;
* ``pdf.py`` — ``to_pdf`` through LibreOffice;
* ``files.py`` — ``ReportError`` and the atomic write.

Nothing is imported here, so that ``perfxl.report.context`` stays free of python-docx.
"""
