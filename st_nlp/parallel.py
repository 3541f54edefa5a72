"""Reviewer work in several worker processes, one `Reviewer` each.

spaCy parsing, the rules and the rewriter are single-threaded Python; only the int8 MiniLM's
single-sentence runs go side by side, so a second core adds about half to `classify` within one
process and a quarter to a third to `review` (BENCHMARKS.md). On an N-core machine N processes work
on N batches at once, with one model thread each. Results come back in input order, so an
audit's journal, resume and outputs, and `classify`'s lines, are exactly those of a single
process.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from st_nlp.model_store import ModelError, resolve_model_dir

_REVIEWER: Any = None
_LOAD_ERROR: str | None = None
CLASSIFY_CHUNK = 256


def usable_cores() -> int:
    """The cores this process may run on: its CPU affinity where the platform has one (a
    container's or `taskset`'s limit), else every core."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _load(model: str | None, suggestions: bool) -> None:
    global _REVIEWER, _LOAD_ERROR
    import torch

    from st_nlp.reviewer import Reviewer

    torch.set_num_threads(1)
    try:
        _REVIEWER = Reviewer.load(model, suggestions=suggestions)
    except ModelError as error:
        # Raising here would make the pool start a new worker, forever; the first task reports it.
        _LOAD_ERROR = str(error)


def _reviewer() -> Any:
    if _REVIEWER is None:
        raise ModelError(_LOAD_ERROR or "the worker could not load the model")
    return _REVIEWER


def _review(texts: list[str]) -> list[Any]:
    return list(_reviewer().review_many(texts))


def _classify(sentences: list[str]) -> list[dict[str, Any]]:
    return list(_reviewer().classify(sentences))


class ParallelReviewer:
    """A pool of `workers` processes with `Reviewer.review_many`'s and `Reviewer.classify`'s
    interface, plus `review_batches` to keep every worker busy."""

    def __init__(self, model: str | Path | None, workers: int, suggestions: bool = True) -> None:
        if workers < 2:
            raise ValueError(f"workers = {workers} is invalid; use a plain Reviewer for 1")
        self.model_dir = resolve_model_dir(model)
        self.workers = workers
        self.pool = multiprocessing.get_context("spawn").Pool(
            workers, initializer=_load, initargs=(str(self.model_dir), suggestions)
        )

    def review_batches(self, batches: Sequence[list[str]]) -> list[list[Any]]:
        return self.pool.map(_review, batches, chunksize=1)

    def review_many(self, texts: Sequence[str]) -> list[Any]:
        return self.review_batches([list(texts)])[0]

    def classify(self, sentences: Sequence[str]) -> list[dict[str, Any]]:
        """`Reviewer.classify` on chunks of the sentences, one chunk per worker at a time
        (at most `CLASSIFY_CHUNK` sentences, fewer so that a short input still uses every
        worker); the same results in the same order."""
        texts = list(sentences)
        size = max(1, min(CLASSIFY_CHUNK, math.ceil(len(texts) / self.workers)))
        chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
        return [row for part in self.pool.map(_classify, chunks, chunksize=1) for row in part]

    def close(self) -> None:
        self.pool.close()
        self.pool.join()
