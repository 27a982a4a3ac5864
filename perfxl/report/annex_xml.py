"""The annex tables of the 自评报告 as WordprocessingML text, one annex at a time.

Split from ``render.py`` (issue 11, large departments).  The tables have a variable
number of rows and merged cells, which Jinja cannot express in Word XML; they are
written here from the context's cell grids (``annexes.py``), in the template's styles
(附件表格, 表格文字 …).

Decisions:

* The annexes are not rendered through docxtpl: a department with 300 projects has 300
  附件三, and one Jinja string plus one lxml tree of them all cost ~160 MiB.  ``render.py``
  renders the narrative with a marker in place of ``{{p annexes }}`` and splices the
  text of ``annex_chunks`` into ``word/document.xml`` while writing the file, one annex
  at a time, so memory does not grow with the number of projects.
* The result is the XML docxtpl and ``render.pin_east_asian_fonts`` made before, byte
  for byte in content: every run carries its East Asian font (``w:eastAsia``, the
  font of its paragraph's style, else the document default; an empty ``w:rPr`` when
  there is none), set while writing instead of by a walk over every run afterwards; a
  tab becomes a ``w:tab`` run and "{_{" … "{{" as docxtpl's listing step did; a line
  end inside a line becomes "\\n", as the XML parser made of it.
* Written with WordprocessingML directly, never python-docx's cell merging, which
  walks the whole table for every cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from xml.sax.saxutils import escape

from docx.shared import Mm

from .files import ReportError

_QUOTE = {'"': "&quot;"}
#: characters XML 1.0 cannot hold (a vertical tab pasted from Word into an Excel cell…)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def property_text(value: object, limit: int = 255) -> str:
    """*value* fit for a core document property (title, author): printable characters only, at
    most *limit* (Word's and python-docx's limit; a longer or control-laden department name made
    the report fail with exit 3, issue 12)."""
    return "".join(ch for ch in str(value) if ch.isprintable())[:limit]
#: what docxtpl's rendering turns back into Jinja braces in any text it renders
_UNESCAPED = (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}"))

#: the template styles the annexes use, by name (their ids are looked up: Word renames
#: the ids of Chinese-named styles when it saves a restyled template)
ANNEX_STYLES = ("附件标号", "附件表名", "附件表格", "表格文字", "表格文字靠左", "表格说明")


def style_ids(document: Any) -> dict[str, str]:
    """The style id of each of ``ANNEX_STYLES`` in *document* (python-docx)."""
    ids = {}
    for name in ANNEX_STYLES:
        try:
            ids[name] = document.styles[name].style_id
        except KeyError:
            raise ReportError(f"报告模板缺少样式“{name}”，请从 perfxl 自带的模板中复制该样式。") from None
    return ids


class AnnexWriter:
    """Writes annexes in the styles *ids* (``style_ids``), each run with the East Asian
    font *fonts* gives its paragraph style (style id → font, or ``None``)."""

    def __init__(self, ids: Mapping[str, str], fonts: Mapping[str, str | None]):
        self.ids = ids
        self._rpr = {}
        for style_id in ids.values():
            font = fonts.get(style_id)
            self._rpr[style_id] = (f'<w:rPr><w:rFonts w:eastAsia="{escape(font, _QUOTE)}"/></w:rPr>'
                                   if font else "<w:rPr/>")

    def paragraph(self, text: str, style_id: str, *, page_break_before: bool | None = None,
                  keep_next: bool = False) -> str:
        ppr = f'<w:pStyle w:val="{escape(style_id, _QUOTE)}"/>'
        if keep_next:
            ppr += "<w:keepNext/>"
        if page_break_before is False:
            ppr += '<w:pageBreakBefore w:val="0"/>'
        text = NOT_XML.sub("", text)
        for old, new in _UNESCAPED:
            text = text.replace(old, new)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        runs = ""
        if text:
            rpr = self._rpr.get(style_id, "<w:rPr/>")
            runs = f"<w:r>{rpr}<w:tab/></w:r>".join(
                f'<w:r>{rpr}<w:t xml:space="preserve">{escape(part)}</w:t></w:r>' for part in text.split("\t"))
        return f"<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>"

    def table(self, spec: dict[str, Any]) -> str:
        """One annex table: a fixed grid, cells spanning columns (gridSpan) and rows (vMerge)."""
        ids = self.ids
        widths = [Mm(mm).twips for mm in spec["columns"]]
        starts: dict[tuple[int, int], dict[str, Any]] = {}
        for r, cells in enumerate(spec["rows"]):
            for cell in cells:
                starts[(r, cell["col"])] = cell
                for dr in range(1, cell["rowspan"]):  # the cells a row span covers below
                    starts[(r + dr, cell["col"])] = {**cell, "continue": True}
        rows = []
        last = len(spec["rows"]) - 1
        for r in range(len(spec["rows"])):
            tcs, c = [], 0
            while c < len(widths):
                cell = starts[(r, c)]
                span = cell["colspan"]
                tc_pr = f'<w:tcW w:w="{sum(widths[c:c + span])}" w:type="dxa"/>'
                if span > 1:
                    tc_pr += f'<w:gridSpan w:val="{span}"/>'
                if cell["rowspan"] > 1:
                    tc_pr += '<w:vMerge/>' if cell.get("continue") else '<w:vMerge w:val="restart"/>'
                tc_pr += '<w:vAlign w:val="center"/>'
                style = ids["表格文字靠左" if cell["align"] == "left" else "表格文字"]
                lines = [""] if cell.get("continue") else cell["text"].split("\n")
                # the last row stays on the page of the signature line under the table
                paragraphs = "".join(self.paragraph(line, style, keep_next=r == last) for line in lines)
                tcs.append(f"<w:tc><w:tcPr>{tc_pr}</w:tcPr>{paragraphs}</w:tc>")
                c += span
            # a row is never split over two pages; the form's header rows repeat on the next
            # page when a long table does not fit on one
            header = "<w:tblHeader/>" if r < spec.get("header_rows", 0) else ""
            rows.append(f'<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>{"".join(tcs)}</w:tr>')
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        return (f'<w:tbl><w:tblPr><w:tblStyle w:val="{escape(ids["附件表格"], _QUOTE)}"/>'
                f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
                f'<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
                f'w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')

    def annex(self, annex: dict[str, Any], first: bool) -> str:
        """One annex: number, title, table, notes, signature line; it starts on a new page
        (the *first* follows the section break, which already starts one)."""
        ids = self.ids
        out = [self.paragraph(annex["number"], ids["附件标号"], page_break_before=False if first else None),
               self.paragraph(annex["title"], ids["附件表名"]),
               self.table(annex)]
        out += [self.paragraph(note, ids["表格说明"], keep_next=True) for note in annex["notes"]]
        out.append(self.paragraph(annex["signature"], ids["表格说明"]))
        return "".join(out)


def annex_chunks(annexes: list[dict[str, Any]], ids: Mapping[str, str],
                 fonts: Mapping[str, str | None]) -> Iterator[str]:
    """The annexes as WordprocessingML body content, one string per annex."""
    writer = AnnexWriter(ids, fonts)
    for i, annex in enumerate(annexes):
        yield writer.annex(annex, i == 0)
