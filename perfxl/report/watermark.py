"""The 草稿 watermark of a draft report (``perfxl report --draft``, issue 10).

A report written while the data still has 错误 is a draft: every page shows a large
light-grey "草稿" behind the text, so that a printed or forwarded copy cannot pass for the
submitted report.

Decisions: the mark is a DrawingML text box (``wps:wsp``, inside ``mc:AlternateContent``
as Word writes it) anchored in the page header, centred on the page and behind the text
(``behindDoc``), not Word's VML "PowerPlusWaterMarkObject" WordArt: LibreOffice draws
WordArt as outlines, so the PDF would hold no text "草稿" a program could find
(``pdftotext`` does find this one).  The header of the first section carries it (default
and even pages: the template has different odd and even footers); the later sections
link to it, so the landscape annex pages show it too.  Its grey (#C8C8C8) is light
enough for the page-fill measurement of the tests, which counts only dark pixels.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import parse_xml

TEXT = "草稿"
#: the text box: 160 mm × 80 mm, 120 pt characters
WIDTH_EMU, HEIGHT_EMU = 160 * 36000, 80 * 36000
SIZE_HALF_POINTS = 240
COLOR = "C8C8C8"

_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
       'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')


def _run_xml(shape_id: int) -> str:
    font = '<w:rFonts w:ascii="黑体" w:hAnsi="黑体" w:eastAsia="黑体" w:cs="黑体"/>'
    text = (f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr>{font}<w:color w:val="{COLOR}"/>'
            f'<w:sz w:val="{SIZE_HALF_POINTS}"/><w:szCs w:val="{SIZE_HALF_POINTS}"/></w:rPr>'
            f'<w:t>{TEXT}</w:t></w:r></w:p>')
    return (
        f'<w:r {_NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="0" behindDoc="1" '
        'locked="1" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="page"><wp:align>center</wp:align></wp:positionH>'
        '<wp:positionV relativeFrom="page"><wp:align>center</wp:align></wp:positionV>'
        f'<wp:extent cx="{WIDTH_EMU}" cy="{HEIGHT_EMU}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{shape_id}" name="草稿水印{shape_id}"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
        f'<a:xfrm rot="19800000"><a:off x="0" y="0"/><a:ext cx="{WIDTH_EMU}" cy="{HEIGHT_EMU}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
        f'<wps:txbx><w:txbxContent>{text}</w:txbxContent></wps:txbx>'
        '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr">'
        '<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>'
        '</mc:Choice></mc:AlternateContent></w:r>'
    )


def add_watermark(document: Any) -> None:
    """Put the 草稿 mark in the headers of *document*'s first section (default and even
    pages); the other sections' headers are linked to them."""
    first = document.sections[0]
    for i, header in enumerate((first.header, first.even_page_header)):
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        paragraph._p.append(parse_xml(_run_xml(9001 + i)))
    for section in document.sections[1:]:
        section.header.is_linked_to_previous = True
        section.even_page_header.is_linked_to_previous = True
