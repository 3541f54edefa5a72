"""Curating writer rewrite pairs into `annotation/data/rewrites.jsonl`.

Each raw pair is checked (schema and brackets, see `rewrite_records`; every name, date, time,
number and quoted span of the original kept in the rewrite, with `st_nlp.rewrite.facts`, the
same check the rewriter applies at run time), near-duplicate originals are dropped (the first
id wins), and each pair gets a split from `assign_splits`: a seeded hash of its id, with pairs
whose original or rewrite are near-duplicates grouped into one split, so nothing leaks from
train into dev or test. Adding pairs never moves an existing pair to another split.

Problems name the file, line, id and field, never the text (the pairs read like case notes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from spacy.language import Language

from st_nlp.corpus.jsonl import DataError, describe_validation_error, iter_json_lines
from st_nlp.corpus.near_duplicates import near_duplicate_pairs
from st_nlp.corpus.rewrite_records import RawRewritePair, RewritePair
from st_nlp.corpus.splits import assign_splits
from st_nlp.rewrite.facts import extract_facts, missing_facts

SPLIT_SEED = 29
STRATUM = "rewrite"


@dataclass(frozen=True)
class Rejection:
    path: str
    line: int | None
    pair_id: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.pair_id or '(no id)'}: {self.reason}"


@dataclass(frozen=True)
class Curated:
    pairs: list[RewritePair]
    rejected: list[Rejection]


def batch_name(path: Path) -> str:
    """`rewrites_b.jsonl` -> `b`."""
    return path.stem.removeprefix("rewrites_").lower()


def read_raw(
    paths: Iterable[Path],
) -> tuple[list[tuple[Path, int, RawRewritePair]], list[Rejection]]:
    """Parse every raw file; a bad record is rejected by line, the rest of the file still counts.

    A line that is not JSON (a writer still appending) ends that file: what came before is kept.
    """
    good: list[tuple[Path, int, RawRewritePair]] = []
    rejected: list[Rejection] = []
    for path in paths:
        try:
            for number, value in iter_json_lines(path):
                try:
                    good.append((path, number, RawRewritePair.model_validate(value)))
                except ValidationError as error:
                    pair_id = value.get("id") if isinstance(value.get("id"), str) else None
                    rejected.append(
                        Rejection(str(path), number, pair_id, describe_validation_error(error))
                    )
        except DataError as error:
            rejected.append(Rejection(error.path, error.line, None, error.reason))
    return good, rejected


def fact_problem(nlp: Language, original: str, rewrite: str) -> str | None:
    """Which facts of the original the rewrite lost (counted, not quoted), or None."""
    lost = missing_facts(extract_facts(nlp(original)), rewrite)
    if not lost:
        return None
    return f"field 'rewrite': {len(lost)} fact(s) of the original missing (names/numbers/quotes)"


def assign_rewrite_splits(pairs: Sequence[RawRewritePair]) -> dict[str, str]:
    """Pair id -> split; near-duplicate originals or rewrites share a split."""
    return assign_splits(
        {p.id: [p.original, p.rewrite] for p in pairs},
        {p.id: STRATUM for p in pairs},
        seed=SPLIT_SEED,
    )


def curate(paths: Sequence[Path], nlp: Language) -> Curated:
    """Checked, de-duplicated pairs with splits, in id order, and every rejection."""
    raw, rejected = read_raw(paths)
    seen: dict[str, tuple[Path, int]] = {}
    checked: list[tuple[Path, int, RawRewritePair]] = []
    for path, number, pair in sorted(raw, key=lambda item: item[2].id):
        if pair.id in seen:
            first = seen[pair.id]
            rejected.append(
                Rejection(
                    str(path), number, pair.id, f"duplicate id (first at {first[0]}:{first[1]})"
                )
            )
            continue
        seen[pair.id] = (path, number)
        problem = fact_problem(nlp, pair.original, pair.rewrite)
        if problem:
            rejected.append(Rejection(str(path), number, pair.id, problem))
            continue
        checked.append((path, number, pair))
    dropped: set[int] = set()
    for i, j, score in near_duplicate_pairs([p.original for _, _, p in checked]):
        if i in dropped:
            continue
        path, number, pair = checked[j]
        if j not in dropped:
            dropped.add(j)
            rejected.append(
                Rejection(
                    str(path),
                    number,
                    pair.id,
                    f"near-duplicate original of {checked[i][2].id} (token Jaccard {score:.2f})",
                )
            )
    kept = [item for k, item in enumerate(checked) if k not in dropped]
    splits = assign_rewrite_splits([p for _, _, p in kept])
    pairs = [
        RewritePair(**pair.model_dump(), split=splits[pair.id], batch=batch_name(path))
        for path, _, pair in kept
    ]
    return Curated(pairs, rejected)
