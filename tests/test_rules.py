"""Blaming-language rules: each guideline decision rule has a regression case here."""

from __future__ import annotations

import pytest

from st_nlp.rules.engine import BlamingRules, load_rule_file


@pytest.fixture(scope="module")
def rules(nlp):  # type: ignore[no-untyped-def]
    return BlamingRules(nlp)


def _found(nlp, rules, text: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(text[f.start : f.end], f.subtype) for f in rules.find(nlp(text))]


@pytest.mark.parametrize(
    ("text", "words", "subtype"),
    [
        ("Mother failed to protect the children from FOB.", "failed to protect", "survivor_blame"),
        ("BM continues to expose the children to DV.", "expose the children to", "survivor_blame"),
        ("She keeps taking him back.", "keeps taking him back", "survivor_blame"),
        ("Mother is in denial about the abuse.", "in denial", "pathologizing"),
        ("BM lacks insight into the impact on the kids.", "lacks insight", "pathologizing"),
        ("The parents have a volatile relationship.", "volatile relationship", "mutualizing"),
        ("The couple was referred to couples counseling.", "couples counseling", "mutualizing"),
        ("LE responded to a domestic dispute at the home.", "domestic dispute", "mutualizing"),
        ("The argument got physical on Friday.", "argument got physical", "minimizing_excusing"),
        ("Father has anger issues.", "anger issues", "minimizing_excusing"),
        ("The children were not affected by the incident.", "not affected", "minimizing_excusing"),
        ("Mother was assaulted on 3/9.", "was assaulted", "agentless"),
        ("mom got punched in the kitchen", "got punched", "agentless"),
        ("The bedroom door was kicked in around 2 a.m.", "was kicked", "agentless"),
        ("Ms. Ruiz was choked, and a neighbor was called by the kids.", "was choked", "agentless"),
        ("Both parents will complete anger management.", "anger management", "mutualizing"),
        ("Dad just snapped after the layoff.", "Dad just snapped", "minimizing_excusing"),
        ("He hit her out of jealousy.", "out of jealousy", "minimizing_excusing"),
        ("She keeps going back to him.", "going back to him", "survivor_blame"),
        ("Mom went back to her boyfriend in May.", "went back to her boyfriend", "survivor_blame"),
        ("Honestly it feels like a high-conflict couple.", "high-conflict", "mutualizing"),
        # The agency's own notes and a plan are not sources: still the writer's words (6.14).
        ("Mother failed to protect them, per prior notes.", "failed to protect", "survivor_blame"),
        (
            "Per the safety plan, the couple will get couples counseling.",
            "couples counseling",
            "mutualizing",
        ),
    ],
)
def test_rules_flag_blaming_words_with_span_and_subtype(nlp, rules, text, words, subtype) -> None:  # type: ignore[no-untyped-def]
    assert (words, subtype) in _found(nlp, rules, text)


@pytest.mark.parametrize(
    "text",
    [
        # Blaming words in a non-blaming sense.
        "Mother allowed CW to enter the home.",
        "The children were exposed to lead paint in the apartment.",
        "There was a fight at school between two students.",
        "Counsel made an argument about the custody schedule.",
        # Reported speech and quotes: facts about the speaker, not the writer's language.
        "FOB stated that BM provoked him.",
        "Father said she 'provoked' him.",
        'Mr. Hale told officers the argument "got physical" because she started it.',
        # Passives with an agent, or about non-violent events.
        "Ms. Lee was shoved by her wife, Dana Lee.",
        "The children were enrolled at Pine Hill Elementary.",
        "The referral was screened in on 3/3.",
        # Facts about where the children were.
        "The children were not present during the incident.",
        # Attribution anywhere in the sentence, or a source opening it (codebook 6.14), even
        # when the parser reads "RP states" as a noun compound.
        "BM was choked and had marks on her neck, per LE.",
        "RP states the couple downstairs has a volatile relationship.",
        "Neighbor believes mother was beaten up last week.",
        # An agent further down the clause; violence verbs in other senses.
        "Mr. Ortiz was struck with a broom handle by his partner, Luis Vega.",
        "The appointment with the housing worker got pushed to Friday.",
        "The family was kicked off the housing waitlist.",
        # Remedies for the person who used violence are facts (codebook 6.22); ruling couples
        # counseling out is not recommending it.
        "Father completed 10 of 26 anger management sessions.",
        "Couples counseling is contraindicated while the violence continues.",
        # Everyday senses of "snapped", "went back to", "decided to move", "jealous".
        "The stroller strap snapped on the bus.",
        "Ms. Obi went back to her job at the clinic on Monday.",
        "Ms. Tran decided to move into the shelter with the kids.",
        "Mr. Haddad's husband is jealous of his coworkers.",
    ],
)
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


def test_rules_file_rejects_unknown_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "rules.yaml"
    bad.write_text(
        "version: 1\nrules:\n  - id: SB-X\n    subtype: survivor_blame\n    severity: high\n"
        "    message: m\n    rationale: r\n    principle: p\n    patern: []\n"
    )
    with pytest.raises(ValueError, match="patern"):
        load_rule_file(bad)


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
        if rule.kind == "token":
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
