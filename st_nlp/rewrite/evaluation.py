"""Scoring the rewriter on held-out data (`st-nlp evaluate-rewrites`).

Two sets: the test split of the curated pairs (`rewrites.jsonl`, each original as a one-sentence
note with the writer's context as caller context, scored against the writer's rewrite too) and
the flagged sentences of the corpus test split (`sentences.jsonl`; gold labels decide which
sentences are flagged, each rewritten inside its whole note so the note's names are used).
The rewriter is given the gold labels, so the figures measure the rewriter, not the classifier.

Measures, over suggestions (first suggestion for similarity):
- coverage: flagged sentences with at least one suggestion;
- not blaming: suggestions the full reviewer (rules + classifier, on the whole suggestion text,
  placeholders included) does not label `blaming_language` (the run-time check for built-in
  drafts); also a stricter view with the placeholders and relative time expressions blanked
  (the run-time check for a model's drafts);
- facts kept: every name, date, time (relative time expressions such as "again last week"
  included), number and quoted span of the sentence in the suggestion
  (literally in the text or in the "[also from the original: ...]" prompt the rewriter appends;
  the share that needed that note is reported too);
- grounded new words: content words of a suggestion that are not in the sentence and that sit
  inside a [placeholder] or come from the note (or caller context), over all such new words;
- similarity: chrF (sacreBLEU, default chrF2 settings, corpus level) of the first suggestion
  against the writer's rewrite, and the mean sentence-level chrF.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sacrebleu.metrics.chrf import CHRF

from st_nlp.corpus.jsonl import read_records
from st_nlp.corpus.paths import REWRITES_FILE, SENTENCES_FILE
from st_nlp.corpus.records import SentenceRecord
from st_nlp.corpus.rewrite_records import RewritePair
from st_nlp.reviewer import Reviewer, SentenceResult
from st_nlp.rewrite.facts import FUNCTION_WORDS, extract_facts, missing_facts
from st_nlp.rewrite.rewriter import FactBasedRewriter, needs_suggestion
from st_nlp.taxonomy import LABELS, Label

TARGETS = {
    "coverage": 0.98,
    "not_blaming": 0.95,
    "facts_kept": 1.0,
    "grounded_new_words": 0.95,
}
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_BRACKETED = re.compile(r"\[[^\[\]]*\]")


@dataclass
class Tally:
    flagged: int = 0
    with_suggestion: int = 0
    suggestions: int = 0
    not_blaming: int = 0
    not_blaming_blanked: int = 0
    facts_kept: int = 0
    kept_by_note: int = 0
    new_words: int = 0
    grounded_new_words: int = 0
    strategies: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    hypotheses: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        def share(part: int, whole: int) -> float | None:
            return round(part / whole, 4) if whole else None

        result: dict[str, Any] = {
            "flagged_sentences": self.flagged,
            "suggestions": self.suggestions,
            "coverage": share(self.with_suggestion, self.flagged),
            "not_blaming": share(self.not_blaming, self.suggestions),
            "not_blaming_placeholders_blanked": share(self.not_blaming_blanked, self.suggestions),
            "facts_kept": share(self.facts_kept, self.suggestions),
            "facts_kept_via_note": share(self.kept_by_note, self.suggestions),
            "grounded_new_words": share(self.grounded_new_words, self.new_words),
            "new_content_words": self.new_words,
            "strategies": dict(sorted(self.strategies.items())),
        }
        if self.references:
            chrf = CHRF()
            result["chrf_corpus"] = round(
                chrf.corpus_score(self.hypotheses, [self.references]).score, 2
            )
            sentence_scores = [
                chrf.sentence_score(h, [r]).score
                for h, r in zip(self.hypotheses, self.references, strict=True)
            ]
            result["chrf_sentence_mean"] = round(sum(sentence_scores) / len(sentence_scores), 2)
            result["references"] = len(self.references)
        return result


def _grounding(sentence: str, suggestion: str, note_text: str) -> tuple[int, int]:
    """(new content words, of which inside placeholders or from the note)."""
    known_sentence = {w.lower() for w in _WORD.findall(sentence)}
    known_note = {w.lower() for w in _WORD.findall(note_text)}
    inside = [w for p in _BRACKETED.findall(suggestion) for w in _WORD.findall(p)]
    outside = _WORD.findall(_BRACKETED.sub(" ", suggestion))
    new_total = grounded = 0
    for words, in_placeholder in ((inside, True), (outside, False)):
        for word in words:
            lower = word.lower()
            if lower in FUNCTION_WORDS or lower in known_sentence:
                continue
            new_total += 1
            grounded += in_placeholder or lower in known_note
    return new_total, grounded


class RewriteScorer:
    """Runs the reviewer's rewriter on gold-flagged sentences and tallies the measures."""

    def __init__(self, reviewer: Reviewer) -> None:
        if not isinstance(reviewer.rewriter, FactBasedRewriter):
            raise ValueError("the reviewer has no rewriter (load it with suggestions=True)")
        self.reviewer = reviewer
        self.rewriter: FactBasedRewriter = reviewer.rewriter

    def score_note(
        self,
        tally: Tally,
        note_text: str,
        gold: list[tuple[int, int, list[str]]],
        context: dict[str, Any] | None = None,
        reference: str | None = None,
        context_text: str = "",
    ) -> None:
        """Rewrite the flagged sentences of one note (gold offsets and labels) and tally them."""
        reviewer = self.reviewer
        doc = reviewer.nlp(note_text)
        findings = reviewer.rules.find(doc)
        results = [
            SentenceResult(
                text=note_text[start:end],
                start=start,
                end=end,
                labels=labels,
                scores={str(lb): float(str(lb) in labels) for lb in LABELS},
                findings=[f for f in findings if start <= f.start < end]
                if Label.BLAMING_LANGUAGE in labels
                else [],
            )
            for start, end, labels in gold
        ]
        self.rewriter.suggest_note(results, doc, context)
        grounding_text = note_text + " " + context_text
        for result in results:
            if not needs_suggestion(result.labels):
                continue
            tally.flagged += 1
            tally.with_suggestion += bool(result.suggestions)
            facts = extract_facts(reviewer.nlp(result.text), relative_times=True)
            texts = [s["text"] for s in result.suggestions]
            classified = reviewer.classify(texts) if texts else []
            for suggestion, labels in zip(result.suggestions, classified, strict=True):
                text = suggestion["text"]
                tally.suggestions += 1
                tally.strategies[suggestion["strategy"]] += 1
                tally.not_blaming += Label.BLAMING_LANGUAGE not in labels["labels"]
                tally.not_blaming_blanked += not self.rewriter.still_blaming(
                    text, blank_prompts=True
                )
                tally.facts_kept += not missing_facts(facts, text)
                tally.kept_by_note += "[also from the original:" in text
                new, grounded = _grounding(result.text, text, grounding_text)
                tally.new_words += new
                tally.grounded_new_words += grounded
            if reference is not None:
                tally.hypotheses.append(texts[0] if texts else "")
                tally.references.append(reference)


def context_of(pair: RewritePair) -> tuple[dict[str, Any], str]:
    """The writer's context as caller context (`parties`), and its text for grounding."""
    parties = []
    for role in ("perpetrator", "survivor"):
        mention = getattr(pair.context, role)
        if mention:
            name = re.sub(r"\s*\([^)]*\)", "", mention).strip()
            if name:
                parties.append({"name": name, "role": role})
    text = " ".join(v for v in pair.context.model_dump().values() if v)
    return {"parties": parties}, text


def pair_labels(pair: RewritePair) -> list[str]:
    """Gold labels of a pair's original: blaming when it has subtypes, else its vague kind."""
    if pair.subtypes:
        return [str(Label.BLAMING_LANGUAGE)]
    if pair.vague == "perpetrator":
        return [str(Label.PERPETRATOR_PATTERN)]
    return [str(Label.SURVIVOR_PROTECTIVE_ACTION)]


def evaluate_rewrites(
    reviewer: Reviewer,
    data_dir: Path,
    split: str = "test",
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Both held-out sets' measures, with the targets, as a JSON-ready dict."""
    scorer = RewriteScorer(reviewer)
    pairs_tally = Tally()
    pairs = [p for _, p in read_records(data_dir / REWRITES_FILE, RewritePair) if p.split == split]
    for pair in pairs:
        context, context_text = context_of(pair)
        scorer.score_note(
            pairs_tally,
            pair.original,
            [(0, len(pair.original), pair_labels(pair))],
            context,
            reference=pair.rewrite,
            context_text=context_text,
        )
    if progress:
        progress(f"scored {len(pairs)} held-out rewrite pairs")
    corpus_tally = Tally()
    by_note: dict[str, list[SentenceRecord]] = defaultdict(list)
    for _, record in read_records(data_dir / SENTENCES_FILE, SentenceRecord):
        if record.split == split:
            by_note[record.note_id].append(record)
    from st_nlp.corpus.records import NoteRecord

    notes = {
        n.note_id: n.text
        for _, n in read_records(data_dir / "notes.jsonl", NoteRecord)
        if n.note_id in by_note
    }
    for note_id in sorted(by_note):
        sentences = by_note[note_id]
        if not any(needs_suggestion([str(x) for x in s.labels]) for s in sentences):
            continue
        gold = [(s.start, s.end, [str(x) for x in s.labels]) for s in sentences]
        scorer.score_note(corpus_tally, notes[note_id], gold)
    if progress:
        progress(f"scored the flagged sentences of {len(by_note)} {split} notes")
    return {
        "split": split,
        "similarity_metric": "chrF (sacreBLEU CHRF defaults: char order 6, beta 2)",
        "targets": TARGETS,
        "rewrite_pairs": pairs_tally.report(),
        "corpus_sentences": corpus_tally.report(),
    }
