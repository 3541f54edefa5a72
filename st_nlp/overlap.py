"""Python work beside an ONNX Runtime graph of the same review, on the machine's other core.

A caseworker's edit that needs suggestions is a chain of small steps, each too small for two
threads to share: ONNX Runtime graphs (the int8 MiniLM's scores, the frozen base's token states
for the span tagger) and Python work (spaCy's tagging and parsing, the TF-IDF features). ONNX
Runtime releases the GIL while a graph runs, so the Python work can go on in a background
thread meanwhile: the TF-IDF member beside the MiniLM member, the drafts' tagging and parsing
beside the classifier scoring them. (The span tagger needs no parse of its own: it reads the
parse the note already has, `Reviewer.tagged_findings`.)
Each result is exactly what the two steps give one after the other; only the waiting overlaps
(in-process, an edited note on 2 cores: p95 35 -> 29 ms, p50 10 -> 9.3 ms).

Which side runs where matters: the caller runs the graph, the background thread the Python
work, started once the caller has done its own Python (tokenizing) and is about to run the
graph (`OnnxMiniLMClassifier.start`). The other way round, the graph's thread needs the GIL
back for each bit of Python around the run while spaCy holds it, and waits up to the
interpreter's switch interval (5 ms) each time; measured that way, the overlap gained nothing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from st_nlp.parallel import usable_cores

T = TypeVar("T")

THREAD_NAME = "st-nlp-overlap"
THREADS = 2
_pools: dict[int, ThreadPoolExecutor] = {}
_lock = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    """This process's pool, made on first use: a spawned worker makes its own, and a forked
    child never waits on its parent's threads, which do not exist in it."""
    with _lock:
        pool = _pools.get(os.getpid())
        if pool is None:
            pool = _pools[os.getpid()] = ThreadPoolExecutor(THREADS, THREAD_NAME)
        return pool


def beside(step: Callable[[], T]) -> Future[T]:
    """Start `step` in a background thread; the caller runs its graph, then calls `.result()`
    (which re-raises whatever `step` raised). The step runs at once in the calling thread
    instead where nothing could overlap: on a single usable core (a 1-core audit worker), and
    when a background step starts one, so steps never wait on a pool they fill themselves."""
    if threading.current_thread().name.startswith(THREAD_NAME) or usable_cores() < 2:
        done: Future[T] = Future()
        try:
            done.set_result(step())
        except BaseException as error:  # handed to the caller's `.result()`, as from the pool
            done.set_exception(error)
        return done
    return _pool().submit(step)
