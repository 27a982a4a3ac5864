"""Two ways to run the perfxl command in tests.

``run`` calls ``perfxl.cli.main(argv)`` in this process (fast: no interpreter start,
the profiles and modules stay loaded); a few tests keep ``run_subprocess`` to prove
what only a real process shows: ``python -m perfxl`` works, the exit code reaches the
shell, and no traceback is printed.
"""

from __future__ import annotations

import io
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Ran:
    """What one run of the command did (the fields of ``subprocess.CompletedProcess``)."""

    returncode: int
    stdout: str
    stderr: str


def run(*args: str, cwd: Path = ROOT) -> Ran:
    """``perfxl ARGS`` in process; *cwd* is ignored (every test passes absolute paths)."""
    from perfxl.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's --help / --version / a wrong argument
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    return Ran(code, out.getvalue(), err.getvalue())


def run_subprocess(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """``python -m perfxl ARGS`` in a new process."""
    return subprocess.run([sys.executable, "-m", "perfxl", *args], capture_output=True, text=True, cwd=cwd)
