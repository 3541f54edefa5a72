"""Score who the rewriter takes for the perpetrator and the survivor against the annotated people.

    python annotation/tools/score_parties.py --splits train,dev
    python annotation/tools/score_parties.py --splits test

Rewrites name the parties (`st_nlp.rewrite.parties.find_parties`), so a wrong pick puts the
wrong person in a suggestion ("Ms. Fairweather [what she did to stay safe]" for a teacher).
Every note of the corpus lists its people with their roles; each pick is counted as the role
of the annotated person it names best (most shared name words): `survivor` or `perpetrator`
(right when it matches the role picked for), `child`, `other` (workers, teachers, relatives),
`tie` (a surname the survivor and the perpetrator share: "Ms. Reed" can't be told from "Jason
Reed" by words), `unmatched` (no name word in common) and `none`. A mention by role word
("Mother", "FOB", "her boyfriend") is matched to the note's family roles (`family.perpetrator`,
`family.survivor`: "father", "mother's boyfriend"), a tie where both roles have that word.
Only counts are printed, never note text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from typing import Any

from st_nlp.corpus.paths import DATA_DIR
from st_nlp.nlp import load_pipeline
from st_nlp.rewrite.parties import TITLES, find_parties

PARTY_ROLES = ("survivor", "perpetrator")


def _words(name: str) -> set[str]:
    return {word.strip(".,").lower() for word in name.split() if word not in TITLES}


# Role words that name the same family role.
_SAME_ROLE = {
    **dict.fromkeys("mother mom mum bm mommy mama mob moc mummy".split(), "mother"),
    **dict.fromkeys("father dad fob daddy papa foc".split(), "father"),
}


def _role_word(text: str) -> str | None:
    """The family role a mention's or a role description's head word names: "FOB" -> "father",
    "mother's boyfriend (father of youngest child)" -> "boyfriend"."""
    words = re.sub(r"\([^)]*\)", " ", text).lower().replace("'s", " ").split()
    if not words:
        return None
    return _SAME_ROLE.get(words[-1].strip(".,"), words[-1].strip(".,"))


def role_by_family(mention: str, family: dict[str, Any]) -> str:
    """`survivor`, `perpetrator`, `tie` or `unmatched` for a mention by role word."""
    said = _role_word(mention)
    roles = [r for r in PARTY_ROLES if family.get(r) and _role_word(str(family[r])) == said]
    if not roles:
        return "unmatched"
    return roles[0] if len(roles) == 1 else "tie"


def named_role(
    mention: str | None, people: list[dict[str, str]], family: dict[str, Any] | None = None
) -> str:
    """The role of the annotated person `mention` names best, as described above."""
    if mention is None:
        return "none"
    words = _words(mention)
    shared = [(len(words & _words(p["name"])), p["role"]) for p in people]
    best = max((count for count, _ in shared), default=0)
    if best == 0:
        return role_by_family(mention, family or {})
    roles = {role for count, role in shared if count == best}
    if set(PARTY_ROLES) <= roles:
        return "tie"
    role = next((r for r in PARTY_ROLES if r in roles), sorted(roles)[0])
    return role if role in (*PARTY_ROLES, "child") else "other"


def score(splits: set[str]) -> dict[str, Counter[str]]:
    notes = [json.loads(line) for line in (DATA_DIR / "notes.jsonl").open(encoding="utf-8")]
    notes = [n for n in notes if n["split"] in splits and n["source"] != "targeted"]
    counts: dict[str, Counter[str]] = {role: Counter() for role in PARTY_ROLES}
    nlp = load_pipeline()
    for note, doc in zip(notes, nlp.pipe(n["text"] for n in notes), strict=True):
        parties = find_parties(doc)
        family = note.get("family") or {}
        counts["survivor"][named_role(parties.survivor, note["people"], family)] += 1
        counts["perpetrator"][named_role(parties.perpetrator, note["people"], family)] += 1
    counts["notes"] = Counter({"notes": len(notes)})
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--splits", default="train,dev", help="comma-separated splits")
    args = parser.parse_args()
    counts = score(set(args.splits.split(",")))
    summary = {key: dict(sorted(value.items())) for key, value in counts.items()}
    sys.stdout.write(json.dumps(summary) + "\n")


if __name__ == "__main__":
    main()
