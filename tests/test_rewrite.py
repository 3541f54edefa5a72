"""The rewriter's rules: no invented facts, every fact kept, the note's names, not blaming,
well-formed placeholders, 1-3 suggestions for every flagged sentence, determinism, retrieval."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rewrite_fixtures import rewriter_of, suggestions_for

from st_nlp import Reviewer
from st_nlp.corpus.rewrite_records import bracket_problem
from st_nlp.rewrite.facts import extract_facts, missing_facts
from st_nlp.rewrite.rewriter import scored_form, tidy
from st_nlp.rewrite.strategies import Draft

REED_NOTE = (
    "CW met with Ms. Alvarez at the shelter on 3/12.\n"
    "Mr. Reed punched Ms. Alvarez in the face on 3/9 while Mia (6) watched.\n"
    "Ms. Alvarez was assaulted again on 3/10.\n"
    "The parents have a volatile relationship."
)
FLAGGED = [
    "Mother failed to protect the children from FOB on 5/2.",
    "She allowed him back into the home after the OFP was granted on 4/1/24.",
    "The argument got physical at approx 11 p.m.",
    "Mother is in denial about the abuse and lacks insight.",
    "Mother was assaulted on two prior occasions.",
    'BM keeps making excuses for FOB ("he is just stressed") and does not understand the risk.',
    "The couple fights constantly in front of Luis (7).",
    "He has anger issues but loves his kids.",
    "The children were not affected.",
    "???",
    "Dispute.",
]


def _review(reviewer: Reviewer, note: str, context: dict[str, Any] | None = None) -> list[Any]:
    return [s for s in reviewer.review(note, context).sentences if s.suggestions]


@pytest.mark.parametrize("text", FLAGGED)
def test_rewrite_every_flagged_sentence_gets_one_to_three_checked_suggestions(
    rewriting_reviewer: Reviewer, text: str
) -> None:
    suggestions = suggestions_for(rewriting_reviewer, text, ["blaming_language"])
    assert 1 <= len(suggestions) <= 3
    facts = extract_facts(rewriting_reviewer.nlp(text))
    for item in suggestions:
        assert not missing_facts(facts, item["text"]), "every fact of the original is kept"
        assert bracket_problem(item["text"]) is None
        assert item["placeholders"] == re.findall(r"\[[^\[\]]+\]", item["text"])
        assert (item["start"], item["end"]) == (0, len(text))
        assert not rewriting_reviewer.rules.find(rewriting_reviewer.nlp(item["text"]))
        if item["strategy"] != "questions_only":
            assert not rewriter_of(rewriting_reviewer).still_blaming(item["text"])


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Father is controlling and jealous.", "perpetrator_pattern"),
        ("Mr. Haddad is abusive toward his wife.", "perpetrator_pattern"),
        ("Mom is very protective of the kids.", "survivor_protective_action"),
    ],
)
def test_rewrite_vague_characterization_asks_for_the_behaviors(
    rewriting_reviewer: Reviewer, text: str, label: str
) -> None:
    suggestions = suggestions_for(rewriting_reviewer, text, [label])
    assert 1 <= len(suggestions) <= 3
    first = suggestions[0]
    assert first["strategy"] == "behavior_prompts"
    subject = text.split(" is ")[0]
    assert first["text"].startswith(subject + " [specific")
    kind = "behaviors" if label == "perpetrator_pattern" else "protective actions"
    assert kind in first["placeholders"][0]


def test_rewrite_never_invents_facts(rewriting_reviewer: Reviewer) -> None:
    """Outside the [prompts], every name, number and quote of a suggestion is in the note."""
    for sentence in _review(rewriting_reviewer, REED_NOTE):
        for item in sentence.suggestions:
            own_words = re.sub(r"\[[^\[\]]*\]", " ", item["text"])
            for fact in extract_facts(rewriting_reviewer.nlp(own_words)).all():
                assert fact in REED_NOTE, f"{fact!r} is not in the note"


def test_rewrite_active_voice_names_the_actor_from_the_note(rewriting_reviewer: Reviewer) -> None:
    from st_nlp.rewrite.parties import find_parties

    doc = rewriting_reviewer.nlp(REED_NOTE)
    sentence = next(s for s in _review(rewriting_reviewer, REED_NOTE) if "assaulted" in s.text)
    span = doc.char_span(sentence.start, sentence.end)
    assert span is not None
    drafts = rewriter_of(rewriting_reviewer)._drafts(sentence, span, find_parties(doc))
    assert drafts[0].strategy == "active_voice"
    assert drafts[0].text.startswith("Mr. Reed assaulted Ms. Alvarez again on 3/10 [what exactly")
    # The active-voice draft passes the checks and is the suggestion returned.
    assert sentence.suggestions[0]["text"] == tidy(drafts[0].text)
    assert all(item["text"].startswith("Mr. Reed") for item in sentence.suggestions)


def test_rewrite_mutualizing_names_one_actor_with_behavior_prompts(
    rewriting_reviewer: Reviewer,
) -> None:
    sentence = next(s for s in _review(rewriting_reviewer, REED_NOTE) if "volatile" in s.text)
    first = sentence.suggestions[0]
    assert "relationship" not in first["text"]
    assert first["text"].startswith("Mr. Reed [specific behavior toward Ms. Alvarez")
    assert "Ms. Alvarez [" in first["text"]


def test_rewrite_uses_caller_context_parties(rewriting_reviewer: Reviewer) -> None:
    context = {
        "parties": [
            {"name": "Mr. Okafor", "role": "perpetrator"},
            {"name": "Ms. Bello", "role": "survivor"},
        ]
    }
    suggestions = _review(rewriting_reviewer, "Ms. Bello was assaulted on 6/1.", context)
    assert (
        suggestions[0].suggestions[0]["text"].startswith("Mr. Okafor assaulted Ms. Bello on 6/1 [")
    )


def test_rewrite_is_deterministic(rewriting_reviewer: Reviewer) -> None:
    first = rewriting_reviewer.review(REED_NOTE).to_dict()
    assert first == rewriting_reviewer.review(REED_NOTE).to_dict()


def test_rewrite_suggestions_show_the_nearest_curated_example(
    rewriting_reviewer: Reviewer, examples_file: Any
) -> None:
    from st_nlp.corpus.jsonl import read_records
    from st_nlp.corpus.rewrite_records import RewritePair

    train = {p.original: p.rewrite for _, p in read_records(examples_file, RewritePair)}
    sentence = next(s for s in _review(rewriting_reviewer, REED_NOTE) if "volatile" in s.text)
    example = sentence.suggestions[0]["example"]
    assert example["original"] == "The parents have a volatile relationship and fight often."
    assert train[example["original"]] == example["rewrite"]


def test_rewrite_retrieval_ranks_the_most_similar_original_first(
    rewriting_reviewer: Reviewer,
) -> None:
    index = rewriter_of(rewriting_reviewer).examples
    assert index is not None
    assert all(p.split == "train" for p in index.pairs)
    assert index.nearest("Dad is extremely controlling.")[0].pair.id == "rw-t-0003"
    assert index.nearest("Ms. Reyes was beaten on Sunday.")[0].pair.id == "rw-t-0002"


def test_rewrite_check_reads_each_prompt_cut_to_its_head() -> None:
    text = (
        "Mother [the specific act, e.g. pushed]; [impact on the children: what they saw]; "
        "[name of the person who did it]."
    )
    assert scored_form(text) == (
        "Mother [the specific act]; [impact on the children]; [name of the person who did it]."
    )
    assert scored_form("Mr. Reed hit her again [where].", blank_prompts=True) == (
        "Mr. Reed hit her [...]."
    )


@pytest.mark.parametrize(
    "draft",
    [
        "CW reminded BM she needs to make better choices and [name of the person who did it] "
        "[specific behavior: what the person causing harm did, to whom, when]; [impact on the "
        "children: what they saw, heard or said]; BM [protective efforts: what she did to keep "
        "the children safe].",
        "Mother said [her own words about what happened]; FOB [behaviors that shape her "
        "response, e.g. threats, monitoring, control of money] and emotionally unavailable to "
        "the kids d/t the DV.",
    ],
)
def test_rewrite_blame_a_draft_kept_is_withheld_however_long_its_prompts(
    rewriting_reviewer: Reviewer, draft: str
) -> None:
    """The whole draft, prompts explained, reads as a plain fact to the reviewer; the words
    kept from the original still blame the survivor, and the check sees them."""
    assert "blaming_language" not in rewriting_reviewer.classify([draft])[0]["labels"]
    assert rewriter_of(rewriting_reviewer).still_blaming(draft)


def test_rewrite_check_skips_only_drafts_that_keep_nothing_of_the_original(
    rewriting_reviewer: Reviewer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A draft of prompts and party mentions states nothing, so it is not scored; a prompt
    that quotes the original's characterization is."""
    from st_nlp.reviewer import SentenceResult

    rewriter = rewriter_of(rewriting_reviewer)
    text = "Mother has poor judgment about FOB."
    sentence = SentenceResult(text, 0, len(text), ["blaming_language"], {})
    facts = extract_facts(rewriting_reviewer.nlp(text))
    template = "[name of the person who did it] [specific behavior]; Mother [protective efforts]."
    quoting = "Mother [specific protective actions that show Mother has poor judgment about FOB]."
    checked: list[str] = []
    still_blaming = rewriter.still_blaming

    def recorded(draft: str, blank_prompts: bool = False) -> bool:
        checked.append(draft)
        return still_blaming(draft, blank_prompts)

    monkeypatch.setattr(rewriter, "still_blaming", recorded)
    drafts = [Draft(t, "x", "r", "p") for t in (template, quoting)]
    accepted = rewriter._checked(drafts, sentence, facts, text, [], aliases=("FOB", "Mother"))
    assert accepted[0]["text"] == template
    assert checked == [quoting]


def test_rewrite_never_copies_facts_from_an_example(rewriting_reviewer: Reviewer) -> None:
    """A draft carrying the example's name, date or quote is rejected by the run-time check."""
    rewriter = rewriter_of(rewriting_reviewer)
    assert rewriter.examples is not None
    text = "The parents have a volatile relationship."
    neighbors = rewriter.examples.nearest(text)
    from st_nlp.reviewer import SentenceResult

    sentence = SentenceResult(text, 0, len(text), ["blaming_language"], {})
    facts = extract_facts(rewriting_reviewer.nlp(text))
    drafts = [
        Draft("Mr. Zebediah Quill [specific acts toward the survivor].", "x", "r", "p"),
        Draft("[Name] [specific acts] on 4/4/19.", "x", "r", "p"),
        Draft('[Name] said "never again" [to whom, when].', "x", "r", "p"),
        Draft("[Name] [specific acts toward the survivor, when].", "x", "r", "p"),
    ]
    accepted = rewriter._checked(drafts, sentence, facts, text, neighbors)
    assert [a["text"] for a in accepted] == ["[Name] [specific acts toward the survivor, when]."]
    for sentence_result in _review(rewriting_reviewer, REED_NOTE + " They fight."):
        for item in sentence_result.suggestions:
            for leaked in ("Zebediah", "Quill", "4/4/19", "never again"):
                assert leaked not in item["text"]


def test_rewrite_example_facts_are_extracted_once_per_pair_as_from_each_text(
    rewriting_reviewer: Reviewer,
) -> None:
    """The per-pair memo gives exactly what tagging each example text on its own gives, and
    `warm` fills it for every curated pair before any note asks."""
    from st_nlp.review_cache import tagged

    rewriter = rewriter_of(rewriting_reviewer)
    assert rewriter.examples is not None
    pairs = list(rewriter.examples.pairs)
    rewriting_reviewer.warm()
    assert set(rewriter._pair_facts) == {p.id for p in pairs}
    nlp = rewriting_reviewer.nlp
    for pair, facts in zip(pairs[:60], rewriter.identifying_facts(pairs[:60]), strict=True):
        expected = [
            fact
            for text in (pair.original, pair.rewrite)
            for fact in extract_facts(tagged(nlp, text)).identifying()
        ]
        assert list(facts) == expected


def test_possible_facts_hold_every_fact_the_tagger_finds(rewriting_reviewer: Reviewer) -> None:
    """`possible_facts` reads tokens only, and must miss no name, number or quote that
    `extract_facts` finds on the tagged text: the rewriter skips tagging a draft when all of
    them are in the note. Checked on corpus sentences and on their words with the prompts of a
    template around them."""
    from st_nlp.corpus.jsonl import read_records
    from st_nlp.corpus.paths import DATA_DIR, SENTENCES_FILE
    from st_nlp.corpus.records import SentenceRecord
    from st_nlp.review_cache import tagged
    from st_nlp.rewrite.facts import possible_facts

    nlp = rewriting_reviewer.nlp
    records = read_records(DATA_DIR / SENTENCES_FILE, SentenceRecord)
    texts = [record.text for _, (_, record) in zip(range(400), records, strict=False)]
    assert len(texts) == 400
    texts += [f"Mr. Reed  {text}; Ms. Alvarez ." for text in texts[:100]]
    checked = 0
    for text in texts:
        found = set(extract_facts(tagged(nlp, text)).all())
        assert found <= set(possible_facts(nlp.make_doc(text))), text
        checked += bool(found)
    assert checked > 300  # most of them hold facts: the check is not vacuous


def test_rewrite_tags_a_draft_only_when_it_may_invent(rewriting_reviewer: Reviewer) -> None:
    """A draft made of the note's words is not tagged (`_invented` knows without it); a draft
    with a word the note lacks that could be a name is tagged, and the invented name found."""
    rewriter = rewriter_of(rewriting_reviewer)
    nlp = rewriter.reviewer.nlp
    memo = nlp.tagged_memo
    before = memo.misses
    grounded = "Mr. Reed punched Ms. Alvarez on 3/9 [what exactly he did]."
    assert rewriter._invented(grounded, REED_NOTE) == []
    assert memo.misses == before  # nothing was tagged
    invented = "Mr. Reed punched Ms. Alvarez on 3/9 while Zoltan watched [what exactly he did]."
    assert rewriter._invented(invented, REED_NOTE) == ["Zoltan"]
    assert memo.misses == before + 1
