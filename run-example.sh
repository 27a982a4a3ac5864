#!/usr/bin/env bash
# The main job on the bundled example (衡山县科学技术协会 2023): build the blank
# workbook, fill it with the example data, check it, score it, write the report
# (Word; PDF too when LibreOffice is installed). Outputs go to out/.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
# perfxl with every extra: the example builds a workbook and writes the report
if [ ! -x .venv/bin/perfxl ] || ! .venv/bin/python -c "import perfxl, docxtpl, xlsxwriter, pyopenvba, openpyxl" 2>/dev/null; then
  "$PY" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[all]'
fi
exec .venv/bin/perfxl example -o out --force "$@"
