"""Audit reviews in several worker processes, one `Reviewer` each.

spaCy parsing and the rewriter are single-threaded Python, so one process uses one core no
matter how many threads the model gets; on an N-core machine N processes review N batches at
once. Workers run one model thread each. Results come back in input order, so the audit's
journal, resume and outputs are exactly those of a single-process run.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from st_nlp.model_store import resolve_model_dir

_REVIEWER: Any = None


def _load(model: str | None, suggestions: bool) -> None:
    global _REVIEWER
    import torch

    from st_nlp.reviewer import Reviewer

    torch.set_num_threads(1)
    _REVIEWER = Reviewer.load(model, suggestions=suggestions)


def _review(texts: list[str]) -> list[Any]:
    return list(_REVIEWER.review_many(texts))


class ParallelReviewer:
    """A pool of `workers` processes with the same interface as `Reviewer.review_many`,
    plus `review_batches` to keep every worker busy."""

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

    def close(self) -> None:
        self.pool.close()
        self.pool.join()
