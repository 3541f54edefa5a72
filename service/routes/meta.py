"""Health, readiness and the taxonomy."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from service.deps import require
from st_nlp.rules.spec import load_rule_file
from st_nlp.taxonomy import COMPONENT_INFO, LABEL_INFO, SUBTYPE_INFO

router = APIRouter()


@router.get("/healthz", tags=["meta"])
async def healthz() -> dict[str, str]:
    """Liveness: answers even while long reviews run (they never block the event loop)."""
    return {"status": "ok"}


@router.get("/readyz", tags=["meta"], responses={503: {"description": "model not loaded yet"}})
async def readyz(request: Request) -> JSONResponse:
    ready = request.app.state.reviewer is not None
    return JSONResponse({"ready": ready}, status_code=200 if ready else 503)


@router.get(
    "/v1/labels",
    tags=["meta"],
    dependencies=[Depends(require("review"))],
    responses={
        401: {"description": "missing or invalid key"},
        429: {"description": "rate limited"},
    },
)
def labels() -> dict[str, Any]:
    """The taxonomy: labels, blaming subtypes, critical components and the rules."""
    return {
        "labels": [
            {
                "name": str(info.label),
                "definition": info.definition,
                "includes": info.includes,
                "excludes": info.excludes,
                "components": [str(c) for c in info.components],
            }
            for info in LABEL_INFO.values()
        ],
        "subtypes": [
            {"name": str(s.subtype), "definition": s.definition, "cues": list(s.cues)}
            for s in SUBTYPE_INFO.values()
        ],
        "components": [
            {"name": str(c.component), "number": c.number, "title": c.title}
            for c in COMPONENT_INFO.values()
        ],
        "rules": [
            {
                "id": rule.id,
                "subtype": str(rule.subtype),
                "message": rule.message,
                "rationale": rule.rationale,
                "principle": rule.principle,
            }
            for rule in load_rule_file().rules
        ],
    }
