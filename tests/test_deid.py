"""De-identification: recall on held-out planted identifiers, role tokens, offset mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from st_nlp.deid.deidentifier import Deidentifier
from st_nlp.deid.evaluation import DeidScores, score_planted
from st_nlp.deid.synthetic import IDENTIFIER_TYPES, NAMES, TEMPLATES, generate, read_fixture

DEID_DIR = Path(__file__).resolve().parents[1] / "annotation" / "deid"
TARGET = 0.98


@pytest.fixture(scope="module")
def deid() -> Deidentifier:
    return Deidentifier()


@pytest.fixture(scope="module")
def heldout_scores(deid: Deidentifier) -> DeidScores:
    return score_planted(read_fixture(DEID_DIR / "heldout.jsonl"), deid)


@pytest.mark.parametrize("kind", IDENTIFIER_TYPES)
def test_deid_heldout_recall_per_type(heldout_scores: DeidScores, kind: str) -> None:
    assert heldout_scores.total[kind] >= 20
    assert heldout_scores.recall()[kind] >= TARGET


def test_deid_heldout_person_recall_floor(heldout_scores: DeidScores) -> None:
    assert heldout_scores.recall()["PERSON"] >= 0.95


def test_deid_heldout_precision_floor(heldout_scores: DeidScores) -> None:
    assert heldout_scores.precision >= 0.9


def test_deid_fixtures_come_from_the_seeded_generator() -> None:
    for name, world, n, seed in (("dev", "dev", 60, 11), ("heldout", "heldout", 80, 1001)):
        assert read_fixture(DEID_DIR / f"{name}.jsonl") == json.loads(
            json.dumps(generate(world, n, seed))  # type: ignore[arg-type]
        )


def test_deid_heldout_world_shares_no_names_or_templates_with_dev() -> None:
    dev, held = NAMES["dev"], NAMES["heldout"]
    for field in ("female", "male", "surnames", "places", "cities"):
        assert not set(getattr(dev, field)) & set(getattr(held, field)), field
    assert not set(TEMPLATES["dev"]) & set(TEMPLATES["heldout"])


NOTE = (
    "CW Tom Baker met BM Ana Ortiz and FOB Luis Reyes on 3/14/24 at 4 Elm St, Apt 3B.\n"
    "Ana said Luis hit her in front of Mia (6) and Leo (3). Ms. Ortiz called 555-201-3344.\n"
    "mia told Tom that luis threw a cup. Case #24-JV-0193. Ana moved to Harbor House."
)


def test_deid_role_tokens_are_consistent_within_a_note(deid: Deidentifier) -> None:
    result = deid.deidentify(NOTE)
    text = result.text
    for name in ("Tom", "Baker", "Ana", "Ortiz", "Luis", "Reyes", "Mia", "Leo", "mia", "luis"):
        assert name not in text.replace("[", " ").split(), name
    tokens = {text[r.new_start : r.new_end] for r in result.redactions if r.entity == "PERSON"}
    assert tokens == {"[WORKER]", "[MOTHER]", "[FATHER]", "[CHILD 1]", "[CHILD 2]"}
    by_name = {}
    for r in result.redactions:
        if r.entity == "PERSON":
            by_name.setdefault(NOTE[r.start : r.end].lower().split()[-1], set()).add(r.token)
    assert by_name["luis"] == {"[FATHER]"}
    assert by_name["mia"] == {"[CHILD 1]"}
    assert by_name["ana"] == by_name["ortiz"] == {"[MOTHER]"}
    for token in ("[DATE]", "[ADDRESS]", "[PHONE]", "[CASE NUMBER]", "[SURVIVOR LOCATION]"):
        assert token in text


def test_deid_map_span_moves_offsets_onto_the_new_text(deid: Deidentifier) -> None:
    text = "On 3/14/24 Ana Ortiz was blamed for the assault."
    result = deid.deidentify(text)
    start = text.index("blamed")
    new_start, new_end = result.map_span(start, start + len("blamed"))
    assert result.text[new_start:new_end] == "blamed"
    inside = result.map_span(text.index("Ortiz"), text.index("Ortiz") + 5)
    assert result.text[inside[0] : inside[1]].startswith("[")


def test_deid_together_gives_the_same_token_in_every_text(deid: Deidentifier) -> None:
    sentence, rewrite = deid.deidentify_together(["BM Ana said FOB Luis hit her.", "Luis hit Ana."])
    assert "[MOTHER]" in rewrite.text and "[FATHER]" in rewrite.text
    assert "Ana" not in rewrite.text and "Luis" not in sentence.text


@pytest.mark.parametrize(
    ("sentence", "word", "name"),
    [
        ("bm rosa said fob diego took her phone.", "diego", True),
        ("She is staying at Maple Inn and nguyet still goes to Willow School.", "nguyet", True),
        ("Sean attends Cedar Head Start.", "Sean", True),
        ("she said counseling and parenting classes help.", "counseling", False),
        ("the hotline worker called back at 3 pm about the paperwork.", "paperwork", False),
        ("Counseling starts next week.", "Counseling", False),
    ],
)
def test_deid_unknown_words_in_a_names_place_are_people(
    deid: Deidentifier, sentence: str, word: str, name: bool
) -> None:
    start = sentence.index(word)
    people = [s for s in deid.analyze(sentence) if s.entity == "PERSON"]
    assert any(s.start <= start < s.end for s in people) is name


def test_deid_casenote_vocabulary_is_reproducible_from_the_corpus(annotation_tool) -> None:  # type: ignore[no-untyped-def]
    from st_nlp.deid.dictionary import CASENOTE_WORDS_FILE

    module = annotation_tool("make_casenote_words")
    assert module.build() == CASENOTE_WORDS_FILE.read_text(encoding="utf-8").split()
