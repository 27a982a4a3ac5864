"""Issue 10, "Pages like the official forms": the PDFs of the example (a draft) and of the
corrected example (published), their page counts and how full each page is (measured on
page images, see ``pages.py``), and PNGs of every page under
``$PERFXL_TEST_OUTPUT/report/`` for a person to look at."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn

from perfxl.app.reports import write_report
from perfxl.report.pdf import find_soffice

from .conftest import load_example
from .pages import last_of_section, page_fills
from .test_publication import load_corrected

needs_soffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")
#: no page under a quarter full, except the last of a section (issue 10)
MIN_FILL = 0.25
#: the corrected example: 1 cover + 7 body pages + 3 annexes with fonts-noto-cjk (10 to 11
#: where other fonts move a line); the issue's bound is 11
MAX_PAGES = 11


@pytest.fixture(scope="module")
def pdfs(output_dir):
    """name → (PDF, its pages): the example as a draft, the corrected example published."""
    out = {}
    for name, evaluation, draft in (("draft", load_example(), True), ("corrected", load_corrected(), False)):
        result = write_report(evaluation, output_dir / f"{name}.docx", pdf=True, force=True, draft=draft)
        work = output_dir / f"{name}-fill"
        work.mkdir(exist_ok=True)
        out[name] = (result.pdf, page_fills(result.pdf, work))
        for old in output_dir.glob(f"{name}-page-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(result.pdf), str(output_dir / f"{name}-page")],
                       check=True)
    return out


@needs_soffice
@needs_poppler
@pytest.mark.parametrize("name", ["draft", "corrected"])
def test_no_page_is_less_than_a_quarter_full(pdfs, name, capsys):
    pdf, pages = pdfs[name]
    exempt = last_of_section(pages)
    thin = [(p.number, round(p.fill, 2)) for p in pages if p.fill < MIN_FILL and p.number not in exempt]
    assert thin == [], f"{pdf}: pages under a quarter full"
    with capsys.disabled():
        print(f"\n[perfxl] {name} report: {len(pages)} pages, fill "
              + " ".join(f"{p.number}:{p.fill:.0%}" for p in pages) + f"; PNG: {pdf.parent}/{name}-page-*.png")


@needs_soffice
@needs_poppler
@pytest.mark.parametrize("name", ["draft", "corrected"])
def test_each_annex_is_one_landscape_page_and_the_list_stays_together(pdfs, name):
    _, pages = pdfs[name]
    landscape = [p for p in pages if p.landscape]
    starts = [re.sub(r"\s", "", p.text)[:3] for p in landscape]
    assert starts == ["附件一", "附件二", "附件三"]  # each form on its own page, none spills over
    for p in landscape:
        assert "填表人" in p.text  # the signature line under the table, on the same page
    (listing,) = [p for p in pages if "附件：1、" in re.sub(r"[ \t]", "", p.text)]
    assert "3、项目支出绩效自评表" in re.sub(r"\s", "", listing.text)


@needs_soffice
@needs_poppler
def test_the_corrected_example_is_published_in_at_most_eleven_pages(pdfs):
    _, pages = pdfs["corrected"]
    assert len(pages) <= MAX_PAGES
    assert not any("草稿" in p.text for p in pages)


@needs_soffice
@needs_poppler
def test_the_draft_shows_the_mark_on_every_page(pdfs):
    _, pages = pdfs["draft"]
    assert all("草稿" in p.text for p in pages)


def test_header_rows_repeat(tmp_path):
    """``w:tblHeader``: 附件一's first 3 rows (staff block, 经费控制情况 headings), the name
    row of 附件二/三 — what Word repeats when a long table runs over its page."""
    result = write_report(load_corrected(), tmp_path / "r.docx")
    tables = list(Document(str(result.docx)).element.body.iter(qn("w:tbl")))
    counts = [sum(1 for tr in tbl.iterfind(qn("w:tr")) if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None)
              for tbl in tables]
    assert counts == [3, 1, 1]
