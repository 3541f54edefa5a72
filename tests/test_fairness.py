"""Roles are not genders: gender-blind classifier input and the counterfactual swaps."""

from __future__ import annotations

import pytest

from st_nlp.classifiers.neutral import neutralize
from st_nlp.counterfactual import swap_gender, swap_names


@pytest.mark.parametrize(
    "sentence",
    [
        "Mother said FOB punched her in front of the kids.",
        "Mr. Reyes's wife called 911 after he choked her.",
        "BM's girlfriend took her phone and her car keys.",
        "The stepmother locked her daughter in the garage.",
        "Grandma told CW that her grandson shoved her.",
    ],
)
def test_neutralize_makes_gender_swaps_invisible(nlp, sentence: str) -> None:  # type: ignore[no-untyped-def]
    swapped = swap_gender(sentence, nlp)
    assert swapped != sentence
    assert neutralize(swapped) == neutralize(sentence)


def test_neutralize_keeps_everything_else() -> None:
    text = "On 3/9 FOB Daniel Reyes punched BM in the kitchen."
    assert neutralize(text) == "On 3/9 parent Name Name punched parent in the kitchen."


def test_neutralize_makes_name_swaps_invisible() -> None:
    text = "Keisha Price told CW that Darnell took Keisha's car keys on 3/2."
    swapped = swap_names(text, ["Keisha Price", "Darnell Price"])
    assert swapped != text
    assert neutralize(swapped) == neutralize(text)


def test_swap_gender_uses_the_tagger_for_her(nlp) -> None:  # type: ignore[no-untyped-def]
    assert swap_gender("She took her keys and hit her.", nlp) == "He took his keys and hit him."


def test_swap_gender_leaves_role_shorthand_alone(nlp) -> None:  # type: ignore[no-untyped-def]
    # "BF" usually means boyfriend in case notes: BM -> BF would change the meaning.
    assert swap_gender("BM said FOB left.", nlp) == "BM said FOB left."


def test_swap_names_is_deterministic_and_whole_word() -> None:
    text = "Keisha Price told CW that Darnell took Keisha's car."
    once = swap_names(text, ["Keisha Price", "Darnell Price"])
    assert once == swap_names(text, ["Keisha Price", "Darnell Price"])
    assert "Keisha" not in once and "Darnell" not in once and "CW" in once
