"""Reading the sample report (``data/hengshan-kexie-2023-seed.txt``) and our .docx the
same way, so that they can be compared paragraph by paragraph and cell by cell.

The seed is a plain-text dump of the department's Word file: a table cell is a line
that starts with a tab (a cell with several lines continues on lines without one), a
blank line ends a table row, and the whole report is printed twice (the second copy
without annexes) — only the first copy is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docx.oxml.ns import qn

SEED = Path(__file__).with_name("data") / "hengshan-kexie-2023-seed.txt"


@dataclass
class Seed:
    paragraphs: list[str] = field(default_factory=list)  # text outside tables, in order, non-empty
    tables: list[list[list[str]]] = field(default_factory=list)  # table → row → cell text


def first_copy(lines: list[str]) -> list[str]:
    """The lines up to where the report starts again (its first line repeated)."""
    first = lines[0]
    again = next((i for i in range(1, len(lines)) if lines[i] == first), len(lines))
    return lines[:again]


def parse(lines: list[str]) -> Seed:
    seed = Seed()
    table: list[list[str]] = []
    row: list[str] | None = None
    after_cell = False
    for line in lines:
        if line.startswith("\t"):
            row = [] if row is None else row
            row.append(line[1:])
            after_cell = True
        elif not line.strip():
            if row is not None:
                table.append(row)
                row = None
            after_cell = False
        elif after_cell:  # a cell's next line
            row[-1] += "\n" + line
        else:
            if table:
                seed.tables.append(table)
                table = []
            seed.paragraphs.append(line.strip())
    if row is not None:
        table.append(row)
    if table:
        seed.tables.append(table)
    return seed


def load_seed() -> Seed:
    return parse(first_copy(SEED.read_text("utf-8").splitlines()))


def section(paragraphs: list[str], start: str, end: str | None) -> list[str]:
    """The paragraphs from the one starting with *start* up to (not including) *end*."""
    i = next(i for i, p in enumerate(paragraphs) if p.startswith(start))
    j = next((k for k in range(i + 1, len(paragraphs)) if end and paragraphs[k].startswith(end)), len(paragraphs))
    return paragraphs[i:j]


def docx_tables(document) -> list[list[list[str]]]:
    """Each table of *document* as the seed shows it: one entry per ``w:tc`` (a cell
    spanning columns once, a cell continuing a row span as an empty entry)."""
    out = []
    for tbl in document.element.body.iter(qn("w:tbl")):
        rows = []
        for tr in tbl.iterfind(qn("w:tr")):
            cells = []
            for tc in tr.iterfind(qn("w:tc")):
                paragraphs = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iterfind(qn("w:p"))]
                cells.append("\n".join(paragraphs))
            rows.append(cells)
        out.append(rows)
    return out


def docx_paragraphs(document) -> list[str]:
    """The body's paragraphs outside tables, non-empty, in order."""
    return [p.text.strip() for p in document.paragraphs if p.text.strip()]
