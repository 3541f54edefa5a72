"""`POST /v1/review` and `POST /v1/classify`: the reviewer over HTTP.

Plain `def` handlers: spaCy and torch work runs in the thread pool, never in the event loop.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request

from service.app import record_access
from service.deps import ReviewerDep, error_responses, require
from service.keys import Principal
from service.schemas import ClassifyPublic, ClassifyRequest, ReviewPublic, ReviewRequest
from service.text import CONTROL_CHARACTERS
from service.worker import ModelWorker

router = APIRouter(tags=["review"])
ERRORS = error_responses(
    e403="the key's role may not do this",
    e413="request body too large",
    e422="invalid request (the message names the field, never the text)",
)


def review_text(
    reviewer: ModelWorker, text: str, context: dict[str, Any] | None, request: Request
) -> dict[str, Any]:
    """Review `text` (offsets come back in it: the reviewer reads NFC and markup but maps every
    offset to the text it was given). The time spent waiting for the model worker goes into the
    request log (`model_ms`), so an operator can tell the model's share of a slow request from
    the server's."""
    started = time.perf_counter()
    result = reviewer.review(text, context)
    request.state.model_ms = (time.perf_counter() - started) * 1000
    for sentence in result["sentences"]:
        for suggestion in sentence["suggestions"]:
            suggestion["start"], suggestion["end"] = sentence["start"], sentence["end"]
            suggestion["text"] = CONTROL_CHARACTERS.sub("", suggestion["text"])
    return result


@router.post("/v1/review", response_model=ReviewPublic, responses=ERRORS)
def review(
    body: ReviewRequest,
    request: Request,
    reviewer: ReviewerDep,
    principal: Principal = Depends(require("review")),
) -> dict[str, Any]:
    """Review a note: sentences with labels, scores, findings and suggestions; note quality."""
    limit = request.app.state.settings.max_note_chars
    if len(body.text) > limit:
        raise HTTPException(status_code=422, detail=f"text longer than {limit} characters")
    context = body.context.model_dump() if body.context else None
    result = review_text(reviewer, body.text, context, request)
    record_access(request, principal.key_id, "review", None, 200)
    return result


@router.post("/v1/classify", response_model=ClassifyPublic, responses=ERRORS)
def classify(
    body: ClassifyRequest,
    request: Request,
    reviewer: ReviewerDep,
    principal: Principal = Depends(require("classify")),
) -> dict[str, Any]:
    """Labels and scores for independent sentences."""
    settings = request.app.state.settings
    if len(body.sentences) > settings.max_sentences:
        raise HTTPException(status_code=422, detail=f"more than {settings.max_sentences} sentences")
    if any(len(s) > settings.max_note_chars for s in body.sentences):
        raise HTTPException(
            status_code=422,
            detail=f"a sentence is longer than {settings.max_note_chars} characters",
        )
    results = reviewer.classify(body.sentences) if body.sentences else []
    record_access(request, principal.key_id, "classify", None, 200)
    return {"results": [{"text": s, **r} for s, r in zip(body.sentences, results, strict=True)]}
