"""Score who the rewriter takes for the perpetrator and the survivor against the annotated people.

    python annotation/tools/score_parties.py --splits train,dev
    python annotation/tools/score_parties.py --splits test

Rewrites name the parties (`st_nlp.rewrite.parties.find_parties`), so a wrong pick puts the
wrong person in a suggestion ("Ms. Fairweather [what she did to stay safe]" for a teacher).
Every note of the corpus lists its people with their roles; each pick is counted as the role
of the annotated person it names best (most shared name words): `survivor` or `perpetrator`
(right when it matches the role picked for), `child`, `other` (workers, teachers, relatives),
`tie` (a surname the survivor and the perpetrator share: "Ms. Reed" can't be told from "Jason
Reed" by words), `unmatched` (a role word such as "Mother" or "FOB", which names the right
person or no one) and `none`. Only counts are printed, never note text.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from st_nlp.corpus.paths import DATA_DIR
from st_nlp.nlp import load_pipeline
from st_nlp.rewrite.parties import TITLES, find_parties

PARTY_ROLES = ("survivor", "perpetrator")


def _words(name: str) -> set[str]:
    return {word.strip(".,").lower() for word in name.split() if word not in TITLES}


def named_role(mention: str | None, people: list[dict[str, str]]) -> str:
    """The role of the annotated person `mention` names best, as described above."""
    if mention is None:
        return "none"
    words = _words(mention)
    shared = [(len(words & _words(p["name"])), p["role"]) for p in people]
    best = max((count for count, _ in shared), default=0)
    if best == 0:
        return "unmatched"
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
        counts["survivor"][named_role(parties.survivor, note["people"])] += 1
        counts["perpetrator"][named_role(parties.perpetrator, note["people"])] += 1
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
