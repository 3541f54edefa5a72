"""Example sets over HTTP: `POST /v1/example-sets` builds one, `GET` downloads it.

Building runs in the model worker process (it reviews and de-identifies), so the event loop
never waits on it. A set is visible to its creator and their unit's supervisors; for anyone
else it does not exist (404). Using an audit as the source requires seeing that audit.
"""

from __future__ import annotations

from enum import StrEnum

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse

from service import example_sets, jobs
from service.app import record_access
from service.db import AuditJob, ExampleSetRow
from service.deps import ReviewerDep, error_responses, require
from service.keys import Principal
from service.schemas import ExampleSetCreate, ExampleSetPublic
from st_nlp.example_sets.build import check_request

router = APIRouter(tags=["example sets"])
ERRORS = error_responses(
    e403="the key's role may not build (or read) example sets",
    e404="no such example set (or source audit) visible to this key",
)


class DownloadFormat(StrEnum):
    MD = "md"
    HTML = "html"
    CSV = "csv"
    JSONL = "jsonl"
    LABELSTUDIO = "labelstudio"


def _source_folder(request: Request, principal: Principal, source: str) -> str:
    """ "corpus", or the output folder of a finished audit the caller can see."""
    if source == "corpus":
        return source
    kind, _, job_id = source.partition(":")
    if kind != "audit" or not job_id:
        raise HTTPException(422, detail='source must be "corpus" or "audit:<job_id>"')
    with request.app.state.sessions() as session:
        job: AuditJob | None = session.get(AuditJob, job_id)
    if job is None or not jobs.visible_to(job, principal):
        record_access(request, principal.key_id, "example_set.source", job_id[:64], 404)
        raise HTTPException(404, detail="no such audit job")
    if job.state == jobs.PURGED:
        raise HTTPException(410, detail="the source audit's files were deleted (retention)")
    if job.state != jobs.DONE:
        raise HTTPException(409, detail=f"the source audit is {job.state}, not done")
    return str(jobs.output_dir(request.app.state.settings.data_dir, job.id))


@router.post(
    "/v1/example-sets",
    status_code=201,
    response_model=ExampleSetPublic,
    responses={
        **ERRORS,
        409: {"description": "the source audit has not finished"},
        410: {"description": "the source audit's files were purged"},
        422: {"description": "unknown label or subtype, bad n or source"},
    },
)
def create_example_set(
    body: ExampleSetCreate,
    request: Request,
    reviewer: ReviewerDep,
    principal: Principal = Depends(require("example_sets")),
) -> JSONResponse:
    """Build a de-identified example set (a draft unless `reviewed_by` names its reviewer)."""
    try:
        check_request(body.label, body.subtype, body.n)
    except ValueError as error:
        raise HTTPException(422, detail=str(error)) from None
    if body.reviewed_by is not None and not body.reviewed_by.strip():
        raise HTTPException(422, detail="reviewed_by must name a person or be null")
    folder = _source_folder(request, principal, body.source)
    try:
        built = reviewer.example_set(body.label, body.subtype, body.n, folder, body.reviewed_by)
    except ValueError as error:  # our messages name fields and labels, never note text
        raise HTTPException(422, detail=str(error)) from None
    settings = request.app.state.settings
    with request.app.state.sessions() as session:
        row = example_sets.save(session, settings.data_dir, principal, built, body.source[:64])
    record_access(request, principal.key_id, "example_set.create", row.id, 201)
    return JSONResponse(
        example_sets.to_public(row, built),
        status_code=201,
        headers={"Location": f"/v1/example-sets/{row.id}"},
    )


@router.get(
    "/v1/example-sets/{set_id}",
    responses={
        **ERRORS,
        200: {
            "content": {
                "text/markdown": {},
                "text/html": {},
                "text/csv": {},
                "application/x-ndjson": {},
                "application/json": {},
            }
        },
    },
)
def get_example_set(
    set_id: str,
    request: Request,
    format: DownloadFormat = DownloadFormat.MD,
    principal: Principal = Depends(require("example_sets_read")),
) -> FileResponse:
    """Download the set as md, html, csv, jsonl or Label Studio tasks."""
    with request.app.state.sessions() as session:
        row: ExampleSetRow | None = session.get(ExampleSetRow, set_id)
    if row is None or not example_sets.visible_to(row, principal):
        record_access(request, principal.key_id, "example_set.read", set_id[:64], 404)
        raise HTTPException(404, detail="no such example set")
    name, media_type = example_sets.DOWNLOADS[format.value]
    path = example_sets.set_dir(request.app.state.settings.data_dir, row.id) / name
    record_access(request, principal.key_id, "example_set.read", row.id, 200)
    filename = f"example-set-{row.id[:8]}-{name.replace('/', '-')}"
    return FileResponse(path, media_type=media_type, filename=filename)
