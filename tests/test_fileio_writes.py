"""``fileio.atomic_write`` against the machine's own faults (issue 12): a full disk, a
read-only or vanished folder, a name too long for a temporary name, Ctrl+C, and two
writers racing for one output.  Each ends as an ``OutputError`` in Chinese naming the
file (exit 2; Ctrl+C exit 130), the old file untouched and no temporary file left.
"""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

from perfxl.errors import EXIT_UNUSABLE, OutputError, OutputExistsError, WriteInterrupted, exit_code
from perfxl.fileio import InputError, OutputExists, atomic_write, temp_name_parts

from .cli_runner import run
from .conftest import EXAMPLE_JSON

NAME_MAX = 255


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def _only(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


@pytest.mark.parametrize("where", ["write", "replace", "link", "fsync", "content"])
def test_a_full_disk_is_an_output_error_and_leaves_nothing(tmp_path, monkeypatch, where):
    target = tmp_path / "out.json"
    overwrite = where != "link"
    content: bytes | object = b"{}"
    if where == "content":
        def content(tmp: Path) -> None:
            tmp.write_bytes(b"half")
            _enospc()
    else:
        monkeypatch.setattr(os, where, _enospc)
    with pytest.raises(OutputError) as info:
        atomic_write(target, content, overwrite=overwrite)  # type: ignore[arg-type]
    message = str(info.value)
    assert "磁盘空间不足" in message and str(target) in message
    assert exit_code(info.value) == EXIT_UNUSABLE
    assert _only(tmp_path) == []


def test_a_full_disk_through_the_command_line(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "link", _enospc)
    target = tmp_path / "x.json"
    out = run("export", str(EXAMPLE_JSON), "-o", str(target))
    assert out.returncode == 2 and "磁盘空间不足" in out.stderr and "x.json" in out.stderr, out.stderr
    assert "Traceback" not in out.stderr and "内部错误" not in out.stderr
    assert _only(tmp_path) == []


def test_the_old_file_survives_a_failed_replace(tmp_path, monkeypatch):
    target = tmp_path / "keep.json"
    target.write_bytes(b"old")
    monkeypatch.setattr(os, "replace", _enospc)
    with pytest.raises(OutputError):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old" and _only(tmp_path) == ["keep.json"]


def test_a_read_only_folder(tmp_path, monkeypatch):
    import tempfile

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(OutputError) as info:
        atomic_write(tmp_path / "a.json", b"{}")
    assert "只读" in str(info.value) and "a.json" in str(info.value)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes anywhere")
def test_a_folder_without_write_permission(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputError) as info:
            atomic_write(folder / "a.json", b"{}")
        assert "没有写入权限" in str(info.value)
    finally:
        folder.chmod(0o755)


def test_a_folder_that_vanishes_during_the_write(tmp_path):
    import shutil

    folder = tmp_path / "usb"
    folder.mkdir()

    def unplug(tmp: Path) -> None:
        tmp.write_bytes(b"data")
        shutil.rmtree(folder)

    with pytest.raises(OutputError) as info:
        atomic_write(folder / "a.json", unplug)
    assert "不存在或已被删除" in str(info.value) and "a.json" in str(info.value)
    assert _only(tmp_path) == []


def test_a_long_output_name_gets_a_short_temporary_name(tmp_path):
    name = "部" * 80 + ".json"  # 245 bytes: fits NAME_MAX; the old ".<stem>.XXXXXXXX.json" did not
    assert len(os.fsencode(name)) <= NAME_MAX
    prefix, suffix = temp_name_parts(tmp_path / name)
    assert len(os.fsencode(prefix + "x" * 8 + suffix)) < 150
    written = atomic_write(tmp_path / name, b"{}")
    assert written.read_bytes() == b"{}" and _only(tmp_path) == [name]


def test_an_output_name_over_name_max_is_exit_2(tmp_path):
    target = tmp_path / ("x" * 300 + ".json")
    out = run("export", str(EXAMPLE_JSON), "-o", str(target))
    assert out.returncode == 2 and "文件名过长" in out.stderr, out.stderr
    assert _only(tmp_path) == []


def test_ctrl_c_during_the_write(tmp_path):
    def interrupted(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise KeyboardInterrupt

    target = tmp_path / "a.json"
    target.write_bytes(b"old")
    with pytest.raises(WriteInterrupted) as info:
        atomic_write(target, interrupted)
    assert isinstance(info.value, OutputError) and "a.json" in str(info.value) and "中断" in str(info.value)
    assert target.read_bytes() == b"old" and _only(tmp_path) == ["a.json"]


def test_ctrl_c_through_the_command_line(tmp_path, monkeypatch):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "link", interrupt)
    out = run("export", str(EXAMPLE_JSON), "-o", str(tmp_path / "x.json"))
    assert out.returncode == 130 and "中断" in out.stderr and "x.json" in out.stderr
    assert "Traceback" not in out.stderr and _only(tmp_path) == []


def test_an_output_created_meanwhile_is_not_replaced(tmp_path):
    """Another process creates the output while we write: without --force we must lose."""
    target = tmp_path / "a.json"

    def racer(tmp: Path) -> None:
        tmp.write_bytes(b"ours")
        target.write_bytes(b"theirs")

    with pytest.raises(OutputExists) as info:
        atomic_write(target, racer, overwrite=False)
    assert isinstance(info.value, OutputExistsError) and isinstance(info.value, InputError)
    assert "已存在" in str(info.value) and "--force" in str(info.value)
    assert target.read_bytes() == b"theirs" and _only(tmp_path) == ["a.json"]


def test_racing_writers_exactly_one_wins(tmp_path):
    target = tmp_path / "a.json"
    start = threading.Barrier(8)
    results: dict[int, str] = {}

    def writer(n: int) -> None:
        def slow(tmp: Path) -> None:
            tmp.write_bytes(b"writer %d" % n)
            start.wait()

        try:
            atomic_write(target, slow, overwrite=False)
            results[n] = "won"
        except OutputExists:
            results[n] = "lost"

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [n for n, r in results.items() if r == "won"]
    assert len(results) == 8 and len(winners) == 1
    assert target.read_bytes() == b"writer %d" % winners[0] and _only(tmp_path) == ["a.json"]


@pytest.mark.parametrize("no_links", [errno.EPERM, errno.EOPNOTSUPP])
def test_without_hard_links_the_name_is_still_created_exclusively(tmp_path, monkeypatch, no_links):
    """FAT/exFAT sticks and some shares refuse hard links: reserve with O_EXCL, then replace."""
    def refuse(*args, **kwargs):
        raise OSError(no_links, "Operation not permitted")

    monkeypatch.setattr(os, "link", refuse)
    target = tmp_path / "a.json"
    assert atomic_write(target, b"one", overwrite=False).read_bytes() == b"one"
    with pytest.raises(OutputExists):
        atomic_write(target, b"two", overwrite=False)
    assert target.read_bytes() == b"one" and _only(tmp_path) == ["a.json"]


def test_overwrite_keeps_the_mode_of_the_old_file(tmp_path):
    target = tmp_path / "a.json"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o640


def test_a_new_output_is_readable_by_others(tmp_path):
    assert atomic_write(tmp_path / "a.json", b"{}").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("command", ["new", "report"])
def test_a_workbook_or_report_created_meanwhile_is_not_replaced(tmp_path, monkeypatch, command):
    """``perfxl new`` / ``perfxl report`` without --force: another process creates the output after
    the up-front check and before the write; the final name is created exclusively, so theirs stays."""
    import perfxl.fileio as fileio
    from perfxl.cli import main

    out = tmp_path / ("n.xlsm" if command == "new" else "r.docx")
    real = fileio.atomic_write

    def racing(path, content, **kwargs):
        Path(path).write_bytes(b"theirs")  # the other process wins the race
        return real(path, content, **kwargs)

    monkeypatch.setattr(fileio, "atomic_write", racing)
    monkeypatch.setattr("perfxl.workbook.builder.atomic_write", racing)
    monkeypatch.setattr("perfxl.report.files.atomic_write", racing)
    corrected = Path(__file__).resolve().parent.parent / "perfxl" / "examples" / "hengshan-kexie-2023-corrected.json"
    argv = ["new", "-o", str(out)] if command == "new" else ["report", str(corrected), "-o", str(out)]
    assert main(argv) == EXIT_UNUSABLE
    assert out.read_bytes() == b"theirs"
