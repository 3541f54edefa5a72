"""Counterfactual swaps for fairness checks: mother/father, he/she, Mr./Ms., and names.

Roles are not genders: a model whose labels change when "mother" becomes "father" or "Keisha"
becomes "Connor" has learned who usually does what in its training data, not what the
sentence says. `swap_gender` flips gendered words using spaCy's tags to tell possessive "her"
(-> "his") from object "her" (-> "him"); `swap_names` replaces given names with names from
other cultures and the other gender, deterministically.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from spacy.language import Language

_PAIRS = [
    ("mother", "father"),
    ("mom", "dad"),
    ("mommy", "daddy"),
    ("mum", "dad"),
    ("mama", "papa"),
    ("he", "she"),
    ("himself", "herself"),
    ("mr.", "ms."),
    ("mr", "ms"),
    ("mrs.", "mr."),
    ("wife", "husband"),
    ("girlfriend", "boyfriend"),
    ("gf", "bf"),
    ("stepmother", "stepfather"),
    ("stepmom", "stepdad"),
    ("grandmother", "grandfather"),
    ("grandma", "grandpa"),
    ("woman", "man"),
    ("women", "men"),
    ("lady", "gentleman"),
    ("female", "male"),
    ("sister", "brother"),
    ("aunt", "uncle"),
    ("niece", "nephew"),
    ("daughter", "son"),
    ("girl", "boy"),
    ("girls", "boys"),
    ("mothers", "fathers"),
    ("mgm", "mgf"),
    ("pgm", "pgf"),
]
SWAP: dict[str, str] = {}
for a, b in _PAIRS:
    SWAP.setdefault(a, b)
    SWAP.setdefault(b, a)

# Invented given names spread over cultures, used as replacements in the name swap.
FEMALE_NAMES = (
    "Amara",
    "Beatriz",
    "Chen",
    "Dagny",
    "Esi",
    "Fatima",
    "Greta",
    "Hoku",
    "Ifeoma",
    "Jolene",
    "Kiri",
    "Leilani",
    "Marisol",
    "Nadia",
    "Oksana",
    "Priya",
    "Quyen",
    "Rosa",
    "Saoirse",
    "Tala",
)
MALE_NAMES = (
    "Adebayo",
    "Bogdan",
    "Carlos",
    "Dmitri",
    "Emeka",
    "Farid",
    "Gustavo",
    "Hiroshi",
    "Ivan",
    "Jamal",
    "Kenji",
    "Liam",
    "Mateo",
    "Nikolai",
    "Obinna",
    "Pedro",
    "Rahul",
    "Sione",
    "Tariq",
    "Wyatt",
)


def _match_case(word: str, template: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def swap_gender(text: str, nlp: Language) -> str:
    """Flip gendered words; possessive 'her' becomes 'his', object 'her' becomes 'him'."""
    doc = nlp.make_doc(text) if "tagger" not in nlp.pipe_names else nlp(text)
    out = []
    for token in doc:
        lower = token.lower_
        if lower == "her":
            replacement = "his" if token.tag_ == "PRP$" else "him"
        elif lower == "his":
            replacement = "her"
        elif lower == "him":
            replacement = "her"
        elif lower == "hers":
            replacement = "his"
        else:
            replacement = SWAP.get(lower, token.text)
        out.append(_match_case(replacement, token.text) + token.whitespace_)
    return "".join(out)


def swap_names(text: str, names: Iterable[str]) -> str:
    """Replace each given/family name token in `names` by an invented one, deterministically."""
    replacements: dict[str, str] = {}
    for full in names:
        for part in full.replace(".", " ").split():
            if len(part) < 3 or not part[:1].isupper() or part.lower() in SWAP:
                continue
            digest = int(hashlib.sha256(part.encode()).hexdigest(), 16)
            pool = FEMALE_NAMES if digest % 2 else MALE_NAMES
            replacements[part] = pool[digest % len(pool)]
    if not replacements:
        return text
    import re

    pattern = re.compile(r"\b(" + "|".join(map(re.escape, replacements)) + r")\b")
    return pattern.sub(lambda m: replacements[m.group(1)], text)
