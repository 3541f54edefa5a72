"""`st-nlp audit`: review many notes into an output folder, resumably and idempotently.

Output folder:
- `notes.jsonl`: one result per note (scores, counts, components; no note text), appended and
  flushed note by note. It is the journal a resumed run reads to skip finished notes.
- `findings.jsonl`: one line per flagged sentence (the sentence, its findings and suggestions),
  written *before* its note's line, so a note in `notes.jsonl` always has all its findings.
- `errors.csv`: rows that could not be audited, with row number and reason.
- `audit.json`: the input's checksum and the model, so a resume with other input is refused.
- after the last note: `notes.csv`, `by_worker.csv`, `by_unit.csv`, `by_month.csv`,
  `summary.json` and `report.html` (see `st_nlp.audit.report`).

After Ctrl-C or kill -9, re-running the same command drops a half-written last line, drops
findings of notes that have no note line, skips finished notes and produces the same outputs:
no note is lost or counted twice.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from st_nlp.audit.reader import AuditNote, InputError, count_rows, read_notes
from st_nlp.model_store import sha256_file
from st_nlp.parallel import ParallelReviewer
from st_nlp.reviewer import Reviewer, ReviewResult

NOTES = "notes.jsonl"
FINDINGS = "findings.jsonl"
ERRORS = "errors.csv"
STATE = "audit.json"
BATCH = 16


class AuditError(ValueError):
    """The audit cannot start (e.g. the output folder belongs to another input)."""


@dataclass(frozen=True)
class AuditSummary:
    notes: int
    resumed: int
    errors: int
    sentences: int
    out_dir: Path


def _complete_lines(path: Path) -> Iterator[dict[str, Any]]:
    """Parsed complete lines of a journal; a torn last line (kill -9) is cut off the file."""
    if not path.exists():
        return
    with path.open("rb+") as handle:
        data = handle.read()
        cut = len(data)
        if data and not data.endswith(b"\n"):
            cut = data.rfind(b"\n") + 1
            handle.truncate(cut)
    for raw in data[:cut].splitlines():
        if raw.strip():
            yield json.loads(raw)


def _prepare(input_path: Path, out_dir: Path, model_id: str) -> set[str]:
    """Check or write the state file; return the note ids already finished."""
    out_dir.mkdir(parents=True, exist_ok=True)
    state_path = out_dir / STATE
    state = {"input_sha256": sha256_file(input_path), "model": model_id}
    if state_path.exists():
        previous = json.loads(state_path.read_text())
        if previous != state:
            raise AuditError(
                f"{out_dir} holds an audit of a different input or model; use another --out"
            )
    else:
        state_path.write_text(json.dumps(state, indent=2) + "\n")
    done = {row["note_id"] for row in _complete_lines(out_dir / NOTES)}
    findings_path = out_dir / FINDINGS
    findings = list(_complete_lines(findings_path))
    kept = [row for row in findings if row["note_id"] in done]
    if len(kept) != len(findings):  # findings of a note interrupted before its note line
        with findings_path.open("w", encoding="utf-8") as handle:
            for row in kept:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return done


def note_row(note: AuditNote, result: ReviewResult) -> dict[str, Any]:
    quality = result.quality
    return {
        "note_id": note.note_id,
        "row": note.row,
        "case_id": note.case_id,
        "worker_id": note.worker_id,
        "unit": note.unit,
        "date": note.date.isoformat() if note.date else None,
        "month": note.month,
        "score": quality.score,
        "sentences": quality.sentences,
        "dv_relevant_sentences": quality.dv_relevant_sentences,
        "fact_share": quality.fact_share,
        "blaming_findings": quality.blaming_findings,
        "blaming_per_100": quality.blaming_per_100,
        "blaming_by_subtype": quality.blaming_by_subtype,
        "vague_characterizations": quality.vague_characterizations,
        "quotes": quality.quotes,
        "components": quality.components,
    }


def finding_rows(note: AuditNote, result: ReviewResult) -> list[dict[str, Any]]:
    rows = []
    for index, sentence in enumerate(result.sentences):
        if not sentence.findings and not sentence.suggestions:
            continue
        rows.append(
            {
                "note_id": note.note_id,
                "sentence_index": index,
                "start": sentence.start,
                "end": sentence.end,
                "text": sentence.text,
                "labels": sentence.labels,
                "findings": [
                    {**f.to_dict(), "phrase": note.text[f.start : f.end]} for f in sentence.findings
                ],
                "suggestions": [s["text"] for s in sentence.suggestions],
            }
        )
    return rows


def run_audit(
    input_path: Path,
    out_dir: Path,
    reviewer: Reviewer | ParallelReviewer,
    on_progress: Callable[[int, int], None] | None = None,
) -> AuditSummary:
    """Audit every note of `input_path` into `out_dir`; resumes a previous interrupted run.

    With a `ParallelReviewer`, `workers` batches are reviewed at once and written in order.
    """
    model_id = str(reviewer.model_dir) if reviewer.model_dir else "custom"
    done = _prepare(input_path, out_dir, model_id)
    resumed = len(done)
    errors: list[InputError] = []
    total = count_rows(input_path)
    processed = 0
    sentences = 0
    notes_handle = (out_dir / NOTES).open("a", encoding="utf-8")
    findings_handle = (out_dir / FINDINGS).open("a", encoding="utf-8")
    pending: list[AuditNote] = []
    window = BATCH * (reviewer.workers if isinstance(reviewer, ParallelReviewer) else 1)

    def review(notes: list[AuditNote]) -> list[ReviewResult]:
        batches = [[n.text for n in notes[i : i + BATCH]] for i in range(0, len(notes), BATCH)]
        if isinstance(reviewer, ParallelReviewer):
            return [r for batch in reviewer.review_batches(batches) for r in batch]
        return [r for batch in batches for r in reviewer.review_many(batch)]

    def flush() -> None:
        nonlocal sentences
        if not pending:
            return
        results = review(pending)
        for note, result in zip(pending, results, strict=True):
            for row in finding_rows(note, result):
                findings_handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            findings_handle.flush()
            notes_handle.write(json.dumps(note_row(note, result), ensure_ascii=False) + "\n")
            notes_handle.flush()
            sentences += len(result.sentences)
        os.fsync(notes_handle.fileno())
        pending.clear()

    try:
        for item in read_notes(input_path):
            processed += 1
            if isinstance(item, InputError):
                errors.append(item)
            elif item.note_id not in done:
                pending.append(item)
                if len(pending) >= window:
                    flush()
            if on_progress is not None:
                on_progress(processed, total)
        flush()
    finally:
        notes_handle.close()
        findings_handle.close()
    _write_errors(out_dir / ERRORS, errors)
    from st_nlp.audit.report import finalize

    notes = finalize(out_dir)
    return AuditSummary(notes, resumed, len(errors), sentences, out_dir)


def _write_errors(path: Path, errors: list[InputError]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "note_id", "reason"])
        for error in errors:
            writer.writerow([error.row, error.note_id or "", error.reason])
