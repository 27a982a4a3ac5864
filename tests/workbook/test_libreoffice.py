"""LibreOffice opens the workbook and converts it without errors (the UDF cells become #NAME?)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = [pytest.mark.soffice, pytest.mark.slow]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; CI installs libreoffice-calc")
@pytest.mark.parametrize("target", ["pdf", "xlsx"])
def test_libreoffice_converts(fresh_example, tmp_path, target):
    profile = tmp_path / "profile"
    result = subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}", "--convert-to", target,
         "--outdir", str(tmp_path), str(fresh_example)],
        capture_output=True, text=True, timeout=180,
    )
    out = tmp_path / f"{fresh_example.stem}.{target}"
    assert result.returncode == 0, result.stderr
    assert out.exists() and out.stat().st_size > 10_000, result.stdout + result.stderr
    if target == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(out, data_only=True)
        # built-in functions recalculated by LibreOffice agree with the builder's cached values
        from perfxl.workbook import layout as L

        sheet, cell = L.LAYOUT.locate("overall.income_total")
        assert book[sheet][cell].value == pytest.approx(132.45)
        assert book["附件2 整体自评表"]["A2"].value == "2023年度部门整体支出绩效自评表"
