"""Audit jobs over HTTP: upload, status, report, delete.

Jobs are visible only to their creator and their unit's supervisors; for anyone else a job
does not exist (404, never 403, so ids cannot be probed). Every access to a job, allowed or
not, is appended to the access log with the job id and the outcome.
"""

from __future__ import annotations

import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Header, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

from service import jobs
from service.app import record_access
from service.db import AuditJob
from service.deps import error_responses, require
from service.keys import Principal

router = APIRouter(tags=["audits"])
COPY_CHUNK = 1 << 20
ERRORS = error_responses(
    e403="the key's role may not run audits",
    e404="no such job visible to this key",
)


class ReportFormat(StrEnum):
    HTML = "html"
    JSON = "json"
    CSV = "csv"
    ERRORS = "errors"


def _input_format(upload: UploadFile, declared: str | None) -> str:
    if declared:
        if declared not in jobs.FORMATS:
            raise HTTPException(422, detail=f"format must be one of {', '.join(jobs.FORMATS)}")
        return declared
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    raise HTTPException(
        422,
        detail="cannot tell the file's format: name it .jsonl or .csv, or send format=jsonl|csv",
    )


def _visible_job(request: Request, principal: Principal, job_id: str, action: str) -> AuditJob:
    with request.app.state.sessions() as session:
        job: AuditJob | None = session.get(AuditJob, job_id)
    if job is None or not jobs.visible_to(job, principal):
        record_access(request, principal.key_id, action, job_id[:64], 404)
        raise HTTPException(404, detail="no such audit job")
    return job


@router.post(
    "/v1/audits",
    status_code=202,
    responses={
        **ERRORS,
        413: {"description": "upload too large"},
        422: {"description": "bad upload"},
    },
)
def create_audit(
    request: Request,
    file: Annotated[
        UploadFile,
        File(description="JSONL or CSV: note_id, text, optional case_id, worker_id, unit, date"),
    ],
    format: Annotated[
        str | None, Form(description="jsonl or csv; default: from the file name")
    ] = None,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
    principal: Principal = Depends(require("audits")),
) -> JSONResponse:
    """Queue an audit of the uploaded notes (202). The same Idempotency-Key gives the same job."""
    settings = request.app.state.settings
    if idempotency_key:
        with request.app.state.sessions() as session:
            existing = jobs.find_idempotent(session, principal, idempotency_key)
        if existing is not None:
            record_access(request, principal.key_id, "audit.create", existing.id, 202)
            return JSONResponse(jobs.to_public(existing), status_code=202)
    input_format = _input_format(file, format)
    staging = settings.data_dir / "audits" / "incoming"
    staging.mkdir(parents=True, exist_ok=True)
    size = 0
    with tempfile.NamedTemporaryFile(dir=staging, delete=False) as handle:
        temporary = Path(handle.name)
        while chunk := file.file.read(COPY_CHUNK):
            size += len(chunk)
            handle.write(chunk)
    if size == 0:
        temporary.unlink()
        raise HTTPException(422, detail="the uploaded file is empty")
    with request.app.state.sessions() as session:
        job = jobs.create_job(
            session, settings.data_dir, principal, temporary, input_format, idempotency_key
        )
        public = jobs.to_public(job)
    request.app.state.audit_worker.notify()
    record_access(request, principal.key_id, "audit.create", job.id, 202)
    return JSONResponse(public, status_code=202, headers={"Location": f"/v1/audits/{job.id}"})


@router.get("/v1/audits", responses=ERRORS)
def list_audits(
    request: Request, principal: Principal = Depends(require("audits"))
) -> dict[str, list[dict[str, Any]]]:
    """The most recent jobs this key may see (its own, and its unit's for supervisors)."""
    with request.app.state.sessions() as session:
        rows = jobs.jobs_visible_to(session, principal)
    record_access(request, principal.key_id, "audit.list", None, 200)
    return {"jobs": [jobs.to_public(job) for job in rows]}


@router.get("/v1/audits/{job_id}", responses=ERRORS)
def get_audit(
    job_id: str, request: Request, principal: Principal = Depends(require("audits"))
) -> dict[str, Any]:
    """State, progress and counts of a job."""
    job = _visible_job(request, principal, job_id, "audit.read")
    record_access(request, principal.key_id, "audit.read", job.id, 200)
    return jobs.to_public(job)


@router.get(
    "/v1/audits/{job_id}/report",
    responses={
        **ERRORS,
        200: {"content": {"text/html": {}, "application/json": {}, "text/csv": {}}},
        409: {"description": "the job has not finished"},
        410: {"description": "the job's files were purged (retention)"},
    },
)
def audit_report(
    job_id: str,
    request: Request,
    format: ReportFormat = ReportFormat.HTML,
    principal: Principal = Depends(require("audits")),
) -> Any:
    """The finished audit: `html` report, `json` summary, `csv` per-note rows or `errors` CSV."""
    job = _visible_job(request, principal, job_id, "audit.report")
    if job.state == jobs.PURGED:
        record_access(request, principal.key_id, "audit.report", job.id, 410)
        raise HTTPException(
            410, detail="this audit's files were deleted after the retention period"
        )
    if job.state != jobs.DONE:
        record_access(request, principal.key_id, "audit.report", job.id, 409)
        raise HTTPException(409, detail=f"the audit is {job.state}, not done")
    out = jobs.output_dir(request.app.state.settings.data_dir, job.id)
    record_access(request, principal.key_id, "audit.report", job.id, 200)
    if format is ReportFormat.HTML:
        return HTMLResponse((out / "report.html").read_text(encoding="utf-8"))
    if format is ReportFormat.JSON:
        return FileResponse(out / "summary.json", media_type="application/json")
    name = "notes.csv" if format is ReportFormat.CSV else "errors.csv"
    return FileResponse(out / name, media_type="text/csv", filename=f"audit-{job.id[:8]}-{name}")


@router.delete("/v1/audits/{job_id}", responses={**ERRORS, 409: {"description": "job is running"}})
def delete_audit(
    job_id: str, request: Request, principal: Principal = Depends(require("audits"))
) -> dict[str, Any]:
    """Purge a job's input and outputs now (the row stays, state `purged`)."""
    job = _visible_job(request, principal, job_id, "audit.delete")
    if job.state in {jobs.QUEUED, jobs.RUNNING}:
        record_access(request, principal.key_id, "audit.delete", job.id, 409)
        raise HTTPException(409, detail=f"the audit is {job.state}; delete it when it has ended")
    with request.app.state.sessions() as session:
        row = session.get(AuditJob, job.id)
        assert row is not None
        jobs.purge(session, request.app.state.settings.data_dir, row)
        public = jobs.to_public(row)
    record_access(request, principal.key_id, "audit.delete", job.id, 200)
    return public
