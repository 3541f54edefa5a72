"""Audit jobs over HTTP against a real server: lifecycle, visibility, limits, retention, resume."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy
from live_server import LiveServer, create_key, keyed_server, service_env

NOTE = (
    "CW met BM on {date}. FOB pushed BM into the wall while the kids watched. "
    "The parents have a volatile relationship."
)


def _jsonl(count: int, start: int = 0, unit: str = "north") -> bytes:
    """`count` notes, each with one blaming sentence; their first sentences differ (a visit
    date per note), so no note is a repeat the reviewer could answer from memory."""
    rows = [
        {
            "note_id": f"n{i:05d}",
            "text": NOTE.format(date=f"{1 + i % 12}/{1 + i // 12 % 28}/{24 + i // 336}"),
            "worker_id": f"w{i % 3}",
            "unit": unit,
            "date": f"2024-0{1 + i % 6}-1{i % 9}",
        }
        for i in range(start, start + count)
    ]
    return ("\n".join(json.dumps(r) for r in rows) + "\n").encode()


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _wait_for(
    client: httpx.Client, job_id: str, key: str, state: str, timeout: float = 120
) -> dict[str, Any]:
    deadline = time.time() + timeout
    while time.time() < deadline:
        job: dict[str, Any] = client.get(f"/v1/audits/{job_id}", headers=_auth(key)).json()
        if job["state"] == state:
            return job
        assert job["state"] not in {"failed", "purged"} - {state}, job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not reach {state}")


@pytest.fixture(scope="module")
def audit_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    keys = {
        "north": ("supervisor", "north"),
        "north2": ("supervisor", "north"),
        "south": ("supervisor", "south"),
        "caseworker": ("caseworker", "north"),
        "trainer": ("trainer", "north"),
        "admin": ("admin", "north"),
    }
    data_dir = tmp_path_factory.mktemp("audit-service")
    settings = {"rate_limit_per_minute": "10000", "max_upload_bytes": "200000"}
    with keyed_server(data_dir, keys, **settings) as running:
        yield running


def test_audit_job_runs_to_a_report(audit_server: tuple[LiveServer, dict[str, str]]) -> None:
    server, keys = audit_server
    bad_row = b'{"note_id": "n00001", "text": "a duplicate id"}\n'
    with httpx.Client(base_url=server.url, timeout=30) as client:
        created = client.post(
            "/v1/audits",
            headers=_auth(keys["north"]),
            files={"file": ("notes.jsonl", _jsonl(20) + bad_row)},
        )
        assert created.status_code == 202
        assert created.headers["location"] == f"/v1/audits/{created.json()['id']}"
        job_id = created.json()["id"]
        uuid.UUID(job_id)
        done = _wait_for(client, job_id, keys["north"], "done")
        assert done["counts"] == {"notes": 20, "errors": 1, "sentences": 60}
        assert done["progress"]["fraction"] == 1.0
        html = client.get(f"/v1/audits/{job_id}/report", headers=_auth(keys["north"]))
        assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
        assert "<svg" in html.text or "<canvas" in html.text
        summary = client.get(
            f"/v1/audits/{job_id}/report?format=json", headers=_auth(keys["north"])
        )
        assert summary.json()["notes"] == 20
        rows = client.get(
            f"/v1/audits/{job_id}/report?format=csv", headers=_auth(keys["north"])
        ).text
        assert rows.count("\n") == 21 and rows.startswith("note_id,")
        errors = client.get(
            f"/v1/audits/{job_id}/report?format=errors", headers=_auth(keys["north"])
        ).text
        assert "21,n00001,duplicate note_id" in errors
        listed = client.get("/v1/audits", headers=_auth(keys["north"])).json()["jobs"]
        assert job_id in [job["id"] for job in listed]
        # Supervisors of the same unit see it; nobody else learns it exists.
        assert client.get(f"/v1/audits/{job_id}", headers=_auth(keys["north2"])).status_code == 200
        assert client.get(f"/v1/audits/{job_id}", headers=_auth(keys["south"])).status_code == 404
        assert (
            client.get(f"/v1/audits/{job_id}/report", headers=_auth(keys["south"])).status_code
            == 404
        )
        assert client.get(f"/v1/audits/{job_id}", headers=_auth(keys["admin"])).status_code == 404
        assert job_id not in [
            j["id"] for j in client.get("/v1/audits", headers=_auth(keys["south"])).json()["jobs"]
        ]
        assert (
            client.get(f"/v1/audits/{uuid.uuid4()}", headers=_auth(keys["north"])).status_code
            == 404
        )
        assert (
            client.get(f"/v1/audits/{job_id}", headers=_auth(keys["caseworker"])).status_code == 403
        )
        assert client.get(f"/v1/audits/{job_id}", headers=_auth(keys["trainer"])).status_code == 403
        assert client.get(f"/v1/audits/{job_id}").status_code == 401
        deleted = client.delete(f"/v1/audits/{job_id}", headers=_auth(keys["north"]))
        assert deleted.status_code == 200 and deleted.json()["state"] == "purged"
        assert (
            client.get(f"/v1/audits/{job_id}/report", headers=_auth(keys["north"])).status_code
            == 410
        )
    assert not (server.data_dir / "audits" / job_id).exists()
    with sqlite3.connect(server.data_dir / "st-nlp.sqlite3") as db:
        log = db.execute(
            "SELECT action, status FROM access_log WHERE object_id = ? ORDER BY id", (job_id,)
        ).fetchall()
    assert (
        ("audit.create", 202) in log and ("audit.read", 404) in log and ("audit.delete", 200) in log
    )


def test_audit_idempotency_key_returns_the_same_job(
    audit_server: tuple[LiveServer, dict[str, str]],
) -> None:
    server, keys = audit_server
    headers = {**_auth(keys["north"]), "Idempotency-Key": "upload-2024-03-batch-7"}
    with httpx.Client(base_url=server.url, timeout=30) as client:
        first = client.post("/v1/audits", headers=headers, files={"file": ("a.jsonl", _jsonl(3))})
        again = client.post("/v1/audits", headers=headers, files={"file": ("a.jsonl", _jsonl(3))})
        other = client.post(
            "/v1/audits",
            headers={**_auth(keys["north2"]), "Idempotency-Key": "upload-2024-03-batch-7"},
            files={"file": ("a.jsonl", _jsonl(3))},
        )
        assert first.status_code == again.status_code == other.status_code == 202
        assert first.json()["id"] == again.json()["id"] != other.json()["id"]
        _wait_for(client, first.json()["id"], keys["north"], "done")


@pytest.mark.parametrize(
    ("files", "data", "status", "message"),
    [
        ({"file": ("notes.jsonl", b"")}, {}, 422, "empty"),
        ({"file": ("notes.txt", b'{"note_id": "a", "text": "b"}\n')}, {}, 422, "format"),
        ({"file": ("notes.txt", b"x")}, {"format": "xml"}, 422, "format must be"),
        ({"file": ("notes.jsonl", b"x" * 300_000)}, {}, 413, "larger than 200000"),
    ],
)
def test_audit_upload_errors(audit_server, files, data, status, message) -> None:  # type: ignore[no-untyped-def]
    server, keys = audit_server
    response = httpx.post(
        f"{server.url}/v1/audits", headers=_auth(keys["north"]), files=files, data=data, timeout=30
    )
    assert response.status_code == status
    assert message in json.dumps(response.json())


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_audit_job_resumes_after_the_server_is_killed(
    tmp_path: Path, database: str, request: pytest.FixtureRequest
) -> None:
    env = service_env(tmp_path, rate_limit_per_minute="10000", job_poll_seconds="0.2")
    if database == "postgresql":
        env["ST_NLP_DATABASE_URL"] = request.getfixturevalue("postgres_url")
    key = create_key(env, "supervisor", "sup", "north")
    server = LiveServer(tmp_path, env)
    server.start()
    total = 600  # distinct notes: the job is still running when the server is killed
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            job_id = client.post(
                "/v1/audits", headers=_auth(key), files={"file": ("n.jsonl", _jsonl(total))}
            ).json()["id"]
            deadline = time.time() + 120
            while time.time() < deadline:
                job = client.get(f"/v1/audits/{job_id}", headers=_auth(key)).json()
                if job["progress"]["processed_rows"] >= 32:
                    break
                time.sleep(0.1)
        assert job["state"] == "running", job
        server.kill()  # kill -9 of the server and its model and audit workers
        journal = tmp_path / "audits" / job_id / "out" / "notes.jsonl"
        finished_before = journal.read_bytes().count(b"\n")
        assert 0 < finished_before < total
        server.start()
        with httpx.Client(base_url=server.url, timeout=30) as client:
            done = _wait_for(client, job_id, key, "done", timeout=300)
    finally:
        server.stop()
    ids = [json.loads(line)["note_id"] for line in journal.read_text().splitlines()]
    assert len(ids) == len(set(ids)) == total == done["counts"]["notes"]
    findings = [
        json.loads(line)["note_id"]
        for line in (journal.parent / "findings.jsonl").read_text().splitlines()
    ]
    assert (
        sorted(set(findings)) == sorted(ids) and len(findings) == total
    )  # one flagged sentence each


def test_audit_jobs_keys_and_access_log_live_in_postgresql(
    tmp_path: Path, postgres_url: str
) -> None:
    env = service_env(tmp_path, rate_limit_per_minute="10000", database_url=postgres_url)
    key = create_key(env, "supervisor", "sup", "north")
    other = create_key(env, "supervisor", "sup-south", "south")
    server = LiveServer(tmp_path, env)
    server.start()
    headers = {**_auth(key), "Idempotency-Key": "batch-1"}
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            first = client.post(
                "/v1/audits", headers=headers, files={"file": ("a.jsonl", _jsonl(4))}
            )
            again = client.post(
                "/v1/audits", headers=headers, files={"file": ("a.jsonl", _jsonl(4))}
            )
            assert first.status_code == again.status_code == 202
            job_id = first.json()["id"]
            assert again.json()["id"] == job_id
            done = _wait_for(client, job_id, key, "done")
            assert done["counts"] == {"notes": 4, "errors": 0, "sentences": 12}
            assert client.get(f"/v1/audits/{job_id}", headers=_auth(other)).status_code == 404
    finally:
        server.stop()
    assert not (tmp_path / "st-nlp.sqlite3").exists()
    engine = sqlalchemy.create_engine(postgres_url)
    with engine.connect() as db:
        jobs = db.execute(sqlalchemy.text("SELECT id, state, notes FROM audit_jobs")).all()
        log = db.execute(
            sqlalchemy.text("SELECT action, status FROM access_log WHERE object_id = :id"),
            {"id": job_id},
        ).all()
    engine.dispose()
    assert [tuple(row) for row in jobs] == [(job_id, "done", 4)]
    assert ("audit.create", 202) in log and ("audit.read", 404) in log


def test_audit_inputs_are_purged_after_retention(tmp_path: Path) -> None:
    # 0.00002 days = 1.7 s after the job ends.
    env = service_env(tmp_path, audit_retention_days="0.00002", job_poll_seconds="0.2")
    key = create_key(env, "supervisor", "sup", "north")
    server = LiveServer(tmp_path, env)
    server.start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            job_id = client.post(
                "/v1/audits", headers=_auth(key), files={"file": ("n.jsonl", _jsonl(2))}
            ).json()["id"]
            purged = _wait_for(client, job_id, key, "purged", timeout=120)
            assert purged["counts"]["notes"] == 2 and purged["purged_at"]
            assert client.get(f"/v1/audits/{job_id}/report", headers=_auth(key)).status_code == 410
    finally:
        server.stop()
    assert not (tmp_path / "audits" / job_id).exists()
    assert list((tmp_path / "audits" / "incoming").iterdir()) == []


def test_rate_limit_answers_429_with_retry_after(tmp_path: Path) -> None:
    env = service_env(tmp_path, rate_limit_per_minute="3")
    key = create_key(env, "caseworker", "cw")
    server = LiveServer(tmp_path, env)
    server.start()
    try:
        statuses = [
            httpx.post(
                f"{server.url}/v1/classify",
                headers=_auth(key),
                json={"sentences": ["CW visited."]},
                timeout=30,
            )
            for _ in range(4)
        ]
    finally:
        server.stop()
    assert [r.status_code for r in statuses] == [200, 200, 200, 429]
    assert 1 <= int(statuses[-1].headers["retry-after"]) <= 61
