"""The `Reviewer`: case note in, sentences with labels, scores, findings and suggestions out.

Like Presidio's analyzer engine, it runs a fixed sequence of steps and every result carries
its evidence: segment (spaCy + case-note hints) -> classify (the model folder's classifier)
-> findings (blaming-language rules, which also lift the blaming score when they fire, and
the learned span tagger for wordings no rule knows) ->
suggestions (fact-based rewrites, when a rewriter is configured) -> note-level quality.

Offsets are Python string indices (Unicode code points) into the text passed in.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol, cast

import numpy as np
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

from st_nlp.classifiers.base import SentenceClassifier, get_loader
from st_nlp.classifiers.cache import ScoreCache
from st_nlp.classifiers.ensemble import EnsembleClassifier
from st_nlp.classifiers.minilm import MiniLMClassifier
from st_nlp.classifiers.onnx_minilm import RUNTIMES, to_onnx
from st_nlp.markup import plain_view
from st_nlp.model_store import read_config, resolve_model_dir
from st_nlp.nlp import load_pipeline
from st_nlp.normal_form import nfc_view
from st_nlp.quality import QualityReport, QualityWeights, assess
from st_nlp.review_cache import (
    LruMemo,
    MemoizedExamples,
    MemoizedNoteParser,
    MemoizedPipeline,
    RewriterView,
)
from st_nlp.rules.engine import BlamingRules, Finding
from st_nlp.rules.triggers import RuleTriggers
from st_nlp.segment import check_length, parse_notes, sentence_spans
from st_nlp.spaces import same_width
from st_nlp.spans.actor import names_a_violent_actor, names_its_actor
from st_nlp.spans.boundaries import complete_phrase
from st_nlp.spans.tagger import SpanTagger, TaggedSpan
from st_nlp.taxonomy import LABELS, SUBTYPE_INFO, BlameSubtype, Label
from st_nlp.text_view import TextView, chain

BLAMING_INDEX = LABELS.index(Label.BLAMING_LANGUAGE)
AGENTLESS = str(BlameSubtype.AGENTLESS)
RUNTIME_ENV = "ST_NLP_RUNTIME"
DEFAULT_RUNTIME = "onnx-int8"
DEFAULT_CACHE_SIZE = 20_000
# Parsed docs are the biggest cached values (tens of kB each): fewer of them.
DOC_CACHE_SIZE = 4_096
NOTE_CACHE_SIZE = 256
# A tagger span that is still one word once carried to the end of its phrase is dropped unless
# the tagger is this sure of it: the codebook marks phrases (a modifier with its head, a verb
# with its complement), and lone words the tagger is less sure of were mostly noise ("so",
# "risk", "options") or the core of a longer annotated phrase. On dev, 39 lone-word tagger
# findings, none with the annotated offsets and 45 % overlapping any; dropping those under 0.95
# raised exact span F1 0.387 -> 0.410 with overlap F1 unchanged (0.758 -> 0.759); dropping all
# of them gave 0.415 but overlap 0.750.
LONE_WORD_MIN_SCORE = 0.95
# Invented; one blaming sentence, so the warm-up runs the tagger and the rewriter too.
WARM_UP_NOTE = "CW met with the family on 3/4. The parents have a volatile relationship."


def default_runtime() -> str:
    """`$ST_NLP_RUNTIME` (torch, onnx-fp32 or onnx-int8), else onnx-int8."""
    import os

    return os.environ.get(RUNTIME_ENV) or DEFAULT_RUNTIME


class Rewriter(Protocol):
    """Sentences with findings + the parsed note + caller context in; fills `suggestions`."""

    @property
    def cache_token(self) -> str | None:
        """What sets this rewriter's output apart from another's, for the note memo's key;
        None when its output must not be memoized (it may differ for the same input)."""
        ...

    def prepare(self, sentences: Sequence[tuple[str, list[str]]]) -> None:
        """Told the `(text, labels)` of every sentence of a batch of notes before their
        `suggest_note` calls, so that per-sentence lookups can run in one batch."""
        ...

    def suggest_note(
        self, sentences: list[SentenceResult], doc: Doc, context: dict[str, Any] | None
    ) -> None: ...


@dataclass
class SentenceResult:
    text: str
    start: int
    end: int
    labels: list[str]
    scores: dict[str, float]
    findings: list[Finding] = field(default_factory=list)
    suggestions: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "labels": self.labels,
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
            "findings": [f.to_dict() for f in self.findings],
            "suggestions": self.suggestions,
        }


@dataclass
class ReviewResult:
    sentences: list[SentenceResult]
    quality: QualityReport

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentences": [s.to_dict() for s in self.sentences],
            "quality": self.quality.to_dict(),
        }


class Reviewer:
    """Reviews case notes with a trained model folder and the blaming-language rules."""

    def __init__(
        self,
        classifier: SentenceClassifier,
        thresholds: np.ndarray,
        rule_floor: float,
        nlp: Language | None = None,
        rewriter: Rewriter | None = None,
        quality_weights: QualityWeights | None = None,
        model_dir: Path | None = None,
        tagger: SpanTagger | None = None,
        cache: ScoreCache | None = None,
        blaming_without_evidence: float | None = None,
    ) -> None:
        self.classifier = classifier
        self.tagger = tagger
        self.cache = cache
        self.thresholds = thresholds
        self.rule_floor = rule_floor
        # A sentence whose blaming words neither a rule nor the span tagger can point at needs
        # this higher score to be called blaming language (chosen on dev at training time): a
        # finding the writer cannot see the words of is hard to act on, and such borderline
        # scores are mostly false alarms on plain behavioral facts.
        self.blaming_without_evidence = (
            float(thresholds[BLAMING_INDEX])
            if blaming_without_evidence is None
            else max(float(blaming_without_evidence), float(thresholds[BLAMING_INDEX]))
        )
        self.nlp = nlp or load_pipeline(disable=("ner",))
        self.rules = BlamingRules(self.nlp)
        self.triggers = RuleTriggers(self.nlp, self.rules.rule_file.rules)
        self.rewriter = rewriter
        self.quality_weights = quality_weights or QualityWeights()
        self.model_dir = model_dir
        # With the score cache on, the tagger's spans are memoized per sentence as well (they
        # depend on the sentence's text alone).
        self.tagged_memo: LruMemo[list[TaggedSpan]] | None = (
            LruMemo(f"tagger|{cache.model_version}", cache.maxsize) if cache is not None else None
        )
        self.note_parser: MemoizedNoteParser | None = (
            MemoizedNoteParser(self.nlp, self.rules, min(cache.maxsize, DOC_CACHE_SIZE))
            if cache is not None
            else None
        )
        self.note_memo: LruMemo[ReviewResult] | None = (
            LruMemo(f"note|{cache.model_version}", NOTE_CACHE_SIZE) if cache is not None else None
        )

    def rewriter_view(self) -> Reviewer:
        """What the rewriter should hold as its reviewer: with the cache on, a view that parses
        short texts through an LRU and scores through the score cache (same results, since
        both are functions of the text alone); without it, the reviewer itself."""
        if self.cache is None:
            return self
        size = min(self.cache.maxsize, DOC_CACHE_SIZE)
        view = RewriterView(self, MemoizedPipeline(self.nlp, size), self.cache)
        return cast("Reviewer", view)

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        *,
        suggestions: bool = True,
        examples: Path | None = None,
        runtime: str | None = None,
        cache_size: int = DEFAULT_CACHE_SIZE,
    ) -> Reviewer:
        """Load a model folder (the bundled default when `path` is None).

        `suggestions=False` skips the rewrite step (batch jobs that only need labels).
        `examples`: curated rewrite pairs for retrieval (default `$ST_NLP_REWRITE_EXAMPLES`,
        else `annotation/data/rewrites.jsonl`; without the file, suggestions carry no example).
        The optional LLM backend is configured by `ST_NLP_LLM_*` (see `st_nlp.rewrite.llm`).
        `runtime` runs the MiniLM member with eager PyTorch (`torch`, the reference) or ONNX
        Runtime (`onnx-fp32`, `onnx-int8`: faster; see `st_nlp.classifiers.onnx_minilm`); with
        an ONNX runtime the span tagger and the retrieval read the frozen base through ONNX
        Runtime too, in fp32 or int8 as the MiniLM member (`st_nlp.classifiers.onnx_encoder`);
        default: `default_runtime()`.
        `cache_size` bounds the in-memory sentence-score cache (0 turns it off).
        """
        runtime = runtime or default_runtime()
        if runtime not in RUNTIMES:
            raise ValueError(f"runtime {runtime!r} is invalid; must be one of {list(RUNTIMES)}")
        folder = resolve_model_dir(path)
        config = read_config(folder)
        classifier = get_loader(config["architecture"])(folder)
        model_key = json.dumps(
            [config.get("artifacts"), config.get("base_model_sha256")], sort_keys=True
        )
        if (
            runtime != "torch"
            and isinstance(classifier, EnsembleClassifier)
            and isinstance(classifier.minilm, MiniLMClassifier)
        ):
            classifier.minilm = to_onnx(classifier.minilm, model_key, runtime)
        combination = config.get("combination", {})
        thresholds = np.array(
            [combination.get("thresholds", {}).get(str(lb), 0.5) for lb in LABELS]
        )
        weights = (
            QualityWeights(**config["quality_weights"]) if "quality_weights" in config else None
        )
        reviewer = cls(
            classifier,
            thresholds,
            float(config.get("rule_floor", 0.0)),
            quality_weights=weights,
            model_dir=folder,
            tagger=SpanTagger.load(
                folder / "span_tagger.safetensors", config["span_tagger"], runtime
            )
            if "span_tagger" in config
            else None,
            cache=ScoreCache(f"{model_key}|{runtime}", cache_size) if cache_size else None,
            blaming_without_evidence=config.get("blaming_without_evidence"),
        )
        if suggestions:
            from st_nlp.rewrite.llm import ChatCompletionsBackend
            from st_nlp.rewrite.retrieval import ExampleIndex, MiniLMEmbedder
            from st_nlp.rewrite.rewriter import FactBasedRewriter

            index = ExampleIndex.from_file(examples, MiniLMEmbedder(runtime=runtime))
            reviewer.rewriter = FactBasedRewriter(
                reviewer.rewriter_view(),
                cast(ExampleIndex, MemoizedExamples(index, cache_size)) if cache_size else index,
                ChatCompletionsBackend.from_env(),
            )
        return reviewer

    def warm(self) -> None:
        """Build now what each process otherwise builds on its first notes (the examples'
        embeddings and facts, runtime sessions, lazy imports): a server calls this before it
        takes requests, so no caseworker's first review pays for it."""
        warm = getattr(self.rewriter, "warm", None)
        if warm is not None:
            warm()
        self.review(WARM_UP_NOTE)

    def classify(self, sentences: Sequence[str]) -> list[dict[str, Any]]:
        """Labels and scores for independent sentences (rules included)."""
        probabilities, decisions, _ = self.assess_sentences(sentences, all_findings=False)
        return [
            {
                "labels": label_names(chosen),
                "scores": {str(lb): round(float(row[i]), 4) for i, lb in enumerate(LABELS)},
            }
            for row, chosen in zip(probabilities, decisions, strict=True)
        ]

    def assess_sentences(
        self, sentences: Sequence[str], all_findings: bool = True
    ) -> tuple[np.ndarray, np.ndarray, list[list[Finding]]]:
        """Scores, label decisions and findings of independent sentences, decided as in
        `review`: rule findings, plus tagger spans where the classifier flags blaming language.
        What `classify` reports and `st-nlp evaluate` scores.

        With `all_findings=False` the tagger runs only where its spans can change a decision
        (flagged sentences with no rule finding, scored below `blaming_without_evidence`); the
        decisions are the same and the other flagged sentences keep only their rule findings.
        For callers that need labels, not spans: it skips most of the tagger's work.
        """
        texts = list(sentences)
        for text in texts:  # the tokenizer alone would not refuse what `nlp` refuses
            check_length(text)
        views = [reading_view(text) for text in texts]
        texts = [same_width(view.text) for view in views]
        # Parse only the sentences some rule could fire on (`RuleTriggers`, from tokens alone):
        # the same findings, without tagging and parsing the four in five no rule can match.
        docs: list[Doc] = list(cast(Tokenizer, self.nlp.tokenizer).pipe(texts))
        possible = [i for i, doc in enumerate(docs) if self.triggers.possible(doc)]
        for i, parsed in zip(possible, self.nlp.pipe([docs[i] for i in possible]), strict=True):
            docs[i] = parsed
        parsed_at = set(possible)
        findings = [self.rules.find(doc) if i in parsed_at else [] for i, doc in enumerate(docs)]
        probabilities = self._scores(texts, [bool(found) for found in findings])
        plain = self.plain_facts(probabilities, findings, docs)
        flagged = [
            i
            for i, row in enumerate(probabilities)
            if row[BLAMING_INDEX] >= self.thresholds[BLAMING_INDEX]
            and (
                all_findings
                or (not findings[i] and row[BLAMING_INDEX] < self.blaming_without_evidence)
            )
        ]
        tagged = self.tagged_findings(
            [texts[i] for i in flagged], [docs[i] if i in parsed_at else None for i in flagged]
        )
        for i, extra in zip(flagged, tagged, strict=True):
            findings[i] = merge_findings(findings[i], extra, 0)
        decisions = self.decide(probabilities, [bool(found) for found in findings], plain)
        findings = [
            in_callers_offsets(found, view) for found, view in zip(findings, views, strict=True)
        ]
        return probabilities, decisions, findings

    def review(self, text: str, context: dict[str, Any] | None = None) -> ReviewResult:
        """Review a whole note: sentences with labels, findings, suggestions; note quality.

        With the cache on, a note sent again unchanged (same text and context, e.g. the
        editor re-checking after a pause without edits) is answered from memory.
        """
        token = self.rewriter.cache_token if self.rewriter is not None else "no-rewriter"
        if self.note_memo is None or token is None:
            return self.review_many([text], [context])[0]
        try:
            key = json.dumps([text, context, token], sort_keys=True)
        except (TypeError, ValueError):  # a context that is not plain JSON: no caching
            return self.review_many([text], [context])[0]
        found = self.note_memo.get(key, lambda _: self.review_many([text], [context])[0])
        return copy.deepcopy(found)

    def review_many(
        self,
        texts: Sequence[str],
        contexts: Sequence[dict[str, Any] | None] | None = None,
        batch_size: int = 32,
    ) -> list[ReviewResult]:
        """Review several notes, parsing and classifying them in batches (faster than singly)."""
        for text in texts:
            check_length(text)
        originals = list(texts)
        views = [reading_view(text) for text in originals]
        texts = [same_width(view.text) for view in views]
        contexts = list(contexts) if contexts is not None else [None] * len(texts)
        docs, findings_per_doc = self.parse_notes(texts, batch_size)
        spans_per_doc = [sentence_spans(doc) if doc.text.strip() else [] for doc in docs]
        per_sentence: list[list[list[Finding]]] = [
            [[f for f in findings if s.start_char <= f.start < s.end_char] for s in spans]
            for spans, findings in zip(spans_per_doc, findings_per_doc, strict=True)
        ]
        flat_texts = [s.text for spans in spans_per_doc for s in spans]
        flat_fired = [bool(f) for found in per_sentence for f in found]
        probabilities = self._scores(flat_texts, flat_fired)
        flagged = [
            i
            for i, row in enumerate(probabilities)
            if row[BLAMING_INDEX] >= self.thresholds[BLAMING_INDEX]
        ]
        flat_found = [found for per_doc in per_sentence for found in per_doc]
        flat_spans = [s for spans in spans_per_doc for s in spans]
        plain = self.plain_facts(probabilities, flat_found, flat_spans)  # rule findings only
        flat_starts = [s.start_char for s in flat_spans]
        # The tagger's spans are read against the note's own parse, as the rules are.
        tagged = self.tagged_findings(
            [flat_texts[i] for i in flagged], [flat_spans[i] for i in flagged]
        )
        for i, extra in zip(flagged, tagged, strict=True):
            flat_found[i] = merge_findings(flat_found[i], extra, flat_starts[i])
        decisions = self.decide(probabilities, [bool(found) for found in flat_found], plain)
        if self.rewriter is not None:
            self.rewriter.prepare(
                [
                    (text, label_names(chosen))
                    for text, chosen in zip(flat_texts, decisions, strict=True)
                ]
            )
        results: list[ReviewResult] = []
        offset = 0
        for original, view, doc, spans, found, context in zip(
            originals, views, docs, spans_per_doc, per_sentence, contexts, strict=True
        ):
            rows = probabilities[offset : offset + len(spans)]
            chosen = decisions[offset : offset + len(spans)]
            found = flat_found[offset : offset + len(spans)]
            offset += len(spans)
            result = self._note_result(doc, spans, rows, chosen, found, context)
            results.append(in_callers_text(result, original, view))
        return results

    def decide(
        self,
        probabilities: np.ndarray,
        has_evidence: Sequence[bool],
        plain_facts: Sequence[bool] | None = None,
    ) -> np.ndarray:
        """Labels per sentence (rows of booleans): each score against its threshold, and
        `blaming_language` without a rule or tagger span only above `blaming_without_evidence`,
        and never for a plain fact no rule flags (`plain_facts`, from `Reviewer.plain_facts`):
        the span tagger's words there ("during the incident") are a look-alike, not evidence.
        """
        decisions = probabilities >= self.thresholds
        evidence = np.asarray(has_evidence, dtype=bool)
        if len(evidence):
            plain = (
                np.asarray(plain_facts, dtype=bool)
                if plain_facts is not None
                else np.zeros(len(evidence), dtype=bool)
            )
            decisions[:, BLAMING_INDEX] &= ~plain & (
                evidence | (probabilities[:, BLAMING_INDEX] >= self.blaming_without_evidence)
            )
        return decisions

    def plain_facts(
        self,
        probabilities: np.ndarray,
        rule_findings: Sequence[list[Finding]],
        sentences: Sequence[Doc | Span],
    ) -> list[bool]:
        """Which sentences state a plain fact (`BlamingRules.plain_fact`) with no rule finding,
        looked up only where it can change a decision (scored as blaming). The tagger is not
        asked: its spans cannot make a plain fact blaming, so `classify`, which skips it where
        it cannot change a decision, decides as `review` does."""
        return [
            not found
            and row[BLAMING_INDEX] >= self.thresholds[BLAMING_INDEX]
            and self.rules.plain_fact(sentence)
            for row, found, sentence in zip(probabilities, rule_findings, sentences, strict=True)
        ]

    def _note_result(
        self,
        doc: Doc,
        spans: list[Any],
        probabilities: np.ndarray,
        decisions: np.ndarray,
        per_sentence: list[list[Finding]],
        context: dict[str, Any] | None,
    ) -> ReviewResult:
        """The note's result with offsets and texts of the reviewed text (`same_width` of its
        plain view); `in_callers_text` maps them to the caller's."""
        results = []
        for span, row, chosen, found in zip(
            spans, probabilities, decisions, per_sentence, strict=True
        ):
            labels = label_names(chosen)
            results.append(
                SentenceResult(
                    text=span.text,
                    start=span.start_char,
                    end=span.end_char,
                    labels=labels,
                    scores={str(lb): float(row[i]) for i, lb in enumerate(LABELS)},
                    findings=found if Label.BLAMING_LANGUAGE in labels else [],
                )
            )
        if self.rewriter is not None and results:
            self.rewriter.suggest_note(results, doc, context)
        quality = assess(quality_inputs(results), self.quality_weights)
        return ReviewResult(results, quality)

    def parse_notes(
        self, texts: Sequence[str], batch_size: int = 32
    ) -> tuple[list[Doc], list[list[Finding]]]:
        """The notes parsed block by block (`segment.parse_notes`) and their rule findings;
        with the cache on, unchanged blocks come from memory (`MemoizedNoteParser`)."""
        if self.note_parser is not None:
            return self.note_parser.parse(texts, batch_size)
        docs = parse_notes(self.nlp, texts, batch_size)
        return docs, [self.rules.find(doc) if doc.text.strip() else [] for doc in docs]

    def tagged_findings(
        self, sentences: Sequence[str], docs: Sequence[Doc | Span | None] | None = None
    ) -> list[list[Finding]]:
        """The span tagger's findings per sentence (offsets relative to each sentence).

        An `agentless` span whose verb has a named actor is dropped (`spans.actor`): the
        tagger reads words, and "Mr. Reed assaulted Ms. Alvarez" is what the model asks for.
        Spans ending on a function word are carried to the end of their phrase
        (`spans.boundaries`). Both read a parse of the sentence: `docs`, where the caller
        holds one (the sentence parsed on its own, or its span of the parsed note, as `review`
        passes: the rules read that same parse), else the sentence is parsed here, and only
        where the tagger found a span (about one flagged sentence in nine has none).

        With the cache on, the tagger's spans are memoized per sentence text (they depend on
        the words alone); reading them against the parse is cheap and done on every call.
        """
        if self.tagger is None or not sentences:
            return [[] for _ in sentences]
        texts = list(sentences)
        predicted = (
            self.tagger.predict(texts)
            if self.tagged_memo is None
            else self.tagged_memo.get_many(texts, self.tagger.predict)
        )
        parses: list[Doc | Span | None] = list(docs) if docs is not None else [None] * len(texts)
        unparsed = [i for i, spans in enumerate(predicted) if spans and parses[i] is None]
        for i, parsed in zip(unparsed, self.nlp.pipe([texts[i] for i in unparsed]), strict=True):
            parses[i] = parsed
        return [
            phrase_findings(parse, spans) if spans and parse is not None else []
            for parse, spans in zip(parses, predicted, strict=True)
        ]

    def _scores(self, texts: list[str], rule_fired: list[bool]) -> np.ndarray:
        if not texts:
            probabilities = np.zeros((0, len(LABELS)))
        elif self.cache is not None:
            probabilities = self.cache.scores(texts, self.classifier.predict_proba, len(LABELS))
        else:
            probabilities = np.array(self.classifier.predict_proba(texts), dtype=float)
        for i, fired in enumerate(rule_fired):
            if fired:
                probabilities[i, BLAMING_INDEX] = max(
                    probabilities[i, BLAMING_INDEX], self.rule_floor
                )
        return probabilities


def reading_view(text: str) -> TextView:
    """What the reviewer reads of `text`: rich-text markup read as a browser shows it
    (`st_nlp.markup`), then in NFC (`st_nlp.normal_form`: after the markup, so an accent
    written as a reference or split from its letter by a tag composes too), mapped back to
    `text`."""
    shown = plain_view(text)
    return chain(shown, nfc_view(shown.text))


def in_callers_text(result: ReviewResult, original: str, view: TextView) -> ReviewResult:
    """`result` (offsets into the reviewed text) with each sentence's and finding's offsets in
    `original` and each sentence's text sliced from it: the caller's own characters, markup
    and pasted spaces included. Suggestions, scores and quality are unchanged."""
    for sentence in result.sentences:
        sentence.start, sentence.end = view.span(sentence.start, sentence.end)
        sentence.text = original[sentence.start : sentence.end]
        sentence.findings = in_callers_offsets(sentence.findings, view)
    return result


def in_callers_offsets(findings: list[Finding], view: TextView) -> list[Finding]:
    """`findings` (offsets into `view.text`) with offsets into the text `view` was made of."""
    if view.is_identity:
        return findings
    return [
        replace(f, start=start, end=end)
        for f in findings
        for start, end in [view.span(f.start, f.end)]
    ]


def label_names(chosen: Sequence[bool] | np.ndarray) -> list[str]:
    """The names of the labels a row of decisions chose, in taxonomy order."""
    return [str(lb) for i, lb in enumerate(LABELS) if chosen[i]]


def quality_inputs(sentences: Sequence[SentenceResult]) -> list[tuple[str, list[str], list[str]]]:
    """What `st_nlp.quality.assess` reads of a reviewed note: text, labels and finding
    subtypes per sentence."""
    return [(s.text, s.labels, [f.subtype for f in s.findings]) for s in sentences]


def tagged_finding(span: TaggedSpan) -> Finding:
    """A tagger span as a finding; its message explains the subtype (no rule wrote it)."""
    info = SUBTYPE_INFO[BlameSubtype(span.subtype)]
    return Finding(
        rule_id=f"model.{span.subtype}",
        label=str(Label.BLAMING_LANGUAGE),
        subtype=span.subtype,
        start=span.start,
        end=span.end,
        message=f"{info.title}: {info.definition}",
        severity="medium",
        rationale=info.discursive_operation,
        principle="Pivot to the perpetrator: name who did what, and its impact on the children",
    )


def phrase_findings(parse: Doc | Span, spans: Sequence[TaggedSpan]) -> list[Finding]:
    """The tagger's spans of one sentence as findings, read against its parse (a doc of the
    sentence, or its span of a parsed note): agentless spans whose verb names its actor are
    dropped, the others carried to the end of their phrase. A span carried into the next one
    ("during" + "the incident") becomes one finding: the writer sees each word marked once.
    One still a lone word needs a score of `LONE_WORD_MIN_SCORE`."""
    doc = parse.as_doc() if isinstance(parse, Span) else parse
    actor_named = any(s.subtype == AGENTLESS for s in spans) and names_a_violent_actor(doc)
    completed: list[TaggedSpan] = []
    for span in spans:
        if span.subtype == AGENTLESS and (
            actor_named or names_its_actor(doc, span.start, span.end)
        ):
            continue
        bounds = complete_phrase(doc, span.start, span.end)
        if bounds is None:
            continue
        completed.append(replace(span, start=bounds[0], end=bounds[1]))
    merged: list[TaggedSpan] = []
    for span in sorted(completed, key=lambda s: (s.start, s.end)):
        if merged and span.start < merged[-1].end:
            previous = merged.pop()
            span = replace(previous, end=max(previous.end, span.end))
        merged.append(span)
    text = doc.text
    return [
        tagged_finding(span)
        for span in merged
        if span.score >= LONE_WORD_MIN_SCORE or len(text[span.start : span.end].split()) > 1
    ]


def merge_findings(rules: list[Finding], tagged: list[Finding], offset: int) -> list[Finding]:
    """Rule findings, plus tagger findings (shifted by `offset`) that overlap none of them."""
    merged = list(rules)
    for finding in tagged:
        start, end = finding.start + offset, finding.end + offset
        if any(start < f.end and f.start < end for f in rules):
            continue
        merged.append(
            Finding(
                finding.rule_id,
                finding.label,
                finding.subtype,
                start,
                end,
                finding.message,
                finding.severity,
                finding.rationale,
                finding.principle,
            )
        )
    return sorted(merged, key=lambda f: (f.start, f.end))
