"""Typed dependencies: the loaded reviewer, the caller's principal, role checks, rate limits."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from service.keys import Principal, Role, find_key
from service.settings import Settings
from service.worker import ModelWorker

UNAUTHORIZED = HTTPException(
    status_code=401, detail="missing or invalid API key", headers={"WWW-Authenticate": "Bearer"}
)


def error_responses(**described: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for a route: the statuses every keyed route shares (401, 429) plus
    the route's own, given as `e403="..."`; schemathesis checks responses against these."""
    statuses: dict[int, str] = {401: "missing or invalid API key", 429: "rate limit exceeded"}
    statuses.update({int(name.removeprefix("e")): text for name, text in described.items()})
    return {status: {"description": statuses[status]} for status in sorted(statuses)}


def get_reviewer(request: Request) -> ModelWorker:
    reviewer: ModelWorker | None = request.app.state.reviewer
    if reviewer is None:
        raise HTTPException(status_code=503, detail="model is loading")
    return reviewer


def bearer_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def authenticate(request: Request, key: str | None) -> Principal:
    """The principal for `key`, or 401. Applies the per-key rate limit (429)."""
    if key is None:
        raise UNAUTHORIZED
    with request.app.state.sessions() as session:
        principal = find_key(session, key)
    if principal is None:
        raise UNAUTHORIZED
    wait = request.app.state.rate_limiter.retry_after(principal.key_id or "anonymous")
    if wait:
        raise HTTPException(
            status_code=429, detail="rate limit exceeded", headers={"Retry-After": str(wait)}
        )
    return principal


def anonymous_allowed(request: Request) -> bool:
    """Unauthenticated LanguageTool checks: only if configured and the server is on loopback."""
    settings: Settings = request.app.state.settings
    if not settings.allow_anonymous_on_loopback:
        return False
    try:
        return ipaddress.ip_address(settings.host).is_loopback
    except ValueError:
        return bool(settings.host == "localhost")


def require(permission: str):  # type: ignore[no-untyped-def]
    def dependency(request: Request) -> Principal:
        principal = authenticate(request, bearer_key(request))
        if not principal.can(permission):
            raise HTTPException(
                status_code=403, detail=f"role {principal.role} may not {permission}"
            )
        return principal

    return dependency


ReviewerDep = Annotated[ModelWorker, Depends(get_reviewer)]
ANONYMOUS = Principal(None, Role.CASEWORKER, "anonymous", None)
