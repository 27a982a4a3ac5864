"""House rule: no command writes over an existing file without --force (issue 10 audit).

For every command that writes a file, an existing output is refused (exit 2, the file
byte for byte as it was, no temporary left beside it) and ``--force`` replaces it.
``perfxl diff --json`` prints to the terminal and writes no file; the PDF is in
``tests/report/test_pdf_exclusive.py``.
"""

from __future__ import annotations

import json

import pytest

from .cli_runner import run
from .conftest import EXAMPLE_JSON, ROOT

EXAMPLE_XLSM = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.xlsm"
CORRECTED = EXAMPLE_JSON.with_name("hengshan-kexie-2023-corrected.json")
KEEP = b"the user's own file"

#: name of the output → the command writing it (OUT is replaced by its path)
COMMANDS = {
    "schema.json": ("schema", "-o", "OUT"),
    "report.docx": ("report", str(CORRECTED), "-o", "OUT"),
    "draft.docx": ("report", str(EXAMPLE_JSON), "--draft", "-o", "OUT"),
    "new.xlsm": ("new", "-o", "OUT"),
    "next.xlsm": ("new", "--from", str(EXAMPLE_JSON), "-o", "OUT"),
    "next.json": ("new", "--from", str(EXAMPLE_JSON), "-o", "OUT"),
    "filled.xlsm": ("fill", str(EXAMPLE_JSON), "-o", "OUT"),
    "exported.json": ("export", str(EXAMPLE_XLSM), "-o", "OUT"),
    "summary.csv": ("batch", str(EXAMPLE_JSON), "--no-state", "-q", "-o", "OUT"),
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_an_existing_output_is_refused_without_force(tmp_path, name):
    out = tmp_path / name
    out.write_bytes(KEEP)
    argv = [str(out) if a == "OUT" else a for a in COMMANDS[name]]
    ran = run(*argv)
    assert ran.returncode == 2, (ran.stdout, ran.stderr)
    assert "已存在" in ran.stderr and "--force" in ran.stderr
    assert out.read_bytes() == KEEP
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing else written, no temporary
    ran = run(*argv, "--force")
    assert ran.returncode in (0, 1), ran.stderr  # batch exits 1: the example has 错误
    assert out.read_bytes() != KEEP and out.stat().st_size > 100


def test_schema_is_created_when_absent(tmp_path):
    out = tmp_path / "schema.json"
    assert run("schema", "-o", str(out)).returncode == 0
    assert json.loads(out.read_text("utf-8"))["title"]


def test_an_existing_review_document_is_refused(tmp_path):
    out = tmp_path / "report.docx"
    review = tmp_path / "report-校验说明.docx"
    review.write_bytes(KEEP)
    ran = run("report", str(CORRECTED), "--review", "-o", str(out))
    assert ran.returncode == 2 and "已存在" in ran.stderr
    assert review.read_bytes() == KEEP and not out.exists()  # the report is not written either
    ran = run("report", str(CORRECTED), "--review", "-o", str(out), "--force")
    assert ran.returncode == 0, ran.stderr
    assert review.read_bytes() != KEEP and out.exists()


def test_example_refuses_its_last_outputs_without_force(tmp_path):
    out = tmp_path / "out"
    assert run("example", "-o", str(out), "--no-pdf").returncode == 0
    book = out / "hengshan-kexie-2023.xlsm"
    book.write_bytes(KEEP)
    ran = run("example", "-o", str(out), "--no-pdf")
    assert ran.returncode == 2 and "hengshan-kexie-2023.xlsm" in ran.stderr and "--force" in ran.stderr
    assert book.read_bytes() == KEEP
    assert run("example", "-o", str(out), "--no-pdf", "--force").returncode == 0
    assert book.read_bytes() != KEEP
