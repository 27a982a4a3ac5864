"""汇总 as CSV for other systems: UTF-8 with BOM (so Excel reads the Chinese), one row per file.

Decision (after tablib and OWASP's "CSV injection" advice): a text cell that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading single quote, so a
spreadsheet that opens the file shows the text instead of running it as a formula.
Numbers (amounts, scores, rates, counts) are written as numbers — a negative amount is
data, not a formula — exactly, from their Decimals.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

from ..fileio import atomic_write
from .spool import Spool
from .tables import SUMMARY_COLUMNS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """*value* as a CSV cell that no spreadsheet runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(spool: Spool, out: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    rows = spool.rows()

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(SUMMARY_COLUMNS)
            for row in rows:
                writer.writerow(["" if v is None else escape_cell(v) for v in row.values()])

    return atomic_write(out, write, overwrite=overwrite)
