"""Finding every person a case note mentions, and the role each one plays in it.

spaCy's small model finds many full names but misses first names alone, shorthand ("BM Ana",
"FOB Luis"), initials ("J. Ortiz") and lowercase text. `PersonRecognizer` adds what case
notes announce a name with: titles, role words and shorthand before a name, ages in
parentheses after it. `roles.py` turns the cues around each mention into role tokens.
"""

from __future__ import annotations

import re

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.tokens import Doc, Token

from st_nlp.deid.dictionary import is_known_word

TITLES = frozenset(
    "mr mrs ms miss mx dr det detective officer ofc sgt sergeant lt cpl judge atty attorney"
    " hon rev pastor nurse deputy dep trooper principal coach prof professor".split()
)
# Words and shorthand that introduce a person in case notes, lowercased, mapped to a role.
ROLE_CUES: dict[str, str] = {
    **dict.fromkeys(
        "bm mob mother mom mommy mum mo bio-mom stepmother step-mother stepmom".split(), "MOTHER"
    ),
    **dict.fromkeys(
        "fob bf father dad daddy bio-dad stepfather step-father stepdad fa".split(), "FATHER"
    ),
    **dict.fromkeys(
        "child son daughter kid baby infant toddler stepson stepdaughter minor youth"
        " tc target twin teen teenager boy girl".split(),
        "CHILD",
    ),
    **dict.fromkeys(
        "mgm pgm mgf pgf grandmother grandfather grandma grandpa granny nana abuela abuelo"
        " aunt auntie uncle cousin niece nephew sister brother sibling half-brother"
        " half-sister relative kin godmother godfather mat pat".split(),
        "RELATIVE",
    ),
    **dict.fromkeys(
        "cw sw dcw fsw caseworker worker screener supervisor investigator intake"
        " specialist ongoing".split(),
        "WORKER",
    ),
    **dict.fromkeys(
        "boyfriend girlfriend husband wife partner paramour ex ex-boyfriend ex-husband"
        " ex-partner ex-wife ex-girlfriend fiance fiancé fiancee spouse mof".split(),
        "PARTNER",
    ),
    **dict.fromkeys("officer ofc det detective sgt deputy trooper le police pd".split(), "OFFICER"),
    **dict.fromkeys(
        "teacher principal counselor therapist clinician doctor dr nurse pediatrician"
        " advocate gal casa attorney atty judge evaluator interpreter provider"
        " coach pastor".split(),
        "PROFESSIONAL",
    ),
    **dict.fromkeys("neighbor neighbour friend rp reporter roommate landlord".split(), "OTHER"),
}
# Case-note shorthand: the word after it is a name even in lowercase text ("bm ana").
SHORTHAND = frozenset("bm mob fob bf mgm pgm mgf pgf cw sw dcw fsw gal casa rp tc".split())
# Capitalised words that are never names in case notes (start of sentences, agencies, days).
NOT_NAMES = frozenset(
    """the a an and or but of on in at to for from with by per via as is was were be been has
    had have he she they them his her their it its this that these those there here then than
    when while after before during since until about around approx approximately also not no
    yes all both each every some any other another same such only just very more most less
    said stated reported reports states told asked denied agreed explained indicated noted
    observed mother father child children son daughter family home house school court case
    monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec christmas thanksgiving easter
    cps dcfs dss dhs le pd da dv ipv cw sw bm bf fob mob mgm pgm mgf pgf gal casa rp tc
    police officer worker caseworker supervisor judge attorney doctor nurse teacher hospital
    er ed icu pcp ot pt va wic snap tanf ssi id dob aka nka unk unknown n/a na none
    mr mrs ms miss dr det sgt ofc hon atty rev
    safety plan plans note notes visit visits contact contacts report assessment
    north south east west street avenue road lane drive county city state apt unit lot
    english spanish black white hispanic latino latina asian respondent petitioner plaintiff
    defendant guardian minor parent parents children goals goal reason needs children's summary
    narrative plan intake update concerns concern services service worker's agency""".split()
)
AGE_AFTER = re.compile(
    r"^\s*(?:\(\s*(?:age\s*)?(\d{1,2})\s*(?:y/?o|yrs?|years?|mos?|months?)?\s*\)"
    r"|,\s*(?:age\s*|aged\s*)?(\d{1,2})\s*(?:y/?o|yrs?|years? old)?\s*[,)])",
    re.IGNORECASE,
)


def _name_like(token: Token, lowercase_ok: bool) -> bool:
    """Could this token be (part of) a personal name?"""
    text = token.text
    if not text.isalpha() and not re.fullmatch(r"[A-Za-z][a-z]*(?:['’-][A-Za-z][a-z]+)+", text):
        return False
    if text.lower() in NOT_NAMES or text.lower() in ROLE_CUES or len(text) < 2:
        return False
    if text[0].isupper() and not text.isupper():
        return True
    return (
        lowercase_ok
        and text.islower()
        and not token.is_stop
        and token.pos_
        not in {
            "VERB",
            "AUX",
            "ADP",
            "ADV",
            "DET",
            "PRON",
            "CCONJ",
            "SCONJ",
            "NUM",
            "ADJ",
        }
    )


# Where a person's name sits in a clause: subject, object, after a preposition, in a list.
PERSON_DEPS = frozenset("nsubj nsubjpass dobj pobj conj appos poss compound".split())


def _unknown_lowercase_name(token: Token, lowercase_sentence: bool) -> bool:
    """A lowercase non-word where a name goes ("... and nguyet still goes to ...")."""
    return (
        token.text.islower()
        and _name_like(token, True)
        and (lowercase_sentence or token.pos_ == "PROPN" or token.dep_ in PERSON_DEPS)
        and not is_known_word(token)
    )


def _unknown_sentence_start_name(token: Token) -> bool:
    """A capitalized non-word opening a sentence before its verb ("Sean attends ...")."""
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return (
        token.is_sent_start is True
        and token.text[:1].isupper()
        and not token.text.isupper()
        and _name_like(token, False)
        and nxt is not None
        and nxt.pos_ in {"VERB", "AUX"}
        and not is_known_word(token)
    )


def _initial(token: Token) -> bool:
    return bool(re.fullmatch(r"[A-Z]\.?", token.text))


def name_after(doc: Doc, index: int, lowercase_ok: bool) -> tuple[int, int] | None:
    """Token span of a name starting at `index` (a name, optionally an initial, a surname)."""
    i = index
    while i < len(doc) and doc[i].text in {",", ":", "-", "("}:
        i += 1
    if i >= len(doc):
        return None
    start = i
    if _initial(doc[i]) and i + 1 < len(doc) and _name_like(doc[i + 1], False):
        return (start, i + 2)
    if not _name_like(doc[i], lowercase_ok):
        return None
    end = i + 1
    while end < len(doc) and end - start < 3:
        nxt = doc[end]
        if _name_like(nxt, False) or (_initial(nxt) and end - start < 2):
            end += 1
        elif (
            lowercase_ok
            and doc[i].text.islower()
            and _name_like(nxt, True)
            and (nxt.pos_ == "PROPN")
        ):
            end += 1
        else:
            break
    return (start, end)


NAME = "CaseNotePersonRecognizer"


class PersonRecognizer(EntityRecognizer):
    """PERSON from case-note cues: titles, role words and shorthand, initials, ages."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name=NAME)

    def load(self) -> None:
        """Cue lists are module data; nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if nlp_artifacts is None or nlp_artifacts.tokens is None:
            return []
        doc: Doc = nlp_artifacts.tokens
        results: list[RecognizerResult] = []

        def add(start: int, end: int, why: str, score: float) -> None:
            span = doc[start:end]
            explanation = AnalysisExplanation(NAME, score, pattern_name=why)
            results.append(
                RecognizerResult("PERSON", span.start_char, span.end_char, score, explanation)
            )

        for token in doc:
            word = token.text.lower().rstrip(".")
            if (word in TITLES and token.text[0].isupper()) or (
                word in TITLES and token.text.endswith(".")
            ):
                found = name_after(doc, token.i + 1, lowercase_ok=False)
                if found:
                    add(*found, "title", 0.85)
            if word in ROLE_CUES:
                lowercase = word in SHORTHAND or token.sent.text == token.sent.text.lower()
                found = name_after(doc, token.i + 1, lowercase_ok=lowercase)
                if found:
                    add(*found, f"role cue {word}", 0.7)
            if _initial(token) and token.i + 1 < len(doc) and _name_like(doc[token.i + 1], False):
                add(token.i, token.i + 2, "initial and surname", 0.6)
            if _name_like(token, False) and token.pos_ == "PROPN" and not token.is_sent_start:
                add(token.i, token.i + 1, "proper noun", 0.4)
            lowercase_sentence = token.sent.text == token.sent.text.lower()
            if _unknown_lowercase_name(token, lowercase_sentence):
                add(token.i, token.i + 1, "unknown lowercase word in a name's place", 0.5)
            if _unknown_sentence_start_name(token):
                add(token.i, token.i + 1, "unknown capitalized word opening a sentence", 0.5)
            if _name_like(token, lowercase_sentence):
                tail = text[token.idx + len(token.text) : token.idx + len(token.text) + 30]
                age = AGE_AFTER.match(tail)
                if age and int(age.group(1) or age.group(2)) < 19:
                    begin = token.i
                    if token.i > 0 and _name_like(doc[token.i - 1], False):
                        begin = token.i - 1
                    add(begin, token.i + 1, "age after name", 0.75)
        return results
