"""The progress line on a terminal: files done, rate, time left, failures so far.

Written to stderr, rewritten in place at most a few times a second, and only when
stderr is a terminal (a log file or a pipe gets nothing); ``--quiet`` turns it off.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

REFRESH = 0.2


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """``update(failed)`` after each file; ``close()`` at the end."""

    def __init__(self, total: int, *, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = (bool(isatty and isatty())) if enabled is None else enabled
        self.total, self.done, self.failed = total, 0, 0
        self.start = self._last = time.monotonic()
        self._width = 0

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = self.done / elapsed
        left = f"剩余约 {_clock((self.total - self.done) / rate)}" if rate > 0 and self.done < self.total else "剩余 —"
        return f"已处理 {self.done}/{self.total} 个文件 · {rate:.1f} 个/秒 · {left} · 失败 {self.failed} 个"

    def update(self, failed: bool = False) -> None:
        self.done += 1
        self.failed += failed
        now = time.monotonic()
        if self.enabled and (now - self._last >= REFRESH or self.done == self.total):
            self._last = now
            self._show()

    def _show(self) -> None:
        text = self.line()
        self.stream.write("\r" + text + " " * max(0, self._width - len(text)))
        self.stream.flush()
        self._width = len(text)

    def clear(self) -> None:
        """Take the line away (before other output)."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * (self._width * 2) + "\r")
            self.stream.flush()
            self._width = 0

    def close(self) -> None:
        if self.enabled and self.done:
            self._show()
            self.stream.write("\n")
            self.stream.flush()
