"""Optional parts of perfxl (pip "extras") and the one message for a missing one.

The core (checks, scores, rules, JSON data files) needs only the standard library.
Everything else is an extra, installed on demand (``pyproject.toml``
``[project.optional-dependencies]``):

============  =====================================  =========================================
extra         Python packages                        what needs it
============  =====================================  =========================================
workbook      openpyxl, XlsxWriter, pyopenvba,       reading a workbook (check/score/export a
              xlwings                                .xlsm), building one (new/fill/build); the
                                                     VBA built into the workbook is xlwings'
excel         xlwings                                the workbook's buttons and PERF_* functions
report        python-docx, docxtpl                   the 自评报告 (Word; PDF needs LibreOffice)
batch         pandas, XlsxWriter, openpyxl,          the finance bureau's review workbook
              python-calamine
============  =====================================  =========================================

Decision (after pandera's command line): a lazy import of an edge library happens
inside ``with needs(extra, purpose):``.  A ``ModuleNotFoundError`` for one of that
extra's packages becomes a :class:`~perfxl.errors.MissingExtraError` (exit 2) whose
Chinese message names the extra and the pip command; any other import error is a bug
and passes through unchanged.  Only the top-level package name is compared, so a
missing dependency of a dependency (lxml under python-docx) counts when it is listed.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

from ..errors import MissingExtraError

#: extra → the import names whose absence it explains
EXTRAS: dict[str, tuple[str, ...]] = {
    "workbook": ("openpyxl", "xlsxwriter", "pyopenvba", "xlwings", "et_xmlfile"),
    "excel": ("xlwings",),
    "report": ("docx", "docxtpl", "jinja2", "markupsafe", "lxml"),
    "batch": ("pandas", "xlsxwriter", "openpyxl", "python_calamine", "numpy"),
}


def install_command(extra: str) -> str:
    return f'pip install "perfxl[{extra}]"'


def missing_extra(extra: str, purpose: str, package: str) -> MissingExtraError:
    """The error for *purpose* ("生成自评报告") failing because *package* of *extra* is absent."""
    return MissingExtraError(
        f"{purpose}需要安装 perfxl 的可选部分“{extra}”（缺少 Python 包 {package}）。"
        f"请运行：{install_command(extra)}（或 pip install \"perfxl[all]\" 安装全部）。"
    )


@contextmanager
def needs(extra: str, purpose: str) -> Iterator[None]:
    """Run the block; a missing package of *extra* becomes a ``MissingExtraError``."""
    known = EXTRAS[extra]
    try:
        yield
    except ModuleNotFoundError as exc:
        top = (exc.name or "").split(".")[0]
        if top not in known:
            raise
        raise missing_extra(extra, purpose, top) from exc


def require_extra(extra: str, module: str, purpose: str) -> None:
    """A ``MissingExtraError`` naming *extra* unless *module* is installed — looked up, not
    imported: reading a workbook through python-calamine never imports openpyxl (nor the
    numpy openpyxl imports when it finds it), so a batch worker does not pay ~0.4 s for it."""
    try:
        found = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise missing_extra(extra, purpose, module.split(".")[0])


def import_extra(extra: str, module: str, purpose: str) -> ModuleType:
    """``import module`` for *purpose*, or a ``MissingExtraError`` naming *extra*."""
    with needs(extra, purpose):
        return importlib.import_module(module)
