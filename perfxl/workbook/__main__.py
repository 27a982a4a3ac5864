"""``python -m perfxl.workbook [--check]``: rebuild (or check) the committed workbooks.

``workbook/PerfEval.xlsm`` is the blank template and ``perfxl/examples/hengshan-kexie-2023.xlsm``
the example data; both are build outputs kept in the repository, and a test fails
when either differs from a fresh build.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from ..core import serde
from .builder import build_workbook

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "workbook" / "PerfEval.xlsm"
EXAMPLE_JSON = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.json"
EXAMPLE = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.xlsm"


def targets() -> list[tuple[Path, object]]:
    example = serde.evaluation_from_dict(json.loads(EXAMPLE_JSON.read_text(encoding="utf-8")))
    return [(TEMPLATE, None), (EXAMPLE, example)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m perfxl.workbook", description="重新生成仓库中的工作簿")
    parser.add_argument("--check", action="store_true", help="只检查是否与重新生成的结果一致")
    args = parser.parse_args(argv)
    stale = []
    for path, evaluation in targets():
        if args.check:
            with tempfile.TemporaryDirectory() as tmp:
                fresh = build_workbook(evaluation, Path(tmp) / path.name)  # type: ignore[arg-type]
                if not path.exists() or fresh.read_bytes() != path.read_bytes():
                    stale.append(path)
        else:
            build_workbook(evaluation, path)  # type: ignore[arg-type]
            print(f"已生成 {path.relative_to(ROOT)}")
    for path in stale:
        print(f"{path.relative_to(ROOT)} 与源文件不一致：请运行 python -m perfxl.workbook", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
