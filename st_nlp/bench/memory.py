"""Peak resident memory of a process and all of its children, sampled while it runs."""

from __future__ import annotations

import threading

import psutil


def tree_rss(pid: int) -> int:
    """Sum of RSS over `pid` and its descendants now (bytes); 0 once it has exited."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


class PeakRss:
    """Samples `tree_rss(pid)` every `interval` seconds in a thread; `peak` is the maximum.

    Shared pages (the same library mapped in two processes) count once per process, so the
    sum is an upper bound of what the tree really takes.
    """

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
