"""Write the 自评报告 as Word (and PDF): the context of ``context.py`` rendered into the
template ``templates/report.docx``.

The body text is rendered by docxtpl (Jinja tags in the template, so wording and
styles can be changed in Word).  The annex tables have a variable number of rows and
merged cells, which Jinja cannot express in Word XML; ``annex_xml.py`` writes them
with WordprocessingML from the context's cell grids, in the template's styles (附件表格,
表格文字 …), in place of the template's ``{{p annexes }}`` paragraph.

Document properties (title, author) take the department's name: ``annex_xml.property_text`` keeps
its printable characters and at most 255 of them (Word's and python-docx's limit; a longer
or control-laden name made the report fail with exit 3, issue 12).

Every run gets its East Asian font written on it (``w:eastAsia``), taken from its
style: text pasted into another document (as departments do with the official
template) then keeps 仿宋/黑体/楷体, while the template itself stays restyleable.

Decisions (issue 11, large departments: a report of 300 projects in under 150 MiB, its
cost linear in the projects): docxtpl renders only the narrative, with a marker in
place of the annexes; the fonts are pinned on the narrative's runs, and the annexes'
runs get theirs while they are written; the annexes are then spliced into
``word/document.xml`` as the file is written, one annex at a time (``splice.py``), so no
Jinja string or lxml tree ever holds them all.  The document is the same as when
docxtpl rendered the annexes itself (tests/report/test_large.py compares both).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError
from markupsafe import Markup

from ..core.findings import Finding, Severity, sort_findings
from ..core.model import Evaluation
from .annex_xml import ANNEX_STYLES, NOT_XML, annex_chunks, property_text, style_ids
from .consistency import Consistency, check_docx
from .context import build_context
from .files import PublicationBlocked, ReportError, refuse_existing, write_atomic
from .review import review_docx, review_path
from .splice import mark, splice
from .watermark import add_watermark

__all__ = ["ANNEX_STYLES", "TEMPLATE", "ReportResult", "pin_east_asian_fonts", "render_docx", "write_report"]

#: what the template's ``{{p annexes }}`` paragraph becomes while rendering (``splice.py``)
_ANNEX_MARK = mark("annexes")


def _xml_text(value: Any) -> Any:
    """Jinja's ``finalize``: plain text loses the characters XML cannot hold; markup
    (the annexes) passes unchanged."""
    return value if isinstance(value, Markup) or not isinstance(value, str) else NOT_XML.sub("", value)


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
    _pin_fonts(document, _east_asian_fonts(document.styles.element))


def _pin_fonts(document: Any, found: tuple[dict[str, str | None], str | None, str | None]) -> None:
    fonts, default_font, default_para = found
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
        ids = style_ids(tpl.get_docx())
        tpl.render({**context, "annexes": Markup(_ANNEX_MARK)}, env)
    except TemplateError as exc:
        raise ReportError(f"报告模板“{path.name}”有误：{exc}（模板只能使用 perfxl 提供的变量）") from exc
    if draft:
        add_watermark(tpl.docx)
    found = _east_asian_fonts(tpl.docx.styles.element)
    _pin_fonts(tpl.docx, found)
    fonts, default_font, _ = found
    annex_fonts = {style_id: fonts.get(style_id) or default_font for style_id in ids.values()}
    properties = tpl.docx.core_properties
    properties.title = property_text(context["title"])
    properties.subject = "部门整体支出绩效自评报告"
    properties.author = properties.last_modified_by = property_text(context["department"])
    properties.comments = "由 perfxl 生成"
    properties.created = properties.modified = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    properties.revision = 1
    out = io.BytesIO()
    tpl.save(out)
    return splice(out.getvalue(), {"annexes": annex_chunks(context["annexes"], ids, annex_fonts)})


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
    write_atomic(out, data, overwrite=overwrite)
    if review_out is not None:
        write_atomic(review_out, overwrite=overwrite, data=review_docx(context, assessed.scores, findings, consistency, draft=draft))
    written_pdf = None
    if pdf_path is not None:
        from .pdf import to_pdf

        written_pdf = to_pdf(out, pdf_path, overwrite=overwrite)
    return ReportResult(out, written_pdf, list(context["missing"]), review_out, findings, consistency, draft)
