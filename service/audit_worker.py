"""The background audit worker: runs queued jobs one at a time, resumes them after a restart.

A thread in the server process picks jobs from the database and hands each to a separate
process (spawned lazily, holding its own `Reviewer`), so audits never slow interactive reviews
and never block the event loop. The audit itself is `st_nlp.audit.runner.run_audit`, which
journals every finished note: when the server is killed mid-job, the job is still `running` in
the database; on the next start it is queued again and `run_audit` skips the notes already in
its journal, so no note is lost or counted twice.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from service import jobs
from service.db import AuditJob, make_engine, make_sessionmaker, utcnow
from service.pools import stop_pool

logger = logging.getLogger("st_nlp.service.audits")

_AUDITOR: Any = None
AUDIT_NICENESS = 10


def _load(model: str | None) -> None:
    global _AUDITOR
    import torch

    from st_nlp.reviewer import Reviewer

    torch.set_num_threads(1)
    os.nice(AUDIT_NICENESS)  # batch work yields to interactive reviews and the event loop
    _AUDITOR = Reviewer.load(model)


def _run(job_id: str, source: str, out_dir: str, database_url: str) -> dict[str, int]:
    """In the worker process: audit one job, writing progress to its row at most twice a second."""
    from st_nlp.audit.runner import run_audit

    sessions = make_sessionmaker(make_engine(database_url))
    last = 0.0

    def progress(processed: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < 0.5 and processed < total:
            return
        last = now
        with sessions() as session:
            session.execute(
                update(AuditJob)
                .where(AuditJob.id == job_id)
                .values(processed_rows=processed, total_rows=total)
            )
            session.commit()

    summary = run_audit(Path(source), Path(out_dir), _AUDITOR, on_progress=progress)
    return {"notes": summary.notes, "errors": summary.errors, "sentences": summary.sentences}


class AuditWorker:
    """Owns the job loop thread and the audit process; `close` stops both."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        data_dir: Path,
        database_url: str,
        model: str | None,
        retention_days: float,
        poll_seconds: float,
    ) -> None:
        self.sessions = sessions
        self.data_dir = data_dir
        self.database_url = database_url
        self.model = model
        self.retention_days = retention_days
        self.poll_seconds = poll_seconds
        self.pool: ProcessPoolExecutor | None = None
        self.stopping = threading.Event()
        self.wake = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="audit-worker", daemon=True)

    def start(self) -> None:
        with self.sessions() as session:
            # Jobs left running by a killed server: queue them again; run_audit resumes them.
            session.execute(
                update(AuditJob).where(AuditJob.state == jobs.RUNNING).values(state=jobs.QUEUED)
            )
            session.commit()
        self.thread.start()

    def notify(self) -> None:
        """A job was queued: look now instead of at the next poll."""
        self.wake.set()

    def close(self) -> None:
        self.stopping.set()
        self.wake.set()
        if self.pool is not None:
            stop_pool(self.pool)

    def _loop(self) -> None:
        while not self.stopping.is_set():
            try:
                with self.sessions() as session:
                    purged = jobs.purge_expired(session, self.data_dir, self.retention_days)
                if purged:
                    logger.info("purged=%s audit jobs past retention", purged)
                job_id = self._next_job()
                if job_id is not None:
                    self._execute(job_id)
                    continue
            except Exception as error:  # keep the loop alive; never log note content
                logger.error("audit worker error=%s", type(error).__name__)
            self.wake.wait(self.poll_seconds)
            self.wake.clear()

    def _next_job(self) -> str | None:
        with self.sessions() as session:
            job = session.scalar(
                select(AuditJob)
                .where(AuditJob.state == jobs.QUEUED)
                .order_by(AuditJob.created_at)
                .limit(1)
            )
            if job is None:
                return None
            job.state = jobs.RUNNING
            job.attempts += 1
            job.started_at = job.started_at or utcnow()
            session.commit()
            return job.id

    def _execute(self, job_id: str) -> None:
        with self.sessions() as session:
            job = session.get(AuditJob, job_id)
            assert job is not None
            source = jobs.input_path(self.data_dir, job)
        out_dir = jobs.output_dir(self.data_dir, job_id)
        started = time.perf_counter()
        if self.pool is None:
            self.pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_load,
                initargs=(self.model,),
            )
        try:
            counts = self.pool.submit(
                _run, job_id, str(source), str(out_dir), self.database_url
            ).result()
        except Exception as error:
            if self.stopping.is_set():
                return  # shutting down: the job stays `running` and resumes on the next start
            with self.sessions() as session:
                job = session.get(AuditJob, job_id)
                assert job is not None
                job.state = jobs.FAILED
                # The type and the reader's message name rows and fields, never note text.
                job.failure = type(error).__name__
                job.finished_at = utcnow()
                session.commit()
            logger.error("audit job=%s failed error=%s", job_id, type(error).__name__)
            return
        with self.sessions() as session:
            job = session.get(AuditJob, job_id)
            assert job is not None
            job.state = jobs.DONE
            job.notes, job.errors, job.sentences = (
                counts["notes"],
                counts["errors"],
                counts["sentences"],
            )
            job.processed_rows = job.total_rows
            job.finished_at = utcnow()
            session.commit()
        logger.info(
            "audit job=%s done notes=%s errors=%s sentences=%s s=%.1f",
            job_id,
            counts["notes"],
            counts["errors"],
            counts["sentences"],
            time.perf_counter() - started,
        )
