"""A syntax check on the span tagger's `agentless` spans: a verb whose actor is named is not.

The tagger reads words, not grammar, so it learns "assaulted" as agentless from the many
"mother was assaulted" sentences and then marks "Mr. Reed assaulted Ms. Alvarez" too, which is
exactly the active-voice sentence the Safe & Together Model asks for. A span is dropped when a
verb in it has a person as its subject, or any `by` agent but a date (as for the rule), outside
the span; event nouns ("the incident happened") and expletives ("it escalated") name no actor
and keep the span. So is every `agentless` span of a sentence where a verb of violence or
control has a person as its actor ("was treated at the ER after Mr. Dean twisted her arm"):
the codebook's agentless language has no actor anywhere in the sentence.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Token

from st_nlp.rules.engine import TIME_WORDS, is_person
from st_nlp.rules.spec import load_rule_file


def _actors(verb: Token) -> list[tuple[Token, bool]]:
    """The verb's active subject and the objects of its `by` agent, each with whether it came
    from the agent."""
    found = []
    for child in verb.children:
        if child.dep_ == "nsubj":
            found.append((child, False))
        elif child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            found.extend((c, True) for c in child.children if c.dep_ == "pobj")
    return found


def _names_actor(actor: Token, from_agent: bool) -> bool:
    """A subject names an actor when it is a person ("the incident happened" names none); a
    `by` agent does unless it is a date or time ("by Friday"), as for the agentless-passive
    rule: "her car was hit by another driver" is no agentless passive of violence."""
    if from_agent:
        return not (actor.like_num or actor.lower_ in TIME_WORDS)
    return is_person(actor)


def names_its_actor(doc: Doc, start: int, end: int) -> bool:
    """True when a verb in `doc`'s characters `start..end` has a person as its actor."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    for token in span:
        if token.pos_ not in {"VERB", "AUX"}:
            continue
        for actor, from_agent in _actors(token):
            if not span.start <= actor.i < span.end and _names_actor(actor, from_agent):
                return True
    return False


@lru_cache(maxsize=1)
def violence_verbs() -> frozenset[str]:
    """The verbs of the packaged agentless-passive rules: violence and coercive control."""
    return frozenset(
        verb.lower()
        for rule in load_rule_file().rules
        if rule.kind == "agentless_passive"
        for verb in rule.verbs
    )


def is_violence_verb(token: Token) -> bool:
    """Whether `token` is one of `violence_verbs`, by its lemma or as written."""
    return bool({token.lemma_.lower(), token.lower_} & violence_verbs())


def names_a_violent_actor(doc: Doc) -> bool:
    """True when some verb of violence or control in `doc` has a person as its actor ("after
    Mr. Dean twisted her arm"): the codebook's agentless language has no actor anywhere in the
    sentence (6.3, 6.13), so the tagger's other `agentless` spans there are dropped too."""
    for token in doc:
        if token.pos_ != "VERB" or not is_violence_verb(token):
            continue
        if any(_names_actor(actor, from_agent) for actor, from_agent in _actors(token)):
            return True
    return False
