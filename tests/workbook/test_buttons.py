"""A button is declared once (``buttons.ACTIONS``): the VBA Subs, the ribbon XML and the form
buttons come from it, the committed copies are up to date, and every action has its
entry point in perfxl.xlentry and every entry point its action."""

from __future__ import annotations

import inspect
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from perfxl.workbook import buttons, vba
from perfxl.workbook import layout as L

NS = {"ui": buttons.RIBBON_NS}


def test_committed_copies_are_generated():
    for path, content in vba.generated_sources().items():
        assert path.read_bytes() == content, f"{path.name} 过期：请运行 python -m perfxl.workbook"


def test_generation_is_deterministic_and_vba_ascii():
    assert buttons.ribbon_xml() == buttons.ribbon_xml()
    assert buttons.vba_button_subs() == buttons.vba_button_subs()
    assert buttons.vba_button_subs().isascii()
    module = next(m for m in vba.own_modules() if m.name == vba.BUTTONS_MODULE)
    assert module.source.isascii() and module.source.count("\r\n") == module.source.count("\n")
    # generating again from the generated file changes nothing (the marker splits hand-written from generated)
    text = (vba.MACROS_DIR / "PerfButtons.bas").read_text(encoding="ascii")
    assert buttons.vba_module(text) == text
    assert text.count(buttons.GENERATED_MARKER) == 1


def test_every_action_has_its_subs_and_ribbon_button():
    subs = buttons.vba_button_subs()
    procs = vba.procedures(subs)
    assert set(procs) == {a.macro for a in buttons.ACTIONS} | {a.ribbon for a in buttons.ACTIONS}
    assert sorted(vba.runpython_targets(subs)) == sorted((L.ENTRY_MODULE, a.entry) for a in buttons.ACTIONS)
    root = ET.fromstring(buttons.ribbon_xml())
    groups = root.findall("ui:ribbon/ui:tabs/ui:tab/ui:group", NS)
    assert [g.get("id") for g in groups] == [g.id for g in buttons.RIBBON_GROUPS]
    seen = []
    for group in groups:
        for b in group.findall("ui:button", NS):
            a = next(a for a in buttons.ACTIONS if a.ribbon == b.get("onAction"))
            assert (b.get("id"), b.get("label"), b.get("imageMso"), b.get("screentip"), b.get("supertip")) == (
                a.control_id, a.caption, a.icon, a.caption, a.tip)
            assert a.group == group.get("id")
            seen.append(a.entry)
    assert sorted(seen) == sorted(buttons.ENTRY_POINTS)


def test_a_new_action_is_one_declaration(monkeypatch):
    """Adding an Action is all it takes: its Subs, its ribbon button and its form buttons follow."""
    new = buttons.Action("Archive", "archive", "归档", "把工作簿归档", "perfOutput", "FileSave", (("overall", "M8"),))
    monkeypatch.setattr(buttons, "ACTIONS", (*buttons.ACTIONS, new))
    subs = vba.procedures(buttons.vba_button_subs())
    assert subs["Perf_Archive"] == "" and subs["Ribbon_Archive"] == "control As Object"
    assert ("perfxl.xlentry", "archive") in vba.runpython_targets(buttons.vba_button_subs())
    ribbon = ET.fromstring(buttons.ribbon_xml())
    assert [b.get("label") for b in ribbon.findall(".//ui:button[@onAction='Ribbon_Archive']", NS)] == ["归档"]
    assert [b.cell for b in buttons.sheet_buttons("overall") if b.action is new] == ["M8"]
    with pytest.raises(ValueError):
        monkeypatch.setattr(buttons, "ACTIONS", (*buttons.ACTIONS, replace(new, name="归档")))
        buttons.vba_button_subs()


def test_form_buttons_come_from_the_actions():
    keys = {s.key for s in L.LAYOUT.sheets}
    for a in buttons.ACTIONS:
        assert {key for key, _ in a.sheets} <= keys, a.name
    for s in L.LAYOUT.sheets:
        if s.key != "guide":
            assert s.buttons == buttons.sheet_buttons(s.key), s.key
    guide = L.LAYOUT.sheet("guide")
    assert [b.action for b in guide.buttons] == list(buttons.ACTIONS)


def test_actions_and_xlentry_match_both_ways():
    """Every action's entry is a ``def f(book=None)`` of perfxl.xlentry, and every such public
    function of perfxl.xlentry is an action's entry."""
    from perfxl import xlentry

    for a in buttons.ACTIONS:
        fn = getattr(xlentry, a.entry, None)
        assert callable(fn), f"perfxl.xlentry.{a.entry} is missing"
        params = inspect.signature(fn).parameters
        assert list(params) == ["book"] and params["book"].default is None, a.entry
    entry_like = {
        name for name, fn in inspect.getmembers(xlentry, inspect.isfunction)
        if fn.__module__ == xlentry.__name__ and not name.startswith("_")
        and [(p.name, p.default) for p in inspect.signature(fn).parameters.values()] == [("book", None)]
    }
    assert entry_like == set(buttons.ENTRY_POINTS)
    assert set(xlentry.__all__) == set(buttons.ENTRY_POINTS)
    assert len(set(buttons.ENTRY_POINTS)) == len(buttons.ACTIONS) == len({a.name for a in buttons.ACTIONS})


@pytest.mark.parametrize("entry", buttons.ENTRY_POINTS)
def test_a_button_says_in_chinese_when_perfxl_cannot_be_imported(entry, tmp_path):
    """The one failure perfxl's own code cannot catch: the Python that Excel uses has no perfxl.
    The button's one-liner (run by xlwings as ``python -c``) then exits 1 with the Chinese
    message on stderr, which xlwings shows, instead of an English traceback."""
    import subprocess
    import sys

    command = buttons.runpython_command(entry)
    assert command.isascii() and '"' not in command and "\n" not in command
    blocked = f"import sys; sys.modules['perfxl'] = None; {command}"
    done = subprocess.run([sys.executable, "-c", blocked], capture_output=True, text=True, encoding="utf-8",
                          cwd=tmp_path, check=False, timeout=60)
    assert done.returncode == 1
    assert buttons.PERFXL_MISSING in done.stderr and "Traceback" not in done.stderr


def test_the_button_lines_fit_vba():
    """VBA refuses a source line over 1,023 characters."""
    assert max(len(line) for line in buttons.vba_button_subs().splitlines()) <= 1023
