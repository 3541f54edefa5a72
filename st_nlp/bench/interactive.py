"""Latency of `/v1/review` and `/v2/check` over HTTP against a real `st-nlp serve` process.

The server runs as in production (uvicorn, the model in its worker process), started the
same way as `tests/live_server.py` does. Two request patterns for a ~150-word note:
- cold: every request is a new note made of sentences never sent before;
- incremental: the previous note with one sentence replaced, as while a caseworker types.
Peak RSS of the server's process tree (server, model worker, audit worker) is sampled all along.
Beside the client's latency, the server's own request log gives each request's time inside the
server and its wait for the model worker, so the report says where the time goes.
"""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from st_nlp.bench.memory import PeakRss
from st_nlp.bench.workload import interactive_note

_ST_NLP = (sys.executable, "-m", "st_nlp")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _percentiles(samples: list[float]) -> dict[str, float]:
    values = np.array(samples) * 1000
    return {
        "requests": len(samples),
        "p50_ms": round(float(np.percentile(values, 50)), 1),
        "p95_ms": round(float(np.percentile(values, 95)), 1),
        "p99_ms": round(float(np.percentile(values, 99)), 1),
    }


class _Server:
    def __init__(self, data_dir: Path, cpus: list[int]) -> None:
        self.data_dir = data_dir
        self.cpus = cpus
        self.env = {
            **os.environ,
            "ST_NLP_DATA_DIR": str(data_dir),
            "ST_NLP_RATE_LIMIT_PER_MINUTE": "1000000",
        }
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def key(self) -> str:
        created = subprocess.run(
            [*_ST_NLP, "keys", "create", "--role", "caseworker", "--owner", "bench"],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return created.stdout.strip()

    def start(self, timeout: float = 180) -> None:
        log = (self.data_dir / "server.log").open("ab")
        self.process = subprocess.Popen(
            [*_ST_NLP, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=lambda: os.sched_setaffinity(0, self.cpus),
        )
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("the service did not become ready; see server.log in the work folder")

    def log_size(self) -> int:
        return (self.data_dir / "server.log").stat().st_size

    def log_since(self, size: int) -> str:
        """What the server logged after the log had `size` bytes (request lines only: the
        service never logs note text)."""
        with (self.data_dir / "server.log").open("rb") as log:
            log.seek(size)
            return log.read().decode("utf-8", errors="replace")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)
        self.process = None


def _notes(sentences: list[str], seed: int, incremental: bool, count: int) -> Iterator[str]:
    """Notes of ~150 words; each sentence is used once (a fresh pool is drawn without repeats)."""
    rng = random.Random(seed)
    pool = list(sentences)
    rng.shuffle(pool)

    def fresh() -> str:
        if not pool:
            raise ValueError("the workload has too few sentences for this many requests")
        return pool.pop()

    current = interactive_note(rng, [fresh() for _ in range(40)])
    for _ in range(count):
        if incremental:
            current[rng.randrange(len(current))] = fresh()
        else:
            current = []
            while sum(len(s.split()) for s in current) < 150:
                current.append(fresh())
        yield "\n".join(current)


def measure(
    sentences: list[str], work: Path, requests: int, cores: int, seed: int
) -> dict[str, Any]:
    data_dir = work / "service"
    data_dir.mkdir(parents=True, exist_ok=True)
    server = _Server(data_dir, sorted(os.sched_getaffinity(0))[:cores])
    headers = {"Authorization": f"Bearer {server.key()}"}
    result: dict[str, Any] = {"cores": cores}
    started = time.perf_counter()
    server.start()
    assert server.process is not None
    result["startup_seconds"] = round(time.perf_counter() - started, 1)
    try:
        with PeakRss(server.process.pid) as peak, httpx.Client(timeout=60) as client:

            def review(text: str) -> None:
                response = client.post(
                    f"{server.url}/v1/review", json={"text": text}, headers=headers
                )
                response.raise_for_status()

            def check(text: str) -> None:
                response = client.post(
                    f"{server.url}/v2/check",
                    data={"text": text, "language": "en-US"},
                    headers=headers,
                )
                response.raise_for_status()

            # Warm-up (first requests pay for lazy imports), not counted.
            for text in _notes(sentences[-200:], seed, incremental=False, count=3):
                review(text)
                check(text)
            offset = 0
            for name, call in (("review", review), ("check", check)):
                for mode in ("cold", "incremental"):
                    pool = sentences[offset : offset + requests * 20 + 40]
                    offset += len(pool)
                    logged = server.log_size()
                    samples = _timed(call, _notes(pool, seed, mode == "incremental", requests))
                    result[f"{name}_{mode}"] = {
                        **_percentiles(samples),
                        **_server_side(server.log_since(logged), ROUTES[name]),
                    }
            result["peak_rss_mb"] = round(peak.peak / 2**20)
        result["words_per_note"] = 150
    finally:
        server.stop()
    return result


ROUTES = {"review": "/v1/review", "check": "/v2/check"}
_LOGGED = re.compile(r"route=(\S+) status=200 ms=([\d.]+) model_ms=([\d.]+)")


def _server_side(log: str, route: str) -> dict[str, float]:
    """p50/p95 of the server's own request log for `route`: the whole request inside the
    server (`server_*`) and the wait for the model worker within it (`model_*`). The rest of
    a client's latency is the network and the client; the rest of the server's is HTTP,
    authentication, the access log and validation."""
    rows = [(float(ms), float(model)) for r, ms, model in _LOGGED.findall(log) if r == route]
    if not rows:
        return {}
    parts = {
        "server": _percentiles([ms / 1000 for ms, _ in rows]),
        "model": _percentiles([model / 1000 for _, model in rows]),
    }
    return {
        f"{part}_{q}_ms": timings[f"{q}_ms"]
        for part, timings in parts.items()
        for q in ("p50", "p95")
    }


def _timed(call: Callable[[str], None], texts: Iterator[str]) -> list[float]:
    samples = []
    for text in texts:
        started = time.perf_counter()
        call(text)
        samples.append(time.perf_counter() - started)
    return samples
