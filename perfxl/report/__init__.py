"""The 自评报告 (narrative report): Word from a template, then PDF.

* ``context.py`` — ``build_context``: a pure function from the model, scores, findings
  and suggestions to the plain data the template needs (no Word, no files);
* ``templates/report.docx`` — the Word template (docxtpl/Jinja tags, GB/T 9704 styles),
  built by ``make_template.py`` and restyleable in Word;
* ``render.py`` — ``render_docx`` and ``write_report``: scores and checks through the
  core, renders, writes atomically, refuses to overwrite;
* ``annex_xml.py`` — the annex tables as WordprocessingML text, one annex at a time, with
  their fonts set while written;
* ``splice.py`` — ``splice``: long parts (the annexes, the review document's rows) written
  into a saved .docx a piece at a time, so memory does not grow with the projects;
* ``consistency.py`` — ``check_docx``: the 表文一致 check, the written file read back and
  every figure of the text compared with its annex cell (``TEXT_TABLE_MISMATCH``);
* ``review.py`` — ``review_docx``: the review document (校验说明) beside the report, with
  the rule-based review scores and every finding, which the published text leaves out;
* ``watermark.py`` — ``add_watermark``: the 草稿 mark of a draft (data with 错误);
* ``pdf.py`` — ``to_pdf`` through LibreOffice;
* ``files.py`` — ``ReportError``, ``PublicationBlocked`` (错误 stop publication) and the
  atomic write.

Nothing is imported here, so that ``perfxl.report.context`` stays free of python-docx.
"""
