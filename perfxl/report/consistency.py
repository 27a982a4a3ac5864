"""表文一致: the written report read back, every figure the text quotes against its annex cell.

The narrative and the annexes are built from the same model values, so they agree when
perfxl writes them; this check proves it on the file itself, after rendering, and keeps
proving it when somebody edits the .docx in Word afterwards (``check_docx`` needs only
the file).  A disagreement is a finding ``TEXT_TABLE_MISMATCH`` (registered in
``core/codes.py``), reported like any other.

Decisions:

* What is checked is declared once, as data (``QUOTES``): the section and the words
  before the figure in the text ("公用经费" → "公用经费13.08万元"), and where its cell is
  in which annex, by the labels a reader sees on the printed form (row label and column
  heading, "the cell below a heading", or a "标签：数值" line), never by row numbers, so a
  restyled template or a table with more rows is still read correctly.
* Each 附件三 is matched to its 六 paragraph by the project name in its 项目支出名称 row.
* A figure the text does not quote (a "【待填写：…】" mark, "无") is not checked; a
  quoted figure whose cell is missing or not a number is a mismatch.
* Numbers are compared as numbers (13.08 = 13.080), a rate only with a rate.
* The file is read once, streaming (``iterparse`` over ``word/document.xml``): each body
  paragraph or table is read and dropped, so a report with 300 附件三 never sits in
  memory as a tree; the 六/七 paragraphs are indexed by the “项目” names they quote, so
  matching the projects stays linear in their number (issue 11).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

from ..core.codes import finding
from ..core.findings import Finding, Table

_NUMBER = r"(-?\d[\d,]*(?:\.\d+)?)(%?)"
_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_ANNEX = re.compile(r"^附件[一二三四五六七八九十]+(?:-\d+)?$")


@dataclass(frozen=True)
class Locator:
    """Where a figure sits in an annex table, by what the printed form shows.

    Attributes:
      kind: "cell" (the row whose label is *row*, the column whose heading ends with
        *column*), "below" (the cell under the heading ending with *column*) or
        "labelled" (the text after "*row*：" in a cell of lines "标签：数值").
    """

    kind: str
    row: str = ""
    column: str = ""

    def describe(self) -> str:
        if self.kind == "cell":
            return f"“{self.row}”行“{self.column}”栏"
        if self.kind == "below":
            return f"“{self.column}”栏"
        return f"“{self.row}”"


@dataclass(frozen=True)
class Quote:
    """A figure of the text and its annex cell.

    Attributes:
      section: the heading prefix of the section ("二、").  anchor: a text the paragraph
        contains ("" for any paragraph of the section).  label: the words right before
        the figure ("…": any text within the same clause).  ``{project}`` in either is
        the project's name.  annex: "附件一"…; "附件三" means every 附件三.
    """

    section: str
    anchor: str
    label: str
    annex: str
    where: Locator


QUOTES: tuple[Quote, ...] = (
    Quote("一、", "", "编制", "附件一", Locator("below", column="编制数")),
    Quote("一、", "", "财政供养在职", "附件一", Locator("below", column="实际在职人数")),
    Quote("二、", "", "基本支出", "附件二", Locator("labelled", row="基本支出")),
    Quote("二、", "", "公用经费", "附件一", Locator("cell", row="公用经费", column="年决算数")),
    Quote("二、", "", "项目支出", "附件二", Locator("labelled", row="项目支出")),
    Quote("二、", "", "项目支出", "附件一", Locator("cell", row="项目支出：", column="年决算数")),
    Quote("三、", "", "政府性基金预算支出", "附件二", Locator("labelled", row="政府性基金拨款")),
    Quote("六、", "年度部门整体支出", "全年预算数", "附件二", Locator("cell", row="年度资金总额", column="全年预算数")),
    Quote("六、", "年度部门整体支出", "全年执行数", "附件二", Locator("cell", row="年度资金总额", column="全年执行数")),
    Quote("六、", "年度部门整体支出", "预算执行率", "附件二", Locator("cell", row="年度资金总额", column="执行率")),
    Quote("六、", "年度部门整体支出", "自评得分", "附件二", Locator("cell", row="总分", column="自评得分")),
    # one per 附件三: the anchor "“{项目名称}”项目" is filled in from the table
    Quote("六、", "“{project}”项目", "全年预算数", "附件三", Locator("cell", row="年度资金总额", column="全年预算数")),
    Quote("六、", "“{project}”项目", "全年执行数", "附件三", Locator("cell", row="年度资金总额", column="全年执行数")),
    Quote("六、", "“{project}”项目", "预算执行率", "附件三", Locator("cell", row="年度资金总额", column="执行率")),
    Quote("六、", "“{project}”项目", "自评得分", "附件三", Locator("cell", row="总分", column="自评得分")),
    # 七: the suggestions quote the funds ("…" stands for any text within the clause)
    Quote("七、", "", "部门整体全年预算", "附件二", Locator("cell", row="年度资金总额", column="全年预算数")),
    Quote("七、", "", "部门整体全年预算…实际支出", "附件二", Locator("cell", row="年度资金总额", column="全年执行数")),
    Quote("七、", "", "部门整体全年预算…预算执行率", "附件二", Locator("cell", row="年度资金总额", column="执行率")),
    Quote("七、", "", "部门整体年初预算", "附件二", Locator("cell", row="年度资金总额", column="年初预算数")),
    Quote("七、", "", "“{project}”项目全年预算", "附件三", Locator("cell", row="年度资金总额", column="全年预算数")),
    Quote("七、", "", "“{project}”项目全年预算…实际支出", "附件三",
          Locator("cell", row="年度资金总额", column="全年执行数")),
    Quote("七、", "", "“{project}”项目全年预算…预算执行率", "附件三",
          Locator("cell", row="年度资金总额", column="执行率")),
    Quote("七、", "", "“{project}”项目年初预算", "附件三", Locator("cell", row="年度资金总额", column="年初预算数")),
)


@dataclass(frozen=True)
class Compared:
    """One figure compared: what the text says, what the cell says."""

    section: str
    label: str
    annex: str
    cell: str
    text_value: str
    cell_value: str
    same: bool


@dataclass(frozen=True)
class Consistency:
    """The result of ``check_docx``: every comparison and the findings of those that differ."""

    compared: tuple[Compared, ...]
    findings: tuple[Finding, ...]


# --------------------------------------------------------------------------- reading the file


@dataclass(slots=True)
class _Cell:
    col: int
    span: int
    text: str


def _clean(text: str) -> str:
    return re.sub(r"\s", "", text)


def _grid(tbl: Any) -> list[list[_Cell]]:
    rows = []
    for tr in tbl.iterfind(qn("w:tr")):
        col, cells = 0, []
        for tc in tr.iterfind(qn("w:tc")):
            tc_pr = tc.find(qn("w:tcPr"))
            span_el = tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None
            vmerge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            continued = vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue")
            lines = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iterfind(qn("w:p"))]
            cells.append(_Cell(col, span, "" if continued else "\n".join(lines)))
            col += span
        rows.append(cells)
    return rows


def _body(source: str | Path | bytes) -> Iterator[Any]:
    """The children of the body of the .docx *source*, one at a time, each dropped from
    memory once the caller has read it."""
    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as docx, \
            docx.open("word/document.xml") as stream:
        body_tag, tbl_tag = qn("w:body"), qn("w:tbl")
        depth = 0  # of tables: only the paragraphs outside them are the body's
        events = etree.iterparse(stream, events=("start", "end"), tag=(qn("w:p"), tbl_tag),
                                 resolve_entities=False, no_network=True)
        for event, element in events:
            if element.tag == tbl_tag:
                depth += 1 if event == "start" else -1
            if event == "start" or depth:
                continue
            parent = element.getparent()
            if parent is None or parent.tag != body_tag:
                continue
            yield element
            element.clear(keep_tail=True)
            while element.getprevious() is not None:
                del parent[0]


def _read(children: Iterable[Any]) -> tuple[dict[str, list[str]], dict[str, list[list[_Cell]]]]:
    """(section prefix → its paragraphs, annex number → its table), body order."""
    sections: dict[str, list[str]] = {}
    tables: dict[str, list[list[_Cell]]] = {}
    current, annex = "", ""
    for child in children:
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t"))).strip()
            if _ANNEX.match(text):
                annex = text
            elif not annex and _HEADING.match(text):
                current = _HEADING.match(text).group(0)  # type: ignore[union-attr]  # matched just above
                sections.setdefault(current, [])
            elif not annex and current and text:
                sections[current].append(text)
        elif child.tag == qn("w:tbl") and annex and annex not in tables:
            tables[annex] = _grid(child)
    return sections, tables


def _value(text: str) -> tuple[Decimal, bool] | None:
    match = re.fullmatch(_NUMBER, _clean(text))
    if not match:
        return None
    try:
        return Decimal(match.group(1).replace(",", "")), bool(match.group(2))
    except InvalidOperation:
        return None


def _covering(row: list[_Cell], col: int) -> _Cell | None:
    return next((c for c in row if c.col <= col < c.col + c.span), None)


def _locate(grid: list[list[_Cell]], where: Locator) -> str | None:
    """The text of the cell (or the line) *where* names, or ``None`` when it is not there."""
    if where.kind == "labelled":
        for row in grid:
            for cell in row:
                for line in cell.text.split("\n"):
                    head, sep, rest = _clean(line).removeprefix("其中：").partition("：")
                    if sep and head == where.row:
                        return rest
        return None

    def heading(r: int) -> int | None:
        matches = [c.col for c in grid[r] if c.text and _clean(c.text).endswith(where.column)]
        return matches[-1] if matches else None

    if where.kind == "below":
        for r in range(len(grid) - 1):
            col = heading(r)
            if col is not None:
                under = _covering(grid[r + 1], col)
                return under.text if under else None
        return None
    for r, row in enumerate(grid):
        if not any(_clean(c.text) == where.row for c in row):
            continue
        for above in range(r - 1, -1, -1):
            col = heading(above)
            if col is not None:
                found = _covering(row, col)
                return found.text if found else None
    return None


def _projects(tables: dict[str, list[list[_Cell]]]) -> Iterator[tuple[str, str]]:
    """(annex number, project name) of every 附件三."""
    for number, grid in tables.items():
        if not number.startswith("附件三"):
            continue
        for row in grid:
            if row and _clean(row[0].text) == "项目支出名称" and len(row) > 1:
                yield number, _clean(row[1].text)
                break


_PROJECT_ANCHOR = re.compile(r"“[^“”]*”项目")


class _Paragraphs:
    """The paragraphs of one section, with those quoting each “项目” name at hand."""

    def __init__(self, paragraphs: list[str]):
        self.all = paragraphs
        self._by_anchor: dict[str, list[str]] = {}
        for text in paragraphs:
            for anchor in dict.fromkeys(_PROJECT_ANCHOR.findall(text)):
                self._by_anchor.setdefault(anchor, []).append(text)

    def with_anchor(self, anchor: str) -> list[str]:
        """The paragraphs containing *anchor* (all of them for no anchor), in order."""
        if not anchor:
            return self.all
        if _PROJECT_ANCHOR.fullmatch(anchor):
            return self._by_anchor.get(anchor, [])
        return [text for text in self.all if anchor in text]


def _quoted(paragraphs: _Paragraphs, anchor: str, label: str) -> str | None:
    pattern = re.compile("[^；。]*?".join(re.escape(part) for part in label.split("…")) + _NUMBER)
    for text in paragraphs.with_anchor(anchor):
        match = pattern.search(text)
        if match:
            return match.group(1) + match.group(2)
    return None


def check_docx(source: str | Path | bytes | Any) -> Consistency:
    """Read a written report (a path, its bytes or a python-docx ``Document``) and
    compare every figure of ``QUOTES`` the text gives with its annex cell."""
    children = _body(source) if isinstance(source, (bytes, str, Path)) else source.element.body.iterchildren()
    sections, tables = _read(children)
    paragraphs = {section: _Paragraphs(texts) for section, texts in sections.items()}
    projects = list(_projects(tables))
    compared: list[Compared] = []
    findings: list[Finding] = []
    for quote in QUOTES:
        if quote.annex == "附件三":
            targets = [(number, quote.anchor.format(project=name), quote.label.format(project=name))
                       for number, name in projects]
        else:
            targets = [(quote.annex, quote.anchor, quote.label)]
        for annex, anchor, label in targets:
            said = _quoted(paragraphs.get(quote.section, _Paragraphs([])), anchor, label)
            if said is None:
                continue  # the text does not quote this figure (a mark, "无")
            grid = tables.get(annex)
            cell = _locate(grid, quote.where) if grid is not None else None
            text_value, cell_value = _value(said), _value(cell or "")
            same = text_value is not None and text_value == cell_value
            shown = (cell or "").strip() or "空白"
            where = f"{annex}{quote.where.describe()}"
            compared.append(Compared(quote.section, label, annex, where, said, shown, same))
            if not same:
                words = label.replace("…", "……")
                subject = anchor.split("“")[-1].split("”")[0] if "“" in anchor else ""
                location = f"{quote.section.rstrip('、')}部分{f'“{subject}”项目' if subject else ''}“{words}”与{where}"
                findings.append(finding("TEXT_TABLE_MISMATCH", Table.CROSS, "", location,
                                        expected=shown, actual=said, title="自评报告"))
    return Consistency(tuple(compared), tuple(findings))
