"""Assembling an example set: choose, review, de-identify, record who reviewed it.

Each chosen sentence is reviewed again (findings and suggested rewrites), then the sentence
and its suggestions are de-identified *together with its whole note* when the note is known,
so role cues anywhere in the note name the people ("BM Ana ..." earlier makes "Ana" the
[MOTHER] here) and the same person gets the same token in the sentence and its rewrites.
Finding offsets are re-mapped onto the de-identified text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from st_nlp.corpus.near_duplicates import near_duplicate_pairs
from st_nlp.example_sets.select import (
    Candidate,
    audit_candidates,
    corpus_candidates,
    diverse_top,
)
from st_nlp.taxonomy import LABELS, Label, parse_label, parse_subtype

if TYPE_CHECKING:  # the de-identifier loads Presidio and spaCy: only where a set is built
    from st_nlp.deid.deidentifier import Deidentifier

MAX_N = 200


class ReviewerLike(Protocol):
    """What building needs from `st_nlp.reviewer.Reviewer`."""

    thresholds: Any

    def classify(self, sentences: list[str]) -> list[dict[str, Any]]: ...

    def review_many(self, texts: list[str]) -> list[Any]: ...


@dataclass(frozen=True)
class ExampleItem:
    text: str
    labels: list[str]
    subtype: str | None
    register: str
    findings: list[dict[str, Any]]
    suggestions: list[str]
    confidence: float


@dataclass
class ExampleSet:
    label: str
    subtype: str | None
    source: str
    items: list[ExampleItem]
    created_at: str
    reviewed_by: str | None = None
    reviewed_at: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def draft(self) -> bool:
        """A set stays a draft until a person has reviewed it."""
        return self.reviewed_by is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "subtype": self.subtype,
            "source": self.source,
            "draft": self.draft,
            "status": "DRAFT" if self.draft else "reviewed",
            "reviewed_by": self.reviewed_by,
            "reviewed_at": self.reviewed_at,
            "created_at": self.created_at,
            "notes": self.notes,
            "items": [asdict(item) for item in self.items],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExampleSet:
        return cls(
            label=data["label"],
            subtype=data["subtype"],
            source=data["source"],
            items=[ExampleItem(**item) for item in data["items"]],
            created_at=data["created_at"],
            reviewed_by=data["reviewed_by"],
            reviewed_at=data["reviewed_at"],
            notes=list(data.get("notes", [])),
        )


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_request(label: str, subtype: str | None, n: int) -> tuple[Label, str | None]:
    """Validate the request; `ValueError` with a message naming the field and valid values."""
    parsed = parse_label(label)
    if subtype is not None:
        if parsed is not Label.BLAMING_LANGUAGE:
            raise ValueError("subtype applies only to label blaming_language")
        subtype = str(parse_subtype(subtype))
    if not 1 <= n <= MAX_N:
        raise ValueError(f"n must be between 1 and {MAX_N}, got {n}")
    return parsed, subtype


def build_example_set(
    reviewer: ReviewerLike,
    deid: Deidentifier,
    label: str,
    subtype: str | None,
    n: int,
    source: str | Path,
    reviewed_by: str | None = None,
    data_dir: Path | None = None,
) -> ExampleSet:
    """Build a de-identified set; `source` is "corpus" or an audit folder."""
    parsed, subtype = check_request(label, subtype, n)
    if str(source) == "corpus":
        candidates = (
            corpus_candidates(str(parsed), subtype, data_dir)
            if data_dir
            else corpus_candidates(str(parsed), subtype)
        )
        source_name = "corpus"
    else:
        candidates = audit_candidates(Path(source), str(parsed), subtype)
        source_name = "audit"
    if not candidates:
        wanted = f"{parsed}" + (f"/{subtype}" if subtype else "")
        raise ValueError(f"no sentences labelled {wanted} in the {source_name}")
    index = LABELS.index(parsed)
    scores = reviewer.classify([c.text for c in candidates])
    for candidate, row in zip(candidates, scores, strict=True):
        candidate.confidence = float(row["scores"][str(parsed)])
    threshold = float(reviewer.thresholds[index])
    # Twice as many as asked: sentences that differ only in names become duplicates once
    # de-identified, and are dropped then.
    chosen = diverse_top(candidates, min(2 * n, len(candidates)), threshold)
    items = _distinct(_items(reviewer, deid, chosen, subtype))[:n]
    notes = []
    low = sum(1 for item in items if item.confidence < threshold)
    if low:
        notes.append(f"{low} example(s) below the model's threshold for {parsed}")
    if len(items) < n:
        notes.append(f"only {len(items)} distinct examples available (asked for {n})")
    example_set = ExampleSet(str(parsed), subtype, source_name, items, now(), notes=notes)
    if reviewed_by:
        mark_reviewed(example_set, reviewed_by)
    return example_set


def mark_reviewed(example_set: ExampleSet, reviewer_name: str) -> None:
    name = reviewer_name.strip()
    if not name:
        raise ValueError("reviewed_by must name the person who reviewed the set")
    example_set.reviewed_by = name
    example_set.reviewed_at = now()


def _distinct(items: list[ExampleItem]) -> list[ExampleItem]:
    """Drop items whose de-identified text nearly repeats an earlier (more confident) one."""
    duplicates = {j for _, j, _ in near_duplicate_pairs([item.text for item in items])}
    seen: set[str] = set()
    kept = []
    for index, item in enumerate(items):
        if index not in duplicates and item.text not in seen:
            kept.append(item)
            seen.add(item.text)
    return kept


def _items(
    reviewer: ReviewerLike, deid: Deidentifier, chosen: list[Candidate], subtype: str | None
) -> list[ExampleItem]:
    results = reviewer.review_many([c.text for c in chosen])
    items = []
    for candidate, result in zip(chosen, results, strict=True):
        findings = [f for s in result.sentences for f in s.findings]
        suggestions = [str(g["text"]) for s in result.sentences for g in s.suggestions]
        texts = [candidate.text, *suggestions]
        if candidate.context:
            texts.append(candidate.context)
        clean = deid.deidentify_together(texts, candidate.known_people)
        sentence = clean[0]
        mapped = []
        for finding in findings:
            start, end = sentence.map_span(finding.start, finding.end)
            mapped.append(
                {
                    "rule_id": finding.rule_id,
                    "subtype": finding.subtype,
                    "start": start,
                    "end": end,
                    "phrase": sentence.text[start:end],
                    "message": finding.message,
                    "severity": finding.severity,
                }
            )
        found_subtypes = [f["subtype"] for f in mapped]
        items.append(
            ExampleItem(
                text=sentence.text,
                labels=candidate.labels,
                subtype=subtype
                or (found_subtypes[0] if found_subtypes else None)
                or (candidate.subtypes[0] if candidate.subtypes else None),
                register=candidate.register,
                findings=mapped,
                suggestions=[r.text for r in clean[1 : 1 + len(suggestions)]],
                confidence=round(candidate.confidence, 4),
            )
        )
    return items
