"""`st-nlp audit --workers N`: the same outputs as one process, in the same order."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from st_nlp.bench.workload import build_workload, write_notes_jsonl
from st_nlp.cli.main import app


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_audit_with_two_workers_matches_one_process(tmp_path: Path, cli: CliRunner) -> None:
    notes = build_workload(n_sentences=10, n_notes=40, seed=3).notes
    source = write_notes_jsonl(notes, tmp_path / "notes.jsonl")
    for workers in (1, 2):
        result = cli.invoke(
            app,
            ["audit", str(source), "--out", str(tmp_path / f"w{workers}"), "-w", str(workers)],
        )
        assert result.exit_code == 0, result.output
    for name in ("notes.jsonl", "findings.jsonl"):
        assert _lines(tmp_path / "w2" / name) == _lines(tmp_path / "w1" / name)
    assert len(_lines(tmp_path / "w2" / "notes.jsonl")) == 40
