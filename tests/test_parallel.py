"""`--workers N` for `st-nlp audit` and `st-nlp classify`: the same outputs as one process, in
the same order."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from st_nlp.bench.workload import build_workload, write_notes_jsonl
from st_nlp.cli.main import app
from st_nlp.model_store import DEFAULT_MODEL, REPO_MODELS_DIR


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


def test_classify_with_two_workers_matches_one_process(tmp_path: Path, cli: CliRunner) -> None:
    sentences = build_workload(n_sentences=300, n_notes=1, seed=5).sentences
    source = tmp_path / "sentences.txt"
    source.write_text("\n".join(sentences) + "\n")
    outputs = []
    for workers in (1, 2):
        result = cli.invoke(app, ["classify", str(source), "-w", str(workers)])
        assert result.exit_code == 0, result.output
        outputs.append([json.loads(line) for line in result.output.splitlines()])
    assert outputs[1] == outputs[0]
    assert [row["text"] for row in outputs[1]] == sentences


def test_workers_report_a_model_they_cannot_load(tmp_path: Path, cli: CliRunner) -> None:
    """A model that fails its checksum in the workers is a clear error, not a pool that keeps
    starting workers that die."""
    broken = tmp_path / "model"
    shutil.copytree(REPO_MODELS_DIR / DEFAULT_MODEL, broken)
    head = broken / "tfidf_logreg.skops"
    head.write_bytes(head.read_bytes() + b"\0")
    source = tmp_path / "sentences.txt"
    source.write_text("FOB punched BM on 3/9.\n")
    result = cli.invoke(app, ["classify", str(source), "-w", "2", "--model", str(broken)])
    assert result.exit_code != 0
    assert "checksum" in result.output.lower()
