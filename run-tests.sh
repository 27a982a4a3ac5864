#!/usr/bin/env bash
# The test suite. Sets up its own virtual environment (.venv) on first run.
# Tests that need LibreOffice or poppler skip with a reason when those are absent,
# unless PERFXL_REQUIRE_SOFFICE=1 (CI sets it), where they fail instead.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
# everything: the core, every extra (workbook, excel, report, batch) and the test tools
if [ ! -x .venv/bin/pytest ] || ! .venv/bin/python -c "import perfxl, hypothesis, formulas, oletools, docxtpl, pandas, xlsxwriter, pyopenvba" 2>/dev/null; then
  "$PY" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[all,test]'
fi
exec .venv/bin/python -m pytest "$@"
