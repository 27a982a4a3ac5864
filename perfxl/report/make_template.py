"""Build ``templates/report.docx``, the restyleable Word template of the 自评报告.

Run ``python -m perfxl.report.make_template`` after changing this file; the result is
a product file, committed, and a test checks that it is up to date.

The layout follows GB/T 9704-2012 (党政机关公文格式): A4, margins top 37 mm, bottom
35 mm, left 28 mm, right 26 mm; the title in 方正小标宋简体 二号; the body in
仿宋_GB2312 三号 at a fixed line pitch of 28.95 pt (22 lines a page); headings 一、 in
黑体 and （一） in 楷体_GB2312; page numbers "— 1 —" in 四号宋体, odd pages on the right
and even pages on the left, one character in.  The annex tables sit in a landscape
section of their own.

Everything a user may want to change is a named style, so the template can be
restyled in Word without touching code:

===============  ===========================================================
Title            the report's title (Chinese Word shows it as “标题”)
Normal           body text (Chinese Word shows it as “正文”)
一级标题 / 二级标题  "一、…" (黑体) / "（一）…" (楷体_GB2312)
封面标题 / 封面文字  the cover page
附件标号 / 附件表名  "附件一" and the table's title above each annex table
表格文字 / 表格文字靠左  text in the annex tables (仿宋 10.5 pt), centred / left
表格说明          the notes and the signature line under a table
附件表格          the annex tables' table style (borders, cell margins)
Footer           the page number
===============  ===========================================================

Fonts that may be missing on a PC are declared in the font table with a fallback
(``w:altName``): 方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from .render import TEMPLATE

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
#: font → the font Word uses when it is not installed
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING2_FONT: "楷体", HEADING1_FONT: "SimHei", "宋体": "SimSun"}

#: GB/T 9704 page: A4 and its margins (mm)
PAGE_WIDTH, PAGE_HEIGHT = 210, 297
MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}
#: the landscape annex section: the same margins turned a quarter (text area 225 × 156 mm)
LANDSCAPE_MARGINS = {"top": 28, "bottom": 26, "left": 37, "right": 35}
#: 22 lines a page in the 225 mm text height: 28.95 pt
LINE_PITCH_TWIPS = 579
#: the page number sits 7 mm below the text area
FOOTER_DISTANCE_MM = 23


def _fonts_xml(font: str) -> str:
    return f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'


def _set_rpr(style, font: str, size_pt: float) -> None:
    """Replace the style's run properties by *font* in every script slot and *size_pt*
    (not bold: GB/T 9704 sets no heading in bold)."""
    el = style.element
    old = el.find(qn("w:rPr"))
    if old is not None:
        el.remove(old)
    half_points = round(size_pt * 2)
    el.append(parse_xml(
        f'<w:rPr {nsdecls("w")}>{_fonts_xml(font)}<w:b w:val="0"/><w:bCs w:val="0"/><w:color w:val="000000"/>'
        f'<w:kern w:val="0"/><w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    ))


def _set_ppr(style, xml: str) -> None:
    """Replace the style's paragraph properties by *xml* (the children of w:pPr)."""
    el = style.element
    old = el.find(qn("w:pPr"))
    if old is not None:
        el.remove(old)
    ppr = parse_xml(f'<w:pPr {nsdecls("w")}>{xml}</w:pPr>')
    rpr = el.find(qn("w:rPr"))
    if rpr is not None:
        rpr.addprevious(ppr)
    else:
        el.append(ppr)


def _paragraph_style(doc, name: str, base: str | None = "Normal"):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        style.base_style = styles[base]
    style.quick_style = True
    return style


#: the styles this module creates
OWN_STYLES = ("一级标题", "二级标题", "封面标题", "封面文字", "附件标号", "附件表名", "表格文字", "表格文字靠左", "表格说明",
              "附件表格")

INDENT_2 = '<w:ind w:firstLineChars="200" w:firstLine="640"/>'
NO_INDENT = '<w:ind w:left="0" w:firstLineChars="0" w:firstLine="0"/>'
#: table text: 10.5 pt on a fixed 11 pt line, so rows are as low in LibreOffice (whose
#: fallback CJK fonts have tall line heights) as in Word, and each official form (附件一's
#: 25 rows included) fits its landscape page with its note and signature line (issue 10)
CELL_SPACING = '<w:spacing w:before="0" w:after="0" w:line="220" w:lineRule="exact"/>'
FIXED = f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH_TWIPS}" w:lineRule="exact"/>'


def _styles(doc) -> None:
    styles = doc.styles
    # document defaults: explicit fonts (no theme fonts, which would win over them in Word)
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    defaults_xml = (f'<w:rPr {nsdecls("w")}>{_fonts_xml(BODY_FONT)}<w:kern w:val="2"/><w:sz w:val="32"/>'
                    '<w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>')
    for child in parse_xml(defaults_xml):
        rpr.append(child)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(ppr):
        ppr.remove(child)
    ppr.append(parse_xml(f'<w:spacing {nsdecls("w")} w:after="0" w:line="240" w:lineRule="auto"/>'))

    normal = styles["Normal"]
    _set_ppr(normal, f'<w:widowControl w:val="0"/><w:adjustRightInd w:val="0"/>{FIXED}{INDENT_2}<w:jc w:val="both"/>')
    _set_rpr(normal, BODY_FONT, 16)

    title = _paragraph_style(doc, "Title")
    _set_ppr(title, f'<w:keepNext/><w:spacing w:before="0" w:after="{LINE_PITCH_TWIPS}" w:line="720" '
                    f'w:lineRule="exact"/>{NO_INDENT}<w:jc w:val="center"/><w:outlineLvl w:val="9"/>')
    _set_rpr(title, TITLE_FONT, 22)

    h1 = _paragraph_style(doc, "一级标题")
    _set_ppr(h1, f'<w:keepNext/>{FIXED}{INDENT_2}<w:outlineLvl w:val="0"/>')
    _set_rpr(h1, HEADING1_FONT, 16)
    h1.next_paragraph_style = normal
    h2 = _paragraph_style(doc, "二级标题")
    _set_ppr(h2, f'<w:keepNext/>{FIXED}{INDENT_2}<w:outlineLvl w:val="1"/>')
    _set_rpr(h2, HEADING2_FONT, 16)
    h2.next_paragraph_style = normal

    cover_title = _paragraph_style(doc, "封面标题")
    _set_ppr(cover_title, f'<w:spacing w:before="0" w:after="0" w:line="1000" w:lineRule="exact"/>{NO_INDENT}'
                          '<w:jc w:val="center"/>')
    _set_rpr(cover_title, TITLE_FONT, 22)
    cover_text = _paragraph_style(doc, "封面文字")
    _set_ppr(cover_text, f'{FIXED}{NO_INDENT}<w:jc w:val="center"/>')
    _set_rpr(cover_text, BODY_FONT, 16)

    annex_no = _paragraph_style(doc, "附件标号")
    # "附件一" on an 18 pt line (not the body's 28.95 pt): the form below needs the height
    _set_ppr(annex_no, '<w:keepNext/><w:pageBreakBefore/><w:spacing w:before="0" w:after="0" w:line="360" '
                       f'w:lineRule="exact"/>{NO_INDENT}<w:jc w:val="left"/>')
    _set_rpr(annex_no, HEADING1_FONT, 16)
    annex_title = _paragraph_style(doc, "附件表名")
    _set_ppr(annex_title, '<w:keepNext/><w:spacing w:before="0" w:after="80" w:line="400" w:lineRule="exact"/>'
                          f'{NO_INDENT}<w:jc w:val="center"/>')
    _set_rpr(annex_title, TITLE_FONT, 18)

    cell = _paragraph_style(doc, "表格文字")
    _set_ppr(cell, f'<w:snapToGrid w:val="0"/>{CELL_SPACING}{NO_INDENT}<w:jc w:val="center"/>')
    _set_rpr(cell, BODY_FONT, 10.5)
    cell_left = _paragraph_style(doc, "表格文字靠左", "表格文字")
    _set_ppr(cell_left, f'<w:snapToGrid w:val="0"/>{CELL_SPACING}{NO_INDENT}<w:jc w:val="both"/>')
    _set_rpr(cell_left, BODY_FONT, 10.5)
    note = _paragraph_style(doc, "表格说明")
    _set_ppr(note, f'<w:spacing w:before="60" w:after="0" w:line="280" w:lineRule="exact"/>{NO_INDENT}'
                   '<w:jc w:val="left"/>')
    _set_rpr(note, BODY_FONT, 10.5)

    footer = styles["Footer"]
    _set_ppr(footer, f'<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>{NO_INDENT}')
    _set_rpr(footer, PAGE_NUMBER_FONT, 14)

    table = styles.add_style("附件表格", WD_STYLE_TYPE.TABLE)
    table.base_style = styles["Normal Table"]
    border = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
    table.element.append(parse_xml(
        f'<w:tblPr {nsdecls("w")}><w:jc w:val="center"/><w:tblBorders>'
        f'<w:top {border}/><w:left {border}/><w:bottom {border}/><w:right {border}/>'
        f'<w:insideH {border}/><w:insideV {border}/></w:tblBorders>'
        '<w:tblCellMar><w:top w:w="11" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
        '<w:bottom w:w="11" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    ))


#: the styles kept from python-docx's blank template (it has ~150, mostly table styles)
_BUILTIN_KEPT = ("Normal", "Title", "Footer", "Header", "Default Paragraph Font", "Normal Table", "No List", "Table Grid")


def _prune_styles(doc) -> None:
    """Keep only the styles the report uses (and those they are based on), so that a
    user restyling the template sees a short list.  The "… Char" styles linked to
    Title and Footer go too: they carry the blank template's theme fonts and colours."""
    styles_el = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles_el.iterfind(qn("w:style"))}
    keep: set[str] = set()
    todo = [doc.styles[name].style_id for name in (*_BUILTIN_KEPT, *OWN_STYLES)]
    while todo:
        style_id = todo.pop()
        if style_id in keep or style_id not in by_id:
            continue
        keep.add(style_id)
        for tag in ("w:basedOn", "w:next"):
            ref = by_id[style_id].find(qn(tag))
            if ref is not None:
                todo.append(ref.get(qn("w:val")))
    for style_id, style in by_id.items():
        if style_id not in keep:
            styles_el.remove(style)
        elif style.find(qn("w:link")) is not None and style.find(qn("w:link")).get(qn("w:val")) not in keep:
            style.remove(style.find(qn("w:link")))
    # stylesWithEffects.xml is a Word 2010 copy of the styles that Word rebuilds itself
    for r_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(r_id)


def _font_table(doc) -> None:
    """Declare the official fonts with the font Word substitutes when one is missing."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    entries = "".join(
        f'<w:font w:name="{font}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        for font, alt in FALLBACKS.items()
    )
    blob = part.blob.decode("utf-8")
    part._blob = blob.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def _page(section, *, landscape: bool) -> None:
    section.page_width, section.page_height = (Mm(PAGE_HEIGHT), Mm(PAGE_WIDTH)) if landscape else (
        Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    margins = LANDSCAPE_MARGINS if landscape else MARGINS
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    section.header_distance, section.footer_distance = Mm(15), Mm(FOOTER_DISTANCE_MM)
    section.gutter = 0


def _page_number(paragraph, *, odd: bool) -> None:
    """"— 1 —" with a PAGE field; odd pages right, even pages left, one character in."""
    paragraph.style = "Footer"
    fmt = paragraph.paragraph_format
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        fmt.right_indent = Pt(14)
    else:
        fmt.left_indent = Pt(14)
    p = paragraph._p
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve">— </w:t></w:r>'))
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>'))
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'))
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>'))
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t>1</w:t></w:r>'))
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))
    p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> —</w:t></w:r>'))


#: the children of w:sectPr that must follow w:pgNumType (ECMA-376 order)
_AFTER_PGNUMTYPE = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
                    "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


def _insert_in_order(sect_pr, element) -> None:
    for tag in _AFTER_PGNUMTYPE:
        successor = sect_pr.find(qn(tag))
        if successor is not None:
            successor.addprevious(element)
            return
    sect_pr.append(element)


def _end_section(paragraph, section_xml) -> None:
    """Make *paragraph* the last one of a section whose properties are *section_xml*."""
    paragraph._p.get_or_add_pPr().append(section_xml)


def build(path: Path = TEMPLATE) -> Path:
    doc = Document()
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _styles(doc)
    _prune_styles(doc)
    _font_table(doc)
    # python-docx's blank template carries a thumbnail of an empty page: not ours to show
    package_rels = doc.part.package.rels
    for r_id in [r_id for r_id, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        package_rels.pop(r_id)
    doc.core_properties.title = "部门整体支出绩效自评报告模板"
    doc.core_properties.author = "perfxl"
    doc.core_properties.comments = "由 perfxl.report.make_template 生成；可在 Word 中修改样式。"
    doc.settings.odd_and_even_pages_header_footer = True

    def par(text: str, style: str):
        return doc.add_paragraph(text, style=style)

    # the cover page: its own section, without a page number
    first = par("{{ cover.title_lines[0] }}", "封面标题")
    first.paragraph_format.space_before = Pt(150)
    par("{{ cover.title_lines[1] }}", "封面标题")
    unit = par("{{ cover.unit_line }}", "封面文字")
    unit.paragraph_format.space_before = Pt(200)
    cover_end = par("{{ cover.date_line }}", "封面文字")

    # the body: numbered from 1
    par("{{ title }}", "Title")
    par("一、部门基本情况", "一级标题")
    par("（一）部门主要职责", "二级标题")
    for line in ("{%p for item in duties %}", "{{ item }}", "{%p endfor %}"):
        par(line, "Normal")
    par("（二）人员编制情况", "二级标题")
    par("{{ staffing }}", "Normal")
    par("二、一般公共预算支出情况", "一级标题")
    par("（一）基本支出情况", "二级标题")
    par("{{ basic_expenditure }}", "Normal")
    par("（二）项目支出情况", "二级标题")
    par("{{ project_expenditure }}", "Normal")
    par("三、政府性基金预算支出情况", "一级标题")
    par("{{ government_fund }}", "Normal")
    par("四、国有资本经营预算支出情况", "一级标题")
    par("{{ state_capital }}", "Normal")
    par("五、社会保险基金预算支出情况", "一级标题")
    par("{{ social_insurance }}", "Normal")
    par("六、部门整体支出绩效情况", "一级标题")
    for line in ("{%p for item in performance.summary %}", "{{ item }}", "{%p endfor %}",
                 "{%p for item in performance.results %}", "{{ item }}", "{%p endfor %}"):
        par(line, "Normal")
    par("七、存在的问题及原因分析", "一级标题")
    for line in ("{%p for item in problems %}", "{{ item }}", "{%p endfor %}"):
        par(line, "Normal")
    par("八、下一步改进措施", "一级标题")
    for line in ("{%p for item in measures %}", "{{ item }}", "{%p endfor %}"):
        par(line, "Normal")
    par("九、部门整体支出绩效自评结果拟应用和公开情况", "一级标题")
    par("{{ disclosure }}", "Normal")
    par("十、其他需要说明的情况", "一级标题")
    # 十's text, the blank line and the 附件 list stay on one page (keep with next): the
    # list never splits, nor stands alone on a page (issue 10)
    par("{{ other }}", "Normal").paragraph_format.keep_with_next = True
    par("", "Normal").paragraph_format.keep_with_next = True  # one blank line before the 附件 list (GB/T 9704)
    for line in ("{%p for item in attachments %}", "{{ item }}", "{%p endfor %}"):
        par(line, "Normal").paragraph_format.keep_with_next = True
    body_end = par("", "Normal")
    body_end.paragraph_format.line_spacing = Pt(1)  # holds the section break only

    # the annexes: a landscape section; render.py puts the tables in place of this paragraph
    par("{{p annexes }}", "Normal")

    # the cover's and the body's sections end in their last paragraph; the annexes' is the
    # document's own (last) section
    last = doc.sections[0]._sectPr
    _end_section(cover_end, copy.deepcopy(last))
    _end_section(body_end, copy.deepcopy(last))
    cover, main, annex = doc.sections
    for sec, landscape in ((cover, False), (main, False), (annex, True)):
        _page(sec, landscape=landscape)
        sec.start_type = WD_SECTION.NEW_PAGE
    _insert_in_order(main._sectPr, parse_xml(f'<w:pgNumType {nsdecls("w")} w:fmt="decimal" w:start="1"/>'))
    main.footer.is_linked_to_previous = False
    _page_number(main.footer.paragraphs[0], odd=True)
    main.even_page_footer.is_linked_to_previous = False
    _page_number(main.even_page_footer.paragraphs[0], odd=False)
    # the cover has no page number: give it empty footers of its own
    cover.footer.is_linked_to_previous = False
    cover.even_page_footer.is_linked_to_previous = False
    # the annex section keeps the body's footers (linked) and continues its numbering

    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = build(Path(args[0]) if args else TEMPLATE)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
