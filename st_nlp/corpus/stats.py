"""Corpus statistics: the counts the corpus promises (and that `st-nlp data stats` prints)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from st_nlp.corpus.jsonl import iter_json_lines, read_records
from st_nlp.corpus.paths import DATA_DIR, NOTES_FILE, REWRITES_FILE, SENTENCES_FILE
from st_nlp.corpus.records import NoteRecord, SentenceRecord
from st_nlp.taxonomy import LABELS, Label


@dataclass
class CorpusStats:
    notes_by_source: Counter[str] = field(default_factory=Counter)
    full_notes_by_register: Counter[str] = field(default_factory=Counter)
    full_notes_by_quality: Counter[str] = field(default_factory=Counter)
    sentences: int = 0
    sentences_by_split: Counter[str] = field(default_factory=Counter)
    sentences_by_source: Counter[str] = field(default_factory=Counter)
    positives: Counter[str] = field(default_factory=Counter)
    subtype_spans: Counter[str] = field(default_factory=Counter)
    no_label: int = 0
    perpetrator_sentences: int = 0
    perpetrator_not_male_hetero: int = 0
    distinct_names: int = 0
    sentences_per_note_min: int = 0
    sentences_per_note_max: int = 0
    sentences_per_note_mean: float = 0.0
    rated_notes: int = 0
    rewrites: int = 0
    rewrite_subtypes: Counter[str] = field(default_factory=Counter)

    @property
    def no_label_share(self) -> float:
        return self.no_label / self.sentences if self.sentences else 0.0

    @property
    def perpetrator_not_male_hetero_share(self) -> float:
        if not self.perpetrator_sentences:
            return 0.0
        return self.perpetrator_not_male_hetero / self.perpetrator_sentences


def corpus_stats(data_dir: Path = DATA_DIR) -> CorpusStats:
    stats = CorpusStats()
    notes = {n.note_id: n for _, n in read_records(data_dir / NOTES_FILE, NoteRecord)}
    names: set[str] = set()
    for note in notes.values():
        stats.notes_by_source[note.source] += 1
        if note.source == "note":
            stats.full_notes_by_register[note.register] += 1
            stats.full_notes_by_quality[note.quality_tier or "unrated"] += 1
        if note.rubric is not None:
            stats.rated_notes += 1
        names.update(p.name.strip() for p in note.people if p.name.strip())
    stats.distinct_names = len(names)
    per_note: Counter[str] = Counter()
    for _, sent in read_records(data_dir / SENTENCES_FILE, SentenceRecord):
        stats.sentences += 1
        stats.sentences_by_split[sent.split] += 1
        stats.sentences_by_source[sent.source] += 1
        per_note[sent.note_id] += 1
        for label in sent.labels:
            stats.positives[label] += 1
        for span in sent.spans:
            stats.subtype_spans[span.subtype] += 1
        if not sent.labels:
            stats.no_label += 1
        if Label.PERPETRATOR_PATTERN in sent.labels:
            stats.perpetrator_sentences += 1
            family = notes[sent.note_id].family
            if family is not None and family.known_perpetrator_not_man_in_hetero_couple:
                stats.perpetrator_not_male_hetero += 1
    full = [per_note[n] for n, note in notes.items() if note.source == "note"]
    if full:
        stats.sentences_per_note_min = min(full)
        stats.sentences_per_note_max = max(full)
        stats.sentences_per_note_mean = sum(full) / len(full)
    rewrites = data_dir / REWRITES_FILE
    if rewrites.exists():
        for _, row in iter_json_lines(rewrites):
            stats.rewrites += 1
            for subtype in row.get("subtypes", []):
                stats.rewrite_subtypes[subtype] += 1
            if row.get("vague"):
                stats.rewrite_subtypes[f"vague {row['vague']}"] += 1
    for label in LABELS:
        stats.positives.setdefault(label, 0)
    return stats
