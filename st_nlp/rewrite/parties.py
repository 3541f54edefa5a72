"""Who is who in a note: the person causing harm and the survivor, from the note itself.

Rewrites name the actors the note names ("Mr. Reed punched Ms. Alvarez" elsewhere in the note
makes "Mr. Reed" the actor of "Ms. Alvarez was assaulted"). Callers can pass the parties
explicitly as `context={"parties": [{"name": "Mr. Reed", "role": "perpetrator"}, ...]}`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

HARM_LEMMAS = frozenset(
    "hit punch slap kick choke strangle push shove grab beat assault attack threaten strike"
    " throw bite drag pin restrain smother stab burn smash monitor track stalk isolate"
    " harass rape force squeeze".split()
)
# Not "leave" or "move": the notes' perpetrators also "left before LE arrived" or "moved out at
# mother's request". Without them, on the train and dev notes, the perpetrator was taken for
# the survivor in 3 notes instead of 10, with one more survivor right
# (`annotation/tools/score_parties.py`).
PROTECTIVE_LEMMAS = frozenset(
    "call flee file seek report escape hide petition obtain contact".split()
)
# The subject of these with an object is hurt: "the mother sustained a fractured wrist",
# "Mother suffered a broken nose" (not "suffers from PTSD"). On the train and dev notes
# (`annotation/tools/score_parties.py`), one more survivor right and none lost.
INJURY_LEMMAS = frozenset({"sustain", "suffer"})
# What a verb of harm is done to besides a person ("squeezed mommys neck").
BODY_PARTS = frozenset(
    "neck throat face head hair arm arms wrist wrists hand hands leg legs back chest eye eyes"
    " nose mouth lip lips cheek shoulder shoulders ribs stomach body".split()
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


# Who works on or around a case. A named professional ("CW Ebony Strickland", "Ms. Yvonne
# Fairweather, 4th grade teacher", "Officer Diaz", "Dr. Feldstein") reports, calls and
# contacts people all day; those are not a survivor's protective acts, and no rewrite should
# ask what the teacher did to stay safe. Agencies and reporters ("LE", "CPS", "RP") are never
# a party either.
PROFESSIONS = frozenset(
    "advocate worker caseworker cw sw cps dcfs le pd police officer deputy detective det"
    " sergeant sgt trooper investigator therapist counselor counsellor clinician director"
    " principal teacher nurse rn doctor physician pediatrician attorney lawyer gal judge"
    " supervisor interpreter landlord rp reporter caller agency school daycare dr."
    # Institutions and the writer, who assert but are no party: "The Department asserts that
    # the mother failed to protect" asks the mother, not the Department, for her efforts.
    " department court counsel writer undersigned screener".split()
)
# Words before a person's mention that belong to the verb or the source, not to the name
# ("RP states mother", "LE report mother" parsed as compounds).
SOURCE_WORDS = frozenset("per report reports reported states stated says said anon".split())
_SOURCES = SOURCE_WORDS | PROFESSIONS  # words a mention never starts with
# Nouns that mark the name beside them as a child's ("her son Malik", "Mia, her daughter").
CHILD_NOUNS = CHILD_WORDS | {"stepson", "stepdaughter"}
ADULT_WORDS = frozenset({"adult", "grown"})
ADULT_AGE = 18
TEEN_AGE = 13
# An age right after a name: "Jaden Oyelaran (9)", "Mia (F/6)", "Leo, 4,", "Emma, age 6".
_AGE_AFTER = re.compile(
    r"\s*(?:\(\s*(?:[MF]\s*/\s*)?(\d{1,2})\s*(?:y/?o|yrs?|years?(?: old)?|mos?|months?)?\s*[,;)]"
    r"|,\s*(?:age\s+)?(\d{1,2})\s*(?:y/?o|yrs?|years? old)?\s*[,;.)]|,?\s*age[ds]?\s+(\d{1,2})\b)",
    re.IGNORECASE,
)
# An age right before it: "7 y/o Jaden", "her 7-year-old son Jaden".
_AGE_BEFORE = re.compile(
    r"\b(\d{1,2})(?:\s*|-)(?:y/?o|yrs?|years?|months?)(?:-old)?\s+(?:(?:son|daughter|child|boy"
    r"|girl|brother|sister)\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Bystander:
    """A named child or professional: never the survivor, and never the perpetrator unless a
    teenager (`find_parties`). Children are known by their first name (they share their
    parents' surnames); adults by first and last name, and by the surname after a title ("Ms.
    Fairweather")."""

    first: str
    last: str
    child: bool
    age: int | None = None  # as the note states it

    def named_by(self, words: list[str], titled: bool) -> bool:
        """Whether a mention's name `words` (lowercased, no titles or roles) are this
        person's; `titled` when the mention had a title."""
        if not words:
            return False
        if titled:
            return not self.child and words[-1] == self.last
        if len(words) == 1:
            return words[0] == self.first or (not self.child and words[0] == self.last)
        if self.child:
            return words[0] == self.first
        return words[0] == self.first and words[-1] == self.last


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
    if token.lower_ in BODY_PARTS:
        return None  # "mommys neck" in a note written in lowercase, tagged a proper noun
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
    while len(words) > 1 and words[0].lower_ in _SOURCES:
        words.pop(0)  # "RP states mother", "LE report mother": the source, not the name
    start, end = words[0].i, token.i + 1
    # The parse can hang a whole clause on a name ("BM tearful, stated Artem" as one mention):
    # the mention starts after its last punctuation, verb or other non-name word.
    breaks = [t.i for t in token.doc[start:end] if t.pos_ in _NOT_IN_NAMES and t.text != "-"]
    if breaks:
        start = breaks[-1] + 1
    while start > 0 and token.doc[start - 1].text in TITLES:
        start -= 1
    text = token.doc[start : _through_hyphenated_name(token.doc, end)].text
    return text if len(text) > 1 else None


def _through_hyphenated_name(doc: Doc, end: int) -> int:
    """`end` moved past the rest of a hyphenated name the parse cut off after its first part:
    "Ms. Soo" + "-ah Kim", whose "Soo" the small parser took for a subject of its own."""
    if end + 1 >= len(doc) or doc[end].text != "-" or doc[end - 1].whitespace_:
        return end
    if doc[end].whitespace_ or not doc[end + 1].text[:1].isalpha():
        return end
    end += 2  # "-ah"
    while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end - 1].whitespace_:
        end += 1  # "Kim"
    return end


_NOT_IN_NAMES = frozenset({"PUNCT", "VERB", "AUX", "ADP", "SCONJ", "CCONJ", "ADJ"})


def _name_runs(doc: Doc) -> Iterator[Span]:
    """Each run of adjacent proper names: "Jaden Oyelaran", "Yvonne Fairweather"."""
    start = None
    for token in doc:
        if (
            proper_name(token)
            and token.text[:1].isupper()
            and token.text not in TITLES
            and token.lower_ not in PROFESSIONS
        ):
            start = token.i if start is None else start
            continue
        if start is not None:
            yield doc[start : token.i]
            start = None
    if start is not None:
        yield doc[start : len(doc)]


def _stated_age(run: Span, text: str) -> int | None:
    """The age written right after or right before the name, if any; `text` is the doc's
    text, which spaCy joins anew from every token on each `doc.text`."""
    after = _AGE_AFTER.match(text, run.end_char)
    if after:
        return int(next(group for group in after.groups() if group))
    before = _AGE_BEFORE.search(text[max(0, run.start_char - 40) : run.start_char])
    return int(before.group(1)) if before else None


def _next_to(run: Span, words: frozenset[str]) -> Token | None:
    """A word of `words` that introduces the name ("son Jaden", "CW Ebony Strickland",
    "teacher Ms. Fairweather") or stands in apposition to it ("Ms. Fairweather, 4th grade
    teacher"; "Mia, her daughter")."""
    doc = run.doc
    index = run.start - 1
    while index >= 0 and doc[index].text in TITLES:
        index -= 1
    # Attached to the name, not an object before it: "told CW Bruno has called" is no CW Bruno.
    if (
        index >= 0
        and doc[index].lower_ in words
        and (doc[index].head in run or run.root.head.i == index)
    ):
        return doc[index]
    head = run[-1]
    appositions = [child for child in head.children if child.dep_ == "appos"]
    if head.dep_ == "appos":
        appositions.append(head.head)
    return next(
        (t for t in appositions if t.lower_ in words and not run.start <= t.i < run.end), None
    )


def bystanders(doc: Doc, context: dict[str, Any] | None = None) -> list[Bystander]:
    """The named children and professionals of a note: those of `context` (any role but
    perpetrator or survivor), and those the note marks by an age under 18 or a child's noun
    ("Jaden Oyelaran (9)", "her son Malik", not "her adult son Ken"), or by a profession
    ("CW Ebony Strickland", "Ms. Yvonne Fairweather, 4th grade teacher")."""
    found: list[Bystander] = []
    for party in (context or {}).get("parties", []):
        if party.get("role") in {"perpetrator", "survivor"}:
            continue
        words = [w.lower() for w in str(party.get("name", "")).split() if w not in TITLES]
        if words:
            found.append(Bystander(words[0], words[-1], party.get("role") == "child"))
    text = doc.text
    for run in _name_runs(doc):
        words = [t.lower_ for t in run]
        age = _stated_age(run, text)
        if age is not None and age >= ADULT_AGE:
            continue
        noun = _next_to(run, CHILD_NOUNS)
        adult = noun is not None and any(
            word.lower_ in ADULT_WORDS or (word.text.isdigit() and int(word.text) >= ADULT_AGE)
            for word in noun.lefts
        )  # "her adult son Ken", "her 24 y/o son Travis"
        if age is not None or (noun is not None and not adult):
            found.append(Bystander(words[0], words[-1], child=True, age=age))
        elif _next_to(run, PROFESSIONS) is not None:
            found.append(Bystander(words[0], words[-1], child=False))
    return found


def _is_bystander(mention: str, known: list[Bystander]) -> bool:
    """Whether `mention` names a child or a professional of `known`, or is an agency's or a
    reporter's ("CW", "LE", "CPS worker Leonard Ashby")."""
    return _names_one_of(mention, known) or any(w.lower() in PROFESSIONS for w in mention.split())


def _names_one_of(mention: str, known: list[Bystander]) -> bool:
    raw = mention.split()
    titled = any(word in TITLES for word in raw)
    words = [
        word.lower() for word in raw if word not in TITLES and word.lower() not in PERSON_ROLES
    ]
    return any(person.named_by(words, titled) for person in known)


def find_parties(doc: Doc, context: dict[str, Any] | None = None) -> Parties:
    """Parties from explicit context, else the most frequent actor/target of harm verbs.

    Children and professionals (`bystanders`) are never the survivor: "Jaden was hit" makes no
    child the survivor, and a teacher who "reports" is not taking a protective step. The
    perpetrator may be a teenager, never a younger child. A person the note shows acting in
    harm at least as often as being its target or acting to protect is not chosen as the
    survivor, nor one less often as the perpetrator.
    """
    explicit = {p.get("role"): p.get("name") for p in (context or {}).get("parties", [])}
    if explicit.get("perpetrator") and explicit.get("survivor"):
        return Parties(explicit["perpetrator"], explicit["survivor"])  # nothing left to read
    actors: Counter[str] = Counter()
    targets: Counter[str] = Counter()
    for token in doc:
        if token.pos_ != "VERB":
            continue
        if token.lemma_.lower() not in HARM_LEMMAS:
            lemma = token.lemma_.lower()
            if lemma in PROTECTIVE_LEMMAS or (
                lemma in INJURY_LEMMAS and any(c.dep_ == "dobj" for c in token.children)
            ):
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
    known = bystanders(doc, context)
    # A profession is read from the parse, which can be wrong ("told CW Bruno has called" as
    # one name): someone shown doing harm is taken at their word, unless a young child. A
    # teenager can be the one causing harm at home ("Artem Melnyk (16)" pushing his mother).
    children = [
        person for person in known if person.child and (person.age is None or person.age < TEEN_AGE)
    ]
    perpetrator = explicit.get("perpetrator") or next(
        (
            name
            for name, count in actors.most_common()
            if count >= targets[name] and not _is_bystander(name, children)
        ),
        None,
    )
    survivor = explicit.get("survivor") or next(
        (
            name
            for name, count in targets.most_common()
            if name != perpetrator and count > actors[name] and not _is_bystander(name, known)
        ),
        None,
    )
    return Parties(perpetrator, survivor)
