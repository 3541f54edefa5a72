"""Stopping the service's worker process pools so that no worker outlives the server.

`ProcessPoolExecutor.shutdown(wait=False)` returns at once and, when the server exits right
after it (uvicorn's SIGTERM path), the pool's manager thread never gets to stop the worker:
measured, the model worker (about 1 GB: a loaded `Reviewer`) and multiprocessing's resource
tracker were left running, adopted by init, after every `st-nlp serve` stopped with SIGTERM.
Here the worker gets a grace period to finish what it is doing, then is terminated; an audit
cut short is resumed by the next server (see `service.audit_worker`).
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor

STOP_GRACE_SECONDS = 10.0


def stop_pool(pool: ProcessPoolExecutor, grace: float = STOP_GRACE_SECONDS) -> None:
    """Cancel queued work, wait up to `grace` seconds for the workers to exit, then terminate
    the ones still running."""
    # The executor keeps its worker processes in a private mapping; there is no public way to
    # wait for them with a deadline.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.terminate()
            process.join(5)
