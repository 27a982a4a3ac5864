"""Helpers the test modules share: where a test keeps files for a person to look at, and a
LibreOffice conversion with a throw-away user profile."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

#: LibreOffice, or None (the tests that need it skip and say why)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def kept_output(name: str, tmp_path_factory) -> Path:
    """``$PERFXL_TEST_OUTPUT/<name>`` when set (CI keeps it for a person), else a temporary folder."""
    configured = os.environ.get("PERFXL_TEST_OUTPUT")
    if configured:
        path = Path(configured) / name
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp(name)


def soffice_convert(book: Path, target: str, out_dir: Path, profile: Path) -> Path:
    """*book* converted by headless LibreOffice to *target* ("pdf", "xlsx") in *out_dir*, with the
    user profile *profile* (a folder, made or reused); fails the test with LibreOffice's output."""
    assert SOFFICE is not None
    result = subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                             "--convert-to", target, "--outdir", str(out_dir), str(book)],
                            capture_output=True, text=True, timeout=240, check=False)
    out = out_dir / f"{book.stem}.{target.split(':')[0]}"
    assert result.returncode == 0 and out.exists(), result.stdout + result.stderr
    return out
