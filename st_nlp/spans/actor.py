"""A syntax check on the span tagger's `agentless` spans: a verb whose actor is named is not.

The tagger reads words, not grammar, so it learns "assaulted" as agentless from the many
"mother was assaulted" sentences and then marks "Mr. Reed assaulted Ms. Alvarez" too, which is
exactly the active-voice sentence the Safe & Together Model asks for. A span is dropped when a
verb in it has a person as its subject or as its `by` agent outside the span; event nouns
("the incident happened") and expletives ("it escalated") name no actor and keep the span.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from st_nlp.rewrite.parties import PERSON_ROLES

PERSONAL_PRONOUNS = frozenset("i you he she we they him her them".split())


def _is_person(token: Token) -> bool:
    if token.pos_ == "PROPN" or token.ent_type_ == "PERSON":
        return True
    if token.pos_ == "PRON":
        return token.lower_ in PERSONAL_PRONOUNS
    return token.lemma_.lower() in PERSON_ROLES or token.lower_ in PERSON_ROLES


def _actors(verb: Token) -> list[Token]:
    """The verb's active subject, or the object of its `by` agent."""
    found = []
    for child in verb.children:
        if child.dep_ == "nsubj":
            found.append(child)
        elif child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            found.extend(c for c in child.children if c.dep_ == "pobj")
    return found


def names_its_actor(doc: Doc, start: int, end: int) -> bool:
    """True when a verb in `doc`'s characters `start..end` has a person as its actor."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    for token in span:
        if token.pos_ not in {"VERB", "AUX"}:
            continue
        for actor in _actors(token):
            if not span.start <= actor.i < span.end and _is_person(actor):
                return True
    return False
