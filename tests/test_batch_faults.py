"""Fault isolation: a file that hangs, eats memory or kills its worker is a row, not the end."""

from __future__ import annotations

import sys
import time

import pytest

from perfxl.batch import Limits, run_batch

from .conftest import EXAMPLE_JSON
from .test_batch_hooks import install_faults

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the memory limit is Linux's RLIMIT_AS")


@pytest.fixture()
def hostile(tmp_path):
    folder = tmp_path / "收件箱"
    folder.mkdir()
    for name in ("a-good.json", "hang.json", "hog.json", "crash.json", "z-good.json"):
        (folder / name).write_text(EXAMPLE_JSON.read_text("utf-8"), encoding="utf-8")
    return folder


def test_a_hanging_a_hoarding_and_a_crashing_file_each_become_a_row(hostile):
    started = time.monotonic()
    results = run_batch([hostile], limits=Limits(jobs=2, timeout=4, memory_mib=256),
                        initializer=install_faults)
    elapsed = time.monotonic() - started
    by_name = {r.path.name: r for r in results}
    assert sorted(by_name) == ["a-good.json", "crash.json", "hang.json", "hog.json", "z-good.json"]
    assert by_name["hang.json"].failure == "timeout" and "超过时间上限（4 秒）" in by_name["hang.json"].error
    assert by_name["hog.json"].failure == "memory" and "内存超出上限（256 MiB）" in by_name["hog.json"].error
    assert by_name["crash.json"].failure == "crashed" and "进程异常退出" in by_name["crash.json"].error
    for good in ("a-good.json", "z-good.json"):  # the others are untouched: golden total 82.96 (9.96 + 73)
        assert by_name[good].scores is not None and str(by_name[good].scores.overall.rule_total) == "82.96"
    assert elapsed < 30  # the hanging file cost its own limit, not the batch's


def test_without_the_test_hook_those_names_mean_nothing(hostile):
    results = run_batch([hostile], limits=Limits(jobs=1, timeout=20))
    assert all(r.failure == "" and r.scores is not None for r in results)


def test_one_worker_runs_everything_in_turn_and_is_replaced_after_max_tasks(hostile):
    results = run_batch([hostile], limits=Limits(jobs=1, timeout=20, max_tasks=2))
    assert [r.path.name for r in results] == sorted(p.name for p in hostile.iterdir())
    assert all(r.scores is not None for r in results)


def test_a_worker_starts_its_next_file_while_the_caller_handles_the_last_record(hostile, tmp_path):
    """The parent writes 问题清单 as records arrive: the worker must not wait for that (issue 11:
    with one worker, reading and writing then overlap instead of taking turns)."""
    from perfxl.batch.pool import WorkerPool

    from .test_batch_hooks import note_starts

    log = tmp_path / "starts.txt"
    files = [hostile / "a-good.json", hostile / "z-good.json"]
    handled = []
    for record in WorkerPool(None, Limits(jobs=1, timeout=20), initializer=note_starts, initargs=(str(log),)).run(files):
        handled.append(record.path.name)
        if record.path.name == "a-good.json":  # the caller busy with the record until the next file has started
            waited = time.monotonic()
            while "z-good.json" not in log.read_text(encoding="utf-8") and time.monotonic() < waited + 15:
                time.sleep(0.05)
            assert "z-good.json" in log.read_text(encoding="utf-8"), "the worker waited for the caller"
    assert handled == ["a-good.json", "z-good.json"]


def test_a_files_time_runs_from_when_its_new_worker_was_ready_not_from_when_the_caller_looked(hostile):
    """A worker replaced after ``max_tasks`` gets its next file at once; its "ready" says when it started,
    so a file that hangs is stopped at its time limit even while the caller is busy with a record."""
    from perfxl.batch.pool import WorkerPool

    files = [hostile / "a-good.json", hostile / "hang.json"]
    arrived = {}
    pool = WorkerPool(None, Limits(jobs=1, timeout=2, max_tasks=1), initializer=install_faults)
    for record in pool.run(files):
        arrived[record.path.name] = time.monotonic()
        if record.path.name == "a-good.json":
            time.sleep(3)  # the caller busy: longer than the time limit
    assert arrived["hang.json"] - arrived["a-good.json"] < 4.5  # 3 s busy, not 3 + 2 s
