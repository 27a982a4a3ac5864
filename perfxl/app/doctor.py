"""``perfxl doctor``: the 环境自检 as a command — one Chinese report, exit 0 when all is well.

The checks are ``environment.environment_checks`` (shared with the 环境自检 button).
Off Windows the Windows checks are listed as 未检查 with the reason, and the report
ends by naming them; they never make the exit code 1.  Exit codes: 0 every check that
applies here passed, 1 at least one did not (``perfxl.errors.EXIT_FINDINGS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import EXIT_FINDINGS, EXIT_OK
from .environment import WINDOWS_ONLY, Check, environment_checks
from .winplatform import Platform


@dataclass(frozen=True)
class Doctor:
    """The report: its checks, its lines and its exit code."""

    checks: list[Check]

    @property
    def problems(self) -> list[Check]:
        return [c for c in self.checks if c.problem]

    @property
    def exit_code(self) -> int:
        return EXIT_FINDINGS if self.problems else EXIT_OK

    def lines(self) -> list[str]:
        out = ["perfxl 环境检查（部门整体支出绩效自评）", ""]
        out += [c.line() for c in self.checks]
        applied = [c for c in self.checks if c.applies]
        out += ["", f"共检查 {len(applied)} 项：{len(applied) - len(self.problems)} 项正常，{len(self.problems)} 项异常。"]
        windows_only = [c.item for c in self.checks if not c.applies and c.value == WINDOWS_ONLY]
        if windows_only:
            out.append("以下检查只在 Windows 上适用，本机未检查：" + "、".join(windows_only) + "。")
        if self.problems:
            out.append("请按每个“异常”后面的说明处理，处理后再运行 perfxl doctor。")
        return out


def doctor(workbook: str | Path | None = None, *, platform: Platform | Literal["auto"] | None = "auto") -> Doctor:
    """Run every check (for *workbook* when given)."""
    return Doctor(environment_checks(platform=platform, workbook=Path(workbook) if workbook else None))
