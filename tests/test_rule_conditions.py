"""The condition clause a threatened consequence is tied to (`st_nlp.rules.conditions`)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from st_nlp.rules.conditions import condition_clauses


@pytest.mark.parametrize(
    ("sentence", "consequence", "expected"),
    [
        # With a comma, the clause is the "if" clause's subtree.
        (
            "If mother is unable to follow this plan, the children may be placed in care.",
            "placed in care",
            ["If mother is unable to follow this plan"],
        ),
        # Without one, the small parser reads the main clause as a relative clause of "plan":
        # the condition ends where that clause, with its own subject, begins.
        (
            "If BM fails to follow the plan the agency will consider filing for removal.",
            "removal",
            ["If BM fails to follow the plan"],
        ),
        (
            "BM was told if there is another incident the children may be removed.",
            "be removed",
            ["if there is another incident"],
        ),
        # A true relative clause is part of the condition; the consequence inside the
        # condition is no threat tied to it.
        (
            "CW will drive her if she goes to the home where the children were removed.",
            "removed",
            [],
        ),
        ("The agency may file for removal.", "removal", []),
        # The subject of "result in" / "lead to" is the condition; a pronoun points elsewhere.
        (
            "BM knows that any contact with FOB will result in the children returning to care.",
            "returning to care",
            ["any contact with FOB"],
        ),
        ("This could lead to removal.", "removal", []),
    ],
)
def test_the_condition_is_the_clause_the_consequence_depends_on(
    nlp: Language, sentence: str, consequence: str, expected: list[str]
) -> None:
    doc = nlp(sentence)
    start = sentence.index(consequence)
    span = doc.char_span(start, start + len(consequence))
    assert span is not None
    assert [clause.text for clause in condition_clauses(doc[:], span)] == expected
