"""Gender-blind classifier input: gendered role words and pronouns become neutral ones.

Roles are not genders. A classifier that sees "mother" and "father" learns who usually does
what in its training notes (fathers harm, mothers protect) instead of reading the behavior the
sentence describes, and then mislabels notes where a mother causes harm or a father protects.
Both ensemble members are trained and run on neutralized text, so swapping mother/father,
he/she or Mr./Ms. cannot change a score. The rules and the note text shown to users are not
affected: this is only the classifiers' view of the sentence.
"""

from __future__ import annotations

import re

NEUTRAL: dict[str, str] = {}
for words, neutral in (
    ("he she him her his hers himself herself", "they"),
    ("mother father mom dad mommy daddy mama papa mum mummy ma pa", "parent"),
    ("mothers fathers moms dads", "parents"),
    ("bm fob mob moc foc bio-mom bio-dad", "parent"),
    ("wife husband", "spouse"),
    ("wives husbands", "spouses"),
    ("girlfriend boyfriend gf bf fiance fiancee", "partner"),
    ("girlfriends boyfriends", "partners"),
    ("stepmother stepfather stepmom stepdad", "stepparent"),
    ("grandmother grandfather grandma grandpa granny mgm mgf pgm pgf bubbe", "grandparent"),
    ("sister brother", "sibling"),
    ("sisters brothers", "siblings"),
    ("aunt uncle tia tio", "relative"),
    ("daughter son", "child"),
    ("daughters sons", "children"),
    ("girl boy", "child"),
    ("girls boys", "children"),
    ("woman man lady gentleman guy", "person"),
    ("women men ladies gentlemen guys", "people"),
    ("female male", "person"),
    ("niece nephew", "relative"),
):
    for word in words.split():
        NEUTRAL[word] = neutral
for title in ("mr", "ms", "mrs", "miss", "mx"):
    NEUTRAL[title] = "mx"
    NEUTRAL[title + "."] = "mx."

_WORD = re.compile(r"[A-Za-z][A-Za-z'.-]*")


def _replace(match: re.Match[str]) -> str:
    word = match.group(0)
    core = word.rstrip(".")
    trailing = word[len(core) :]
    lowered = word.lower()
    if lowered in NEUTRAL and lowered.endswith("."):
        return NEUTRAL[lowered]
    possessive = ""
    if core.lower().endswith("'s"):
        core, possessive = core[:-2], "'s"
    neutral = NEUTRAL.get(core.lower())
    if neutral is None:
        return word
    return neutral + possessive + trailing


def neutralize(text: str) -> str:
    """The text with gendered role words, pronouns and titles replaced by neutral ones."""
    return _WORD.sub(_replace, text)
