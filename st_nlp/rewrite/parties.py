"""Who is who in a note: the person causing harm and the survivor, from the note itself.

Rewrites name the actors the note names ("Mr. Reed punched Ms. Alvarez" elsewhere in the note
makes "Mr. Reed" the actor of "Ms. Alvarez was assaulted"). Callers can pass the parties
explicitly as `context={"parties": [{"name": "Mr. Reed", "role": "perpetrator"}, ...]}`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Token

HARM_LEMMAS = frozenset(
    "hit punch slap kick choke strangle push shove grab beat assault attack threaten strike"
    " throw bite drag pin restrain smother stab burn smash monitor track stalk isolate"
    " harass rape force squeeze".split()
)
PROTECTIVE_LEMMAS = frozenset(
    "call flee leave file seek report escape hide move petition obtain contact".split()
)
PERSON_ROLES = frozenset(
    "mother father mom dad bm bf fob mob wife husband partner girlfriend boyfriend stepmother"
    " stepfather spouse fiance fiancee grandmother grandfather aunt uncle survivor victim".split()
)
CHILD_WORDS = frozenset(
    "child children kid kids son daughter baby infant toddler boy girl siblings minor".split()
)
PRONOUNS = {"he": "him", "she": "her", "they": "them", "i": "me", "we": "us"}
TITLES = frozenset({"Mr.", "Ms.", "Mrs.", "Dr.", "Mx."})
# Nouns that can name the survivor in a clause's subject besides the family roles: the
# survivor as a service's client or patient.
SURVIVOR_NOUNS = frozenset("client patient pt parent".split())
# Other people whose behavior a note characterizes: professionals and the wider family.
OTHER_PEOPLE = frozenset(
    "advocate worker caseworker cw teacher officer officers deputy deputies investigator"
    " therapist counselor counsellor director nurse doctor staff sister brother grandson"
    " granddaughter cousin neighbor neighbour friend grandparent grandparents parents pgf pgm"
    " mgf mgm moc foc".split()
)


@dataclass(frozen=True)
class Parties:
    perpetrator: str | None
    survivor: str | None

    def actor(self) -> str:
        return self.perpetrator or "[name of the person who did it]"

    def target(self) -> str:
        return self.survivor or "[the adult survivor]"


def proper_name(token: Token) -> bool:
    """A proper noun that can name a person. A word in capitals counts only where the entity
    recognizer calls it a person: headers ("STATUS REPORT TO THE COURT") are tagged as proper
    nouns too, and "REPORT" then reads as a verb whose subject is "STATUS"."""
    if token.pos_ != "PROPN":
        return False
    return not (token.is_upper and len(token) > 3) or token.ent_type_ == "PERSON"


def _mention(token: Token) -> str | None:
    """A readable mention for a subject/object token: 'Mr. Reed', 'FOB', 'Ana Morales'."""
    if token.pos_ == "PRON":
        return None
    if not proper_name(token) and token.lower_ not in PERSON_ROLES:
        return None  # "her neck", "the door", "STATUS (REPORT)": not a person
    words = [
        t
        for t in token.subtree
        if t.dep_ in {"compound", "nmod", "appos", "poss", "amod"} or t == token
    ]
    words = [
        t for t in words if t.i <= token.i and (t.pos_ in {"PROPN", "NOUN"} or t.text.endswith("."))
    ]
    if not words:
        return None
    start, end = words[0].i, token.i + 1
    while start > 0 and token.doc[start - 1].text in TITLES:
        start -= 1
    text = token.doc[start:end].text
    return text if len(text) > 1 else None


def find_parties(doc: Doc, context: dict[str, Any] | None = None) -> Parties:
    """Parties from explicit context, else the most frequent actor/target of harm verbs."""
    explicit = {p.get("role"): p.get("name") for p in (context or {}).get("parties", [])}
    actors: Counter[str] = Counter()
    targets: Counter[str] = Counter()
    for token in doc:
        if token.pos_ != "VERB":
            continue
        if token.lemma_.lower() not in HARM_LEMMAS:
            if token.lemma_.lower() in PROTECTIVE_LEMMAS:
                for subject in (c for c in token.children if c.dep_ == "nsubj"):
                    mention = _mention(subject)
                    if mention:
                        targets[mention] += 1
            continue
        subjects = [c for c in token.children if c.dep_ == "nsubj"]
        objects = [c for c in token.children if c.dep_ in {"dobj", "nsubjpass"}]
        agents = [
            g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"
        ]
        for subject in subjects + agents:
            mention = _mention(subject)
            if mention:
                actors[mention] += 1
        for obj in objects:
            mention = _mention(obj)
            if mention and obj.lower_ not in CHILD_WORDS:
                targets[mention] += 1
    perpetrator = explicit.get("perpetrator") or (actors.most_common(1)[0][0] if actors else None)
    survivor = explicit.get("survivor") or next(
        (name for name, _ in targets.most_common() if name != perpetrator), None
    )
    return Parties(perpetrator, survivor)
