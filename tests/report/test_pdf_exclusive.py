"""The PDF of the report obeys the house rule "no command writes over an existing file
without --force" as the .docx does: it is placed atomically, created exclusively
unless overwriting is asked for — also when another process creates the name while
LibreOffice converts.

A stand-in ``soffice`` (a small script named by ``PERFXL_SOFFICE``) writes the PDF into
``--outdir`` so that these tests need no LibreOffice and run in a moment.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from perfxl.report.files import ReportError
from perfxl.report.pdf import to_pdf
from perfxl.report.render import write_report

from ..cli_runner import run
from ..conftest import EXAMPLE_JSON
from .conftest import load_example

CORRECTED = EXAMPLE_JSON.with_name("hengshan-kexie-2023-corrected.json")

#: the stand-in: "%PDF fake" into <outdir>/<stem>.pdf; with RACE set, it first creates RACE itself
FAKE = """#!{python}
import os, sys
from pathlib import Path
args = sys.argv[1:]
out = Path(args[args.index("--outdir") + 1])
race = os.environ.get("PERFXL_TEST_RACE")
if race:
    Path(race).write_bytes(b"another process")
(out / (Path(args[-1]).stem + ".pdf")).write_bytes(b"%PDF fake")
"""


@pytest.fixture()
def fake_soffice(tmp_path, monkeypatch) -> Path:
    script = tmp_path / "fake-soffice"
    script.write_text(FAKE.format(python=sys.executable), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PERFXL_SOFFICE", str(script))
    return script


@pytest.fixture()
def docx(tmp_path) -> Path:
    path = tmp_path / "r.docx"
    path.write_bytes(b"not read by the stand-in")
    return path


def test_to_pdf_creates_exclusively_unless_overwrite(fake_soffice, docx, tmp_path):
    target = tmp_path / "r.pdf"
    assert to_pdf(docx, target, overwrite=False) == target and target.read_bytes() == b"%PDF fake"
    target.write_bytes(b"keep me")
    with pytest.raises(ReportError, match="已存在"):
        to_pdf(docx, target, overwrite=False)
    assert target.read_bytes() == b"keep me"
    to_pdf(docx, target, overwrite=True)
    assert target.read_bytes() == b"%PDF fake"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fake-soffice", "r.docx", "r.pdf"]  # no temporary left


def test_a_pdf_made_meanwhile_by_another_process_is_not_replaced(fake_soffice, tmp_path, monkeypatch):
    out = tmp_path / "report.docx"
    pdf = out.with_suffix(".pdf")
    monkeypatch.setenv("PERFXL_TEST_RACE", str(pdf))  # appears after the up-front check, during the conversion
    with pytest.raises(ReportError, match="已存在"):
        write_report(load_example(), out, pdf=True, draft=True)
    assert pdf.read_bytes() == b"another process"


def test_report_command_refuses_an_existing_pdf_and_writes_nothing(fake_soffice, tmp_path):
    out = tmp_path / "report.docx"
    pdf = out.with_suffix(".pdf")
    pdf.write_bytes(b"keep me")
    ran = run("report", str(CORRECTED), "-o", str(out), "--pdf")
    assert ran.returncode == 2 and "已存在" in ran.stderr
    assert not out.exists() and pdf.read_bytes() == b"keep me"
    ran = run("report", str(CORRECTED), "-o", str(out), "--pdf", "--force")
    assert ran.returncode == 0, ran.stderr
    assert pdf.read_bytes() == b"%PDF fake" and out.stat().st_size > 10_000
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")]
