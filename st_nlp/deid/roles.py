"""Role tokens for people: [MOTHER], [FATHER], [CHILD 1], [WORKER], ... else [PERSON 1].

Mentions of one person are grouped (a first name or surname alone joins the full name that
contains it), the role words around every mention vote (shorthand and relationship words
just before a name, an appositive or age just after it), and each group gets one token, so
the same person reads the same throughout a note. Roles that several people share are
numbered; children and unknown people are always numbered.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from st_nlp.deid.people import AGE_AFTER, ROLE_CUES, TITLES

ALWAYS_NUMBERED = frozenset({"CHILD", "PERSON"})
# A family role word ("BM Ana") says more about who someone is than "Per CW, Ana said".
FAMILY_ROLES = frozenset({"MOTHER", "FATHER", "CHILD", "RELATIVE"})
# Context-party roles (API `context.parties`, corpus `people`) that name a token directly.
CONTEXT_ROLES: dict[str, str] = {
    "child": "CHILD",
    "worker": "WORKER",
    "relative": "RELATIVE",
    "police": "OFFICER",
    "teacher": "PROFESSIONAL",
    "judge": "PROFESSIONAL",
    "attorney": "PROFESSIONAL",
    "advocate": "PROFESSIONAL",
    "doctor": "PROFESSIONAL",
    "nurse": "PROFESSIONAL",
    "therapist": "PROFESSIONAL",
    "counselor": "PROFESSIONAL",
    "mother": "MOTHER",
    "father": "FATHER",
}
WORD = re.compile(r"[A-Za-z][\w'’-]*")
FEMALE_TITLES = frozenset({"ms", "mrs", "miss"})
MALE_TITLES = frozenset({"mr"})


def name_parts(name: str) -> list[str]:
    """The words of a name that identify someone (no titles, cues or initials)."""
    parts = []
    for word in WORD.findall(name):
        low = word.lower().rstrip("'’s") if word.lower().endswith(("'s", "’s")) else word.lower()
        if len(low) < 2 or low in TITLES or low in ROLE_CUES:
            continue
        parts.append(low)
    return parts


@dataclass
class Person:
    parts: list[str]
    votes: Counter[str] = field(default_factory=Counter)
    context_role: str | None = None

    @property
    def role(self) -> str:
        if self.votes:
            ranked = self.votes.most_common()
            best = ranked[0][1]
            for role in ("MOTHER", "FATHER", "CHILD", "WORKER", "RELATIVE", "OFFICER"):
                if self.votes.get(role, 0) == best:
                    return role
            return ranked[0][0] if ranked[0][0] != "OTHER" else "PERSON"
        return self.context_role or "PERSON"


def _cues_before(text: str, start: int) -> list[str]:
    window = text[max(0, start - 40) : start]
    words = [w.lower().strip(".") for w in WORD.findall(window)][-3:]
    return [ROLE_CUES[w] for w in words if w in ROLE_CUES]


def _cues_after(text: str, end: int) -> list[str]:
    tail = text[end : end + 40]
    age = AGE_AFTER.match(tail)
    if age and int(age.group(1) or age.group(2)) < 18:
        return ["CHILD"]
    appositive = re.match(r"^\s*(?:,|\()\s*(?:the\s+|her\s+|his\s+|their\s+)?([\w-]+)", tail)
    if appositive and appositive.group(1).lower() in ROLE_CUES:
        return [ROLE_CUES[appositive.group(1).lower()]]
    return []


def assign_tokens(
    text: str, mentions: list[tuple[int, int]], known: dict[str, str] | None = None
) -> list[str]:
    """One token per mention (`text[start:end]`), consistent per person."""
    people: list[Person] = []
    owner: list[Person] = []
    by_part: dict[str, list[Person]] = {}
    order = sorted(range(len(mentions)), key=lambda i: -len(name_parts(text[slice(*mentions[i])])))
    assigned: dict[int, Person] = {}
    for index in order:
        start, end = mentions[index]
        parts = name_parts(text[start:end]) or [text[start:end].lower()]
        candidates = [p for p in people if set(parts) <= set(p.parts)]
        if len(candidates) > 1:  # "Ms. Donnelly" among several Donnellys: the title decides
            title = text[max(0, start - 5) : start].lower()
            wanted = "MOTHER" if any(t in title for t in FEMALE_TITLES) else None
            wanted = "FATHER" if any(t in title.split() for t in MALE_TITLES) else wanted
            preferred = [p for p in candidates if wanted and p.role == wanted]
            candidates = preferred or candidates[:1]
        person = candidates[0] if candidates else None
        if person is None:
            person = Person(parts)
            for part in parts:
                by_part.setdefault(part, []).append(person)
            people.append(person)
        for role in _cues_before(text, start) + _cues_after(text, end):
            person.votes[role] += 2 if role in FAMILY_ROLES else 1
        assigned[index] = person
    for person in people:  # a known party names the role only when it is this person alone
        matches = [
            role
            for name, role in (known or {}).items()
            if set(person.parts) <= set(name_parts(name))
        ]
        if len(matches) == 1 and matches[0].lower() in CONTEXT_ROLES:
            person.context_role = CONTEXT_ROLES[matches[0].lower()]
    owner = [assigned[i] for i in range(len(mentions))]
    first_seen: list[Person] = []
    for person in owner:
        if person not in first_seen:
            first_seen.append(person)
    counts = Counter(p.role for p in first_seen)
    numbers: dict[int, str] = {}
    running: Counter[str] = Counter()
    for person in first_seen:
        role = person.role
        running[role] += 1
        numbered = role in ALWAYS_NUMBERED or counts[role] > 1
        numbers[id(person)] = f"[{role} {running[role]}]" if numbered else f"[{role}]"
    return [numbers[id(p)] for p in owner]
