"""perfxl — 部门整体支出绩效自评 (performance self-evaluation of Chinese budget departments).

The public API, usable from Python as from the ``perfxl`` command::

    import perfxl
    loaded = perfxl.load("perfxl/examples/hengshan-kexie-2023.json")
    profile = perfxl.load_profile(loaded.evaluation.profile)
    scores = perfxl.score_evaluation(loaded.evaluation, profile)
    findings = perfxl.check(loaded.evaluation, profile, scores)

Importing perfxl loads only the core (no openpyxl, xlwings or docx), so the command
line and the workbook's buttons start fast.  Every operation of the command line and
the buttons is one function of ``perfxl.app``; every failure a user can meet is a
``PerfxlError`` with a Chinese message.
"""

from .core.checker import check
from .core.findings import Finding, Severity
from .core.model import Evaluation
from .core.profile import Profile, load_profile
from .core.scoring import score_evaluation
from .errors import PerfxlError
from .fileio import InputError, load

__all__ = [
    "Evaluation",
    "Finding",
    "InputError",
    "PerfxlError",
    "Profile",
    "Severity",
    "check",
    "load",
    "load_profile",
    "score_evaluation",
]
