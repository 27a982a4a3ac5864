"""The PDF through LibreOffice: its text (which proves the fonts are embedded with their
Unicode maps), its page count, and page images a person can look at.

Skipped only where LibreOffice is not installed (CI installs it).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from perfxl.report.files import ReportError
from perfxl.report.pdf import find_soffice, to_pdf

needs_soffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


@pytest.fixture(scope="module")
def example_pdf(example_report):
    return to_pdf(example_report.docx)


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@needs_soffice
@needs_poppler
def test_pdf_text_has_the_title_and_the_figures(example_pdf):
    text = re.sub(r"\s", "", _run("pdftotext", "-enc", "UTF-8", str(example_pdf), "-"))
    assert "2023年度衡山县科学技术协会部门整体支出绩效自评报告" in text
    for figure in ("89.82万元", "76.75万元", "13.08万元", "42.73万元", "5.40万元", "99.64%",
                   "一、部门基本情况", "十、其他需要说明的情况", "附件三", "部门整体支出绩效自评表"):
        assert figure in text, figure


@needs_soffice
@needs_poppler
def test_pdf_fonts_are_embedded_and_pages_counted(example_pdf):
    fonts = _run("pdffonts", str(example_pdf)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column
    pages = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(example_pdf))).group(1))
    # 1 cover + 7 body pages + 3 landscape annex pages (one per form, issue 10) with the fonts of fonts-noto-cjk;
    # other fonts move a line or two, hence the range
    assert 9 <= pages <= 13, pages
    first = re.sub(r"\s", "", _run("pdftotext", "-f", "1", "-l", "1", str(example_pdf), "-"))
    assert first.startswith("2023年度衡山县科学技术协会部门整体支出绩效自评报告部门（单位）名称")
    assert "—1—" not in first  # the cover has no page number
    second = re.sub(r"\s", "", _run("pdftotext", "-f", "2", "-l", "2", str(example_pdf), "-"))
    assert second.endswith("—1—")


@needs_soffice
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_page_images_for_a_person_to_look_at(example_pdf, output_dir, capsys):
    prefix = output_dir / "page"
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "9", str(example_pdf), str(prefix)], check=True)
    images = sorted(output_dir.glob("page-*.png"))
    assert len(images) == 9 and all(p.stat().st_size > 5000 for p in images)
    with capsys.disabled():
        print(f"\n[perfxl] report pages as PNG: {output_dir}/page-*.png (PDF: {example_pdf})")


def test_a_missing_libreoffice_is_a_clear_error(example_report, monkeypatch, tmp_path):
    monkeypatch.setenv("PERFXL_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(ReportError, match="未找到 LibreOffice"):
        to_pdf(example_report.docx, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_a_missing_word_file_is_a_clear_error(tmp_path):
    with pytest.raises(ReportError, match="找不到要转换的 Word 文件"):
        to_pdf(tmp_path / "none.docx")
