"""``perfxl bundle -o DIR``: an offline installer for 64-bit Windows, built on any system.

DIR (and DIR.zip) holds::

    wheels/          perfxl and every dependency, win_amd64, CPython 3.11, 3.12, 3.13
    workbooks/       PerfEval.xlsm (blank) and PerfEval-nomacro.xlsx (the macro-free variant)
    messages/        the Chinese texts install.cmd shows (UTF-8)
    install.cmd      the installer (double-click)
    安装说明.txt     how to install, in Chinese

Decisions:
* **Downloads.** ``pip download --only-binary=:all: --platform win_amd64
  --python-version 3.1x --implementation cp`` for ``perfxl[all]``, with the perfxl
  wheel (``pip wheel --no-deps`` of the source tree, or one given) on ``--find-links``.
  pip evaluates environment markers for the machine it runs on, not for
  ``--platform`` (pip's documented limitation), so on Linux it skips a
  ``platform_system == "Windows"`` dependency — xlwings' ``pywin32``.  The bundle
  therefore walks the wheels' own metadata with the markers of 64-bit Windows
  (``missing_requirements``) and downloads what is missing, until nothing is.  The
  same walk is the completeness proof the tests run, beside pip's own dry run.
  ``download`` is one function with *find_links* and *index*, so that tests run it
  offline from a cache of wheels.
* **install.cmd** is ASCII (cmd parses it the same in every code page); the Chinese
  texts are UTF-8 files it ``type``\\ s after ``chcp 65001`` (the console's code page is
  put back at the end).  It finds Python (the ``py`` launcher, newest of 3.13/3.12/3.11
  64-bit, then ``python.exe`` on PATH), creates a new virtual environment under
  ``%LOCALAPPDATA%\\perfxl`` (no admin), proves the install with ``pip install
  --dry-run --no-index``, installs, imports perfxl, then runs ``perfxl setup``, which
  switches Excel to the new environment.  Any failure before that deletes the new
  environment: nothing half-installed stays, an earlier install keeps working.  A
  virtual environment rather than ``pip install --user``: pip puts xlwings' DLL into
  the environment's folder, where xlwings' VBA looks for it (beside the parent of
  ``Scripts\\pythonw.exe``); a ``--user`` install puts it under ``%APPDATA%\\Python``,
  where Excel does not look.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import PerfxlError, ToolMissingError
from .bundle_texts import INSTALL_CMD, MESSAGES, README_NAME, README_TEXT

PYTHON_VERSIONS = ("3.11", "3.12", "3.13")
PLATFORM = "win_amd64"
REQUIREMENT = "perfxl[all]"
BLANK = "PerfEval.xlsm"
MACRO_FREE = "PerfEval-nomacro.xlsx"


class BundleError(PerfxlError):
    """The bundle cannot be made (Chinese)."""


# --------------------------------------------------------------------------- pip


def _pip(args: Sequence[str], *, isolated: bool = False) -> subprocess.CompletedProcess[str]:
    """``python -m pip ARGS``; *isolated*: no pip configuration (no index, no find-links of this machine)."""
    env = dict(os.environ)
    if isolated:
        env = {k: v for k, v in env.items() if not k.startswith("PIP_")}
        env["PIP_CONFIG_FILE"] = os.devnull  # pip then reads no configuration file at all
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True, env=env)


def source_tree() -> Path | None:
    """The perfxl source tree this package runs from (None for an installed wheel)."""
    root = Path(__file__).resolve().parents[2]
    project = root / "pyproject.toml"
    if project.is_file() and 'name = "perfxl"' in project.read_text(encoding="utf-8"):
        return root
    return None


def perfxl_wheel(dest: Path, wheel: Path | None = None) -> Path:
    """The perfxl wheel in *dest*: *wheel* copied, or built from the source tree."""
    dest.mkdir(parents=True, exist_ok=True)
    if wheel is not None:
        if not wheel.is_file() or wheel.suffix != ".whl":
            raise BundleError(f"找不到 perfxl 的 wheel 文件：{wheel}")
        return Path(shutil.copy2(wheel, dest / wheel.name))
    root = source_tree()
    if root is None:
        raise BundleError("制作安装包需要 perfxl 的源码目录或 wheel：请在源码目录中运行，或用 --perfxl-wheel 指定 wheel 文件。")
    with tempfile.TemporaryDirectory(prefix="perfxl-wheel-") as tmp:
        ran = _pip(["wheel", "--no-deps", "-q", "-w", tmp, str(root)])
        built = sorted(Path(tmp).glob("perfxl-*.whl"))
        if ran.returncode != 0 or not built:
            raise BundleError(f"无法构建 perfxl 的 wheel：{_tail(ran.stderr)}")
        target = dest / built[0].name
        target.unlink(missing_ok=True)
        return Path(shutil.move(str(built[0]), target))


def download(requirements: Sequence[str], dest: Path, version: str, *, find_links: Iterable[Path] = (),
             index: bool = True) -> None:
    """Download the win_amd64 / CPython *version* wheels of *requirements* (and their
    dependencies) into *dest*.  ``index=False``: only from *find_links* (tests, offline)."""
    args = ["download", "-q", "--only-binary=:all:", "--platform", PLATFORM, "--python-version", version,
            "--implementation", "cp", "-d", str(dest), "--find-links", str(dest)]
    for folder in find_links:
        args += ["--find-links", str(folder)]
    if not index:
        args.append("--no-index")
    ran = _pip([*args, *requirements], isolated=not index)
    if ran.returncode != 0:
        raise BundleError(f"下载 Python {version}（64 位 Windows）的安装文件失败：{_tail(ran.stderr)}")


def _tail(text: str, lines: int = 6) -> str:
    return " ".join(text.strip().splitlines()[-lines:]) or "（无输出）"


# --------------------------------------------------------------------------- completeness


def _packaging() -> Any:
    """``packaging`` (pip's own copy when it is not installed: pip is needed here anyway)."""
    for base in ("packaging", "pip._vendor.packaging"):
        try:
            for sub in ("markers", "requirements", "tags", "utils", "version"):
                importlib.import_module(f"{base}.{sub}")
            return importlib.import_module(base)
        except ImportError:
            continue
    raise ToolMissingError("制作安装包需要 pip：请运行 python -m ensurepip")


def windows_environment(version: str) -> dict[str, str]:
    """The marker environment of 64-bit CPython *version* on Windows (PEP 508)."""
    return {"os_name": "nt", "sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64",
            "platform_release": "10", "platform_version": "10.0", "implementation_name": "cpython",
            "platform_python_implementation": "CPython", "python_version": version,
            "python_full_version": f"{version}.0", "implementation_version": f"{version}.0"}


def _wheels(folder: Path, version: str) -> dict[str, list[tuple[Any, Path]]]:
    """{canonical name: [(version, wheel)]} of the wheels that install on *version* / win_amd64."""
    pk = _packaging()
    major, minor = (int(x) for x in version.split("."))
    cp = f"cp{major}{minor}"
    supported = set(pk.tags.cpython_tags(python_version=(major, minor), abis=[cp, "abi3", "none"], platforms=[PLATFORM]))
    supported |= set(pk.tags.compatible_tags(python_version=(major, minor), interpreter=cp, platforms=[PLATFORM]))
    out: dict[str, list[tuple[Any, Path]]] = {}
    for wheel in folder.glob("*.whl"):
        name, ver, _build, wheel_tags = pk.utils.parse_wheel_filename(wheel.name)
        if wheel_tags & supported:
            out.setdefault(str(name), []).append((ver, wheel))
    return out


def _requires(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
        text = z.read(meta).decode("utf-8", "replace")
    head = text.split("\n\n", 1)[0]
    return [line.split(":", 1)[1].strip() for line in head.splitlines() if line.startswith("Requires-Dist:")]


def missing_requirements(folder: Path, version: str, roots: Sequence[str] = (REQUIREMENT,)) -> list[str]:
    """What *roots* need on 64-bit Windows / CPython *version* that no wheel in *folder*
    provides (markers evaluated for Windows, not for this machine); empty when complete."""
    pk = _packaging()
    env = windows_environment(version)
    wheels = _wheels(folder, version)
    missing: list[str] = []
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [pk.requirements.Requirement(r) for r in roots]
    while todo:
        req = todo.pop()
        name = str(pk.utils.canonicalize_name(req.name))
        key = (name, frozenset(req.extras))
        candidates = [(v, w) for v, w in wheels.get(name, []) if req.specifier.contains(v, prereleases=True)]
        if not candidates:
            if str(req) not in missing:
                missing.append(str(req))
            continue
        if key in seen:
            continue
        seen.add(key)
        _ver, wheel = max(candidates, key=lambda c: c[0])  # pip picks the newest that fits
        for text in _requires(wheel):
            dep = pk.requirements.Requirement(text)
            extras = req.extras or {""}
            if dep.marker is None or any(dep.marker.evaluate({**env, "extra": e}) for e in extras):
                todo.append(pk.requirements.Requirement(str(dep).split(";")[0].strip()))
    return sorted(missing)


def pip_version() -> tuple[int, ...]:
    ran = _pip(["--version"])
    try:
        return tuple(int(x) for x in ran.stdout.split()[1].split(".")[:2])
    except (IndexError, ValueError):
        return (0,)


def resolves_offline(folder: Path, version: str, target: Path, extra: Sequence[str] = ()) -> subprocess.CompletedProcess[str]:
    """pip's own proof that *folder* alone installs ``perfxl[all]`` (and *extra*) on
    win_amd64 / CPython *version*: no index, no pip configuration.

    ``pip install --dry-run --target`` with pip 25 or later; an older pip checks a
    wheel's Requires-Python against the Python running pip instead of
    ``--python-version`` (numpy for 3.12 "requires a different Python: 3.11"), so
    there the same resolver runs as ``pip download --no-index`` into *target*.
    """
    common = ["--no-index", "--find-links", str(folder), "--platform", PLATFORM, "--python-version", version,
              "--implementation", "cp", "--only-binary=:all:"]
    if pip_version() >= (25,):
        args = ["install", "--dry-run", *common, "--target", str(target), "--ignore-installed"]
    else:
        args = ["download", *common, "-d", str(target)]
    return _pip([*args, REQUIREMENT, *extra], isolated=True)


def complete_wheels(folder: Path, versions: Sequence[str] = PYTHON_VERSIONS, *, find_links: Iterable[Path] = (),
                    index: bool = True) -> None:
    """Download into *folder* until every version's requirements are met there."""
    links = list(find_links)
    for version in versions:
        download([REQUIREMENT], folder, version, find_links=links, index=index)
        for _round in range(5):
            missing = missing_requirements(folder, version)
            if not missing:
                break
            download(missing, folder, version, find_links=links, index=index)
        else:
            raise BundleError(f"Python {version} 缺少：{'、'.join(missing)}")


# --------------------------------------------------------------------------- the bundle


def make_bundle(out: str | os.PathLike[str], *, versions: Sequence[str] = PYTHON_VERSIONS, perfxl_whl: Path | None = None,
                find_links: Iterable[Path] = (), index: bool = True, force: bool = False) -> Path:
    """Write the bundle folder *out* and *out*.zip; return the folder."""
    folder = Path(out)
    if folder.exists() and any(folder.iterdir()) and not force:
        raise BundleError(f"{folder} 已存在且不为空：请换一个文件夹，或加 --force 覆盖。")
    if pip_missing():
        raise ToolMissingError("制作安装包需要 pip：请运行 python -m ensurepip")
    if folder.exists():
        shutil.rmtree(folder)
    wheels = folder / "wheels"
    wheels.mkdir(parents=True)
    perfxl_wheel(wheels, perfxl_whl)
    complete_wheels(wheels, versions, find_links=find_links, index=index)
    books = folder / "workbooks"
    books.mkdir()
    from .workbooks import new_workbook

    new_workbook(books / BLANK)
    new_workbook(books / MACRO_FREE, macros=False)
    messages = folder / "messages"
    messages.mkdir()
    for name, text in MESSAGES.items():
        (messages / name).write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    (folder / "install.cmd").write_bytes(INSTALL_CMD.replace("\n", "\r\n").encode("ascii"))
    (folder / README_NAME).write_bytes(("\ufeff" + README_TEXT).replace("\n", "\r\n").encode("utf-8"))
    _zip(folder, folder.with_name(folder.name + ".zip"))
    return folder


def pip_missing() -> bool:
    return _pip(["--version"]).returncode != 0


def _zip(folder: Path, target: Path) -> None:
    tmp = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                z.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    os.replace(tmp, target)
