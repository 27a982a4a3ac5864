"""Word → PDF through LibreOffice (``soffice --headless --convert-to pdf``), or through
Microsoft Word on a Windows PC without LibreOffice (the workbook's 导出PDF button).

Each conversion gets its own LibreOffice user profile (``-env:UserInstallation``) in a
temporary folder: two conversions at once (tests in parallel, two users on a server)
would otherwise share one profile and the second would fail or hang.  LibreOffice runs
in its own process group so that a timeout stops it and its children.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from ..errors import ToolMissingError
from .files import ReportError, refuse_existing, write_atomic


class SofficeMissingError(ReportError, ToolMissingError):
    """LibreOffice is not installed: the Word report is written, the PDF is not."""

#: seconds; a first start of LibreOffice (creating the profile) takes a few seconds
DEFAULT_TIMEOUT = 180
#: where to look, in order: $PERFXL_SOFFICE, then these names on PATH
SOFFICE_NAMES = ("soffice", "libreoffice")
#: the official fonts → a free font with Simplified Chinese glyphs (fonts-noto-cjk), used
#: only where the official font is not installed and the free one is (Linux servers);
#: without this, LibreOffice falls back to whatever CJK font comes first, a sans-serif
#: for every style
FONT_SUBSTITUTES = {
    "方正小标宋简体": "Noto Serif CJK SC",
    "仿宋_GB2312": "Noto Serif CJK SC",
    "仿宋": "Noto Serif CJK SC",
    "楷体_GB2312": "Noto Serif CJK SC",
    "楷体": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
}


def _installed_fonts() -> set[str] | None:
    """The font family names fontconfig knows (every localised name), or ``None`` where
    there is no fontconfig (Windows, macOS: LibreOffice's own fallback is used there)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listing = subprocess.run([fc_list, ":", "family"], capture_output=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {name.strip() for line in listing.decode("utf-8", "replace").splitlines() for name in line.split(",")}


def _substitutions() -> dict[str, str]:
    """The pairs of FONT_SUBSTITUTES that apply on this machine."""
    installed = _installed_fonts()
    if not installed:
        return {}
    return {font: sub for font, sub in FONT_SUBSTITUTES.items() if font not in installed and sub in installed}


def _profile_settings(substitutions: dict[str, str]) -> str:
    """registrymodifications.xcu of the temporary LibreOffice profile: the font
    replacement table.  ``Always`` must be true: LibreOffice otherwise takes
    fontconfig's fallback as an installed font; the pairs are limited to missing fonts
    by ``_substitutions``."""
    def prop(name: str, value: str) -> str:
        return f'<prop oor:name="{name}" oor:op="fuse"><value>{escape(value)}</value></prop>'

    pairs = "".join(
        f'<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
        f'<node oor:name="perfxl{i}" oor:op="replace">{prop("Always", "true")}{prop("OnScreenOnly", "false")}'
        f'{prop("ReplaceFont", font)}{prop("SubstituteFont", substitute)}</node></item>'
        for i, (font, substitute) in enumerate(substitutions.items())
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<item oor:path="/org.openoffice.Office.Common/Font/Substitution">{prop("Replacement", "true")}</item>'
            f"{pairs}</oor:items>\n")


def find_soffice() -> str | None:
    """The LibreOffice program to run, or ``None`` when it is not installed."""
    configured = os.environ.get("PERFXL_SOFFICE")
    if configured:
        return configured if Path(configured).is_file() else shutil.which(configured)
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def to_pdf(docx: Path | str, pdf: Path | str | None = None, *, timeout: float = DEFAULT_TIMEOUT,
           overwrite: bool = True) -> Path:
    """Convert *docx* to *pdf* (default: the same name with ``.pdf``).

    LibreOffice writes into a temporary folder; the PDF is then placed atomically
    (``files.write_atomic``): replacing an existing file with *overwrite*, else created
    exclusively (an existing *pdf*, even one made meanwhile, is refused and left as it was).
    Raises ``ReportError`` (in Chinese) when LibreOffice is missing, fails or takes
    longer than *timeout* seconds, or the PDF exists without *overwrite*.
    """
    source = Path(docx).resolve()
    target = Path(pdf) if pdf is not None else source.with_suffix(".pdf")
    if not source.is_file():
        raise ReportError(f"找不到要转换的 Word 文件：{source}")
    soffice = find_soffice()
    if soffice is None:
        raise SofficeMissingError("未找到 LibreOffice（soffice），无法生成 PDF。请安装 LibreOffice，"
                          "或设置环境变量 PERFXL_SOFFICE 指向 soffice 程序；Word 文件已正常生成。")
    with tempfile.TemporaryDirectory(prefix="perfxl-pdf-") as work:
        work_dir = Path(work)
        out_dir = work_dir / "out"
        out_dir.mkdir()
        substitutions = _substitutions()
        if substitutions:
            (work_dir / "profile" / "user").mkdir(parents=True)
            (work_dir / "profile" / "user" / "registrymodifications.xcu").write_text(
                _profile_settings(substitutions), "utf-8")
        command = [
            soffice,
            f"-env:UserInstallation={(work_dir / 'profile').as_uri()}",
            "--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", "pdf:writer_pdf_Export",
            "--outdir", str(out_dir),
            str(source),
        ]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ReportError(f"LibreOffice 转换 PDF 超时（{timeout:g} 秒）：{source.name}") from None
        produced = out_dir / f"{source.stem}.pdf"
        if process.returncode != 0 or not produced.is_file():
            detail = (stderr or stdout).decode("utf-8", "replace").strip()
            raise ReportError(f"LibreOffice 未能把 {source.name} 转换为 PDF（退出码 {process.returncode}）"
                              + (f"：{detail}" if detail else "。"))
        write_atomic(target, produced.read_bytes(), overwrite=overwrite)
    return target


def pdf_converter() -> str | None:
    """"libreoffice", "word" (Windows with Word, no LibreOffice) or ``None``."""
    if find_soffice():
        return "libreoffice"
    if sys.platform.startswith("win"):
        try:
            import winreg

            import win32com.client  # noqa: F401  (pywin32 comes with xlwings on Windows)

            winreg.CloseKey(winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, "Word.Application"))
            return "word"
        except Exception:  # no pywin32, no Word, a registry error: all mean "no Word"
            return None
    return None


def word_to_pdf(docx: Path, pdf: Path, *, overwrite: bool = True) -> None:
    """*docx* → *pdf* through Microsoft Word (Windows, when LibreOffice is missing).

    Word exports into a temporary folder; the PDF is placed as ``to_pdf`` places it
    (atomically; created exclusively unless *overwrite*)."""
    import win32com.client

    if not overwrite:
        refuse_existing(Path(pdf), overwrite)
    with tempfile.TemporaryDirectory(prefix="perfxl-pdf-") as work:
        produced = Path(work) / f"{Path(docx).stem}.pdf"
        word = win32com.client.DispatchEx("Word.Application")
        try:
            word.Visible = False
            document = word.Documents.Open(str(Path(docx).resolve()), False, True)  # ConfirmConversions, ReadOnly
            try:
                document.ExportAsFixedFormat(str(produced), 17)  # wdExportFormatPDF
            finally:
                document.Close(False)
        finally:
            word.Quit()
        write_atomic(Path(pdf), produced.read_bytes(), overwrite=overwrite)
