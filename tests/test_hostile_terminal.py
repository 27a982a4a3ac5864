"""Nothing from a data file reaches the terminal raw (issue 12): escape sequences in a
department name or an indicator name are shown as ``\\x1b``, never sent."""

from __future__ import annotations

import json

import pytest

from perfxl.present import visible

from .cli_runner import run

CLEAR = "\x1b[2J"
TITLE = "\x1b]0;pwned\x07"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\r")


@pytest.fixture()
def hostile_json(tmp_path, example_data):
    data = json.loads(json.dumps(example_data))
    data["department"] = f"{CLEAR}衡山县科协\r[错误] 伪造的一行"
    data["overall"]["indicators"][0]["name"] = f"举办活动{TITLE}\u202e反向\x9b"
    data["overall"]["indicators"][0]["actual"] = "\x1b[31m8次"
    path = tmp_path / "escape.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["check", "score"])
def test_escape_sequences_are_shown_not_sent(hostile_json, command):
    out = run(command, str(hostile_json))
    assert out.returncode in (0, 1), out.stderr
    for raw in RAW:
        assert raw not in out.stdout, (raw, out.stdout[:300])
    assert "\\x1b[2J衡山县科协\\r[错误] 伪造的一行" in out.stdout
    if command == "score":
        assert "举办活动\\x1b]0;pwned\\x07\\u202e反向\\x9b" in out.stdout and "\\x1b[31m8次" in out.stdout


def test_json_output_keeps_the_data_exactly(hostile_json):
    """--json is data for programs: the text is the department's, escaped the JSON way."""
    out = run("score", str(hostile_json), "--json")
    assert "\x1b" not in out.stdout  # json.dumps writes \u001b
    names = [i["name"] for t in json.loads(out.stdout)["tables"] for i in t["indicators"]]
    assert f"举办活动{TITLE}\u202e反向\x9b" in names


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("衡山县科协", "衡山县科协"),
        ("a\x1b[2Jb", "a\\x1b[2Jb"),
        ("一\n二\r三\t四", "一\\n二\\r三\\t四"),
        ("\x7f\x9b", "\\x7f\\x9b"),
        ("\u202eabc\u2066", "\\u202eabc\\u2066"),
        ("lone \udcff", "lone \\udcff"),
        ("全角　空格 and\u00a0nbsp", "全角　空格 and\u00a0nbsp"),
        ("\U000e0001tag", "\\U000e0001tag"),
    ],
)
def test_visible(text, shown):
    assert visible(text) == shown


@pytest.mark.parametrize("data", [{"year": "\x1b[2J"}, {"\x1b[2Jbad": 1}])
def test_a_refused_data_file_names_its_text_visibly(tmp_path, data):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = run("check", str(path))
    assert out.returncode == 2 and "\x1b" not in out.stderr and "\\x1b[2J" in out.stderr
