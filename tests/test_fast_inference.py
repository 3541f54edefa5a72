"""The fast inference path: ONNX Runtime MiniLM (fp32 and int8) and the sentence-score cache."""

from __future__ import annotations

import numpy as np
import pytest

from st_nlp.classifiers.cache import ScoreCache
from st_nlp.classifiers.ensemble import EnsembleClassifier
from st_nlp.classifiers.onnx_minilm import MINILM_THREADS_ENV, minilm_threads
from st_nlp.reviewer import Reviewer

SENTENCES = [
    "BM reports FOB pushed her into the wall on 3/2 while the children watched.",
    "Mother failed to protect the kids.",
    "CW observed a bruise on the left cheek of the 6 y.o.",
    "FOB took her phone and car keys so she could not leave the apartment.",
    "Mom obtained a protective order and moved the children to her sister's home.",
]


@pytest.fixture(scope="module")
def reviewers() -> dict[str, Reviewer]:
    return {
        runtime: Reviewer.load(runtime=runtime, suggestions=False, cache_size=0)
        for runtime in ("torch", "onnx-fp32", "onnx-int8")
    }


def test_onnx_fp32_matches_torch(reviewers: dict[str, Reviewer]) -> None:
    reference = reviewers["torch"].classifier.predict_proba(SENTENCES)
    fast = reviewers["onnx-fp32"].classifier.predict_proba(SENTENCES)
    np.testing.assert_allclose(fast, reference, atol=1e-4)


def test_onnx_int8_labels_close_to_torch(reviewers: dict[str, Reviewer]) -> None:
    reference = reviewers["torch"].classifier.predict_proba(SENTENCES)
    fast = reviewers["onnx-int8"].classifier.predict_proba(SENTENCES)
    assert np.abs(fast - reference).max() < 0.2


@pytest.mark.parametrize("runtime", ["onnx-fp32", "onnx-int8"])
def test_onnx_scores_do_not_depend_on_batch_mates(
    reviewers: dict[str, Reviewer], runtime: str
) -> None:
    classifier = reviewers[runtime].classifier
    together = classifier.predict_proba(SENTENCES)
    alone = np.vstack([classifier.predict_proba([s]) for s in SENTENCES])
    np.testing.assert_allclose(together, alone, atol=1e-5 if runtime == "onnx-fp32" else 0)


def test_int8_sentences_run_side_by_side_with_the_same_scores(
    reviewers: dict[str, Reviewer], monkeypatch: pytest.MonkeyPatch
) -> None:
    minilm = reviewers["onnx-int8"].classifier.minilm
    one_at_a_time = minilm.predict_proba(SENTENCES * 4) if minilm.concurrent == 1 else None
    monkeypatch.setattr(minilm, "concurrent", 3)
    side_by_side = minilm.predict_proba(SENTENCES * 4)
    monkeypatch.setattr(minilm, "concurrent", 1)
    np.testing.assert_array_equal(side_by_side, minilm.predict_proba(SENTENCES * 4))
    if one_at_a_time is not None:
        np.testing.assert_array_equal(side_by_side, one_at_a_time)


def test_ensemble_members_scored_side_by_side_are_each_members_own_scores(
    reviewers: dict[str, Reviewer],
) -> None:
    """The TF-IDF member runs in a background thread while the MiniLM's graphs run
    (`st_nlp.overlap`): each member's scores are exactly what it gives alone, in order."""
    ensemble = reviewers["onnx-int8"].classifier
    assert isinstance(ensemble, EnsembleClassifier)
    for texts in (SENTENCES[:1], SENTENCES):
        tfidf, minilm = ensemble.member_proba(texts)
        np.testing.assert_array_equal(tfidf, ensemble.tfidf.predict_proba(texts))
        np.testing.assert_array_equal(minilm, ensemble.minilm.predict_proba(texts))


def test_minilm_threads_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(MINILM_THREADS_ENV, "3")
    assert minilm_threads() == 3
    monkeypatch.setenv(MINILM_THREADS_ENV, "two")
    with pytest.raises(ValueError, match=MINILM_THREADS_ENV):
        minilm_threads()


BLAMING_SENTENCES = [
    "Mother failed to protect the kids.",
    "The parents have a volatile relationship and BM needs to make better choices.",
    "BM was assaulted on two prior occasions and minimizes the DV.",
    "Her story keeps changing and she continues to allow FOB around the children.",
]


def test_onnx_fp32_frozen_base_matches_torch_for_tagger_and_retrieval() -> None:
    from st_nlp.classifiers.onnx_encoder import OnnxEncoder, frozen_encoder
    from st_nlp.rewrite.retrieval import MiniLMEmbedder

    tokenizer, torch_encoder = frozen_encoder("torch")
    _, onnx_encoder = frozen_encoder("onnx-fp32")
    assert isinstance(onnx_encoder, OnnxEncoder)
    batch = tokenizer(BLAMING_SENTENCES, padding=True, return_tensors="pt")
    reference = torch_encoder(**batch).last_hidden_state.detach().numpy()
    fast = onnx_encoder(**batch).last_hidden_state.numpy()
    np.testing.assert_allclose(fast, reference, atol=1e-4)

    embeddings = {
        runtime: MiniLMEmbedder(runtime=runtime).embed(SENTENCES)
        for runtime in ("torch", "onnx-fp32")
    }
    np.testing.assert_allclose(embeddings["onnx-fp32"], embeddings["torch"], atol=1e-5)


def test_int8_frozen_base_reads_each_sentence_alone() -> None:
    """int8 activation scales are per tensor, so a padded batch would give a sentence other
    states than it gets alone. The int8 base runs each sentence by itself: its states are the
    same in any batch and in any order, the padding positions are zeros, and they stay close
    to the fp32 states (the retrieval's embeddings point the same way)."""
    from st_nlp.classifiers.onnx_encoder import OnnxEncoder, frozen_encoder
    from st_nlp.rewrite.retrieval import MiniLMEmbedder

    tokenizer, encoder = frozen_encoder("onnx-int8")
    assert isinstance(encoder, OnnxEncoder) and encoder.alone
    batch = tokenizer(BLAMING_SENTENCES, padding=True, return_tensors="pt")
    together = encoder(**batch).last_hidden_state.numpy()
    mask = batch["attention_mask"].numpy().astype(bool)
    assert not mask.all()  # the batch has padding
    assert not together[~mask].any()
    for row, sentence in enumerate(reversed(BLAMING_SENTENCES)):
        alone = encoder(**tokenizer([sentence], return_tensors="pt")).last_hidden_state
        position = len(BLAMING_SENTENCES) - 1 - row
        np.testing.assert_array_equal(together[position, mask[position]], alone.numpy()[0])

    _, fp32 = frozen_encoder("onnx-fp32")
    reference = fp32(**batch).last_hidden_state.numpy()
    assert 0 < np.abs(together[mask] - reference[mask]).max() < 1.5
    embeddings = {
        runtime: MiniLMEmbedder(runtime=runtime).embed(SENTENCES)
        for runtime in ("onnx-fp32", "onnx-int8")
    }
    cosines = (embeddings["onnx-int8"] * embeddings["onnx-fp32"]).sum(axis=1)
    assert cosines.min() > 0.99


@pytest.mark.parametrize("runtime", ["onnx-fp32", "onnx-int8"])
def test_frozen_base_keeps_a_sentence_read_by_the_tagger_for_the_retrieval(
    reviewers: dict[str, Reviewer], runtime: str
) -> None:
    """The tagger and the retrieval ask the shared ONNX base for the same single sentence (a
    review's new flagged sentence): the second read is answered from the kept states,
    identical to a fresh run, and a caller changing its tensor cannot change what the next
    caller gets. fp32 batches are never kept (their padding depends on the batch mates);
    int8 runs and keeps each sentence of a batch alone."""
    from st_nlp.classifiers.onnx_encoder import OnnxEncoder, frozen_encoder
    from st_nlp.rewrite.retrieval import MiniLMEmbedder

    tokenizer, encoder = frozen_encoder(runtime)
    assert isinstance(encoder, OnnxEncoder)
    tagger = reviewers[runtime].tagger
    assert tagger is not None and tagger.encoder is encoder
    # Sentences no other test reads: the encoder is shared by the whole test process.
    first, second = (
        f"Invented for this {runtime} test only: Mr. Okonkwo-Lind took the keys at 4:11 p.m.",
        f"Invented for this {runtime} test only: Ms. Varga-Moss called the hotline twice.",
    )
    runs = encoder.runs
    tagger.predict([first])
    MiniLMEmbedder(runtime=runtime).embed([first])
    assert encoder.runs == runs + 1

    one = tokenizer([second], padding=True, return_tensors="pt")
    encoder(**one).last_hidden_state.fill_(0.0)  # the caller owns its copy
    runs = encoder.runs
    again = encoder(**one).last_hidden_state
    assert encoder.runs == runs
    expected = encoder.session.run(
        ["last_hidden_state"],
        {"input_ids": one["input_ids"].numpy(), "attention_mask": one["attention_mask"].numpy()},
    )[0]
    assert np.array_equal(again.numpy(), expected)

    two = tokenizer(
        [f"{runtime} batch test: {s}" for s in SENTENCES[:2]], padding=True, return_tensors="pt"
    )
    encoder(**two)  # fp32: one run for the batch; int8: one for each sentence
    assert encoder.runs == runs + (1 if runtime == "onnx-fp32" else 2)
    encoder(**two)  # fp32: run again; int8: both kept
    assert encoder.runs == runs + 2


def test_onnx_runtime_tagger_finds_the_same_spans(reviewers: dict[str, Reviewer]) -> None:
    """fp32 gives the torch runtime's spans; int8 states move a span's edge now and then
    (dev: exact span F1 0.427 -> 0.424, labels the same), never which sentences have one."""

    def spans(reviewer: Reviewer) -> list[list[tuple[int, int, str]]]:
        assert reviewer.tagger is not None
        return [
            [(s.start, s.end, s.subtype) for s in found]
            for found in reviewer.tagger.predict(BLAMING_SENTENCES)
        ]

    reference = spans(reviewers["torch"])
    assert all(reference)
    assert spans(reviewers["onnx-fp32"]) == reference
    int8 = spans(reviewers["onnx-int8"])
    for ours, theirs in zip(int8, reference, strict=True):
        assert ours
        assert all(any(a < d and c < b for c, d, _ in theirs) for a, b, _ in ours)


def test_unknown_runtime_is_an_error_naming_the_options() -> None:
    with pytest.raises(ValueError, match=r"runtime 'gpu' is invalid; must be one of"):
        Reviewer.load(runtime="gpu")


def test_cache_gives_the_same_scores_and_counts_hits(reviewers: dict[str, Reviewer]) -> None:
    classifier = reviewers["onnx-int8"].classifier
    cache = ScoreCache("v1", maxsize=3)
    first = cache.scores(SENTENCES[:2], classifier.predict_proba, 5)
    again = cache.scores([SENTENCES[1], SENTENCES[0], SENTENCES[1]], classifier.predict_proba, 5)
    np.testing.assert_array_equal(again, first[[1, 0, 1]])
    assert (cache.hits, cache.misses) == (3, 2)


def test_cache_is_bounded_and_holds_no_text() -> None:
    calls: list[list[str]] = []

    def compute(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        return np.array([[float(len(t))] for t in texts])

    cache = ScoreCache("v1", maxsize=2)
    cache.scores(["aa", "bbb", "c"], compute, 1)
    assert len(cache) == 2
    assert all(isinstance(key, bytes) and len(key) == 32 for key in cache._rows)
    out = cache.scores(["aa", "c"], compute, 1)  # "aa" was evicted first
    assert calls[-1] == ["aa"]
    np.testing.assert_array_equal(out, [[2.0], [1.0]])
    # `missing` only looks: nothing counted, nothing reordered (so "c" is evicted next).
    counts = (cache.hits, cache.misses)
    assert cache.missing(["aa", "bbb", "c"]) == ["bbb"]
    assert (cache.hits, cache.misses) == counts
    cache.scores(["bbb"], compute, 1)
    assert cache.missing(["aa", "c"]) == ["c"]


def test_cache_keys_include_the_model_version() -> None:
    seen: list[str] = []

    def compute(texts: list[str]) -> np.ndarray:
        seen.extend(texts)
        return np.zeros((len(texts), 1))

    ScoreCache("model-a").scores(["same"], compute, 1)
    ScoreCache("model-b").scores(["same"], compute, 1)
    a, b = ScoreCache("model-a"), ScoreCache("model-b")
    assert a._key("same") != b._key("same")
    assert seen == ["same", "same"]
