"""Start and stop a real `st-nlp serve` process for tests (uvicorn on a free localhost port)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def create_key(env: dict[str, str], role: str, owner: str, unit: str | None = None) -> str:
    command = [sys.executable, "-m", "st_nlp", "keys", "create", "--role", role, "--owner", owner]
    if unit:
        command += ["--unit", unit]
    created = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return created.stdout.strip()


@dataclass
class LiveServer:
    """A service process in its own process group, so a test can kill it and its workers."""

    data_dir: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.data_dir / "server.log"

    def start(self, timeout: float = 120) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "st_nlp",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
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
        self.kill()
        raise RuntimeError("service did not become ready:\n" + self.log.read_text()[-3000:])

    def kill(self) -> None:
        """kill -9 the server and every process it started (the model and audit workers)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=20)
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None


def service_env(data_dir: Path, **settings: str) -> dict[str, str]:
    env = {**os.environ, "ST_NLP_DATA_DIR": str(data_dir)}
    env.update({f"ST_NLP_{name.upper()}": value for name, value in settings.items()})
    return env


@contextlib.contextmanager
def keyed_server(
    data_dir: Path, keys: dict[str, tuple[str, str | None]], **settings: str
) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    """A running server whose database holds one key per entry of `keys` (name -> role, unit).

    Yields the server and the keys by name; the owner of each key is its name.
    """
    env = service_env(data_dir, **settings)
    created = {name: create_key(env, role, name, unit) for name, (role, unit) in keys.items()}
    server = LiveServer(data_dir, env)
    server.start()
    try:
        yield server, created
    finally:
        server.stop()
