"""Schemathesis fuzzes every operation of the OpenAPI spec, once per role, on a live server.

Checks: no server errors, and every status code the server answers is documented.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_server import LiveServer, keyed_server

ROLES = ("caseworker", "supervisor", "trainer", "admin")


@pytest.fixture(scope="module")
def fuzz_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    data_dir = tmp_path_factory.mktemp("fuzz-service")
    keys = {role: (role, "north") for role in ROLES}
    with keyed_server(data_dir, keys, rate_limit_per_minute="1000000") as running:
        yield running


@pytest.mark.parametrize("role", ROLES)
def test_openapi_fuzzing_finds_no_server_errors(
    fuzz_server: tuple[LiveServer, dict[str, str]], role: str, tmp_path: Path
) -> None:
    server, keys = fuzz_server
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "run",
        f"{server.url}/openapi.json",
        "--header",
        f"Authorization: Bearer {keys[role]}",
        "--checks",
        "not_a_server_error,status_code_conformance",
        "--max-examples",
        "10",
        "--generation-deterministic",
        "--no-shrink",
        "--phases",
        "coverage,fuzzing",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-4000:]
    assert "passed" in result.stdout
