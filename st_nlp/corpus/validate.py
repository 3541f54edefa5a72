"""Validating the corpus: every problem found, each located by file and line.

Checks: records parse against the schema (unknown labels and subtypes, missing fields,
offsets that disagree with the text, spans outside their sentence); duplicate ids; each sentence
is exactly `note.text[start:end]`; sentences of a note do not overlap; a sentence's split,
register and source match its note's; augmented data only in train and at most 15 % of it; and
no near-duplicate sentence (token Jaccard >= 0.8) across splits. When `rewrites.jsonl` exists, its
curated pairs are checked too (`validate_rewrites`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from st_nlp.corpus.jsonl import DataError, read_records
from st_nlp.corpus.near_duplicates import JACCARD_THRESHOLD, near_duplicate_pairs
from st_nlp.corpus.paths import DATA_DIR, NOTES_FILE, REWRITES_FILE, SENTENCES_FILE
from st_nlp.corpus.records import NoteRecord, SentenceRecord
from st_nlp.corpus.rewrite_records import RewritePair

MAX_AUGMENTED_SHARE_OF_TRAIN = 0.15


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )


def _load(path: Path, model, problems: list[Problem]):  # type: ignore[no-untyped-def]
    records = []
    try:
        for number, record in read_records(path, model):
            records.append((number, record))
    except DataError as error:
        problems.append(Problem(error.path, error.line, error.reason))
    return records


def validate_corpus(data_dir: Path = DATA_DIR) -> list[Problem]:
    """Return every problem in `notes.jsonl`, `sentences.jsonl` and `rewrites.jsonl`."""
    problems = _validate_sentences(data_dir)
    if (data_dir / REWRITES_FILE).exists():
        problems += validate_rewrites(data_dir / REWRITES_FILE)
    return problems


def validate_rewrites(path: Path) -> list[Problem]:
    """Curated pairs: schema and brackets, unique ids, every fact of the original kept in the
    rewrite, no near-duplicate original or rewrite across splits."""
    from st_nlp.corpus.rewrite_curation import fact_problem
    from st_nlp.nlp import load_pipeline

    problems: list[Problem] = []
    pairs: list[tuple[int, RewritePair]] = _load(path, RewritePair, problems)
    if problems:
        return problems
    where = str(path)
    seen: set[str] = set()
    nlp = load_pipeline(disable=("ner",))
    for number, pair in pairs:
        if pair.id in seen:
            problems.append(Problem(where, number, f"duplicate id {pair.id!r}"))
        seen.add(pair.id)
        problem = fact_problem(nlp, pair.original, pair.rewrite)
        if problem:
            problems.append(Problem(where, number, f"{pair.id}: {problem}"))
    for field in ("original", "rewrite"):
        texts = [getattr(pair, field) for _, pair in pairs]
        for i, j, score in near_duplicate_pairs(texts):
            (line_i, a), (line_j, b) = pairs[i], pairs[j]
            if a.split != b.split:
                problems.append(
                    Problem(
                        where,
                        line_j,
                        f"{field} is a near-duplicate of line {line_i} across splits"
                        f" ({a.split}/{b.split}, token Jaccard {score:.2f})",
                    )
                )
    return problems


def _validate_sentences(data_dir: Path) -> list[Problem]:
    problems: list[Problem] = []
    notes_path, sentences_path = data_dir / NOTES_FILE, data_dir / SENTENCES_FILE
    notes: list[tuple[int, NoteRecord]] = _load(notes_path, NoteRecord, problems)
    sentences: list[tuple[int, SentenceRecord]] = _load(sentences_path, SentenceRecord, problems)
    if problems:  # schema errors stop the file at the first bad line; report them first
        return problems

    by_note: dict[str, NoteRecord] = {}
    for number, note in notes:
        if note.note_id in by_note:
            problems.append(Problem(str(notes_path), number, f"duplicate note_id {note.note_id!r}"))
        by_note[note.note_id] = note

    seen: set[str] = set()
    last_end: dict[str, int] = {}
    sp = str(sentences_path)
    for number, sent in sentences:
        if sent.id in seen:
            problems.append(Problem(sp, number, f"duplicate id {sent.id!r}"))
        seen.add(sent.id)
        found = by_note.get(sent.note_id)
        if found is None:
            problems.append(Problem(sp, number, f"note_id {sent.note_id!r} is not in {NOTES_FILE}"))
            continue
        note = found
        if note.text[sent.start : sent.end] != sent.text:
            problems.append(
                Problem(sp, number, f"offsets {sent.start}..{sent.end} do not match the note text")
            )
        if sent.start < last_end.get(sent.note_id, 0):
            problems.append(Problem(sp, number, "sentence overlaps the previous one of its note"))
        last_end[sent.note_id] = sent.end
        for field in ("split", "register", "source"):
            if getattr(sent, field) != getattr(note, field):
                problems.append(
                    Problem(
                        sp,
                        number,
                        f"field '{field}' differs from its note's ({getattr(note, field)})",
                    )
                )

    train_sources = Counter(s.source for _, s in sentences if s.split == "train")
    train_total = sum(train_sources.values())
    if train_total and train_sources["augmented"] / train_total > MAX_AUGMENTED_SHARE_OF_TRAIN:
        share = train_sources["augmented"] / train_total
        problems.append(
            Problem(sp, None, f"augmented sentences are {share:.1%} of train (limit 15%)")
        )
    for number, sent in sentences:
        if sent.source == "augmented" and sent.split != "train":
            problems.append(Problem(sp, number, "augmented sentence outside the train split"))

    texts = [s.text for _, s in sentences]
    for i, j, score in near_duplicate_pairs(texts):
        (line_i, a), (line_j, b) = sentences[i], sentences[j]
        if a.split != b.split:
            problems.append(
                Problem(
                    sp,
                    line_j,
                    f"near-duplicate of line {line_i} across splits ({a.split}/{b.split},"
                    f" token Jaccard {score:.2f} >= {JACCARD_THRESHOLD})",
                )
            )
    return problems
