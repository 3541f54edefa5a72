"""The facts a rewrite must keep: names, dates, times, numbers and quoted words.

A suggestion may restructure a sentence, but it may never drop or invent one of these. The
checks here run on every suggestion before it is returned. Relative time expressions ("again
last week", "yesterday", "on two prior occasions") count as times: the reviewer's pipeline runs
without spaCy's NER, so they come from a short pattern list (`TIME_EXPRESSION`) rather than
DATE/TIME entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

_QUOTED = re.compile(r"[\"“]([^\"“”]{1,300})[\"”]|(?<![A-Za-z])['‘]([^'‘’]{2,200})['’](?![A-Za-z])")
_NUMBERISH = re.compile(r"\d")
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_PERIODS = (
    f"week|weekend|night|month|year|morning|afternoon|evening|summer|winter|spring|fall|{_DAYS}"
)
_COUNTS = (
    r"a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|few|a couple of"
    r"|couple of|multiple|many|\d+"
)
# Relative time and frequency: when or how often something happened, a fact like a date.
TIME_EXPRESSION = re.compile(
    rf"(?<![\w-])(?:(?:last|this|next|past|previous|that|the following|the next|the previous"
    rf"|the same)\s+(?:{_PERIODS})"
    r"|yesterday|today|tonight|again|twice|over the weekend|the (?:night|day) before"
    r"|earlier (?:today|that day|this week)"
    rf"|(?:{_COUNTS})\s+(?:days?|weeks?|months?|years?|hours?|nights?)\s+(?:ago|earlier|later"
    r"|before)"
    rf"|(?:{_COUNTS})\s+(?:(?:prior|previous|other|separate|different)\s+)?(?:times|occasions"
    r"|incidents))(?![\w-])",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(r"\[[^\[\]]{1,400}\]")
# Role shorthand and common capitalized words that are not names.
_NOT_NAMES = frozenset(
    "cw bm bf fob mob moc foc mgm mgf pgm pgf le cps dcfs ofp po dvpo mother father mom dad"
    " mommy daddy ms mr mrs dr the a an he she they it i we on at in per child children"
    " police officer officers judge court petitioner respondent caseworker worker"
    # Sentence-initial common nouns the small tagger often reads as proper nouns.
    " son daughter baby couple incident ongoing dept department agency parents family"
    # Roles and professions written with a capital ("Advocate encouraged client ...").
    " advocate screener client therapist counselor teacher nurse aunt uncle mum nan".split()
)


@dataclass(frozen=True)
class Facts:
    names: tuple[str, ...]
    numbers: tuple[str, ...]
    quotes: tuple[str, ...]
    times: tuple[str, ...] = ()
    # Names of several words as written ("Curtis Bellamy"): each word is a fact of its own
    # (a template may say "Mr. Bellamy"), but a list of lost facts shows them whole.
    full_names: tuple[str, ...] = ()

    def all(self) -> tuple[str, ...]:
        return self.names + self.numbers + self.quotes + self.times

    def identifying(self) -> tuple[str, ...]:
        """Names, numbers and quotes: the facts that identify one case (not "last week")."""
        return self.names + self.numbers + self.quotes


def time_expressions(text: str) -> list[str]:
    """The relative time expressions of `text`, in order ("again", "last week")."""
    return [m.group(0) for m in TIME_EXPRESSION.finditer(text)]


def _may_be_name(text: str) -> bool:
    """The written form a name has (the tagger must also call it a proper noun)."""
    return (
        text[:1].isupper()
        and text.lower().rstrip(".") not in _NOT_NAMES
        and len(text) > 1
        and not text.isupper()
    )


def possible_facts(doc: Doc) -> list[str]:
    """Every name, number and quote `extract_facts(doc).all()` could find (relative times
    aside), from the words alone: any capitalized word may be a name. On a doc that is only
    tokenized (`nlp.make_doc`) it is a superset of the tagged doc's facts, as tagging keeps
    the tokens, so a text none of whose candidates is new has no new fact whatever the
    tagger says, and the rewriter need not tag its drafts to know."""
    found: list[str] = []
    for token in doc:
        if _NUMBERISH.search(token.text):
            found.append(token.text.rstrip(".,;:"))
        elif _may_be_name(token.text):
            found.append(token.text)
    return found + [m.group(1) or m.group(2) for m in _QUOTED.finditer(doc.text)]


def extract_facts(doc: Doc | object, relative_times: bool = False) -> Facts:
    """Names (proper nouns), date/time/number tokens and quoted spans of a processed sentence.

    `relative_times` adds the relative time expressions; off for callers that check curated
    pairs, whose writers may drop an "again" that belonged to the blaming phrase.
    """
    assert isinstance(doc, Doc)
    names: list[str] = []
    numbers: list[str] = []
    runs: list[list[str]] = []
    previous = -2
    for token in doc:
        text = token.text
        if _NUMBERISH.search(text):
            numbers.append(text.rstrip(".,;:"))
        elif token.pos_ == "PROPN" and _may_be_name(text):
            names.append(text)
            if previous == token.i - 1 and doc[previous].whitespace_:
                runs[-1].append(text)
            else:
                runs.append([text])
            previous = token.i
    quotes = [m.group(1) or m.group(2) for m in _QUOTED.finditer(doc.text)]
    times = time_expressions(doc.text) if relative_times else []
    return Facts(
        tuple(dict.fromkeys(names)),
        tuple(dict.fromkeys(numbers)),
        tuple(quotes),
        tuple(dict.fromkeys(t.lower() for t in times)),
        tuple(dict.fromkeys(" ".join(run) for run in runs if len(run) > 1)),
    )


def missing_facts(facts: Facts, suggestion: str) -> list[str]:
    """Facts of the original that do not appear in the suggestion.

    Names and time expressions match case-insensitively ("Last week" may move mid-sentence);
    numbers and quotes must match exactly.
    """
    lowered = suggestion.lower()
    lost = [name for name in facts.names if name.lower() not in lowered]
    lost += [
        t for t in facts.times if not re.search(rf"(?<![\w-]){re.escape(t)}(?![\w-])", lowered)
    ]
    return lost + [fact for fact in facts.numbers + facts.quotes if fact and fact not in suggestion]


def whole_names(lost: list[str], facts: Facts) -> list[str]:
    """`lost` with the words of each of `facts.full_names` shown as that name, where every
    word of it is lost: "Curtis; Bellamy" is listed as "Curtis Bellamy"."""
    shown = list(lost)
    for full in facts.full_names:
        words = full.split()
        if all(word in shown for word in words):
            at = shown.index(words[0])
            shown = [item for item in shown if item not in words]
            shown.insert(min(at, len(shown)), full)
    return shown


def placeholders(text: str) -> list[str]:
    """The bracketed prompts the writer still has to fill in."""
    return _PLACEHOLDER.findall(text)


def new_content_words(original: str, suggestion: str, note_text: str) -> list[str]:
    """Content words of the suggestion that come neither from the note nor from a placeholder."""
    outside = _PLACEHOLDER.sub(" ", suggestion)
    known = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]+", original + " " + note_text)}
    return [
        w
        for w in re.findall(r"[A-Za-z][A-Za-z'-]+", outside)
        if w.lower() not in known and w.lower() not in FUNCTION_WORDS
    ]


FUNCTION_WORDS = frozenset(
    "a an the and or but of to in on at by for with from as that this these those it its is was"
    " were be been are has had have did do does not no who what when where how which their his"
    " her him she he they them said told toward towards about after before during while then"
    " also any each".split()
)
