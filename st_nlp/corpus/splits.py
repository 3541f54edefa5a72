"""Assigning train/dev/test splits by note, never by sentence, with no near-duplicate leakage.

Notes that share a near-duplicate sentence are grouped (union-find) and a whole group goes to
one split, chosen by a seeded hash of the group's first note id: about 70/15/15 by note, and
stable as the corpus grows.
"""

from __future__ import annotations

import hashlib
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

    # Each group's split comes from a hash of its first note id: stable as the corpus grows
    # (adding notes never moves an existing note between train, dev and test).
    cumulative = []
    total = 0.0
    for split, share in shares.items():
        total += share
        cumulative.append((total, split))
    assignment: dict[str, str] = {}
    for root, notes in members.items():
        digest = hashlib.sha256(f"{seed}:{strata[notes[0]]}:{root}".encode()).digest()
        point = int.from_bytes(digest[:8], "big") / 2**64 * total
        split = next(name for bound, name in cumulative if point < bound)
        for note_id in notes:
            assignment[note_id] = split
    return assignment
