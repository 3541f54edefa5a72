"""Throughput and peak memory of `st-nlp audit`, run as a separate process tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from st_nlp.bench.memory import PeakRss


def run_audit(notes_path: Path, out_dir: Path, cores: int, workers: int) -> dict[str, Any]:
    """Audit `notes_path` into `out_dir` on `cores` CPUs; wall time, sentences, peak RSS."""
    cpus = sorted(os.sched_getaffinity(0))[:cores]
    command = [sys.executable, "-m", "st_nlp", "audit", str(notes_path), "--out", str(out_dir)]
    command += ["--workers", str(workers)]
    env = {**os.environ, "OMP_NUM_THREADS": str(max(1, cores // workers))}
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.sched_setaffinity(0, cpus),
    )
    with PeakRss(process.pid) as peak:
        _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"st-nlp audit failed (exit {process.returncode}): {stderr[-500:]!r}")
    notes = 0
    sentences = 0
    with (out_dir / "notes.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            notes += 1
            sentences += int(json.loads(line)["sentences"])
    return {
        "cores": cores,
        "workers": workers,
        "notes": notes,
        "sentences": sentences,
        "seconds": round(seconds, 1),
        "notes_per_second": round(notes / seconds, 1),
        "sentences_per_second": round(sentences / seconds, 1),
        "peak_rss_mb": round(peak.peak / 2**20),
        "note": "wall time includes loading the models (one-off, about 5-10 s)",
    }
