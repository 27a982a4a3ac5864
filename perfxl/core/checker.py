"""The checker: every consistency rule of domain.md, applied to one department-year.

The checks themselves are small functions in the registry ``perfxl.core.checks``
(selectable by profile); the codes they emit, with severity and meaning, are in
``perfxl.core.codes``.  This module keeps the names others import:
``check(evaluation, profile, scores=None)``, ``suggestions`` and ``CODES``.
"""

from __future__ import annotations

from .checks import CHECKS, Check, check, selected
from .codes import CODES as _REGISTERED
from .findings import Severity
from .suggestions import Suggestion, suggestions

__all__ = ["CHECKS", "CODES", "Check", "Suggestion", "check", "selected", "suggestions"]

#: code → (default severity, what it means), from the registry (kept for existing callers)
CODES: dict[str, tuple[Severity, str]] = {c.code: (c.severity, c.summary) for c in _REGISTERED}
