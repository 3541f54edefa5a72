"""The blaming-span tagger's encoding and decoding, and how its findings join the rules'."""

from __future__ import annotations

import numpy as np
import pytest
from spacy.language import Language
from transformers import AutoTokenizer

from st_nlp.classifiers.minilm import base_model_path
from st_nlp.reviewer import (
    LONE_WORD_MIN_SCORE,
    merge_findings,
    phrase_findings,
    tagged_finding,
)
from st_nlp.spans.actor import names_a_violent_actor, names_its_actor
from st_nlp.spans.boundaries import complete_phrase, rule_span_phrase
from st_nlp.spans.tagger import IGNORE, TAGS, TaggedSpan, TaggerSettings, _Head, decode, token_tags

SENTENCE = "The parents have a volatile relationship and BM failed to protect."


def _offsets(text: str) -> list[tuple[int, int]]:
    tokenizer = AutoTokenizer.from_pretrained(base_model_path(), local_files_only=True)  # type: ignore[no-untyped-call]
    return [
        (int(a), int(b)) for a, b in tokenizer(text, return_offsets_mapping=True)["offset_mapping"]
    ]


def test_token_tags_mark_begin_inside_and_special_tokens() -> None:
    start = SENTENCE.index("volatile relationship")
    span = (start, start + len("volatile relationship"), "mutualizing")
    offsets = _offsets(SENTENCE)
    tags = [TAGS[t] if t != IGNORE else None for t in token_tags(offsets, [span])]
    assert tags[0] is None and tags[-1] is None  # [CLS] and [SEP]
    tagged = [
        (SENTENCE[a:b], tag)
        for (a, b), tag in zip(offsets, tags, strict=True)
        if tag not in {None, "O"}
    ]
    assert tagged == [("volatile", "B-mutualizing"), ("relationship", "I-mutualizing")]


def test_decode_round_trips_gold_tags_to_whole_word_spans() -> None:
    spans = [
        (SENTENCE.index("volatile"), SENTENCE.index(" and"), "mutualizing"),
        (
            SENTENCE.index("failed"),
            SENTENCE.index("failed") + len("failed to protect"),
            "survivor_blame",
        ),
    ]
    offsets = _offsets(SENTENCE)
    ids = token_tags(offsets, spans)
    probabilities = np.zeros((len(ids), len(TAGS)))
    for row, tag in enumerate(ids):
        probabilities[row, max(tag, 0)] = 1.0
    decoded = decode(SENTENCE, offsets, probabilities)
    assert [(SENTENCE[s.start : s.end], s.subtype) for s in decoded] == [
        ("volatile relationship", "mutualizing"),
        ("failed to protect", "survivor_blame"),
    ]


def test_decode_expands_a_partial_word_to_the_whole_word() -> None:
    text = "Mother is unprotective."
    offsets = [(0, 0), (0, 6), (7, 9), (10, 12), (12, 22), (22, 23), (0, 0)]
    probabilities = np.zeros((len(offsets), len(TAGS)))
    probabilities[:, 0] = 1.0
    probabilities[4] = 0.0
    probabilities[4, TAGS.index("B-survivor_blame")] = 1.0  # only "protective" was tagged
    (span,) = decode(text, offsets, probabilities)
    assert text[span.start : span.end] == "unprotective"


def _rows(text: str, tags: list[dict[str, float]]) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Word offsets of `text` (one token per word, no special tokens) and tag rows whose
    missing mass goes to "O"."""
    offsets, position = [], 0
    for word in text.split():
        start = text.index(word, position)
        offsets.append((start, start + len(word)))
        position = start + len(word)
    probabilities = np.zeros((len(offsets), len(TAGS)))
    for row, tag_mass in enumerate(tags):
        for tag, mass in tag_mass.items():
            probabilities[row, TAGS.index(tag)] = mass
        probabilities[row, 0] = 1.0 - sum(tag_mass.values())
    return offsets, probabilities


def test_decode_keeps_a_phrase_whole_across_a_subtype_switch_and_a_weak_word() -> None:
    text = "Both parents engage in arguments with father daily"
    offsets, probabilities = _rows(
        text,
        [
            {},
            {},
            {"B-mutualizing": 0.7},
            {"I-mutualizing": 0.2},  # "in": weak, but between two inside words
            {"I-mutualizing": 0.5, "B-mutualizing": 0.1},
            {"I-survivor_blame": 0.35, "I-mutualizing": 0.3},  # "O" is the argmax tag alone
            {"I-survivor_blame": 0.6},
            {},
        ],
    )
    (span,) = decode(text, offsets, probabilities)
    assert text[span.start : span.end] == "engage in arguments with father"
    assert span.subtype == "mutualizing"  # the subtype with the most mass over the span


def test_decode_starts_a_new_span_where_the_tagger_says_begin() -> None:
    text = "argument got physical he snapped"
    offsets, probabilities = _rows(
        text,
        [
            {"B-minimizing_excusing": 0.9},
            {"I-minimizing_excusing": 0.9},
            {"I-minimizing_excusing": 0.9},
            {},
            {"B-minimizing_excusing": 0.8},
        ],
    )
    spans = decode(text, offsets, probabilities)
    assert [text[s.start : s.end] for s in spans] == ["argument got physical", "snapped"]
    tight = decode(
        text.replace(" he ", " "),
        *_rows(
            text.replace(" he ", " "),
            [
                {"B-minimizing_excusing": 0.9},
                {"I-minimizing_excusing": 0.9},
                {"I-minimizing_excusing": 0.9},
                {"B-minimizing_excusing": 0.8},
            ],
        ),
    )
    assert len(tight) == 2  # adjacent, but "snapped" begins a second expression


def test_tagger_findings_never_duplicate_a_rule_finding() -> None:
    rule = tagged_finding(TaggedSpan(119, 140, "mutualizing", 0.9))
    overlapping = tagged_finding(TaggedSpan(0, 25, "mutualizing", 0.8))
    separate = tagged_finding(TaggedSpan(5, 10, "survivor_blame", 0.7))
    merged = merge_findings([rule], [overlapping, separate], offset=100)
    assert [(f.start, f.end, f.rule_id) for f in merged] == [
        (105, 110, "model.survivor_blame"),
        (119, 140, "model.mutualizing"),
    ]
    assert separate.message.startswith("Survivor blame")


@pytest.mark.parametrize(
    ("sentence", "words", "named"),
    [
        ("Mr. Reed assaulted Ms. Alvarez again last week.", "assaulted", True),
        ("Ms. Alvarez was assaulted by him again.", "was assaulted", True),
        ("He hit her in the kitchen.", "hit", True),
        ("Ms. Alvarez was assaulted again last week.", "was assaulted", False),
        ("Mother was hit.", "was hit", False),
        ("The incident happened in front of the kids.", "happened", False),
        # Any `by` agent but a date names who did it, as for the agentless-passive rule.
        ("Her car was hit by another driver.", "was hit", True),
        ("Mother was hit by Friday.", "was hit", False),
    ],
)
def test_agentless_span_is_dropped_only_when_its_verb_names_an_actor(
    nlp: Language, sentence: str, words: str, named: bool
) -> None:
    start = sentence.index(words)
    assert names_its_actor(nlp(sentence), start, start + len(words)) is named


def test_tagger_agentless_span_on_an_active_sentence_is_not_a_finding(nlp: Language) -> None:
    """The reviewer's tagger findings pass the actor check (the bundled model's tagger
    marks "assaulted" on its own, active voice or not)."""
    from st_nlp import Reviewer

    reviewer = Reviewer.load(suggestions=False, cache_size=0)
    active, passive = reviewer.tagged_findings(
        ["Mr. Reed assaulted Ms. Alvarez again last week.", "Ms. Alvarez was assaulted."]
    )
    assert all(f.subtype != "agentless" for f in active)
    assert any(f.subtype == "agentless" for f in passive)


def test_tagger_spans_carried_into_each_other_become_one_finding(nlp: Language) -> None:
    sentence = "The kids were at their grandmother's house during the incident."
    start = sentence.index("during")
    inner = sentence.index("the incident")
    end = len(sentence) - 1
    spans = [
        TaggedSpan(inner, end, "agentless", 0.6),
        TaggedSpan(start, end, "agentless", 0.7),
    ]
    found = phrase_findings(nlp(sentence), spans)
    assert [sentence[f.start : f.end] for f in found] == ["during the incident"]


@pytest.mark.parametrize(
    ("score", "kept"), [(LONE_WORD_MIN_SCORE - 0.01, False), (LONE_WORD_MIN_SCORE, True)]
)
def test_a_lone_tagger_word_needs_a_high_score(nlp: Language, score: float, kept: bool) -> None:
    """A tagger span still one word after phrase completion is kept only when the tagger is
    sure of it (`LONE_WORD_MIN_SCORE`); a phrase is kept at any score."""
    sentence = "Ms. Liao appears paranoid and the kids are picking up on her fear."
    word = sentence.index("paranoid")
    phrase = sentence.index("the kids are picking up")
    spans = [
        TaggedSpan(word, word + len("paranoid"), "pathologizing", score),
        TaggedSpan(phrase, phrase + len("the kids are picking up"), "pathologizing", 0.6),
    ]
    found = [sentence[f.start : f.end] for f in phrase_findings(nlp(sentence), spans)]
    assert ("paranoid" in found) is kept
    assert any(text.startswith("the kids are picking up") for text in found)


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("Mother was treated at the ER after Mr. Dean twisted her arm.", True),
        ("Mother was treated at the ER for a broken wrist.", False),
        # A verb of violence whose subject is no person names no actor.
        ("Mother was treated at the ER after the door hit her arm.", False),
    ],
)
def test_tagger_agentless_spans_go_where_the_sentence_names_who_used_violence(
    nlp: Language, sentence: str, named: bool
) -> None:
    """Codebook 6.3 / 6.13: agentless language has no actor anywhere in the sentence."""
    doc = nlp(sentence)
    assert names_a_violent_actor(doc) is named
    start = sentence.index("was treated")
    found = phrase_findings(doc, [TaggedSpan(start, start + len("was treated"), "agentless", 0.6)])
    assert bool(found) is not named


def test_tagger_reads_the_parse_it_is_given_and_parses_only_sentences_with_spans() -> None:
    """`review` hands the tagger each flagged sentence's span of the parsed note (the parse the
    rules read); read against it, the findings are those of the sentence parsed on its own.
    A sentence is parsed here only where the tagger found words, and with the cache on the
    memo keeps the tagger's raw spans, so a second parse given for the same text is read."""
    from st_nlp import Reviewer

    sentences = ["Ms. Alvarez was assaulted.", "CW met with the family at the office."]
    reviewer = Reviewer.load(suggestions=False)
    note = reviewer.nlp(" ".join(sentences))
    spans = list(note.sents)
    assert [s.text for s in spans] == sentences
    alone = reviewer.tagged_findings(sentences)
    assert reviewer.tagged_findings(sentences, spans) == alone
    assert any(f.subtype == "agentless" for f in alone[0])
    assert alone[1] == []

    parsed: list[str] = []
    pipe = reviewer.nlp.pipe

    def counting_pipe(texts: list[str], **kwargs: object) -> object:
        parsed.extend(texts)
        return pipe(texts, **kwargs)

    reviewer.nlp.pipe = counting_pipe  # type: ignore[method-assign]
    try:
        reviewer.tagged_findings(sentences)
    finally:
        del reviewer.nlp.pipe
    assert parsed == sentences[:1]


@pytest.mark.parametrize(
    ("sentence", "tagged", "expected"),
    [
        # Ending on a function word: carried on through its head's phrase.
        ("Mother needs to make better choices.", "needs to", "needs to make better choices"),
        ("The parents got into it again.", "got into", "got into it"),
        ("It appears mutual.", "appears mutual.", "appears mutual"),
        ("There was a DV incident.", "DV incident", "DV incident"),
        # Ending on a modifier of the noun just after it: the noun too.
        ("The parents have a high-conflict marriage.", "high-conflict", "high-conflict marriage"),
        ("Father is under marital stress.", "marital", "marital stress"),
        # No noun after it, or the noun too far away: the span stays as it is.
        ("Their relationship is high-conflict.", "high-conflict", "high-conflict"),
        ("Mother is under a lot of marital and financial stress.", "marital", "marital"),
        # Ending on a determiner or a possessive: the noun it belongs to.
        ("The worker cites her codependency.", "her", "her codependency"),
        ("The parents argue.", "The", "The parents"),
        ("It was a lovers' quarrel.", "It was a", "It was a lovers' quarrel"),
        (
            "Mother's choice to remain in the relationship.",
            "choice to remain in the",
            "choice to remain in the relationship",
        ),
        # Ending on a verb with an open complement after it: the complement's phrase.
        ("The children appeared unaffected.", "appeared", "appeared unaffected"),
        ("Mother continues to see FOB.", "continues", "continues to see FOB"),
    ],
)
def test_tagged_span_is_carried_to_its_whole_phrase(
    nlp: Language, sentence: str, tagged: str, expected: str
) -> None:
    start = sentence.index(tagged)
    bounds = complete_phrase(nlp(sentence), start, start + len(tagged))
    assert bounds is not None
    assert sentence[bounds[0] : bounds[1]] == expected


def test_rule_span_takes_its_noun_but_never_the_next_findings_words(nlp: Language) -> None:
    doc = nlp("The parents have a high-conflict marriage.")
    matched = doc[4:7]  # "high-conflict"
    assert rule_span_phrase(matched, None).text == "high-conflict marriage"
    assert rule_span_phrase(matched, doc[7:8]).text == "high-conflict"


def test_tagged_span_of_punctuation_only_is_dropped(nlp: Language) -> None:
    sentence = "She left , then came back."
    start = sentence.index(",")
    assert complete_phrase(nlp(sentence), start, start + 1) is None


@pytest.mark.parametrize(
    ("sentence", "tagged"),
    [("It takes two.", "It"), ("There was a fight.", "There")],
)
def test_tagged_span_of_function_words_only_is_dropped(
    nlp: Language, sentence: str, tagged: str
) -> None:
    start = sentence.index(tagged)
    assert complete_phrase(nlp(sentence), start, start + len(tagged)) is None


def test_tagger_head_reads_an_unpadded_batch_as_a_padded_one() -> None:
    """Without padding (a sentence alone, while a caseworker types) the head skips packing the
    sequences; each sentence gets the logits it gets beside a longer one, padded and packed."""
    import torch

    torch.manual_seed(0)
    head = _Head(16, TaggerSettings(lstm_size=8)).eval()
    states = torch.randn(2, 7, 16)
    with torch.no_grad():
        padded = head(states, torch.tensor([7, 4]))
        alone = [head(states[:1], torch.tensor([7])), head(states[1:, :4], torch.tensor([4]))]
    assert torch.allclose(alone[0][0], padded[0], atol=1e-6)
    assert torch.allclose(alone[1][0], padded[1, :4], atol=1e-6)
