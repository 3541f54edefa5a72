"""Gender- and name-blind classifier input: gendered role words, pronouns and names become
neutral ones.

Roles are not genders. A classifier that sees "mother" and "father" learns who usually does
what in its training notes (fathers harm, mothers protect) instead of reading the behavior the
sentence describes, and then mislabels notes where a mother causes harm or a father protects.
Both ensemble members are trained and run on neutralized text, so swapping mother/father,
he/she, Mr./Ms. or a person's name cannot change a score. Names (Title-case words that are
not common case-note vocabulary) become "Name". The rules and the note text shown to users are not
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
_TITLE_CASE = re.compile(r"^[A-Z][a-z]+(?:[-'][A-Za-z]+)*$")
# Capitalized words that are not names: kept, everything else Title-case becomes "Name".
_KEEP = frozenset(
    (
        "the a an this that these those there then when while after before during since until on"
        " in at by for from with without per to of and or but if so as also both all each every"
        " no not none yes he she they it we i you his her their its our my your him them who what"
        " where why how which is was were are be been has had have will would can could should may"
        " might must do does did said says reported reports stated states told tells asked"
        " mother father mom dad mommy daddy parent parents child children kid kids son daughter"
        " baby infant toddler girl boy grandmother grandfather grandma grandpa aunt uncle sister"
        " brother wife husband girlfriend boyfriend partner stepmother stepfather family home house"
        " petitioner respondent department agency court judge officer officers deputy deputies"
        " detective sergeant police sheriff supervisor supervisory advocate worker caseworker"
        " teacher counselor nurse doctor dr therapist director principal school daycare clinic"
        " hospital shelter case plan safety assessment concerns risk summary report review visit"
        " contact interview hearing order note notes next present plan follow goal goals services"
        " january february march april may june july august september october november december"
        " monday tuesday wednesday thursday friday saturday sunday today yesterday tonight"
        " english spanish mr ms mrs mx miss"
    ).split()
)


def _replace(match: re.Match[str]) -> str:
    word = match.group(0)
    bare = word.rstrip(".").removesuffix("'s")
    if (
        _TITLE_CASE.match(bare)
        and bare.lower() not in _KEEP
        and bare.lower() not in NEUTRAL
        and len(bare) > 2
    ):
        # A name (of a person, school, street): who someone is must not change the labels.
        return "Name" + word[len(bare) :]
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
