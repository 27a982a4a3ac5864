"""``python -m perfxl.workbook [--check]``: rebuild (or check) the committed build outputs.

Developer command, run from a checkout.  It writes

* the copies of what ``buttons.ACTIONS`` generates: ``perfxl/workbook/macros/customUI14.xml``
  and the generated part of ``perfxl/workbook/macros/PerfButtons.bas`` (``vba.generated_sources``);
* ``perfxl/examples/hengshan-kexie-2023.xlsm``, the example data's workbook (package data);
* ``workbook/PerfEval.xlsm``, the blank template at the repository root — only when run
  from a checkout (``REPO`` is the directory holding ``pyproject.toml``); an installed
  package has no such directory and builds workbooks with ``perfxl new`` instead.

Every output is kept in the repository, and a test fails when one differs from a fresh build.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from ..core import model, serde
from .builder import build_workbook
from .vba import generated_sources

PACKAGE = Path(__file__).resolve().parents[1]
EXAMPLE_JSON = PACKAGE / "examples" / "hengshan-kexie-2023.json"
EXAMPLE = PACKAGE / "examples" / "hengshan-kexie-2023.xlsm"
#: the checkout this package sits in, or None for an installed package
REPO: Path | None = PACKAGE.parent if (PACKAGE.parent / "pyproject.toml").is_file() else None
TEMPLATE: Path | None = REPO / "workbook" / "PerfEval.xlsm" if REPO is not None else None


def targets() -> list[tuple[Path, model.Evaluation | None]]:
    example = serde.evaluation_from_dict(json.loads(EXAMPLE_JSON.read_text(encoding="utf-8")))
    out: list[tuple[Path, model.Evaluation | None]] = [(EXAMPLE, example)]
    if TEMPLATE is not None:
        out.insert(0, (TEMPLATE, None))
    return out


def _shown(path: Path) -> str:
    base = REPO or PACKAGE
    return str(path.relative_to(base)) if path.is_relative_to(base) else str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m perfxl.workbook", description="重新生成仓库中的工作簿及按钮源文件")
    parser.add_argument("--check", action="store_true", help="只检查是否与重新生成的结果一致")
    args = parser.parse_args(argv)
    if REPO is None and not args.check:
        print("python -m perfxl.workbook 只在源代码目录中重新生成仓库里的文件；安装的 perfxl 请用 perfxl new 生成工作簿。",
              file=sys.stderr)
        return 2
    stale = []
    for path, content in generated_sources().items():
        if args.check:
            if not path.exists() or path.read_bytes() != content:
                stale.append(path)
        elif not path.exists() or path.read_bytes() != content:
            path.write_bytes(content)
            print(f"已生成 {_shown(path)}")
    for path, evaluation in targets():
        if args.check:
            with tempfile.TemporaryDirectory() as tmp:
                fresh = build_workbook(evaluation, Path(tmp) / path.name)
                if not path.exists() or fresh.read_bytes() != path.read_bytes():
                    stale.append(path)
        else:
            build_workbook(evaluation, path)
            print(f"已生成 {_shown(path)}")
    for path in stale:
        print(f"{_shown(path)} 与源文件不一致：请运行 python -m perfxl.workbook", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
