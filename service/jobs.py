"""Audit jobs: creation, who may see them, their folders, and retention purges.

A job's folder (`<data_dir>/audits/<id>/`) holds the uploaded `input.<format>` and the audit's
`out/` folder. Everything in it is derived from case notes, so it is deleted when the
retention period after the job ended has passed; the database row (counts and states only)
stays as the record that the job existed.
"""

from __future__ import annotations

import shutil
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import AuditJob, utcnow
from service.keys import Principal, Role

QUEUED, RUNNING, DONE, FAILED, PURGED = "queued", "running", "done", "failed", "purged"
FORMATS = ("jsonl", "csv")


def job_dir(data_dir: Path, job_id: str) -> Path:
    return data_dir / "audits" / job_id


def input_path(data_dir: Path, job: AuditJob) -> Path:
    return job_dir(data_dir, job.id) / f"input.{job.input_format}"


def output_dir(data_dir: Path, job_id: str) -> Path:
    return job_dir(data_dir, job_id) / "out"


def find_idempotent(session: Session, principal: Principal, key: str) -> AuditJob | None:
    """The job this key already created with this idempotency key, if any."""
    return session.scalar(
        select(AuditJob).where(AuditJob.key_id == principal.key_id, AuditJob.idempotency_key == key)
    )


def create_job(
    session: Session,
    data_dir: Path,
    principal: Principal,
    upload: Path,
    input_format: str,
    idempotency_key: str | None,
) -> AuditJob:
    """Move the uploaded file into a new job's folder and queue the job."""
    job = AuditJob(
        id=str(uuid.uuid4()),
        key_id=principal.key_id,
        unit=principal.unit,
        idempotency_key=idempotency_key,
        input_format=input_format,
        input_bytes=upload.stat().st_size,
        state=QUEUED,
    )
    folder = job_dir(data_dir, job.id)
    folder.mkdir(parents=True)
    shutil.move(str(upload), input_path(data_dir, job))
    session.add(job)
    session.commit()
    return job


def visible_to(job: AuditJob, principal: Principal) -> bool:
    return principal.may_see(job.key_id, job.unit)


def jobs_visible_to(session: Session, principal: Principal, limit: int = 100) -> list[AuditJob]:
    query = select(AuditJob).order_by(AuditJob.created_at.desc())
    if principal.role is Role.SUPERVISOR and principal.unit is not None:
        query = query.where(
            (AuditJob.key_id == principal.key_id) | (AuditJob.unit == principal.unit)
        )
    else:
        query = query.where(AuditJob.key_id == principal.key_id)
    return list(session.scalars(query.limit(limit)))


def purge(session: Session, data_dir: Path, job: AuditJob) -> None:
    """Delete the job's input and outputs now; keep the row (state `purged`)."""
    shutil.rmtree(job_dir(data_dir, job.id), ignore_errors=True)
    job.state = PURGED
    job.purged_at = utcnow()
    session.commit()


def purge_expired(
    session: Session, data_dir: Path, retention_days: float, now: datetime | None = None
) -> int:
    """Purge every finished job whose retention period is over; returns how many."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    expired = session.scalars(
        select(AuditJob).where(AuditJob.state.in_((DONE, FAILED)), AuditJob.finished_at <= cutoff)
    ).all()
    for job in expired:
        purge(session, data_dir, job)
    return len(expired)


def to_public(job: AuditJob) -> dict[str, object]:
    fraction = job.processed_rows / job.total_rows if job.total_rows else 0.0
    return {
        "id": job.id,
        "state": job.state,
        "input_format": job.input_format,
        "input_bytes": job.input_bytes,
        "progress": {
            "processed_rows": job.processed_rows,
            "total_rows": job.total_rows,
            "fraction": round(1.0 if job.state == DONE else fraction, 4),
        },
        "counts": {"notes": job.notes, "errors": job.errors, "sentences": job.sentences},
        "failure": job.failure,
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "purged_at": job.purged_at.isoformat() if job.purged_at else None,
    }
