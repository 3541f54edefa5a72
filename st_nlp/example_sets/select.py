"""Choosing examples: candidates from the corpus or an audit folder, then the confident,
diverse ones.

- Corpus: gold-labelled sentences of the label (and subtype), ranked by the model's score
  for that label, so the handout shows what annotators *and* the model agree on.
- Audit folder: `findings.jsonl` (flagged sentences with findings and suggestions), ranked
  by the model's score for the label.
Near-duplicates are dropped (token Jaccard, `st_nlp.corpus.near_duplicates`), then the set
is filled round-robin over (subtype, register) groups so no one kind dominates.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from st_nlp.corpus.jsonl import DataError, iter_json_lines, read_records
from st_nlp.corpus.near_duplicates import near_duplicate_pairs
from st_nlp.corpus.paths import DATA_DIR, NOTES_FILE, SENTENCES_FILE
from st_nlp.corpus.records import NoteRecord, SentenceRecord


@dataclass
class Candidate:
    """A sentence that may become an example (text still identifiable)."""

    key: str
    text: str
    labels: list[str]
    register: str
    subtypes: list[str]
    context: str | None = None  # the whole note, when known (better role inference)
    known_people: dict[str, str] = field(default_factory=dict)
    confidence: float = 0.0


def corpus_candidates(
    label: str, subtype: str | None, data_dir: Path = DATA_DIR
) -> list[Candidate]:
    notes = {n.note_id: n for _, n in read_records(data_dir / NOTES_FILE, NoteRecord)}
    candidates = []
    for _, record in read_records(data_dir / SENTENCES_FILE, SentenceRecord):
        if label not in record.labels:
            continue
        subtypes = sorted({str(s.subtype) for s in record.spans})
        if subtype is not None and subtype not in subtypes:
            continue
        note = notes.get(record.note_id)
        candidates.append(
            Candidate(
                key=record.id,
                text=record.text,
                labels=[str(lb) for lb in record.labels],
                register=record.register,
                subtypes=subtypes,
                context=note.text if note else None,
                known_people={p.name: p.role for p in note.people} if note else {},
            )
        )
    return candidates


def audit_candidates(audit_dir: Path, label: str, subtype: str | None) -> list[Candidate]:
    path = audit_dir / "findings.jsonl"
    if not path.is_file():
        raise DataError(audit_dir, None, "not an audit folder (no findings.jsonl)")
    registers = _audit_registers(audit_dir)
    candidates = []
    for line, row in iter_json_lines(path):
        try:
            text, labels = row["text"], row["labels"]
            findings = row["findings"]
        except KeyError as error:
            raise DataError(path, line, f"missing field {error}") from None
        subtypes = sorted({f["subtype"] for f in findings})
        if label not in labels or (subtype is not None and subtype not in subtypes):
            continue
        candidates.append(
            Candidate(
                key=f"{row.get('note_id')}#{row.get('sentence_index', line)}",
                text=text,
                labels=list(labels),
                register=registers.get(str(row.get("note_id")), "unknown"),
                subtypes=subtypes,
            )
        )
    return candidates


def _audit_registers(audit_dir: Path) -> dict[str, str]:
    """Audit inputs carry no register; a `register` field in notes.jsonl is used if present."""
    path = audit_dir / "notes.jsonl"
    out: dict[str, str] = {}
    if path.is_file():
        with path.open(encoding="utf-8") as handle:
            for raw in handle:
                if raw.strip():
                    row = json.loads(raw)
                    if "register" in row:
                        out[str(row["note_id"])] = str(row["register"])
    return out


def diverse_top(candidates: list[Candidate], n: int, min_confidence: float) -> list[Candidate]:
    """The `n` most confident candidates, near-duplicates dropped, spread over groups."""
    ranked = sorted(candidates, key=lambda c: (-c.confidence, c.key))
    confident = [c for c in ranked if c.confidence >= min_confidence]
    pool = confident if len(confident) >= n else ranked  # not enough confident: fill, flagged
    duplicates = {j for _, j, _ in near_duplicate_pairs([c.text for c in pool])}
    unique = [c for i, c in enumerate(pool) if i not in duplicates]
    groups: OrderedDict[tuple[str, str], list[Candidate]] = OrderedDict()
    for candidate in unique:
        group = (candidate.subtypes[0] if candidate.subtypes else "", candidate.register)
        groups.setdefault(group, []).append(candidate)
    chosen: list[Candidate] = []
    while len(chosen) < n and any(groups.values()):
        for members in groups.values():
            if members and len(chosen) < n:
                chosen.append(members.pop(0))
    return sorted(chosen, key=lambda c: (-c.confidence, c.key))


def to_jsonable(candidate: Candidate) -> dict[str, Any]:
    return {"key": candidate.key, "register": candidate.register, "subtypes": candidate.subtypes}
