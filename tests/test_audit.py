"""Batch audits: outputs, bad rows, resume after an interruption, idempotence."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from st_nlp.audit.reader import AuditNote, InputError, read_notes
from st_nlp.audit.runner import AuditError, run_audit
from st_nlp.cli.main import app
from st_nlp.reviewer import Reviewer

NOTES = [
    {
        "note_id": f"n{i:03d}",
        "text": (
            f"CW met with BM on 3/{i % 28 + 1}/24. FOB punched BM in the face while the children"
            " watched. The parents have a volatile relationship."
            if i % 2
            else f"BM called 911 on 4/{i % 28 + 1}/24 and took the children to MGM's home."
        ),
        "worker_id": f"W{i % 3}",
        "unit": "North" if i % 2 else "South",
        "date": f"2024-0{i % 3 + 1}-1{i % 9}",
    }
    for i in range(40)
]


def _write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture(scope="module")
def reviewer() -> Reviewer:
    return Reviewer.load(suggestions=False)


def test_audit_reader_reports_bad_rows_and_goes_on(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.csv"
    path.write_bytes(
        b"note_id,text,date\n"
        b"a,FOB hit BM.,2024-03-01\n"
        b"b,,2024-03-01\n"
        b"c,CW met BM.,not a date\n"
        b"a,duplicate id,2024-03-01\n"
        b"d,caf\xe9 au lait,2024-03-02\n"
        b'e,"multi\nline note",3/4/2024\n'
    )
    items = list(read_notes(path))
    notes = [i for i in items if isinstance(i, AuditNote)]
    errors = {
        (e.row, e.reason.split(" (")[0].split(":")[0]) for e in items if isinstance(e, InputError)
    }
    assert [n.note_id for n in notes] == ["a", "e"]
    assert notes[1].text == "multi\nline note" and notes[1].month == "2024-03"
    assert errors == {
        (3, "missing or empty text"),
        (4, "bad date"),
        (5, "duplicate note_id"),
        (6, "not valid UTF-8"),
    }


def test_audit_writes_every_output_and_is_idempotent(reviewer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = _write_jsonl(tmp_path / "in.jsonl", [*NOTES[:10], {"note_id": "bad", "text": ""}])
    out = tmp_path / "out"
    summary = run_audit(source, out, reviewer)
    assert summary.notes == 10 and summary.errors == 1
    for name in (
        "notes.jsonl",
        "notes.csv",
        "findings.jsonl",
        "errors.csv",
        "by_worker.csv",
        "by_unit.csv",
        "by_month.csv",
        "summary.json",
        "report.html",
    ):
        assert (out / name).is_file(), name
    report = (out / "report.html").read_text()
    assert "<svg" in report and "volatile relationship" in report
    assert "http" not in report.replace("http-equiv", "")  # self-contained, nothing remote
    with (out / "errors.csv").open() as handle:
        assert list(csv.reader(handle))[1] == ["11", "bad", "missing or empty text"]
    first = (out / "notes.jsonl").read_text()
    again = run_audit(source, out, reviewer)
    assert again.resumed == 10
    assert (out / "notes.jsonl").read_text() == first


def test_audit_refuses_an_output_folder_of_another_input(reviewer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    run_audit(_write_jsonl(tmp_path / "a.jsonl", NOTES[:2]), out, reviewer)
    with pytest.raises(AuditError, match="different input"):
        run_audit(_write_jsonl(tmp_path / "b.jsonl", NOTES[2:4]), out, reviewer)


def test_audit_resumes_after_kill_without_loss_or_duplicates(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Five rounds of the notes (new ids), so the kill after the first batch lands mid-audit
    # however fast the reviewer gets.
    notes = [{**n, "note_id": f"{n['note_id']}-{k}"} for k in range(5) for n in NOTES]
    source = _write_jsonl(tmp_path / "in.jsonl", notes)
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "st_nlp",
        "audit",
        str(source),
        "--out",
        str(out),
        "--no-suggestions",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journal = out / "notes.jsonl"
    deadline = time.time() + 120
    while time.time() < deadline:
        if journal.exists() and journal.read_text().count("\n") >= 16:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done_before = journal.read_text().count("\n")
    assert 0 < done_before < len(notes), "the kill must land mid-audit"
    with journal.open("a") as handle:  # a torn last line, as a kill during a write leaves
        handle.write('{"note_id": "n0')
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    ids = [json.loads(line)["note_id"] for line in journal.read_text().splitlines()]
    assert sorted(ids) == sorted(n["note_id"] for n in notes)
    keys = [
        (row["note_id"], row["sentence_index"])
        for row in map(json.loads, (out / "findings.jsonl").read_text().splitlines())
    ]
    assert len(keys) == len(set(keys)), "no sentence's findings counted twice"


def test_cli_audit_bad_input_path(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = cli.invoke(
        app, ["audit", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2 and "no such file" in result.output
    bad = tmp_path / "notes.xml"
    bad.write_text("<x/>")
    result = cli.invoke(app, ["audit", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "unknown input format" in result.output
