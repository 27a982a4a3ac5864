"""Incremental runs: the state file that lets a daily re-run skip unchanged files.

``perfxl batch 收件箱/ -o 汇总.xlsx`` keeps ``汇总.xlsx.perfxl-state.jsonl`` beside the
summary (``--state`` names another).  A file whose path and content (sha256, read in
blocks) are unchanged, assessed with the same profile choice by the same perfxl
version, is not read again: its stored record is used.  The run reports how many files
are new, changed, removed and unchanged.

Decisions:
- JSON Lines: a header line (format, perfxl version, profile key), then one line per
  file ``{"key": path, "sha256": …, "record": …}``.  Opening the state reads it once and
  keeps only path → (hash, offset); a reused record is read back by its offset, so
  memory does not grow with the stored findings.  A state that cannot be read, or was
  written by another version or profile choice, is ignored: every file is read again.
- The profile key is the ``--profile`` text, plus the sha256 of the file when it names
  a .toml file: a changed custom profile changes every score.
- Files that timed out, crashed a worker or ran out of memory are not stored: they are
  retried on the next run (a busy machine may have been the cause).
- The new state is written with ``fileio.atomic_write``: a run that stops half way
  leaves the previous state whole.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..app.assessing import ProfileChoice
from ..core.profile import Profile
from ..fileio import atomic_write
from .records import STABLE_FAILURES, FileResult, from_json

FORMAT = "perfxl-batch-state/1"
SUFFIX = ".perfxl-state.jsonl"
BLOCK = 1 << 20


def default_state_path(output: str | os.PathLike[str]) -> Path:
    out = Path(output)
    return out.with_name(out.name + SUFFIX)


def file_hash(path: Path) -> str:
    """sha256 of *path*'s content, read a block at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


def perfxl_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("perfxl")
    except PackageNotFoundError:
        return "unknown"


def profile_key(chosen: ProfileChoice) -> str:
    """What the profile choice means for the scores (see the module docstring)."""
    if chosen is None or isinstance(chosen, Profile):
        return "" if chosen is None else f"profile:{chosen.name}"
    text = os.fspath(chosen).strip()
    if text.lower().endswith(".toml") and Path(text).is_file():
        return f"{text}#{file_hash(Path(text))}"
    return text


@dataclass(frozen=True)
class Changes:
    """What changed since the last run (file counts)."""

    new: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0

    def text(self) -> str:
        return f"新增 {self.new} 个，有改动 {self.changed} 个，已移除 {self.removed} 个，未改动 {self.unchanged} 个（沿用上次结果）"


class State:
    """The previous run's records (by offset) and the hashes of this run's files."""

    def __init__(self, path: Path, chosen: ProfileChoice) -> None:
        self.path = path
        self.header = {"format": FORMAT, "version": perfxl_version(), "profile": profile_key(chosen)}
        self._old: dict[str, tuple[str, int]] = {}
        self.hashes: dict[str, str] = {}
        self._handle: IO[bytes] | None = None
        self._load()

    def _load(self) -> None:
        try:
            handle = open(self.path, "rb")  # kept open to read reused records by offset
        except OSError:
            return
        try:
            if json.loads(handle.readline() or b"null") != self.header:
                handle.close()
                return
            offset = handle.tell()
            for line in iter(handle.readline, b""):
                entry = json.loads(line)
                self._old[entry["key"]] = (entry["sha256"], offset)
                offset += len(line)
        except (ValueError, KeyError, TypeError):  # damaged or foreign: start afresh
            self._old.clear()
            handle.close()
            return
        self._handle = handle

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def split(self, files: Iterable[Path]) -> tuple[list[Path], list[Path], Changes]:
        """(files to assess, files whose stored record is reused, the counts)."""
        todo, reuse = [], []
        new = changed = 0
        seen = set()
        for path in files:
            key = str(path.resolve())
            seen.add(key)
            digest = self.hashes[key] = file_hash(path)
            old = self._old.get(key)
            if old is None:
                new += 1
                todo.append(path)
            elif old[0] != digest:
                changed += 1
                todo.append(path)
            else:
                reuse.append(path)
        removed = sum(1 for key in self._old if key not in seen)
        return todo, reuse, Changes(new, changed, removed, len(reuse))

    def stored(self, path: Path) -> FileResult:
        """The record kept for *path* by the last run (with *path* as given this time)."""
        assert self._handle is not None
        self._handle.seek(self._old[str(path.resolve())][1])
        record = from_json(json.loads(self._handle.readline())["record"])
        return FileResult(path, record.error, record.department, record.year, record.profile, record.scores,
                          record.findings, record.failure)

    def write(self, records: Callable[[], Iterable[tuple[FileResult, dict[str, Any]]]]) -> Path:
        """The new state from *records* (each with its JSON), written atomically."""

        def dump(tmp: Path) -> None:
            with open(tmp, "w", encoding="utf-8") as out:
                out.write(json.dumps(self.header, ensure_ascii=False) + "\n")
                for record, data in records():
                    key = str(record.path.resolve())
                    if record.failure in STABLE_FAILURES and key in self.hashes:
                        entry = {"key": key, "sha256": self.hashes[key], "record": data}
                        out.write(json.dumps(entry, ensure_ascii=False) + "\n")

        try:
            return atomic_write(self.path, dump)
        finally:
            self.close()
