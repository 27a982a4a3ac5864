"""The review document (校验说明.docx): what perfxl found, for the department and the finance bureau.

The published report says what the department says (its own 自评得分 and 等级, its
figures).  What perfxl concludes about the data goes here instead (issue 10):

* 一、评分复核 — per table the 执行率, the department's total and grade beside the
  rule-based total and grade, and each indicator whose self score differs from the
  rule score, with the rule's reason;
* 二、数据校验问题 — every finding (错误 first) with its sheet and cell, the expected and
  the actual value, its code;
* 三、表文一致核对 — every figure of the text compared with its annex cell
  (``consistency.py``);
* 四、报告中待填写的内容 — the "【待填写：…】" marks.

Decisions: a plain python-docx document (no template: it is a working paper, not a
form, and restyling it is nobody's job); the same fonts as the report (仿宋_GB2312 body,
黑体 headings) pinned as East Asian fonts so it reads the same in WPS and Word; A4
landscape, because the findings table has seven columns of Chinese text.

The tables' rows are not added through python-docx (issue 11: a department with 300
projects has thousands of findings; python-docx took ~1 ms and much memory a row):
python-docx writes each table's header row, and the data rows are spliced in as text
when the file is written (``splice.py``), in the XML python-docx writes for them (each
cell's run made by python-docx itself unless its text is plain: no control characters
and no spaces at its ends).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from lxml import etree

from ..core.findings import Finding, Severity, sort_findings
from ..core.money import fmt_pct, fmt_score
from .annex_xml import NOT_XML, property_text
from .consistency import Consistency
from .splice import mark, splice

#: "<report>-校验说明.docx" beside the report
SUFFIX = "-校验说明"


def review_path(report: Path) -> Path:
    """Where the review document of *report* goes: "自评报告.docx" → "自评报告-校验说明.docx"."""
    return report.with_name(f"{report.stem}{SUFFIX}.docx")


def _font(style: Any, font: str, size: float) -> None:
    style.font.size = Pt(size)
    style.font.name = font
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = parse_xml(f'<w:rFonts {nsdecls("w")}/>')
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)


_PLAIN = re.compile(r"[^\x00-\x20\x7f]|[^\x00-\x20\x7f][^\x00-\x1f\x7f]*[^\x00-\x20\x7f]")
_W_NS = f' xmlns:w="{nsdecls("w").split(chr(34))[1]}"'


def _run_xml(text: str) -> str:
    """The run python-docx writes for ``cell.text = text`` (less the characters XML cannot hold)."""
    text = NOT_XML.sub("", text)
    if _PLAIN.fullmatch(text):
        return f"<w:r><w:t>{escape(text)}</w:t></w:r>"
    run = OxmlElement("w:r")
    run.text = text
    return etree.tostring(run, encoding="unicode").replace(_W_NS, "", 1)


def _rows_xml(rows: Sequence[Sequence[str]], widths: Sequence[str]) -> Iterator[str]:
    for values in rows:
        cells = "".join(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr><w:p>{_run_xml(text)}</w:p></w:tc>'
                        for text, width in zip(values, widths, strict=True))
        yield f"<w:tr>{cells}</w:tr>"


class _Tables:
    """The review document's tables: python-docx writes the header rows, ``splice`` the data rows."""

    def __init__(self) -> None:
        self.rows: dict[str, Iterator[str]] = {}

    def add(self, document: Any, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]) -> None:
        table = document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        # widths on the grid and on every cell, layout fixed: LibreOffice reads the grid, Word the cells
        table.autofit = False
        for col, width in zip(table._tbl.tblGrid.iterfind(qn("w:gridCol")), widths, strict=True):
            col.set(qn("w:w"), str(Mm(width).twips))
        for cell, width in zip(table.rows[0].cells, widths, strict=True):
            cell.width = Mm(width)
        table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
        cell_widths = [tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}").get(qn("w:w")) for tc in table.rows[0]._tr.tc_lst]
        name = f"rows-{len(self.rows)}"
        table._tbl.append(etree.ProcessingInstruction(mark(name)[2:-2]))
        self.rows[name] = _rows_xml(rows, cell_widths)


def _score_rows(scores: Any) -> tuple[list[list[str]], list[list[str]]]:
    tables, indicators = [], []
    for t in getattr(scores, "tables", ()):
        own = fmt_score(t.self_total, dash="未填")
        diff = fmt_score(t.self_total - t.rule_total) if t.self_total is not None else "—"
        tables.append([t.title, fmt_pct(t.execution_rate), own, t.self_grade or "—", fmt_score(t.rule_total),
                       t.grade, diff])
        if t.budget_self_score is not None and t.budget_score is not None and t.budget_self_score != t.budget_score:
            indicators.append([t.title, "执行率", fmt_score(t.budget_weight), fmt_score(t.budget_self_score),
                               fmt_score(t.budget_score), f"执行率{fmt_pct(t.execution_rate)} × 分值"])
        for s in t.indicators:
            if s.self_score != s.rule_score:
                name = f"{s.indicator.level2.strip()}“{s.indicator.name.strip()}”"
                indicators.append([t.title, name, fmt_score(s.weight), fmt_score(s.self_score, dash="未填"),
                                   fmt_score(s.rule_score), s.explanation])
    return tables, indicators


def review_docx(context: dict[str, Any], scores: Any, findings: Sequence[Finding], consistency: Consistency,
                *, draft: bool) -> bytes:
    """The review document's bytes."""
    document = Document()
    tables_out = _Tables()
    _table = tables_out.add
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    _font(document.styles["Normal"], "仿宋_GB2312", 11)
    for name in ("Title", "Heading 1"):
        _font(document.styles[name], "黑体", 18 if name == "Title" else 14)
        document.styles[name].font.color.rgb = None
    title = NOT_XML.sub("", str(context["title"]))  # department text: only what XML can hold
    document.add_paragraph(f"{title}——校验说明", style="Title")
    errors = [f for f in findings if f.severity is Severity.ERROR]
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    profile = context.get("profile", {})
    document.add_paragraph(
        "本文件由 perfxl 生成，供部门和财政局审核自评数据使用，不属于报送的自评报告。"
        f"评分方案：{profile.get('title') or profile.get('name') or '默认'}；"
        f"生成时间：{datetime.now():%Y-%m-%d %H:%M}。")
    if errors:
        state = (f"数据中有 {len(errors)} 项错误。自评报告{'以草稿方式生成（页面带“草稿”字样），' if draft else ''}"
                 "须改正错误后重新生成，方可报送。")
    else:
        state = "数据中没有错误，自评报告可以报送。"
    document.add_paragraph(f"状态：{state}校验结果共 {counts[Severity.ERROR]} 项错误、"
                           f"{counts[Severity.WARNING]} 项警告、{counts[Severity.NOTICE]} 项提示。")

    document.add_paragraph("一、评分复核", style="Heading 1")
    document.add_paragraph("报告正文只写部门的自评得分和等级；下表按评分方案的规则重新计算，供审核参考。")
    tables, indicators = _score_rows(scores)
    _table(document, ["表", "执行率", "自评总分", "自评等级", "规则得分", "规则等级", "自评−规则"], tables,
           (70, 22, 22, 22, 22, 22, 27))
    if indicators:
        document.add_paragraph("自评得分与规则得分不同的项目：")
        _table(document, ["表", "指标", "分值", "自评得分", "规则得分", "规则说明"], indicators,
               (45, 45, 14, 18, 18, 117))

    document.add_paragraph("二、数据校验问题", style="Heading 1")
    if findings:
        rows = [[str(i), str(f.severity), f.where, f.message, f.expected, f.actual, f.code]
                for i, f in enumerate(sort_findings(findings), 1)]
        _table(document, ["序号", "程度", "位置", "问题", "应为", "实填", "代码"], rows, (10, 12, 50, 98, 22, 22, 43))
    else:
        document.add_paragraph("未发现问题。")

    document.add_paragraph("三、表文一致核对", style="Heading 1")
    wrong = [c for c in consistency.compared if not c.same]
    document.add_paragraph(
        f"已把报告正文中引用的 {len(consistency.compared)} 处数字与附件表格逐一核对，"
        + (f"其中 {len(wrong)} 处不一致（见下表“一致”栏）。" if wrong else "全部一致。"))
    _table(document, ["部分", "正文", "正文数字", "附件单元格", "单元格数字", "一致"],
           [[c.section.rstrip("、"), c.label.replace("…", "……"), c.text_value, c.cell, c.cell_value,
             "是" if c.same else "否"] for c in consistency.compared], (14, 70, 25, 85, 25, 18))

    document.add_paragraph("四、报告中待填写的内容", style="Heading 1")
    missing = context.get("missing", [])
    if missing:
        for label in missing:
            document.add_paragraph(NOT_XML.sub("", f"【待填写：{label}】"))
    else:
        document.add_paragraph("无。")
    properties = document.core_properties
    properties.title = property_text(f"{context['title']}——校验说明")
    properties.author = property_text(context.get("department", ""))
    properties.comments = "由 perfxl 生成"
    out = io.BytesIO()
    document.save(out)
    return splice(out.getvalue(), tables_out.rows)
