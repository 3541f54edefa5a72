"""Blaming-language rules: each guideline decision rule has a regression case here."""

from __future__ import annotations

import pytest
from rule_cases import FLAGGED, NOT_FLAGGED

from st_nlp.rules.engine import (
    BlamingRules,
    load_rule_file,
    lowercased_view,
    near_words,
    shouted,
)


@pytest.fixture(scope="module")
def rules(nlp):  # type: ignore[no-untyped-def]
    return BlamingRules(nlp)


def _found(nlp, rules, text: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(text[f.start : f.end], f.subtype) for f in rules.find(nlp(text))]


@pytest.mark.parametrize(("text", "words", "subtype"), FLAGGED)
def test_rules_flag_blaming_words_with_span_and_subtype(nlp, rules, text, words, subtype) -> None:  # type: ignore[no-untyped-def]
    assert (words, subtype) in _found(nlp, rules, text)


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_rules_do_not_flag_classic_false_positives(nlp, rules, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _found(nlp, rules, text) == []


def test_rules_file_has_unique_ids_messages_and_rationales() -> None:
    rule_file = load_rule_file()
    ids = [rule.id for rule in rule_file.rules]
    assert len(ids) == len(set(ids))
    for rule in rule_file.rules:
        assert rule.message and rule.rationale and rule.principle
    assert {rule.subtype for rule in rule_file.rules} == {
        "survivor_blame",
        "pathologizing",
        "mutualizing",
        "minimizing_excusing",
        "agentless",
    }


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (
            "version: 1\nrules:\n  - id: SB-X\n    subtype: survivor_blame\n    severity: high\n"
            "    message: m\n    rationale: r\n    principle: p\n    patern: []\n",
            "patern",
        ),
        # Plain facts run on tokenized text (most sentences are never parsed): a pattern that
        # needs a parse is refused when the file is loaded, not when a sentence reaches it.
        (
            "version: 1\nrules: []\nplain_facts:\n  - id: FACT-X\n    rationale: r\n"
            "    patterns:\n      - [{LEMMA: be}]\n",
            "LEMMA",
        ),
    ],
)
def test_rules_file_refuses_what_it_cannot_run(tmp_path, text: str, named: str) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "rules.yaml"
    bad.write_text(text)
    with pytest.raises(ValueError, match=named):
        load_rule_file(bad)


def test_plain_fact_matches_tokenized_text_and_stands_aside_for_cue_words(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    assert rules.plain_fact(nlp.make_doc("The children were at school during the incident."))
    assert rules.plain_fact(nlp("The kids were asleep upstairs."))
    assert not rules.plain_fact(nlp.make_doc("The children were present but not affected."))
    assert not rules.plain_fact(nlp.make_doc("Father hit mother in the kitchen."))


@pytest.mark.parametrize(
    ("sentence", "plain"),
    [
        ("Mother will not allow father into the home.", True),
        ("BM won't let FOB have contact with the children.", True),
        ("Ms. Diaz refused to let her ex-husband in on 3/2.", True),
        ("He would not let her see her sister.", True),
        # A duty, a condition or a doubt is no plain report of a refusal.
        ("Mother should not let father back into the home.", False),
        ("If BM does not allow CW in, a petition will be filed.", False),
        ("BM claims she will not let FOB in the home.", False),
        # "lets up", "let it go": not a person's access.
        ('PGM said "she never lets up on him."', False),
        ("Mother will not let it go.", False),
    ],
)
def test_refusing_access_is_a_plain_fact(nlp, rules, sentence: str, plain: bool) -> None:  # type: ignore[no-untyped-def]
    assert rules.plain_fact(nlp.make_doc(sentence)) is plain


def test_rules_findings_point_at_exact_offsets_in_the_note(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    text = "CW met BM on 3/2.\nThe parents have a volatile relationship."
    findings = rules.find(nlp(text))
    assert [text[f.start : f.end] for f in findings] == ["volatile relationship"]
    assert findings[0].to_dict()["rule_id"] == "MU-RELATIONSHIP"


def test_pattern_anchors_take_the_rarest_required_token() -> None:
    from st_nlp.rules.engine import pattern_anchors

    counts = {"LOWER": {"to": 900, "protect": 40, "the": 1000}, "LEMMA": {"fail": 30}}
    fail_to_protect = [{"LEMMA": "fail"}, {"LOWER": "to"}, {"LOWER": {"IN": ["protect"]}}]
    assert pattern_anchors([fail_to_protect], counts) == (frozenset(), frozenset({"fail"}))
    # An optional token is never an anchor: a match may lack it.
    optional_rare = [{"LOWER": "volatile", "OP": "?"}, {"LOWER": "the"}]
    assert pattern_anchors([optional_rare], counts) == (frozenset({"the"}), frozenset())
    # A pattern without a literal required token can match anywhere: no prefilter.
    assert pattern_anchors([[{"POS": "VERB"}, {"LOWER": "x", "OP": "*"}]], counts) is None


def test_rule_prefilter_skips_only_sentences_that_cannot_match(nlp, rules) -> None:  # type: ignore[no-untyped-def]
    """What makes the per-rule matchers on anchor sentences exact, on corpus sentences and
    notes: every pattern over the whole doc matches what the rules' matchers match sentence
    by sentence (no match runs across a sentence break), and every sentence a rule matches
    holds one of that rule's anchors (so skipping the others loses nothing)."""
    import json

    from spacy.matcher import Matcher

    from st_nlp.corpus.paths import DATA_DIR, NOTES_FILE, SENTENCES_FILE

    full = Matcher(nlp.vocab)
    for rule in rules.rule_file.rules:
        if rule.kind in ("token", "conditioned"):  # the patterns `rules.matchers` run
            full.add(rule.id, rule.patterns)
    lines = (DATA_DIR / SENTENCES_FILE).read_text(encoding="utf-8").splitlines()[:1500]
    notes = (DATA_DIR / NOTES_FILE).read_text(encoding="utf-8").splitlines()[:60]
    texts = [json.loads(line)["text"] for line in lines + notes]
    matched_sentences = 0
    for doc in nlp.pipe(texts):
        by_sentence = []
        for sent in doc.sents:
            words = {t.lower_ for t in sent}, {t.lemma_ for t in sent}
            for rule, matcher, anchors in rules.matchers:
                found = [(rule.id, sent.start + s, sent.start + e) for _, s, e in matcher(sent)]
                if found and anchors is not None:
                    assert words[0] & anchors[0] or words[1] & anchors[1], rule.id
                matched_sentences += bool(found)
                by_sentence += found
        assert sorted(by_sentence) == sorted((doc.vocab.strings[m], s, e) for m, s, e in full(doc))
    assert matched_sentences > 100  # the sample holds plenty of blaming language


@pytest.mark.slow
def test_rule_word_counts_are_reproducible_from_the_corpus(annotation_tool) -> None:  # type: ignore[no-untyped-def]
    from st_nlp.rules.spec import WORD_COUNTS_FILE

    module = annotation_tool("make_word_counts")
    assert module.render(module.build()) == WORD_COUNTS_FILE.read_text(encoding="utf-8")


def test_text_in_capitals_is_read_through_a_lowercased_copy_with_the_same_offsets(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("MS. İLHAN WAS PUSHED INTO THE WALL BY HER EX.")
    view = lowercased_view(nlp, doc)
    assert [(t.idx, len(t.text)) for t in view] == [(t.idx, len(t.text)) for t in doc]
    assert view.text.startswith("ms. İlhan was pushed")  # "İ" lowercases to two characters
    assert shouted("FOB HIT BM IN THE FACE.")
    assert not shouted("HV 4/9.")  # too few letters to tell
    assert not shouted("Mother was hit by FOB (per LE).")


def test_near_words_read_a_title_without_its_period(nlp) -> None:  # type: ignore[no-untyped-def]
    words = near_words(nlp("Ms. Kaur has been resistant to services.")[:])
    assert {"ms.", "ms", "kaur", "resistant"} <= words
