"""The one error hierarchy: every failure a user can cause or meet, with its exit code.

Decisions:
- Each class carries its exit code; the command line, batch and the Excel buttons map an
  error to what the user sees by ``isinstance`` on :class:`PerfxlError`, never by class
  names as strings (a missing name in such a list once showed "内部错误" for a known failure).
- The message is Chinese, complete and says what to do; it is what the user reads.  It
  names the file (and sheet and cell where known) itself: the catcher adds nothing.
- Exit codes: 0 fine, 1 the data has 错误 findings (not an exception), 2 an input cannot be
  read or an output cannot be written or a setting is wrong, 3 a bug in perfxl (any other
  exception).  Findings about the *content* of a readable file are values, not errors.
- This module imports nothing from perfxl, so the pure core may raise these too.
"""

from __future__ import annotations

#: exit codes of the ``perfxl`` command
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNUSABLE = 2
EXIT_BUG = 3


class PerfxlError(Exception):
    """A failure with a Chinese message for the user; ``exit_code`` says how the command ends."""

    exit_code: int = EXIT_UNUSABLE


class InputError(PerfxlError):
    """An input file cannot be read (missing, not a data file or workbook, damaged, too large)."""


class DataError(InputError, ValueError):
    """A data file's content does not fit the data format (wrong type, unknown field)."""


class WorkbookError(InputError):
    """A workbook cannot be read as a perfxl workbook."""


class ProfileError(PerfxlError, ValueError):
    """A rule profile cannot be found or is invalid, or a data file names one it may not."""


class OutputError(PerfxlError):
    """An output cannot be written (exists without --force, would replace an input, no space)."""


class ReportError(PerfxlError):
    """The report cannot be written (template damaged, conversion to PDF failed)."""


class ToolMissingError(PerfxlError):
    """A program perfxl calls is not installed (LibreOffice for PDF)."""


class MissingExtraError(PerfxlError):
    """An optional part of perfxl is not installed; the message names the extra to install."""


class BuildError(PerfxlError):
    """The workbook cannot be built from its sources (a bug or a damaged installation)."""

    exit_code = EXIT_BUG


def exit_code(exc: BaseException) -> int:
    """The command's exit code for an exception that reached the edge."""
    return exc.exit_code if isinstance(exc, PerfxlError) else EXIT_BUG


class InputLimitError(InputError):
    """An input exceeds a documented limit of ``perfxl.app.limits`` or is hostile (a zip or
    XML entity bomb, a sheet declaring a million rows, JSON nested too deep); refused
    before parsing, so the cost stays bounded."""


class NotRegularFileError(InputError):
    """An input is not a regular file (a folder, FIFO or device), is missing or unreadable."""


class OutputExistsError(OutputError):
    """The output exists and ``--force`` was not given (also when another process created
    it while perfxl was writing)."""


class WriteInterrupted(OutputError):
    """Ctrl+C while an output was written: the temporary file is removed, the old file (if
    any) is untouched.  Exit code 130 like any interruption, with the file named."""

    exit_code = 130
