"""How well de-identification works, measured on planted identifiers.

- Recall is *entity-level*: a planted identifier counts as removed only if every one of its
  non-space characters lies inside some replacement (of any type: what matters for privacy
  is that it is gone). Reported per identifier type.
- Precision is *character-level*: of the non-space characters replaced, the share that lie
  inside planted identifiers. Over-redaction costs readability, not privacy.
- On the corpus notes, person recall counts every occurrence of each word of each listed
  person's name (case-blind, whole words) and checks it is replaced.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from st_nlp.deid.deidentifier import Deidentifier
from st_nlp.deid.roles import name_parts


@dataclass
class DeidScores:
    found: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    replaced_chars: int = 0
    correct_chars: int = 0
    missed: list[dict[str, Any]] = field(default_factory=list)

    def recall(self) -> dict[str, float]:
        return {t: self.found[t] / self.total[t] for t in sorted(self.total)}

    @property
    def precision(self) -> float:
        return self.correct_chars / self.replaced_chars if self.replaced_chars else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "recall_by_type": {t: round(v, 4) for t, v in self.recall().items()},
            "identifiers_by_type": dict(sorted(self.total.items())),
            "recall_overall": round(sum(self.found.values()) / max(1, sum(self.total.values())), 4),
            "precision_chars": round(self.precision, 4),
        }


def _covered(spans: list[tuple[int, int]], length: int) -> list[bool]:
    mask = [False] * length
    for start, end in spans:
        for i in range(start, min(end, length)):
            mask[i] = True
    return mask


def score_planted(notes: Iterable[dict[str, Any]], deid: Deidentifier) -> DeidScores:
    """Score de-identification of planted notes (see `synthetic.py` for their shape)."""
    scores = DeidScores()
    for note in notes:
        text = note["text"]
        spans = [(s.start, s.end) for s in deid.analyze(text)]
        covered = _covered(spans, len(text))
        planted = _covered([(p["start"], p["end"]) for p in note["identifiers"]], len(text))
        for item in note["identifiers"]:
            scores.total[item["type"]] += 1
            chars = [i for i in range(item["start"], item["end"]) if not text[i].isspace()]
            if all(covered[i] for i in chars):
                scores.found[item["type"]] += 1
            else:  # kept for tuning on the dev set; never printed for real notes
                scores.missed.append({**item, "text": text[item["start"] : item["end"]]})
        for i, char in enumerate(text):
            if covered[i] and not char.isspace():
                scores.replaced_chars += 1
                scores.correct_chars += planted[i]
    return scores


def score_corpus_people(notes: Iterable[dict[str, Any]], deid: Deidentifier) -> dict[str, Any]:
    """Person-name recall on corpus notes with a `people` list (the list is not given to the
    de-identifier: it must find the names on its own)."""
    found = total = 0
    notes_seen = 0
    for note in notes:
        if not note.get("people"):
            continue
        notes_seen += 1
        text = note["text"]
        covered = _covered([(s.start, s.end) for s in deid.analyze(text)], len(text))
        words = {w for person in note["people"] for w in name_parts(person["name"])}
        for word in words:
            for match in re.finditer(rf"(?<![\w'’-]){re.escape(word)}(?![\w-])", text, re.I):
                total += 1
                found += all(covered[match.start() : match.end()])
    return {
        "notes": notes_seen,
        "name_occurrences": total,
        "recall": round(found / total, 4) if total else None,
    }
