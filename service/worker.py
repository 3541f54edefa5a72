"""Model work in a separate process, so the web server's event loop never waits for it.

spaCy and torch hold the GIL for long stretches; in the server's own process that would stall
every request, health checks included. One worker process holds the `Reviewer`; request
handlers (running in the thread pool) send it work and wait without holding the GIL.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from service.pools import stop_pool

_REVIEWER: Any = None
WORKER_NICENESS = 5


def _load(model: str | None) -> None:
    global _REVIEWER
    import torch

    from st_nlp.classifiers.onnx_minilm import MINILM_THREADS_ENV
    from st_nlp.parallel import usable_cores
    from st_nlp.reviewer import Reviewer

    torch.set_num_threads(1)  # leave a core to the server on small machines
    # Except for the MiniLM's single-sentence runs, which are too small to split across threads
    # but run side by side: a cold note's sentences use every core (niced, below the server).
    os.environ.setdefault(MINILM_THREADS_ENV, str(usable_cores()))
    # Below the server's priority: when the machine is busy, the event loop (health checks,
    # auth, queued requests) runs first, and the model work takes what is left.
    os.nice(WORKER_NICENESS)
    _REVIEWER = Reviewer.load(model)
    _REVIEWER.warm()
    # The models are loaded for good: keep the garbage collector from walking their hundreds
    # of thousands of objects in every full collection, a pause of about 0.2 s that a
    # caseworker's request would otherwise pay now and then.
    gc.collect()  # what warm-up left behind is freed, not frozen
    gc.freeze()


def _review(text: str, context: dict[str, Any] | None) -> dict[str, Any]:
    result: dict[str, Any] = _REVIEWER.review(text, context).to_dict()
    return result


def _classify(sentences: list[str]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = _REVIEWER.classify(sentences)
    return results


_DEID: Any = None


def _example_set(
    label: str, subtype: str | None, n: int, source: str, reviewed_by: str | None
) -> dict[str, Any]:
    """Build a de-identified example set (the de-identifier loads on first use)."""
    global _DEID
    from st_nlp.example_sets.build import build_example_set

    if _DEID is None:
        from st_nlp.deid.deidentifier import Deidentifier

        _DEID = Deidentifier()
    result: dict[str, Any] = build_example_set(
        _REVIEWER, _DEID, label, subtype, n, source, reviewed_by
    ).to_dict()
    return result


def _ping() -> bool:
    return _REVIEWER is not None


class ModelWorker:
    """A one-process pool holding the reviewer; `review` and `classify` block until done."""

    def __init__(self, model: str | None) -> None:
        self.pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_load,
            initargs=(model,),
        )

    def wait_ready(self) -> bool:
        return bool(self.pool.submit(_ping).result())

    def review(self, text: str, context: dict[str, Any] | None) -> dict[str, Any]:
        return self.pool.submit(_review, text, context).result()

    def classify(self, sentences: list[str]) -> list[dict[str, Any]]:
        return self.pool.submit(_classify, sentences).result()

    def example_set(
        self, label: str, subtype: str | None, n: int, source: str, reviewed_by: str | None
    ) -> dict[str, Any]:
        """`source`: "corpus" or an audit output folder. Raises `ValueError` on bad input."""
        return self.pool.submit(_example_set, label, subtype, n, source, reviewed_by).result()

    def close(self) -> None:
        stop_pool(self.pool)
