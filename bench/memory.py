"""Peak memory of a process and its children together, sampled while a block runs.

ru_maxrss gives each process's own peak; an import that reads its file in a second
process (app/imports/parsing/parse_ahead.py) is two processes whose peaks need not coincide. A
thread reads the resident set size of this process and of its children from /proc every
20 ms and keeps the largest sum, and the largest of each.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


def _rss_mb(pid: int | str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass  # the child ended between the listing and the reading
    return 0.0


def _children() -> list[str]:
    found = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            found += (task / "children").read_text().split()
        except OSError:
            continue
    return found


class PeakMemory:
    """`with PeakMemory() as peak:` … then `peak.total`, `peak.own`, `peak.children` (MB)."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.total = self.own = self.children = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:
            own = _rss_mb(os.getpid())
            children = sum(_rss_mb(pid) for pid in _children())
            self.own = max(self.own, own)
            self.children = max(self.children, children)
            self.total = max(self.total, own + children)
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()
