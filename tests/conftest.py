"""Shared fixtures: the example department-year and the rule profiles."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

# Shared, noisy machines: no per-example deadline; in CI the examples are derandomized so a
# run is repeatable (a property that fails there fails the same way on a developer's machine).
settings.register_profile("perfxl", deadline=None)
settings.register_profile("perfxl-ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("perfxl-ci" if os.environ.get("CI") else "perfxl")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_JSON = ROOT / "perfxl" / "examples" / "hengshan-kexie-2023.json"


@pytest.fixture(scope="session")
def example_data() -> dict:
    return json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))


@pytest.fixture()
def example():
    from perfxl.core.serde import evaluation_from_dict

    return evaluation_from_dict(json.loads(EXAMPLE_JSON.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def default_profile():
    from perfxl.core.profile import load_profile

    return load_profile("default")


@pytest.fixture(scope="session")
def strict_profile():
    from perfxl.core.profile import load_profile

    return load_profile("strict")


# In CI (PERFXL_REQUIRE_SOFFICE=1) LibreOffice and poppler are installed by .ci/run, so a
# test that skips for want of them is a failure there, not a silent pass.
_TOOL_WORDS = ("libreoffice", "soffice", "pdftotext", "pdftoppm", "pdfinfo", "poppler")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("PERFXL_REQUIRE_SOFFICE") == "1":
        reason = str(report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr).lower()
        if any(word in reason for word in _TOOL_WORDS):
            report.outcome = "failed"
            report.longrepr = f"PERFXL_REQUIRE_SOFFICE=1 but the test skipped: {reason}"


def pytest_collection_modifyitems(config, items):
    """Tests that skip for want of LibreOffice also carry the ``soffice`` marker, so
    ``-m "not soffice"`` (or ``-m "not slow and not soffice"``) gives the fast suite."""
    for item in items:
        for mark in item.iter_markers("skipif"):
            if any(word in str(mark.kwargs.get("reason", "")).lower() for word in ("libreoffice", "soffice")):
                item.add_marker(pytest.mark.soffice)
                break
