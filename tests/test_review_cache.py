"""The cached review path gives exactly the plain path's review JSON, and caches no text.

`Reviewer.load()` memoizes per-sentence work (scores, tagger spans, the rewriter's parses,
rule checks and example look-ups) and whole repeated requests; `Reviewer.load(cache_size=0)`
is the plain path. Both review the same corpus notes, then the same sequence of edits as a
caseworker makes in the editor (one sentence changed per request, a repeat, new parties).
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from st_nlp.corpus.paths import DATA_DIR, NOTES_FILE, SENTENCES_FILE
from st_nlp.review_cache import LruMemo, MemoizedPipeline, MemoizedRules
from st_nlp.reviewer import Reviewer


def _corpus_notes(count: int) -> list[str]:
    with (DATA_DIR / NOTES_FILE).open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle][:count]


def _blaming_sentences(count: int) -> list[str]:
    found = []
    with (DATA_DIR / SENTENCES_FILE).open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if "blaming_language" in record["labels"]:
                found.append(record["text"])
            if len(found) == count:
                break
    return found


@pytest.fixture(scope="module")
def plain() -> Reviewer:
    return Reviewer.load(cache_size=0)


@pytest.fixture(scope="module")
def fast() -> Reviewer:
    return Reviewer.load()


def test_cached_review_many_matches_the_plain_path(plain: Reviewer, fast: Reviewer) -> None:
    notes = sorted(_corpus_notes(12), key=len)[1:4]
    expected = [r.to_dict() for r in plain.review_many(notes)]
    assert any(s["suggestions"] for r in expected for s in r["sentences"])
    assert any(s["findings"] for r in expected for s in r["sentences"])
    assert [r.to_dict() for r in fast.review_many(notes)] == expected
    # Again, singly: now nearly everything comes from the caches.
    assert [fast.review(n).to_dict() for n in notes] == expected
    assert fast.cache is not None and fast.cache.hits > 0


def test_incremental_edits_match_the_plain_path(plain: Reviewer, fast: Reviewer) -> None:
    note = min(_corpus_notes(12), key=len)
    replacements = _blaming_sentences(2)
    parties = {"parties": [{"name": "Mr. Vance", "role": "perpetrator"}]}
    steps: list[tuple[str, dict[str, object] | None]] = [(note, None)]
    text = note
    for index, replacement in enumerate(replacements):
        sentences = plain.review(text).sentences
        target = sentences[(2 * index + 1) % len(sentences)]
        text = text[: target.start] + replacement + text[target.end :]
        steps.append((text, None))
    steps += [(text, None), (text, parties), (text[: len(text) // 2], parties)]
    for text, context in steps:
        assert fast.review(text, context).to_dict() == plain.review(text, context).to_dict()
    assert fast.note_memo is not None and fast.note_memo.hits >= 1  # the repeated request
    assert fast.cache is not None and fast.cache.hits > 0


def test_an_edit_reparses_only_the_block_it_changed(fast: Reviewer) -> None:
    lines = [
        "HV 5/2 with BM Rosa Quint and the children at the home.",
        "FOB Ed Quint threw a mug at BM on 4/30 while the kids watched.",
        "The parents have a volatile relationship.",
        "BM took the children to MGM's that night.",
    ]
    parser = fast.note_parser
    assert parser is not None
    fast.review("\n".join(lines))
    misses = parser.blocks.misses
    lines[2] = "Mother failed to protect the kids."
    edited = fast.review("\n".join(lines))
    assert parser.blocks.misses == misses + 1
    assert [s.text for s in edited.sentences] == lines
    assert edited.sentences[2].findings


def test_repeated_request_returns_an_independent_copy(fast: Reviewer) -> None:
    note = _corpus_notes(1)[0]
    first = fast.review(note)
    first.sentences[0].labels.append("tampered")
    first.sentences.pop()
    again = fast.review(note)
    assert "tampered" not in again.sentences[0].labels
    assert len(again.sentences) == len(first.sentences) + 1


def test_lru_memo_is_bounded_computes_once_and_keys_hold_no_text() -> None:
    calls: list[list[str]] = []

    def compute(texts: list[str]) -> list[int]:
        calls.append(texts)
        return [len(t) for t in texts]

    memo: LruMemo[int] = LruMemo("test", maxsize=2)
    assert memo.get_many(["aa", "bbb", "aa"], compute) == [2, 3, 2]
    assert calls == [["aa", "bbb"]]
    assert memo.get_many(["aa", "c"], compute) == [2, 1]  # "bbb" is least recently used
    assert calls[-1] == ["c"]
    assert len(memo) == 2
    assert memo.get("bbb", len) == 3  # evicted, so computed again
    assert (memo.hits, memo.misses) == (1, 4)
    assert all(isinstance(key, bytes) and len(key) == 32 for key in memo.digests())
    with pytest.raises(ValueError, match="maxsize = 0 is invalid"):
        LruMemo("test", maxsize=0)


def test_memoized_rules_pass_other_docs_through(plain: Reviewer) -> None:
    nlp = MemoizedPipeline(plain.nlp, maxsize=4)
    rules = MemoizedRules(plain.rules, nlp, maxsize=4)
    text = "Mother failed to protect the children."
    made = nlp(text)
    assert nlp(text) is made
    assert rules.find(made) == plain.rules.find(made) != []
    assert len(rules.memo) == 1
    other = plain.nlp(text)  # a doc the memoized pipeline did not make: not cached
    assert rules.find(other) == plain.rules.find(other)
    assert len(rules.memo) == 1


def test_tfidf_fast_path_gives_scikit_learns_floats(plain: Reviewer) -> None:
    tfidf = plain.classifier.tfidf  # type: ignore[attr-defined]
    with (DATA_DIR / SENTENCES_FILE).open(encoding="utf-8") as handle:
        sentences = [json.loads(line)["text"] for line in handle][:400]
    reference = tfidf.predict_proba_sklearn(sentences)
    np.testing.assert_array_equal(tfidf.predict_proba(sentences), reference)
    alone = np.vstack([tfidf.predict_proba([s]) for s in sentences[:40]])
    np.testing.assert_array_equal(alone, reference[:40])


def test_bench_only_rejects_unknown_parts() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "st_nlp", "bench", "--only", "audit,speed"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "--only 'audit,speed' is invalid" in done.stderr


def test_examples_prefetched_in_one_batch_are_the_nearest_ones(fast: Reviewer) -> None:
    from st_nlp.review_cache import MemoizedExamples

    assert fast.rewriter is not None
    examples = fast.rewriter.examples  # type: ignore[attr-defined]
    assert isinstance(examples, MemoizedExamples)
    texts = _blaming_sentences(6)[3:]
    index = examples.wrapped
    singly = [[n.pair.id for n in index.nearest(t)] for t in texts]
    assert [[n.pair.id for n in found] for found in index.nearest_many(texts)] == singly
    examples.prefetch(texts)
    misses = examples.memo.misses
    assert [[n.pair.id for n in examples.nearest(t)] for t in texts] == singly
    assert examples.memo.misses == misses  # all looked up in the batch


def test_tagged_docs_give_the_rewriters_facts_without_a_parse() -> None:
    """The rewriter reads names (PROPN), numbers and quotes from docs without a dependency
    parse. Safe because the pipeline's attribute ruler never makes PROPN depend on the parse:
    its dependency-conditioned patterns neither read nor set proper-noun tags."""
    from st_nlp.nlp import load_pipeline
    from st_nlp.review_cache import tagged
    from st_nlp.rewrite.facts import extract_facts

    nlp = load_pipeline(disable=("ner",))
    for pattern in nlp.get_pipe("attribute_ruler").patterns:
        if any("DEP" in token for tokens in pattern["patterns"] for token in tokens):
            assert not {"PROPN", "NNP", "NNPS"} & set(str(pattern).replace("'", " ").split())
    texts = _blaming_sentences(40) + _corpus_notes(3)
    memoized = MemoizedPipeline(nlp, 64)
    for text in texts:
        doc = tagged(nlp, text)
        assert not doc.has_annotation("DEP")
        assert extract_facts(doc) == extract_facts(nlp(text))
        assert memoized.tagged(text) is memoized.tagged(text)


def test_a_notes_drafts_are_checked_in_one_batch(
    plain: Reviewer, fast: Reviewer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold note's suggestions: the drafts of all its flagged sentences are scored in one
    classifier call before they are checked one by one, with the plain path's result."""
    assert fast.rewriter is not None
    rewriter = fast.rewriter
    note = next(
        n
        for n in sorted(_corpus_notes(80)[12:], key=len)  # notes no other test reviews
        if sum(bool(s["suggestions"]) for s in plain.review(n).to_dict()["sentences"]) >= 3
    )
    calls: list[tuple[bool, int]] = []
    checking = [False]
    score, check = fast.classifier.predict_proba, rewriter._checked

    def recorded_score(texts: list[str]) -> np.ndarray:
        calls.append((checking[0], len(texts)))
        return score(texts)

    def recorded_check(*args: object, **kwargs: object) -> list[dict[str, object]]:
        checking[0] = True
        try:
            return check(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            checking[0] = False

    monkeypatch.setattr(fast.classifier, "predict_proba", recorded_score)
    monkeypatch.setattr(rewriter, "_checked", recorded_check)
    assert fast.review(note).to_dict() == plain.review(note).to_dict()
    sentences, drafts = calls[0][1], calls[1][1]
    assert not calls[0][0] and not calls[1][0]  # the note's sentences, then its drafts
    assert sentences >= 3 and drafts >= 3
    # Inside the checks only the drafts tried after a first draft failed are left to score.
    assert sum(n for inside, n in calls if inside) < drafts
