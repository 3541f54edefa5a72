"""Example sets over HTTP against a real server: roles, visibility, downloads, bad input."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from live_server import LiveServer, keyed_server


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


BODY = {"label": "blaming_language", "subtype": None, "n": 3, "source": "corpus"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    keys = {
        "trainer": ("trainer", "north"),
        "trainer2": ("trainer", "north"),
        "sup_north": ("supervisor", "north"),
        "sup_south": ("supervisor", "south"),
        "caseworker": ("caseworker", "north"),
        "admin": ("admin", "north"),
    }
    data_dir = tmp_path_factory.mktemp("example-set-service")
    with keyed_server(data_dir, keys, rate_limit_per_minute="10000") as running:
        yield running


@pytest.fixture(scope="module")
def created(server: tuple[LiveServer, dict[str, str]]) -> dict[str, object]:
    live, keys = server
    with httpx.Client(base_url=live.url, timeout=300) as client:
        response = client.post("/v1/example-sets", json=BODY, headers=_auth(keys["trainer"]))
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_trainer_creates_a_draft_set(created: dict[str, object]) -> None:
    assert set(created) == {"id", "draft", "reviewed_by", "created_at", "items"}
    assert created["draft"] is True and created["reviewed_by"] is None
    items = created["items"]
    assert isinstance(items, list) and 1 <= len(items) <= 3
    for item in items:
        assert set(item) == {
            "text",
            "labels",
            "subtype",
            "register",
            "findings",
            "suggestions",
            "confidence",
        }
        assert "blaming_language" in item["labels"]


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "jsonl", "labelstudio"])
def test_creator_and_unit_supervisor_download_every_format(
    server: tuple[LiveServer, dict[str, str]], created: dict[str, object], fmt: str
) -> None:
    live, keys = server
    with httpx.Client(base_url=live.url, timeout=60) as client:
        for who in ("trainer", "sup_north"):
            response = client.get(
                f"/v1/example-sets/{created['id']}",
                params={"format": fmt},
                headers=_auth(keys[who]),
            )
            assert response.status_code == 200, (who, response.text)
    text = response.text
    if fmt == "csv":
        assert {row["status"] for row in csv.DictReader(io.StringIO(text))} == {"DRAFT"}
    elif fmt == "jsonl":
        assert {json.loads(line)["status"] for line in text.splitlines()} == {"DRAFT"}
    elif fmt == "labelstudio":
        assert {task["data"]["status"] for task in json.loads(text)} == {"DRAFT"}
    else:
        assert "DRAFT" in text


def test_others_get_404_and_caseworkers_403(
    server: tuple[LiveServer, dict[str, str]], created: dict[str, object]
) -> None:
    live, keys = server
    with httpx.Client(base_url=live.url, timeout=60) as client:
        url = f"/v1/example-sets/{created['id']}"
        assert client.get(url, headers=_auth(keys["sup_south"])).status_code == 404
        assert client.get(url, headers=_auth(keys["trainer2"])).status_code == 404
        assert client.get(url, headers=_auth(keys["caseworker"])).status_code == 403
        assert (
            client.get(
                f"/v1/example-sets/{uuid.uuid4()}", headers=_auth(keys["trainer"])
            ).status_code
            == 404
        )
        denied = client.post("/v1/example-sets", json=BODY, headers=_auth(keys["caseworker"]))
        assert denied.status_code == 403
        assert client.post("/v1/example-sets", json=BODY).status_code == 401
    log = (
        sqlite3.connect(live.data_dir / "st-nlp.sqlite3")
        .execute("select action, status from access_log where object_id = ?", (created["id"],))
        .fetchall()
    )
    assert ("example_set.create", 201) in log and ("example_set.read", 404) in log


def test_reviewed_by_is_recorded(server: tuple[LiveServer, dict[str, str]]) -> None:
    live, keys = server
    body = {**BODY, "n": 1, "reviewed_by": "Pat Lee"}
    with httpx.Client(base_url=live.url, timeout=300) as client:
        response = client.post("/v1/example-sets", json=body, headers=_auth(keys["trainer"]))
        assert response.status_code == 201, response.text
        created = response.json()
        assert created["draft"] is False and created["reviewed_by"] == "Pat Lee"
        html = client.get(
            f"/v1/example-sets/{created['id']}",
            params={"format": "html"},
            headers=_auth(keys["trainer"]),
        ).text
    assert "Reviewed by Pat Lee" in html and "DRAFT" not in html


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"label": "blame"}, 422, "unknown label"),
        ({"subtype": "rude"}, 422, "unknown blaming subtype"),
        ({"label": "child_impact", "subtype": "agentless"}, 422, "subtype applies only"),
        ({"n": 0}, 422, "greater than or equal to 1"),
        ({"n": 201}, 422, "less than or equal to 200"),
        ({"source": "elsewhere"}, 422, "source must be"),
        ({"source": f"audit:{uuid.uuid4()}"}, 404, "no such audit job"),
        ({"colour": "red"}, 422, "Extra inputs"),
        ({"reviewed_by": "  "}, 422, "reviewed_by"),
    ],
)
def test_bad_requests(
    server: tuple[LiveServer, dict[str, str]], change: dict[str, object], status: int, message: str
) -> None:
    live, keys = server
    with httpx.Client(base_url=live.url, timeout=60) as client:
        response = client.post(
            "/v1/example-sets", json={**BODY, **change}, headers=_auth(keys["trainer"])
        )
    assert response.status_code == status
    assert message in json.dumps(response.json())


def test_audit_source_requires_seeing_the_audit(server: tuple[LiveServer, dict[str, str]]) -> None:
    live, keys = server
    note = (
        "CW Tom Baker met BM Ana Ortiz on 3/4/24. FOB Luis Reyes pushed BM into the wall while"
        " the kids watched. The parents have a volatile relationship."
    )
    upload = json.dumps({"note_id": "n1", "text": note, "unit": "north"}) + "\n"
    with httpx.Client(base_url=live.url, timeout=300) as client:
        job = client.post(
            "/v1/audits",
            files={"file": ("notes.jsonl", upload.encode())},
            headers=_auth(keys["admin"]),
        ).json()
        deadline = time.time() + 120
        while (
            client.get(f"/v1/audits/{job['id']}", headers=_auth(keys["admin"])).json()["state"]
            != "done"
        ):
            assert time.time() < deadline
            time.sleep(0.3)
        body = {**BODY, "n": 2, "source": f"audit:{job['id']}"}
        hidden = client.post("/v1/example-sets", json=body, headers=_auth(keys["trainer"]))
        assert hidden.status_code == 404
        response = client.post("/v1/example-sets", json=body, headers=_auth(keys["admin"]))
    assert response.status_code == 201, response.text
    items = response.json()["items"]
    assert items and all("volatile relationship" in item["text"] for item in items)
    for name in ("Tom", "Baker", "Ana", "Ortiz", "Luis", "Reyes", "3/4/24"):
        assert name not in json.dumps(items)
