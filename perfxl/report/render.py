"""Write the 自评报告 as Word (and PDF): the context of ``context.py`` rendered into the
template ``templates/report.docx``.

The body text is rendered by docxtpl (Jinja tags in the template, so wording and
styles can be changed in Word).  The annex tables have a variable number of rows and
merged cells, which Jinja cannot express in Word XML; they are built here with
WordprocessingML from the context's cell grids, in the template's styles (附件表格,
表格文字 …), and put in place of the template's ``{{p annexes }}`` paragraph (as
docxtpl's sub-documents do, without needing docxcompose).

Document properties (title, author) take the department's name: ``_property`` keeps
its printable characters and at most 255 of them (Word's and python-docx's limit; a longer
or control-laden name made the report fail with exit 3, issue 12).

Finally every run gets its East Asian font written on it (``w:eastAsia``), taken from
its style: text pasted into another document (as departments do with the official
template) then keeps 仿宋/黑体/楷体, while the template itself stays restyleable.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError
from markupsafe import Markup

from ..core.findings import Finding, Severity, sort_findings
from ..core.model import Evaluation
from .consistency import Consistency, check_docx
from .context import build_context
from .files import PublicationBlocked, ReportError, refuse_existing, write_atomic
from .review import review_docx, review_path
from .watermark import add_watermark

_QUOTE = {'"': "&quot;"}
#: characters XML 1.0 cannot hold (a vertical tab pasted from Word into an Excel cell…)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: Any) -> Any:
    """Jinja's ``finalize``: plain text loses the characters XML cannot hold; markup
    (the annexes) passes unchanged."""
    return value if isinstance(value, Markup) or not isinstance(value, str) else _NOT_XML.sub("", value)


def _property(value: object, limit: int = 255) -> str:
    """*value* fit for a core document property: printable characters only, at most *limit*."""
    return "".join(ch for ch in str(value) if ch.isprintable())[:limit]


TEMPLATE = Path(__file__).with_name("templates") / "report.docx"


@dataclass(frozen=True)
class ReportResult:
    """What ``write_report`` wrote.

    Attributes:
      docx: the Word file.  pdf: the PDF file, or ``None`` when not asked for.
      missing: what the report still marks "【待填写：…】".
      review: the review document (校验说明), or ``None`` when not asked for.
      findings: the checker's findings and those of the 表文一致 check, errors first.
      consistency: the 表文一致 comparison of the written file (``consistency.py``).
      draft: whether the report carries the 草稿 mark.
    """

    docx: Path
    pdf: Path | None
    missing: list[str]
    review: Path | None = None
    findings: tuple[Finding, ...] = ()
    consistency: Consistency | None = None
    draft: bool = False


# --------------------------------------------------------------------------- annex tables
#
# The tables are written as WordprocessingML directly: python-docx's cell merging
# walks the whole table for every cell and took seconds for three tables.

#: the template styles the annexes use, by name (their ids are looked up: Word renames
#: the ids of Chinese-named styles when it saves a restyled template)
ANNEX_STYLES = ("附件标号", "附件表名", "附件表格", "表格文字", "表格文字靠左", "表格说明")


def _style_ids(document: Any) -> dict[str, str]:
    ids = {}
    for name in ANNEX_STYLES:
        try:
            ids[name] = document.styles[name].style_id
        except KeyError:
            raise ReportError(f"报告模板缺少样式“{name}”，请从 perfxl 自带的模板中复制该样式。") from None
    return ids


def _paragraph_xml(text: str, style_id: str, *, page_break_before: bool | None = None,
                   keep_next: bool = False) -> str:
    ppr = f'<w:pStyle w:val="{escape(style_id, _QUOTE)}"/>'
    if keep_next:
        ppr += "<w:keepNext/>"
    if page_break_before is False:
        ppr += '<w:pageBreakBefore w:val="0"/>'
    text = _NOT_XML.sub("", text)
    run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
    return f"<w:p><w:pPr>{ppr}</w:pPr>{run}</w:p>"


def _table_xml(spec: dict[str, Any], ids: dict[str, str]) -> str:
    """One annex table: a fixed grid, cells spanning columns (gridSpan) and rows (vMerge)."""
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
            paragraphs = "".join(_paragraph_xml(line, style, keep_next=r == last) for line in lines)
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


def annexes_xml(annexes: list[dict[str, Any]], ids: dict[str, str]) -> Markup:
    """The annexes (number, title, table, notes, signature line) as WordprocessingML for
    the template's ``{{p annexes }}`` paragraph; each starts on a new page."""
    out = []
    for i, annex in enumerate(annexes):
        # the first one follows the section break, which already starts a new page
        out.append(_paragraph_xml(annex["number"], ids["附件标号"], page_break_before=False if i == 0 else None))
        out.append(_paragraph_xml(annex["title"], ids["附件表名"]))
        out.append(_table_xml(annex, ids))
        out += [_paragraph_xml(note, ids["表格说明"], keep_next=True) for note in annex["notes"]]
        out.append(_paragraph_xml(annex["signature"], ids["表格说明"]))
    return Markup("".join(out))


# --------------------------------------------------------------------------- fonts


def _east_asian_fonts(styles_el) -> tuple[dict[str, str | None], str | None, str | None]:
    """(style id → its East Asian font through ``basedOn``, the docDefaults font, the
    default paragraph style id)."""
    by_id = {s.get(qn("w:styleId")): s for s in styles_el.iterfind(qn("w:style"))}
    fonts: dict[str, str | None] = {}

    def font_of(style_id: str, seen: tuple[str, ...] = ()) -> str | None:
        if style_id in fonts:
            return fonts[style_id]
        style = by_id.get(style_id)
        found = None
        if style is not None and style_id not in seen:
            rfonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            found = rfonts.get(qn("w:eastAsia")) if rfonts is not None else None
            based = style.find(qn("w:basedOn"))
            if found is None and based is not None:
                found = font_of(based.get(qn("w:val")), (*seen, style_id))
        fonts[style_id] = found
        return found

    for style_id in by_id:
        font_of(style_id)
    rfonts = styles_el.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    default_font = rfonts.get(qn("w:eastAsia")) if rfonts is not None else None
    default_para = next((s.get(qn("w:styleId")) for s in by_id.values()
                         if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true")), None)
    return fonts, default_font, default_para


def pin_east_asian_fonts(document: Any) -> None:
    """Write ``w:eastAsia`` on every run of the body, headers and footers that lacks one,
    with the font its character style, else its paragraph style, else the document
    default gives it."""
    fonts, default_font, default_para = _east_asian_fonts(document.styles.element)
    parts = [document.part] + [rel.target_part for rel in document.part.rels.values()
                               if rel.reltype in (RT.HEADER, RT.FOOTER)]
    for part in parts:
        for p in part.element.iter(qn("w:p")):
            p_style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            style_id = p_style.get(qn("w:val")) if p_style is not None else default_para
            para_font = fonts.get(style_id) if style_id is not None else None
            for r in p.iter(qn("w:r")):
                rpr = r.find(qn("w:rPr"))
                if rpr is None:
                    rpr = parse_xml(f'<w:rPr {nsdecls("w")}/>')
                    r.insert(0, rpr)
                rfonts = rpr.find(qn("w:rFonts"))
                if rfonts is not None and rfonts.get(qn("w:eastAsia")):
                    continue
                r_style = rpr.find(qn("w:rStyle"))
                font = (fonts.get(r_style.get(qn("w:val"))) if r_style is not None else None) or para_font or default_font
                if font is None:
                    continue
                if rfonts is None:
                    rfonts = parse_xml(f'<w:rFonts {nsdecls("w")}/>')
                    if r_style is not None:
                        r_style.addnext(rfonts)
                    else:
                        rpr.insert(0, rfonts)
                rfonts.set(qn("w:eastAsia"), font)


# --------------------------------------------------------------------------- rendering


def render_docx(context: dict[str, Any], template: Path | str | None = None, *, draft: bool = False) -> bytes:
    """The .docx bytes of *context* (from ``build_context``) rendered into *template*;
    with *draft*, every page carries the 草稿 mark (``watermark.py``)."""
    path = Path(template) if template else TEMPLATE
    if not path.is_file():
        raise ReportError(f"找不到报告模板：{path}")
    tpl = DocxTemplate(str(path))
    env = Environment(undefined=StrictUndefined, autoescape=True, finalize=_xml_text)
    try:
        annexes = annexes_xml(context["annexes"], _style_ids(tpl.get_docx()))
        tpl.render({**context, "annexes": annexes}, env)
    except TemplateError as exc:
        raise ReportError(f"报告模板“{path.name}”有误：{exc}（模板只能使用 perfxl 提供的变量）") from exc
    if draft:
        add_watermark(tpl.docx)
    pin_east_asian_fonts(tpl.docx)
    properties = tpl.docx.core_properties
    properties.title = _property(context["title"])
    properties.subject = "部门整体支出绩效自评报告"
    properties.author = properties.last_modified_by = _property(context["department"])
    properties.comments = "由 perfxl 生成"
    properties.created = properties.modified = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    properties.revision = 1
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def write_report(ev: Evaluation, out_docx: Path | str, *, profile: Any = None, pdf: bool = False,
                 overwrite: bool = False, template: Path | str | None = None, draft: bool = False,
                 review: bool = False, refuse_errors: bool = False) -> ReportResult:
    """Score and check *ev* through the core, then write the report to *out_docx* (and,
    with *pdf*, the same name with ``.pdf`` through LibreOffice).

    *profile* is a loaded ``Profile``, the caller's own profile name or path, or
    ``None`` for the built-in one the data names (``ev.profile``: never a path, see
    ``perfxl.app.profiles``).  An existing file is refused unless *overwrite*; nothing
    is written then.  Raises ``ReportError`` with a Chinese message.

    The rendered file is read back before it is written (``consistency.check_docx``, the
    表文一致 check); its findings join the checker's.  With *refuse_errors* and any 错误
    among them, nothing is written and ``PublicationBlocked`` lists them (the command
    and the workbook's button publish this way).  *draft* marks every page 草稿 and
    writes the review document too; *review* writes it (``review.review_path``).
    """
    from ..app.profiles import resolve_profile
    from ..core.assessment import assess
    from ..core.profile import Profile, ProfileError

    out = Path(out_docx)
    if out.suffix.lower() != ".docx":
        raise ReportError(f"报告文件名应以 .docx 结尾：{out}")
    if not out.parent.is_dir():
        raise ReportError(f"输出目录不存在：{out.parent}")
    pdf_path = out.with_suffix(".pdf") if pdf else None
    review_out = review_path(out) if review or draft else None
    for path in (out, pdf_path, review_out):
        if path is not None:
            refuse_existing(path, overwrite)

    if not isinstance(profile, Profile):
        try:
            profile = resolve_profile(profile, ev.profile)
        except ProfileError as exc:
            raise ReportError(f"评分方案无法使用：{exc}") from exc
    assessed = assess(ev, profile)
    context = build_context(ev, assessed.scores, assessed.findings, assessed.suggestions, profile)
    data = render_docx(context, template, draft=draft)
    consistency = check_docx(data)
    findings = tuple(sort_findings([*assessed.findings, *consistency.findings]))
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if refuse_errors and errors and not draft:
        raise PublicationBlocked(errors)
    write_atomic(out, data)
    if review_out is not None:
        write_atomic(review_out, review_docx(context, assessed.scores, findings, consistency, draft=draft))
    written_pdf = None
    if pdf_path is not None:
        from .pdf import to_pdf

        written_pdf = to_pdf(out, pdf_path)
    return ReportResult(out, written_pdf, list(context["missing"]), review_out, findings, consistency, draft)
