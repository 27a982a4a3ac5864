"""The offline Windows bundle (``perfxl bundle``, issue 8 item 3).

The slow test builds a whole bundle and proves it complete for 64-bit Windows and
CPython 3.11, 3.12 and 3.13 twice: by pip's own resolver from the bundle alone (no
index, no pip configuration — ``bundle.resolves_offline``) and by the marker-aware walk
of the wheels' metadata (``bundle.missing_requirements``), which also sees the
Windows-only dependencies pip skips when it runs on Linux (xlwings' pywin32).

Downloads are cached across runs: ``$PERFXL_WHEEL_CACHE``, else pytest's cache folder
(``.pytest_cache/d/perfxl-bundle-wheels``), else a temporary folder of this session.
The cache is first tried offline; only what is missing is downloaded (that needs the
package index).
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest

from perfxl.app import bundle
from perfxl.app.bundle_texts import INSTALL_CMD, MESSAGES, README_NAME
from perfxl.workbook import parts

# --------------------------------------------------------------------------- fast: the walk


def _wheel(folder: Path, name: str, version: str, tag: str, requires: list[str]) -> None:
    dist = f"{name}-{version}.dist-info"
    meta = "Metadata-Version: 2.1\nName: {}\nVersion: {}\n{}\n\nbody".format(
        name, version, "".join(f"Requires-Dist: {r}\n" for r in requires))
    with zipfile.ZipFile(folder / f"{name}-{version}-{tag}.whl", "w") as z:
        z.writestr(f"{dist}/METADATA", meta)


def test_missing_requirements_evaluates_markers_for_windows(tmp_path):
    _wheel(tmp_path, "perfxl", "0.1.0", "py3-none-any",
           ['lib; extra == "all"', 'winonly>=2; platform_system == "Windows"', 'maconly; sys_platform == "darwin"',
            'notneeded; extra == "other"'])
    _wheel(tmp_path, "lib", "1.0", "cp312-cp312-win_amd64", ['new; python_version >= "3.12"'])
    _wheel(tmp_path, "winonly", "1.0", "py3-none-any", [])
    assert bundle.missing_requirements(tmp_path, "3.12") == ["new", "winonly>=2"]
    assert bundle.missing_requirements(tmp_path, "3.11") == ["lib", "winonly>=2"]  # lib has no cp311 wheel
    _wheel(tmp_path, "winonly", "2.1", "py3-none-any", [])
    _wheel(tmp_path, "new", "1.0", "py3-none-any", [])
    assert bundle.missing_requirements(tmp_path, "3.12") == []


def test_windows_markers():
    env = bundle.windows_environment("3.13")
    assert env["platform_system"] == "Windows" and env["sys_platform"] == "win32" and env["python_version"] == "3.13"


# --------------------------------------------------------------------------- fast: install.cmd


def test_install_cmd_is_ascii_and_names_only_existing_messages():
    INSTALL_CMD.encode("ascii")
    shown = set(re.findall(r'type "%MSG%\\([\w-]+\.txt)"', INSTALL_CMD))
    shown |= {f"{why}.txt" for why in re.findall(r'set "WHY=([\w-]+)"', INSTALL_CMD)}
    assert shown <= set(MESSAGES), shown - set(MESSAGES)
    assert "no-python.txt" in shown and "incomplete.txt" in shown


def test_install_cmd_never_expands_a_path_inside_a_block():
    """A folder like "perfxl (1)" would close a parenthesised block early."""
    for line in INSTALL_CMD.splitlines():
        code = line.split("rem ", 1)[0] if line.lstrip().startswith("rem ") else line
        if code.lstrip().startswith(("for ", "python ", "py ")) or "(3, 11)" in code:
            continue
        assert not re.search(r"\(.*%(HERE|MSG|ENV|EPY|ROOT|LOG)%.*\)", code), line


def test_install_cmd_steps():
    """The order that keeps an install whole: find Python, dry run, install, import, setup (switches Excel)."""
    order = ["call :try_py", "-m venv", "--dry-run --no-index", "pip install --disable-pip-version-check --no-index",
             "import perfxl.xlentry", "-m perfxl setup", "-m perfxl doctor"]
    positions = [INSTALL_CMD.index(step) for step in order]
    assert positions == sorted(positions)
    fail = INSTALL_CMD[INSTALL_CMD.index("\n:fail\n"):]
    assert 'rmdir /s /q "%ENV%"' in fail.split(":fail_nochange")[0]
    assert "chcp 65001" in INSTALL_CMD and "chcp %OLDCP%" in INSTALL_CMD
    assert "3.11" in MESSAGES["no-python.txt"] and "64" in MESSAGES["no-python.txt"]


# --------------------------------------------------------------------------- slow: a whole bundle


def _cache(request, tmp_path_factory) -> Path:
    if os.environ.get("PERFXL_WHEEL_CACHE"):
        return Path(os.environ["PERFXL_WHEEL_CACHE"])
    cache = getattr(request.config, "cache", None)
    if cache is not None:
        return Path(cache.mkdir("perfxl-bundle-wheels"))
    return tmp_path_factory.mktemp("wheels")


@pytest.fixture(scope="module")
def built(request, tmp_path_factory):
    cache = _cache(request, tmp_path_factory)
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob("perfxl-*.whl"):
        old.unlink()
    wheel = bundle.perfxl_wheel(cache)
    try:
        bundle.complete_wheels(cache, index=False)
    except bundle.BundleError:
        bundle.complete_wheels(cache, index=True)  # what is not cached yet (needs the package index)
    out = tmp_path_factory.mktemp("bundle") / "perfxl-bundle"
    return bundle.make_bundle(out, perfxl_whl=wheel, find_links=[cache], index=False)


@pytest.mark.slow
@pytest.mark.parametrize("version", bundle.PYTHON_VERSIONS)
def test_bundle_resolves_offline_for_windows(built, version, tmp_path):
    wheels = built / "wheels"
    assert bundle.missing_requirements(wheels, version) == []
    ran = bundle.resolves_offline(wheels, version, tmp_path / "target", extra=["pywin32"])
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert any(w.name.startswith("pywin32-") and f"cp{version.replace('.', '')}" in w.name for w in wheels.iterdir())


@pytest.mark.slow
def test_the_walk_sees_a_missing_windows_dependency(built, tmp_path):
    """Without pywin32 the bundle is incomplete, though pip on Linux would not notice."""
    for wheel in (built / "wheels").iterdir():
        if not wheel.name.startswith("pywin32-"):
            (tmp_path / wheel.name).symlink_to(wheel)
    assert bundle.missing_requirements(tmp_path, "3.12") == ["pywin32>=224"]


@pytest.mark.slow
def test_bundle_contents(built):
    names = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    assert {"install.cmd", README_NAME, f"workbooks/{bundle.BLANK}", f"workbooks/{bundle.MACRO_FREE}"} <= names
    assert {f"messages/{m}" for m in MESSAGES} <= names
    cmd = (built / "install.cmd").read_bytes()
    cmd.decode("ascii")
    assert b"\r\n" in cmd and b"\n" not in cmd.replace(b"\r\n", b"")
    readme = (built / README_NAME).read_bytes()
    assert readme.startswith(b"\xef\xbb\xbf") and "install.cmd" in readme.decode("utf-8")
    assert parts.check_parts(built / "workbooks" / bundle.BLANK) == []
    assert parts.check_macro_free(built / "workbooks" / bundle.MACRO_FREE) == []
    with zipfile.ZipFile(built.with_name(built.name + ".zip")) as z:
        zipped = {n.split("/", 1)[1] for n in z.namelist()}
    assert zipped == names


def test_bundle_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    with pytest.raises(bundle.BundleError):
        bundle.make_bundle(tmp_path / "x")
    assert (tmp_path / "x" / "keep.txt").read_text() == "mine"


def test_cli_bundle_refuses_a_non_empty_folder(tmp_path):
    from tests.cli_runner import run

    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("mine")
    ran = run("bundle", "-o", str(tmp_path / "x"))
    assert ran.returncode == 2 and "已存在且不为空" in ran.stderr
