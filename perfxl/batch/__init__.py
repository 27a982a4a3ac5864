"""Batch mode for a finance bureau: check, score and rank every department's file in one go.

``perfxl batch 收件箱/ -o 汇总.xlsx`` reads every data file (.json) and workbook
(.xlsm/.xlsx) under the given folders, scores and checks each with the built-in profile
it names (or ``--profile``; a file naming a path is a row "无法读取", see
``perfxl.app.profiles``), and writes the review workbook: 汇总 (one row per file), 问题清单
(one row per finding, linked to the file's cell), 排名 (by rule total, with the
self-minus-rule gap) and 图表 (native Excel charts); or 汇总 alone as .csv.  A file that
cannot be read, hangs, crashes its worker or runs out of memory is a row saying why,
never the end of the run.  Nothing is written over an existing file without
``--force``, and the users' files are only read.

==================  ==============================================================
module              what it does
==================  ==============================================================
``collect``         which files: ``collect``, ``input_files`` (never the output)
``worker``          one file in a worker process: ``evaluate_file``, memory limit
``pool``            the worker processes: parallel, time limit, kill and replace
``records``         ``FileResult``: the small record a worker returns
``tables``          the 汇总 / 问题清单 rows (``SUMMARY_COLUMNS``, ``summary_rows``)
``spool``           records on disk while the batch runs: memory flat in files
``state``           incremental runs: content hashes, reused records
``summary_xlsx``    the review workbook (XlsxWriter, constant memory)
``summary_csv``     汇总 as CSV, formula-looking text escaped
``progress``        the progress line on a terminal
``run``             ``summarize`` (the command), ``run_batch`` / ``write_summary``
==================  ==============================================================

Importing this package loads no edge library (openpyxl, pandas, XlsxWriter): each is
imported by the step that needs it.
"""

from __future__ import annotations

from .collect import SUFFIXES, collect, input_files
from .pool import Limits, WorkerPool
from .records import FileResult, result_line
from .run import Outcome, run_batch, summarize, write_summary
from .tables import FINDING_COLUMNS, SUMMARY_COLUMNS, finding_rows, summary_rows
from .worker import evaluate_file

__all__ = [
    "FINDING_COLUMNS",
    "SUFFIXES",
    "SUMMARY_COLUMNS",
    "FileResult",
    "Limits",
    "Outcome",
    "WorkerPool",
    "collect",
    "evaluate_file",
    "finding_rows",
    "input_files",
    "result_line",
    "run_batch",
    "summarize",
    "summary_rows",
    "write_summary",
]
