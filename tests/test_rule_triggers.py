"""`RuleTriggers`: sentences ruled out before parsing are exactly ones no rule can fire on."""

from __future__ import annotations

import json

import pytest
from rule_cases import FLAGGED

from st_nlp.corpus.paths import DATA_DIR, SENTENCES_FILE
from st_nlp.rules.engine import BlamingRules
from st_nlp.rules.triggers import PossibleLemmas, RuleTriggers


@pytest.fixture(scope="module")
def rules(nlp):  # type: ignore[no-untyped-def]
    return BlamingRules(nlp)


@pytest.fixture(scope="module")
def triggers(nlp, rules):  # type: ignore[no-untyped-def]
    return RuleTriggers(nlp, rules.rule_file.rules)


def test_possible_lemmas_cover_inflections_and_irregular_forms(nlp) -> None:  # type: ignore[no-untyped-def]
    lemmas = PossibleLemmas(nlp)
    for word, lemma in [
        ("failed", "fail"),
        ("Failing", "fail"),
        ("threw", "throw"),
        ("beaten", "beat"),
        ("struck", "strike"),
        ("children", "child"),
        ("slapped", "slap"),
        ("minimizes", "minimize"),
        ("'s", "be"),  # the attribute ruler's fixed lemma
    ]:
        assert lemma in lemmas.of(word), word
    # The word itself is always a possible lemma (proper nouns keep their case).
    assert {"Ana", "ana"} <= lemmas.of("Ana")


def test_every_corpus_sentence_a_rule_fires_on_is_possible(nlp, rules, triggers) -> None:  # type: ignore[no-untyped-def]
    """The guarantee `Reviewer.assess_sentences` relies on, over the whole corpus: a rule never
    fires on a sentence the triggers rule out. And the triggers do rule out most sentences, or
    classify would parse them all for nothing."""
    lines = (DATA_DIR / SENTENCES_FILE).read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines]
    fired = ruled_out = 0
    for doc in nlp.pipe(texts, batch_size=256):
        possible = triggers.possible(nlp.make_doc(doc.text))
        ruled_out += not possible
        if rules.find(doc):
            fired += 1
            assert possible, "a rule fires on a sentence the triggers rule out"
    assert fired > 300
    assert ruled_out > 0.6 * len(texts)


@pytest.mark.parametrize(("text", "words", "subtype"), FLAGGED)
def test_every_rule_regression_case_is_possible(nlp, triggers, text, words, subtype) -> None:  # type: ignore[no-untyped-def]
    assert triggers.possible(nlp.make_doc(text))


def test_sentences_without_any_rule_word_are_ruled_out(nlp, triggers) -> None:  # type: ignore[no-untyped-def]
    for text in [
        "CW met with Ms. Okafor at the home on 3/14/24 at 10:30 a.m.",
        "Jaylen (6) said he hid in the closet when Mr. Diaz yelled.",
        "The children attend Lincoln Elementary.",
    ]:
        assert not triggers.possible(nlp.make_doc(text)), text


def test_a_pipeline_without_a_rule_lemmatizer_parses_everything(rules) -> None:  # type: ignore[no-untyped-def]
    """Without the lemmatizer's tables nothing can be ruled out safely."""
    import spacy

    blank = spacy.blank("en")
    triggers = RuleTriggers(blank, rules.rule_file.rules)
    assert triggers.possible(blank.make_doc("The children attend Lincoln Elementary."))
