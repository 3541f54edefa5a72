"""In-memory memoization for the review path, so re-checking an edited note is cheap.

While a caseworker types, the web editor re-sends the whole note on every pause; most of its
sentences are unchanged. Everything here is a pure function of one text (a sentence, a draft
suggestion, a curated example), so it is looked up instead of recomputed:
- `LruMemo`: the bounded, thread-safe LRU underneath, keyed by a SHA-256 digest of a
  namespace and the text (keys never hold text; values live in this process's memory only and
  are never written anywhere);
- `MemoizedPipeline`: `nlp(text)` for the short texts the rewriter parses again and again (the
  curated examples it checks against, its own drafts);
- `MemoizedExamples`: the nearest curated rewrite pairs of a sentence (a MiniLM embedding);
- `MemoizedRules`: the blaming rules' findings on those parsed texts;
- `MemoizedNoteParser`: a note's blocks (`segment.note_blocks`: pieces that no sentence
  crosses), each parsed and run through the rules once, so an edit re-parses one block;
- `RewriterView`: the reviewer as the rewriter sees it, with the memoized pipeline, rules and
  the score-cached classifier in place of the plain ones.

A note is parsed block by block everywhere (review, audit, `segment`), with or without these
memos, so a block's parse and rule findings are a function of the block's text. What depends
on the rest of the note is never cached: the suggestions (they use the note's parties and
text) are recomputed on every request; see `Reviewer.review_many`.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from threading import Lock
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from st_nlp.classifiers.base import SentenceClassifier
from st_nlp.classifiers.cache import ScoreCache
from st_nlp.rules.engine import BlamingRules, Finding
from st_nlp.segment import join_blocks, note_blocks

if TYPE_CHECKING:
    from st_nlp.reviewer import Reviewer

V = TypeVar("V")


def text_key(namespace: str, text: str) -> bytes:
    """SHA-256 of `namespace` and `text`: a cache key that holds no text."""
    return hashlib.sha256(f"{namespace}\x00{text}".encode()).digest()


class LruMemo(Generic[V]):
    """At most `maxsize` values keyed by (namespace, text digest), least recently used out."""

    def __init__(self, namespace: str, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError(f"maxsize = {maxsize} is invalid; it must be at least 1")
        self.namespace = namespace
        self.maxsize = maxsize
        self._values: OrderedDict[bytes, V] = OrderedDict()
        self._lock = Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._values)

    def digests(self) -> list[bytes]:
        """The stored keys (SHA-256 digests), least recently used first."""
        with self._lock:
            return list(self._values)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self.hits = self.misses = 0

    def peek(self, text: str) -> V | None:
        """The stored value for `text`, if any (no counting, no reordering)."""
        with self._lock:
            return self._values.get(text_key(self.namespace, text))

    def get(self, text: str, compute: Callable[[str], V]) -> V:
        """The value for `text`, computed (and stored) on a miss."""
        return self.get_many([text], lambda missing: [compute(t) for t in missing])[0]

    def get_many(
        self, texts: Sequence[str], compute: Callable[[list[str]], Sequence[V]]
    ) -> list[V]:
        """Values for `texts`; the distinct missing ones are computed in one `compute` call."""
        keys = [text_key(self.namespace, t) for t in texts]
        found: dict[bytes, V] = {}
        missing: dict[bytes, str] = {}
        with self._lock:
            for key, text in zip(keys, texts, strict=True):
                if key in found or key in missing:
                    continue
                if key in self._values:
                    self._values.move_to_end(key)
                    found[key] = self._values[key]
                    self.hits += 1
                else:
                    missing[key] = text
                    self.misses += 1
        if missing:
            computed = list(compute(list(missing.values())))
            if len(computed) != len(missing):
                raise ValueError(
                    f"compute returned {len(computed)} values for {len(missing)} texts"
                )
            with self._lock:
                for key, value in zip(missing, computed, strict=True):
                    found[key] = value
                    self._values[key] = value
                    self._values.move_to_end(key)
                while len(self._values) > self.maxsize:
                    self._values.popitem(last=False)
        return [found[key] for key in keys]


class MemoizedPipeline:
    """`nlp(text)` with parsed docs kept in an LRU (a doc depends on its text alone).

    Callers must treat the docs as read-only: the same object is returned for the same text.
    Anything else (`vocab`, `pipe`, ...) is the wrapped pipeline's.
    """

    def __init__(self, nlp: Language, maxsize: int) -> None:
        self.wrapped = nlp
        self.memo: LruMemo[Doc] = LruMemo("spacy-doc", maxsize)
        self.tagged_memo: LruMemo[Doc] = LruMemo("spacy-tagged-doc", maxsize)

    def __call__(self, text: str) -> Doc:
        return self.memo.get(text, self.wrapped)

    def tagged(self, text: str) -> Doc:
        """`tagged(self.wrapped, text)`, memoized."""
        return self.tagged_memo.get(text, lambda t: tagged(self.wrapped, t))

    def prefetch(self, texts: Sequence[str], parse: bool) -> None:
        """Parse (`parse`), else tag, the texts not kept yet in one `pipe` batch, so that later
        calls of `nlp(text)` or `tagged(text)` find them: the same docs, made faster together."""
        memo, disabled = (self.memo, []) if parse else (self.tagged_memo, parse_components(self))
        memo.get_many(texts, lambda missing: list(self.wrapped.pipe(missing, disable=disabled)))

    def made(self, doc: Doc) -> bool:
        """True when `doc` is the very doc this pipeline returns for its text."""
        return self.memo.peek(doc.text) is doc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)


PARSE_ONLY = ("parser",)


def parse_components(nlp: Language | MemoizedPipeline) -> list[str]:
    """The components of `nlp` that tagging leaves out (those of `PARSE_ONLY` it has)."""
    return [name for name in PARSE_ONLY if name in nlp.pipe_names]


def tagged(nlp: Language | MemoizedPipeline, text: str) -> Doc:
    """`text` tagged but not parsed, for the rewriter's fact extraction (names are proper
    nouns; numbers and quotes come from the text): cheaper than a full parse. A few coarse
    tags do depend on the parse (the attribute ruler's AUX/VERB and DET/PRON rules read
    dependency labels), but none of them reads or sets PROPN, so the facts are the same
    (tests/test_review_cache.py checks both)."""
    if isinstance(nlp, MemoizedPipeline):
        return nlp.tagged(text)
    return nlp(text, disable=parse_components(nlp))


class MemoizedRules:
    """`find(doc)` of the blaming rules, memoized for docs of a `MemoizedPipeline` (the same
    text always gives that same doc, so the same findings); other docs are passed through."""

    def __init__(self, rules: BlamingRules, nlp: MemoizedPipeline, maxsize: int) -> None:
        self.wrapped = rules
        self.nlp = nlp
        self.memo: LruMemo[list[Finding]] = LruMemo("rule-findings", maxsize)

    def find(self, doc: Doc) -> list[Finding]:
        if not self.nlp.made(doc):
            return self.wrapped.find(doc)
        return list(self.memo.get(doc.text, lambda _: self.wrapped.find(doc)))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)


class CachedClassifier:
    """A classifier whose `predict_proba` goes through the reviewer's `ScoreCache`."""

    def __init__(self, classifier: SentenceClassifier, cache: ScoreCache) -> None:
        self.wrapped = classifier
        self.cache = cache

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return self.cache.scores(texts, self.wrapped.predict_proba, len(self.wrapped.labels))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)


class MemoizedExamples:
    """`nearest(text, k)` of a curated-example index, memoized per text and `k`."""

    def __init__(self, examples: Any, maxsize: int) -> None:
        self.wrapped = examples
        self.memo: LruMemo[list[Any]] = LruMemo("nearest-examples", maxsize)

    def nearest(self, text: str, k: int = 3) -> list[Any]:
        return list(self.memo.get(f"{k}\x00{text}", lambda _: self.wrapped.nearest(text, k)))

    def prefetch(self, texts: Sequence[str], k: int = 3) -> None:
        """Look up the texts' neighbors in one batch now, so that `nearest` finds them."""
        prefix = f"{k}\x00"
        self.memo.get_many(
            [prefix + t for t in texts],
            lambda missing: self.wrapped.nearest_many([m[len(prefix) :] for m in missing], k),
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)


class RewriterView:
    """The reviewer as seen by the rewriter: same rules and thresholds, memoized parsing and
    cached scores. Every other attribute is the reviewer's own."""

    def __init__(self, reviewer: Reviewer, nlp: MemoizedPipeline, cache: ScoreCache) -> None:
        self.reviewer = reviewer
        self.nlp = nlp
        self.rules = MemoizedRules(reviewer.rules, nlp, cache.maxsize)
        self.classifier = CachedClassifier(reviewer.classifier, cache)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.reviewer, name)


class MemoizedNoteParser:
    """Notes parsed block by block (`segment.parse_notes`), each block's doc and rule findings
    kept in an LRU: re-sending a note with one sentence edited re-parses one block."""

    def __init__(self, nlp: Language, rules: BlamingRules, maxsize: int) -> None:
        self.nlp = nlp
        self.rules = rules
        self.blocks: LruMemo[tuple[Doc, list[Finding]]] = LruMemo("note-block", maxsize)

    def _compute(self, blocks: list[str], batch_size: int) -> list[tuple[Doc, list[Finding]]]:
        docs = self.nlp.pipe(blocks, batch_size=batch_size)
        return [(doc, self.rules.find(doc) if doc.text.strip() else []) for doc in docs]

    def parse(
        self, texts: Sequence[str], batch_size: int = 32
    ) -> tuple[list[Doc], list[list[Finding]]]:
        """Each note's doc (the blocks joined) and its rule findings (offsets into the note):
        the same as `parse_notes` and `BlamingRules.find` on its result, since the rules read
        one sentence at a time and no sentence crosses a block."""
        per_text = [note_blocks(text) for text in texts]
        found = iter(
            self.blocks.get_many(
                [b for blocks in per_text for b in blocks],
                lambda missing: self._compute(missing, batch_size),
            )
        )
        docs: list[Doc] = []
        findings: list[list[Finding]] = []
        for blocks in per_text:
            parts = [next(found) for _ in blocks]
            docs.append(join_blocks([doc for doc, _ in parts]))
            shifted: list[Finding] = []
            offset = 0
            for block, (_, block_findings) in zip(blocks, parts, strict=True):
                shifted += [
                    replace(f, start=f.start + offset, end=f.end + offset) for f in block_findings
                ]
                offset += len(block)
            findings.append(shifted)
        return docs, findings
