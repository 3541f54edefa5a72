"""The public contract: `Reviewer` and the `classify` / `review` commands, on the bundled model."""

from __future__ import annotations

import json
import unicodedata

import numpy as np
import pytest

from st_nlp import Reviewer
from st_nlp.cli.main import app
from st_nlp.taxonomy import LABELS
from st_nlp.training import choose_blaming_without_evidence

NOTE = (
    "CW met with BM Ana Morales at the home on 3/14/24 at 10:30 a.m.\n"
    "FOB Daniel Reyes grabbed BM by the throat on 3/9 while Luis (7) watched from the hallway.\n"
    'Luis told CW, "Daddy squeezed Mommy\'s neck and I hid under my bed."\n'
    "The parents have a volatile relationship and mother failed to protect the children.\n"
    "BM called 911 and took the children to MGM's apartment that night.\n"
    "Mother was assaulted on two prior occasions."
)


@pytest.fixture(scope="module")
def reviewer() -> Reviewer:
    return Reviewer.load()


def test_reviewer_classify_returns_labels_and_scores_for_every_label(reviewer: Reviewer) -> None:
    results = reviewer.classify(
        ["FOB punched BM in the face on 3/9.", "The parents have a volatile relationship."]
    )
    assert len(results) == 2
    for result in results:
        assert set(result["scores"]) == {str(label) for label in LABELS}
        assert all(0.0 <= p <= 1.0 for p in result["scores"].values())
    assert "perpetrator_pattern" in results[0]["labels"]
    assert "blaming_language" in results[1]["labels"]


def test_reviewer_review_offsets_findings_and_quality(reviewer: Reviewer) -> None:
    result = reviewer.review(NOTE)
    data = result.to_dict()
    assert len(data["sentences"]) == 6
    for sentence in data["sentences"]:
        assert NOTE[sentence["start"] : sentence["end"]] == sentence["text"]
        for finding in sentence["findings"]:
            assert set(finding) == {
                "rule_id",
                "label",
                "subtype",
                "start",
                "end",
                "message",
                "severity",
            }
            assert sentence["start"] <= finding["start"] < finding["end"] <= sentence["end"]
    flagged = {NOTE[f["start"] : f["end"]] for s in data["sentences"] for f in s["findings"]}
    assert {"volatile relationship", "failed to protect", "was assaulted"} <= flagged
    assert 0 <= data["quality"]["score"] <= 100
    assert set(data["quality"]["components"]) == {
        "perpetrator_pattern",
        "perpetrator_harm_to_child",
        "survivor_protective_efforts",
        "child_impact",
        "intersections",
    }


def test_reviewer_suggestions_name_the_perpetrator_and_ask_for_facts(reviewer: Reviewer) -> None:
    result = reviewer.review(NOTE).to_dict()
    mutual = result["sentences"][3]
    assert mutual["suggestions"], "a mutualizing, survivor-blaming sentence gets a suggestion"
    suggestion = mutual["suggestions"][0]
    assert set(suggestion) == {
        "text",
        "rationale",
        "principle",
        "placeholders",
        "start",
        "end",
        "strategy",
        "example",
    }
    assert set(suggestion["example"]) == {"original", "rewrite"}
    assert "FOB Daniel Reyes" in suggestion["text"]  # the note's own names, not placeholders
    assert "volatile relationship" not in suggestion["text"]
    assert suggestion["placeholders"]
    assert all(p in suggestion["text"] for p in suggestion["placeholders"])
    assert (suggestion["start"], suggestion["end"]) == (mutual["start"], mutual["end"])
    for sentence in result["sentences"]:
        for item in sentence["suggestions"]:  # every returned suggestion passed the checks
            assert not reviewer.rules.find(reviewer.nlp(item["text"]))


def test_reviewer_agentless_rewrite_names_the_actor(reviewer: Reviewer) -> None:
    from st_nlp.rewrite.parties import find_parties

    doc = reviewer.nlp(NOTE)
    sentence = reviewer.review(NOTE).sentences[-1]
    span = doc.char_span(sentence.start, sentence.end)
    assert span is not None
    drafts = reviewer.rewriter._drafts(sentence, span, find_parties(doc))  # type: ignore[union-attr]
    assert drafts[0].strategy == "active_voice"
    # Active voice with the actor the note names, then a prompt for the specific behavior.
    assert drafts[0].text.startswith("FOB Daniel Reyes assaulted Mother on two prior occasions")
    assert drafts[0].text.endswith("].") and "[" in drafts[0].text


def test_reviewer_empty_note_is_a_valid_empty_result(reviewer: Reviewer) -> None:
    result = reviewer.review("   \n").to_dict()
    assert result["sentences"] == []
    assert result["quality"]["sentences"] == 0


def test_reviewer_is_deterministic(reviewer: Reviewer) -> None:
    assert reviewer.review(NOTE).to_dict() == reviewer.review(NOTE).to_dict()


def test_cli_classify_writes_one_json_object_per_line_in_order(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "s.txt"
    lines = ["FOB punched BM on 3/9.", "", "CW scheduled a visit for 4/2."]
    source.write_text("\n".join(lines) + "\n")
    result = cli.invoke(app, ["classify", str(source)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [row["text"] for row in rows] == lines
    assert all(set(row) == {"text", "labels", "scores"} for row in rows)


def test_cli_review_json_and_text(cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "note.txt"
    source.write_text(NOTE)
    result = cli.invoke(app, ["review", str(source), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"sentences", "quality"}
    result = cli.invoke(app, ["review", "-", "--format", "text"], input=NOTE)
    assert result.exit_code == 0, result.output
    assert "Documentation quality" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"CW met BM.\n\xff\xfe bad", "byte offset 11"),
        (None, "no such file"),
    ],
)
def test_cli_review_bad_input_names_the_problem(cli, tmp_path, content, message) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "note.txt"
    if content is not None:
        source.write_bytes(content)
    result = cli.invoke(app, ["review", str(source)])
    assert result.exit_code == 2
    assert message in result.output
    assert "CW met BM" not in result.output


def test_cli_review_empty_input_is_a_valid_empty_result(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli.invoke(app, ["review", "-", "--format", "json"], input="")
    assert result.exit_code == 0
    assert json.loads(result.output)["sentences"] == []


def test_reviewer_blaming_without_evidence_needs_the_higher_score(reviewer: Reviewer) -> None:
    """A blaming score between the threshold and the gate counts only with a rule or tagger
    span; above the gate it counts alone; the other labels never depend on evidence."""
    blaming = LABELS.index("blaming_language")
    low, gate = float(reviewer.thresholds[blaming]), reviewer.blaming_without_evidence
    assert gate >= low
    between = (low + gate) / 2 if gate > low else low
    rows = np.full((4, len(LABELS)), 0.99)
    rows[:, blaming] = [between, between, min(gate + 0.01, 1.0), low - 0.01]
    decisions = reviewer.decide(rows, [True, False, False, True])
    assert decisions[:, blaming].tolist() == [True, gate <= low, True, False]
    assert decisions[:, [i for i in range(len(LABELS)) if i != blaming]].all()


PLAIN_FACT_CASES = {
    # Codebook 6.8: where the children were. The classifier scores the first three as blaming
    # (0.6-0.9, from look-alikes that add "and were not affected"); the tagger marks "during
    # the incident".
    "FACT-CHILD-LOCATION": (
        [
            ("The children were not present during the incident.", False),
            ("The kids were at school during the incident.", False),
            ("The children were present when the police arrived.", False),
            ("The children were present but not affected.", True),
            ("The children were upstairs, so risk appears low.", True),
        ],
        3,
    ),
    # Codebook 8 and 6.23: refusing access is a protective decision (or the agency's plan), and
    # a perpetrator refusing it is control. The classifier scores the first four as blaming
    # (0.4-0.8, from "allow"). A duty, a condition or a rule's own words keep blaming.
    "FACT-REFUSED-ACCESS": (
        [
            ("Mother will not allow father into the home.", False),
            ("BM will not allow FOB to have contact with the kids.", False),
            ("Mom refused to let Dad back in after the 3/2 incident.", False),
            ("Father won't let mother see her friends.", False),
            ("Mother should not let father back into the home.", True),
            ("Mother will not allow him in the home, but she let him stay last weekend.", True),
        ],
        4,
    ),
}


@pytest.mark.parametrize("fact", sorted(PLAIN_FACT_CASES))
def test_a_plain_fact_is_not_blaming_unless_a_rule_flags_blaming_words(
    reviewer: Reviewer, fact: str
) -> None:
    """Neither the classifier's score nor the tagger's words make a plain fact (`plain_facts`
    in the rule file) blaming. A rule's words do, and cue words keep a sentence from being
    read as a plain fact. `classify` and `review` decide alike."""
    cases, scored_as_blaming = PLAIN_FACT_CASES[fact]
    texts = [text for text, _ in cases]
    expected = [blaming for _, blaming in cases]
    scores, decisions, _ = reviewer.assess_sentences(texts)
    blaming = LABELS.index("blaming_language")
    assert (scores[:scored_as_blaming, blaming] >= reviewer.thresholds[blaming]).all()
    assert decisions[:, blaming].tolist() == expected
    assert ["blaming_language" in r["labels"] for r in reviewer.classify(texts)] == expected
    reviewed = reviewer.review("\n".join(texts))
    assert ["blaming_language" in s.labels for s in reviewed.sentences] == expected


def test_classify_skips_only_tagging_that_cannot_change_a_label(reviewer: Reviewer) -> None:
    """`classify` tags fewer sentences (`all_findings=False`) but decides exactly as review and
    evaluate do, on corpus sentences with and without blaming language."""
    from st_nlp.training import load_split

    texts = load_split("dev").texts[:400]
    full_scores, full, _ = reviewer.assess_sentences(texts)
    fast_scores, fast, _ = reviewer.assess_sentences(texts, all_findings=False)
    assert np.array_equal(full, fast)
    assert np.array_equal(full_scores, fast_scores)
    assert full[:, LABELS.index("blaming_language")].any()
    classified = reviewer.classify(texts)
    assert [c["labels"] for c in classified] == [
        [str(lb) for i, lb in enumerate(LABELS) if row[i]] for row in full
    ]


def test_sentences_ruled_out_before_parsing_lose_no_rule_finding(reviewer: Reviewer) -> None:
    """`assess_sentences` parses only what the rule triggers keep; its rule findings are
    those of the rules on every sentence fully parsed."""
    from st_nlp.training import load_split

    texts = load_split("dev").texts
    _, _, findings = reviewer.assess_sentences(texts)
    rule_ids = {rule.id for rule in reviewer.rules.rule_file.rules}
    found = [[(f.rule_id, f.start, f.end) for f in fs if f.rule_id in rule_ids] for fs in findings]
    expected = [
        [(f.rule_id, f.start, f.end) for f in reviewer.rules.find(doc)]
        for doc in reviewer.nlp.pipe(texts)
    ]
    assert found == expected
    assert sum(map(bool, expected)) > 40


def test_classify_refuses_a_sentence_over_the_length_limit(reviewer: Reviewer) -> None:
    from st_nlp.segment import MAX_NOTE_CHARS

    with pytest.raises(ValueError, match=f"the limit is {MAX_NOTE_CHARS} characters"):
        reviewer.classify(["ok.", "a" * (MAX_NOTE_CHARS + 1)])


def test_evidence_gate_is_chosen_on_scores_and_never_below_the_threshold() -> None:
    threshold = 0.3
    # Blaming sentences without evidence score high; the non-blaming ones score in between.
    blaming = np.array([0.9, 0.85, 0.4, 0.45, 0.5, 0.35, 0.42])
    y = np.array([1, 1, 1, 0, 0, 0, 0])
    has_evidence = np.array([False, False, True, False, False, False, False])
    gate = choose_blaming_without_evidence(blaming, y, has_evidence, threshold)
    assert 0.5 < gate <= 0.85  # keeps both high scorers, drops the in-between ones
    # Where nothing non-blaming reaches the threshold, a gate cannot help: none is set.
    clean = np.where(y == 1, blaming, 0.1)
    assert choose_blaming_without_evidence(clean, y, has_evidence, threshold) == threshold


@pytest.mark.parametrize(
    ("space", "line_break"),
    [("\u00a0", "\n"), ("\u202f", "\n"), (" ", "\r")],  # pasted from word processors, old systems
)
def test_reviewer_reads_pasted_spaces_and_line_breaks_as_plain_ones(
    reviewer: Reviewer, space: str, line_break: str
) -> None:
    plain = "Mother failed to protect the children.\nFOB was arrested on 3/2."
    pasted = plain.replace(" ", space).replace("\n", line_break)
    expected, result = reviewer.review(plain), reviewer.review(pasted)
    assert [(s.start, s.end) for s in result.sentences] == [
        (s.start, s.end) for s in expected.sentences
    ]
    assert [s.labels for s in result.sentences] == [s.labels for s in expected.sentences]
    assert [(f.rule_id, f.start, f.end) for f in result.sentences[0].findings] == [
        (f.rule_id, f.start, f.end) for f in expected.sentences[0].findings
    ]
    # The sentences are the caller's own text, pasted characters included.
    assert all(pasted[s.start : s.end] == s.text for s in result.sentences)
    assert [row["labels"] for row in reviewer.classify(pasted.split(line_break))] == [
        row["labels"] for row in reviewer.classify(plain.split("\n"))
    ]


def test_reviewer_reads_rich_text_markup_as_what_it_shows(reviewer: Reviewer) -> None:
    """A note exported from a rich-text editor is reviewed as its plain text; offsets and
    sentence texts stay the caller's own, markup included."""
    plain = 'HV 3/4 with BM.\nMother failed to protect the children.\nFOB said "I don\'t hit her."'
    marked = (
        "<p>HV 3/4 with <b>BM</b>.</p><p>Mother failed&nbsp;to protect the children.<br>"
        "FOB said &quot;I don&#39;t hit her.&quot;</p>"
    )
    expected, result = reviewer.review(plain), reviewer.review(marked)
    assert [s.labels for s in result.sentences] == [s.labels for s in expected.sentences]
    assert all(marked[s.start : s.end] == s.text for s in result.sentences)
    assert [s.text for s in result.sentences] == [
        "HV 3/4 with <b>BM</b>.",
        "Mother failed&nbsp;to protect the children.",
        "FOB said &quot;I don&#39;t hit her.&quot;",
    ]
    (finding,) = result.sentences[1].findings
    assert finding.rule_id == expected.sentences[1].findings[0].rule_id
    assert marked[finding.start : finding.end] == "failed&nbsp;to protect"
    assert [g["text"] for g in result.sentences[1].suggestions] == [
        g["text"] for g in expected.sentences[1].suggestions
    ]


def test_classify_reads_markup_in_sentences_too(reviewer: Reviewer) -> None:
    marked = ["Mother failed&nbsp;to protect the children.", "A <b>volatile</b> relationship."]
    plain = ["Mother failed to protect the children.", "A volatile relationship."]
    assert reviewer.classify(marked) == reviewer.classify(plain)
    _, _, findings = reviewer.assess_sentences(marked)
    assert [
        [text[f.start : f.end] for f in found] for text, found in zip(marked, findings, strict=True)
    ] == [
        ["failed&nbsp;to protect"],
        ["volatile</b> relationship"],
    ]


def test_reviewer_reads_decomposed_accents_as_composed_ones(reviewer: Reviewer) -> None:
    """The library reads NFC, as the service always did: `st-nlp review` and `/v1/review` agree."""
    composed = "José met CW on 3/4. The parents have a volatile relationship."
    decomposed = unicodedata.normalize("NFD", composed)
    expected, result = reviewer.review(composed), reviewer.review(decomposed)
    assert [s.scores for s in result.sentences] == [s.scores for s in expected.sentences]
    assert all(decomposed[s.start : s.end] == s.text for s in result.sentences)
    assert result.sentences[0].text == "Jose\u0301 met CW on 3/4."
    (finding,) = result.sentences[1].findings
    assert decomposed[finding.start : finding.end] == "volatile relationship"
