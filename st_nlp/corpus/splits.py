"""Assigning train/dev/test splits by note, never by sentence, with no near-duplicate leakage.

Notes that share a near-duplicate sentence are grouped (union-find) and a whole group goes to
one split. Groups are shuffled with a fixed seed and filled into the splits by sentence count,
separately for each register and source, so every split sees every register.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping, Sequence

from st_nlp.corpus.near_duplicates import near_duplicate_pairs

SPLIT_SHARES: dict[str, float] = {"train": 0.70, "dev": 0.15, "test": 0.15}


class _UnionFind:
    def __init__(self, items: Sequence[str]) -> None:
        self.parent = {item: item for item in items}

    def find(self, item: str) -> str:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def assign_splits(
    sentences_by_note: Mapping[str, Sequence[str]],
    strata: Mapping[str, str],
    seed: int = 13,
    shares: Mapping[str, float] = SPLIT_SHARES,
) -> dict[str, str]:
    """Map each note id to a split. `strata` maps note id to a stratum (e.g. register+source)."""
    note_ids = sorted(sentences_by_note)
    flat: list[tuple[str, str]] = [
        (note_id, text) for note_id in note_ids for text in sentences_by_note[note_id]
    ]
    groups = _UnionFind(note_ids)
    for i, j, _ in near_duplicate_pairs([text for _, text in flat]):
        groups.union(flat[i][0], flat[j][0])
    members: dict[str, list[str]] = defaultdict(list)
    for note_id in note_ids:
        members[groups.find(note_id)].append(note_id)

    by_stratum: dict[str, list[str]] = defaultdict(list)
    for root, notes in members.items():
        by_stratum[strata[notes[0]]].append(root)
    rng = random.Random(seed)
    assignment: dict[str, str] = {}
    for stratum in sorted(by_stratum):
        roots = sorted(by_stratum[stratum])
        rng.shuffle(roots)
        total = sum(len(sentences_by_note[n]) for r in roots for n in members[r])
        filled = dict.fromkeys(shares, 0)
        for root in roots:
            size = sum(len(sentences_by_note[n]) for n in members[root])
            # Put the group where the split is furthest below its target share.
            split = min(shares, key=lambda s: (filled[s] - shares[s] * total) / max(total, 1))
            filled[split] += size
            for note_id in members[root]:
                assignment[note_id] = split
    return assignment
