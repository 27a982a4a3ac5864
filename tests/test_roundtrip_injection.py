"""Nothing from department data is injected into an output (issue 12 item 4): the
workbook holds text as text, the .docx stays valid with a hostile department name, the
JSON escapes control characters, and ``export``'s findings and every error message reach
the terminal visibly."""

from __future__ import annotations

import json
import zipfile

import pytest

from .cli_runner import run

HOSTILE = "\x1b[2J衡山县科协\r=HYPERLINK(\"http://x\",\"y\")\x07_x000D_"


def _data(tmp_path, example_data, **changes):
    data = json.loads(json.dumps(example_data))
    data.update(changes)
    path = tmp_path / "data.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_fill_export_keeps_hostile_text_and_json_escapes_it(tmp_path, example_data):
    data = json.loads(json.dumps(example_data))
    data["department"] = HOSTILE
    data["overall"]["goal_actual"] = "@SUM(1)\x00\x1f"
    source = _data(tmp_path, data)
    data = json.loads(source.read_text(encoding="utf-8"))
    assert run("fill", str(source), "-o", str(tmp_path / "x.xlsx"), "--no-macros").returncode == 0
    with zipfile.ZipFile(tmp_path / "x.xlsx") as z:
        sheets = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
    assert b"HYPERLINK" not in sheets and b"SUM(1)" not in sheets  # text in shared strings, no formula
    out = run("export", str(tmp_path / "x.xlsx"), "-o", str(tmp_path / "back.json"))
    assert out.returncode in (0, 1), out.stderr
    text = (tmp_path / "back.json").read_text(encoding="utf-8")
    assert "\x1b" not in text and "\x00" not in text and "\\u001b[2J" in text  # json.dumps escapes C0
    back = json.loads(text)
    assert back["department"] == HOSTILE
    assert back["overall"]["goal_actual"] == "@SUM(1)\x00\x1f"


def test_export_findings_are_shown_visibly(tmp_path, example_data):
    data = json.loads(json.dumps(example_data))
    data["staffing"]["authorized"] = "\x1b[2J十二人"  # text in an amount cell: a finding quotes it
    source = _data(tmp_path, data)
    assert run("fill", str(source), "-o", str(tmp_path / "x.xlsx"), "--no-macros").returncode == 0
    out = run("export", str(tmp_path / "x.xlsx"), "-o", str(tmp_path / "back.json"))
    assert "\x1b" not in out.stdout + out.stderr
    assert "\\x1b[2J十二人" in out.stdout


def test_a_refused_fill_names_the_field_visibly(tmp_path, example_data):
    data = json.loads(json.dumps(example_data))
    data["narrative"]["other"] = "\x1b[2J" + "字" * 40000
    source = _data(tmp_path, data)
    out = run("fill", str(source), "-o", str(tmp_path / "x.xlsx"), "--no-macros")
    assert out.returncode == 2, out.stderr
    assert "narrative.other" in out.stderr and "32767" in out.stderr
    assert "\x1b" not in out.stderr and not (tmp_path / "x.xlsx").exists()


NAMES = ["部" * 300, "衡山县\x1b[2J科协\x07\r\n\x00", "名\u202e" * 200]


def _core_properties(path):
    with zipfile.ZipFile(path) as z:
        core = z.read("docProps/core.xml").decode("utf-8")
    return [core.split(f"<dc:{tag}>")[1].split(f"</dc:{tag}>")[0] for tag in ("title", "creator")]


@pytest.mark.parametrize("name", NAMES)
def test_report_with_hostile_department_name(tmp_path, example, name):
    """render.py's document properties: printable, at most 255 characters (the body drops
    what XML cannot hold already)."""
    from perfxl.report.render import write_report

    example.department = name
    result = write_report(example, tmp_path / "r.docx")
    for value in _core_properties(result.docx):
        assert 0 < len(value) <= 255 and value.isprintable()


@pytest.mark.parametrize("name", NAMES)
def test_draft_report_with_hostile_department_name(tmp_path, example_data, name):
    source = _data(tmp_path, example_data, department=name)
    out = run("report", str(source), "-o", str(tmp_path / "r.docx"), "--draft")  # the example has errors
    assert out.returncode in (0, 1), out.stderr
    for value in _core_properties(tmp_path / "r.docx"):
        assert 0 < len(value) <= 255 and value.isprintable()


@pytest.mark.parametrize("size", [1_000_000, 50 * 1024 * 1024 // 3])
def test_a_huge_name_is_refused_by_limits_or_fill(tmp_path, example_data, size):
    """A 50 MB name: the data file is refused by the input limits; a 3 MB one by ``fill``
    (over Excel's 32,767 characters), naming the field — exit 2, nothing written."""
    source = _data(tmp_path, example_data, department="名" * size)
    out = run("fill", str(source), "-o", str(tmp_path / "x.xlsx"), "--no-macros")
    assert out.returncode == 2, out.stderr
    assert ("department" in out.stderr and "32767" in out.stderr) or "上限" in out.stderr
    assert not (tmp_path / "x.xlsx").exists()
