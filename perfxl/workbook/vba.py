"""The VBA project of PerfEval.xlsm, assembled from sources.

Four kinds of modules (excel-notes.md "Making the .xlsm from sources"):

* ours: every ``perfxl/workbook/macros/*.bas`` (ASCII).  ``PerfButtons`` is its
  hand-written part plus the buttons' Subs and ribbon callbacks generated from
  ``buttons.ACTIONS`` (``buttons.vba_module``); the committed file is that result;
* ``xlwings``: the standalone module of the installed xlwings (RunPython, the UDF
  runtime).  It names the exact DLL version, so the installed xlwings must be
  ``layout.XLWINGS_VERSION``;
* ``Dictionary``: the class the xlwings module needs on macOS, from the same package;
* ``xlwings_udfs``: the wrappers of the PERF_* UDFs, written by
  ``xlwings.udfs.generate_vba_wrapper`` as Excel's "Import Functions" would.  That
  module imports pywin32 at the top; it is stubbed for the call and put back after.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import re
import sys
import types
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError
from . import buttons
from .constants import UDF_MODULE, XLWINGS_VERSION

#: the VBA sources and the ribbon XML, shipped as package data (perfxl/workbook/macros)
MACROS_DIR = Path(__file__).resolve().parent / "macros"
RIBBON_FILE = "customUI14.xml"
#: the module whose per-button Subs are generated from ``buttons.ACTIONS``
BUTTONS_MODULE = "PerfButtons"
UDF_WRAPPER_MODULE = "xlwings_udfs"
XLWINGS_MODULE = "xlwings"
DICTIONARY_MODULE = "Dictionary"


class VbaSourceError(BuildError):
    """The VBA sources cannot be assembled (wrong xlwings version, non-ASCII macro …)."""


@dataclass(frozen=True)
class VbaModule:
    """One module: ``kind`` is "standard" or "class"; ``source`` has CRLF line ends."""

    name: str
    source: str
    kind: str = "standard"
    origin: str = ""


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


_VB_NAME = re.compile(r'^Attribute VB_Name = "([^"]+)"', re.M)


def module_name(source: str, fallback: str) -> str:
    m = _VB_NAME.search(source)
    return m.group(1) if m else fallback


def xlwings_dir() -> Path:
    import xlwings

    return Path(xlwings.__file__).resolve().parent


def check_xlwings_version() -> None:
    import xlwings

    if xlwings.__version__ != XLWINGS_VERSION:
        raise VbaSourceError(
            f"已安装的 xlwings 为 {xlwings.__version__}，工作簿固定使用 {XLWINGS_VERSION}："
            f"请安装 xlwings=={XLWINGS_VERSION}（VBA 模块与 Python 包必须同一版本）"
        )


def own_modules(macros_dir: Path | None = None) -> list[VbaModule]:
    """The modules of ``perfxl/workbook/macros/*.bas``, sorted by file name."""
    folder = Path(macros_dir or MACROS_DIR)
    out = []
    for path in sorted(folder.glob("*.bas")):
        raw = path.read_bytes()
        try:
            text = raw.decode("ascii")
        except UnicodeDecodeError:
            raise VbaSourceError(f"{path.name} 含非 ASCII 字符：VBA 源文件只能用 ASCII（中文放在 Python 或按钮文字里）") from None
        name = module_name(text, path.stem)
        if name == BUTTONS_MODULE:
            text = buttons.vba_module(text)
        out.append(VbaModule(name, crlf(text), "standard", str(path)))
    if not out:
        raise VbaSourceError(f"{folder} 中没有 .bas 文件")
    return out


def xlwings_modules() -> list[VbaModule]:
    """xlwings' standalone module and its Dictionary class, from the installed package."""
    check_xlwings_version()
    base = xlwings_dir()
    bas = (base / "xlwings.bas").read_text(encoding="ascii")
    if f"'Version: {XLWINGS_VERSION}" not in bas:
        raise VbaSourceError(f"xlwings.bas 的版本不是 {XLWINGS_VERSION}")
    cls = (base / "addin" / "Dictionary.cls").read_text(encoding="ascii")
    return [
        VbaModule(XLWINGS_MODULE, crlf(bas), "standard", str(base / "xlwings.bas")),
        VbaModule(DICTIONARY_MODULE, crlf(cls), "class", str(base / "addin" / "Dictionary.cls")),
    ]


class _Book:
    """What generate_vba_wrapper asks of the workbook: its name (not an add-in)."""

    Name = "PerfEval.xlsm"


def _stub(name: str, **attrs: object) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    return module


def udf_wrapper_module(udf_module: str = UDF_MODULE) -> VbaModule:
    """The ``xlwings_udfs`` module for *udf_module*, as Excel's "Import Functions" writes it."""
    check_xlwings_version()
    import xlwings

    client = _stub("win32com.client", Dispatch=lambda *a, **k: None)
    stubs = {
        "pythoncom": _stub("pythoncom", CoInitialize=lambda: None),
        "pywintypes": _stub("pywintypes"),
        "win32com": _stub("win32com", client=client),
        "win32com.client": client,
    }
    saved_modules = {name: sys.modules.get(name) for name in (*stubs, "xlwings.udfs")}
    saved_attrs = {name: getattr(xlwings, name) for name in ("func", "arg", "ret", "sub")}
    try:
        sys.modules.update({k: v for k, v in stubs.items() if k not in sys.modules})
        sys.modules.pop("xlwings.udfs", None)
        udfs = importlib.import_module("xlwings.udfs")
        xlwings.func, xlwings.arg, xlwings.ret, xlwings.sub = udfs.xlfunc, udfs.xlarg, udfs.xlret, udfs.xlsub
        # A private copy of the UDF module is decorated for real; perfxl.udfs stays plain.
        spec = importlib.util.find_spec(udf_module)
        if spec is None or spec.loader is None:
            raise VbaSourceError(f"找不到 UDF 模块 {udf_module}")
        copy = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(copy)
        buf = io.StringIO()
        buf.write(f'Attribute VB_Name = "{UDF_WRAPPER_MODULE}"\n')
        buf.write("'Autogenerated code by xlwings - changes will be lost with next import!\n")
        buf.write("#Const App = \"Microsoft Excel\" 'Adjust when using outside of Excel\n")
        udfs.generate_vba_wrapper(udf_module, copy, buf, _Book())
        source = buf.getvalue()
    finally:
        for name, value in saved_attrs.items():
            setattr(xlwings, name, value)
        for name, module in saved_modules.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    if "Function " not in source:
        raise VbaSourceError(f"{udf_module} 中没有 xlwings UDF（@xw.func）")
    return VbaModule(UDF_WRAPPER_MODULE, crlf(source), "standard", f"generated from {udf_module}")


def all_modules(macros_dir: Path | None = None) -> list[VbaModule]:
    """Every module of the workbook's project, in the order they are added."""
    return [*own_modules(macros_dir), *xlwings_modules(), udf_wrapper_module()]


def ribbon_xml() -> bytes:
    """The ribbon XML, generated from ``buttons.ACTIONS`` (``macros/customUI14.xml`` is its copy)."""
    return buttons.ribbon_xml()


def generated_sources(macros_dir: Path | None = None) -> dict[Path, bytes]:
    """{file: content} of the committed copies of what ``buttons`` generates: the whole
    ribbon XML and ``PerfButtons.bas`` (its hand-written part kept).  ``python -m
    perfxl.workbook`` writes them, ``--check`` and the tests compare."""
    folder = Path(macros_dir or MACROS_DIR)
    bas = folder / f"{BUTTONS_MODULE}.bas"
    text = bas.read_text(encoding="ascii").replace("\r\n", "\n")
    return {bas: buttons.vba_module(text).encode("ascii"), folder / RIBBON_FILE: buttons.ribbon_xml()}


_SUB = re.compile(r"^\s*(?:Public\s+|Private\s+)?(?:Sub|Function)\s+(\w+)\s*\(([^)]*)\)", re.M | re.I)


def procedures(source: str) -> dict[str, str]:
    """{name: parameter list} of the Subs and Functions of a VBA module."""
    return {m.group(1): m.group(2).strip() for m in _SUB.finditer(source)}


#: ``RunPython "import m as e; e.f()"``, or the guarded one-liner ``buttons.runpython_command``
#: makes (``exec('try:\n import m as e\nexcept …\ne.f()')``)
_RUNPYTHON = re.compile(r'RunPython\s*\(?\s*"(?:exec\(\'try:\\n )?import\s+([\w.]+)\s+as\s+(\w+)'
                        r'(?:\s*;\s*|\\n[^"]*?\\n)\2\.(\w+)\(\)\'?\)?"')


def runpython_targets(source: str) -> list[tuple[str, str]]:
    """[(module, function)] of every ``RunPython "import m as e; e.f()"`` in *source*."""
    return [(m.group(1), m.group(3)) for m in _RUNPYTHON.finditer(source)]
