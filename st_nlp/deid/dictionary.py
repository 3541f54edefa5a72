"""Is a lowercase word an ordinary word? For finding names written in lowercase.

In "bm rosa said fob diego took her phone" capitals say nothing, and a first name with no cue
before it ("... and nguyet still goes to ...") is otherwise missed. A word that is neither in
an English dictionary (Webster's 2nd, the `web2` list of the `english-words` package,
lowercase entries only: its capitalized entries are proper names) nor a form of one, nor in
the case-note vocabulary (`resources/deid/casenote_words.txt`, made from the corpus by
`annotation/tools/make_casenote_words.py`), is treated as a possible name where a name can
stand. Over-redacting an unknown word (a typo, a brand) in a de-identified example is the safe
failure; leaving a name is not.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spacy.tokens import Token

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
CASENOTE_WORDS_FILE = RESOURCES / "deid" / "casenote_words.txt"
SUFFIXES = ("ings", "ing", "ed", "es", "s", "ly", "er", "ers")
# Everyday words a 1934 dictionary lacks, which the corpus also writes in names of places
# ("Sunshine Daycare") and so leaves out of the case-note vocabulary.
MODERN_WORDS = frozenset(
    """ok okay cellphone texted texting facetime facetimed snapchat instagram facebook tiktok
    whatsapp uber lyft online email emailed emails voicemail voicemails app apps wifi laptop
    ipad iphone tv website internet selfie covid fentanyl meth suboxone narcan xanax adderall
    daycare preschool pediatrician coparent coparenting dept supv co pre rec""".split()
)


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    """The dictionary's lowercase entries."""
    from english_words import get_english_words_set

    entries = get_english_words_set(["web2"], alpha=True, lower=False)
    return frozenset(w for w in entries if w.islower())


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    extra = CASENOTE_WORDS_FILE.read_text(encoding="utf-8").split()
    return dictionary_words() | MODERN_WORDS | frozenset(extra)


def _stems(word: str) -> list[str]:
    """The word without an inflection: counseling -> counsel, stomachaches -> stomachache."""
    stems = [word]
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            stems += [stem, stem + "e"]
            if len(stem) > 3 and stem[-1] == stem[-2]:
                stems.append(stem[:-1])  # planning -> plan
    return stems


def is_known_word(token: Token) -> bool:
    """True when the token, its lemma, or its stem is a dictionary or case-note word."""
    known = _known()
    candidates = [token.lower_, token.lemma_.lower(), *_stems(token.lower_)]
    return any(word in known for word in candidates)
